"""Rules of the liaisons app.

Who sees a support request: coordinators and administrators all of them; an
officer those of the areas they are assigned to today plus those assigned to
them; a representative their organisation's (while they represent it).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from areas.models import Organisation
from areas.permissions import representative_rule
from portal.models import Role
from portal.permissions import (
    NOTHING,
    AnyOf,
    HasRole,
    ObjectRule,
    administrators,
    coordinators,
    register,
)

from .models import AreaAssignment, Consultation, SupportRequest


def _is_officer(user):
    return Role.LIAISON_OFFICER in user.roles


def officer_area_ids(user, on=None):
    """A subquery of the areas `user` is assigned to today."""
    return (
        AreaAssignment.objects.current(on)
        .filter(officer__user=user, officer__is_active=True)
        .values("area_id")
    )


def covers_area(user, area_id):
    if not _is_officer(user):
        return False
    return (
        AreaAssignment.objects.current()
        .filter(officer__user=user, officer__is_active=True, area_id=area_id)
        .exists()
    )


def _officer_request_test(user, request):
    if not _is_officer(user):
        return False
    if request.assignee_id is not None and request.assignee.user_id == user.pk:
        return True
    return covers_area(user, request.area_id)


def _officer_request_rows(user):
    if not _is_officer(user):
        return NOTHING
    return Q(area__in=officer_area_ids(user)) | Q(assignee__user=user)


officer_requests = ObjectRule(
    model=SupportRequest,
    test=_officer_request_test,
    rows=_officer_request_rows,
    any=_is_officer,
    role=Role.LIAISON_OFFICER,
    reason=_("担当地域の依頼ではありません。"),
)


def _assignee_test(user, request):
    return (
        _is_officer(user)
        and request.assignee_id is not None
        and request.assignee.user_id == user.pk
    )


assignee_of_request = ObjectRule(
    model=SupportRequest,
    test=_assignee_test,
    rows=lambda user: Q(assignee__user=user) if _is_officer(user) else NOTHING,
    any=_is_officer,
    role=Role.LIAISON_OFFICER,
    reason=_("この依頼の担当職員ではありません。"),
)

requesting_representative = representative_rule(SupportRequest, "organisation")

officer_consultations = ObjectRule(
    model=Consultation,
    test=lambda user, c: (
        _is_officer(user) and (c.received_by_id == user.pk or covers_area(user, c.area_id))
    ),
    rows=lambda user: (
        (Q(received_by=user) | Q(area__in=officer_area_ids(user))) if _is_officer(user) else NOTHING
    ),
    any=_is_officer,
    role=Role.LIAISON_OFFICER,
    reason=_("担当地域の相談記録ではありません。"),
)


def _recorder_test(user, consultation):
    return _is_officer(user) and consultation.received_by_id == user.pk


# Who corrects a consultation record: the officer who took it (an officer
# covering the same area did not, and may only read it) and coordinators.
recorder_of_consultation = ObjectRule(
    model=Consultation,
    test=_recorder_test,
    rows=lambda user: Q(received_by=user) if _is_officer(user) else NOTHING,
    any=_is_officer,
    role=Role.LIAISON_OFFICER,
    reason=_("この相談を記録した職員ではありません。"),
)

# Staff who may key a request in for an organisation after a phone call,
# and representatives for the organisations they represent today.
staff_filing = HasRole(Role.COORDINATOR, Role.ADMINISTRATOR, Role.LIAISON_OFFICER)


register("liaisons.view_request", AnyOf(coordinators, officer_requests, requesting_representative))
register("liaisons.file_request", AnyOf(staff_filing, representative_rule(Organisation, "pk")))
register("liaisons.file_on_behalf", staff_filing)
register("liaisons.triage_request", AnyOf(coordinators, officer_requests))
register("liaisons.assign_request", AnyOf(coordinators, officer_requests))
register("liaisons.work_request", AnyOf(coordinators, assignee_of_request))
register("liaisons.rate_request", requesting_representative)
register("liaisons.manage_officers", administrators)
register("liaisons.manage_settings", administrators)
register("liaisons.view_consultation", AnyOf(coordinators, officer_consultations))
register("liaisons.log_consultation", HasRole(Role.LIAISON_OFFICER, Role.COORDINATOR))
# The view rule decides what can be found (404); this one who may change it.
register("liaisons.edit_consultation", AnyOf(HasRole(Role.COORDINATOR), recorder_of_consultation))
register("liaisons.view_reports", coordinators)
