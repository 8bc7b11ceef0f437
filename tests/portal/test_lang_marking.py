"""Japanese data on English pages is marked lang="ja" (WCAG 3.1.2); Japanese
pages stay as they were."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from areas.models import LocalIssue
from grants.models import Application, ExportFile, Programme, Report, Score
from grants.models import Attachment as GrantAttachment
from grants.services.allocation import set_inputs
from grants.services.programmes import create_programme
from liaisons.models import Consultation, SupportRequest
from meetings.models import Idea, Meeting
from portal.audit import Actor
from portal.models import Role
from surveys.models import Register, Resident
from surveys.panels.services import run_selection, set_quotas, start_selection
from surveys.questionnaires.models import (
    IssueAnswer,
    Question,
    QuestionAnswer,
    Questionnaire,
    Response,
    Section,
    Survey,
    Volunteer,
)
from surveys.questionnaires.services import create_survey
from surveys.services.draws import draw_sample
from tests.factories import (
    AreaFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
    represent,
)
from tests.grants.factories import application, assign, proposal_programme
from tests.liaisons.factories import ConsultationFactory, SupportRequestFactory, officer_on
from tests.meetings.factories import MeetingFactory, RegistrationFactory, SeriesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    area = AreaFactory(code="LJ", name="欅地域", description="駅の北側の住宅地です。")
    DistrictFactory(area=area, name="欅一丁目")
    OrganisationFactory(name="欅自治会", areas=[area])
    return area


def english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_area_pages_mark_names_in_english_only(area):
    client = english()
    listing = client.get("/areas/").content.decode()
    assert '<span lang="ja">欅地域</span>' in listing
    detail = client.get(area.get_absolute_url()).content.decode()
    assert '<h1><span lang="ja">欅地域</span>' in detail
    assert '<span lang="ja">欅一丁目</span>' in detail
    assert '<span lang="ja">欅自治会</span>' in detail
    assert '<p lang="ja">駅の北側の住宅地です。</p>' in detail
    assert "<title>欅地域" in detail  # never markup in the title

    japanese = Client().get(area.get_absolute_url()).content.decode()
    assert '<span lang="ja">' not in japanese and '<p lang="ja">' not in japanese
    assert "<h1>欅地域 " in japanese


def test_meeting_pages_mark_titles_places_and_texts(area):
    meeting = MeetingFactory(
        area=area,
        title="欅のまちを語る会",
        status=Meeting.Status.OPEN,
        venue_name="欅会館",
        description="地域の将来を話し合います。",
    )
    client = english()
    listing = client.get("/meetings/").content.decode()
    assert '<span lang="ja">欅のまちを語る会</span>' in listing
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert '<h1><span lang="ja">欅のまちを語る会</span></h1>' in detail
    assert '<span lang="ja">欅会館</span>' in detail
    assert '<p lang="ja">地域の将来を話し合います。</p>' in detail
    japanese = Client().get(meeting.get_absolute_url()).content.decode()
    assert '<span lang="ja">' not in japanese and '<p lang="ja">' not in japanese


def _switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def staff_world(area):
    """One record of each kind the main staff pages list, in the 欅 area."""
    organisation = area.organisations.get(name="欅自治会")
    request = SupportRequestFactory(area=area, organisation=organisation, title="夏祭りの手伝い")
    applicant = UserFactory()
    represent(applicant, organisation)
    grant = application(
        programme=proposal_programme(),
        organisation=organisation,
        applicant=applicant,
        status="submitted",
    )
    meeting = MeetingFactory(area=area, title="欅のまちを語る会", status=Meeting.Status.OPEN)
    register = Register.objects.create(
        reference_date=date(2026, 10, 1), purpose="調査", legal_basis="審議会の承認", row_count=1
    )
    Resident.objects.create(
        register=register,
        line=2,
        resident_number="LJ1",
        name="欅 太郎",
        birth_date=date(1970, 1, 1),
        sex="1",
        postal_code="206-0011",
        address="架空市欅町1番1号",
        district=area.districts.get(),
    )
    draw = draw_sample(
        register=register,
        size=1,
        seed="langja",
        title="欅の住民調査",
        purpose="まちづくりの意見を聞くため",
        legal_basis="審議会の承認",
        by=Actor.for_system("tests"),
    )
    Survey.objects.create(code="LJ", title="欅の暮らしの調査", is_imported=True)
    return {"request": request, "grant": grant, "meeting": meeting, "draw": draw}


def staff_pages(world):
    """(URL, what the page must show marked) for the main staff list/detail pages."""
    return [
        (reverse("portal:dashboard"), ['<span lang="ja">欅地域</span>']),
        (
            reverse("liaisons:requests"),
            ['<span lang="ja">夏祭りの手伝い</span>', '<span lang="ja">欅自治会</span>'],
        ),
        (
            world["request"].get_absolute_url(),
            ['<h1><span lang="ja">夏祭りの手伝い</span>', '<dd><span lang="ja">欅地域</span></dd>'],
        ),
        (
            reverse("grants:programme_applications", args=[world["grant"].programme.pk]),
            ['<span lang="ja">防災マップづくり</span>', '<span lang="ja">欅自治会</span>'],
        ),
        (
            world["grant"].get_absolute_url(),
            ['<dd><span lang="ja">欅自治会</span></dd>', '<p lang="ja">地域の危険箇所'],
        ),
        (reverse("surveys:draws"), ['<span lang="ja">欅の住民調査</span>']),
        (
            world["draw"].get_absolute_url(),
            ['<h1><span lang="ja">欅の住民調査</span></h1>', '<dd lang="ja">まちづくりの意見'],
        ),
        (reverse("surveys:surveys"), ['<span lang="ja">欅の暮らしの調査</span>']),
        (
            reverse("meetings:staff_list"),
            ['<span lang="ja">欅のまちを語る会</span>', '<td data-label="Area"><span lang="ja">'],
        ),
    ]


def _near(page, snippet):
    """Where the snippet's text stands on the page, for a failure message."""
    text = re.sub(r"^\W+|\W+$", "", re.sub(r"<[^>]+>", "", snippet))
    return [
        page[max(0, m.start() - 200) : m.end() + 100] for m in re.finditer(re.escape(text), page)
    ][:3]


def assert_marked_in_english_only(client, pages):
    """`client` (English) sees each page with its snippets marked, never
    markup in the title or an attribute, never markup escaped twice; the same
    person in Japanese gets pages that mark nothing.

    A snippet must occur exactly once (or, given as (snippet, n), n times: one
    per row, or one per place that marks the same text), so that removing any
    one of the markings it stands for fails the test."""
    for url, marked in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for snippet in marked:
            snippet, times = snippet if isinstance(snippet, tuple) else (snippet, 1)
            assert page.count(snippet) == times, (url, snippet, _near(page, snippet))
        assert re.search(r"<title>[^<]*</title>", page), url
        assert '="<span' not in page, url
        assert "&lt;span" not in page, url  # never escaped twice

    japanese = Client()
    if getattr(client, "user", None) is not None:
        japanese.force_login(client.user)
    for url, _marked in pages:
        page = japanese.get(url).content.decode()
        marked = set(re.findall(r'<(\w+)[^>]* lang="ja"', page))
        assert marked == {"html", "option"}, url  # the page and the language switcher


def test_staff_pages_mark_japanese_data_in_english_only(client_as, staff_world):
    client = _switch_to_english(client_as(Role.COORDINATOR))
    assert_marked_in_english_only(client, staff_pages(staff_world))


def signed_in_english(user):
    """`user` signed in, with pages in English."""
    client = Client()
    client.force_login(user)
    client.user = user
    return _switch_to_english(client)


def english_as(role=None, **fields):
    """A new person (holding `role`, if any) signed in, with pages in English."""
    return signed_in_english(UserFactory(role=role, **fields))


def test_city_name_and_own_name_in_the_frame(settings):
    settings.PORTAL_CITY_NAME = "欅市"
    page = english().get("/").content.decode()
    assert '<span class="site-title__city" lang="ja">欅市</span>' in page
    assert '<p><span lang="ja">欅市</span> Community Partnership Division</p>' in page
    staff = english_as(Role.COORDINATOR, full_name="欅 花子").get("/").content.decode()
    assert '<span class="account__who"><span lang="ja">欅 花子</span><span' in staff

    japanese = Client().get("/").content.decode()
    assert '<span class="site-title__city">欅市</span>' in japanese
    assert "<p>欅市 協働推進課</p>" in japanese


def test_city_name_in_the_sentences_of_the_portals_own_pages(settings):
    settings.PORTAL_CITY_NAME = "欅市"
    visitor = english()
    # The footer's once, and the page's own sentences.
    for path, times in (("/", 2), ("/accessibility/", 3), ("/opendata/", 3)):
        page = visitor.get(path).content.decode()
        assert page.count('<span lang="ja">欅市</span>') == times, path
        assert '<span lang="ja">' not in Client().get(path).content.decode(), path


@pytest.fixture
def issue():
    return LocalIssue.objects.create(number=90, title="欅並木の手入れ")


@pytest.fixture
def officer(area):
    officer = officer_on(area, user=UserFactory(full_name="欅 健", role=Role.LIAISON_OFFICER))
    officer.department = "欅地域振興課"
    officer.save()
    return officer


def test_public_area_page_marks_its_officers(area, officer):
    assert_marked_in_english_only(
        english(),
        [
            (
                area.get_absolute_url(),
                [
                    '<li class="card"><span lang="ja">欅 健</span>'
                    '<p class="card__meta"><span lang="ja">欅地域振興課</span>（'
                ],
            )
        ],
    )


def test_liaison_pages_mark_officers_consultations_and_the_report(area, officer, issue):
    organisation = area.organisations.get()
    consultation = ConsultationFactory(
        area=area,
        organisation=organisation,
        topic=issue,
        outcome=Consultation.Outcome.REFERRED,
        referred_department="欅道路課",
        received_by=officer.user,
        summary="欅並木の落ち葉の相談です。",
    )
    SupportRequestFactory(
        area=area,
        organisation=organisation,
        assignee=officer,
        tier="D",
        status=SupportRequest.Status.DONE,
        closed_at=timezone.now(),
        hours=2,
    )

    admin = english_as(Role.ADMINISTRATOR)
    assert_marked_in_english_only(
        admin,
        [
            (
                reverse("liaisons:officers"),
                [
                    '<span lang="ja">欅 健</span></a>',
                    '"><span lang="ja">欅地域振興課</span></td>',
                    '"><span lang="ja">欅地域</span>（',
                ],
            ),
            (
                reverse("liaisons:officer", args=[officer.pk]),
                ['<h1><span lang="ja">欅 健</span> <span', '"><span lang="ja">欅地域</span></td>'],
            ),
        ],
    )
    coordinator = english_as(Role.COORDINATOR)
    assert_marked_in_english_only(
        coordinator,
        [
            (
                reverse("liaisons:consultations"),
                [
                    '"><span lang="ja">欅地域</span></td>',
                    '"><span lang="ja">欅並木の手入れ</span></td>',
                    '（<span lang="ja">欅道路課</span>）',
                    '"><span lang="ja">欅 健</span></td>',
                ],
            ),
            (
                consultation.get_absolute_url(),
                [
                    '<dd><span lang="ja">欅地域</span></dd>',
                    '<dd><span lang="ja">欅自治会</span></dd>',
                    '<dd><span lang="ja">90. 欅並木の手入れ</span></dd>',
                    '（<span lang="ja">欅道路課</span>）',
                    '<dd><span lang="ja">欅 健</span></dd>',
                    '<p lang="ja">欅並木の落ち葉の相談です。</p>',
                ],
            ),
            (
                reverse("liaisons:report"),
                [
                    'fill="#1a1a1a" lang="ja">欅地域</text>',
                    # Each table says which of its columns are names.
                    '<td data-label="Area" lang="ja">欅地域</td><td data-label="Area code">LJ</td>'
                    '<td data-label="Type of support">',
                    '<td data-label="Area" lang="ja">欅地域</td><td data-label="Area code">LJ</td>'
                    '<td data-label="A–C requests">',
                    '<td data-label="Staff member" lang="ja">欅 健</td>'
                    '<td data-label="Department" lang="ja">欅地域振興課</td>'
                    '<td data-label="Experience level">',
                    '<td data-label="Staff member" lang="ja">欅 健</td>'
                    '<td data-label="Department" lang="ja">欅地域振興課</td><td data-label="A">',
                    '<td data-label="Department handed over to" lang="ja">欅道路課</td>',
                ],
            ),
        ],
    )


@pytest.fixture
def grant_world(area):
    organisation = area.organisations.get()
    programme = proposal_programme(name="欅のまちづくり提案事業")
    programme.eligibility = "欅地域で活動する団体"
    programme.save()
    applicant = UserFactory(full_name="欅 代表")
    represent(applicant, organisation)
    made = {}
    for key, status, title in (
        ("in_review", Application.Status.IN_REVIEW, "欅の防災マップ"),
        ("draft", Application.Status.DRAFT, "欅の花壇づくり"),
        ("approved", Application.Status.APPROVED, "欅の清掃活動"),
    ):
        made[key] = application(
            programme=programme, organisation=organisation, applicant=applicant, status=status
        )
        made[key].title = title
        made[key].save()
    made["approved"].approved_amount = 100_000
    made["approved"].save()
    made["in_review"].plan = "欅の通学路を歩いて点検する"
    made["in_review"].save()
    made["in_review"].budget_lines.filter(kind="expense").update(note="欅の地図 100部")
    Report.objects.create(
        application=made["approved"],
        status=Report.Status.RETURNED,
        review_comment="欅の写真を添えてください。",
    )
    GrantAttachment.objects.create(
        application=made["approved"],
        purpose=GrantAttachment.Purpose.RECEIPT,
        label="欅の領収書",
        token="lj-receipt",
        original_name="receipt.pdf",
        content_type="application/pdf",
        size=1,
        uploaded_by=applicant,
    )
    for key in ("in_review", "draft"):
        GrantAttachment.objects.create(
            application=made[key],
            label="欅の計画書",
            token=f"lj-{key}",
            original_name="plan.pdf",
            content_type="application/pdf",
            size=1,
            uploaded_by=applicant,
        )
    reviewer = UserFactory(full_name="欅 審査員", role=Role.REVIEWER)
    assign(made["in_review"], reviewer, conflict=False)
    second = assign(
        made["in_review"], UserFactory(full_name="欅 副審査員", role=Role.REVIEWER), conflict=False
    )
    for criterion in programme.criteria.all():
        Score.objects.create(assignment=second, criterion=criterion, score=3)
    second.submitted_at = timezone.now()
    second.save()
    lump_sum = create_programme(
        name="欅の地域一括交付金",
        kind=Programme.Kind.LUMP_SUM,
        fiscal_year=2026,
        budget=1_000_000,
        by=Actor.for_system("tests"),
    )
    set_inputs(
        programme_id=lump_sum.pk,
        inputs={area: (1000, 400)},
        source="手入力",
        by=Actor.for_system("tests"),
    )
    return {
        "programme": programme,
        "lump_sum": lump_sum,
        "applicant": applicant,
        "reviewer": reviewer,
        **made,
    }


def test_grant_pages_mark_programmes_applications_and_people(grant_world):
    programme, in_review = grant_world["programme"], grant_world["in_review"]
    coordinator = english_as(Role.COORDINATOR)
    export = ExportFile.objects.create(
        programme=programme, token="lj-export", created_by=coordinator.user
    )
    assert_marked_in_english_only(
        coordinator,
        [
            (
                reverse("grants:programmes"),
                ['<span lang="ja">欅のまちづくり提案事業</span></a>'],
            ),
            (
                programme.get_absolute_url(),
                [
                    '<h1><span lang="ja">欅のまちづくり提案事業</span></h1>',
                    '<p lang="ja">欅地域で活動する団体</p>',
                    '<li lang="ja">事業計画書</li>',
                    '<li><span lang="ja">地域課題との関連</span>（',
                ],
            ),
            (
                reverse("grants:ranking", args=[programme.pk]),
                [
                    '<h1>Review results for <span lang="ja">欅のまちづくり提案事業</span></h1>',
                    '<span lang="ja">欅の防災マップ</span></a>',
                    ('"><span lang="ja">欅自治会</span></td>', 2),  # in review, approved
                ],
            ),
            (
                reverse("grants:reviewers", args=[in_review.pk]),
                [
                    ': <span lang="ja">欅の防災マップ</span></h1>',
                    '<li><span lang="ja">欅 審査員</span>（',
                ],
            ),
            (
                reverse("grants:decide", args=[in_review.pk]),
                [': <span lang="ja">欅の防災マップ</span></h1>'],
            ),
            (
                in_review.get_absolute_url(),
                ['"><span lang="ja">印刷費</span><br><small lang="ja">欅の地図 100部</small></td>'],
            ),
            (
                reverse("grants:allocation", args=[grant_world["lump_sum"].pk]),
                [
                    '<h1>Area allocation for <span lang="ja">欅の地域一括交付金</span></h1>',
                    '"><span lang="ja">欅地域</span></td>',
                ],
            ),
            (
                reverse("grants:export_file", args=[export.token]),
                [': <span lang="ja">欅のまちづくり提案事業</span></h1>'],
            ),
        ],
    )

    reviewer = signed_in_english(grant_world["reviewer"])
    assert_marked_in_english_only(
        reviewer,
        [
            (
                reverse("grants:my_reviews"),
                [
                    '<span lang="ja">欅の防災マップ</span></a>'
                    '（<span lang="ja">欅のまちづくり提案事業</span>、'
                ],
            ),
            (
                reverse("grants:review", args=[in_review.pk]),
                [
                    ': <span lang="ja">欅の防災マップ</span></h1>',
                    '<dd><span lang="ja">欅自治会</span></dd>',
                    '<p lang="ja">地域の危険箇所',
                    '<p lang="ja">欅の通学路を歩いて点検する</p>',
                    '<li><span lang="ja">欅 副審査員</span>: <span lang="ja">地域課題との関連</span> 3、',
                    ': <span lang="ja">印刷費</span> ',
                    '<span lang="ja">欅の計画書</span></a>',
                ],
            ),
        ],
    )

    applicant = signed_in_english(grant_world["applicant"])
    assert_marked_in_english_only(
        applicant,
        [
            (
                reverse("grants:my_applications"),
                [
                    '<span lang="ja">欅の花壇づくり</span></a>',
                    ('"><span lang="ja">欅自治会</span></td>', 3),  # one per application
                    ('"><span lang="ja">欅のまちづくり提案事業</span></td>', 3),
                ],
            ),
            (
                reverse("grants:apply", args=[programme.pk]),
                ['<h1>Application to <span lang="ja">欅のまちづくり提案事業</span></h1>'],
            ),
            (
                reverse("grants:application_edit", args=[grant_world["draft"].pk]),
                [
                    ': <span lang="ja">欅の花壇づくり</span></h1>',
                    ' <span lang="ja">事業計画書</span></p>',
                    '<span lang="ja">欅の計画書</span></a>',
                    '>Delete <span lang="ja">欅の計画書</span></button>',
                ],
            ),
            (
                reverse("grants:report", args=[grant_world["approved"].pk]),
                [
                    ': <span lang="ja">欅の清掃活動</span></h1>',
                    ': <span lang="ja">欅の写真を添えてください。</span></div>',
                    '<span lang="ja">欅の領収書</span></a>',
                ],
            ),
        ],
    )


@pytest.fixture
def survey_world(area, issue):
    """A register, its draw and a survey on a questionnaire typed by staff,
    with one answer (an issue, a free text) and a volunteer; an earlier
    imported survey to compare with; a panel selection drawn from a file."""
    by = Actor.for_system("tests")
    register = Register.objects.create(
        reference_date=date(2026, 10, 1),
        purpose="欅の暮らしを知るため",
        legal_basis="審議会の承認",
        row_count=1,
    )
    Resident.objects.create(
        register=register,
        line=2,
        resident_number="LJ1",
        name="欅 太郎",
        birth_date=date(1970, 1, 1),
        sex="1",
        postal_code="206-0011",
        address="架空市欅町1番1号",
        district=area.districts.get(),
        needs_review=True,
    )
    draw = draw_sample(
        register=register,
        size=1,
        seed="langja",
        purpose="欅の暮らしを知るため",
        legal_basis="審議会の承認",
        by=by,
    )
    questionnaire = Questionnaire.objects.create(
        title="欅の暮らし調査票", description="欅地域の皆さまへのお願いです。"
    )
    section = Section.objects.create(
        questionnaire=questionnaire,
        order=1,
        title="欅の暮らし",
        description="ふだんの暮らしについて伺います。",
    )
    free_text = Question.objects.create(
        section=section, order=1, kind=Question.Kind.TEXT, text="欅の好きなところを書いてください。"
    )
    Question.objects.create(
        section=section,
        order=2,
        kind=Question.Kind.SINGLE,
        text="欅に住んで何年ですか。",
        choices=["5年未満", "5年以上"],
    )
    Question.objects.create(
        section=section,
        order=3,
        kind=Question.Kind.ISSUE_MATRIX,
        text="欅の地域課題について伺います。",
        issue_numbers=[issue.number],
    )
    survey = create_survey(
        code="LJQ",
        title="欅の暮らしの調査",
        fiscal_year=2026,
        draw=draw,
        questionnaire=questionnaire,
        by=by,
    )
    earlier = Survey.objects.create(code="LJE", title="欅の前回の調査", is_imported=True)
    answers = {}
    for each in (survey, earlier):
        answers[each.code] = Response.objects.create(
            survey=each, answered_on=date(2026, 11, 1), area=area, source=Response.Source.ONLINE
        )
        IssueAnswer.objects.create(
            response=answers[each.code],
            survey=each,
            issue=issue,
            interest=1,
            participation=1,
            expectation=3,
        )
    QuestionAnswer.objects.create(
        response=answers[survey.code], question=free_text, value="駅前の欅がきれいです。"
    )
    volunteer = Volunteer.objects.create(
        survey=survey,
        area=area,
        district=area.districts.get(),
        name="欅 花子",
        contact="090-0000-0000",
        consent_version="1",
        registered_on=date(2026, 11, 1),
    )
    pool = "ID,性別,氏名\r\n" + "".join(
        f"P{n},{'女性' if n % 2 else '男性'},欅 候補{n}\r\n" for n in range(6)
    )

    def selection(title):
        return start_selection(
            title=title,
            area=area,
            source="files",
            size=2,
            reserves=1,
            algorithm="leximin",
            seed=1,
            margin=0,
            people_data=pool.encode("utf-8"),
            people_name="欅の候補者.csv",
            by=by,
        )

    done = selection("欅の選出")
    done = set_quotas(
        selection=done, bounds={(q["feature"], q["value"]): (1, 1) for q in done.quotas}, by=by
    )
    done = run_selection(selection=done, by=by)
    return {
        "register": register,
        "questionnaire": questionnaire,
        "section": section,
        "question": free_text,
        "survey": survey,
        "volunteer": volunteer,
        "selection": done,
        "draft_selection": selection("欅の割当設定中"),
    }


def test_survey_staff_pages_mark_questionnaires_answers_and_people(survey_world):
    world = survey_world
    questionnaire, code = world["questionnaire"], world["survey"].code
    coordinator = english_as(Role.COORDINATOR)
    assert_marked_in_english_only(
        coordinator,
        [
            (reverse("surveys:questionnaires"), ['<span lang="ja">欅の暮らし調査票</span></a>']),
            (
                questionnaire.get_absolute_url(),
                [
                    '<h1><span lang="ja">欅の暮らし調査票</span></h1>',
                    '">1. <span lang="ja">欅の暮らし</span></h2>',
                    '<p class="hint" lang="ja">ふだんの暮らしについて伺います。</p>',
                    '>Edit section “<span lang="ja">欅の暮らし</span>”</a>',
                    '"><span lang="ja">欅の好きなところを書いてください。</span>（',
                    '<span class="hint" lang="ja">5年未満 / 5年以上</span>',
                ],
            ),
            (
                reverse("surveys:questionnaire_preview", args=[questionnaire.pk]),
                [
                    '<h1><span lang="ja">欅の暮らし調査票</span></h1>',
                    '<p lang="ja">欅地域の皆さまへのお願いです。</p>',
                    '"><span lang="ja">欅の暮らし</span></h2>',
                    '<p lang="ja">ふだんの暮らしについて伺います。</p>',
                    '<h3><span lang="ja">欅の地域課題について伺います。</span></h3>',
                    '<legend>90. <span lang="ja">欅並木の手入れ</span></legend>',
                ],
            ),
            (
                reverse(
                    "surveys:questionnaire_question_edit",
                    args=[questionnaire.pk, world["question"].pk],
                ),
                ['<p lang="ja">欅の暮らし調査票</p>'],
            ),
            (
                reverse(
                    "surveys:questionnaire_section_edit",
                    args=[questionnaire.pk, world["section"].pk],
                ),
                ['<p lang="ja">欅の暮らし調査票</p>'],
            ),
            (
                reverse("surveys:survey", args=[code]) + "?compare=LJE",
                [
                    '<h1><span lang="ja">欅の暮らしの調査</span></h1>',
                    ' lang="ja">欅地域</th>',
                    # The issue table and the comparison.
                    (
                        '<th scope="row" data-label="Issue">90. <span lang="ja">欅並木の手入れ</span></th>',
                        2,
                    ),
                    '90. <span lang="ja">欅並木の手入れ</span>（100.0% / 100.0%）',  # figure 1
                    '90. <span lang="ja">欅並木の手入れ</span>（100.0% / 0.0%）',  # figure 2
                    ' selected lang="ja">欅の前回の調査（LJE）</option>',
                    'Comparison with <span lang="ja">欅の前回の調査</span> (',
                ],
            ),
            (
                reverse("surveys:survey_crosstab", args=[code]) + "?dimension=area",
                [
                    '<a href="/surveys/surveys/LJQ/"><span lang="ja">欅の暮らしの調査</span></a>',
                    '<th scope="col" lang="ja">欅地域</th>',
                    '<th scope="row">90. <span lang="ja">欅並木の手入れ</span></th>',
                ],
            ),
            (
                reverse("surveys:survey_free_text", args=[code]),
                [
                    '<p><span lang="ja">欅の暮らしの調査</span>',
                    '<h2><span lang="ja">欅の好きなところを書いてください。</span></h2>',
                    '<li lang="ja">駅前の欅がきれいです。</li>',
                ],
            ),
            (
                reverse("surveys:paper_answer", args=[code]),
                ['<p lang="ja">欅の暮らしの調査</p>', '<legend>90. <span lang="ja">欅並木の手入れ'],
            ),
            (
                reverse("surveys:survey_volunteers", args=[code]),
                [
                    '<p><span lang="ja">欅の暮らしの調査</span>',
                    '"><span lang="ja">欅 花子</span></td>',
                    '"><span lang="ja">欅地域</span></td>',
                    '"><span lang="ja">欅一丁目</span></td>',
                ],
            ),
            (
                reverse("surveys:survey_volunteer_erase", args=[code, world["volunteer"].pk]),
                ['<p lang="ja">欅の暮らしの調査</p>', 'of <span lang="ja">欅 花子</span> will'],
            ),
            (reverse("surveys:registers"), ['" lang="ja">欅の暮らしを知るため</td>']),
            (
                world["register"].get_absolute_url(),
                [
                    '<dd lang="ja">欅の暮らしを知るため</dd>',
                    '<dd lang="ja">審議会の承認',
                    'LJ <span lang="ja">欅地域</span></td>',
                    '"><span lang="ja">欅 太郎</span></td>',
                    '"><span lang="ja">架空市欅町1番1号</span></td>',
                ],
            ),
            (
                reverse("surveys:panels"),
                [
                    '<span lang="ja">欅の選出</span></a>',
                    ('"><span lang="ja">欅地域</span></td>', 2),  # both selections
                ],
            ),
            (
                world["selection"].get_absolute_url(),
                [
                    '<h1><span lang="ja">欅の選出</span></h1>',
                    '<dd><span lang="ja">欅地域</span></dd>',
                    ': <span lang="ja">欅の候補者.csv</span>）',
                    ('<td data-label="Feature"><span lang="ja">性別</span></td>', 2),
                    '<td data-label="Value"><span lang="ja">女性</span></td>',
                    # The panel, the reserves and everyone: headers, then 2 + 1 + 6 rows.
                    ('<th scope="col"><span lang="ja">性別</span></th>', 3),
                    ('<td data-label="性別"><span lang="ja">', 9),
                ],
            ),
            (
                reverse("surveys:panel_quotas", args=[world["draft_selection"].pk]),
                [
                    '<dd><span lang="ja">欅の割当設定中</span></dd>',
                    '<dd><span lang="ja">欅地域</span></dd>',
                    '（<span lang="ja">欅の候補者.csv</span>）',
                    ('<td data-label="Feature"><span lang="ja">性別</span></td>', 2),
                    '<td data-label="Value"><span lang="ja">男性</span>',
                ],
            ),
            (
                reverse("surveys:panel_contacts", args=[world["selection"].pk]),
                [
                    # The panel (2 people) and the reserves (1).
                    ('<th scope="col"><span lang="ja">氏名</span></th>', 2),
                    ('<td data-label="氏名"><span lang="ja">欅 候補', 3),
                ],
            ),
        ],
    )


@pytest.fixture
def meeting_world(area, issue):
    resident = UserFactory(full_name="欅 一郎")
    series = SeriesFactory(area=area, title="欅の連続講座")
    meeting = MeetingFactory(area=area, series=series, title="欅のまちを語る会")
    registration = RegistrationFactory(
        meeting=meeting,
        user=resident,
        name="欅 一郎",
        name_kana="ケヤキ イチロウ",
        accessibility_needs="車いすで参加します",
    )
    Idea.objects.create(meeting=meeting, text="欅並木を守りたい", issue=issue)
    return {
        "resident": resident,
        "series": series,
        "meeting": meeting,
        "registration": registration,
    }


def test_meeting_pages_mark_titles_names_and_ideas(meeting_world):
    meeting, series = meeting_world["meeting"], meeting_world["series"]
    coordinator = english_as(Role.COORDINATOR)
    assert_marked_in_english_only(
        coordinator,
        [
            (
                reverse("meetings:participants", args=[meeting.pk]),
                [
                    '<h1><span lang="ja">欅のまちを語る会</span></h1>',
                    '"><span lang="ja">欅 一郎</span><br><span class="muted" lang="ja">ケヤキ',
                    '"><span lang="ja">車いすで参加します</span>',
                    'for <span lang="ja">欅 一郎</span></button>',
                ],
            ),
            (
                reverse("meetings:check_in", args=[meeting.pk]),
                [
                    '<p lang="ja">欅のまちを語る会</p>',
                    '<strong><span lang="ja">欅 一郎</span></strong> <span class="muted" lang="ja">',
                    '<p class="card__meta"><span lang="ja">車いすで参加します</span>',
                    'Record attendance for <span lang="ja">欅 一郎</span></button>',
                ],
            ),
            (
                reverse("meetings:minutes", args=[meeting.pk]),
                [
                    '<p lang="ja">欅のまちを語る会</p>',
                    ': <span lang="ja">欅並木を守りたい</span></p>',
                    '<span lang="ja">90. 欅並木の手入れ</span>',
                ],
            ),
            (
                reverse("meetings:series_list"),
                [
                    '<span lang="ja">欅の連続講座</span></a>'
                    '<p class="card__meta"><span lang="ja">欅地域</span></p>'
                ],
            ),
            (
                reverse("meetings:funnel", args=[series.pk]),
                [
                    '<h1><span lang="ja">欅の連続講座</span></h1>\n<p lang="ja">欅地域</p>',
                    '<span lang="ja">欅のまちを語る会</span></a><br>',
                ],
            ),
            (
                reverse("meetings:applicants", args=[series.pk]),
                [
                    '<p><span lang="ja">欅の連続講座</span>（<span lang="ja">欅地域</span>）</p>',
                    '"><span lang="ja">欅 一郎</span></td>',
                    '<span lang="ja">欅のまちを語る会</span></a>',
                    'register <span lang="ja">欅 一郎</span> for</label>',
                    f'<option value="{meeting.pk}" lang="ja">欅のまちを語る会',
                ],
            ),
        ],
    )

    starts = meeting.starts_at
    assert_marked_in_english_only(
        english(),
        [
            (
                reverse("meetings:calendar") + f"?year={starts.year}&month={starts.month}",
                [
                    '" lang="ja">欅地域</option>',
                    ' <span lang="ja">欅のまちを語る会</span></a>',
                    '"><span lang="ja">欅のまちを語る会</span></a> — ',
                    '</time>\n <span lang="ja">欅地域</span></li>',
                ],
            )
        ],
    )

    resident = signed_in_english(meeting_world["resident"])
    assert_marked_in_english_only(
        resident,
        [
            (
                reverse("meetings:register", args=[meeting.pk]),
                [
                    '"><span lang="ja">欅のまちを語る会</span></a></li>',
                    '<strong><span lang="ja">欅のまちを語る会</span></strong>',
                ],
            ),
            (
                reverse("meetings:mine"),
                [
                    '"><span lang="ja">欅のまちを語る会</span></a>',
                    '</time>\n <span lang="ja">欅地域</span></p>',
                    '“<span lang="ja">欅のまちを語る会</span>”</button>',
                ],
            ),
            (
                reverse("meetings:feedback", args=[meeting_world["registration"].pk]),
                ['<p><span lang="ja">欅のまちを語る会</span>（'],
            ),
        ],
    )
