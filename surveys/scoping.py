"""Which surveys a meeting series counts: the rule that keeps two series of
one area from counting the same people.

A survey opens on the day its sample was drawn (its letters go out then; a
survey without a draw opens on the day it was created). For each area it
reached, a survey counts for one meeting series of that area only: the
earliest-starting series that had not yet ended when the survey opened. A
series starts on its first meeting's day (the day it was created while it
has no meetings) and ends on its last meeting's day; a series without
meetings has not ended. So this year's survey feeds this year's series
(whether the series' first meeting comes before, during or after the
answering period), and last year's survey stays with last year's series.

Its invitations (the funnel's "sampled" and "answered") and its volunteers
(the series' applicants) are counted there and nowhere else.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Max, Min
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    series_id: int | None
    start: date
    end: date | None  # None: no meetings yet, not ended


def series_periods(area_id):
    from meetings.models import MeetingSeries

    rows = (
        MeetingSeries.objects.filter(area_id=area_id)
        .annotate(first=Min("meetings__starts_at"), last=Max("meetings__ends_at"))
        .values("pk", "created_at", "first", "last")
    )
    return [
        Period(
            series_id=row["pk"],
            start=timezone.localdate(row["first"] or row["created_at"]),
            end=timezone.localdate(row["last"]) if row["last"] else None,
        )
        for row in rows
    ]


def opened_on(survey):
    if survey.draw_id:
        return timezone.localdate(survey.draw.created_at)
    return timezone.localdate(survey.created_at)


def choose(periods, opened):
    candidates = [p for p in periods if p.end is None or p.end >= opened]
    if not candidates:
        return None
    return min(candidates, key=lambda p: (p.start, p.series_id or 0))


def series_of(survey, area_id, periods=None):
    """The id of the series of `area_id` that counts `survey` (None: none yet)."""
    periods = series_periods(area_id) if periods is None else periods
    period = choose(periods, opened_on(survey))
    return period.series_id if period else None


def last_meeting_day(series_id):
    from meetings.models import Meeting

    last = Meeting.objects.filter(series_id=series_id).aggregate(last=Max("ends_at"))["last"]
    return timezone.localdate(last) if last else None


def surveys_for_series(series):
    """The surveys counted by `series` (a MeetingSeries, saved or not)."""
    from .models import Invitation, Survey, Volunteer

    area_id = series.area_id
    ids = set(
        Invitation.objects.filter(area_id=area_id)
        .exclude(draw__survey=None)
        .values_list("draw__survey", flat=True)
        .distinct()
    )
    ids |= set(Volunteer.objects.filter(area_id=area_id).values_list("survey_id", flat=True))
    if not ids:
        return []
    periods = series_periods(area_id)
    if series.pk is None:
        periods.append(Period(None, timezone.localdate(), None))
    chosen = []
    for survey in Survey.objects.filter(pk__in=ids).select_related("draw").order_by("pk"):
        period = choose(periods, opened_on(survey))
        if period is not None and period.series_id == series.pk:
            chosen.append(survey)
    return chosen
