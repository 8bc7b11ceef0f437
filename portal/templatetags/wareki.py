"""Template filters for Japanese dates; loaded as builtins in every template.

{{ meeting.starts_at|wareki }}            令和8年4月1日
{{ meeting.starts_at|wareki_seireki }}    令和8年（2026年）4月1日
{{ 2026|fiscal_year_label }}              令和8年度
{{ some_date|fiscal_year }}               2026
"""

from datetime import date

from django import template

from portal import dates

register = template.Library()


def _safe(convert):
    def filter_(value):
        if value in (None, ""):
            return ""
        if not isinstance(value, date):
            return value
        return convert(value)

    return filter_


register.filter("wareki", _safe(dates.to_wareki))
register.filter("wareki_seireki", _safe(dates.to_wareki_with_seireki))
register.filter("fiscal_year", _safe(dates.fiscal_year))


@register.filter
def fiscal_year_label(value):
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        value = dates.fiscal_year(value)
    return dates.fiscal_year_label(int(value))
