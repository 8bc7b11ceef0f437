"""Volunteer records after the survey: erased by hand and by the purge
policy (counts kept for the funnel), counted by one meeting series only,
registered for a meeting from the applicant list, and one person per e-mail
address or telephone number. Driven through the pages as each role."""

import datetime
from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from meetings.models import Meeting, Registration
from portal.models import AuditLogEntry, Role
from surveys import services as survey_services
from surveys.models import Draw, Register, Volunteer, VolunteerErasure
from surveys.questionnaires import services as questionnaires
from tests.meetings.factories import MeetingFactory, SeriesFactory

from .factories import LEGAL, SYSTEM
from .test_volunteers import a01_invitations, a01_survey, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


def volunteer(survey, invitation, name, contact):
    questionnaires.submit_answer(
        invitation=invitation,
        data={},
        volunteer={"name": name, "contact": contact},
        source="paper",
        by=SYSTEM,
    )
    return Volunteer.objects.get(name=name)


def stages(client, series):
    report = client.get(f"/meetings/staff/series/{series.pk}/").context["report"]
    return {s.key: s.count for s in report["stages"]}


def applicants_page(client, series):
    return client.get(f"/meetings/staff/series/{series.pk}/applicants/").content.decode()


# --- Erasing by hand ----------------------------------------------------------------------


def test_the_erase_page_that_shows_a_volunteers_name_writes_an_audit_row():
    area, survey = a01_survey(size=10)
    (first,) = a01_invitations(survey)[:1]
    hanako = volunteer(survey, first, "架空 花子", "090-1234-5678")
    coordinator = signed_in(Role.COORDINATOR)
    before = AuditLogEntry.objects.filter(action="surveys.volunteers.viewed").count()
    page = coordinator.get(f"/surveys/surveys/{survey.code}/volunteers/{hanako.pk}/erase/")
    assert "架空 花子" in page.content.decode()
    entry = AuditLogEntry.objects.filter(action="surveys.volunteers.viewed").latest("pk")
    assert AuditLogEntry.objects.filter(action="surveys.volunteers.viewed").count() == before + 1
    assert entry.actor is not None and entry.target_repr == f"参加希望者 #{hanako.pk}"
    assert entry.request_path.endswith("/erase/") and "花子" not in str(entry.data)


def test_a_coordinator_erases_one_volunteer_after_confirming_and_the_funnel_keeps_the_count():
    area, survey = a01_survey(size=10)
    first, second = a01_invitations(survey)[:2]
    volunteer(survey, first, "架空 一郎", "ichiro@example.jp")
    hanako = volunteer(survey, second, "架空 花子", "090-1234-5678")
    series = SeriesFactory(area=area)
    coordinator = signed_in(Role.COORDINATOR)
    assert stages(coordinator, series)["applied"] == 2

    listing = coordinator.get(f"/surveys/surveys/{survey.code}/volunteers/").content.decode()
    url = f"/surveys/surveys/{survey.code}/volunteers/{hanako.pk}/erase/"
    assert url in listing
    confirm = coordinator.get(url).content.decode()
    assert "架空 花子 さんのお名前と連絡先を消去します" in confirm and "元に戻せません" in confirm
    assert Volunteer.objects.filter(pk=hanako.pk).exists()  # a GET erases nothing

    response = coordinator.post(url)
    assert response.status_code == 302
    assert not Volunteer.objects.filter(pk=hanako.pk).exists()
    assert not Volunteer.objects.filter(contact="090-1234-5678").exists()
    listing = coordinator.get(response["Location"]).content.decode()
    assert "参加希望者 1 人の記録を消去しました" in listing
    assert "これまでに消去した参加希望者: 1人" in listing
    assert "架空 花子" not in listing and "架空 一郎" in listing

    entry = AuditLogEntry.objects.get(action="surveys.volunteers.erased")
    assert entry.data["erased"] == 1 and entry.data["reason"] == "hand"
    assert "架空" not in str(entry.data) and "090" not in str(entry.data)
    erasure = VolunteerErasure.objects.get()
    assert (erasure.erased, erasure.unregistered, erasure.area) == (1, 1, area)

    # Gone from the applicants, still counted (as a number) in the funnel.
    assert "架空 花子" not in applicants_page(coordinator, series)
    figures = stages(coordinator, series)
    assert figures["applied"] == 2 and figures["answered"] == 2
    funnel = coordinator.get(f"/meetings/staff/series/{series.pk}/").content.decode()
    assert "申込みのうちアンケートで参加を希望した人: 2人" in funnel

    # The record is gone: its erase page is not found.
    assert coordinator.post(url).status_code == 404


def test_erasing_all_of_a_surveys_volunteers_keeps_those_who_registered_as_registrants():
    area, survey = a01_survey(size=10)
    invitations = a01_invitations(survey)
    volunteer(survey, invitations[0], "架空 一郎", "ichiro@example.jp")
    volunteer(survey, invitations[1], "架空 二郎", "042-000-0002")
    volunteer(survey, invitations[2], "架空 三郎", "saburo@example.jp")
    series = SeriesFactory(area=area)
    meeting = MeetingFactory(area=area, series=series, title="第1回")
    # 一郎 registered himself; he stays an applicant through his registration.
    Registration.objects.create(meeting=meeting, name="架空 一郎", email="ichiro@example.jp")
    coordinator = signed_in(Role.COORDINATOR)
    assert stages(coordinator, series)["applied"] == 3

    url = f"/surveys/surveys/{survey.code}/volunteers/erase/"
    assert (
        "参加希望者 3 人全員のお名前と連絡先を消去します" in coordinator.get(url).content.decode()
    )
    for role in (Role.LIAISON_OFFICER, Role.ADMINISTRATOR):
        assert signed_in(role).post(url).status_code == 403
    assert Volunteer.objects.count() == 3
    coordinator.post(url)
    assert not Volunteer.objects.exists()
    erasure = VolunteerErasure.objects.get()
    assert (erasure.erased, erasure.unregistered) == (3, 2)
    figures = stages(coordinator, series)
    assert figures["applied"] == 3 and figures["registered"] == 1
    page = applicants_page(coordinator, series)
    assert "架空 一郎" in page and "架空 二郎" not in page and "架空 三郎" not in page


# --- The purge policy -----------------------------------------------------------------------


def test_the_purge_policy_erases_volunteers_once_their_series_is_over_and_audits_it(settings):
    from surveys import tasks

    settings.SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS = 90
    area, survey = a01_survey(size=10)
    invitations = a01_invitations(survey)
    volunteer(survey, invitations[0], "架空 一郎", "ichiro@example.jp")
    volunteer(survey, invitations[1], "架空 二郎", "042-000-0002")
    # The letters went out 500 days ago, before the series began.
    Draw.objects.filter(pk=survey.draw_id).update(
        created_at=timezone.now() - datetime.timedelta(days=500)
    )
    series = SeriesFactory(area=area)
    today = timezone.localdate()
    # The survey closed long ago, but a meeting of its series is still to come: kept.
    survey.closes_on = today - datetime.timedelta(days=400)
    survey.save(update_fields=["closes_on"])
    meeting = MeetingFactory(area=area, series=series)
    assert tasks.purge_expired_volunteers.delay().get() == 0
    assert Volunteer.objects.count() == 2

    # The last meeting was 91 days ago: past keeping.
    ended = timezone.now() - datetime.timedelta(days=91)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=ended - datetime.timedelta(hours=2),
        ends_at=ended,
        status=Meeting.Status.HELD,
    )
    assert tasks.purge_expired_volunteers.delay().get() == 2
    assert not Volunteer.objects.exists()
    entry = AuditLogEntry.objects.get(action="surveys.volunteers.erased")
    assert entry.data["reason"] == "policy" and entry.data["erased"] == 2
    assert entry.actor_email == "system:surveys.purge_policy"
    assert "架空" not in str(entry.data)
    erasure = VolunteerErasure.objects.get()
    assert erasure.reason == "policy" and erasure.erased == 2
    # The funnel still counts them.
    assert stages(signed_in(Role.COORDINATOR), series)["applied"] == 2
    # Nothing left to purge.
    assert tasks.purge_expired_volunteers.delay().get() == 0


def test_the_purge_policy_waits_for_the_survey_to_close_when_no_series_counts_it(settings):
    from django.core.management import call_command

    settings.SURVEYS_VOLUNTEER_PURGE_AFTER_DAYS = 30
    area, survey = a01_survey(size=10)
    volunteer(survey, a01_invitations(survey)[0], "架空 一郎", "ichiro@example.jp")
    call_command("purge_volunteers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Volunteer.objects.count() == 1  # closes in 2099
    survey.closes_on = timezone.localdate() - datetime.timedelta(days=31)
    survey.save(update_fields=["closes_on"])
    call_command("purge_volunteers", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Volunteer.objects.exists()
    assert AuditLogEntry.objects.filter(action="surveys.volunteers.erased").count() == 1


def test_the_beat_schedule_runs_the_volunteer_purge_daily():
    from portal.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}
    assert "surveys.tasks.purge_expired_volunteers" in tasks


# --- Time scoping: one series per survey and area -------------------------------------------


def test_two_series_of_one_area_do_not_count_the_same_people():
    area, this_year = a01_survey(size=20)
    register = Register.objects.get()
    # Last year's survey (its sample drawn 400 days ago) and last year's series.
    old_draw = survey_services.draw_sample(
        register=register, size=10, seed="last-year", method="simple", by=SYSTEM, **LEGAL
    )
    Draw.objects.filter(pk=old_draw.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=400)
    )
    last_year = questionnaires.create_survey(
        code="R7V",
        title="令和7年度 市民意識調査",
        fiscal_year=2025,
        draw=old_draw,
        questionnaire=this_year.questionnaire,
        closes_on=date(2099, 3, 31),
        by=SYSTEM,
    )
    old_series = SeriesFactory(area=area, title="2025年のシリーズ")
    long_ago = timezone.now() - datetime.timedelta(days=300)
    MeetingFactory(
        area=area,
        series=old_series,
        starts_at=long_ago,
        ends_at=long_ago + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
    )
    new_series = SeriesFactory(area=area, title="2026年のシリーズ")

    old_invitation = a01_invitations(last_year)[0]
    new_invitation = a01_invitations(this_year)[0]
    volunteer(last_year, old_invitation, "去年 一郎", "kyonen@example.jp")
    volunteer(this_year, new_invitation, "今年 花子", "kotoshi@example.jp")

    coordinator = signed_in(Role.COORDINATOR)
    old_page = applicants_page(coordinator, old_series)
    new_page = applicants_page(coordinator, new_series)
    assert "去年 一郎" in old_page and "今年 花子" not in old_page
    assert "今年 花子" in new_page and "去年 一郎" not in new_page

    old, new = stages(coordinator, old_series), stages(coordinator, new_series)
    assert old["sampled"] == len(a01_invitations(last_year))
    assert new["sampled"] == len(a01_invitations(this_year))
    assert old["answered"] == 1 and new["answered"] == 1
    assert old["applied"] == 1 and new["applied"] == 1

    # The panel pool is the area's volunteers as they are now (both).
    from surveys import selectors

    assert len(selectors.volunteers_for_area(area)) == 2


# --- Registering an applicant for a meeting -------------------------------------------------


def test_a_coordinator_registers_a_volunteer_for_a_meeting_from_the_applicant_list():
    area, survey = a01_survey(size=10)
    invitations = a01_invitations(survey)
    hanako = volunteer(survey, invitations[0], "架空 花子", "０９０-１２３４-５６７８")
    ichiro = volunteer(survey, invitations[1], "架空 一郎", "ichiro@example.jp")
    series = SeriesFactory(area=area)
    meeting = MeetingFactory(area=area, series=series, title="第2回", capacity=1)
    MeetingFactory(area=area, series=series, title="下書きの回", status=Meeting.Status.DRAFT)
    coordinator = signed_in(Role.COORDINATOR)
    page = applicants_page(coordinator, series)
    assert "架空 花子 さんを申し込む回" in page and "第2回" in page
    assert "下書きの回" not in page  # only open meetings are offered

    url = f"/meetings/staff/series/{series.pk}/applicants/register/"
    response = coordinator.post(url, {"applicant": f"volunteer:{hanako.pk}", "meeting": meeting.pk})
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.name == "架空 花子" and registration.source == "staff"
    assert registration.phone == "０９０-１２３４-５６７８" and registration.email == ""
    assert registration.status == "confirmed"
    page = coordinator.get(response["Location"]).content.decode()
    assert "架空 花子 さんを「第2回」に申し込みました（参加確定）" in page
    entry = AuditLogEntry.objects.get(action="meetings.applicant.registered")
    assert entry.data["volunteered"] is True and entry.data["meeting"] == meeting.pk
    assert AuditLogEntry.objects.filter(action="meetings.registration.registered").exists()

    # One person: the volunteer record and the registration (same number).
    assert page.count(">架空 花子</td>") == 1
    figures = stages(coordinator, series)
    assert figures["applied"] == 2 and figures["registered"] == 1

    # Twice: refused with a message. The meeting is full: the next one waits.
    again = coordinator.post(url, {"applicant": f"volunteer:{hanako.pk}", "meeting": meeting.pk})
    assert "すでに申し込んでいます" in coordinator.get(again["Location"]).content.decode()
    coordinator.post(url, {"applicant": f"volunteer:{ichiro.pk}", "meeting": meeting.pk})
    assert Registration.objects.get(name="架空 一郎").status == "waiting"
    assert Registration.objects.count() == 2

    # An erased volunteer cannot be registered.
    third = volunteer(survey, invitations[2], "架空 三郎", "saburo@example.jp")
    Volunteer.objects.filter(pk=third.pk).delete()
    gone = coordinator.post(url, {"applicant": f"volunteer:{third.pk}", "meeting": meeting.pk})
    assert "見つかりません" in coordinator.get(gone["Location"]).content.decode()
    # Not a coordinator: refused.
    officer = signed_in(Role.LIAISON_OFFICER)
    assert officer.post(url, {"applicant": "x", "meeting": meeting.pk}).status_code == 403
    assert Registration.objects.count() == 2


# --- One person per telephone number -------------------------------------------------------


def test_applicants_are_one_person_per_normalised_telephone_number():
    from meetings.applicants import contact_keys

    assert contact_keys("０９０－１２３４－５６７８") == {"tel:09012345678"}
    assert contact_keys("+81 90-1234-5678") == {"tel:09012345678"}
    assert contact_keys("042 (000) 0002") == {"tel:0420000002"}
    assert contact_keys("Ichiro@Example.jp ") == {"email:ichiro@example.jp"}
    assert contact_keys("12-34", "") == set()

    area, survey = a01_survey(size=10)
    invitations = a01_invitations(survey)
    volunteer(survey, invitations[0], "架空 花子", "090-1234-5678")
    series = SeriesFactory(area=area)
    first = MeetingFactory(area=area, series=series, title="第1回")
    second = MeetingFactory(area=area, series=series, title="第2回")
    # Staff took two registrations by telephone, written differently.
    Registration.objects.create(meeting=first, name="架空 花子", phone="09012345678")
    Registration.objects.create(
        meeting=second, name="架空 はなこ", phone="０９０ １２３４ ５６７８"
    )
    Registration.objects.create(meeting=second, name="別の 人", phone="090-9999-0000")
    coordinator = signed_in(Role.COORDINATOR)
    page = applicants_page(coordinator, series)
    assert page.count(">架空 花子</td>") == 1 and "架空 はなこ" not in page
    assert "第1回" in page and "第2回" in page
    figures = stages(coordinator, series)
    assert figures["applied"] == 2 and figures["registered"] == 2
