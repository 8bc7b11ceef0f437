"""The logic model for a 年度: pillars → measures → indicators with target
and actual. Reads in four queries plus the dashboard figures once."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from portal import audit, locking

from . import indicators
from .models import Indicator, IndicatorYear, Measure, Pillar


@dataclass
class IndicatorRow:
    indicator: Indicator
    target: object
    actual: object
    computed: bool
    note: str

    @property
    def achievement(self):
        """Actual as a percentage of the target, one decimal."""
        from .selectors import share

        if self.target in (None, 0) or self.actual is None:
            return None
        return share(self.actual, self.target)

    @property
    def source_label(self):
        key = self.indicator.source
        if not key:
            return _("手入力")
        source = indicators.get(key)
        if source is None:
            return _("%(source)s（準備中・手入力）") % {"source": indicators.PENDING.get(key, key)}
        return source.label


def logic_model(fiscal_year, *, area=None):
    """[(pillar, [(measure, [IndicatorRow])])] for the 年度."""
    years = IndicatorYear.objects.filter(fiscal_year=fiscal_year)
    pillars = list(
        Pillar.objects.prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("code").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.order_by("order", "id").prefetch_related(
                            Prefetch("years", queryset=years, to_attr="this_year")
                        ),
                    )
                ),
            )
        ).order_by("number")
    )
    keys = [
        i.source for p in pillars for m in p.measures.all() for i in m.indicators.all() if i.source
    ]
    computed = indicators.evaluate(keys, fiscal_year=fiscal_year, area=area)
    model = []
    for pillar in pillars:
        measures = []
        for measure in pillar.measures.all():
            rows = []
            for indicator in measure.indicators.all():
                entered = indicator.this_year[0] if indicator.this_year else None
                value = computed.get(indicator.source) if indicator.source else None
                rows.append(
                    IndicatorRow(
                        indicator=indicator,
                        target=entered.target if entered else None,
                        actual=value
                        if value is not None
                        else (entered.actual if entered else None),
                        computed=value is not None,
                        note=entered.note if entered else "",
                    )
                )
            measures.append((measure, rows))
        model.append((pillar, measures))
    return model


def flat_rows(model):
    for pillar, measures in model:
        for measure, rows in measures:
            for row in rows:
                yield pillar, measure, row


INDICATOR_FIELDS = ("name", "kind", "unit", "source", "order")


def save_indicator(*, measure, values, by, indicator_id=None):
    if indicator_id is None:
        with transaction.atomic():
            indicator = Indicator.objects.create(measure=measure, **values)
            audit.record(by=by, action="portal.indicator.created", target=indicator)
        return indicator
    with locking.locked_one(Indicator, indicator_id) as indicator:
        old = audit.snapshot(indicator, INDICATOR_FIELDS)
        for name, value in values.items():
            setattr(indicator, name, value)
        indicator.save()
        audit.record(
            by=by,
            action="portal.indicator.updated",
            target=indicator,
            changes=audit.changes_between(old, audit.snapshot(indicator, INDICATOR_FIELDS)),
        )
    return indicator


def save_indicator_year(*, indicator, fiscal_year, target, actual, note, by):
    """Target and hand-entered actual for a 年度. A computed source wins over
    the hand-entered actual on the page; it is kept for when it has none."""
    with locking.locked_one(Indicator, indicator.pk):
        row, created = IndicatorYear.objects.get_or_create(
            indicator=indicator, fiscal_year=fiscal_year
        )
        old = audit.snapshot(row, ("target", "actual", "note"))
        row.target, row.actual, row.note = target, actual, note
        row.save()
        audit.record(
            by=by,
            action="portal.indicator_year.updated",
            target=indicator,
            changes=audit.changes_between(old, audit.snapshot(row, ("target", "actual", "note"))),
            data={"fiscal_year": fiscal_year},
        )
    return row
