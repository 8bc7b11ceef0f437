"""The issue-matrix analysis, computed with database aggregates.

For each issue, over the answers that answered that item: 関心あり = share of
1 or 2 on interest, 取組中 = share of 1 on participation, 地域に期待 = share
of 1 or 2 on expectation. The mean lines are the plain means of the issues'
shares. Shares are kept as exact fractions so that "at or above the mean" is
decided without rounding; pages and files round them for display only.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

from django.core.cache import cache
from django.db.models import Count, Q

from areas.models import LocalIssue

from ..questionnaires.models import IssueAnswer, Response

MEASURES = ("interest", "participation", "expectation")
LABELS = {"interest": "関心あり", "participation": "取組中", "expectation": "地域に期待"}
YES = {
    "interest": Q(interest__in=(1, 2)),
    "participation": Q(participation=1),
    "expectation": Q(expectation__in=(1, 2)),
}


@dataclass
class IssueRow:
    number: int
    title: str
    counts: dict  # measure -> (yes, answered)
    shares: dict  # measure -> Fraction or None
    group1: str = ""
    group2: str = ""

    def percent(self, measure):
        return percent(self.shares[measure])

    @property
    def interest(self):
        return self.percent("interest")

    @property
    def participation(self):
        return self.percent("participation")

    @property
    def expectation(self):
        return self.percent("expectation")


@dataclass
class IssueAnalysis:
    respondents: int
    rows: list
    means: dict  # measure -> Fraction or None

    def mean_percent(self, measure):
        return percent(self.means[measure])

    def groups(self, figure):
        """{group: [rows]} of 図1 (figure=1) or 図2 (figure=2), in display order."""
        order = ["A", "B", "C", "D"] if figure == 1 else ["A", "B", "B'", "C", "D"]
        result = {g: [] for g in order}
        for row in self.rows:
            group = row.group1 if figure == 1 else row.group2
            if group:
                result[group].append(row)
        return result


def aggregates(queryset):
    """{measure}_yes and {measure}_n annotations for a values() queryset."""
    annotations = {}
    for measure in MEASURES:
        annotations[f"{measure}_n"] = Count(measure)
        annotations[f"{measure}_yes"] = Count("pk", filter=YES[measure])
    return queryset.annotate(**annotations)


def percent(share):
    """A share as a percentage with one decimal, rounded half up from the exact value."""
    if share is None:
        return None
    tenths = math.floor(share * 1000 + Fraction(1, 2))
    return tenths / 10


def _share(yes, n):
    return Fraction(yes, n) if n else None


# Answers only ever arrive through the services, which bump the version; the
# timeout only bounds how long an unused entry stays.
ANALYSIS_CACHE_SECONDS = 24 * 60 * 60


def group1(interest, participation, means):
    if None in (interest, participation, means["interest"], means["participation"]):
        return ""
    high_i = interest >= means["interest"]
    high_p = participation >= means["participation"]
    if high_i and high_p:
        return "A"
    if high_i:
        return "B"
    if high_p:
        return "C"
    return "D"


def group2(first, expectation, means):
    """図2区分: A and B split by expectation (B' = B with low expectation); an
    A with low expectation joins C (read with participation, as in figure 7)."""
    if not first or expectation is None or means["expectation"] is None:
        return ""
    high_e = expectation >= means["expectation"]
    if first == "A":
        return "A" if high_e else "C"
    if first == "B":
        return "B" if high_e else "B'"
    return first


def analyse_cached(survey):
    """`analyse(survey)` from the shared cache while no answer has been added
    since (the key carries the survey's answers version)."""
    key = f"surveys:analysis:{survey.pk}:{survey.answers_version}"
    return cache.get_or_set(key, lambda: analyse(survey), timeout=ANALYSIS_CACHE_SECONDS)


def analyse(survey, *, responses=None):
    """The per-issue table of a survey (or of a subset of its answers given as
    a Response queryset)."""
    answers = IssueAnswer.objects.filter(survey=survey)
    if responses is not None:
        answers = answers.filter(response__in=responses)
    counts = {row["issue"]: row for row in aggregates(answers.values("issue").order_by("issue"))}
    issues = LocalIssue.objects.filter(pk__in=counts).order_by("number")
    rows = []
    for issue in issues:
        c = counts[issue.pk]
        rows.append(
            IssueRow(
                number=issue.number,
                title=issue.title,
                counts={m: (c[f"{m}_yes"], c[f"{m}_n"]) for m in MEASURES},
                shares={m: _share(c[f"{m}_yes"], c[f"{m}_n"]) for m in MEASURES},
            )
        )
    means = {}
    for measure in MEASURES:
        values = [r.shares[measure] for r in rows if r.shares[measure] is not None]
        means[measure] = sum(values, Fraction(0)) / len(values) if values else None
    for row in rows:
        row.group1 = group1(row.shares["interest"], row.shares["participation"], means)
        row.group2 = group2(row.group1, row.shares["expectation"], means)
    total = (responses if responses is not None else Response.objects.filter(survey=survey)).count()
    return IssueAnalysis(respondents=total, rows=rows, means=means)


EXPORT_HEADER = [
    "課題番号",
    "課題",
    "回答数",
    "関心あり",
    "取組中",
    "地域に期待",
    "図1区分",
    "図2区分",
]


def _pct(value):
    return "" if value is None else f"{value:.1f}"


def export_rows(analysis):
    """The rows of `export_issue_analysis` and the page's CSV download."""
    for row in analysis.rows:
        yield [
            row.number,
            row.title,
            analysis.respondents,
            _pct(row.interest),
            _pct(row.participation),
            _pct(row.expectation),
            row.group1,
            row.group2,
        ]
