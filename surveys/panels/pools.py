"""Pools of candidates: read from the Sortition Foundation's files or built
from an area's volunteers, as (columns, rows) tables with the id column and
the feature columns named.

A people file may come with its features file (its quotas are then used as
they are) or alone: its 年代・性別・地区 columns (or age band, sex/gender,
district) are then the features, and the quotas are proposed from the
register (see `proposals`).
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from portal.csvio import ImportRejected, RowError, read_csv
from surveys.sortition.io import raw_header, read_features, read_people
from surveys.sortition.quotas import Quota, key

AGE, SEX, DISTRICT = "年代", "性別", "地区"
STANDARD_FEATURES = {
    AGE: ("年代", "年齢層", "年齢区分", "age band", "age_band", "ageband", "age"),
    SEX: ("性別", "sex", "gender"),
    DISTRICT: ("地区", "町丁目", "町丁目名", "district", "地域"),
}
# Header words that mark a column as a way to reach the person.
CONTACT_HINTS = (
    "氏名",
    "名前",
    "フリガナ",
    "ふりがな",
    "カナ",
    "name",
    "mail",
    "メール",
    "電話",
    "phone",
    "tel",
    "携帯",
    "住所",
    "address",
    "郵便",
    "postal",
    "連絡先",
    "contact",
)


@dataclass
class PoolTable:
    columns: list
    rows: list
    id_column: str
    features: list  # header cells used as features, in quota order
    quotas: list = field(default_factory=list)  # Quota from a features file, else []

    @property
    def contact_columns(self):
        skip = {key(self.id_column), *(key(f) for f in self.features)}
        return [
            c
            for c in self.columns
            if key(c) not in skip and any(hint in key(c) for hint in CONTACT_HINTS)
        ]

    def values_by_feature(self):
        """{feature: [(value, count)]} in first-seen order (values compared by key)."""
        result = {}
        for feature in self.features:
            at = self.columns.index(feature)
            counts, label = {}, {}
            for row in self.rows:
                k = key(row[at])
                label.setdefault(k, row[at])
                counts[k] = counts.get(k, 0) + 1
            result[feature] = sorted(
                ((label[k], counts[k]) for k in label),
                key=lambda item: value_order(feature, item[0]),
            )
        return result


def value_order(feature, value):
    """Age bands by age, other values by their text."""
    if standard_feature(feature) == AGE:
        band = age_range(value)
        if band is not None:
            return (0, band[0] or 0, key(value))
    return (1, 0, key(value))


def standard_feature(name):
    """AGE, SEX or DISTRICT when a header or feature name means one of them."""
    k = key(name)
    for standard, names in STANDARD_FEATURES.items():
        if k in {key(n) for n in names}:
            return standard
    return None


def _column_named(header, name):
    for cell in header:
        if key(cell) == key(name):
            return cell
    return None


def from_files(people_data, *, features_data=None, id_column=None):
    """The pool of a people file (and its features file, when given).

    Raises ImportRejected with the files' row errors (the features file's
    lines prefixed with its name)."""
    header = raw_header(people_data)
    if not header:
        raise ImportRejected([RowError(1, _("候補者ファイル"), _("ファイルが空です。"))])
    if id_column and _column_named(header, id_column) is None:
        raise ImportRejected([RowError(1, id_column, _("候補者ファイルにこのID列がありません。"))])
    id_name = _column_named(header, id_column) if id_column else header[0]
    if features_data:
        quotas = read_features(features_data)
    else:
        quotas = _quotas_from_values(people_data, header, id_name)
    people = read_people(people_data, quotas=quotas, id_column=id_name)
    features = []
    for quota in quotas:
        cell = _column_named(people.header, quota.feature)
        if cell and cell not in features:
            features.append(cell)
    return PoolTable(
        columns=list(people.header),
        rows=[[cell.strip() for cell in row] for row in people.rows],
        id_column=_column_named(people.header, people.id_column) or people.id_column,
        features=features,
        quotas=quotas if features_data else [],
    )


def _quotas_from_values(data, header, id_name):
    """Open quotas (0 to anything) for every value of the standard columns,
    so that the people file is read and checked the same way."""
    found = [c for c in header if c != id_name and standard_feature(c)]
    if not found:
        raise ImportRejected(
            [
                RowError(
                    1,
                    _("候補者ファイル"),
                    _(
                        "年代・性別・地区の列が見つかりません。"
                        "これらの列を加えるか、特徴量ファイルを添えてください。"
                    ),
                )
            ]
        )
    reader = read_csv(data, columns=[id_name, *found])
    values = {c: {} for c in found}
    for row in reader:
        for column in found:
            value = row[column].strip()
            if value:
                values[column].setdefault(key(value), value)
    if reader.collector:
        raise ImportRejected(reader.collector)
    return [
        Quota(feature=column, value=value, min=0, max=10**6)
        for column in found
        for value in values[column].values()
    ]


# --- Volunteers of an area (from the questionnaire) ----------------------------

VOLUNTEER_COLUMNS = ["ID", AGE, SEX, DISTRICT, "氏名", "メールアドレス", "電話番号"]


def volunteers_available():
    from surveys import selectors

    return hasattr(selectors, "volunteers_for_area")


def _get(item, *names):
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if callable(value):
            value = value()
        if value not in (None, ""):
            return value
    return ""


def from_volunteers(area, *, as_of):
    """The pool of an area's volunteers (`surveys.selectors.volunteers_for_area`).

    Each volunteer (a model or a dict) gives an id (`pk`/`id`), an age band
    (`age_band`, else `age` or `birth_date` on `as_of`), a sex (`sex`), a
    district (`district`: a District, or its name) and, when known, a name,
    e-mail address and phone number (or one `contact`, either of them)."""
    from surveys import selectors

    rows = []
    for volunteer in selectors.volunteers_for_area(area):
        band = _get(volunteer, "age_band")
        if not band:
            age = _get(volunteer, "age")
            birth = _get(volunteer, "birth_date")
            if age == "" and birth:
                age = (
                    as_of.year - birth.year - ((as_of.month, as_of.day) < (birth.month, birth.day))
                )
            band = age_band(int(age)) if age != "" else ""
        sex = _get(volunteer, "get_sex_display", "sex")
        district = _get(volunteer, "district")
        district = getattr(district, "name", district)
        email, phone = _get(volunteer, "email"), _get(volunteer, "phone", "phone_number")
        # The questionnaire asks for one contact: an e-mail address or a phone number.
        contact = str(_get(volunteer, "contact")).strip()
        if contact and not (email or phone):
            email, phone = (contact, "") if "@" in contact else ("", contact)
        rows.append(
            [
                str(_get(volunteer, "pk", "id")),
                str(band),
                str(sex),
                str(district),
                str(_get(volunteer, "name", "full_name")),
                str(email),
                str(phone),
            ]
        )
    if not rows:
        raise ImportRejected(
            [RowError(1, _("候補者"), _("この地域にはまだボランティアの登録がありません。"))]
        )
    missing = [r[0] for r in rows if not all(r[1:4])]
    if missing:
        raise ImportRejected(
            [
                RowError(
                    1,
                    _("候補者"),
                    _("年代・性別・地区のわからないボランティアがいます（ID: %(ids)s）。")
                    % {"ids": "、".join(missing[:10])},
                )
            ]
        )
    return PoolTable(
        columns=list(VOLUNTEER_COLUMNS), rows=rows, id_column="ID", features=[AGE, SEX, DISTRICT]
    )


# --- Age bands --------------------------------------------------------------------

AGE_BANDS = ((18, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, None))


def age_band(age):
    for low, high in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return f"{low}〜{high}歳" if high is not None else f"{low}歳以上"
    return f"{age}歳"


def age_range(value):
    """(low, high) ages of a band label: 30〜39歳, 30-39, 30代, 70歳以上, 20歳未満."""
    text = key(value)
    numbers = [int(n) for n in re.findall(r"\d+", text)]
    if not numbers:
        return None
    if len(numbers) >= 2:
        return numbers[0], numbers[1]
    n = numbers[0]
    if "代" in text:
        return n, n + 9
    if "未満" in text:
        return 0, n - 1
    if "以下" in text:
        return 0, n
    if "以上" in text or text.endswith(("-", "〜", "~", "+", "–")):
        return n, None
    return n, n
