"""The fiscal-year reports on support requests: counts by tier, area and
month; the D–F share the plan wants to dominate; officers' load, speed and
hours by tier (人材育成); referrals by department (the 総合窓口 concern).

Each table is (header, rows) so the page, the CSV and the XLSX show the same.
"""

import statistics
from dataclasses import dataclass
from datetime import datetime, time

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from portal.dates import fiscal_year_range

from .models import EXPERIENCED_TIERS, Consultation, OfficerProfile, SupportRequest, Tier

BAR_PX = 440
FISCAL_MONTHS = (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)


@dataclass
class Table:
    title: str
    header: list
    rows: list
    # Columns holding names people typed (areas, staff, departments): the
    # page marks them lang="ja" when it is shown in English.
    japanese: tuple = ()


def _bounds(year):
    first, last = fiscal_year_range(year)
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(first, time.min, tzinfo=tz),
        datetime.combine(last, time.max, tzinfo=tz),
    )


def month_labels():
    return [_("%(month)d月") % {"month": m} for m in FISCAL_MONTHS]


def _month_index(moment):
    return FISCAL_MONTHS.index(timezone.localtime(moment).month if moment.tzinfo else moment.month)


def requests_in_year(year):
    start, end = _bounds(year)
    return SupportRequest.objects.filter(submitted_at__range=(start, end))


def by_tier_area_month(year):
    """Rows: area × tier with a count per fiscal month and a total."""
    counts = (
        requests_in_year(year)
        .annotate(month=TruncMonth("submitted_at"))
        .values("area__code", "area__name", "tier", "month")
        .annotate(n=Count("id"))
    )
    grid = {}
    for row in counts:
        key = (row["area__code"], row["area__name"], row["tier"])
        grid.setdefault(key, [0] * 12)[_month_index(row["month"])] += row["n"]
    rows = [
        [name, code, Tier(tier).label, *months, sum(months)]
        for (code, name, tier), months in sorted(grid.items())
    ]
    header = [_("地域"), _("地域コード"), _("支援の種類"), *month_labels(), _("合計")]
    return Table(_("種類・地域・月別の依頼件数"), header, rows, japanese=(0,))


def share_by_area(year):
    """Per area: A–C and D–F counts and the D–F share (percent, one decimal)."""
    hard = list(EXPERIENCED_TIERS)
    counts = (
        requests_in_year(year)
        .values("area__code", "area__name")
        .annotate(
            simple=Count("id", filter=~Q(tier__in=hard)), hard=Count("id", filter=Q(tier__in=hard))
        )
        .order_by("area__code")
    )
    rows = []
    for row in counts:
        total = row["simple"] + row["hard"]
        share = round(row["hard"] * 100 / total, 1) if total else 0.0
        rows.append([row["area__name"], row["area__code"], row["simple"], row["hard"], share])
    header = [_("地域"), _("地域コード"), _("A〜C件数"), _("D〜F件数"), _("D〜Fの割合（%）")]
    return Table(_("地域別のD〜Fの割合"), header, rows, japanese=(0,))


def share_chart(table):
    """Bars for the server-rendered SVG: one per area, D–F and A–C widths in %."""
    bars = []
    for index, (name, _code, simple, hard, share) in enumerate(table.rows):
        total = simple + hard
        bars.append(
            {
                "name": name,
                "y": 10 + index * 36,
                "hard_px": round(hard * BAR_PX / total, 1) if total else 0,
                "simple_px": round(simple * BAR_PX / total, 1) if total else 0,
                "share": share,
                "simple": simple,
                "hard": hard,
            }
        )
    return {"bars": bars, "height": 20 + len(bars) * 36}


def officer_load(year):
    """Per officer: open requests now, done in the year, median days to done."""
    start, end = _bounds(year)
    done_in_year = SupportRequest.objects.filter(
        status=SupportRequest.Status.DONE, closed_at__range=(start, end)
    )
    durations = {}
    for officer_id, submitted, closed in done_in_year.values_list(
        "assignee_id", "submitted_at", "closed_at"
    ):
        durations.setdefault(officer_id, []).append((closed - submitted).total_seconds() / 86400)
    officers = (
        OfficerProfile.objects.select_related("user")
        .annotate(
            open=Count("requests", filter=Q(requests__status__in=SupportRequest.WORKING_STATES))
        )
        .order_by("user__full_name_kana", "user__email")
    )
    rows = []
    for officer in officers:
        days = durations.get(officer.pk, [])
        rows.append(
            [
                officer.user.get_full_name(),
                officer.department,
                officer.get_experience_display(),
                officer.open,
                len(days),
                round(statistics.median(days), 1) if days else "",
            ]
        )
    header = [
        _("職員"),
        _("所属"),
        _("経験区分"),
        _("対応中の件数"),
        _("年度内の完了件数"),
        _("完了までの日数（中央値）"),
    ]
    return Table(_("職員別の対応状況"), header, rows, japanese=(0, 1))


def officer_hours(year):
    """Hours each officer spent by tier on requests closed in the year (人材育成)."""
    start, end = _bounds(year)
    sums = (
        SupportRequest.objects.filter(closed_at__range=(start, end), assignee__isnull=False)
        .values("assignee_id", "tier")
        .annotate(hours=Sum("hours"))
    )
    by_officer = {}
    for row in sums:
        by_officer.setdefault(row["assignee_id"], {})[row["tier"]] = row["hours"] or 0
    officers = OfficerProfile.objects.select_related("user").filter(pk__in=by_officer)
    rows = []
    for officer in sorted(officers, key=lambda o: (o.user.full_name_kana, o.user.email)):
        hours = by_officer[officer.pk]
        per_tier = [float(hours.get(t, 0)) for t in Tier.values]
        hard = sum(float(hours.get(t, 0)) for t in EXPERIENCED_TIERS)
        total = sum(per_tier)
        rows.append(
            [
                officer.user.get_full_name(),
                officer.department,
                *per_tier,
                total,
                round(hard * 100 / total, 1) if total else 0.0,
            ]
        )
    header = [_("職員"), _("所属"), *Tier.values, _("合計時間"), _("D〜Fの割合（%）")]
    return Table(_("職員別・種類別の対応時間"), header, rows, japanese=(0, 1))


def referrals_by_department(year):
    """Referrals to departments per month, from requests and from consultations."""
    start, end = _bounds(year)
    first, last = fiscal_year_range(year)
    grid = {}
    for department, closed in (
        SupportRequest.objects.filter(
            status=SupportRequest.Status.REFERRED, closed_at__range=(start, end)
        )
        .exclude(referred_department="")
        .values_list("referred_department", "closed_at")
    ):
        grid.setdefault(department, [0] * 12)[_month_index(closed)] += 1
    for department, received in (
        Consultation.objects.filter(
            outcome=Consultation.Outcome.REFERRED, received_on__range=(first, last)
        )
        .exclude(referred_department="")
        .values_list("referred_department", "received_on")
    ):
        grid.setdefault(department, [0] * 12)[FISCAL_MONTHS.index(received.month)] += 1
    rows = [[department, *months, sum(months)] for department, months in sorted(grid.items())]
    header = [_("引継ぎ先の部署"), *month_labels(), _("合計")]
    return Table(_("部署別・月別の引継ぎ件数（依頼と相談）"), header, rows, japanese=(0,))


def routed_count(year):
    return requests_in_year(year).filter(routed_to__isnull=False).count()


TABLES = {
    "by_month": by_tier_area_month,
    "share": share_by_area,
    "officers": officer_load,
    "hours": officer_hours,
    "referrals": referrals_by_department,
}


def years_with_requests():
    from portal.dates import fiscal_year

    years = {fiscal_year()}
    first = SupportRequest.objects.order_by("submitted_at").values_list("submitted_at", flat=True)
    if first:
        start = fiscal_year(first[0])
        years.update(range(start, fiscal_year() + 1))
    return sorted(years, reverse=True)


def areas():
    return Area.objects.order_by("code")
