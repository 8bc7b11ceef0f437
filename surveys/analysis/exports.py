"""The analysis as files: the per-issue CSV (as `export_issue_analysis`) and an
XLSX workbook with the issue table and the cross-tabs, every row written
through `portal.xlsx.xlsx_row` (issue titles and area names are typed by
people and may hold anything)."""

import io

from django.utils import translation

from portal.csvio import csv_bytes
from portal.xlsx import xlsx_row

from .issues import EXPORT_HEADER, LABELS, export_rows
from .tables import DIMENSIONS, crosstab


def issue_csv(analysis):
    return csv_bytes(EXPORT_HEADER, export_rows(analysis), encoding="utf-8")


def workbook(survey, analysis):
    # The workbook's layout is fixed, in Japanese, whatever language the page is in.
    with translation.override("ja"):
        return _workbook(survey, analysis)


def _workbook(survey, analysis):
    # openpyxl costs 0.4 s at start-up; only the workbook download needs it.
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "課題別"
    sheet.append(xlsx_row(EXPORT_HEADER))
    for row in analysis.rows:
        sheet.append(
            xlsx_row(
                [
                    row.number,
                    row.title,
                    analysis.respondents,
                    row.interest,
                    row.participation,
                    row.expectation,
                    row.group1,
                    row.group2,
                ]
            )
        )
    sheet.append([])
    sheet.append(
        [
            "",
            "平均",
            "",
            analysis.mean_percent("interest"),
            analysis.mean_percent("participation"),
            analysis.mean_percent("expectation"),
        ]
    )
    for dimension, label in DIMENSIONS.items():
        for measure in ("interest", "participation", "expectation"):
            table = crosstab(survey, dimension, measure)
            ws = book.create_sheet(f"{label}×{LABELS[measure]}"[:31])
            ws.append(xlsx_row(["課題番号", "課題", *table["groups"]]))
            ws.append(
                ["", "回答者数"]
                + [c.n if not c.suppressed else "秘匿" for c in table["respondents"]]
            )
            for issue in table["issues"]:
                ws.append(
                    xlsx_row(
                        [issue["number"], issue["title"]]
                        + [c.percent if not c.suppressed else "秘匿" for c in issue["cells"]]
                    )
                )
            ws.append([])
            ws.append(["", "5件未満のセルは秘匿しています。"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
