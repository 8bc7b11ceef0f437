"""Reads of the grants app, filtered by what the user may see."""

from django.db.models import Count, Prefetch, Q

from areas.selectors import current_organisations_of  # noqa: F401 (re-exported for views)
from portal.permissions import visible

from .models import Application, Programme, ReviewAssignment


def programmes():
    return Programme.objects.annotate(
        application_count=Count("applications", filter=~Q(applications__status="draft"))
    ).order_by("-fiscal_year", "name")


def programme(pk):
    return Programme.objects.prefetch_related("criteria").get(pk=pk)


def applications_visible_to(user):
    return visible(
        user,
        "grants.view_application",
        Application.objects.select_related("programme", "organisation", "area", "applicant"),
    )


def application_detail(user, pk):
    return (
        applications_visible_to(user)
        .prefetch_related(
            "budget_lines",
            "attachments",
            "issues",
            "sdg_goals",
            Prefetch(
                "review_assignments",
                queryset=ReviewAssignment.objects.select_related("reviewer").prefetch_related(
                    "scores__criterion"
                ),
            ),
        )
        .get(pk=pk)
    )


def programme_applications(user, programme, *, include_drafts=False):
    rows = (
        applications_visible_to(user)
        .filter(programme=programme)
        .prefetch_related("issues")
        .order_by("pk")
    )
    if not include_drafts:
        rows = rows.exclude(status=Application.Status.DRAFT)
    return rows


def my_applications(user):
    """The applications of the organisations the user represents today."""
    return visible(
        user,
        "grants.edit_application",
        Application.objects.select_related("programme", "organisation"),
    ).order_by("-pk")


def my_review_assignments(user):
    return (
        ReviewAssignment.objects.filter(
            reviewer=user,
            application__in=visible(user, "grants.review_application", Application.objects.all()),
        )
        .select_related("application__programme", "application__organisation")
        .order_by("-application__pk")
    )


def allocation_lines(programme):
    allocation = getattr(programme, "allocation", None)
    if allocation is None:
        return None, []
    return allocation, list(allocation.lines.select_related("area"))
