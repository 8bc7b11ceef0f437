"""Response rates, cross-tabs (small cells suppressed) and comparisons."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from areas.models import Area

from ..models import Invitation
from ..questionnaires.models import AnswerSex, IssueAnswer, Response
from .issues import MEASURES, _share, aggregates, analyse, percent

# A cell resting on fewer answers than this is not shown: with so few people
# a share could tell what a known neighbour answered.
MIN_CELL = 5

DIMENSIONS = {
    "age_band": gettext_lazy("年齢区分"),
    "sex": gettext_lazy("性別"),
    "area": gettext_lazy("地域"),
}


def _sex_label(value):
    return str(AnswerSex(value).label) if value in AnswerSex.values else value


@dataclass
class Cell:
    n: int
    share: object  # Fraction or None

    @property
    def suppressed(self):
        return self.n < MIN_CELL

    @property
    def percent(self):
        return None if self.suppressed else percent(self.share)


def _group_labels(dimension, keys):
    unanswered = _("回答なし")
    if dimension == "area":
        names = dict(Area.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "name"))
        return {k: names.get(k, unanswered) if k else unanswered for k in keys}
    if dimension == "sex":
        return {k: _sex_label(k) if k else unanswered for k in keys}
    return {k: k or unanswered for k in keys}


def crosstab(survey, dimension, measure="interest"):
    """Issues × groups of `dimension`: the share of `measure`, with the
    number of answers behind each cell; cells under MIN_CELL suppressed."""
    if dimension not in DIMENSIONS or measure not in MEASURES:
        raise ValueError(dimension)
    field = f"response__{dimension}"
    rows = aggregates(
        IssueAnswer.objects.filter(survey=survey)
        .values("issue__number", "issue__title", field)
        .order_by("issue__number", field)
    )
    respondents = dict(
        Response.objects.filter(survey=survey)
        .values(dimension)
        .annotate(n=Count("pk"))
        .values_list(dimension, "n")
    )
    keys = sorted(respondents, key=lambda k: (k in ("", None), str(k)))
    if dimension == "area":
        codes = dict(Area.objects.filter(pk__in=[k for k in keys if k]).values_list("pk", "code"))
        keys = sorted(keys, key=lambda k: (k is None, codes.get(k, "")))
    labels = _group_labels(dimension, keys)
    table = {}
    for row in rows:
        entry = table.setdefault(
            row["issue__number"],
            {"number": row["issue__number"], "title": row["issue__title"], "cells": {}},
        )
        entry["cells"][row[field]] = Cell(
            row[f"{measure}_n"], _share(row[f"{measure}_yes"], row[f"{measure}_n"])
        )
    issues = []
    for entry in table.values():
        entry["cells"] = [entry["cells"].get(k, Cell(0, None)) for k in keys]
        issues.append(entry)
    return {
        "dimension": dimension,
        "dimension_label": DIMENSIONS[dimension],
        "measure": measure,
        "groups": [labels[k] for k in keys],
        "respondents": [Cell(respondents[k], None) for k in keys],
        "issues": issues,
    }


def response_rates(survey):
    """Invitations sent and answered, overall and per stratum (area, age band, sex)."""
    if survey.draw_id is None:
        return None
    invitations = Invitation.objects.filter(draw_id=survey.draw_id)

    def rate(sent, answered):
        return round(100 * answered / sent, 1) if sent else None

    total = invitations.aggregate(sent=Count("pk"), answered=Count("answered_at"))
    result = {"overall": {**total, "rate": rate(total["sent"], total["answered"])}, "strata": {}}
    for dimension, field, label in (
        ("area", "area__name", DIMENSIONS["area"]),
        ("age_band", "age_band", DIMENSIONS["age_band"]),
        ("sex", "sex", DIMENSIONS["sex"]),
    ):
        rows = (
            invitations.values(field)
            .annotate(sent=Count("pk"), answered=Count("answered_at"))
            .order_by(field)
        )
        result["strata"][dimension] = {
            "label": label,
            "rows": [
                {
                    "group": (_sex_label(r[field]) if dimension == "sex" else r[field])
                    or _("記録なし"),
                    "sent": r["sent"],
                    "answered": r["answered"],
                    "rate": rate(r["sent"], r["answered"]),
                }
                for r in rows
            ],
        }
    # Answers keyed in from paper without a code (an imported file) count too.
    result["without_code"] = Response.objects.filter(
        survey=survey, source=Response.Source.IMPORTED
    ).count()
    return result


def comparison(survey, earlier):
    """Each issue's shares now and in the earlier survey, with the change in points."""
    now, before = analyse(survey), analyse(earlier)
    earlier_rows = {r.number: r for r in before.rows}
    rows = []
    for row in now.rows:
        old = earlier_rows.get(row.number)
        entry = {
            "number": row.number,
            "title": row.title,
            "group1": row.group1,
            "group2": row.group2,
        }
        entry["earlier_group1"] = old.group1 if old else ""
        entry["earlier_group2"] = old.group2 if old else ""
        for m in MEASURES:
            value = row.percent(m)
            previous = old.percent(m) if old else None
            entry[m] = value
            entry[f"earlier_{m}"] = previous
            entry[f"change_{m}"] = (
                round(value - previous, 1) if value is not None and previous is not None else None
            )
        rows.append(entry)
    return {"now": now, "earlier": before, "rows": rows}
