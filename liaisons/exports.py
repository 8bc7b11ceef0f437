"""Report exports: CSV through portal.csvio (UTF-8 with BOM or CP932, formula
cells neutralised) and XLSX through portal.xlsx (the same cells, less the
control characters a worksheet cannot hold)."""

from django.http import HttpResponse

from portal.csvio import ExportEncodingError, _attachment, csv_bytes
from portal.xlsx import CONTENT_TYPE, xlsx_bytes

from . import reports

__all__ = ["ExportEncodingError", "export", "xlsx_response"]


def xlsx_response(header, rows, *, title, filename):
    """One table as an XLSX attachment: header on row 1, numbers as numbers,
    text cells as `portal.xlsx.xlsx_cell` writes them."""
    data = xlsx_bytes(header, rows, title=title)
    return _attachment(HttpResponse(data, content_type=CONTENT_TYPE), filename)


def requests_dataset(year):
    # django-import-export and tablib cost 0.02 s at start-up; only the downloads need them.
    from .resources import SupportRequestResource

    queryset = (
        reports.requests_in_year(year)
        .select_related("area", "organisation", "assignee__user")
        .order_by("submitted_at", "pk")
    )
    return SupportRequestResource().export(queryset=queryset)


def table_dataset(table, year):
    if table == "requests":
        return requests_dataset(year)
    built = reports.TABLES[table](year)
    # tablib is kept off the start-up path with the resources; only the downloads need it.
    import tablib

    dataset = tablib.Dataset(headers=[str(h) for h in built.header])
    for row in built.rows:
        dataset.append(row)
    return dataset


def export(*, table, year, fmt):
    """(response, number of rows) for `table` of fiscal year `year`."""
    dataset = table_dataset(table, year)
    header = [str(h) for h in dataset.headers]
    rows = [list(row) for row in dataset]
    name = f"liaisons-{table}-{year}"
    if fmt == "xlsx":
        return xlsx_response(header, rows, title=table, filename=f"{name}.xlsx"), len(rows)
    encoding = "cp932" if fmt == "cp932" else "utf-8"
    data = csv_bytes(header, rows, encoding=encoding)
    response = HttpResponse(
        data, content_type=f"text/csv; charset={'Shift_JIS' if encoding == 'cp932' else 'utf-8'}"
    )
    return _attachment(response, f"{name}.csv"), len(rows)
