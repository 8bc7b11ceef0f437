from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portal.csvio import FILE_COLUMN, ImportRejected, RowError, normalise_code, read_csv
from portal.models import Role

from .models import Area, District, LocalIssue, Organisation

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


def import_districts(*, data):
    """Create or update areas and districts from a CSV file (binary file object or bytes).

    All or nothing: when any row is bad, nothing is written and ImportRejected
    lists every bad row. Importing the same file twice changes nothing the
    second time. Districts not in the file are left as they are.
    """
    rows, errors = _parse_district_rows(data)
    if errors:
        raise ImportRejected(errors)

    result = DistrictImportResult()
    try:
        with transaction.atomic():
            areas = _upsert_areas(rows, result)
            _upsert_districts(rows, areas, result)
    except IntegrityError:
        # Another import wrote the same codes at the same moment.
        raise ImportRejected(
            [RowError(1, FILE_COLUMN, _("同時に別の取込が行われました。もう一度お試しください。"))]
        ) from None
    return result


def _upsert_areas(rows, result):
    wanted = {}
    for row in rows:
        wanted.setdefault(row.area_code, row.area_name)
    existing = {a.code: a for a in Area.objects.select_for_update().filter(code__in=wanted)}
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
    existing = {
        d.code: d
        for d in District.objects.select_for_update().filter(code__in=[r.code for r in rows])
    }
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


def save_local_issue(*, issue, sdg_goals):
    """Create or update a catalogue issue (already validated by its form)."""
    with transaction.atomic():
        issue.full_clean()
        issue.save()
        issue.sdg_goals.set(sdg_goals)
    return issue


def next_local_issue_number():
    last = LocalIssue.objects.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def create_organisation(*, areas, **fields):
    """Register a new organisation (validated, with its areas) in one step."""
    with transaction.atomic():
        organisation = Organisation(**fields)
        organisation.full_clean()
        organisation.save()
        organisation.areas.set(areas)
    return organisation


def promote_representatives(*, organisation):
    """Residents linked to an organisation become its representatives (団体代表)."""
    organisation.representatives.filter(role=Role.RESIDENT).update(role=Role.REPRESENTATIVE)


def update_organisation(*, organisation, areas, **fields):
    """Save changes to an organisation's public profile and its areas."""
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean()
        locked.save()
        locked.areas.set(areas)
    return locked
