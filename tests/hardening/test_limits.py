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
