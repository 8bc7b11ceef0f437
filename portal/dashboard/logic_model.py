"""The logic model for a 年度: pillars → measures → indicators with target
and actual. Reads in four queries (five for an area) plus the dashboard
figures once.

For an area, a count is measured only against the area's own target: the
city's target covers every area, so the area's share of it would look like
failure. Without an area target the row shows the city's target, labelled
as the city's, and no rate. A rate (%) may still be compared with the
city's target, which is a rate too."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from portal import audit, locking
from portal.errors import ServiceError

from . import indicators
from .models import AreaIndicatorTarget, Indicator, IndicatorYear, Measure, Pillar


@dataclass
class IndicatorRow:
    indicator: Indicator
    # What the actual is measured against; None: no achievement rate.
    target: object
    actual: object
    computed: bool
    note: str
    city_target: object = None
    # On an area's row: the target shown is the city's, to be labelled so.
    target_is_city: bool = False

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


def _target(indicator, city_target, area):
    """(target, target_is_city) of a row: see the module's docstring."""
    if area is None:
        return city_target, False
    if indicator.area_target:
        return indicator.area_target[0].target, False
    if city_target is None:
        return None, False
    return (city_target if indicator.is_rate else None), True


def logic_model(fiscal_year, *, area=None):
    """[(pillar, [(measure, [IndicatorRow])])] for the 年度 (of `area` if given)."""
    years = IndicatorYear.objects.filter(fiscal_year=fiscal_year)
    per_indicator = [Prefetch("years", queryset=years, to_attr="this_year")]
    if area is not None:
        area_targets = AreaIndicatorTarget.objects.filter(area=area, fiscal_year=fiscal_year)
        per_indicator.append(Prefetch("area_targets", queryset=area_targets, to_attr="area_target"))
    pillars = list(
        Pillar.objects.prefetch_related(
            Prefetch(
                "measures",
                queryset=Measure.objects.order_by("code").prefetch_related(
                    Prefetch(
                        "indicators",
                        queryset=Indicator.objects.order_by("order", "id").prefetch_related(
                            *per_indicator
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
                city_target = entered.target if entered else None
                target, target_is_city = _target(indicator, city_target, area)
                rows.append(
                    IndicatorRow(
                        indicator=indicator,
                        target=target,
                        actual=value
                        if value is not None
                        else (entered.actual if entered else None),
                        computed=value is not None,
                        note=entered.note if entered else "",
                        city_target=city_target,
                        target_is_city=target_is_city,
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


AREA_TARGET_FIELDS = ("target", "note")


def save_area_target(*, indicator, area, fiscal_year, target, note, by):
    """An area's own target for an indicator in a 年度; `target=None` removes
    it (the area's row then shows the city's target, labelled, and no rate
    for a count). A target is never negative."""
    if target is not None and target < 0:
        raise ServiceError(_("目標値は0以上の数で入力してください。"))
    data = {"fiscal_year": fiscal_year, "area": area.code}
    with locking.locked_one(Indicator, indicator.pk):
        row = AreaIndicatorTarget.objects.filter(
            indicator=indicator, area=area, fiscal_year=fiscal_year
        ).first()
        if target is None:
            if row is not None:
                old = audit.snapshot(row, AREA_TARGET_FIELDS)
                row.delete()
                audit.record(
                    by=by,
                    action="portal.area_indicator_target.deleted",
                    target=indicator,
                    changes=audit.changes_between(old, {}),
                    data=data,
                )
            return None
        created = row is None
        if created:
            row = AreaIndicatorTarget(indicator=indicator, area=area, fiscal_year=fiscal_year)
        old = {} if created else audit.snapshot(row, AREA_TARGET_FIELDS)
        row.target, row.note = target, note
        try:
            row.full_clean(validate_unique=False)  # unique under the indicator's lock
        except ValidationError as error:
            raise ServiceError(" ".join(error.messages)) from None
        row.save()
        audit.record(
            by=by,
            action=(
                "portal.area_indicator_target.created"
                if created
                else "portal.area_indicator_target.updated"
            ),
            target=indicator,
            changes=audit.changes_between(old, audit.snapshot(row, AREA_TARGET_FIELDS)),
            data=data,
        )
    return row
