"""Registration rules: the window, once per person, drafts, the waiting list, capacity."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from meetings import services
from meetings.models import Meeting, Registration
from meetings.services import Participant
from portal.audit import Actor
from portal.errors import ServiceError
from portal.models import AuditLogEntry
from tests.factories import UserFactory

from .factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def register(meeting, user=None, party=1, **kwargs):
    user = user or UserFactory()
    return services.register_for_meeting(
        meeting_id=meeting.pk,
        user=user,
        participant=Participant(
            name=user.full_name or "名前", email=user.email, party_size=party, **kwargs
        ),
        by=Actor.for_user(user),
    )


def test_registration_inside_the_window_is_confirmed_and_mailed_with_the_calendar_file():
    meeting = MeetingFactory(capacity=5)
    registration = register(meeting, party=2)
    assert registration.status == Registration.Status.CONFIRMED
    meeting.refresh_from_db()
    assert meeting.confirmed_seats == 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "参加申込みを受け付けました" in message.subject
    (name, content, mimetype) = message.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None


def test_a_line_break_in_the_meeting_title_does_not_stop_its_mails():
    meeting = MeetingFactory(capacity=5, title="北部エリア\r\nミーティング")
    registration = register(meeting)
    assert len(mail.outbox) == 1
    assert "北部エリア ミーティング" in mail.outbox[0].subject
    registration.refresh_from_db()
    assert registration.confirmation_sent_at is not None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"status": Meeting.Status.DRAFT}, "まだ公開されていません"),
        ({"status": Meeting.Status.CLOSED}, "申込みは終了しました"),
        (
            {"registration_closes_at": timezone.now() - datetime.timedelta(minutes=1)},
            "締切を過ぎています",
        ),
        (
            {
                "registration_opens_at": timezone.now() + datetime.timedelta(days=1),
                "registration_closes_at": timezone.now() + datetime.timedelta(days=2),
            },
            "から受け付けます",
        ),
    ],
)
def test_registration_outside_the_window_or_for_a_draft_is_refused(changes, message):
    meeting = MeetingFactory(**changes)
    with pytest.raises(ServiceError, match=message):
        register(meeting)
    assert not Registration.objects.exists()


def test_registering_twice_is_refused():
    meeting = MeetingFactory()
    user = UserFactory()
    register(meeting, user)
    with pytest.raises(ServiceError, match="すでに申し込んでいます"):
        register(meeting, user)


def test_past_capacity_people_wait_in_order_and_cancellation_promotes_the_first():
    meeting = MeetingFactory(capacity=2)
    first = register(meeting, party=2)
    waiting_a = register(meeting)
    waiting_b = register(meeting)
    assert waiting_a.status == waiting_b.status == Registration.Status.WAITING
    mail.outbox.clear()
    promotion = services.cancel_registration(registration_id=first.pk, by=Actor.for_system("t"))
    assert [r.pk for r in promotion.promoted] == [waiting_a.pk, waiting_b.pk]
    assert Registration.objects.get(pk=first.pk).status == Registration.Status.CANCELLED
    assert {m.to[0] for m in mail.outbox} == {waiting_a.email, waiting_b.email}
    assert all("参加が確定しました" in m.subject for m in mail.outbox)
    assert AuditLogEntry.objects.filter(action="meetings.registration.promoted").count() == 2


def test_a_party_that_no_longer_fits_is_skipped_not_split():
    meeting = MeetingFactory(capacity=3)
    first = register(meeting, party=2)
    register(meeting, party=1)
    big = register(meeting, party=3)
    small = register(meeting, party=1)
    promotion = services.cancel_registration(registration_id=first.pk, by=Actor.for_system("t"))
    assert [r.pk for r in promotion.skipped] == [big.pk]
    assert [r.pk for r in promotion.promoted] == [small.pk]
    big.refresh_from_db()
    assert big.status == Registration.Status.WAITING
    meeting.refresh_from_db()
    assert meeting.confirmed_seats == 2


def test_capacity_increase_promotes_and_lowering_below_confirmed_is_refused(by_coordinator):
    meeting = MeetingFactory(capacity=2)
    register(meeting, party=2)
    waiting = register(meeting)
    with pytest.raises(ServiceError, match="より少ない定員にはできません"):
        services.change_capacity(meeting_id=meeting.pk, capacity=1, by=by_coordinator)
    promotion = services.change_capacity(meeting_id=meeting.pk, capacity=3, by=by_coordinator)
    assert [r.pk for r in promotion.promoted] == [waiting.pk]


def test_mails_are_sent_once_even_when_the_task_runs_twice():
    from meetings.tasks import send_registration_mail

    registration = RegistrationFactory()
    assert send_registration_mail(registration.pk, "confirmation") is True
    assert send_registration_mail(registration.pk, "confirmation") is False
    assert len(mail.outbox) == 1


def test_reminders_go_to_tomorrows_confirmed_registrants_once():
    from meetings.tasks import send_reminders

    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    meeting = MeetingFactory(
        starts_at=tomorrow.replace(hour=10, minute=0),
        ends_at=tomorrow.replace(hour=12, minute=0),
        registration_closes_at=tomorrow.replace(hour=9, minute=0),
    )
    confirmed = RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.WAITING)
    RegistrationFactory(meeting=MeetingFactory())  # next week: no reminder yet
    assert send_reminders() == 1
    assert send_reminders() == 0
    assert [m.to[0] for m in mail.outbox] == [confirmed.email]
    assert "明日のミーティング" in mail.outbox[0].subject


def test_cancelling_a_meeting_tells_everyone_registered(by_coordinator):
    meeting = MeetingFactory()
    RegistrationFactory(meeting=meeting)
    RegistrationFactory(meeting=meeting, status=Registration.Status.WAITING)
    RegistrationFactory(meeting=meeting, status=Registration.Status.CANCELLED)
    services.move_meeting(meeting_id=meeting.pk, to=Meeting.Status.CANCELLED, by=by_coordinator)
    assert len(mail.outbox) == 2
    assert all("中止" in m.subject for m in mail.outbox)


def test_invitation_code_registration_uses_the_validator_and_keeps_a_keyed_hash():
    meeting = MeetingFactory()
    participant = Participant(name="案内 太郎", email="letter@example.jp")

    def validator(code, m, *, by):
        return "ABC123" if code.upper() == "ABC123" else None

    # The surveys app's validator knows no letter with this code.
    with pytest.raises(ServiceError, match="正しくありません"):
        services.register_with_invitation(
            meeting_id=meeting.pk, code="ABC123", participant=participant, by=Actor.for_system("t")
        )
    with pytest.raises(ServiceError, match="正しくありません"):
        services.register_with_invitation(
            meeting_id=meeting.pk,
            code="BAD",
            participant=participant,
            validator=validator,
            by=Actor.for_system("t"),
        )
    registration = services.register_with_invitation(
        meeting_id=meeting.pk,
        code="abc123",
        participant=participant,
        validator=validator,
        by=Actor.for_system("t"),
    )
    # The code itself would answer the survey in the resident's name: the
    # registration keeps a keyed hash of it only.
    assert registration.invitation_ref == services.registration.invitation_reference("ABC123")
    assert "ABC123" not in registration.invitation_ref.upper()
    assert registration.source == Registration.Source.INVITATION
    entry = AuditLogEntry.objects.get(action="meetings.registration.registered")
    assert "案内" not in str(entry.data) and "ABC123" not in str(entry.data)
    assert "invitation_code" not in {f.name for f in Registration._meta.get_fields()}


def test_walk_ins_are_attended_even_past_capacity(by_coordinator):
    meeting = MeetingFactory(capacity=1)
    register(meeting)
    walk_in = services.add_walk_in(
        meeting_id=meeting.pk,
        participant=Participant(name="当日 参加", party_size=2),
        by=by_coordinator,
    )
    assert walk_in.status == Registration.Status.CONFIRMED and walk_in.attended_at


def test_personal_fields_are_masked_in_audit_changes():
    from portal.audit import changes_between

    changes = changes_between(
        {"accessibility_needs": "", "childcare_requested": False},
        {"accessibility_needs": "車いす", "childcare_requested": True},
        model=Registration,
    )
    assert changes["accessibility_needs"]["new"] == "***"
    assert "車いす" not in str(changes)
