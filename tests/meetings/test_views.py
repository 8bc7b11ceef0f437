"""The meetings pages through the test client, signed in as each kind of person."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from meetings import funnel
from meetings.exports import EVENT_COLUMNS
from meetings.models import Idea, Meeting, Registration
from meetings.selectors import ideas_for_area
from portal.models import AuditLogEntry, Role
from tests.factories import AreaFactory, UserFactory, local_issue

from .factories import MeetingFactory, RegistrationFactory, SeriesFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_drafts_are_invisible_to_residents_and_visible_to_staff(client, client_as):
    draft = MeetingFactory(status=Meeting.Status.DRAFT, title="下書きの会")
    published = MeetingFactory(title="公開の会")
    page = client.get(reverse("meetings:list"))
    assert "公開の会" in page.content.decode() and "下書きの会" not in page.content.decode()
    assert client.get(reverse("meetings:detail", kwargs={"pk": draft.pk})).status_code == 404
    assert client.get(reverse("meetings:ical", kwargs={"pk": draft.pk})).status_code == 404
    assert client.get(reverse("meetings:detail", kwargs={"pk": published.pk})).status_code == 200
    staff = client_as(Role.COORDINATOR)
    assert staff.get(reverse("meetings:detail", kwargs={"pk": draft.pk})).status_code == 200


def test_list_filters_by_area_kind_theme_and_month_and_links_the_area_feed(client):
    area = AreaFactory(code="F1", name="北地域")
    wanted = MeetingFactory(
        area=area,
        kind=Meeting.Kind.WORKSHOP,
        theme_issue=local_issue(1),
        title="北のワークショップ",
    )
    MeetingFactory(title="ほかの会")
    month = wanted.starts_at.strftime("%Y-%m")
    page = client.get(
        reverse("meetings:list"),
        {"area": area.pk, "kind": "workshop", "theme": local_issue(1).pk, "month": month},
    )
    text = page.content.decode()
    assert "北のワークショップ" in text and "ほかの会" not in text
    feed_url = reverse("meetings:area_feed", kwargs={"code": "F1"})
    assert '<link rel="alternate" type="application/atom+xml"' in text and feed_url in text


def test_list_query_count_is_bounded(client, django_assert_max_num_queries):
    for _ in range(15):
        MeetingFactory()
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:list")).status_code == 200


def test_month_calendar_is_a_table_with_the_meetings(client):
    meeting = MeetingFactory(title="カレンダーの会")
    page = client.get(
        reverse("meetings:calendar"),
        {"year": meeting.starts_at.year, "month": meeting.starts_at.month},
    )
    text = page.content.decode()
    assert "<table" in text and "カレンダーの会" in text and 'scope="col"' in text
    assert client.get(reverse("meetings:calendar"), {"year": "x"}).status_code == 200


def test_detail_shows_seats_left_and_links_the_calendar_file_that_parses(client):
    meeting = MeetingFactory(capacity=10, confirmed_seats=3)
    page = client.get(meeting.get_absolute_url()).content.decode()
    ics_url = reverse("meetings:ical", kwargs={"pk": meeting.pk})
    assert '<link rel="alternate" type="text/calendar"' in page and ics_url in page
    assert "7席" in page
    response = client.get(ics_url)
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    event = calendar.walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == meeting.title
    assert event.decoded("DTSTART") == meeting.starts_at


def test_area_feed_is_atom_without_drafts(client):
    area = AreaFactory(code="FD")
    MeetingFactory(area=area, title="公開された会")
    MeetingFactory(area=area, title="下書きの会", status=Meeting.Status.DRAFT)
    response = client.get(reverse("meetings:area_feed", kwargs={"code": "FD"}))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert titles == ["公開された会"]
    # A feed reader takes it without complaint.
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [entry.title for entry in parsed.entries] == ["公開された会"]


def test_open_data_events_have_the_32_columns_in_order_and_no_drafts(client):
    MeetingFactory(title="公開の会", capacity=30)
    MeetingFactory(title="下書きの会", status=Meeting.Status.DRAFT)
    response = client.get("/opendata/events.csv")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == EVENT_COLUMNS and len(EVENT_COLUMNS) == 32
    assert len(rows) == 2 and rows[1][4] == "公開の会" and rows[1][26] == "30"
    assert rows[1][7].count("-") == 2 and len(rows[1][9]) == 5  # YYYY-MM-DD, HH:MM
    records = json.loads(client.get("/opendata/events.json").content)
    assert list(records[0]) == EVENT_COLUMNS and records[0]["イベント名"] == "公開の会"


def test_resident_registers_for_two_and_cancels_from_their_page(
    client_as, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(capacity=5)
    client = client_as(Role.RESIDENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:register", kwargs={"pk": meeting.pk}),
            {
                "name": "多摩 花子",
                "name_kana": "たま はなこ",
                "email": "hanako@example.jp",
                "party_size": 2,
                "accessibility_needs": "車いすで参加します",
                "childcare_requested": "on",
                "childcare_children": 1,
            },
        )
    assert response.status_code == 302
    registration = Registration.objects.get(user=client.user)
    assert registration.party_size == 2 and registration.name_kana == "タマ ハナコ"
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments
    mine = client.get(reverse("meetings:mine")).content.decode()
    assert meeting.title in mine
    client.post(reverse("meetings:cancel_registration", kwargs={"pk": registration.pk}))
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_registration_refusals_are_shown_as_messages(client_as):
    client = client_as(Role.RESIDENT)
    closed = MeetingFactory(status=Meeting.Status.CLOSED)
    data = {"name": "花子", "email": "h@example.jp", "party_size": 1}
    response = client.post(reverse("meetings:register", kwargs={"pk": closed.pk}), data)
    assert response.status_code == 400
    assert "申込みは終了しました" in response.content.decode()
    draft = MeetingFactory(status=Meeting.Status.DRAFT)
    assert (
        client.post(reverse("meetings:register", kwargs={"pk": draft.pk}), data).status_code == 404
    )


def test_someone_elses_registration_cannot_be_cancelled(client_as):
    other = RegistrationFactory(user=UserFactory())
    client = client_as(Role.RESIDENT)
    response = client.post(reverse("meetings:cancel_registration", kwargs={"pk": other.pk}))
    assert response.status_code == 404


def test_participant_list_and_exports_are_audited_and_only_for_the_team(client_as):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting, name="高幡 太郎", accessibility_needs="手話通訳")
    officer = client_as(Role.LIAISON_OFFICER)
    assert (
        officer.get(reverse("meetings:participants", kwargs={"pk": meeting.pk})).status_code == 403
    )
    meeting.facilitators.add(officer.user)
    page = officer.get(reverse("meetings:participants", kwargs={"pk": meeting.pk}))
    assert "高幡 太郎" in page.content.decode()
    entry = AuditLogEntry.objects.get(action="meetings.participants.viewed")
    assert entry.data["rows"] == 1 and "高幡" not in str(entry.data)
    for kind in ("utf-8", "cp932", "xlsx"):
        response = officer.get(
            reverse("meetings:export", kwargs={"pk": meeting.pk}), {"format": kind}
        )
        assert response.status_code == 200
    assert AuditLogEntry.objects.filter(action="meetings.participants.exported").count() == 3
    csv_text = officer.get(
        reverse("meetings:export", kwargs={"pk": meeting.pk}), {"format": "cp932"}
    ).content.decode("cp932")
    assert "手話通訳" in csv_text


def test_participants_xlsx_drops_control_characters_and_neutralises_formulas(client_as):
    meeting = MeetingFactory()
    registration = RegistrationFactory(
        meeting=meeting, name="高幡\x0b太郎", comment='=HYPERLINK("x")'
    )
    client = client_as(Role.COORDINATOR)
    response = client.get(reverse("meetings:export", kwargs={"pk": meeting.pk}), {"format": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [c.value for c in sheet[2]]
    assert row[0] == registration.pk and row[2] == "高幡太郎"
    assert row[11] == '\'=HYPERLINK("x")'


def test_check_in_finds_by_kana_in_either_width_and_marks_attendance(client_as):
    meeting = MeetingFactory()
    registration = RegistrationFactory(meeting=meeting, name="多摩 花子", name_kana="タマ ハナコ")
    RegistrationFactory(meeting=meeting, name="関戸 健", name_kana="セキド ケン")
    client = client_as(Role.COORDINATOR)
    url = reverse("meetings:check_in", kwargs={"pk": meeting.pk})
    for query in ("ﾀﾏ", "たま", "花子"):
        text = client.get(url, {"q": query}).content.decode()
        assert "多摩 花子" in text and "関戸 健" not in text, query
    client.post(url, {"registration": registration.pk, "attended": "1"})
    registration.refresh_from_db()
    assert registration.attended_at is not None
    client.post(
        reverse("meetings:walk_in", kwargs={"pk": meeting.pk}),
        {"name": "飛込 参加", "party_size": 1},
    )
    assert Registration.objects.filter(
        meeting=meeting, source="walk_in", attended_at__isnull=False
    ).exists()


def test_minutes_and_ideas_pushed_to_the_karte(client_as):
    meeting = MeetingFactory(status=Meeting.Status.HELD)
    client = client_as(Role.COORDINATOR)
    url = reverse("meetings:minutes", kwargs={"pk": meeting.pk})
    client.post(url, {"save_minutes": "1", "minutes": "防災マップを作ることになった。"})
    meeting.refresh_from_db()
    assert meeting.minutes.startswith("防災マップ")
    client.post(
        url, {"add_idea": "1", "kind": "issue", "text": "避難所が遠い", "issue": local_issue(1).pk}
    )
    idea = Idea.objects.get()
    assert list(ideas_for_area(meeting.area)) == []
    client.post(reverse("meetings:idea_push", kwargs={"pk": idea.pk}))
    assert list(ideas_for_area(meeting.area)) == [idea]


def test_funnel_shows_empty_survey_stages_until_entered_then_rates(client_as):
    series = SeriesFactory()
    held = MeetingFactory(area=series.area, series=series, status=Meeting.Status.HELD)
    later = MeetingFactory(area=series.area, series=series)
    people = [UserFactory() for _ in range(3)]
    for user in people:
        RegistrationFactory(meeting=held, user=user)
    from django.utils import timezone

    Registration.objects.filter(meeting=held, user__in=people[:2]).update(
        attended_at=timezone.now()
    )
    RegistrationFactory(meeting=later, user=people[0], attended_at=timezone.now())
    client = client_as(Role.COORDINATOR)
    url = reverse("meetings:funnel", kwargs={"pk": series.pk})
    page = client.get(url)
    stages = {s.key: s for s in page.context["report"]["stages"]}
    assert stages["sampled"].count is None and stages["answered"].count is None
    assert stages["applied"].count == 3 and stages["attended"].count == 2
    assert page.context["report"]["repeat_participants"] == 1
    client.post(url, {"sampled_count": 2803, "answered_count": 538})
    stages = {s.key: s for s in client.get(url).context["report"]["stages"]}
    assert stages["answered"].rate == 19.2
    funnel.providers.append(lambda s: {"sampled": 100, "answered": 10})
    try:
        stages = {s.key: s for s in client.get(url).context["report"]["stages"]}
        assert stages["sampled"].count == 100
    finally:
        funnel.providers.pop()
    resident = UserFactory()
    client.force_login(resident)
    assert client.get(url).status_code == 403


def test_coordinator_creates_a_draft_then_opens_it(client_as):
    client = client_as(Role.COORDINATOR)
    officer = UserFactory(role=Role.LIAISON_OFFICER)
    area = AreaFactory(code="C1")
    response = client.post(
        reverse("meetings:create"),
        {
            "title": "第1回 エリアミーティング",
            "area": area.pk,
            "kind": "area_meeting",
            "day_year": "2030",
            "day_month": "6",
            "day_day": "1",
            "start_time": "10:00",
            "end_time": "12:00",
            "venue_name": "地区センター",
            "capacity": 30,
            "opens_day_year": "2030",
            "opens_day_month": "5",
            "opens_day_day": "1",
            "opens_time": "09:00",
            "closes_day_year": "2030",
            "closes_day_month": "5",
            "closes_day_day": "31",
            "closes_time": "17:00",
            "facilitators": [officer.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert meeting.status == Meeting.Status.DRAFT and list(meeting.facilitators.all()) == [officer]
    client.post(reverse("meetings:move", kwargs={"pk": meeting.pk}), {"to": "open"})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.OPEN


def test_the_confirmation_is_sent_by_the_web_process_while_the_queue_is_away(
    client_as, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from kombu.exceptions import OperationalError as BrokerUnreachable

    from meetings.tasks import send_registration_mail

    def unreachable(*args, **kwargs):
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_registration_mail, "delay", unreachable)
    meeting = MeetingFactory(capacity=5)
    client = client_as(Role.RESIDENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("meetings:register", kwargs={"pk": meeting.pk}),
            {
                "name": "多摩 花子",
                "name_kana": "たま はなこ",
                "email": "h@example.jp",
                "party_size": 1,
            },
        )
    assert response.status_code == 302
    assert Registration.objects.filter(meeting=meeting, user=client.user).exists()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["h@example.jp"]
    assert "sending it in this process" in caplog.text


def test_a_resident_may_leave_a_phone_number_typed_in_full_width(
    client_as, django_capture_on_commit_callbacks
):
    meeting = MeetingFactory(capacity=5)
    client = client_as(Role.RESIDENT)
    url = reverse("meetings:register", kwargs={"pk": meeting.pk})
    data = {"name": "多摩 花子", "email": "h@example.jp", "party_size": 1}
    refused = client.post(url, {**data, "phone": "でんわ"})
    assert refused.status_code == 400
    assert "電話番号は数字とハイフンで入力してください" in refused.content.decode()
    assert not Registration.objects.filter(meeting=meeting).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "phone": "０４２－１２３－４５６７"})
    assert response.status_code == 302
    assert Registration.objects.get(meeting=meeting).phone == "042-123-4567"
