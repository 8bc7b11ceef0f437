"""Writing XLSX for Excel: the cell rules every workbook export shares.

A cell is written as the CSV writer writes it (`portal.csvio.safe_cell`:
numbers stay numbers, text that Excel would run as a formula gets a leading
`'`), less the control characters a worksheet cannot hold. openpyxl refuses
those (IllegalCharacterError) and the whole download would fail for one
vertical tab pasted from Word; the CSV keeps them, the sheet drops them.

Exports that build their own workbook with openpyxl pass every row through
`xlsx_row`; a single table goes through `xlsx_bytes`.
"""

import functools

from portal.csvio import safe_cell

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@functools.cache
def _illegal_characters():
    """openpyxl's pattern of the characters a worksheet cannot hold."""
    # openpyxl costs 0.4 s at start-up; only the XLSX downloads need it.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE


def xlsx_cell(value):
    """`safe_cell(value)` without the characters openpyxl refuses; None stays
    an empty cell."""
    if value is None:
        return None
    value = safe_cell(value)
    if isinstance(value, str):
        return _illegal_characters().sub("", value)
    return value


def xlsx_row(row):
    return [xlsx_cell(value) for value in row]


def xlsx_bytes(header, rows, *, title=None):
    """One table as XLSX bytes (tablib: bold header on row 1, frozen below it),
    every cell through `xlsx_cell`."""
    # tablib writes with openpyxl (0.4 s at start-up); only the XLSX downloads need them.
    import tablib

    sheet = tablib.Dataset(headers=xlsx_row(str(h) for h in header))
    for row in rows:
        sheet.append(xlsx_row(row))
    if title:
        sheet.title = title
    return sheet.export("xlsx")
