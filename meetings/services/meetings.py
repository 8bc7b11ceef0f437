"""Meetings themselves: create, edit, move through their states, record what came out."""

from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, locking
from portal.errors import ServiceError
from portal.models import Role, User
from portal.workflow import Workflow

from ..models import Feedback, Idea, Meeting, MeetingSeries, Registration
from .registration import change_capacity, seats_taken

Status = Meeting.Status

MEETING_FLOW = Workflow(
    moves={
        (Status.DRAFT, Status.OPEN): "meetings.edit_meeting",
        (Status.OPEN, Status.CLOSED): "meetings.edit_meeting",
        (Status.CLOSED, Status.OPEN): "meetings.edit_meeting",
        (Status.OPEN, Status.HELD): "meetings.edit_meeting",
        (Status.CLOSED, Status.HELD): "meetings.edit_meeting",
        (Status.DRAFT, Status.CANCELLED): "meetings.edit_meeting",
        (Status.OPEN, Status.CANCELLED): "meetings.edit_meeting",
        (Status.CLOSED, Status.CANCELLED): "meetings.edit_meeting",
    },
    action_prefix="meetings.meeting",
)


@dataclass(frozen=True)
class MeetingDetails:
    """The editable fields of a meeting (capacity and status have their own services)."""

    area: object
    title: str
    kind: str
    starts_at: object
    ends_at: object
    registration_opens_at: object
    registration_closes_at: object
    series: object = None
    theme_issue: object = None
    theme_text: str = ""
    description: str = ""
    venue_name: str = ""
    venue_address: str = ""
    online_url: str = ""
    contact: str = ""
    contact_phone: str = ""


FIELDS = list(MeetingDetails.__dataclass_fields__)


def _validate(meeting, facilitators):
    if not (meeting.venue_name or meeting.venue_address or meeting.online_url):
        raise ServiceError(_("会場かオンライン参加のURLのどちらかを入力してください。"))
    if meeting.ends_at <= meeting.starts_at:
        raise ServiceError(_("終了日時は開始日時より後にしてください。"))
    if meeting.registration_closes_at <= meeting.registration_opens_at:
        raise ServiceError(_("申込締切は申込開始より後にしてください。"))
    if meeting.registration_closes_at > meeting.ends_at:
        raise ServiceError(_("申込締切は終了日時より前にしてください。"))
    if meeting.series_id and meeting.series.area_id != meeting.area_id:
        raise ServiceError(_("シリーズの地域とミーティングの地域が異なります。"))
    for user in facilitators:
        if not user.has_role(Role.LIAISON_OFFICER):
            raise ServiceError(_("進行役には地域担当職員を選んでください。"))
    try:
        meeting.full_clean(exclude=["facilitators"])
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages)) from None


def create_meeting(*, details, capacity, facilitators=(), by):
    """A new meeting, as a draft (invisible to residents until opened)."""
    meeting = Meeting(**asdict(details), capacity=capacity, status=Status.DRAFT)
    _validate(meeting, facilitators)
    with transaction.atomic():
        meeting.save()
        meeting.facilitators.set(facilitators)
        audit.record(
            by=by,
            action="meetings.meeting.created",
            target=meeting,
            data={"area": meeting.area.code, "kind": meeting.kind, "capacity": capacity},
        )
    return meeting


def update_meeting(*, meeting_id, details, capacity, facilitators=(), by):
    """Edit a meeting; a capacity change goes through `change_capacity` (never
    below the confirmed seats, more seats promote the waiting list)."""
    current = Meeting.objects.get(pk=meeting_id)
    if capacity != current.capacity:
        change_capacity(meeting_id=meeting_id, capacity=capacity, by=by)
    with locking.locked_one(Meeting, meeting_id) as meeting:
        old = audit.snapshot(meeting, FIELDS)
        old["facilitators"] = list(meeting.facilitators.values_list("pk", flat=True))
        for name, value in asdict(details).items():
            setattr(meeting, name, value)
        _validate(meeting, facilitators)
        meeting.save()
        meeting.facilitators.set(facilitators)
        new = audit.snapshot(meeting, FIELDS)
        new["facilitators"] = [u.pk for u in facilitators]
        audit.record(
            by=by,
            action="meetings.meeting.updated",
            target=meeting,
            changes=audit.changes_between(old, new, model=Meeting),
        )
    return meeting


def move_meeting(*, meeting_id, to, by, note=""):
    """Open, close, mark held or cancel a meeting (the table in MEETING_FLOW).
    Cancelling tells everyone registered."""
    with locking.locked_one(Meeting, meeting_id) as meeting:
        if to == Status.HELD and meeting.starts_at > timezone.now():
            raise ServiceError(_("開始前のミーティングは開催済みにできません。"))
        MEETING_FLOW.transition(meeting, to=to, by=by, note=note, extra_fields=["updated_at"])
        if to == Status.CANCELLED:
            from portal.tasks import send_later

            from ..tasks import send_cancellation_notices

            transaction.on_commit(lambda: send_later(send_cancellation_notices, meeting.pk))
    return meeting


def save_minutes(*, meeting_id, minutes, by):
    with locking.locked_one(Meeting, meeting_id) as meeting:
        meeting.minutes = minutes.strip()
        meeting.minutes_updated_at = timezone.now()
        meeting.save(update_fields=["minutes", "minutes_updated_at", "updated_at"])
        audit.record(
            by=by,
            action="meetings.minutes.updated",
            target=meeting,
            data={"length": len(meeting.minutes)},
        )
    return meeting


def add_idea(*, meeting_id, kind, text, issue=None, by):
    if not text.strip():
        raise ServiceError(_("内容を入力してください。"))
    with transaction.atomic():
        idea = Idea.objects.create(
            meeting_id=meeting_id,
            kind=kind,
            text=text.strip(),
            issue=issue,
            created_by=by.user if getattr(by.user, "pk", None) else None,
        )
        audit.record(
            by=by,
            action="meetings.idea.created",
            target=idea,
            data={"meeting": meeting_id, "issue": issue.pk if issue else None},
        )
    return idea


def push_idea_to_karte(*, idea_id, by):
    """Mark an idea for the area's issue list that the karte will read
    (`meetings.selectors.ideas_for_area`). Needs a catalogue issue; once only."""
    with locking.locked_one(Idea, idea_id) as idea:
        if idea.pushed_to_karte_at:
            raise ServiceError(_("この意見はすでに地域カルテに反映しています。"))
        if idea.issue_id is None:
            raise ServiceError(_("地域課題を選んでから反映してください。"))
        idea.pushed_to_karte_at = timezone.now()
        idea.pushed_by = by.user if getattr(by.user, "pk", None) else None
        idea.save(update_fields=["pushed_to_karte_at", "pushed_by"])
        audit.record(
            by=by,
            action="meetings.idea.pushed_to_karte",
            target=idea,
            data={"meeting": idea.meeting_id, "issue": idea.issue_id},
        )
    return idea


def create_series(*, area, title, description="", by):
    if not title.strip():
        raise ServiceError(_("シリーズ名を入力してください。"))
    with transaction.atomic():
        series = MeetingSeries.objects.create(
            area=area, title=title.strip(), description=description.strip()
        )
        audit.record(by=by, action="meetings.series.created", target=series)
    return series


def set_funnel_figures(*, series_id, sampled_count, answered_count, by):
    """Figures from paper (letters sent, answers received) until surveys provide them."""
    if sampled_count is not None and answered_count is not None and answered_count > sampled_count:
        raise ServiceError(_("回答した人数が案内を送った人数を超えています。"))
    with locking.locked_one(MeetingSeries, series_id) as series:
        old = audit.snapshot(series, ["sampled_count", "answered_count"])
        series.sampled_count = sampled_count
        series.answered_count = answered_count
        series.save(update_fields=["sampled_count", "answered_count"])
        audit.record(
            by=by,
            action="meetings.series.figures_updated",
            target=series,
            changes=audit.changes_between(
                old, audit.snapshot(series, ["sampled_count", "answered_count"])
            ),
        )
    return series


def submit_feedback(*, registration_id, satisfaction, support_wanted, comment, by):
    """One short feedback per registration, after attending."""
    tiers = sorted({t for t in support_wanted if t in dict(Feedback.SUPPORT_TIERS)})
    with locking.locked(Registration.objects.filter(pk=registration_id)) as rows:
        registration = rows[0]
        if registration.attended_at is None:
            raise ServiceError(_("ご参加いただいたミーティングについてお答えください。"))
        if Feedback.objects.filter(registration=registration).exists():
            raise ServiceError(_("アンケートにはすでにお答えいただいています。"))
        feedback = Feedback.objects.create(
            registration=registration,
            satisfaction=satisfaction,
            support_wanted=tiers,
            comment=comment.strip(),
        )
        audit.record(
            by=by,
            action="meetings.feedback.created",
            target=feedback,
            data={"meeting": registration.meeting_id, "support_wanted": tiers},
        )
    return feedback


def officers():
    """Users who may facilitate: the liaison officers."""
    return User.objects.filter(
        role_assignments__role=Role.LIAISON_OFFICER, is_active=True
    ).order_by("full_name_kana", "pk")


__all__ = [
    "MEETING_FLOW",
    "MeetingDetails",
    "add_idea",
    "create_meeting",
    "create_series",
    "move_meeting",
    "officers",
    "push_idea_to_karte",
    "save_minutes",
    "seats_taken",
    "set_funnel_figures",
    "submit_feedback",
    "update_meeting",
]
