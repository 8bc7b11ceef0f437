"""The funnel of a meeting series: sampled → answered → applied → registered → attended.

The first two stages belong to the survey work. It fills them by adding a
provider here:

    from meetings import funnel
    funnel.providers.append(lambda series: {"sampled": 2803, "answered": 538})

A provider returns the figures it knows (or None for a series it does not
cover). Without one, the coordinator's figures from paper are used; a stage
with no figure at all stays empty (never zero). A provider may add
"applied_erased": applicants whose records were erased (counted, not named)
and who had not registered for a meeting of the series.
"""

from dataclasses import dataclass

from .applicants import people_of, person_key, series_applicants
from .models import Registration

__all__ = ["Stage", "person_key", "providers", "series_funnel", "survey_figures"]

providers = []


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    count: int | None
    rate: float | None  # share of the previous stage, in percent


def _provided(series):
    for provider in providers:
        figures = provider(series)
        if figures:
            return figures
    return None


def survey_figures(series, figures=None):
    figures = figures if figures is not None else _provided(series)
    if figures and (figures.get("sampled") or figures.get("answered")):
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
    registrants other than walk-ins, and the survey volunteers counted for the
    series (plus erased volunteers, as a number). "Registered" counts the
    applicants with a registration that is not cancelled; "attended" the
    people who came (walk-ins included), one person across meetings."""
    from django.utils.translation import gettext as _

    figures = _provided(series) or {}
    sampled, answered, source = survey_figures(series, figures)
    if applicants is None:
        applicants = series_applicants(series, registrations)
    people = people_of(registrations, [])
    attended_by_person = {}
    for r in registrations:
        if r.attended_at:
            who = people.find(person_key(r))
            attended_by_person.setdefault(who, set()).add(r.meeting_id)
    erased = figures.get("applied_erased") or 0
    applied = len(applicants) + erased
    registered = sum(1 for a in applicants if a.registered)
    attended = len(attended_by_person)
    counts = [
        ("sampled", _("案内を送った人"), sampled),
        ("answered", _("調査に回答した人"), answered),
        ("applied", _("参加を申し込んだ人"), applied),
        ("registered", _("ミーティングに申し込んだ人"), registered),
        ("attended", _("参加した人"), attended),
    ]
    stages, previous = [], None
    for key, label, count in counts:
        stages.append(Stage(key, label, count, _rate(count, previous)))
        previous = count
    return {
        "stages": stages,
        "source": source,
        "via_invitation": len({r.invitation_ref for r in registrations if r.invitation_ref}),
        "walk_ins": sum(1 for r in registrations if r.source == Registration.Source.WALK_IN),
        "repeat_participants": sum(1 for ids in attended_by_person.values() if len(ids) > 1),
        "volunteers": sum(1 for a in applicants if a.volunteered) + erased,
        "erased": erased,
    }
