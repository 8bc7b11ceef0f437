"""The funnel of a meeting series: sampled → answered → applied → attended.

The first two stages belong to the survey work. It fills them by adding a
provider here:

    from meetings import funnel
    funnel.providers.append(lambda series: {"sampled": 2803, "answered": 538})

A provider returns the figures it knows (or None for a series it does not
cover). Without one, the coordinator's figures from paper are used; a stage
with no figure at all stays empty (never zero).
"""

from dataclasses import dataclass

from .applicants import person_key, series_applicants
from .models import Registration

__all__ = ["Stage", "person_key", "providers", "series_funnel", "survey_figures"]

providers = []


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int | None
    rate: float | None  # share of the previous stage, in percent


def survey_figures(series):
    for provider in providers:
        figures = provider(series)
        if figures:
            return figures.get("sampled"), figures.get("answered"), "survey"
    if series.sampled_count is not None or series.answered_count is not None:
        return series.sampled_count, series.answered_count, "manual"
    return None, None, ""


def _rate(count, previous):
    if count is None or not previous:
        return None
    return round(100 * count / previous, 1)


def series_funnel(series, registrations, applicants=None):
    """Stages and per-meeting figures from the series' registrations (all
    statuses). "Applied" counts the series' applicants (`applicants.py`):
    registrants other than walk-ins, and the area's survey volunteers."""
    from django.utils.translation import gettext as _

    sampled, answered, source = survey_figures(series)
    if applicants is None:
        applicants = series_applicants(series, registrations)
    attended_by_person = {}
    for r in registrations:
        if r.attended_at:
            attended_by_person.setdefault(person_key(r), set()).add(r.meeting_id)
    applied = len(applicants)
    attended = len(attended_by_person)
    counts = [
        ("sampled", _("案内を送った人"), sampled),
        ("answered", _("調査に回答した人"), answered),
        ("applied", _("参加を申し込んだ人"), applied),
        ("attended", _("参加した人"), attended),
    ]
    stages, previous = [], None
    for key, label, count in counts:
        stages.append(Stage(key, label, count, _rate(count, previous)))
        previous = count
    return {
        "stages": stages,
        "source": source,
        "via_invitation": len({r.invitation_code for r in registrations if r.invitation_code}),
        "walk_ins": sum(1 for r in registrations if r.source == Registration.Source.WALK_IN),
        "repeat_participants": sum(1 for ids in attended_by_person.values() if len(ids) > 1),
        "volunteers": sum(1 for a in applicants if a.volunteered),
    }
