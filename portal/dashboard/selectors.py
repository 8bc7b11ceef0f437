"""The dashboard's figures for a 年度, city-wide or for one area, with the
previous 年度 beside each.

Every figure is one aggregate query over both years (conditional counts), so
a page costs the same number of queries however many records there are.
Aggregates only: no personal data leaves here.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.dates import fiscal_year_range

TIERS = ("A", "B", "C", "D", "E", "F")
DF_TIERS = ("D", "E", "F")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    current: object
    previous: object

    @property
    def change(self):
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def year_window(fiscal_year):
    """Aware datetimes [start, end) of 年度 `fiscal_year` in the city's time zone."""
    first, last = fiscal_year_range(fiscal_year)
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


def _in_year(field, fiscal_year, *, dates=False):
    if dates:
        first, last = fiscal_year_range(fiscal_year)
        return Q(**{f"{field}__gte": first, f"{field}__lte": last})
    start, end = year_window(fiscal_year)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def share(part, whole):
    """Percentage with one decimal (half up), None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _both(queryset, field, fiscal_year, aggregates, *, dates=False):
    """Run `aggregates` (name -> callable(filter_q) -> aggregate) for both
    years in one query: {"current": {...}, "previous": {...}}."""
    now, before = (
        _in_year(field, fiscal_year, dates=dates),
        _in_year(field, fiscal_year - 1, dates=dates),
    )
    queryset = queryset.filter(now | before)
    exprs = {}
    for name, make in aggregates.items():
        exprs[f"c_{name}"] = make(now)
        exprs[f"p_{name}"] = make(before)
    result = queryset.aggregate(**exprs)
    return {
        "current": {name: result[f"c_{name}"] or 0 for name in aggregates},
        "previous": {name: result[f"p_{name}"] or 0 for name in aggregates},
    }


def _meetings(fiscal_year, area):
    from meetings.models import Meeting, Registration

    meetings = Meeting.objects.filter(status=Meeting.Status.HELD)
    if area is not None:
        meetings = meetings.filter(area=area)
    held = _both(
        meetings,
        "starts_at",
        fiscal_year,
        {
            "held": lambda q: Count("pk", filter=q),
            "forums": lambda q: Count(
                "pk", filter=q & Q(kind__in=[Meeting.Kind.FORUM, Meeting.Kind.WORKSHOP])
            ),
        },
    )
    registrations = Registration.objects.filter(
        attended_at__isnull=False, meeting__status=Meeting.Status.HELD
    )
    if area is not None:
        registrations = registrations.filter(meeting__area=area)
    attended = _both(
        registrations,
        "meeting__starts_at",
        fiscal_year,
        {
            "participants": lambda q: Sum("party_size", filter=q),
            "volunteers": lambda q: Sum("party_size", filter=q & Q(meeting__kind="course")),
        },
    )
    return {year: {**held[year], **attended[year]} for year in ("current", "previous")}


def _requests(fiscal_year, area):
    from liaisons.models import Consultation, SupportRequest

    requests = SupportRequest.objects.all()
    consultations = Consultation.objects.all()
    if area is not None:
        requests = requests.filter(area=area)
        consultations = consultations.filter(area=area)
    aggregates = {"requests": lambda q: Count("pk", filter=q)}
    for tier in TIERS:
        aggregates[f"tier_{tier}"] = lambda q, tier=tier: Count("pk", filter=q & Q(tier=tier))
    aggregates["done"] = lambda q: Count("pk", filter=q & Q(status=SupportRequest.Status.DONE))
    counts = _both(requests, "submitted_at", fiscal_year, aggregates)
    talks = _both(
        consultations,
        "received_on",
        fiscal_year,
        {"consultations": lambda q: Count("pk", filter=q)},
        dates=True,
    )
    for year in ("current", "previous"):
        row = counts[year]
        row["df_count"] = sum(row[f"tier_{t}"] for t in DF_TIERS)
        row["df_share"] = share(row["df_count"], row["requests"])
        row.update(talks[year])
    return counts


AWARDED = ("approved", "reporting", "closed")


def _grants(fiscal_year, area):
    from grants.models import Application, Payment

    applications = Application.objects.filter(status__in=AWARDED)
    payments = Payment.objects.all()
    if area is not None:
        applications = applications.filter(area=area)
        payments = payments.filter(application__area=area)
    years = Q(programme__fiscal_year__in=[fiscal_year, fiscal_year - 1])
    rows = applications.filter(years).aggregate(
        c_count=Count("pk", filter=Q(programme__fiscal_year=fiscal_year)),
        p_count=Count("pk", filter=Q(programme__fiscal_year=fiscal_year - 1)),
        c_amount=Sum("approved_amount", filter=Q(programme__fiscal_year=fiscal_year)),
        p_amount=Sum("approved_amount", filter=Q(programme__fiscal_year=fiscal_year - 1)),
    )
    paid = payments.filter(
        application__programme__fiscal_year__in=[fiscal_year, fiscal_year - 1]
    ).aggregate(
        c=Sum("amount", filter=Q(application__programme__fiscal_year=fiscal_year)),
        p=Sum("amount", filter=Q(application__programme__fiscal_year=fiscal_year - 1)),
    )
    return {
        "current": {
            "awarded_count": rows["c_count"] or 0,
            "awarded_amount": rows["c_amount"] or 0,
            "paid_amount": paid["c"] or 0,
        },
        "previous": {
            "awarded_count": rows["p_count"] or 0,
            "awarded_amount": rows["p_amount"] or 0,
            "paid_amount": paid["p"] or 0,
        },
    }


def _surveys(fiscal_year, area):
    """Invitations of the draws made in the 年度 and how many answered."""
    from surveys.models import Invitation

    invitations = Invitation.objects.all()
    if area is not None:
        invitations = invitations.filter(area=area)
    counts = _both(
        invitations,
        "draw__created_at",
        fiscal_year,
        {
            "invited": lambda q: Count("pk", filter=q),
            "answered": lambda q: Count("pk", filter=q & Q(answered_at__isnull=False)),
        },
    )
    for year in ("current", "previous"):
        counts[year]["response_rate"] = share(counts[year]["answered"], counts[year]["invited"])
    return counts


def _activity(fiscal_year, area):
    from areas.models import KarteIssue, Offer, Organisation, Post

    posts = Post.objects.filter(status=Post.Status.PUBLISHED)
    if area is not None:
        posts = posts.filter(
            Exists(Post.areas.through.objects.filter(post_id=OuterRef("pk"), area_id=area.pk))
        )
    published = _both(
        posts,
        "publish_at",
        fiscal_year,
        {
            "published": lambda q: Count("pk", filter=q),
            "reports": lambda q: Count("pk", filter=q & Q(kind=Post.Kind.ACTIVITY)),
        },
    )
    issues = KarteIssue.objects.filter(fiscal_year__in=[fiscal_year, fiscal_year - 1])
    organisations = Organisation.objects.filter(is_active=True, approved_at__isnull=False)
    offers = Offer.objects.filter(is_active=True, organisation__in=organisations)
    if area is not None:
        issues = issues.filter(area=area)
        offers = offers.filter(
            Exists(
                Organisation.areas.through.objects.filter(
                    organisation_id=OuterRef("organisation_id"), area_id=area.pk
                )
            )
        )
    issue_counts = issues.aggregate(
        c=Count("pk", filter=Q(fiscal_year=fiscal_year)),
        p=Count("pk", filter=Q(fiscal_year=fiscal_year - 1)),
    )
    # Offers are a standing register: counted as of now for the current year only.
    offer_count = offers.count()
    return {
        "current": {
            **published["current"],
            "karte_issues": issue_counts["c"],
            "offers": offer_count,
        },
        "previous": {**published["previous"], "karte_issues": issue_counts["p"], "offers": None},
    }


# key, label, unit: the dashboard's rows in order.
ROWS = [
    ("held", _("ミーティング開催回数"), _("回")),
    ("participants", _("参加者数（延べ・出席確認済み）"), _("人")),
    ("forums", _("協議体・ワークショップ開催回数"), _("回")),
    ("volunteers", _("人材養成講座の参加者数（担い手）"), _("人")),
    ("requests", _("支援依頼の件数"), _("件")),
    *[(f"tier_{t}", format_lazy(_("　うち {tier}"), tier=t), _("件")) for t in TIERS],
    ("df_share", _("D〜F の割合"), _("%")),
    ("done", _("完了した支援依頼"), _("件")),
    ("consultations", _("相談の件数"), _("件")),
    ("awarded_count", _("助成の交付決定件数"), _("件")),
    ("awarded_amount", _("助成の交付決定額"), _("円")),
    ("paid_amount", _("助成の支払額"), _("円")),
    ("invited", _("住民意識調査の案内数"), _("人")),
    ("answered", _("住民意識調査の回答数"), _("人")),
    ("response_rate", _("住民意識調査の回答率"), _("%")),
    ("published", _("お知らせ・活動報告の公開件数"), _("件")),
    ("reports", _("　うち 活動報告"), _("件")),
    ("karte_issues", _("地域カルテの課題"), _("件")),
    ("offers", _("団体が提供できるもの（登録数）"), _("件")),
]


def dashboard_figures(fiscal_year, *, area=None):
    """{key: Figure} for the 年度 and the previous one (area None: the city)."""
    current, previous = {}, {}
    for part in (_meetings, _requests, _grants, _surveys, _activity):
        values = part(fiscal_year, area)
        current.update(values["current"])
        previous.update(values["previous"])
    return {
        key: Figure(key, label, unit, current.get(key), previous.get(key))
        for key, label, unit in ROWS
    }


# Every staff member lands on the dashboard; its aggregates over the year's
# records are the same for all of them, and a count a minute old is what a
# dashboard shows anyway (the page says when it was counted).
FIGURES_CACHE_SECONDS = 60


def dashboard_figures_cached(fiscal_year, *, area=None):
    """(figures, counted_at): `dashboard_figures` kept for a minute in the shared cache."""

    def count():
        figures = dashboard_figures(fiscal_year, area=area)
        return {k: (f.current, f.previous) for k, f in figures.items()}, timezone.now()

    values, counted_at = cache.get_or_set(
        f"dashboard:figures:{fiscal_year}:{area.pk if area else 'city'}",
        count,
        FIGURES_CACHE_SECONDS,
    )
    figures = {key: Figure(key, label, unit, *values[key]) for key, label, unit in ROWS}
    return figures, counted_at


def figure_rows(figures):
    return [figures[key] for key, _label, _unit in ROWS]
