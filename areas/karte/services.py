"""Writes of the karte, the vision and action plans and the directory's offers.

Every write is audited here; edits lock the row they change (portal.locking),
and an action's status moves through ACTION_FLOW (history and audit rows).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from areas.models import (
    Action,
    Area,
    Goal,
    KarteFigures,
    KarteIssue,
    Offer,
    Organisation,
    Vision,
)
from areas.news.markup import search_text
from portal import audit, locking
from portal.csvio import ErrorCollector, ImportRejected, RowError, read_csv
from portal.errors import ServiceError
from portal.workflow import Workflow

S = Action.Status
ACTION_FLOW = Workflow(
    moves={
        (S.PLANNED, S.IN_PROGRESS): "areas.manage_vision",
        (S.IN_PROGRESS, S.DONE): "areas.manage_vision",
        (S.PLANNED, S.PAUSED): "areas.manage_vision",
        (S.IN_PROGRESS, S.PAUSED): "areas.manage_vision",
        (S.PAUSED, S.IN_PROGRESS): "areas.manage_vision",
        (S.DONE, S.IN_PROGRESS): "areas.manage_vision",
    },
    action_prefix="areas.plan_action",
)

FIGURE_FIELDS = ("population", "households", "aged_65_plus", "children_under_15")


def _check_figures(values):
    population = values.get("population")
    for name in ("aged_65_plus", "children_under_15"):
        value = values.get(name)
        if value is not None and population is not None and value > population:
            return name
    return None


def save_figures(*, area, fiscal_year, values, by, source=KarteFigures.Source.ENTERED):
    """Enter an area's figures for a 年度 (creates or replaces). Neither the
    aged nor the children can outnumber the population."""
    if _check_figures(values):
        raise ServiceError(_("65歳以上人口・15歳未満人口は人口以下にしてください。"))
    with locking.locked(Area.objects.filter(pk=area.pk)):
        row, created = KarteFigures.objects.get_or_create(
            area=area, fiscal_year=fiscal_year, defaults={**values, "source": source}
        )
        old = audit.snapshot(row, FIGURE_FIELDS)
        if not created:
            for name, value in values.items():
                setattr(row, name, value)
            row.source = source
            row.save()
        audit.record(
            by=by,
            action="areas.karte_figures.created" if created else "areas.karte_figures.updated",
            target=row,
            changes=None
            if created
            else audit.changes_between(old, audit.snapshot(row, FIGURE_FIELDS)),
        )
    return row


IMPORT_COLUMNS = ["地域コード", "年度", "人口", "世帯数", "65歳以上人口", "15歳未満人口"]
IMPORT_ALIASES = {
    "area_code": "地域コード",
    "fiscal_year": "年度",
    "population": "人口",
    "households": "世帯数",
    "高齢者人口": "65歳以上人口",
    "年少人口": "15歳未満人口",
}
_FIELD_OF = dict(zip(IMPORT_COLUMNS[2:], FIGURE_FIELDS, strict=True))


def _whole_number(text):
    text = text.replace(",", "").strip()
    if text == "":
        return None
    if not text.isdigit():
        raise ValueError
    return int(text)


def import_figures(data, *, by):
    """Karte figures from CSV (`地域コード,年度,人口,世帯数,65歳以上人口,15歳未満人口`).
    All or nothing: any bad row and nothing is written; ImportRejected lists
    the rows as `line N: COLUMN: reason`. Returns the number of rows imported."""
    errors = ErrorCollector()
    reader = read_csv(data, columns=IMPORT_COLUMNS, aliases=IMPORT_ALIASES, errors=errors)
    areas = {a.code: a for a in Area.objects.all()}
    parsed, seen = [], {}
    for row in reader:
        bad = False
        area = areas.get(row["地域コード"].strip())
        if area is None:
            errors.add(RowError(row.line, "地域コード", _("この地域コードはありません")))
            bad = True
        try:
            year = int(row["年度"].strip())
            if not 1989 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors.add(RowError(row.line, "年度", _("年度は西暦の4桁で書いてください")))
            bad = True
            year = None
        values = {}
        for column, name in _FIELD_OF.items():
            try:
                values[name] = _whole_number(row[column])
            except ValueError:
                errors.add(RowError(row.line, column, _("0以上の整数で書いてください")))
                bad = True
        if bad:
            continue
        over = _check_figures(values)
        if over:
            column = next(c for c, n in _FIELD_OF.items() if n == over)
            errors.add(RowError(row.line, column, _("人口より多くなっています")))
            continue
        key = (area.pk, year)
        if key in seen:
            errors.add(
                RowError(
                    row.line,
                    "年度",
                    _("%(line)d行目と同じ地域・年度です") % {"line": seen[key]},
                )
            )
            continue
        seen[key] = row.line
        parsed.append((area, year, values))
    if errors:
        raise ImportRejected(errors)
    area_ids = {area.pk for area, _year, _values in parsed}
    with locking.locked(Area.objects.filter(pk__in=area_ids)):
        for area, year, values in parsed:
            KarteFigures.objects.update_or_create(
                area=area,
                fiscal_year=year,
                defaults={**values, "source": KarteFigures.Source.IMPORTED},
            )
        audit.record(
            by=by,
            action="areas.karte_figures.imported",
            target=KarteFigures,
            data={"rows": len(parsed), "areas": len(area_ids)},
        )
    return len(parsed)


def add_karte_issue(*, area, fiscal_year, issue, priority, source, note="", by):
    try:
        with transaction.atomic():
            row = KarteIssue.objects.create(
                area=area,
                fiscal_year=fiscal_year,
                issue=issue,
                priority=priority,
                source=source,
                note=note,
            )
            audit.record(by=by, action="areas.karte_issue.created", target=row)
    except IntegrityError:
        raise ServiceError(_("この課題は同じ年度・同じ経路ですでに載っています。")) from None
    return row


def remove_karte_issue(*, karte_issue, by):
    with transaction.atomic():
        audit.record(by=by, action="areas.karte_issue.deleted", target=karte_issue)
        karte_issue.delete()


# --- Offers (the stakeholder directory) -------------------------------------------


@dataclass(frozen=True)
class OfferContent:
    kind: str
    title: str
    description: str = ""
    issues: list = field(default_factory=list)
    is_active: bool = True


def _offer_search_text(content):
    return search_text(content.title, content.description, *[i.title for i in content.issues])


def save_offer(*, organisation, content, by, offer_id=None):
    """Create (no id) or update what `organisation` offers."""
    if offer_id is None:
        with transaction.atomic():
            offer = Offer(
                organisation=organisation,
                kind=content.kind,
                title=content.title,
                description=content.description,
                is_active=content.is_active,
                search_text=_offer_search_text(content),
            )
            offer.full_clean()
            offer.save()
            offer.issues.set(content.issues)
            audit.record(by=by, action="areas.offer.created", target=offer)
        return offer
    tracked = ("kind", "title", "description", "is_active")
    with locking.locked_one(Offer, offer_id) as offer:
        if offer.organisation_id != organisation.pk:
            raise ServiceError(_("この団体の登録ではありません。"))
        old = audit.snapshot(offer, tracked)
        offer.kind, offer.title = content.kind, content.title
        offer.description, offer.is_active = content.description, content.is_active
        offer.search_text = _offer_search_text(content)
        offer.full_clean()
        offer.save()
        offer.issues.set(content.issues)
        audit.record(
            by=by,
            action="areas.offer.updated",
            target=offer,
            changes=audit.changes_between(old, audit.snapshot(offer, tracked)),
        )
    return offer


def delete_offer(*, offer, by):
    with transaction.atomic():
        audit.record(by=by, action="areas.offer.deleted", target=offer)
        offer.delete()


# --- Vision and action plans ------------------------------------------------------------

VISION_FIELDS = ("title", "text", "first_year", "last_year", "is_published")
GOAL_FIELDS = ("number", "title", "description")
ACTION_FIELDS = (
    "title",
    "description",
    "owner_kind",
    "owner_organisation",
    "owner_department",
    "starts_on",
    "ends_on",
)


def _validated(obj, exclude=None, *, unique=True):
    try:
        obj.full_clean(exclude=exclude, validate_unique=unique, validate_constraints=unique)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages)) from None


def save_vision(*, area, values, by, vision_id=None):
    if values["last_year"] < values["first_year"]:
        raise ServiceError(_("計画期間の終了年度は開始年度以降にしてください。"))
    if vision_id is None:
        try:
            with transaction.atomic():
                vision = Vision(area=area, **values)
                _validated(vision)
                vision.save()
                audit.record(by=by, action="areas.vision.created", target=vision)
        except IntegrityError:
            raise ServiceError(_("この地域には同じ開始年度のビジョンがあります。")) from None
        return vision
    with locking.locked_one(Vision, vision_id) as vision:
        old = audit.snapshot(vision, VISION_FIELDS)
        for name, value in values.items():
            setattr(vision, name, value)
        _validated(vision)
        vision.save()
        audit.record(
            by=by,
            action="areas.vision.updated",
            target=vision,
            changes=audit.changes_between(old, audit.snapshot(vision, VISION_FIELDS)),
        )
    return vision


def save_goal(*, vision, values, issues, by, goal_id=None):
    """Create (no id) or correct a goal of `vision`; a correction's audit row
    lists what changed, the related issues by number."""
    try:
        if goal_id is None:
            with transaction.atomic():
                goal = Goal(vision=vision, **values)
                _validated(goal, unique=False)
                goal.save()
                goal.issues.set(issues)
                audit.record(by=by, action="areas.goal.created", target=goal)
            return goal
        with locking.locked(Goal.objects.filter(pk=goal_id, vision=vision)) as rows:
            if not rows:
                raise ServiceError(_("目標が見つかりません。削除された可能性があります。"))
            goal = rows[0]
            old = {**audit.snapshot(goal, GOAL_FIELDS), "issues": _issue_numbers(goal.issues.all())}
            for name, value in values.items():
                setattr(goal, name, value)
            _validated(goal, unique=False)
            goal.save()
            goal.issues.set(issues)
            new = {**audit.snapshot(goal, GOAL_FIELDS), "issues": _issue_numbers(issues)}
            audit.record(
                by=by,
                action="areas.goal.updated",
                target=goal,
                changes=audit.changes_between(old, new),
            )
    except IntegrityError:
        raise ServiceError(_("同じ番号の目標があります。ほかの番号にしてください。")) from None
    return goal


def _issue_numbers(issues):
    return sorted(issue.number for issue in issues)


def delete_goal(*, goal_id, by):
    """Remove a goal and its actions (the page asked first and listed them).
    The meetings, requests and grants they were linked to stay as they are."""
    with locking.locked(Goal.objects.filter(pk=goal_id)) as rows:
        if not rows:
            raise ServiceError(_("目標が見つかりません。すでに削除された可能性があります。"))
        goal = rows[0]
        actions = list(goal.actions.values_list("pk", flat=True))
        audit.record(
            by=by,
            action="areas.goal.deleted",
            target=goal,
            data={
                "vision": goal.vision_id,
                "number": goal.number,
                "title": goal.title,
                "actions": actions,
            },
        )
        goal.delete()
    return goal


def delete_action(*, action_id, by):
    """Remove one action of the plan; what it was linked to is left alone."""
    with locking.locked(Action.objects.filter(pk=action_id)) as rows:
        if not rows:
            raise ServiceError(_("取組が見つかりません。すでに削除された可能性があります。"))
        action = rows[0]
        audit.record(
            by=by,
            action="areas.plan_action.deleted",
            target=action,
            data={"goal": action.goal_id, "title": action.title, "status": action.status},
        )
        action.delete()
    return action


def _check_links(area, meetings, requests, applications):
    for rows in (meetings, requests, applications):
        if any(row.area_id != area.pk for row in rows):
            raise ServiceError(_("ほかの地域のミーティング・支援依頼・助成は結び付けられません。"))


def save_action(*, goal, values, meetings=(), requests=(), applications=(), by, action_id=None):
    """Create or update an action; the meetings, support requests and grant
    applications linked to it must be of the vision's area."""
    area = goal.vision.area
    _check_links(area, meetings, requests, applications)
    if values.get("owner_kind") in (
        Action.Owner.ORGANISATION,
        Action.Owner.JOINT,
    ) and not values.get("owner_organisation"):
        raise ServiceError(_("担い手の団体を選んでください。"))
    if action_id is None:
        with transaction.atomic():
            action = Action(goal=goal, updated_by=by.user, **values)
            _validated(action)
            action.save()
            _set_links(action, meetings, requests, applications)
            audit.record(
                by=by,
                action="areas.plan_action.created",
                target=action,
                data=_link_counts(meetings, requests, applications),
            )
        return action
    with locking.locked(Action.objects.filter(pk=action_id, goal=goal)) as rows:
        if not rows:
            raise ServiceError(_("取組が見つかりません。"))
        action = rows[0]
        old = audit.snapshot(action, ACTION_FIELDS)
        for name, value in values.items():
            setattr(action, name, value)
        action.updated_by = by.user
        _validated(action)
        action.save()
        _set_links(action, meetings, requests, applications)
        audit.record(
            by=by,
            action="areas.plan_action.updated",
            target=action,
            changes=audit.changes_between(old, audit.snapshot(action, ACTION_FIELDS)),
            data=_link_counts(meetings, requests, applications),
        )
    return action


def _set_links(action, meetings, requests, applications):
    action.meetings.set(meetings)
    action.support_requests.set(requests)
    action.grant_applications.set(applications)


def _link_counts(meetings, requests, applications):
    return {"meetings": len(meetings), "requests": len(requests), "grants": len(applications)}


def move_action(*, action_id, to, by, note=""):
    with locking.locked_one(Action, action_id) as action:
        ACTION_FLOW.transition(action, to=to, by=by, note=note)
    return action


def organisation_choices_for(area):
    return Organisation.objects.filter(areas=area, is_active=True, approved_at__isnull=False)
