"""Reading the fields of a register extract as city systems write them.

Dates, postal codes and codes are NFKC'd (full-width digits); names never are
(NFKC would turn the full-width space between 氏 and 名 into an ASCII one).
"""

import re
import unicodedata
from datetime import date

import jaconv

ERAS = {
    # name: (first day, last day)
    "明治": (date(1868, 1, 25), date(1912, 7, 29)),
    "大正": (date(1912, 7, 30), date(1926, 12, 24)),
    "昭和": (date(1926, 12, 25), date(1989, 1, 7)),
    "平成": (date(1989, 1, 8), date(2019, 4, 30)),
    "令和": (date(2019, 5, 1), date(9999, 12, 31)),
}
_SEIREKI = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_WAREKI = re.compile(r"^(明治|大正|昭和|平成|令和)(元|\d{1,2})年(\d{1,2})月(\d{1,2})日$")
_POSTAL = re.compile(r"^(\d{3})-?(\d{4})$")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
_NOT_FULL_KATAKANA = re.compile("[\u3041-\u309f\uff61-\uff9f]")

SEX_CODES = {"1": "1", "男": "1", "2": "2", "女": "2", "": ""}


class Invalid(ValueError):
    """A value that makes the row bad; the message is shown to the user."""


def nfkc(value):
    if value.isascii():
        return value.strip()
    return unicodedata.normalize("NFKC", value).strip()


def parse_date(value):
    """`1999-03-08`, `1999/3/8` or 和暦 `平成25年9月18日` (元年 too) → date."""
    text = nfkc(value)
    if not text:
        raise Invalid("空欄です。")
    match = _SEIREKI.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise Invalid(f"存在しない日付です（{text}）。") from None
    match = _WAREKI.match(text)
    if not match:
        raise Invalid(
            f"日付として読めません（{text}）。1999-03-08、1999/03/08、平成25年9月18日 の形で入力してください。"
        )
    era, year_text, month, day = match.groups()
    era_year = 1 if year_text == "元" else int(year_text)
    first, last = ERAS[era]
    try:
        result = date(first.year + era_year - 1, int(month), int(day))
    except ValueError:
        raise Invalid(f"存在しない日付です（{text}）。") from None
    if era_year < 1 or not first <= result <= last:
        raise Invalid(f"{era}の期間にない日付です（{text}）。")
    return result


def parse_sex(value):
    if value in SEX_CODES:
        return SEX_CODES[value]
    text = nfkc(value)
    try:
        return SEX_CODES[text]
    except KeyError:
        raise Invalid(f"性別は 1・男・2・女 または空欄です（{text}）。") from None


def parse_postal_code(value):
    text = nfkc(value)
    match = _POSTAL.match(text)
    if not match:
        raise Invalid(f"郵便番号は 206-8313 または 2068313 の形です（{text}）。")
    return f"{match.group(1)}-{match.group(2)}"


def clean_name(value):
    """The name as written (surrounding spaces trimmed), never NFKC'd."""
    return value.strip(" \t\u3000")


def clean_kana(value):
    text = value.strip(" \t\u3000")
    if text.isascii():
        return text
    if _NOT_FULL_KATAKANA.search(text):
        text = jaconv.hira2kata(jaconv.h2z(text))
    return text


def has_private_use(*values):
    return _PRIVATE_USE.search("".join(values)) is not None
