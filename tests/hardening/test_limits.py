"""Limits on what an anonymous visitor can make the server do: mails sent,
documents rendered, uploads read."""

import pytest
from django.core import mail
from django.test import Client

from areas.models import Subscription
from areas.news import subscriptions

pytestmark = pytest.mark.django_db

SUBSCRIBE = "/areas/news/subscribe/"


def _subscribe(client, email):
    return client.post(SUBSCRIBE, {"email": email, "frequency": "weekly"})


def test_fifteen_quick_subscriptions_to_one_address_send_at_most_the_limit():
    client = Client()
    answers = [_subscribe(client, "target@example.jp") for _ in range(15)]
    most = subscriptions.CONFIRM_MAIL_LIMIT.per_secret
    assert len(mail.outbox) == most
    assert Subscription.objects.count() == most
    assert [a.status_code for a in answers[:most]] == [302] * most
    refused = answers[most:]
    assert {a.status_code for a in refused} == {429}
    assert refused[0]["Retry-After"] == str(subscriptions.CONFIRM_MAIL_LIMIT.window)
    assert "1時間ほどたってから" in refused[0].content.decode()


def test_one_address_cannot_mail_many_inboxes():
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(15):
        _subscribe(client, f"person{n}@example.jp")
    assert len(mail.outbox) == subscriptions.CONFIRM_MAIL_LIMIT.per_client
    # Another client still reaches a fresh address.
    assert _subscribe(Client(REMOTE_ADDR="203.0.113.10"), "other@example.jp").status_code == 302
    assert len(mail.outbox) == subscriptions.CONFIRM_MAIL_LIMIT.per_client + 1


@pytest.fixture
def render_calls(monkeypatch):
    from areas.karte import pdf

    calls = []

    def fake_write_pdf(html):
        calls.append(html)
        return b"%PDF-1.7 " + str(len(calls)).encode()

    monkeypatch.setattr(pdf, "write_pdf", fake_write_pdf)
    return calls


def test_the_same_karte_pdf_is_rendered_once_and_a_change_renders_it_again(render_calls):
    from areas.models import KarteFigures
    from tests.factories import AreaFactory, UserFactory

    area = AreaFactory(code="LA", name="楓地域")
    first = Client().get(f"/areas/karte/{area.code}/pdf/?year=2025")
    second = Client().get(f"/areas/karte/{area.code}/pdf/?year=2025")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content and len(render_calls) == 1
    # A signed-in visitor passes the page cache, and still gets the same bytes.
    client = Client()
    client.force_login(UserFactory())
    assert client.get(f"/areas/karte/{area.code}/pdf/?year=2025").content == first.content
    assert len(render_calls) == 1
    # New figures make a new page, and a new PDF.
    KarteFigures.objects.create(area=area, fiscal_year=2025, population=1000, households=400)
    assert client.get(f"/areas/karte/{area.code}/pdf/?year=2025").content != first.content
    assert len(render_calls) == 2


def test_karte_pdfs_beyond_the_limit_answer_429_with_retry_after(render_calls):
    from portal.costly import DOCUMENT_LIMIT as DOCUMENTS
    from tests.factories import AreaFactory

    area = AreaFactory(code="LB", name="柳地域")
    client = Client(REMOTE_ADDR="198.51.100.7")
    answers = [
        client.get(f"/areas/karte/{area.code}/pdf/?year={2000 + n}")
        for n in range(DOCUMENTS.per_client + 2)
    ]
    assert [a.status_code for a in answers[: DOCUMENTS.per_client]] == [200] * DOCUMENTS.per_client
    refused = answers[-1]
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(DOCUMENTS.window)
    assert "しばらく受け付けません" in refused.content.decode()
    assert len(render_calls) == DOCUMENTS.per_client
    # Another address is not held up.
    other = Client(REMOTE_ADDR="198.51.100.8").get(f"/areas/karte/{area.code}/pdf/?year=1999")
    assert other.status_code == 200


def test_feeds_and_datasets_are_cached_and_limited():
    from portal import costly

    limit = costly.FEED_LIMIT
    client = Client(REMOTE_ADDR="198.51.100.20")
    assert client.get("/opendata/facilities.csv").status_code == 200
    # Served from the cache: not counted, headers kept.
    cached = client.get("/opendata/facilities.csv")
    assert cached.status_code == 200 and cached["Content-Disposition"].startswith("attachment")
    paths = [f"/areas/news/feed/?n={n}" for n in range(limit.per_client + 1)]
    statuses = [client.get(path).status_code for path in paths]
    assert statuses[-1] == 429 and statuses.count(200) == limit.per_client - 1


def test_registrations_by_letter_code_mail_one_address_at_most_the_limit(
    django_capture_on_commit_callbacks,
):
    from meetings import services
    from meetings.services import Participant
    from portal import ratelimit
    from portal.audit import Actor
    from tests.meetings.factories import MeetingFactory

    meetings = [MeetingFactory(capacity=50) for _ in range(15)]
    by = Actor(ip_address="192.0.2.40")
    refused = 0
    for meeting in meetings:
        try:
            with django_capture_on_commit_callbacks(execute=True):
                services.register_with_invitation(
                    meeting_id=meeting.pk,
                    code="ABC123",
                    participant=Participant(name="案内 太郎", email="Target@example.jp"),
                    validator=lambda code, m, *, by: "ABC123",
                    by=by,
                )
        except ratelimit.TooManyAttempts as error:
            refused += 1
            assert "1時間ほどたってから" in error.message
    assert len(mail.outbox) == ratelimit.MAIL.per_secret
    assert refused == len(meetings) - ratelimit.MAIL.per_secret
