"""Fifty people register at once for a meeting with ten seats."""

import threading
import time

import pytest
from django.conf import settings
from django.db import connection

from meetings import services
from meetings.models import Registration
from meetings.services import Participant, registration
from portal import locking
from portal.audit import Actor
from tests.factories import UserFactory

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 50
SEATS = 10


@pytest.mark.parametrize("locks_enabled", [True, False], ids=["locked", "control-without-lock"])
def test_fifty_simultaneous_registrations_never_overbook(monkeypatch, locks_enabled):
    """Under the lock exactly 10 seats are confirmed and the rest wait; the
    control run without the lock overbooks, proving the test sees the race."""
    if not settings.USING_POSTGRESQL:
        pytest.skip("concurrency is tested on PostgreSQL")
    meeting = MeetingFactory(capacity=SEATS)
    users = [UserFactory() for _ in range(PEOPLE)]
    monkeypatch.setattr(locking, "LOCKS_ENABLED", locks_enabled)
    monkeypatch.setattr(settings, "LOCK_TIMEOUT_SECONDS", 30)
    original = registration.seats_taken

    def slow_count(meeting_id):
        taken = original(meeting_id)
        time.sleep(0.02)  # the gap between check and insert that the lock closes
        return taken

    monkeypatch.setattr(registration, "seats_taken", slow_count)
    barrier = threading.Barrier(PEOPLE)
    errors, results = [], []

    def run(user):
        try:
            barrier.wait()
            results.append(
                services.register_for_meeting(
                    meeting_id=meeting.pk,
                    user=user,
                    participant=Participant(name="同時 申込", email=user.email),
                    by=Actor.for_user(user),
                )
            )
        except Exception as error:  # noqa: BLE001 - every failure is reported
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    confirmed = Registration.objects.filter(meeting=meeting, status="confirmed").count()
    waiting = Registration.objects.filter(meeting=meeting, status="waiting").count()
    assert confirmed + waiting == PEOPLE
    if locks_enabled:
        assert confirmed == SEATS
        assert waiting == PEOPLE - SEATS
    else:
        assert confirmed > SEATS, "without the lock the race should overbook"
