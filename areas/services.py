from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, locking
from portal.audit import changes_between, snapshot
from portal.csvio import FILE_COLUMN, ImportRejected, RowError, normalise_code, read_csv
from portal.errors import ServiceError
from portal.workflow import Workflow

from .models import Area, District, LocalIssue, Organisation, Representation

AREA_CODE = "地域コード"
AREA_NAME = "地域名"
DISTRICT_CODE = "町丁目コード"
DISTRICT_NAME = "町丁目名"
MACHIAZA_ID = "町字ID"
DISTRICT_COLUMNS = (AREA_CODE, AREA_NAME, DISTRICT_CODE, DISTRICT_NAME)
DISTRICT_ALIASES = {"地区コード": AREA_CODE, "地区名": AREA_NAME, "町丁目CD": DISTRICT_CODE}


@dataclass
class DistrictImportResult:
    areas_created: int = 0
    areas_updated: int = 0
    districts_created: int = 0
    districts_updated: int = 0
    unchanged: int = 0

    @property
    def rows(self):
        return self.districts_created + self.districts_updated + self.unchanged


@dataclass(frozen=True)
class _DistrictRow:
    line: int
    area_code: str
    area_name: str
    code: str
    name: str
    machiaza_id: str


def _field_errors(model, field_name, value, line, column):
    field = model._meta.get_field(field_name)
    try:
        field.clean(value, None)
    except ValidationError as exc:
        return [RowError(line, column, message) for message in exc.messages]
    return []


def _parse_district_rows(data):
    rows = read_csv(data, columns=DISTRICT_COLUMNS, aliases=DISTRICT_ALIASES)
    errors = rows.collector  # the reader's errors and ours, under one cap
    parsed = []
    first_line_of_district = {}
    area_names = {}
    for row in rows:
        item = _DistrictRow(
            line=row.line,
            area_code=normalise_code(row[AREA_CODE]),
            area_name=row[AREA_NAME].strip(),
            code=normalise_code(row[DISTRICT_CODE]),
            name=row[DISTRICT_NAME].strip(),
            machiaza_id=normalise_code(row[MACHIAZA_ID]),
        )
        row_errors = []
        for model, field_name, column, value in (
            (Area, "code", AREA_CODE, item.area_code),
            (Area, "name", AREA_NAME, item.area_name),
            (District, "code", DISTRICT_CODE, item.code),
            (District, "name", DISTRICT_NAME, item.name),
        ):
            if not value:
                row_errors.append(RowError(row.line, column, _("空欄です。")))
            else:
                row_errors += _field_errors(model, field_name, value, row.line, column)
        if item.machiaza_id:
            row_errors += _field_errors(
                District, "machiaza_id", item.machiaza_id, row.line, MACHIAZA_ID
            )
        if item.code and item.code in first_line_of_district:
            row_errors.append(
                RowError(
                    row.line,
                    DISTRICT_CODE,
                    _("%(code)s は %(line)d 行目と重複しています。")
                    % {"code": item.code, "line": first_line_of_district[item.code]},
                )
            )
        if item.area_code and item.area_name:
            known = area_names.setdefault(item.area_code, (item.area_name, row.line))
            if known[0] != item.area_name:
                row_errors.append(
                    RowError(
                        row.line,
                        AREA_NAME,
                        _(
                            "地域コード %(code)s の地域名が %(line)d 行目の「%(name)s」と異なります。"
                        )
                        % {"code": item.area_code, "line": known[1], "name": known[0]},
                    )
                )
        first_line_of_district.setdefault(item.code, row.line)
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append(item)
    if not rows.row_count and not errors:
        errors.add(RowError(2, FILE_COLUMN, _("データ行がありません。")))
    return parsed, errors


def import_districts(*, data, by, progress=None):
    """Create or update areas and districts from a CSV file (binary file object or bytes).

    All or nothing: when any row is bad, nothing is written and ImportRejected
    lists every bad row. Importing the same file twice changes nothing the
    second time. Districts not in the file are left as they are. The areas
    touched are locked (in code order) for the write, so two imports of
    overlapping files run one after the other instead of racing.
    """
    rows, errors = _parse_district_rows(data)
    if errors:
        raise ImportRejected(errors)
    if progress:
        progress(0, len(rows), force=True)

    result = DistrictImportResult()
    try:
        with transaction.atomic(durable=True):
            areas = _upsert_areas(rows, result)
            _upsert_districts(rows, areas, result)
            audit.record(
                by=by,
                action="areas.districts.imported",
                target=District,
                data={
                    "rows": result.rows,
                    "areas_created": result.areas_created,
                    "areas_updated": result.areas_updated,
                    "districts_created": result.districts_created,
                    "districts_updated": result.districts_updated,
                },
            )
    except IntegrityError:
        # Another import created the same codes at the same moment.
        raise ImportRejected(
            [RowError(1, FILE_COLUMN, _("同時に別の取込が行われました。もう一度お試しください。"))]
        ) from None
    if progress:
        progress(len(rows), len(rows), force=True)
    return result


def _upsert_areas(rows, result):
    wanted = {}
    for row in rows:
        wanted.setdefault(row.area_code, row.area_name)
    # Lock in code order: two imports of overlapping files wait for each other.
    locked_areas = Area.objects.filter(code__in=wanted).order_by("code")
    if locking.LOCKS_ENABLED:
        locked_areas = locked_areas.select_for_update()
    existing = {a.code: a for a in locked_areas}
    for code, name in wanted.items():
        area = existing.get(code)
        if area is None:
            existing[code] = Area.objects.create(code=code, name=name)
            result.areas_created += 1
        elif area.name != name:
            area.name = name
            area.save(update_fields=["name"])
            result.areas_updated += 1
    return existing


def _upsert_districts(rows, areas, result):
    districts = District.objects.filter(code__in=[r.code for r in rows]).order_by("code")
    if locking.LOCKS_ENABLED:
        districts = districts.select_for_update()
    existing = {d.code: d for d in districts}
    to_create, to_update = [], []
    for row in rows:
        area = areas[row.area_code]
        district = existing.get(row.code)
        if district is None:
            to_create.append(
                District(area=area, code=row.code, name=row.name, machiaza_id=row.machiaza_id)
            )
            continue
        machiaza_id = row.machiaza_id or district.machiaza_id
        if (district.area_id, district.name, district.machiaza_id) == (
            area.pk,
            row.name,
            machiaza_id,
        ):
            result.unchanged += 1
            continue
        district.area, district.name, district.machiaza_id = area, row.name, machiaza_id
        to_update.append(district)
    District.objects.bulk_create(to_create, batch_size=1000)
    District.objects.bulk_update(to_update, ["area", "name", "machiaza_id"], batch_size=1000)
    result.districts_created += len(to_create)
    result.districts_updated += len(to_update)


ISSUE_FIELDS = ("number", "title", "description", "is_active")


def save_local_issue(*, issue, sdg_goals, by):
    """Create or update a catalogue issue (already validated by its form)."""
    created = issue.pk is None
    before = {} if created else snapshot(LocalIssue.objects.get(pk=issue.pk), ISSUE_FIELDS)
    with transaction.atomic():
        issue.full_clean()
        issue.save()
        issue.sdg_goals.set(sdg_goals)
        audit.record(
            by=by,
            action="areas.local_issue.created" if created else "areas.local_issue.updated",
            target=issue,
            changes=changes_between(before, snapshot(issue, ISSUE_FIELDS)),
        )
    return issue


def next_local_issue_number():
    last = LocalIssue.objects.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


# --- Organisations -----------------------------------------------------------

ORGANISATION_FIELDS = (
    "name",
    "name_kana",
    "kind",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "is_active",
)
DUPLICATE_ORGANISATION = _("同じ名前・種別の団体がすでに登録されています。")


@dataclass(frozen=True)
class OrganisationProfile:
    """An organisation's profile as a form delivers it (validated)."""

    name: str
    name_kana: str
    kind: str
    description: str
    website: str
    contact_email: str
    contact_phone: str


def _organisation_values(organisation):
    values = snapshot(organisation, ORGANISATION_FIELDS)
    values["areas"] = [a.pk for a in organisation.areas.all()] if organisation.pk else []
    return values


def create_organisation(*, profile, areas, by, approved=True):
    """Register an organisation with its areas. Staff register approved ones;
    a resident's registration (`approved=False`) waits for staff approval.
    Two people registering the same name and kind at once get one row and a
    message, never a 500."""
    organisation = Organisation(
        **profile.__dict__,
        approved_at=timezone.now() if approved else None,
        registered_by=None if approved else by.user,
    )
    organisation.full_clean(validate_unique=False, exclude=["registered_by"])
    try:
        with transaction.atomic():
            organisation.save()
            organisation.areas.set(areas)
            audit.record(
                by=by,
                action="areas.organisation.created"
                if approved
                else "areas.organisation.registration_applied",
                target=organisation,
                changes=changes_between({}, _organisation_values(organisation), model=Organisation),
                kind=audit.AuditLogEntry.Kind.CREATE,
            )
    except IntegrityError:
        raise ServiceError(DUPLICATE_ORGANISATION, code="duplicate") from None
    return organisation


def register_organisation(*, profile, areas, position, by):
    """A resident registers their organisation: it waits, unpublished, for
    staff approval, and the resident's application to represent it is
    approved together with it."""
    with transaction.atomic():
        organisation = create_organisation(profile=profile, areas=areas, by=by, approved=False)
        representation = Representation(
            user=by.user,
            organisation=organisation,
            position=position,
            valid_from=timezone.localdate(),
        )
        representation.full_clean()
        representation.save()
        audit.record(by=by, action="areas.representation.applied", target=representation)
    return organisation


def update_organisation(*, organisation_id, profile, areas, by):
    """Save changes to an organisation's profile and areas.

    The row is locked and read again under the lock, so the audit row's
    "before" values are the ones this change replaced, not values another
    editor had already overwritten.
    """
    try:
        with locking.locked_one(Organisation, organisation_id) as locked:
            before = _organisation_values(locked)
            for name, value in profile.__dict__.items():
                setattr(locked, name, value)
            locked.full_clean(validate_unique=False)
            locked.save()
            locked.areas.set(areas)
            audit.record(
                by=by,
                action="areas.organisation.updated",
                target=locked,
                changes=changes_between(before, _organisation_values(locked), model=Organisation),
            )
    except IntegrityError:
        raise ServiceError(DUPLICATE_ORGANISATION, code="duplicate") from None
    return locked


def approve_organisation(*, organisation_id, by):
    """Staff approve a resident's registration: the organisation becomes public
    and the applicant's pending representation is approved with it."""
    with locking.locked_one(Organisation, organisation_id) as organisation:
        if organisation.approved_at is not None:
            raise ServiceError(_("この団体はすでに承認されています。"))
        organisation.approved_at = timezone.now()
        organisation.save(update_fields=["approved_at"])
        audit.record(by=by, action="areas.organisation.approved", target=organisation)
        pending = Representation.objects.select_for_update().filter(
            organisation=organisation, status=Representation.Status.APPLIED
        )
        for representation in pending:
            _approve(representation, by=by)
    return organisation


# --- Representation ------------------------------------------------------------


def apply_for_representation(*, user, organisation, position, valid_from, note="", by):
    """A resident asks to act for an organisation; staff approve it."""
    if Representation.objects.current().filter(user=user, organisation=organisation).exists():
        raise ServiceError(_("すでにこの団体の代表・担当として登録されています。"))
    if Representation.objects.filter(
        user=user, organisation=organisation, status=Representation.Status.APPLIED
    ).exists():
        raise ServiceError(_("この団体への申請はすでに受け付けています。承認をお待ちください。"))
    representation = Representation(
        user=user, organisation=organisation, position=position, valid_from=valid_from, note=note
    )
    representation.full_clean()
    with transaction.atomic():
        representation.save()
        audit.record(by=by, action="areas.representation.applied", target=representation)
    return representation


# Applications to represent an organisation: who may decide them lives here,
# with the moves (portal.workflow writes the history and audit rows).
REPRESENTATION_FLOW = Workflow(
    moves={
        (Representation.Status.APPLIED, Representation.Status.APPROVED): (
            "areas.manage_representations"
        ),
        (Representation.Status.APPLIED, Representation.Status.REJECTED): (
            "areas.manage_representations"
        ),
    },
    action_prefix="areas.representation",
)


def _approve(representation, *, by):
    representation.approved_by = by.user
    representation.approved_at = timezone.now()
    REPRESENTATION_FLOW.transition(
        representation,
        to=Representation.Status.APPROVED,
        by=by,
        extra_fields=["approved_by", "approved_at"],
        data={"organisation": representation.organisation_id, "user": representation.user_id},
    )


def decide_representation(*, representation_id, approve, by):
    """Staff approve or reject an application to represent an organisation."""
    with locking.locked_one(Representation, representation_id) as representation:
        if representation.status != Representation.Status.APPLIED:
            raise ServiceError(_("この申請はすでに処理されています。"))
        if approve:
            _approve(representation, by=by)
        else:
            REPRESENTATION_FLOW.transition(representation, to=Representation.Status.REJECTED, by=by)
    return representation


def link_representative(*, organisation, user, position, valid_from, by, valid_until=None):
    """Staff link a person to an organisation directly: recorded as an
    application and approved at once, so its history reads like any other."""
    if (
        Representation.objects.current(valid_from)
        .filter(user=user, organisation=organisation, position=position)
        .exists()
    ):
        raise ServiceError(_("この方はすでにこの役職で登録されています。"))
    representation = Representation(
        user=user,
        organisation=organisation,
        position=position,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    representation.full_clean()
    with transaction.atomic():
        representation.save()
        _approve(representation, by=by)
    return representation


def end_representation(*, representation_id, valid_until, by):
    """Unlinking ends the period (the record stays: grants ask who applied for
    the organisation at the time). Access ends the day after `valid_until`."""
    with locking.locked_one(Representation, representation_id) as representation:
        if representation.status != Representation.Status.APPROVED:
            raise ServiceError(_("承認されていない登録は終了できません。"))
        if valid_until < representation.valid_from:
            raise ServiceError(_("終了日は開始日以降にしてください。"))
        if representation.valid_until is not None and representation.valid_until <= valid_until:
            raise ServiceError(_("この登録はすでに終了しています。"))
        old = representation.valid_until
        representation.valid_until = valid_until
        representation.save(update_fields=["valid_until"])
        audit.record(
            by=by,
            action="areas.representation.ended",
            target=representation,
            changes=changes_between({"valid_until": old}, {"valid_until": valid_until}),
        )
    return representation
