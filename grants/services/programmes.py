"""Programmes and their scoring criteria."""

from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit
from portal.errors import ServiceError
from portal.locking import locked_one

from ..models import Allocation, Criterion, Programme

PROGRAMME_FIELDS = (
    "name",
    "kind",
    "fiscal_year",
    "budget",
    "opens_on",
    "closes_on",
    "eligibility",
    "required_attachments",
)


def _validate(values):
    if values["budget"] is None or values["budget"] < 0:
        raise ServiceError(_("予算額は0円以上の整数で入力してください。"))
    if values["opens_on"] and values["closes_on"] and values["closes_on"] < values["opens_on"]:
        raise ServiceError(_("募集締切日は募集開始日以降にしてください。"))


def create_programme(
    *,
    name,
    kind,
    fiscal_year,
    budget,
    opens_on=None,
    closes_on=None,
    eligibility="",
    required_attachments="",
    criteria=(),
    by,
):
    """A new programme; a lump-sum programme gets its (draft) allocation."""
    values = dict(
        name=name,
        kind=kind,
        fiscal_year=fiscal_year,
        budget=budget,
        opens_on=opens_on,
        closes_on=closes_on,
        eligibility=eligibility,
        required_attachments=required_attachments,
    )
    _validate(values)
    with transaction.atomic():
        programme = Programme(**values)
        programme.full_clean()
        programme.save()
        if kind == Programme.Kind.LUMP_SUM:
            Allocation.objects.create(programme=programme)
        _replace_criteria(programme, criteria)
        audit.record(
            by=by,
            action="grants.programme.created",
            target=programme,
            data={"kind": kind, "fiscal_year": fiscal_year, "budget": budget},
        )
    return programme


def update_programme(*, programme_id, criteria=None, by, **values):
    """Edit a programme. The budget cannot go below what is already approved."""
    unknown = set(values) - set(PROGRAMME_FIELDS) - {"kind"}
    if unknown:
        raise TypeError(f"unknown fields {unknown}")
    from .applications import committed_amount

    with locked_one(Programme, programme_id) as programme:
        old = audit.snapshot(programme, PROGRAMME_FIELDS)
        values.pop("kind", None)  # the kind is fixed once created
        merged = {**old, **values}
        _validate(merged)
        if merged["budget"] < committed_amount(programme):
            raise ServiceError(_("予算額を交付決定済みの合計より少なくはできません。"))
        allocation = getattr(programme, "allocation", None)
        if allocation is not None and allocation.is_locked and merged["budget"] != programme.budget:
            raise ServiceError(_("地域配分が確定しているため、予算額は変更できません。"))
        for name, value in values.items():
            setattr(programme, name, value)
        programme.full_clean()
        programme.save()
        if criteria is not None:
            _replace_criteria(programme, criteria)
        audit.record(
            by=by,
            action="grants.programme.updated",
            target=programme,
            changes=audit.changes_between(old, audit.snapshot(programme, PROGRAMME_FIELDS)),
        )
    return programme


def _replace_criteria(programme, criteria):
    """Criteria as (name, weight[, max_score]) tuples. Once scores exist the
    criteria stay as they are (changing them would change the scores' meaning)."""
    criteria = list(criteria)
    existing = list(programme.criteria.all())
    wanted = [(c[0], c[1], c[2] if len(c) > 2 else 5) for c in criteria]
    if [(c.name, c.weight, c.max_score) for c in existing] == wanted:
        return
    from ..models import Score

    if Score.objects.filter(criterion__programme=programme).exists():
        raise ServiceError(_("採点が始まっているため、評価項目は変更できません。"))
    programme.criteria.all().delete()
    for order, (name, weight, max_score) in enumerate(wanted):
        Criterion.objects.create(
            programme=programme, name=name, weight=weight, max_score=max_score, order=order
        )
