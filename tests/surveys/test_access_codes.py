"""A letter's access code stays secret: one limit shared by every page that
checks a code (per client and per code), no code in a registration, in an
address or in a log."""

import logging
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client

from meetings.models import Registration
from portal import logs
from portal.models import AuditLogEntry, Role
from surveys.services import codes
from tests.meetings.factories import MeetingFactory

from .answer_factories import survey_with_codes

pytestmark = pytest.mark.django_db

LIMIT = codes.LIMIT


@pytest.fixture(autouse=True)
def clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def letters(districts):
    survey, access = survey_with_codes()
    invitations = list(survey.draw.invitations.select_related("area").order_by("number"))
    return survey, list(zip(invitations, access, strict=True))


def answer_page(client, code):
    return client.post("/surveys/answer/", {"code": code})


def meeting_page(client, meeting, code):
    return client.post(
        f"/meetings/{meeting.pk}/invitation/",
        {
            "code": code,
            "name": "案内 花子",
            "name_kana": "アンナイ ハナコ",
            "email": "letter@example.jp",
            "party_size": 1,
        },
    )


def test_wrong_codes_on_the_answer_and_meeting_pages_count_towards_one_limit(letters):
    _survey, letters = letters
    invitation, code = letters[0]
    meeting = MeetingFactory(area=invitation.area)
    client = Client(REMOTE_ADDR="203.0.113.5")
    half = LIMIT.per_client // 2
    for n in range(half):
        assert "正しくありません" in answer_page(client, f"ZZZZ-ZZZZ-ZZ{n:02d}").content.decode()
    for n in range(LIMIT.per_client - half):
        assert meeting_page(client, meeting, f"YYYY-YYYY-YY{n:02d}").status_code == 400
    # The right code is refused now, on either page, before it is looked up.
    refused = meeting_page(client, meeting, code)
    assert refused.status_code == 429 and refused["Retry-After"] == str(LIMIT.window)
    assert "しばらく受け付けません" in refused.content.decode()
    assert answer_page(client, code).status_code == 429
    assert not Registration.objects.exists()
    # One audit row when the limit was reached, naming no letter.
    entry = AuditLogEntry.objects.get(action="surveys.access_code.limited")
    assert (entry.target_type, entry.target_id) == ("surveys.invitation", "")
    # Another address is not held up.
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert meeting_page(other, meeting, code).status_code == 302
    assert Registration.objects.get().invitation_ref


def test_one_code_is_checked_only_so_often_from_any_address(letters):
    _survey, letters = letters
    _invitation, code = letters[1]
    for n in range(LIMIT.per_secret):
        client = Client(REMOTE_ADDR=f"192.0.2.{n + 1}")
        assert answer_page(client, code).status_code == 302
    late = Client(REMOTE_ADDR="192.0.2.200")
    assert answer_page(late, code).status_code == 429
    # Other codes are unaffected.
    assert answer_page(late, letters[2][1]).status_code == 302


def test_a_letter_of_another_area_counts_as_a_wrong_code_on_the_meeting_page(letters):
    _survey, letters = letters
    invitation, code = letters[0]
    elsewhere = MeetingFactory(area__code="ZZ9")
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _n in range(LIMIT.per_client):
        assert meeting_page(client, elsewhere, code).status_code == 400
    here = MeetingFactory(area=invitation.area)
    assert meeting_page(client, here, code).status_code == 429


def test_staff_keying_paper_answers_are_limited_by_account_not_by_the_city_halls_address(
    letters, client_as
):
    survey, letters = letters
    coordinator = client_as(Role.COORDINATOR)
    url = f"/surveys/surveys/{survey.code}/paper/"
    for n in range(LIMIT.per_client):
        page = coordinator.post(url, {"paper-code": f"ZZZZ-ZZZZ-ZZ{n:02d}"}).content.decode()
        assert "この調査のアクセスコードではありません" in page
    page = coordinator.post(url, {"paper-code": letters[0][1]}).content.decode()
    assert "しばらく受け付けません" in page
    # A resident behind the same address still answers.
    assert answer_page(Client(), letters[0][1]).status_code == 302


def test_the_meeting_page_takes_no_code_from_the_address(letters):
    _survey, letters = letters
    invitation, code = letters[0]
    meeting = MeetingFactory(area=invitation.area)
    page = Client().get(f"/meetings/{meeting.pk}/invitation/?code={code}")
    assert page.context["form"]["code"].value() in (None, "")


def test_the_cache_holds_no_code(letters):
    _survey, letters = letters
    _invitation, code = letters[0]
    answer_page(Client(), code)
    answer_page(Client(), "ZZZZ-ZZZZ-ZZZZ")
    keys = " ".join(str(k) for k in cache._cache)  # locmem in tests
    assert code not in keys and codes.normalise(code) not in keys
    assert "ZZZZ" not in keys and "127.0.0.1" not in keys


# --- Logs ------------------------------------------------------------------------------


def test_codes_and_one_time_keys_are_scrubbed_from_request_lines():
    assert (
        logs.scrub("GET /surveys/answer/?code=ABCD-EFGH-JKMN HTTP/1.1")
        == "GET /surveys/answer/?code=*** HTTP/1.1"
    )
    assert logs.scrub("code=abcd&x=1") == "code=***&x=1"
    assert logs.scrub("/x/?a=1&CODE=abcd") == "/x/?a=1&CODE=***"
    assert logs.scrub("/accounts/confirm-email/MTI:1t:abc/") == "/accounts/confirm-email/***/"
    assert (
        logs.scrub("/accounts/password/reset/key/1-abc123/") == "/accounts/password/reset/key/***/"
    )
    # Nothing else is touched.
    assert logs.scrub("GET /meetings/?area=A01 HTTP/1.1") == "GET /meetings/?area=A01 HTTP/1.1"


def test_gunicorns_access_log_prints_no_code():
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")
    logger = logs.AccessLogger(config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/surveys/answer/?code=ABCD-EFGH-JKMN",
        "PATH_INFO": "/surveys/answer/",
        "QUERY_STRING": "code=ABCD-EFGH-JKMN",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://portal.example.jp/surveys/answer/?code=ABCD-EFGH-JKMN",
        "REMOTE_ADDR": "203.0.113.5",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])
    request = SimpleNamespace(headers=[("REFERER", environ["HTTP_REFERER"])])
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(seconds=0))
    assert "ABCD" not in repr(atoms)
    assert atoms["r"] == "GET /surveys/answer/?code=*** HTTP/1.1"


def test_runservers_request_lines_are_scrubbed():
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /surveys/answer/?code=ABCD-EFGH-JKMN HTTP/1.1", "302", "0"),
        None,
    )
    logs.ScrubSecrets().filter(record)
    assert "ABCD" not in record.getMessage()
