"""Reads of the surveys app, filtered by the permission rules."""

from django.db.models import Count

from areas.models import Area
from portal.permissions import visible

from .models import Draw, Register, Resident


def registers(user):
    return visible(user, "surveys.view_register", Register.objects.all())


def draws(user):
    return visible(user, "surveys.view_draw", Draw.objects.select_related("register"))


def latest_register(reference_date=None):
    registers = Register.objects.filter(purged_at__isnull=True, row_count__gt=0)
    if reference_date is not None:
        registers = registers.filter(reference_date__lte=reference_date)
    return registers.order_by("-reference_date").first()


def population_by_area(reference_date=None):
    """{area code: {"area": Area, "population": n, "households": n}} from the
    latest register (on or before `reference_date`); {} when there is none.
    Aggregates only: no personal data leaves here."""
    register = latest_register(reference_date)
    if register is None:
        return {}
    counts = (
        Resident.objects.filter(register=register)
        .values("district__area")
        .annotate(
            population=Count("pk"),
            households=Count("household_number", distinct=True),
        )
    )
    areas = Area.objects.in_bulk([c["district__area"] for c in counts])
    return {
        areas[c["district__area"]].code: {
            "area": areas[c["district__area"]],
            "population": c["population"],
            "households": c["households"],
            "reference_date": register.reference_date,
        }
        for c in counts
    }


SEX_KEYS = {"1": "male", "2": "female", "": "unrecorded"}


def register_summary(register):
    """Counts by area and sex (no personal data)."""
    rows = (
        Resident.objects.filter(register=register)
        .values("district__area__code", "district__area__name", "sex")
        .annotate(n=Count("pk"))
        .order_by("district__area__code", "sex")
    )
    summary = {}
    for row in rows:
        entry = summary.setdefault(
            row["district__area__code"],
            {
                "code": row["district__area__code"],
                "name": row["district__area__name"],
                "male": 0,
                "female": 0,
                "unrecorded": 0,
                "total": 0,
            },
        )
        entry[SEX_KEYS[row["sex"]]] += row["n"]
        entry["total"] += row["n"]
    return list(summary.values())


def residents_to_review(register):
    return (
        Resident.objects.filter(register=register, needs_review=True)
        .select_related("district")
        .order_by("line")
    )


def invitations_of(draw):
    return draw.invitations.select_related("resident", "area").order_by("number")


# --- Questionnaires, surveys and volunteers ---------------------------------


def questionnaires(user):
    from .models import Questionnaire

    return visible(user, "surveys.manage_questionnaire", Questionnaire.objects.all())


def surveys(user):
    from .models import Survey

    return visible(
        user, "surveys.view_survey", Survey.objects.select_related("draw", "questionnaire")
    )


def volunteers_for_area(area):
    """Residents who volunteered in a survey for the meetings of `area` (the
    panel selection's pool, the applicants of the area's meeting series):
    name, contact, age band, sex, district, consent version. Personal data:
    the caller checks the reader's permission and audits the read."""
    from .models import Volunteer

    return Volunteer.objects.filter(area=area).select_related("survey", "district").order_by("pk")


def volunteers_of(user, survey):
    from .models import Volunteer

    return visible(
        user, "surveys.view_volunteers", Volunteer.objects.filter(survey=survey)
    ).select_related("area", "district")
