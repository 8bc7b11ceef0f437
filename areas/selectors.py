from django.db.models import Count, Prefetch, Q

from portal.permissions import may
from portal.text import kana_order

from .models import Area, LocalIssue, Organisation


def areas_for_listing():
    """Areas with the counts the public list shows, in one query."""
    return Area.objects.annotate(
        district_count=Count("districts", distinct=True),
        organisation_count=Count(
            "organisations", filter=Q(organisations__is_active=True), distinct=True
        ),
    ).order_by("code")


def area_for_detail(code):
    active_organisations = Organisation.objects.filter(is_active=True).order_by(
        kana_order("name_kana"), "name"
    )
    return Area.objects.prefetch_related(
        "districts", Prefetch("organisations", queryset=active_organisations)
    ).get(code=code)


def organisations_visible_to(user):
    """Active organisations for everyone; staff also see retired ones."""
    organisations = Organisation.objects.prefetch_related("areas")
    if may(user, "areas.view_retired_organisations"):
        return organisations
    return organisations.filter(is_active=True)


def organisation_directory(user, *, kind="", area=None):
    """The organisation directory, filtered as asked, sorted by kana."""
    organisations = organisations_visible_to(user).order_by(kana_order("name_kana"), "name")
    if kind:
        organisations = organisations.filter(kind=kind)
    if area is not None:
        organisations = organisations.filter(areas=area)
    return organisations


def organisations_editable_by(user):
    if may(user, "areas.manage_organisations"):
        return Organisation.objects.all()
    if user.is_authenticated:
        return Organisation.objects.filter(representatives=user)
    return Organisation.objects.none()


def local_issues(*, include_retired=False):
    issues = LocalIssue.objects.prefetch_related("sdg_goals")
    return issues if include_retired else issues.filter(is_active=True)
