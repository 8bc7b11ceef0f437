"""Registration for a meeting: seats under the meeting's lock, the waiting list, cancellation.

The pretix rule: lock the row that guards the seats (the meeting), recount the
confirmed seats from the registrations under the lock, then write. The
stored `Meeting.confirmed_seats` is a display cache refreshed here.
"""

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, locking, ratelimit
from portal.errors import ServiceError

from ..models import Meeting, Registration

MAX_PARTY_SIZE = 10


@dataclass(frozen=True)
class Participant:
    """What a registrant tells us; the personal data of a registration."""

    name: str
    name_kana: str = ""
    email: str = ""
    phone: str = ""
    party_size: int = 1
    accessibility_needs: str = ""
    childcare_requested: bool = False
    childcare_children: int = 0
    mode: str = Registration.Mode.IN_PERSON
    comment: str = ""


@dataclass
class Promotion:
    """Who moved up from the waiting list, and who was passed over (too many to fit)."""

    promoted: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def seats_taken(meeting_id):
    """Confirmed seats (parties with companions) counted from the rows."""
    total = Registration.objects.filter(
        meeting_id=meeting_id, status=Registration.Status.CONFIRMED
    ).aggregate(n=Sum("party_size"))["n"]
    return total or 0


def _refuse_unless_open(meeting, now):
    if meeting.status == Meeting.Status.DRAFT:
        raise ServiceError(_("このミーティングはまだ公開されていません。"), code="draft")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ServiceError(_("このミーティングは中止になりました。"), code="cancelled")
    if meeting.status != Meeting.Status.OPEN:
        raise ServiceError(_("このミーティングの申込みは終了しました。"), code="closed")
    if now < meeting.registration_opens_at:
        raise ServiceError(
            _("申込みは %(date)s から受け付けます。")
            % {
                "date": timezone.localtime(meeting.registration_opens_at).strftime(
                    "%Y年%m月%d日 %H:%M"
                )
            },
            code="not_yet",
        )
    if now >= meeting.registration_closes_at:
        raise ServiceError(_("申込みの締切を過ぎています。"), code="window_closed")


def _check_participant(meeting, participant, *, walk_in=False):
    if not participant.name.strip():
        raise ServiceError(_("氏名を入力してください。"))
    if not 1 <= participant.party_size <= MAX_PARTY_SIZE:
        raise ServiceError(_("人数は1人から%(max)d人までです。") % {"max": MAX_PARTY_SIZE})
    if participant.party_size > meeting.capacity and not walk_in:
        raise ServiceError(_("人数が定員を超えています。"))
    mode = participant.mode
    if not meeting.online_url:
        mode = Registration.Mode.IN_PERSON
    elif not (meeting.venue_name or meeting.venue_address):
        mode = Registration.Mode.ONLINE
    return mode


def _refresh_cache(meeting):
    meeting.confirmed_seats = seats_taken(meeting.pk)
    Meeting.objects.filter(pk=meeting.pk).update(confirmed_seats=meeting.confirmed_seats)


def _after_commit_mail(registration_id, kind):
    from portal.tasks import send_later

    from ..tasks import send_registration_mail

    transaction.on_commit(lambda: send_later(send_registration_mail, registration_id, kind))


def _register(*, meeting_id, user, participant, invitation_ref, source, by, now):
    now = now or timezone.now()
    with locking.locked_one(Meeting, meeting_id) as meeting:
        if source != Registration.Source.WALK_IN:
            _refuse_unless_open(meeting, now)
        mode = _check_participant(
            meeting, participant, walk_in=source == Registration.Source.WALK_IN
        )
        active = Registration.objects.filter(meeting=meeting, status__in=Registration.ACTIVE)
        if user is not None and active.filter(user=user).exists():
            raise ServiceError(_("このミーティングにはすでに申し込んでいます。"), code="twice")
        if invitation_ref and active.filter(invitation_ref=invitation_ref).exists():
            raise ServiceError(_("この招待コードではすでに申し込まれています。"), code="twice")
        # Recounted under the lock: the stored counter is never trusted.
        free = meeting.capacity - seats_taken(meeting.pk)
        fits = participant.party_size <= free or source == Registration.Source.WALK_IN
        registration = Registration(
            meeting=meeting,
            user=user,
            name=participant.name.strip(),
            name_kana=participant.name_kana.strip(),
            email=participant.email.strip(),
            phone=participant.phone.strip(),
            party_size=participant.party_size,
            accessibility_needs=participant.accessibility_needs.strip(),
            childcare_requested=participant.childcare_requested,
            childcare_children=participant.childcare_children
            if participant.childcare_requested
            else 0,
            mode=mode,
            comment=participant.comment.strip(),
            invitation_ref=invitation_ref,
            source=source,
            status=Registration.Status.CONFIRMED if fits else Registration.Status.WAITING,
            confirmed_at=now if fits else None,
            waiting_since=None if fits else now,
        )
        if source == Registration.Source.WALK_IN:
            registration.attended_at = now
            registration.checked_in_by = by.user if getattr(by.user, "pk", None) else None
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise ServiceError(
                _("このミーティングにはすでに申し込んでいます。"), code="twice"
            ) from None
        _refresh_cache(meeting)
        audit.record(
            by=by,
            action="meetings.registration.registered",
            target=registration,
            data={
                "meeting": meeting.pk,
                "status": registration.status,
                "party_size": registration.party_size,
                "source": source,
                "childcare": registration.childcare_requested,
            },
        )
        if registration.email and source != Registration.Source.WALK_IN:
            _after_commit_mail(registration.pk, "confirmation" if fits else "waiting")
    return registration


def register_for_meeting(*, meeting_id, user, participant, by, now=None):
    """A signed-in resident registers (with companions). Only for an open
    meeting inside its window, once per person; past capacity the party joins
    the waiting list. Seats are checked and taken under the meeting's lock."""
    return _register(
        meeting_id=meeting_id,
        user=user,
        participant=participant,
        invitation_ref="",
        source=Registration.Source.ACCOUNT,
        by=by,
        now=now,
    )


def register_applicant(*, series, key, meeting_id, by, now=None):
    """Staff register one of the series' applicants (`applicants.py`; e.g. a
    survey volunteer who said yes on the telephone) for a meeting of the
    series. The applicant is looked up again here, so an erased volunteer
    cannot be registered; the seat is taken under the meeting's lock like
    any registration (past capacity: the waiting list)."""
    from ..applicants import contact_keys, find_applicant

    applicant = find_applicant(series, key)
    if applicant is None:
        raise ServiceError(
            _("この申込者は見つかりません（記録が消去された可能性があります）。"), code="gone"
        )
    meeting = Meeting.objects.filter(pk=meeting_id, series=series).first()
    if meeting is None:
        raise ServiceError(_("このシリーズのミーティングを選んでください。"), code="series")
    if meeting in applicant.active:
        raise ServiceError(_("この人はこの回にすでに申し込んでいます。"), code="twice")
    email = applicant.contact if "@" in applicant.contact else ""
    phone = applicant.contact if not email and contact_keys(applicant.contact) else ""
    registration = _register(
        meeting_id=meeting.pk,
        user=None,
        participant=Participant(name=applicant.name, email=email, phone=phone),
        invitation_ref="",
        source=Registration.Source.STAFF,
        by=by,
        now=now,
    )
    audit.record(
        by=by,
        action="meetings.applicant.registered",
        target=registration,
        data={
            "series": series.pk,
            "meeting": meeting.pk,
            "status": registration.status,
            "volunteered": applicant.volunteered,
        },
    )
    return registration


# --- Invitation codes from survey letters --------------------------------------
# The surveys app owns the invitations. It registers a validator here:
#     meetings.services.invitation_validators.append(check_code)
# where check_code(code, meeting, by=actor) returns the code as the letter
# prints it (its canonical form) for a valid code of a letter that invites to
# `meeting`, or None; it may raise ServiceError (a limit on wrong codes).
# A registration keeps only `invitation_reference()` of that canonical code.

invitation_validators = []


def invitation_reference(canonical):
    """What a registration keeps of its letter's code: a keyed hash. The same
    letter gives the same value however the code was typed (one active
    registration per letter and meeting; one person across meetings), and
    neither the code nor the letter can be read back from it, nor matched
    with the surveys app's own digest of the code (another key)."""
    key = hashlib.sha256(("meetings.invitation-ref:" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def _canonical(code):
    return "".join(ch for ch in unicodedata.normalize("NFKC", code).upper() if ch.isalnum())


def _validate_invitation(code, meeting, validator, by):
    validators = [validator] if validator is not None else list(invitation_validators)
    if not validators:
        raise ServiceError(
            _("招待コードによる申込みはまだ受け付けていません。"), code="no_invitations"
        )
    for check in validators:
        result = check(code, meeting, by=by)
        if result:
            return invitation_reference(result if isinstance(result, str) else _canonical(code))
    raise ServiceError(_("招待コードが正しくありません。"), code="bad_code")


def register_with_invitation(
    *, meeting_id, code, participant, by, user=None, validator=None, now=None
):
    """Registration with the code printed on a survey letter (no account
    needed). `validator(code, meeting, by=by)` (or, without one, the
    validators the surveys app registered in `invitation_validators`)
    decides whether the code is valid; the registration keeps a keyed hash
    of it (never the code: it would answer the survey) so the funnel can
    follow the letter."""
    code = (code or "").strip()
    if not code:
        raise ServiceError(_("招待コードを入力してください。"))
    meeting = Meeting.objects.get(pk=meeting_id)
    reference = _validate_invitation(code, meeting, validator, by)
    if user is None and participant.email.strip():
        # Without an account, the address is only typed in: its notice
        # counts towards the limit every anonymous mail shares.
        ratelimit.spend(
            ratelimit.MAIL,
            client=ratelimit.client_of(by),
            secret=ratelimit.mail_target(participant.email),
            message=ratelimit.too_many_mails(),
        )
    return _register(
        meeting_id=meeting_id,
        user=user,
        participant=participant,
        invitation_ref=reference,
        source=Registration.Source.INVITATION,
        by=by,
        now=now,
    )


def add_walk_in(*, meeting_id, participant, by, now=None):
    """Staff add someone who came on the day: attended at once, even past capacity."""
    return _register(
        meeting_id=meeting_id,
        user=None,
        participant=participant,
        invitation_ref="",
        source=Registration.Source.WALK_IN,
        by=by,
        now=now,
    )


def promote_waiting(meeting, *, by, now=None):
    """Fill free seats from the waiting list in order (waiting since, then id).
    A party larger than the seats left is skipped, not split; later, smaller
    parties may still move up. Runs under the caller's lock on the meeting."""
    now = now or timezone.now()
    result = Promotion()
    free = meeting.capacity - seats_taken(meeting.pk)
    waiting = Registration.objects.filter(
        meeting=meeting, status=Registration.Status.WAITING
    ).order_by("waiting_since", "pk")
    for registration in waiting:
        if free <= 0:
            break
        if registration.party_size > free:
            result.skipped.append(registration)
            continue
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["status", "confirmed_at"])
        free -= registration.party_size
        result.promoted.append(registration)
        audit.record(
            by=by,
            action="meetings.registration.promoted",
            target=registration,
            changes={"status": {"old": "waiting", "new": "confirmed"}},
            data={"meeting": meeting.pk, "party_size": registration.party_size},
        )
        if registration.email:
            _after_commit_mail(registration.pk, "promotion")
    _refresh_cache(meeting)
    return result


def cancel_registration(*, registration_id, by, now=None):
    """The resident (or staff) cancels; freed seats go to the waiting list in
    order, under the same lock."""
    now = now or timezone.now()
    meeting_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    with locking.locked_one(Meeting, meeting_id) as meeting:
        registration = Registration.objects.get(pk=registration_id)
        if registration.status == Registration.Status.CANCELLED:
            raise ServiceError(_("この申込みはすでに取り消されています。"), code="cancelled")
        if meeting.status in (Meeting.Status.HELD, Meeting.Status.CANCELLED):
            raise ServiceError(_("このミーティングの申込みは取り消せません。"))
        old = registration.status
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        audit.record(
            by=by,
            action="meetings.registration.cancelled",
            target=registration,
            changes={"status": {"old": old, "new": "cancelled"}},
            data={"meeting": meeting.pk, "party_size": registration.party_size},
        )
        promotion = promote_waiting(meeting, by=by, now=now)
    return promotion


def change_capacity(*, meeting_id, capacity, by, now=None):
    """A new capacity; never below the confirmed seats. More seats promote
    from the waiting list at once."""
    if capacity < 1:
        raise ServiceError(_("定員は1人以上にしてください。"))
    with locking.locked_one(Meeting, meeting_id) as meeting:
        taken = seats_taken(meeting.pk)
        if capacity < taken:
            raise ServiceError(
                _("参加が確定している %(taken)d 人より少ない定員にはできません。")
                % {"taken": taken},
                code="below_confirmed",
            )
        old = meeting.capacity
        meeting.capacity = capacity
        meeting.save(update_fields=["capacity", "updated_at"])
        audit.record(
            by=by,
            action="meetings.meeting.capacity_changed",
            target=meeting,
            changes={"capacity": {"old": old, "new": capacity}},
        )
        promotion = promote_waiting(meeting, by=by, now=now)
    return promotion


def check_in(*, registration_id, attended, by, now=None):
    """Mark (or unmark) attendance on the day."""
    now = now or timezone.now()
    meeting_id = Registration.objects.values_list("meeting_id", flat=True).get(pk=registration_id)
    with locking.locked_one(Meeting, meeting_id):
        registration = Registration.objects.get(pk=registration_id)
        if registration.status != Registration.Status.CONFIRMED:
            raise ServiceError(_("参加が確定していない申込みです。"))
        old = registration.attended_at
        registration.attended_at = now if attended else None
        registration.checked_in_by = by.user if attended and getattr(by.user, "pk", None) else None
        registration.save(update_fields=["attended_at", "checked_in_by"])
        audit.record(
            by=by,
            action="meetings.registration.checked_in"
            if attended
            else "meetings.registration.check_in_undone",
            target=registration,
            changes={"attended": {"old": bool(old), "new": attended}},
            data={"meeting": meeting_id},
        )
    return registration
