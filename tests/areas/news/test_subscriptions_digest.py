import datetime
import re
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import connection
from django.test import Client
from django.utils import timezone

from areas.models import DigestDelivery, Subscription
from areas.news import digest, subscriptions
from areas.news.digest import DigestItem
from portal import locking
from portal.audit import Actor
from portal.models import AuditLogEntry, Role
from tests.factories import AreaFactory, local_issue

from .factories import make_post

pytestmark = pytest.mark.django_db
SYSTEM = Actor.for_system("test")


def subscribe(email="a@example.jp", areas=(), issues=(), frequency="daily", confirm=True):
    subscription = subscriptions.subscribe(
        email=email, areas=list(areas), issues=list(issues), frequency=frequency, by=SYSTEM
    )
    if confirm:
        subscription.confirmed_at = timezone.now() - datetime.timedelta(hours=1)
        subscription.save()
    return subscription


def test_unconfirmed_addresses_get_nothing_but_the_confirmation():
    subscribe(confirm=False)
    assert len(mail.outbox) == 1 and "登録の確認" in mail.outbox[0].subject
    make_post(title="新着")
    mail.outbox.clear()
    assert digest.send_digests(frequency="daily", by=SYSTEM) == 0
    assert mail.outbox == []


def test_confirmation_link_is_signed_and_expires(client, settings):
    subscription = subscribe(confirm=False)
    token = subscriptions.confirm_token(subscription)
    assert client.post(f"/areas/news/subscribe/confirm/{token}x/").status_code == 400
    from django.core import signing

    old = signing.TimestampSigner(salt=subscriptions.CONFIRM_SALT)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.time", lambda: 0)
        expired = signing.dumps(str(subscription.public_id), salt=subscriptions.CONFIRM_SALT)
    assert old  # the same salt signs both
    response = client.post(f"/areas/news/subscribe/confirm/{expired}/")
    assert response.status_code == 400 and "期限が切れています" in response.content.decode()
    assert client.post(f"/areas/news/subscribe/confirm/{token}/").status_code == 302
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None


def test_signed_in_resident_subscribes_at_once_and_the_new_choice_replaces_the_old(client_as):
    client = client_as(Role.RESIDENT)
    area = AreaFactory(code="A01")
    client.post("/areas/news/subscribe/", {"email": client.user.email, "frequency": "weekly"})
    client.post(
        "/areas/news/subscribe/",
        {"email": client.user.email, "areas": [area.pk], "frequency": "daily"},
    )
    assert mail.outbox == []  # own verified address: no confirmation needed
    active = Subscription.objects.filter(unsubscribed_at__isnull=True)
    assert active.count() == 1 and list(active.get().areas.all()) == [area]
    page = client.get("/areas/news/subscribe/").content.decode()
    assert "解除する" in page
    client.post(f"/areas/news/subscriptions/{active.get().pk}/end/")
    assert not Subscription.objects.filter(unsubscribed_at__isnull=True).exists()


def test_one_click_unsubscribe_by_post_without_cookies():
    subscription = subscribe()
    make_post(title="新着")
    digest.send_digests(frequency="daily", by=SYSTEM)
    header = mail.outbox[-1].extra_headers["List-Unsubscribe"]
    path = re.search(r"https://portal\.example\.jp(/\S+/)>", header).group(1)
    mail_program = Client(enforce_csrf_checks=True)
    response = mail_program.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.unsubscribed_at is not None
    assert AuditLogEntry.objects.filter(action="areas.subscription.unsubscribed").exists()
    # A person following the link sees a page, not an error.
    assert "すでに解除" in Client().get(path).content.decode()


def test_matching_by_area_and_issue():
    north, south = AreaFactory(code="N1"), AreaFactory(code="S1")
    by_area = subscribe("north@example.jp", areas=[north])
    by_issue = subscribe("issue@example.jp", issues=[local_issue(3)])
    everything = subscribe("all@example.jp")
    make_post(title="北の話", areas=[north])
    make_post(title="南の課題3", areas=[south], issues=[local_issue(3)])
    make_post(title="市内全域")
    mail.outbox.clear()
    digest.send_digests(frequency="daily", by=SYSTEM)
    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "北の話" in bodies[by_area.email] and "市内全域" in bodies[by_area.email]
    assert "南の課題3" not in bodies[by_area.email]
    assert "南の課題3" in bodies[by_issue.email] and "北の話" not in bodies[by_issue.email]
    assert all(t in bodies[everything.email] for t in ("北の話", "南の課題3", "市内全域"))


def test_newly_opened_meetings_come_from_a_registered_source(fake_meetings):
    area = AreaFactory(code="A01")
    subscribe(areas=[area], frequency="weekly")
    fake_meetings["digest"].append(
        DigestItem(
            key="meeting:7",
            title="北部エリアミーティング",
            url="/meetings/7/",
            when=timezone.now() - datetime.timedelta(minutes=5),
            kind_label="新しい会議",
            area_ids=frozenset({area.pk}),
        )
    )
    assert digest.send_digests(frequency="weekly", by=SYSTEM) == 1
    assert "北部エリアミーティング" in mail.outbox[-1].body
    assert "https://portal.example.jp/meetings/7/" in mail.outbox[-1].body
    assert digest.send_digests(frequency="weekly", by=SYSTEM) == 0
    assert DigestDelivery.objects.get().item_key == "meeting:7"


def test_batches_send_everyone_once(settings):
    for n in range(5):
        subscribe(f"r{n}@example.jp")
    make_post(title="新着")
    mail.outbox.clear()
    assert digest.send_digests(frequency="daily", by=SYSTEM, batch_size=2) == 5
    assert digest.send_digests(frequency="daily", by=SYSTEM, batch_size=2) == 0
    assert sorted(m.to[0] for m in mail.outbox) == [f"r{n}@example.jp" for n in range(5)]
    # One audit row per batch, counts only.
    rows = AuditLogEntry.objects.filter(action="areas.digest.sent")
    assert rows.count() == 3 and "r0@example.jp" not in str(list(rows.values("data")))


@pytest.mark.skipif("not __import__('django.conf').conf.settings.USING_POSTGRESQL")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("locks", [True, False])
def test_two_digest_runs_at_once_send_each_item_once(locks, monkeypatch):
    """Two workers run the same digest at the same moment. With the lock the
    second waits and finds the deliveries; without it both would send (the
    unique constraint then fails one of them instead of a double mail)."""
    from django.db import IntegrityError

    monkeypatch.setattr(locking, "LOCKS_ENABLED", locks)
    subscribe()
    make_post(title="新着")
    mail.outbox.clear()
    barrier = threading.Barrier(2)
    results, errors = [], []
    if locks:
        # Both runs start together: the second then waits for the first's lock.
        original = digest.collect_items

        def slow_collect(**kwargs):
            items = original(**kwargs)
            barrier.wait(timeout=10)
            return items

        monkeypatch.setattr(digest, "collect_items", slow_collect)
    else:
        # Control run: both have read "not delivered yet" before either writes.
        original_bulk_create = DigestDelivery.objects.bulk_create

        def bulk_create_after_both_read(*args, **kwargs):
            barrier.wait(timeout=10)
            return original_bulk_create(*args, **kwargs)

        monkeypatch.setattr(DigestDelivery.objects, "bulk_create", bulk_create_after_both_read)

    def run():
        try:
            results.append(digest.send_digests(frequency="daily", by=SYSTEM))
        except IntegrityError as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert DigestDelivery.objects.count() == 1
    if locks:
        assert sorted(results) == [0, 1] and not errors
        assert len(mail.outbox) == 1
    else:
        # The race is real: both read "not delivered" before either wrote.
        assert errors or len(mail.outbox) == 2


class SubscriptionProbingBackend(LocmemBackend):
    """While "talking to the server", asks from another connection whether
    the subscriptions can be locked at once (NOWAIT); fails first if told to."""

    seen = []
    fail_first = False

    def send_messages(self, messages):
        from django.db import DatabaseError, transaction

        def probe():
            try:
                with transaction.atomic():
                    list(Subscription.objects.select_for_update(nowait=True))
                SubscriptionProbingBackend.seen.append(True)
            except DatabaseError:
                SubscriptionProbingBackend.seen.append(False)
            finally:
                connection.close()

        thread = threading.Thread(target=probe)
        thread.start()
        thread.join()
        if SubscriptionProbingBackend.fail_first:
            SubscriptionProbingBackend.fail_first = False
            raise ConnectionError("mail server gone")
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_digests_are_sent_with_no_subscription_locked_and_a_failed_send_is_sent_again(settings):
    if not settings.USING_POSTGRESQL:
        pytest.skip("row locks are tested on PostgreSQL")
    settings.EMAIL_BACKEND = f"{__name__}.SubscriptionProbingBackend"
    subscription = subscribe()
    make_post(title="新着")
    mail.outbox.clear()
    SubscriptionProbingBackend.seen = []
    SubscriptionProbingBackend.fail_first = True

    with pytest.raises(ConnectionError):
        digest.send_digests(frequency="daily", by=SYSTEM)
    assert not DigestDelivery.objects.filter(subscription=subscription).exists()

    assert digest.send_digests(frequency="daily", by=SYSTEM) == 1
    assert digest.send_digests(frequency="daily", by=SYSTEM) == 0
    assert SubscriptionProbingBackend.seen == [True, True]
    assert len(mail.outbox) == 1
    assert DigestDelivery.objects.filter(subscription=subscription).count() == 1
