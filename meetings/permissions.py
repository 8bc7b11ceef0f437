"""Rules of the meetings app.

Residents see every meeting but drafts; coordinators run meetings; the
facilitating liaison officers of a meeting see its participants (personal
data), check people in and record the minutes.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import Role
from portal.permissions import (
    ALLOW,
    EVERYTHING,
    AnyOf,
    Decision,
    HasRole,
    ObjectRule,
    Rule,
    SignedIn,
    coordinators,
    register,
    signed_in_user,
    staff,
)

from .models import Meeting, MeetingSeries, Registration


def _is_coordinator(user):
    return signed_in_user(user) and bool(coordinators.check(user))


class MeetingVisibility(Rule):
    """Published meetings to everyone (signed in or not); drafts to staff."""

    model = Meeting

    def check(self, user, obj=None):
        if obj is None or obj.status in Meeting.PUBLISHED:
            decision = staff.check(user) if signed_in_user(user) else None
            return Decision(True, role=decision.role) if decision else ALLOW
        decision = staff.check(user) if signed_in_user(user) else Decision(False)
        if decision:
            return decision
        return Decision(False, _("このミーティングは公開されていません。"))

    def q(self, user):
        if signed_in_user(user) and staff.check(user):
            return EVERYTHING
        return Q(status__in=Meeting.PUBLISHED)


def _facilitated_ids(user):
    return Meeting.facilitators.through.objects.filter(user_id=user.pk).values("meeting_id")


facilitator = ObjectRule(
    model=Meeting,
    test=lambda user, meeting: meeting.facilitators.filter(pk=user.pk).exists(),
    rows=lambda user: Q(pk__in=_facilitated_ids(user)),
    any=lambda user: Role.LIAISON_OFFICER in user.roles,
    role=Role.LIAISON_OFFICER,
    reason=_("このミーティングの進行役ではありません。"),
)

meeting_coordinator = ObjectRule(
    model=Meeting,
    test=lambda user, meeting: _is_coordinator(user),
    rows=lambda user: EVERYTHING if _is_coordinator(user) else Q(pk__in=[]),
    any=_is_coordinator,
    role=Role.COORDINATOR,
    reason=_("この操作はコーディネーターのみ行えます。"),
)

# The meeting's own team: coordinators and its facilitators.
meeting_team = AnyOf(meeting_coordinator, facilitator)


def _own_registration_rule():
    return ObjectRule(
        model=Registration,
        test=lambda user, registration: registration.user_id == user.pk,
        rows=lambda user: Q(user=user),
        role=Role.RESIDENT,
        reason=_("ご自身の申込みではありません。"),
    )


own_registration = _own_registration_rule()

registration_coordinator = ObjectRule(
    model=Registration,
    test=lambda user, registration: _is_coordinator(user),
    rows=lambda user: EVERYTHING if _is_coordinator(user) else Q(pk__in=[]),
    any=_is_coordinator,
    role=Role.COORDINATOR,
    reason=_("ご自身の申込みではありません。"),
)

series_staff = ObjectRule(
    model=MeetingSeries,
    test=lambda user, series: bool(staff.check(user)),
    rows=lambda user: EVERYTHING if staff.check(user) else Q(pk__in=[]),
    any=lambda user: bool(staff.check(user)),
    reason=_("この操作は権限のある職員のみ行えます。"),
)

register("meetings.view_meeting", MeetingVisibility())
register("meetings.register", SignedIn())
register("meetings.view_own_registrations", SignedIn())
register("meetings.cancel_registration", AnyOf(own_registration, registration_coordinator))
register("meetings.give_feedback", own_registration)
register("meetings.manage_meetings", coordinators)
register("meetings.edit_meeting", meeting_coordinator)
register("meetings.view_staff_list", staff)
register("meetings.view_participants", meeting_team)
register("meetings.check_in", meeting_team)
register("meetings.record_minutes", meeting_team)
register("meetings.push_to_karte", HasRole(Role.COORDINATOR, Role.ADMINISTRATOR))
register("meetings.view_funnel", series_staff)
register("meetings.edit_funnel_figures", HasRole(Role.COORDINATOR, Role.ADMINISTRATOR))

# The series' applicants include the survey's volunteers: their names and
# contacts are for the staff who run the meetings and surveys only.
register(
    "meetings.view_applicants",
    HasRole(Role.COORDINATOR, reason=_("申込者の連絡先はコーディネーターのみ見られます。")),
)
register(
    "meetings.register_applicants",
    HasRole(Role.COORDINATOR, reason=_("申込者の連絡先はコーディネーターのみ見られます。")),
)
