"""Volunteers from the questionnaire's last page, used by the other parts:
applicants of the area's meeting series (and its funnel), and the pool of a
fair panel selection, driven through the pages as each role."""

from datetime import date

import pytest
from django.core.cache import cache
from django.test import Client

from meetings.models import Registration
from portal.audit import Actor
from portal.models import AuditLogEntry, Job, Role
from surveys import selectors
from surveys.models import Invitation, Register, Volunteer
from surveys.panels.models import PanelSelection
from surveys.questionnaires import services as questionnaires
from surveys.services import codes as access_codes
from tests.factories import UserFactory
from tests.meetings.factories import MeetingFactory, SeriesFactory

from .factories import LEGAL, SYSTEM
from .panels.factories import area_register
from .test_answering import enter_code, page_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def signed_in(role):
    client = Client()
    client.force_login(UserFactory(role=role))
    return client


def a01_survey(size=40):
    """A survey on a draw of the register of `area_register` (A01 adults in
    桜ヶ丘一丁目 and 二丁目), with the standard questionnaire copied."""
    from surveys import services as survey_services
    from tests.surveys.answer_factories import ensure_catalogue

    ensure_catalogue()
    area = area_register()
    register = Register.objects.get()
    draw = survey_services.draw_sample(
        register=register, size=size, seed="volunteers", method="simple", by=SYSTEM, **LEGAL
    )
    by = Actor.for_system("tests")
    copy = questionnaires.copy_questionnaire(
        questionnaire=questionnaires.standard_questionnaire(by=by), title="調査票", by=by
    )
    survey = questionnaires.create_survey(
        code="R8V",
        title="令和8年度 市民意識調査",
        fiscal_year=2026,
        draw=draw,
        questionnaire=copy,
        closes_on=date(2099, 3, 31),
        by=by,
    )
    return area, survey


def answer_on_the_web(survey, invitation, *, name, contact):
    """The resident's whole journey with the code of their letter, leaving
    the area question unanswered (the letter's area stands)."""
    client = Client()
    enter_code(client, access_codes.decrypt(invitation.code_encrypted))
    for page in range(4):
        data = page_data(survey, page)
        data = {k: v for k, v in data.items() if v != "A02"}
        client.post(f"/surveys/answer/questions/?page={page}", data)
    done = client.post(
        "/surveys/answer/finish/",
        {"action": "submit", "wants": "yes", "name": name, "contact": contact, "consent": "on"},
    )
    assert "ご回答ありがとうございました" in done.content.decode()


def a01_invitations(survey):
    return list(
        Invitation.objects.filter(draw=survey.draw, area__code="A01")
        .select_related("resident__district")
        .order_by("number")
    )


# --- Applicants of the area's meeting series ------------------------------------------


def test_a_volunteer_is_an_applicant_of_the_areas_series_and_counts_in_its_funnel():
    area, survey = a01_survey(size=10)
    invitation = a01_invitations(survey)[0]
    answer_on_the_web(survey, invitation, name="架空 一郎", contact="ichiro@example.jp")
    volunteer = Volunteer.objects.get()
    # The letter's district is kept for the panel's quotas; the answer is not linked.
    assert volunteer.area == area and volunteer.district == invitation.resident.district
    assert volunteer.age_band.endswith("代")

    series = SeriesFactory(area=area, title="北部エリアミーティング")
    other_series = SeriesFactory(title="よその地域のシリーズ")
    coordinator = signed_in(Role.COORDINATOR)
    page = coordinator.get(f"/meetings/staff/series/{series.pk}/applicants/").content.decode()
    assert "架空 一郎" in page and "ichiro@example.jp" in page
    assert "アンケートで参加を希望" in page and "まだ申し込んでいません" in page
    assert volunteer.district.name in page
    entry = AuditLogEntry.objects.get(action="meetings.applicants.viewed")
    assert entry.data == {"rows": 1, "volunteers": 1} and "架空" not in str(entry.data)
    other = coordinator.get(f"/meetings/staff/series/{other_series.pk}/applicants/")
    assert "架空 一郎" not in other.content.decode()

    funnel = coordinator.get(f"/meetings/staff/series/{series.pk}/").content.decode()
    assert "申込みのうちアンケートで参加を希望した人: 1人" in funnel
    assert f"/meetings/staff/series/{series.pk}/applicants/" in funnel

    # Registering later with the same address: still one applicant, both sources.
    meeting = MeetingFactory(area=area, series=series, title="第1回")
    Registration.objects.create(
        meeting=meeting, name="架空 一郎", email="Ichiro@example.jp", source="invitation"
    )
    Registration.objects.create(meeting=meeting, name="別の 人", email="other@example.jp")
    Registration.objects.create(meeting=meeting, name="当日 参加", source="walk_in")
    page = coordinator.get(f"/meetings/staff/series/{series.pk}/applicants/").content.decode()
    assert page.count(">架空 一郎</td>") == 1 and "別の 人" in page and "当日 参加" not in page
    assert "第1回" in page
    funnel = coordinator.get(f"/meetings/staff/series/{series.pk}/")
    stages = {s.key: s.count for s in funnel.context["report"]["stages"]}
    assert stages["applied"] == 2
    assert stages["answered"] == 1

    export = coordinator.get(f"/meetings/staff/series/{series.pk}/applicants.csv")
    text = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    assert text.splitlines()[0].startswith("申込日,氏名,連絡先")
    assert "ichiro@example.jp" in text.lower() and len(text.splitlines()) == 3
    assert AuditLogEntry.objects.get(action="meetings.applicants.exported").data["rows"] == 2


def test_only_coordinators_see_applicants_contacts():
    area, survey = a01_survey(size=10)
    answer_on_the_web(survey, a01_invitations(survey)[0], name="架空 花子", contact="090-1234-5678")
    series = SeriesFactory(area=area)
    for role in (Role.LIAISON_OFFICER, Role.ADMINISTRATOR, Role.REVIEWER):
        client = signed_in(role)
        assert client.get(f"/meetings/staff/series/{series.pk}/applicants/").status_code == 403
        assert client.get(f"/meetings/staff/series/{series.pk}/applicants.csv").status_code == 403
    # The funnel page (all staff) shows the count only, and no link to the contacts.
    officer = signed_in(Role.LIAISON_OFFICER)
    page = officer.get(f"/meetings/staff/series/{series.pk}/").content.decode()
    assert "架空 花子" not in page and "090-1234-5678" not in page
    assert "/applicants/" not in page
    assert "申込みのうちアンケートで参加を希望した人: 1人" in page


# --- The panel pool from the real volunteer records -------------------------------------


def test_a_panel_is_selected_from_the_areas_real_volunteers(django_capture_on_commit_callbacks):
    area, survey = a01_survey(size=40)
    invitations = a01_invitations(survey)
    assert len(invitations) >= 20
    # Two on the web, the rest as paper answers keyed in with their volunteer slips.
    answer_on_the_web(survey, invitations[0], name="架空 一郎", contact="ichiro@example.jp")
    answer_on_the_web(survey, invitations[1], name="架空 二郎", contact="042-000-0002")
    for n, invitation in enumerate(invitations[2:20], start=3):
        questionnaires.submit_answer(
            invitation=invitation,
            data={},
            volunteer={"name": f"ボランティア{n:02d}", "contact": f"v{n:02d}@example.jp"},
            source="paper",
            by=SYSTEM,
        )
    assert len(selectors.volunteers_for_area(area)) == 20
    assert all(v.district_id for v in selectors.volunteers_for_area(area))

    coordinator = signed_in(Role.COORDINATOR)
    response = coordinator.post(
        "/surveys/panels/new/",
        {
            "title": "北部地域 まちづくり会議",
            "source": "volunteers",
            "area": area.pk,
            "size": 6,
            "reserves": 3,
            "margin": 2,
            "algorithm": "leximin",
            "seed": 2026,
        },
    )
    selection = PanelSelection.objects.get()
    assert response.status_code == 302, response.content.decode()
    assert selection.source == "volunteers" and selection.pool_size == 20
    assert {q["feature"] for q in selection.quotas} == {"年代", "性別", "地区"}
    districts = {q["value"] for q in selection.quotas if q["feature"] == "地区"}
    assert districts <= {"桜ヶ丘一丁目", "桜ヶ丘二丁目"}
    # The register counts the area's residents for the district targets.
    assert all(q["population"] for q in selection.quotas if q["feature"] == "地区")
    page = coordinator.get(response["Location"]).content.decode()
    assert "最大剰余法" in page

    quotas = {}
    for i in range(len(selection.quotas)):
        quotas[f"min_{i}"], quotas[f"max_{i}"] = 0, 6
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(f"/surveys/panels/{selection.pk}/quotas/", quotas)
    job = Job.objects.get(kind="surveys.panels.select")
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.message
    selection.refresh_from_db()
    assert len(selection.panel) == 6 and len(selection.reserve_ids) == 3
    ids = {str(v.pk) for v in Volunteer.objects.all()}
    assert set(selection.panel) | set(selection.reserve_ids) <= ids
    assert sum(selection.probabilities.values()) == pytest.approx(6, abs=1e-6)

    result = coordinator.get(f"/surveys/panels/{selection.pk}/").content.decode()
    assert "補欠（連絡する順）" in result
    assert f"{selection.lowest_probability:.4f}" in result
    # No names or contacts on the result page, even for coordinators.
    for name, contact in Volunteer.objects.values_list("name", "contact"):
        assert name not in result and contact not in result

    panel_names = set(
        Volunteer.objects.filter(pk__in=selection.panel).values_list("name", "contact")
    )
    contacts = coordinator.get(f"/surveys/panels/{selection.pk}/contacts/").content.decode()
    for name, contact in panel_names:
        assert name in contacts and contact in contacts
    assert AuditLogEntry.objects.filter(action="surveys.panel_contacts.viewed").count() == 1
    for role in (Role.ADMINISTRATOR, Role.LIAISON_OFFICER):
        assert signed_in(role).get(f"/surveys/panels/{selection.pk}/contacts/").status_code == 403


def test_a_volunteer_without_a_known_district_is_named_when_the_pool_is_built():
    area, survey = a01_survey(size=10)
    invitation = a01_invitations(survey)[0]
    questionnaires.submit_answer(
        invitation=invitation,
        data={},
        volunteer={"name": "架空 三郎", "contact": "saburo@example.jp"},
        by=SYSTEM,
    )
    Volunteer.objects.update(district=None)
    coordinator = signed_in(Role.COORDINATOR)
    response = coordinator.post(
        "/surveys/panels/new/",
        {
            "title": "x",
            "source": "volunteers",
            "area": area.pk,
            "size": 1,
            "reserves": 0,
            "margin": 1,
            "algorithm": "maximin",
            "seed": 1,
        },
    )
    assert response.status_code == 200
    assert "年代・性別・地区のわからないボランティアがいます" in response.content.decode()
    assert not PanelSelection.objects.exists()


# --- The demo -----------------------------------------------------------------------------


def test_the_demo_selects_its_panel_from_its_volunteer_records_and_runs_twice():
    import io

    from django.core.management import call_command

    from meetings import demo as meetings_demo
    from meetings.models import MeetingSeries
    from portal.models import User
    from surveys.panels import demo as panels_demo

    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    volunteers = Volunteer.objects.filter(area__code="A01")
    assert volunteers.count() == 26 and not volunteers.filter(district=None).exists()
    selection = PanelSelection.objects.get(title=panels_demo.VOLUNTEERS_TITLE)
    assert selection.source == "volunteers" and selection.status == "done"
    assert selection.pool_size == 26
    assert len(selection.panel) == 10 and len(selection.reserve_ids) == 5
    ids = {str(pk) for pk in volunteers.values_list("pk", flat=True)}
    assert set(selection.panel) | set(selection.reserve_ids) <= ids
    assert PanelSelection.objects.filter(title=panels_demo.DEMO_TITLE).count() == 1

    # The demo's coordinator finds them as applicants of the A01 series.
    series = MeetingSeries.objects.get(title=meetings_demo.SERIES_TITLE)
    client = Client()
    client.force_login(User.objects.get(email="coordinator@example.jp"))
    page = client.get(f"/meetings/staff/series/{series.pk}/applicants/").content.decode()
    assert volunteers.first().name in page
    funnel = client.get(f"/meetings/staff/series/{series.pk}/")
    report = funnel.context["report"]
    # The figures come from the survey's records and make a funnel.
    assert report["source"] == "survey"
    counts = [s.count for s in report["stages"]]
    assert [s.key for s in report["stages"]] == [
        "sampled",
        "answered",
        "applied",
        "registered",
        "attended",
    ]
    assert all(isinstance(c, int) and c > 0 for c in counts)
    assert counts == sorted(counts, reverse=True), counts
    stages = dict(zip([s.key for s in report["stages"]], counts, strict=True))
    assert stages["applied"] == 26 + 11  # volunteers + the registrants (one per phone)
    assert report["volunteers"] == 26


def test_staff_key_in_a_volunteer_slip_with_a_paper_answer():
    area, survey = a01_survey(size=10)
    invitation = a01_invitations(survey)[0]
    coordinator = signed_in(Role.COORDINATOR)
    url = f"/surveys/surveys/{survey.code}/paper/"
    page = coordinator.get(url).content.decode()
    assert "地域の会議への参加希望（最後のページ）" in page
    data = {"paper-code": access_codes.decrypt(invitation.code_encrypted)}
    for n in range(4):
        data.update({k: v for k, v in page_data(survey, n).items() if v != "A02"})
    missing = coordinator.post(url, {**data, "volunteer-wants": "yes"})
    assert "同意が必要です" in missing.content.decode()
    assert not Volunteer.objects.exists()
    response = coordinator.post(
        url,
        {
            **data,
            "volunteer-wants": "yes",
            "volunteer-name": "紙の 参加者",
            "volunteer-contact": "042-111-2222",
            "volunteer-consent": "on",
        },
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert volunteer.name == "紙の 参加者" and volunteer.area == area
    assert volunteer.district == invitation.resident.district
