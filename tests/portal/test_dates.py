from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from portal import dates


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
