"""Small hardening: control characters in an address, staff-written help
text, the public calendar file, the Permissions-Policy header and cookie
names behind TLS."""

import icalendar
import pytest
from django import forms
from django.urls import reverse

from tests.meetings.factories import MeetingFactory
from tests.portal_process import run_portal

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/areas/A\x0001/",
        "/meetings/areas/C1\x00/feed/",
        "/areas/news/\x00/",
        "/accounts/login/\x00",
        "/surveys/x\x01y/",
        "/meetings/1/\x7f/",
    ],
)
def test_a_control_character_in_any_path_segment_is_a_400_not_a_500(client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_an_ordinary_path_still_answers(client):
    assert client.get("/meetings/").status_code == 200


def test_help_text_is_escaped_on_every_form_field():
    class Question(forms.Form):
        answer = forms.CharField(
            help_text='<meta http-equiv="refresh" content="0;url=https://evil.example/">'
            '<a href="https://evil.example/">here</a>'
        )

    html = str(Question()["answer"].as_field_group())
    assert "<meta" not in html and "<a href" not in html
    assert "&lt;meta http-equiv=" in html


def test_the_public_calendar_file_does_not_carry_the_online_link(client):
    meeting = MeetingFactory(
        online_url="https://meet.example.jp/secret-room", venue_name="", venue_address=""
    )
    response = client.get(reverse("meetings:ical", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert b"secret-room" not in response.content
    event = icalendar.Calendar.from_ical(response.content).walk("VEVENT")[0]
    assert str(event["LOCATION"]) == "オンライン"


def test_the_registrants_mail_keeps_the_online_link():
    from meetings.calendar import meeting_ics

    meeting = MeetingFactory(online_url="https://meet.example.jp/secret-room")
    assert b"secret-room" in meeting_ics(meeting, online_link=True)


def test_every_answer_carries_a_permissions_policy(client):
    for path in ("/", "/meetings/", "/no-such-page/", "/accounts/login/"):
        policy = client.get(path)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_behind_tls_the_session_and_csrf_cookies_are_host_prefixed():
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings as s\n"
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_DOMAIN,"
        " s.CSRF_COOKIE_DOMAIN, s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH)\n"
    )
    result = run_portal(
        code,
        {
            "HTTPS": "true",
            "SECRET_KEY": "x" * 60,
        },
    )
    assert result.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "None",
        "None",
        "/",
        "/",
    ], result.stderr[-2000:]
