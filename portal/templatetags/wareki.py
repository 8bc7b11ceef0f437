"""Template filters for dates; loaded as builtins in every template.

Japanese pages show 和暦; pages in any other language show western dates.

{{ meeting.starts_at|wareki }}            令和8年4月1日         / April 1, 2026
{{ meeting.starts_at|wareki_seireki }}    令和8年（2026年）4月1日 / April 1, 2026
{{ 2026|fiscal_year_label }}              令和8年度             / FY2026
{{ some_date|fiscal_year }}               2026
{{ entry.created_at|iso_datetime }}       2026-04-01T09:30:00+09:00 (for <time datetime>)
{{ goal|sdg_name }}                       the SDG's name in the active language
{{ "portal.auditlogentry"|target_type_label }}  監査ログ
"""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone
from django.utils.translation import get_language

from areas import sdgs
from portal import dates, labels

register = template.Library()


def _japanese():
    return (get_language() or "ja").startswith("ja")


def _western(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if isinstance(value, datetime):
        value = value.date()
    return formats.date_format(value, "DATE_FORMAT")


def _safe(convert):
    def filter_(value):
        if value in (None, ""):
            return ""
        if not isinstance(value, date):
            return value
        return convert(value) if _japanese() else _western(value)

    return filter_


register.filter("wareki", _safe(dates.to_wareki))
register.filter("wareki_seireki", _safe(dates.to_wareki_with_seireki))


@register.filter
def fiscal_year(value):
    if value in (None, ""):
        return ""
    if not isinstance(value, date):
        return value
    return dates.fiscal_year(value)


@register.filter
def fiscal_year_label(value):
    if value in (None, ""):
        return ""
    if isinstance(value, date):
        value = dates.fiscal_year(value)
    if not _japanese():
        return f"FY{int(value)}"
    return dates.fiscal_year_label(int(value))


@register.filter
def iso_datetime(value):
    """A machine-readable moment to the second in Tokyo time, as <time datetime> wants.

    Microseconds are dropped: the HTML standard's checkers reject more than
    three fraction digits, and no page needs them.
    """
    if not isinstance(value, datetime):
        return value.isoformat() if isinstance(value, date) else ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(microsecond=0).isoformat(timespec="seconds")


@register.filter
def sdg_name(goal):
    return sdgs.goal_name(goal) if goal else ""


@register.filter
def target_type_label(value):
    return labels.target_type_label(value) if value else ""
