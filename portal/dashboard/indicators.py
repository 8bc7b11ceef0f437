"""Where the logic model's actuals come from.

Each source is a key (`meetings.participants`) with a label, a unit and a
function `compute(context) -> number | None`, where `context` has
`fiscal_year`, `area` (None: city-wide) and `figures` (the dashboard's
figures for that year and area, computed once and shared by every source).

Apps add their own with `register(...)`; the surveys questionnaire is
expected to register `surveys.issue_awareness`, `surveys.area_expectation`
and `surveys.group_awareness`. Until a key is registered, an indicator that
names it shows its hand-entered actual or "—".
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import cached_property


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    unit: str
    compute: Callable


_SOURCES: dict = {}

# Keys the plan names whose source another part of the product will provide.
PENDING = {
    "surveys.issue_awareness": "地域課題に関心がある市民の割合（住民意識調査）",
    "surveys.area_expectation": "地域に取組を期待する市民の割合（住民意識調査）",
    "surveys.group_awareness": "活動する団体を知っている市民の割合（住民意識調査）",
}


def register(key, *, label, unit="", compute):
    """Make `key` a computed source. Registering a key again replaces it
    (a module reloaded in development)."""
    _SOURCES[key] = Source(key=key, label=str(label), unit=unit, compute=compute)


def get(key):
    return _SOURCES.get(key)


def choices():
    """(key, label) of every source, registered or still expected, for the form."""
    registered = [(s.key, s.label) for s in sorted(_SOURCES.values(), key=lambda s: s.key)]
    pending = [(k, f"{v}（準備中）") for k, v in PENDING.items() if k not in _SOURCES]
    return registered + pending


@dataclass
class Context:
    fiscal_year: int
    area: object = None
    _cache: dict = field(default_factory=dict)

    @cached_property
    def figures(self):
        from .selectors import dashboard_figures

        return dashboard_figures(self.fiscal_year, area=self.area)


def evaluate(keys, *, fiscal_year, area=None):
    """{key: Decimal or None} for the given keys; None where the key has no
    registered source or the source has nothing for the year."""
    context = Context(fiscal_year=fiscal_year, area=area)
    values = {}
    for key in set(keys):
        source = _SOURCES.get(key)
        value = source.compute(context) if source else None
        values[key] = None if value is None else as_decimal(value)
    return values


def as_decimal(value):
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- The sources the dashboard's own figures provide ------------------------

BUILT_IN = {
    "meetings.held": ("ミーティング開催回数", "回"),
    "meetings.participants": ("ミーティングの参加者数（延べ）", "人"),
    "meetings.forums": ("協議体・ワークショップの開催回数", "回"),
    "meetings.volunteers": ("人材養成講座の参加者数", "人"),
    "liaisons.requests": ("支援依頼の件数", "件"),
    "liaisons.df_share": ("支援依頼のうち D〜F の割合", "%"),
    "liaisons.consultations": ("相談の件数", "件"),
    "grants.awarded_count": ("助成の交付決定件数", "件"),
    "grants.awarded_amount": ("助成の交付決定額", "円"),
    "grants.paid_amount": ("助成の支払額", "円"),
    "surveys.response_rate": ("住民意識調査の回答率", "%"),
    "news.published": ("お知らせ・活動報告の公開件数", "件"),
    "karte.issues": ("地域カルテに載せた地域課題の数", "件"),
    "directory.offers": ("団体が提供できるものの登録数", "件"),
}

FIGURE_OF = {
    "meetings.held": "held",
    "meetings.participants": "participants",
    "meetings.forums": "forums",
    "meetings.volunteers": "volunteers",
    "liaisons.requests": "requests",
    "liaisons.df_share": "df_share",
    "liaisons.consultations": "consultations",
    "grants.awarded_count": "awarded_count",
    "grants.awarded_amount": "awarded_amount",
    "grants.paid_amount": "paid_amount",
    "surveys.response_rate": "response_rate",
    "news.published": "published",
    "karte.issues": "karte_issues",
    "directory.offers": "offers",
}


def _from_figures(figure):
    def compute(context):
        return context.figures[figure].current

    return compute


for _key, (_label, _unit) in BUILT_IN.items():
    register(_key, label=_label, unit=_unit, compute=_from_figures(FIGURE_OF[_key]))
