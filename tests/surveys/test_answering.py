"""Answering with an access code: pages, draft between visits, one submission,
refusals without hints, the rate limit, paper answers, volunteers and anonymity.
The joins an insider would try on the database are in test_unlinkable.py."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.test import Client

from meetings import funnel
from portal.models import AuditLogEntry, Role
from surveys import selectors
from surveys.models import (
    Draft,
    HeldAnswer,
    Invitation,
    IssueAnswer,
    QuestionAnswer,
    Questionnaire,
    Resident,
    Response,
    Survey,
    Volunteer,
)
from surveys.questionnaires import holding
from surveys.questionnaires.models import Question
from surveys.services import codes as access_codes

from .answer_factories import survey_with_codes
from .factories import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def survey(districts):
    return survey_with_codes()


def questions_of(survey):
    return {
        q.profile or q.kind: q
        for q in Question.objects.filter(section__questionnaire=survey.questionnaire)
    }


def page_data(survey, page):
    """Answers for one page of the standard questionnaire."""
    qs = Question.objects.filter(section__questionnaire=survey.questionnaire).order_by(
        "section__order", "order"
    )
    section_pks = list(survey.questionnaire.sections.order_by("order").values_list("pk", flat=True))
    data = {"action": "next"}
    for q in qs.filter(section_id=section_pks[page]):
        if q.profile == Question.Profile.AGE_BAND:
            data[f"q{q.pk}"] = "6"  # 60代
        elif q.profile == Question.Profile.SEX:
            data[f"q{q.pk}"] = "2"
        elif q.profile == Question.Profile.AREA:
            data[f"q{q.pk}"] = "A02"
        elif q.kind == Question.Kind.ISSUE_MATRIX:
            for n in q.issue_numbers:
                data[f"q{q.pk}_{n}_i"] = "1"
                data[f"q{q.pk}_{n}_p"] = "2"
                data[f"q{q.pk}_{n}_e"] = "1"
        elif q.kind == Question.Kind.LIKERT:
            data[f"q{q.pk}"] = "1"
        elif q.kind == Question.Kind.TEXT:
            data[f"q{q.pk}"] = "公園の清掃に参加したい"
    return data


def enter_code(client, code):
    return client.post("/surveys/answer/", {"code": code})


def release_held(survey):
    """The survey closes and its held answers join the answer tables, as
    the beat job does after the closing day."""
    Survey.objects.filter(pk=survey.pk).update(closes_on=date.today() - timedelta(days=1))
    return holding.release(survey_id=survey.pk, by=SYSTEM)


def test_a_resident_answers_stops_comes_back_and_finishes(survey):
    survey, codes = survey
    client = Client()
    response = enter_code(client, codes[0].lower())
    assert response.status_code == 302 and response["Location"] == "/surveys/answer/questions/"
    page = client.get("/surveys/answer/questions/")
    assert "あなたについて" in page.content.decode()
    assert client.post("/surveys/answer/questions/", page_data(survey, 0)).status_code == 302
    stop = {**page_data(survey, 1), "action": "save"}
    saved = client.post("/surveys/answer/questions/?page=1", stop)
    assert "ここまでの回答を保存しました" in saved.content.decode()
    invitation = Invitation.objects.get(draw=survey.draw, number=1)
    assert Draft.objects.get(invitation=invitation).page == 1
    # Kept by invitation, so sealed: the database shows no answer in it.
    assert "60代" not in Draft.objects.get().sealed and Draft.objects.get().data

    # Another day, another browser: the same code opens the page where they stopped.
    later = Client()
    enter_code(later, codes[0])
    resumed = later.get("/surveys/answer/questions/")
    body = resumed.content.decode()
    assert "前回の続きから表示しています" in body and "地域の課題について（1）" in body
    later.post("/surveys/answer/questions/?page=1", page_data(survey, 1))
    later.post("/surveys/answer/questions/?page=2", page_data(survey, 2))
    finish = later.post("/surveys/answer/questions/?page=3", page_data(survey, 3))
    assert finish["Location"] == "/surveys/answer/finish/"
    done = later.post(
        "/surveys/answer/finish/",
        {
            "action": "submit",
            "wants": "yes",
            "name": "架空 花子",
            "contact": "090-0000-0000",
            "consent": "on",
        },
    )
    assert "ご回答ありがとうございました" in done.content.decode()

    # Held, sealed, until a batch adds it to the answer tables.
    assert not Response.objects.exists() and HeldAnswer.objects.filter(survey=survey).count() == 1
    assert "公園の清掃" not in HeldAnswer.objects.get().sealed
    assert release_held(survey) == 1
    answer = Response.objects.get(survey=survey)
    assert (answer.age_band, answer.sex, answer.area.code) == ("60代", "2", "A02")
    assert answer.answered_on == date.today()
    assert IssueAnswer.objects.filter(response=answer).count() == 21
    assert IssueAnswer.objects.filter(response=answer, interest=1, participation=2).count() == 21
    assert (
        QuestionAnswer.objects.get(response=answer, question__kind="text").value
        == "公園の清掃に参加したい"
    )
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    # Only the day: no time of day to match against the answer.
    local = invitation.answered_at.astimezone()
    assert (local.hour, local.minute, local.second) == (0, 0, 0)
    assert not Draft.objects.exists()
    # The volunteer record has the letter's bands, not the answer's ("A02",
    # 60代, 女): copied from the answer they would pair the two.
    volunteer = Volunteer.objects.get()
    assert volunteer.area_id == invitation.area_id
    assert (volunteer.age_band, volunteer.sex) == (
        holding_age_band(invitation),
        invitation.sex,
    )
    assert volunteer.consent_version == survey.consent_version
    assert Questionnaire.objects.get(pk=survey.questionnaire_id).is_frozen

    # The code now refuses a second submission.
    again = Client()
    enter_code(again, codes[0])
    refused = again.get("/surveys/answer/questions/")
    assert "すでに回答をいただいています" in refused.content.decode()
    assert Response.objects.count() == 1 and not HeldAnswer.objects.exists()


def holding_age_band(invitation):
    from surveys.questionnaires.services import age_band_of_invitation

    return age_band_of_invitation(invitation.age_band)


def test_wrong_codes_get_one_message_and_the_page_is_rate_limited(survey):
    survey, codes = survey
    client = Client()
    messages = set()
    for wrong in ["AAAA-BBBB-CCCC", "short", codes[1][:-1] + ("0" if codes[1][-1] != "0" else "1")]:
        body = enter_code(client, wrong).content.decode()
        messages.add("アクセスコードが正しくありません" in body)
    assert messages == {True}
    for _n in range(access_codes.LIMIT.per_client):
        enter_code(client, "ZZZZ-ZZZZ-ZZZZ")
    limited = enter_code(client, codes[1])
    assert limited.status_code == 429
    assert "しばらく入力を受け付けません" in limited.content.decode()
    # Another address is not held up; the count lives in the shared cache.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert enter_code(other, codes[1]).status_code == 302


def test_an_expired_survey_refuses_with_a_clear_message(districts):
    survey, codes = survey_with_codes(code="OLD", closes_on=date(2020, 1, 1))
    client = Client()
    enter_code(client, codes[0])
    body = client.get("/surveys/answer/questions/").content.decode()
    assert "回答の受付は終了しました" in body


def test_the_letter_qr_code_moves_the_code_into_the_session(survey):
    survey, codes = survey
    client = Client()
    response = client.get(f"/surveys/answer/?code={codes[2]}")
    assert response["Location"] == "/surveys/answer/questions/"


def test_staff_key_in_a_paper_answer_with_its_code(survey, client_as):
    survey, codes = survey
    client = client_as(Role.COORDINATOR)
    data = {"paper-code": codes[3]}
    for page in range(4):
        data.update(page_data(survey, page))
    response = client.post(f"/surveys/surveys/{survey.code}/paper/", data)
    assert response.status_code == 302
    again = client.post(f"/surveys/surveys/{survey.code}/paper/", data)
    assert "すでに回答をいただいています" in again.content.decode()
    # Held like a web answer: the database does not pair it with its letter either.
    assert HeldAnswer.objects.count() == 1 and not Response.objects.exists()
    release_held(survey)
    answer = Response.objects.get()
    assert answer.source == Response.Source.PAPER


def test_the_analysis_page_counts_an_answer_at_once_and_adds_it_with_its_batch(
    survey, client_as, django_assert_max_num_queries
):
    # An answer alone in the tables the moment it is keyed in would be
    # paired with its letter by the time it arrived: the response rate
    # counts it at once, the tables take it with its batch.
    survey, codes = survey
    client = client_as(Role.COORDINATOR)
    url = f"/surveys/surveys/{survey.code}/"

    def shown():
        page = client.get(url).content.decode()
        return (
            page.count("回答数 1 件"),
            page.count("回答 1 件"),
            page.count("集計待ち 1 件"),
        )

    assert shown() == (0, 0, 0)
    # Seen again with no new answer: the tables come from their cache.
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    data = {"paper-code": codes[3]}
    for page in range(4):
        data.update(page_data(survey, page))
    assert client.post(f"{url}paper/", data).status_code == 302
    assert shown() == (0, 1, 1)  # the response rate, and one answer held
    assert "まとめて順番を入れ替えてから集計に加えます" in client.get(url).content.decode()
    release_held(survey)
    assert shown() == (1, 1, 0)


def test_free_text_and_volunteers_are_for_survey_staff_only(survey, client_as):
    survey, _codes = survey
    for role in (Role.LIAISON_OFFICER, Role.ADMINISTRATOR):
        client = client_as(role)
        assert client.get(f"/surveys/surveys/{survey.code}/free-text/").status_code == 403
        assert client.get(f"/surveys/surveys/{survey.code}/volunteers/").status_code == 403
    client = client_as(Role.COORDINATOR)
    assert client.get(f"/surveys/surveys/{survey.code}/volunteers/").status_code == 200
    assert AuditLogEntry.objects.filter(action="surveys.volunteers.viewed").exists()


def test_volunteers_for_the_panel_and_the_meetings_funnel(survey):
    from meetings.models import MeetingSeries

    survey, codes = survey
    client = Client()
    enter_code(client, codes[0])
    for page in range(4):
        client.post(f"/surveys/answer/questions/?page={page}", page_data(survey, page))
    client.post(
        "/surveys/answer/finish/",
        {
            "action": "submit",
            "wants": "yes",
            "name": "架空 一郎",
            "contact": "a@example.jp",
            "consent": "on",
        },
    )
    area = Volunteer.objects.get().area
    assert [v.name for v in selectors.volunteers_for_area(area)] == ["架空 一郎"]
    invitation_area = Invitation.objects.get(draw=survey.draw, number=1).area
    series = MeetingSeries(area=invitation_area, title="地域の会議")
    sampled, answered, source = funnel.survey_figures(series)
    assert source == "survey"
    assert sampled == Invitation.objects.filter(area=invitation_area).count()
    assert answered == 1


def test_volunteering_needs_name_contact_and_consent(survey):
    survey, codes = survey
    client = Client()
    enter_code(client, codes[0])
    for page in range(4):
        client.post(f"/surveys/answer/questions/?page={page}", page_data(survey, page))
    response = client.post("/surveys/answer/finish/", {"action": "submit", "wants": "yes"})
    assert "同意が必要です" in response.content.decode()
    assert not Response.objects.exists()


# --- Anonymity by construction ----------------------------------------------

ANSWER_MODELS = (Response, IssueAnswer, QuestionAnswer, HeldAnswer)
IDENTIFYING = {Resident, Invitation, Draft, Volunteer}


def _to_one_neighbours(model):
    """Models one row of `model` points at (FK, one-to-one, reverse one-to-one)."""
    for field in model._meta.get_fields():
        if field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model:
            yield field.related_model


def test_no_database_path_leads_from_an_answer_to_a_resident():
    # Follow every to-one relation from the answer tables: a path that
    # identifies one row. None may reach a resident, an invitation (and its
    # code), a draft or a volunteer.
    for start in ANSWER_MODELS:
        seen, stack = set(), [start]
        while stack:
            model = stack.pop()
            if model in seen:
                continue
            seen.add(model)
            assert model not in IDENTIFYING, f"{start.__name__} reaches {model.__name__}"
            stack.extend(_to_one_neighbours(model))
    # Nor does any of those tables hold an identifying value or a time finer than the day.
    for model in ANSWER_MODELS:
        assert isinstance(model._meta.pk, models.UUIDField), model
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField), field
            assert not any(w in field.name for w in ("code", "invitation", "resident", "name")), (
                field
            )
            assert field.name != "created_at"
    # And nothing points into the answers from the identifying tables.
    for model in IDENTIFYING:
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model not in ANSWER_MODELS, field
    assert apps.get_model("surveys", "Response") is Response


def test_the_answer_audit_row_keeps_the_survey_and_the_day_only(survey):
    survey, codes = survey
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (answering)")
    enter_code(client, codes[0])
    for page in range(4):
        client.post(f"/surveys/answer/questions/?page={page}", page_data(survey, page))
    client.post("/surveys/answer/finish/", {"action": "submit", "wants": "no"})
    entry = AuditLogEntry.objects.get(action="surveys.answer.received")
    assert (entry.target_type, entry.target_id) == ("surveys.survey", str(survey.pk))
    assert entry.data == {"source": "online"}
    assert (entry.ip_address, entry.user_agent, entry.request_path) == (None, "", "")
    local = entry.created_at.astimezone()
    assert (local.date(), local.hour, local.minute, local.second) == (date.today(), 0, 0, 0)
    # Nothing written while answering names the invitation.
    invitation = Invitation.objects.get(answered_at__isnull=False)
    assert not AuditLogEntry.objects.filter(
        target_type="surveys.invitation", target_id=str(invitation.pk)
    ).exists()
    release_held(survey)
    answer = Response.objects.get()
    for entry in AuditLogEntry.objects.all():
        assert str(answer.pk) not in str(entry.__dict__)


def test_an_answer_that_cannot_be_held_leaves_the_letter_unanswered(survey, monkeypatch):
    from surveys.questionnaires import services

    survey, _codes = survey
    invitation = Invitation.objects.get(draw=survey.draw, number=1)

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(holding, "hold", broken)
    with pytest.raises(RuntimeError):
        services.submit_answer(
            invitation=invitation,
            data={},
            volunteer={"name": "架空 一郎", "contact": "a@example.jp"},
            by=SYSTEM,
        )
    invitation.refresh_from_db()
    # The resident can send again: no mark, no volunteer record, nothing held.
    assert invitation.answered_at is None
    assert not Volunteer.objects.exists() and not HeldAnswer.objects.exists()


def test_sealed_answers_open_with_the_previous_key_after_a_rotation(settings):
    from surveys.questionnaires import sealing

    settings.SECRET_KEY = "the-old-key-" + "x" * 40
    sealed = sealing.seal({"q1": "公園"})
    settings.SECRET_KEY = "the-new-key-" + "y" * 40
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(sealed)
    settings.SECRET_KEY_FALLBACKS = ["the-old-key-" + "x" * 40]
    assert sealing.unseal(sealed) == {"q1": "公園"}
    # A long answer takes the next size, every short one the same.
    assert len(sealing.seal({"q": "あ"})) == len(sealing.seal({"q": "あ" * 3000}))
    assert len(sealing.seal({"q": "あ" * 6000})) > len(sealing.seal({"q": "あ"}))
