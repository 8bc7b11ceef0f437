from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import translation

from portal import dates
from portal.widgets import DateFieldsField, DateFieldsWidget


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 4, 1), "令和8年4月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1912, 7, 30), "大正元年7月30日"),
    ],
)
def test_to_wareki_follows_era_boundaries(day, expected):
    assert dates.to_wareki(day) == expected


def test_wareki_with_seireki_is_the_official_staff_form():
    assert dates.to_wareki_with_seireki(date(2026, 4, 1)) == "令和8年（2026年）4月1日"


def test_aware_datetimes_are_read_in_tokyo_time():
    # 2026-03-31 20:00 UTC is already 1 April in Tokyo.
    moment = datetime(2026, 3, 31, 20, 0, tzinfo=ZoneInfo("UTC"))
    assert dates.to_wareki(moment) == "令和8年4月1日"
    assert dates.fiscal_year(moment) == 2026


@pytest.mark.parametrize(
    ("day", "year"),
    [(date(2026, 4, 1), 2026), (date(2027, 3, 31), 2026), (date(2026, 3, 31), 2025)],
)
def test_fiscal_year_runs_april_to_march(day, year):
    assert dates.fiscal_year(day) == year


def test_fiscal_year_range():
    assert dates.fiscal_year_range(2026) == (date(2026, 4, 1), date(2027, 3, 31))


@pytest.mark.parametrize(
    ("year", "label"),
    [
        (2026, "令和8年度"),
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (1988, "昭和63年度"),
        (1989, "平成元年度"),
    ],
)
def test_fiscal_year_label(year, label):
    assert dates.fiscal_year_label(year) == label


def test_template_filters_are_available_without_load():
    template = Template(
        "{{ day|wareki }}|{{ day|wareki_seireki }}|{{ day|fiscal_year_label }}|"
        "{{ 2026|fiscal_year_label }}|{{ missing|wareki }}"
    )
    rendered = template.render(Context({"day": date(2027, 2, 1)}))
    assert rendered == "令和9年2月1日|令和9年（2027年）2月1日|令和8年度|令和8年度|"


def test_english_pages_show_western_dates():
    template = Template(
        "{{ day|wareki }}|{{ day|wareki_seireki }}|{{ day|fiscal_year_label }}|{{ 2026|fiscal_year_label }}"
    )
    with translation.override("en"):
        rendered = template.render(Context({"day": date(2027, 2, 1)}))
    assert rendered == "Feb. 1, 2027|Feb. 1, 2027|FY2026|FY2026"


def test_time_datetime_attribute_has_no_microseconds():
    moment = datetime(2026, 3, 31, 20, 0, 5, 123456, tzinfo=ZoneInfo("UTC"))
    rendered = Template("{{ moment|iso_datetime }}").render(Context({"moment": moment}))
    assert rendered == "2026-04-01T05:00:05+09:00"


def _date_field(**parts):
    return DateFieldsField(required=False).clean(
        DateFieldsWidget().value_from_datadict(
            {f"d_{key}": value for key, value in parts.items()}, {}, "d"
        )
    )


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        ({"year": "2026", "month": "4", "day": "1"}, date(2026, 4, 1)),
        ({"year": "２０２６", "month": "４", "day": "１"}, date(2026, 4, 1)),
        ({"era": "R", "year": "8", "month": "4", "day": "1"}, date(2026, 4, 1)),
        ({"era": "R", "year": "元", "month": "5", "day": "1"}, date(2019, 5, 1)),
        ({"era": "H", "year": "31", "month": "4", "day": "30"}, date(2019, 4, 30)),
        ({"era": "S", "year": "64", "month": "1", "day": "7"}, date(1989, 1, 7)),
        ({"year": "令和8", "month": "4", "day": "1"}, date(2026, 4, 1)),
        ({"year": "R8", "month": "4", "day": "1"}, date(2026, 4, 1)),
        ({"year": "ｒ８", "month": "4", "day": "1"}, date(2026, 4, 1)),
        ({"year": "", "month": "", "day": ""}, None),
    ],
)
def test_date_fields_accept_western_and_japanese_era_years(parts, expected):
    assert _date_field(**parts) == expected


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({"year": "8", "month": "4", "day": "1"}, "西暦の年は4桁で入力してください"),
        ({"year": "2026", "month": "2", "day": "30"}, "存在する日付を"),
        ({"era": "R", "year": "1", "month": "4", "day": "30"}, "令和1年4月30日は存在しません"),
        ({"era": "H", "year": "32", "month": "1", "day": "1"}, "平成32年1月1日は存在しません"),
        ({"era": "R", "year": "2026", "month": "4", "day": "1"}, "和暦の数字"),
        ({"era": "X", "year": "8", "month": "4", "day": "1"}, "存在する日付を"),
    ],
)
def test_date_fields_explain_what_is_wrong(parts, message):
    with pytest.raises(ValidationError) as error:
        _date_field(**parts)
    assert message in " ".join(error.value.messages)


# --- Ages (年齢計算ニ関スル法律) ---------------------------------------------


def test_an_age_is_reached_at_the_end_of_the_day_before_the_birthday():
    born = date(1986, 4, 2)
    assert dates.age_on(born, date(2026, 3, 31)) == 39
    assert dates.age_on(born, date(2026, 4, 1)) == 40
    assert dates.age_on(born, date(2026, 4, 2)) == 40


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(2025, 2, 27), 20),
        (date(2025, 2, 28), 21),  # no 29 February: older on 28 February
        (date(2025, 3, 1), 21),
        (date(2028, 2, 27), 23),
        (date(2028, 2, 28), 24),  # a leap year too: the day before the 29th
        (date(2028, 2, 29), 24),
    ],
)
def test_a_29_february_birthday_turns_a_year_older_on_28_february(day, age):
    born = date(2004, 2, 29)
    assert dates.age_on(born, day) == age
    assert dates.age_counter(day)(born) == age


def test_years_before_moves_29_february_to_28_february():
    assert dates.years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert dates.years_before(date(2024, 2, 29), 4) == date(2020, 2, 29)
    assert dates.years_before(date(2026, 4, 1), 40) == date(1986, 4, 1)


@pytest.mark.parametrize(
    "day",
    [date(2026, 3, 31), date(2024, 2, 28), date(2024, 2, 29), date(2023, 2, 28), date(2025, 3, 1)],
)
@pytest.mark.parametrize("age", [3, 15, 65])
def test_the_latest_birth_date_for_an_age_agrees_with_age_on(day, age):
    latest = dates.latest_birth_date(day, age)
    assert dates.age_on(latest, day) >= age
    assert dates.age_on(latest + timedelta(days=1), day) < age


def test_born_on_1_march_one_reaches_an_age_on_28_february_of_a_common_year():
    assert dates.age_on(date(2020, 3, 1), date(2023, 2, 28)) == 3
    assert dates.latest_birth_date(date(2023, 2, 28), 3) == date(2020, 3, 1)
