"""Rules of the grants app.

- Programmes are public (calls for proposals are published); coordinators
  run them: allocation, reviewer assignment, decisions, reports, exports.
- An application is seen by the representatives of its organisation (today),
  by the reviewers assigned to it, and by coordinators; nobody else, so a
  guessed id is a 404.
- A reviewer scores only applications assigned to them; the scores of others
  are shown only to reviewers who declared no conflict of interest.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.permissions import representative_rule, represents_any
from portal.models import Role, register_personal_data_access
from portal.permissions import (
    EVERYTHING,
    NOTHING,
    AnyOf,
    HasRole,
    ObjectRule,
    coordinators,
    register,
    staff,
)

from .models import Application, Programme, ReviewAssignment


def _represents_anyone(user):
    return represents_any(user)


def _is_reviewer(user):
    return Role.REVIEWER in user.roles


def _assigned(user, application, **extra):
    return (
        _is_reviewer(user)
        and ReviewAssignment.objects.filter(
            application_id=application.pk, reviewer=user, **extra
        ).exists()
    )


def _assigned_rows(**extra):
    def rows(user):
        if not _is_reviewer(user):
            return NOTHING
        return Q(
            pk__in=ReviewAssignment.objects.filter(reviewer=user, **extra).values("application_id")
        )

    return rows


applicants = ObjectRule(
    model=Programme,
    test=lambda user, programme: _represents_anyone(user),
    rows=lambda user: EVERYTHING if _represents_anyone(user) else NOTHING,
    any=_represents_anyone,
    role=Role.REPRESENTATIVE,
    reason=_("交付申請は団体の代表・担当者として登録された方が行えます。"),
)

own_application = representative_rule(
    Application, "organisation", reason=_("この申請の団体の代表・担当者ではありません。")
)

assigned_reviewer = ObjectRule(
    model=Application,
    test=lambda user, application: _assigned(user, application),
    rows=_assigned_rows(),
    any=_is_reviewer,
    role=Role.REVIEWER,
    reason=_("この申請の審査は割り当てられていません。"),
)

# A reviewer who declared no conflict of interest may see the other reviewers' scores.
cleared_reviewer = ObjectRule(
    model=Application,
    test=lambda user, application: _assigned(user, application, conflict=False),
    rows=_assigned_rows(conflict=False),
    any=_is_reviewer,
    role=Role.REVIEWER,
    reason=_("利害関係の申告が済んでいないか、利害関係があるため、採点結果は見られません。"),
)

# Assigned reviewers read applicants' names and contacts: from their first
# assignment on they count as handling personal data (MFA, idle timeout).
register_personal_data_access(
    Role.REVIEWER, lambda user: ReviewAssignment.objects.filter(reviewer=user).exists()
)

register("grants.manage_programmes", coordinators)
register("grants.view_allocation", staff)
register("grants.apply", applicants)
register("grants.view_application", AnyOf(coordinators, own_application, assigned_reviewer))
register("grants.edit_application", own_application)
register("grants.file_report", own_application)
register("grants.review_application", assigned_reviewer)
register("grants.list_reviews", HasRole(Role.REVIEWER))
register("grants.view_scores", AnyOf(coordinators, cleared_reviewer))
register("grants.decide_application", coordinators)
register("grants.export", coordinators)
register("grants.download_grant_report", AnyOf(coordinators, own_application))
