"""和暦 (Japanese era dates), 年度 (the April–March fiscal year) and ages.

The one helper for each: templates, exports, letters, draws and the karte
call these.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone


@dataclass(frozen=True)
class Era:
    name: str
    letter: str
    start: date


# Newest first. 明治 is counted from the Gregorian date its first year began.
ERAS = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("明治", "M", date(1868, 1, 25)),
)


def _as_date(value):
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def era_of(day):
    """The era in force on `day`, or None before 明治."""
    day = _as_date(day)
    for era in ERAS:
        if day >= era.start:
            return era
    return None


def era_year_label(era, year):
    return f"{era.name}{'元' if year == 1 else year}年"


def _format(day, *, with_seireki):
    day = _as_date(day)
    era = era_of(day)
    if era is None:
        return f"{day.year}年{day.month}月{day.day}日"
    year = era_year_label(era, day.year - era.start.year + 1)
    if with_seireki:
        year = f"{year}（{day.year}年）"
    return f"{year}{day.month}月{day.day}日"


def to_wareki(day):
    """令和8年4月1日 for 2026-04-01; the first year of an era is 元年."""
    return _format(day, with_seireki=False)


def to_wareki_with_seireki(day):
    """令和8年（2026年）4月1日, the form staff expect on official dates."""
    return _format(day, with_seireki=True)


def fiscal_year(day=None):
    """The 年度 that `day` (default: today in Tokyo) falls in: April to March."""
    day = _as_date(day) if day is not None else timezone.localdate()
    return day.year if day.month >= 4 else day.year - 1


def fiscal_year_range(year):
    """First and last day of 年度 `year`: 2026 → 2026-04-01 … 2027-03-31."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def fiscal_year_label(year):
    """令和8年度 for 2026.

    A fiscal year in which the era changed is named by the new era when the
    new era's first year falls in it (2019 → 令和元年度), as city documents
    did after the change; otherwise by the era in force on 1 April
    (1988 → 昭和63年度).
    """
    first_day, last_day = fiscal_year_range(year)
    era = era_of(last_day)
    if era is None:
        return f"{year}年度"
    number = year - era.start.year + 1
    if number < 1:
        era = era_of(first_day)
        number = year - era.start.year + 1
    return f"{era.name}{'元' if number == 1 else number}年度"


# --- Ages (年齢計算ニ関スル法律) ---------------------------------------------
# A person grows a year older at the end of the day before their birthday:
# their age on a day is the number of whole years on the day after it. Born
# on 29 February, they turn a year older on 28 February in every year.


def years_before(day, years):
    """`day` moved back `years` years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def age_on(birth, day):
    """Age on `day` of a person born on `birth`, as city systems count it."""
    return age_counter(day)(birth)


def age_counter(day):
    """`age(birth)` on `day`: for counting the ages of a whole register
    (the day after is worked out once)."""
    after = day + timedelta(days=1)
    year, month_day = after.year, (after.month, after.day)

    def age(birth):
        return year - birth.year - (month_day < (birth.month, birth.day))

    return age


def latest_birth_date(day, age):
    """The latest birth date of someone aged `age` or more on `day`."""
    return years_before(day + timedelta(days=1), age)
