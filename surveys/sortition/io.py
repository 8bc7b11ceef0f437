"""The Sortition Foundation's file layout, read and written.

Features file: `feature,value,min,max[,min_flex,max_flex]` (the older
headers `category` and `name` are read too). People file: an id column
(`--id-column`, else the first column) and one column per feature; other
columns are carried through to the output unchanged. Both are read through
`portal.csvio.read_csv`: UTF-8 with or without BOM, or CP932; headers match
after NFKC and regardless of case. Bad rows are reported together as
`line N: COLUMN: reason` (ImportRejected).
"""

import codecs
import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.csvio import (
    ImportRejected,
    RowError,
    csv_bytes,
    normalise_header,
    read_csv,
)
from surveys.sortition.quotas import Quota, key

FEATURE_COLUMNS = ("feature", "value", "min", "max")
FEATURE_ALIASES = {
    "category": "feature",
    "name": "value",
    "category value": "value",
    "category_value": "value",
    "category-value": "value",
}


def raw_header(data):
    """The header row as written in the file (encoding found as read_csv does)."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data[:65536].decode(codec, errors="replace")
            break
    else:
        sample = data[:65536]
        try:
            text = sample.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = (
                sample[: exc.start].decode("utf-8")
                if exc.start > len(sample) - 4
                else sample.decode("cp932", errors="replace")
            )
    for row in csv.reader(io.StringIO(text, newline="")):
        return [cell.strip() for cell in row]
    return []


def _case_aliases(header, wanted):
    """Aliases so that `Gender` in a file matches the feature `gender`."""
    by_key = {normalise_header(w).casefold(): w for w in wanted}
    aliases = {}
    for name in header:
        target = by_key.get(normalise_header(name).casefold())
        if target is not None and normalise_header(name) != normalise_header(target):
            aliases[name] = target
    return aliases


def read_features(data):
    """The quotas of a features file, in file order."""
    header = raw_header(data)
    aliases = dict(FEATURE_ALIASES)
    aliases.update(
        _case_aliases(
            header,
            [*FEATURE_COLUMNS, "min_flex", "max_flex", *FEATURE_ALIASES],
        )
    )
    # an alias of an alias (`Category`) resolves to the canonical column
    aliases = {a: FEATURE_ALIASES.get(t, t) for a, t in aliases.items()}
    reader = read_csv(data, columns=list(FEATURE_COLUMNS), aliases=aliases)
    has_flex = "min_flex" in reader.columns and "max_flex" in reader.columns
    quotas, seen = [], {}
    errors = reader.collector
    for row in reader:
        problems = []
        numbers = {}
        for column in ("min", "max", *(("min_flex", "max_flex") if has_flex else ())):
            text = row[column].strip()
            if text == "" and column in ("min_flex", "max_flex"):
                numbers[column] = None
                continue
            try:
                numbers[column] = int(text)
            except ValueError:
                numbers[column] = -1
            if numbers[column] < 0:
                problems.append(RowError(row.line, column, _("0以上の整数を入れてください。")))
        if not row["feature"].strip():
            problems.append(RowError(row.line, "feature", _("特徴量名が空です。")))
        if not row["value"].strip():
            problems.append(RowError(row.line, "value", _("値が空です。")))
        pair = (key(row["feature"]), key(row["value"]))
        if not problems and pair in seen:
            problems.append(
                RowError(
                    row.line,
                    "value",
                    _("%(line)d行目と同じ特徴量・値です。") % {"line": seen[pair]},
                )
            )
        if problems:
            errors.extend(problems)
            continue
        seen[pair] = row.line
        quotas.append(
            Quota(
                feature=row["feature"].strip(),
                value=row["value"].strip(),
                min=numbers["min"],
                max=numbers["max"],
                min_flex=numbers.get("min_flex"),
                max_flex=numbers.get("max_flex"),
            )
        )
    if errors:
        raise ImportRejected(errors)
    if not quotas:
        raise ImportRejected([RowError(1, "feature", _("特徴量の行がありません。"))])
    return quotas


@dataclass
class PeopleFile:
    header: list  # the file's own header cells
    rows: list  # one list of cells per person, file order
    ids: list  # the id of each row
    id_column: str
    records: list  # (id, {feature: value}) for `select`


def read_people(data, *, quotas, id_column=None):
    header = raw_header(data)
    if not header:
        raise ImportRejected([RowError(1, "ファイル", _("ファイルが空です。"))])
    id_name = id_column or header[0]
    features = []
    for quota in quotas:
        if quota.feature not in features and all(key(quota.feature) != key(f) for f in features):
            features.append(quota.feature)
    columns = [id_name, *(f for f in features if key(f) != key(id_name))]
    reader = read_csv(data, columns=columns, aliases=_case_aliases(header, columns))
    errors = reader.collector
    allowed = {}
    for quota in quotas:
        allowed.setdefault(key(quota.feature), set()).add(key(quota.value))
    rows, ids, records, line_of = [], [], [], {}
    for row in reader:
        person_id = row[id_name].strip()
        if not person_id:
            errors.add(RowError(row.line, id_name, _("IDが空です。")))
            continue
        if person_id in line_of:
            errors.add(
                RowError(
                    row.line,
                    id_name,
                    _("%(line)d行目と同じIDです。") % {"line": line_of[person_id]},
                )
            )
            continue
        line_of[person_id] = row.line
        values = {}
        bad = False
        for feature in features:
            value = row[feature].strip()
            if key(value) not in allowed[key(feature)]:
                errors.add(
                    RowError(
                        row.line,
                        feature,
                        _("「%(value)s」は特徴量ファイルのこの特徴量にない値です。")
                        % {"value": value},
                    )
                )
                bad = True
            values[feature] = value
        if bad:
            continue
        rows.append([row.values.get(c, "") for c in reader.columns])
        ids.append(person_id)
        records.append((person_id, values))
    if errors:
        raise ImportRejected(errors)
    # The file's own header when widths agree (they do unless cells were blank).
    out_header = header if len(header) == len(reader.columns) else list(reader.columns)
    return PeopleFile(out_header, rows, ids, id_name, records)


def selection_files(people_file, result):
    """(selected, remaining, probabilities) as CSV bytes (UTF-8 with BOM).

    selected: the panel's rows in file order; remaining: everyone else in
    calling order (reserves first); probabilities: `id,probability` in file
    order, six decimals.
    """
    row_of = dict(zip(people_file.ids, people_file.rows, strict=True))
    in_panel = set(result.panel)
    selected = [
        row for pid, row in zip(people_file.ids, people_file.rows, strict=True) if pid in in_panel
    ]
    remaining = [row_of[pid] for pid in result.remaining]
    probabilities = [[pid, f"{result.probabilities[pid]:.6f}"] for pid in people_file.ids]
    return (
        csv_bytes(people_file.header, selected),
        csv_bytes(people_file.header, remaining),
        csv_bytes(["id", "probability"], probabilities),
    )
