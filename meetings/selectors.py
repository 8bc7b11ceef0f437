"""Reads of the meetings app, filtered by what the user may see."""

import datetime

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from portal.permissions import visible

from . import funnel
from .calendar import month_bounds
from .models import Idea, Meeting, MeetingSeries, Registration


def meetings_visible_to(user):
    return visible(user, "meetings.view_meeting", Meeting.objects.all()).select_related(
        "area", "theme_issue", "series"
    )


def meeting_list(user, *, area=None, theme=None, month=None, kind="", upcoming_only=False):
    """The public list: filters by area, theme (catalogue issue), month (a date
    in it) and kind."""
    meetings = meetings_visible_to(user)
    if area is not None:
        meetings = meetings.filter(area=area)
    if theme is not None:
        meetings = meetings.filter(theme_issue=theme)
    if kind:
        meetings = meetings.filter(kind=kind)
    if month is not None:
        start, end = month_bounds(month.year, month.month)
        meetings = meetings.filter(starts_at__gte=start, starts_at__lt=end)
    elif upcoming_only:
        meetings = meetings.filter(ends_at__gte=timezone.now())
    return meetings.order_by("starts_at", "pk")


def meetings_in_month(user, year, month, *, area=None):
    start, end = month_bounds(year, month)
    meetings = meetings_visible_to(user).filter(starts_at__gte=start, starts_at__lt=end)
    if area is not None:
        meetings = meetings.filter(area=area)
    return meetings.order_by("starts_at", "pk")


def area_feed_meetings(area, *, limit=30):
    """Published meetings of an area, newest first (for the Atom feed)."""
    return (
        Meeting.objects.filter(area=area, status__in=Meeting.PUBLISHED)
        .select_related("area")
        .order_by("-starts_at", "-pk")[:limit]
    )


def staff_meeting_list(user, *, status=""):
    meetings = meetings_visible_to(user).annotate(
        waiting_count=Count("registrations", filter=Q(registrations__status="waiting"))
    )
    if status:
        meetings = meetings.filter(status=status)
    return meetings.order_by("-starts_at", "-pk")


def active_registration(meeting, user):
    if not user.is_authenticated:
        return None
    return (
        Registration.objects.filter(meeting=meeting, user=user, status__in=Registration.ACTIVE)
        .order_by("-pk")
        .first()
    )


def waiting_position(registration):
    """1 for the first in line."""
    if registration.status != Registration.Status.WAITING:
        return None
    return (
        Registration.objects.filter(
            meeting_id=registration.meeting_id, status=Registration.Status.WAITING
        )
        .filter(
            Q(waiting_since__lt=registration.waiting_since)
            | Q(waiting_since=registration.waiting_since, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def my_registrations(user):
    return (
        visible(user, "meetings.cancel_registration", Registration.objects.filter(user=user))
        .select_related("meeting", "meeting__area", "feedback")
        .order_by("-meeting__starts_at", "-pk")
    )


def participants(meeting, *, query=""):
    """Registrations of a meeting for its team (personal data: audit the read)."""
    rows = Registration.objects.filter(meeting=meeting).select_related("user")
    query = (query or "").strip()
    if query:
        from .text import search_variants

        condition = Q()
        for variant in search_variants(query):
            condition |= Q(name__icontains=variant) | Q(name_kana__icontains=variant)
        rows = rows.filter(condition)
    return rows.order_by(
        # confirmed first, then the waiting list in its order, cancelled last
        "status",
        "waiting_since",
        "name_kana",
        "pk",
    )


def meeting_counts(meeting):
    rows = Registration.objects.filter(meeting=meeting)
    return rows.aggregate(
        confirmed_parties=Count("pk", filter=Q(status="confirmed")),
        confirmed_people=Sum("party_size", filter=Q(status="confirmed")),
        waiting_parties=Count("pk", filter=Q(status="waiting")),
        attended_parties=Count("pk", filter=Q(attended_at__isnull=False)),
        attended_people=Sum("party_size", filter=Q(attended_at__isnull=False)),
        childcare=Count("pk", filter=Q(status="confirmed", childcare_requested=True)),
        needs=Count("pk", filter=Q(status="confirmed") & ~Q(accessibility_needs="")),
    )


def series_visible_to(user):
    return visible(user, "meetings.view_funnel", MeetingSeries.objects.all()).select_related("area")


def series_report(series):
    meetings = list(
        series.meetings.annotate(
            confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
            attended=Count("registrations", filter=Q(registrations__attended_at__isnull=False)),
        ).order_by("starts_at", "pk")
    )
    for meeting in meetings:
        meeting.attendance_rate = (
            round(100 * meeting.attended / meeting.confirmed, 1) if meeting.confirmed else None
        )
    registrations = list(
        Registration.objects.filter(meeting__series=series).select_related("meeting", "user")
    )
    report = funnel.series_funnel(series, registrations)
    report["meetings"] = meetings
    return report


def series_applicants(series):
    """Everyone who applied for the series' meetings, volunteers included
    (personal data: coordinators only, and the caller audits the read)."""
    from .applicants import series_applicants

    return series_applicants(series)


def ideas_of(meeting):
    return meeting.ideas.select_related("issue").order_by("pk")


def ideas_for_area(area):
    """Ideas and issues raised at the area's meetings and pushed to the karte
    (the karte's 'issues raised' list reads this)."""
    return (
        Idea.objects.filter(meeting__area=area, pushed_to_karte_at__isnull=False)
        .select_related("issue", "meeting")
        .order_by("-pushed_to_karte_at", "-pk")
    )


def opendata_meetings():
    """Published meetings (not drafts) for the イベント一覧 dataset."""
    return (
        Meeting.objects.filter(status__in=Meeting.PUBLISHED)
        .select_related("area")
        .order_by("starts_at", "pk")
    )


def today():
    return timezone.localdate()


def tomorrow():
    return today() + datetime.timedelta(days=1)


def city_code():
    return settings.PORTAL_CITY_CODE
