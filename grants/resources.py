"""django-import-export resources: the allocation inputs (import and export)
and the programme's tables (applications, awards, payments) for CSV and XLSX.

Imports go through `read_allocation_inputs`, which validates every row and
lists the bad ones before anything changes; the write is the service's.
"""

import unicodedata

from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from areas.models import Area
from portal.csvio import ErrorCollector, ImportRejected, RowError, csv_bytes
from portal.xlsx import xlsx_bytes

from .forms import MAX_SPREADSHEET_BYTES
from .models import AllocationLine, Application, Payment


def _number_field(attribute, column_name):
    """A number column: a number in XLSX (exported with `force_native_type`),
    plain digits in CSV."""
    return fields.Field(
        attribute=attribute, column_name=column_name, widget=widgets.IntegerWidget()
    )


class AllocationInputResource(resources.ModelResource):
    area_code = fields.Field(attribute="area__code", column_name="地域コード")
    area_name = fields.Field(attribute="area__name", column_name="地域名")
    population = _number_field("population", "人口")
    households = _number_field("households", "世帯数")
    amount = _number_field("amount", "配分額")

    class Meta:
        model = AllocationLine
        fields = ("area_code", "area_name", "population", "households", "amount")
        export_order = fields


REQUIRED_COLUMNS = ("地域コード", "人口", "世帯数")


def _number(value):
    text = unicodedata.normalize("NFKC", str(value if value is not None else "")).strip()
    text = text.replace(",", "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


def load_dataset(upload):
    """A tablib Dataset from an uploaded CSV (UTF-8 / CP932) or XLSX file
    of at most `MAX_SPREADSHEET_BYTES` (never read further than that)."""
    data = upload.read(MAX_SPREADSHEET_BYTES + 1)
    if len(data) > MAX_SPREADSHEET_BYTES:
        raise ImportRejected([RowError(1, "-", _("ファイルが大きすぎます（上限 1 MB）。"))])
    # import-export's formats load openpyxl (0.4 s at start-up); only the upload needs them.
    from import_export.formats.base_formats import CSV, XLSX

    name = getattr(upload, "name", "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return XLSX().create_dataset(data)
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return CSV().create_dataset(text)
    raise ImportRejected([RowError(1, "-", _("文字コードを判別できません。"))])


def read_allocation_inputs(dataset):
    """{Area: (population, households)} from a dataset; ImportRejected with
    every bad row (line numbers as in the file, header = line 1)."""
    headers = [unicodedata.normalize("NFKC", str(h or "")).strip() for h in dataset.headers or []]
    collector = ErrorCollector()
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        for column in missing:
            collector.add(RowError(1, column, _("列がありません。")))
        raise ImportRejected(collector)
    index = {name: headers.index(name) for name in REQUIRED_COLUMNS}
    areas = {area.code: area for area in Area.objects.all()}
    result, seen = {}, set()
    for offset, row in enumerate(dataset, start=2):
        code = unicodedata.normalize("NFKC", str(row[index["地域コード"]] or "")).strip()
        if not code and all(v in (None, "") for v in row):
            continue
        area = areas.get(code)
        if area is None:
            collector.add(RowError(offset, "地域コード", _("登録されていない地域です。")))
        elif code in seen:
            collector.add(RowError(offset, "地域コード", _("同じ地域が2回あります。")))
        seen.add(code)
        values = []
        for column in ("人口", "世帯数"):
            number = _number(row[index[column]])
            if number is None:
                collector.add(RowError(offset, column, _("0以上の整数を入力してください。")))
            values.append(number)
        if area is not None and None not in values:
            result[area] = tuple(values)
    if not result and not collector:
        collector.add(RowError(2, "-", _("データの行がありません。")))
    if collector:
        raise ImportRejected(collector)
    return result


class ApplicationResource(resources.ModelResource):
    number = _number_field("pk", "申請番号")
    programme = fields.Field(attribute="programme__name", column_name="事業")
    organisation = fields.Field(attribute="organisation__name", column_name="団体")
    area = fields.Field(attribute="area__name", column_name="地域")
    title = fields.Field(attribute="title", column_name="事業名")
    status = fields.Field(column_name="状態")
    requested = _number_field("requested_amount", "申請額")
    approved = _number_field("approved_amount", "交付決定額")
    submitted = fields.Field(column_name="提出日")
    issues = fields.Field(column_name="地域課題")

    class Meta:
        model = Application
        fields = (
            "number",
            "programme",
            "organisation",
            "area",
            "title",
            "status",
            "requested",
            "approved",
            "submitted",
            "issues",
        )
        export_order = fields

    def dehydrate_status(self, application):
        return application.get_status_display()

    def dehydrate_submitted(self, application):
        return application.submitted_at.date().isoformat() if application.submitted_at else ""

    def dehydrate_issues(self, application):
        return " / ".join(issue.title for issue in application.issues.all())


class AwardResource(ApplicationResource):
    conditions = fields.Field(attribute="conditions", column_name="交付条件")
    decided = fields.Field(column_name="決定日")

    class Meta(ApplicationResource.Meta):
        fields = ("number", "organisation", "area", "title", "approved", "decided", "conditions")
        export_order = fields

    def dehydrate_decided(self, application):
        return application.decided_at.date().isoformat() if application.decided_at else ""


class PaymentResource(resources.ModelResource):
    number = _number_field("pk", "支払番号")
    application = _number_field("application_id", "申請番号")
    organisation = fields.Field(attribute="application__organisation__name", column_name="団体")
    amount = _number_field("amount", "支払額")
    paid_on = fields.Field(column_name="支払日")

    class Meta:
        model = Payment
        fields = ("number", "application", "organisation", "amount", "paid_on")
        export_order = fields

    def dehydrate_paid_on(self, payment):
        return payment.paid_on.isoformat()


def dataset_csv(dataset, *, encoding="utf-8"):
    """CSV bytes through the portal's writer (BOM, CP932 check, formula guard)."""
    return csv_bytes(dataset.headers, [list(row) for row in dataset], encoding=encoding)


def dataset_xlsx(dataset):
    """XLSX bytes through the portal's writer: numbers stay numbers, text cells
    guarded against formulas as in the CSV, control characters dropped."""
    return xlsx_bytes(dataset.headers, dataset)
