"""The lump-sum split of a programme's budget over the areas.

Inputs (population and households per area) are stored on the allocation's
lines: entered on the page, imported from a spreadsheet, or filled from the
resident register through `population_from_register`. The amounts are
recomputed whenever an input or a weight changes, and the allocation is
locked (nothing changes) once approved.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from portal import audit
from portal.errors import ServiceError
from portal.locking import locked

from .. import allocation as arithmetic
from ..models import Allocation, AllocationLine, Programme


def population_from_register():
    """{area_id: (population, households)} from the latest resident register
    (aggregates only; see surveys.selectors.population_by_area)."""
    from surveys.selectors import population_by_area

    figures = population_by_area()
    if not figures:
        raise ServiceError(
            _(
                "住民基本台帳が取り込まれていないため、人口・世帯数を取得できません。入力するか取り込んでください。"
            )
        )
    return {row["area"].pk: (row["population"], row["households"]) for row in figures.values()}


def _locked_allocation(programme_id):
    return locked(Allocation.objects.filter(programme_id=programme_id))


def _editable(rows):
    if not rows:
        raise ServiceError(_("この事業には地域配分がありません。"))
    allocation = rows[0]
    if allocation.is_locked:
        raise ServiceError(_("地域配分は確定済みのため変更できません。"))
    return allocation


def _recompute(allocation):
    """Amounts from the stored inputs; all zero while the inputs are incomplete."""
    lines = list(allocation.lines.select_related("area"))
    programme = allocation.programme
    try:
        amounts = arithmetic.allocate(
            budget=programme.budget,
            inputs=[
                arithmetic.AreaInput(line.area.code, line.population, line.households)
                for line in lines
            ],
            base_weight=allocation.base_weight,
            per_capita_weight=allocation.per_capita_weight,
            per_household_weight=allocation.per_household_weight,
        )
    except ServiceError:
        amounts = {line.area.code: 0 for line in lines}
    for line in lines:
        line.amount = amounts[line.area.code]
    AllocationLine.objects.bulk_update(lines, ["amount"])
    return lines


def set_weights(*, programme_id, base_weight, per_capita_weight, per_household_weight, by):
    if base_weight + per_capita_weight + per_household_weight <= 0:
        raise ServiceError(_("重みの合計を1以上にしてください。"))
    with _locked_allocation(programme_id) as rows:
        allocation = _editable(rows)
        old = audit.snapshot(
            allocation, ("base_weight", "per_capita_weight", "per_household_weight")
        )
        allocation.base_weight = base_weight
        allocation.per_capita_weight = per_capita_weight
        allocation.per_household_weight = per_household_weight
        allocation.save()
        _recompute(allocation)
        audit.record(
            by=by,
            action="grants.allocation.weights_changed",
            target=allocation,
            changes=audit.changes_between(
                old,
                audit.snapshot(
                    allocation, ("base_weight", "per_capita_weight", "per_household_weight")
                ),
            ),
        )
    return allocation


def set_inputs(*, programme_id, inputs, source, by, action="grants.allocation.inputs_changed"):
    """Replace the inputs: `inputs` maps Area → (population, households).
    The areas listed are the areas the budget is split over."""
    for population, households in inputs.values():
        if population < 0 or households < 0:
            raise ServiceError(_("人口と世帯数は0以上の整数で入力してください。"))
    with _locked_allocation(programme_id) as rows:
        allocation = _editable(rows)
        allocation.lines.all().delete()
        AllocationLine.objects.bulk_create(
            AllocationLine(allocation=allocation, area=area, population=p, households=h)
            for area, (p, h) in inputs.items()
        )
        allocation.inputs_source = source[:200]
        allocation.save(update_fields=["inputs_source"])
        _recompute(allocation)
        audit.record(by=by, action=action, target=allocation, data={"areas": len(inputs)})
    return allocation


def fill_from_register(*, programme_id, by):
    """Fill the inputs from the resident register (see `population_from_register`)."""
    figures = population_from_register()
    areas = {area.pk: area for area in Area.objects.filter(pk__in=figures)}
    inputs = {areas[pk]: tuple(value) for pk, value in figures.items() if pk in areas}
    return set_inputs(
        programme_id=programme_id,
        inputs=inputs,
        source=_("住民基本台帳"),
        by=by,
        action="grants.allocation.filled_from_register",
    )


def approve_allocation(*, programme_id, by):
    """Fix the allocation: the amounts must add up to the budget exactly."""
    with _locked_allocation(programme_id) as rows:
        allocation = _editable(rows)
        lines = _recompute(allocation)
        programme = Programme.objects.get(pk=programme_id)
        if not lines or sum(line.amount for line in lines) != programme.budget:
            raise ServiceError(
                _("配分額の合計が予算額と一致しません。人口・世帯数と重みを確認してください。")
            )
        allocation.status = Allocation.Status.APPROVED
        allocation.approved_by = by.user
        allocation.approved_at = timezone.now()
        allocation.save()
        audit.record(
            by=by,
            action="grants.allocation.approved",
            target=allocation,
            data={"areas": len(lines), "budget": programme.budget},
        )
    return allocation
