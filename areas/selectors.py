from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from portal.permissions import visible
from portal.text import kana_order

from .models import Area, LocalIssue, Organisation, Representation

PUBLIC_ORGANISATION = Q(is_active=True, approved_at__isnull=False)


def areas_for_listing():
    """Areas with the counts the public list shows, in one query."""
    return Area.objects.annotate(
        district_count=Count("districts", distinct=True),
        organisation_count=Count(
            "organisations",
            filter=Q(organisations__is_active=True, organisations__approved_at__isnull=False),
            distinct=True,
        ),
    ).order_by("code")


def area_for_detail(code):
    active_organisations = Organisation.objects.filter(PUBLIC_ORGANISATION).order_by(
        kana_order("name_kana"), "name"
    )
    return Area.objects.prefetch_related(
        "districts", Prefetch("organisations", queryset=active_organisations)
    ).get(code=code)


def organisations_visible_to(user):
    """Public organisations for everyone; staff also see retired and pending
    ones, applicants and representatives their own (the rule's filter)."""
    organisations = Organisation.objects.prefetch_related("areas")
    return visible(user, "areas.view_organisation", organisations)


def organisation_directory(user, *, kind="", area=None):
    """The organisation directory, filtered as asked, sorted by kana. Pending
    registrations are not in the directory, whoever looks."""
    organisations = (
        organisations_visible_to(user)
        .filter(approved_at__isnull=False)
        .order_by(kana_order("name_kana"), "name")
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    if area is not None:
        organisations = organisations.filter(areas=area)
    return organisations


def organisations_editable_by(user):
    return visible(user, "areas.edit_organisation", Organisation.objects.all())


def current_organisations_of(user):
    """The organisations `user` represents today."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        pk__in=Representation.objects.current().filter(user=user).values("organisation_id")
    ).order_by(kana_order("name_kana"), "name")


def representations_of_organisation(organisation):
    """Everyone who represents or represented the organisation, newest first."""
    return (
        Representation.objects.filter(organisation=organisation)
        .exclude(status=Representation.Status.REJECTED)
        .select_related("user", "approved_by")
        .order_by("-valid_from", "-id")
    )


def current_representatives(organisation):
    return (
        Representation.objects.current()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("position", "user__email")
    )


def pending_representation_applications():
    return (
        Representation.objects.filter(status=Representation.Status.APPLIED)
        .select_related("user", "organisation")
        .order_by("applied_at", "id")
    )


def pending_organisation_registrations():
    return (
        Organisation.objects.filter(approved_at__isnull=True)
        .select_related("registered_by")
        .prefetch_related("areas")
        .order_by("created_at")
    )


def representations_of_user(user):
    return (
        Representation.objects.filter(user=user)
        .select_related("organisation")
        .order_by("-valid_from", "-id")
    )


def today():
    return timezone.localdate()


def local_issues(*, include_retired=False):
    issues = LocalIssue.objects.prefetch_related("sdg_goals")
    return issues if include_retired else issues.filter(is_active=True)
