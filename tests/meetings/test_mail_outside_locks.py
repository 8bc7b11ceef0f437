"""Registration mail is sent after the transaction that holds a lock commits:
a slow mail server holds no registration and no meeting row."""

import smtplib
import threading

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend
from django.db import DatabaseError, connection, transaction

from meetings import mail, services
from meetings.models import Meeting, Registration
from meetings.services import registration as registration_service
from portal import locking
from portal.audit import Actor
from tests.factories import UserFactory

from .factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)

BACKEND = f"{__name__}.ProbingBackend"


def _can_lock_now(registration_id, meeting_id):
    """From another connection: may the registration and its meeting be
    locked at once (NOWAIT), as a cancellation would?"""
    answer = {}

    def probe():
        try:
            with transaction.atomic():
                list(Meeting.objects.select_for_update(nowait=True).filter(pk=meeting_id))
                list(Registration.objects.select_for_update(nowait=True).filter(pk=registration_id))
            answer["free"] = True
        except DatabaseError:
            answer["free"] = False
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return answer["free"]


class ProbingBackend(EmailBackend):
    """The locmem backend that, while "talking to the server", looks from
    another connection whether the rows of `probe` are free."""

    probe = None
    seen = []

    def send_messages(self, messages):
        if ProbingBackend.probe is not None:
            ProbingBackend.seen.append(_can_lock_now(*ProbingBackend.probe))
        return super().send_messages(messages)


@pytest.fixture
def probing(settings):
    if not settings.USING_POSTGRESQL:
        pytest.skip("row locks are tested on PostgreSQL")
    settings.EMAIL_BACKEND = BACKEND
    ProbingBackend.seen = []
    yield ProbingBackend
    ProbingBackend.probe = None


def test_registration_mail_is_sent_with_no_row_locked(probing):
    registration = RegistrationFactory()
    probing.probe = (registration.pk, registration.meeting_id)

    assert mail.send(registration.pk, "confirmation") is True

    assert probing.seen == [True]
    assert len(django_mail.outbox) == 1
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None


def test_control_the_probe_sees_a_mail_sent_under_the_registration_lock(probing):
    """The old order (send inside `locked(Registration…)`) is seen by the same
    probe: the test would fail if the mail went back under the lock."""
    registration = RegistrationFactory()
    probing.probe = (registration.pk, registration.meeting_id)

    with locking.locked(Registration.objects.filter(pk=registration.pk)):
        EmailMessage(subject="s", body="b", to=[registration.email]).send()

    assert probing.seen == [False]


class CancellingBackend(EmailBackend):
    """While "talking to the server", the registrant cancels from another
    connection (`cancel` is set by the test)."""

    cancel = None
    outcome = {}

    def send_messages(self, messages):
        def run():
            try:
                CancellingBackend.cancel()
                CancellingBackend.outcome["cancelled"] = True
            except Exception as error:  # noqa: BLE001 - the failure is the finding
                CancellingBackend.outcome["error"] = error
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return super().send_messages(messages)


class FlakyBackend(EmailBackend):
    """Fails the first send, as a mail server that drops the connection."""

    attempts = 0

    def send_messages(self, messages):
        FlakyBackend.attempts += 1
        if FlakyBackend.attempts == 1:
            raise smtplib.SMTPServerDisconnected("gone")
        return super().send_messages(messages)


def test_a_cancellation_while_the_mail_server_is_slow_is_not_busy(settings):
    """The registrant cancels while their confirmation is being sent: the
    cancellation, which locks the meeting and then writes the registration,
    neither waits nor answers "busy"."""
    if not settings.USING_POSTGRESQL:
        pytest.skip("row locks are tested on PostgreSQL")
    settings.LOCK_TIMEOUT_SECONDS = 1
    settings.EMAIL_BACKEND = f"{__name__}.CancellingBackend"
    registration = RegistrationFactory()
    user = UserFactory()
    CancellingBackend.outcome = {}
    CancellingBackend.cancel = lambda: services.cancel_registration(
        registration_id=registration.pk, by=Actor.for_user(user)
    )

    assert mail.send(registration.pk, "confirmation") is True

    assert CancellingBackend.outcome == {"cancelled": True}
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_a_failed_send_gives_the_claim_back_so_the_retry_sends(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.attempts = 0
    registration = RegistrationFactory()

    with pytest.raises(smtplib.SMTPServerDisconnected):
        mail.send(registration.pk, "confirmation")
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is None

    assert mail.send(registration.pk, "confirmation") is True
    assert mail.send(registration.pk, "confirmation") is False
    assert len(django_mail.outbox) == 1


def test_a_rolled_back_registration_sends_no_mail(monkeypatch):
    meeting = MeetingFactory()
    user = UserFactory()

    def fail(meeting):
        raise RuntimeError("after the insert, before the commit")

    monkeypatch.setattr(registration_service, "_refresh_cache", fail)
    with pytest.raises(RuntimeError):
        services.register_for_meeting(
            meeting_id=meeting.pk,
            user=user,
            participant=services.Participant(name="取消 太郎", email=user.email),
            by=Actor.for_user(user),
        )

    assert not Registration.objects.filter(meeting=meeting).exists()
    assert django_mail.outbox == []
