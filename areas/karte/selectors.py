"""Reads of the karte, the vision and the stakeholder directory.

Each read is a fixed set of queries (aggregates, prefetches), so the pages
cost the same however many residents, posts or offers there are.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from areas.models import (
    Action,
    Area,
    Facility,
    Goal,
    KarteFigures,
    KarteIssue,
    LocalIssue,
    Offer,
    Organisation,
    Post,
    Vision,
)
from areas.news.markup import search_text
from portal.dates import fiscal_year, fiscal_year_range, latest_birth_date
from portal.permissions import visible
from portal.text import kana_order

PUBLIC_ORGANISATION = Q(is_active=True, approved_at__isnull=False)


# --- Figures: the register where there is one, else entered or imported --------


def age_cutoff(reference_date, age):
    """Latest birth date of someone aged `age` or more on `reference_date`
    (portal.dates: the age law)."""
    return latest_birth_date(reference_date, age)


def register_figures(fiscal_year_):
    """{area code: figures} from the latest register of the 年度 (its
    reference date inside the 年度); {} when there is none. Aggregates only."""
    from surveys.models import Resident
    from surveys.selectors import latest_register, population_by_area

    first, last = fiscal_year_range(fiscal_year_)
    counts = population_by_area(last)
    if not counts:
        return {}
    reference_date = next(iter(counts.values()))["reference_date"]
    if reference_date < first:
        return {}
    register = latest_register(last)
    aged = age_cutoff(reference_date, 65)
    children = age_cutoff(reference_date, 15)
    ages = {
        row["district__area__code"]: row
        for row in Resident.objects.filter(register=register)
        .values("district__area__code")
        .annotate(
            aged=Count("pk", filter=Q(birth_date__lte=aged)),
            children=Count("pk", filter=Q(birth_date__gt=children)),
        )
    }
    return {
        code: {
            "population": row["population"],
            "households": row["households"],
            "aged_65_plus": ages.get(code, {}).get("aged", 0),
            "children_under_15": ages.get(code, {}).get("children", 0),
            "source": "register",
            "reference_date": reference_date,
        }
        for code, row in counts.items()
    }


@dataclass
class YearFigures:
    fiscal_year: int
    population: int | None = None
    households: int | None = None
    aged_65_plus: int | None = None
    children_under_15: int | None = None
    source: str = ""
    reference_date: object = None

    @property
    def aged_share(self):
        return _share(self.aged_65_plus, self.population)

    @property
    def children_share(self):
        return _share(self.children_under_15, self.population)

    @property
    def persons_per_household(self):
        if not self.population or not self.households:
            return None
        return round(self.population / self.households, 2)

    @property
    def source_label(self):
        return {
            "register": _("住民基本台帳"),
            KarteFigures.Source.ENTERED: _("入力値"),
            KarteFigures.Source.IMPORTED: _("CSV取込"),
        }.get(self.source, "")

    @property
    def has_data(self):
        return self.population is not None


def _share(part, whole):
    from portal.dashboard.selectors import share

    if part is None:
        return None
    return share(part, whole)


def figures_by_area(fiscal_year_, areas=None):
    """{area id: YearFigures} for the 年度: register counts where the 年度 has a
    register, else what was entered or imported."""
    stored = KarteFigures.objects.filter(fiscal_year=fiscal_year_)
    if areas is not None:
        stored = stored.filter(area__in=areas)
    result = {
        row.area_id: YearFigures(
            fiscal_year=fiscal_year_,
            population=row.population,
            households=row.households,
            aged_65_plus=row.aged_65_plus,
            children_under_15=row.children_under_15,
            source=row.source,
        )
        for row in stored
    }
    from_register = register_figures(fiscal_year_)
    if from_register:
        ids = dict(Area.objects.filter(code__in=from_register).values_list("code", "pk"))
        for code, values in from_register.items():
            result[ids[code]] = YearFigures(fiscal_year=fiscal_year_, **values)
    return result


# --- The karte of one area -------------------------------------------------------


def _count(queryset, field_name):
    """A correlated COUNT subquery of `queryset` per OuterRef('pk') on `field_name`."""
    return Coalesce(
        Subquery(
            queryset.filter(**{field_name: OuterRef("pk")})
            .order_by()
            .values(field_name)
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def organisations_with_activity(area, fiscal_year_):
    """The area's public organisations with their activity in the 年度:
    activity reports published, support requests filed, grants awarded, and
    what they offer (prefetched)."""
    from grants.models import Application
    from liaisons.models import SupportRequest

    from .models import Offer as OfferModel

    first, last = fiscal_year_range(fiscal_year_)
    from portal.dashboard.selectors import AWARDED, year_window

    start, end = year_window(fiscal_year_)
    reports = Post.objects.filter(
        kind=Post.Kind.ACTIVITY,
        status=Post.Status.PUBLISHED,
        publish_at__gte=start,
        publish_at__lt=end,
    )
    requests = SupportRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    grants = Application.objects.filter(status__in=AWARDED, programme__fiscal_year=fiscal_year_)
    offers = (
        OfferModel.objects.filter(is_active=True).prefetch_related("issues").order_by("kind", "id")
    )
    return (
        Organisation.objects.filter(PUBLIC_ORGANISATION, areas=area)
        .annotate(
            report_count=_count(reports, "organisation"),
            request_count=_count(requests, "organisation"),
            grant_count=_count(grants, "organisation"),
        )
        .prefetch_related(Prefetch("offers", queryset=offers))
        .order_by(kana_order("name_kana"), "name")
    )


def consultation_topics(area, fiscal_year_):
    """Issues raised in the area's consultations in the 年度, with counts."""
    from liaisons.models import Consultation

    first, last = fiscal_year_range(fiscal_year_)
    return list(
        Consultation.objects.filter(
            area=area, received_on__gte=first, received_on__lte=last, topic__isnull=False
        )
        .values("topic__number", "topic__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "topic__number")
    )


def request_topics(area, fiscal_year_):
    """Support requests of the area in the 年度, by tier (counts only)."""
    from liaisons.models import SupportRequest
    from portal.dashboard.selectors import year_window

    start, end = year_window(fiscal_year_)
    return list(
        SupportRequest.objects.filter(area=area, submitted_at__gte=start, submitted_at__lt=end)
        .values("tier")
        .annotate(n=Count("pk"))
        .order_by("tier")
    )


@dataclass
class Karte:
    area: Area
    fiscal_year: int
    current: YearFigures
    previous: YearFigures
    facilities: list
    organisations: list
    issues: list
    ideas: list
    consultations: list
    requests: list
    skills: list = field(default_factory=list)
    places: list = field(default_factory=list)


def karte(area, fiscal_year_):
    current = figures_by_area(fiscal_year_, [area]).get(area.pk) or YearFigures(fiscal_year_)
    previous = figures_by_area(fiscal_year_ - 1, [area]).get(area.pk) or YearFigures(
        fiscal_year_ - 1
    )
    from meetings.selectors import ideas_for_area

    organisations = list(organisations_with_activity(area, fiscal_year_))
    offers = [offer for o in organisations for offer in o.offers.all()]
    return Karte(
        area=area,
        fiscal_year=fiscal_year_,
        current=current,
        previous=previous,
        facilities=list(Facility.objects.filter(area=area).order_by("kind", "name", "id")),
        organisations=organisations,
        issues=list(
            KarteIssue.objects.filter(area=area, fiscal_year=fiscal_year_).select_related("issue")
        ),
        ideas=list(ideas_for_area(area)[:20]),
        consultations=consultation_topics(area, fiscal_year_),
        requests=request_topics(area, fiscal_year_),
        skills=[o for o in offers if o.kind == Offer.Kind.SKILL],
        places=[o for o in offers if o.kind != Offer.Kind.SKILL],
    )


def karte_years(area):
    """年度 a visitor can choose: those with entered figures, and this one."""
    years = set(KarteFigures.objects.filter(area=area).values_list("fiscal_year", flat=True))
    years.add(fiscal_year())
    return sorted(years, reverse=True)


# --- Vision and action plan ---------------------------------------------------------


def visions_visible_to(user):
    return visible(user, "areas.view_vision", Vision.objects.select_related("area"))


def vision_for(user, area):
    """The area's newest vision the user may see, with goals and actions."""
    actions = Action.objects.select_related("owner_organisation").prefetch_related(
        "meetings", "support_requests", "grant_applications"
    )
    return (
        visions_visible_to(user)
        .filter(area=area)
        .prefetch_related(
            Prefetch(
                "goals",
                queryset=Goal.objects.prefetch_related(
                    "issues", Prefetch("actions", queryset=actions)
                ),
            )
        )
        .order_by("-first_year")
        .first()
    )


# --- The stakeholder directory --------------------------------------------------------


def directory(*, query="", area=None, issue=None, kind=""):
    """Public organisations with what they offer, filtered by area, issue,
    kind of offer and a Japanese substring query. The query matches the
    organisation's name or description, or an offer (its title, description
    and issues): words separated by spaces must all match."""
    organisations = Organisation.objects.filter(PUBLIC_ORGANISATION)
    if area is not None:
        organisations = organisations.filter(
            Exists(
                Organisation.areas.through.objects.filter(
                    organisation_id=OuterRef("pk"), area_id=area.pk
                )
            )
        )
    live_offers = Offer.objects.filter(is_active=True, organisation_id=OuterRef("pk"))
    if issue is not None:
        organisations = organisations.filter(
            Exists(live_offers.filter(issues=issue))
            | Exists(
                Post.issues.through.objects.filter(
                    post__organisation_id=OuterRef("pk"),
                    post__status=Post.Status.PUBLISHED,
                    localissue_id=issue.pk,
                )
            )
        )
    if kind:
        organisations = organisations.filter(Exists(live_offers.filter(kind=kind)))
    for word in search_text(query).split():
        organisations = organisations.filter(
            Q(name__contains=word)
            | Q(description__contains=word)
            | Exists(live_offers.filter(search_text__contains=word))
        )
    offers = Offer.objects.filter(is_active=True).prefetch_related("issues").order_by("kind", "id")
    return organisations.prefetch_related("areas", Prefetch("offers", queryset=offers)).order_by(
        kana_order("name_kana"), "name"
    )


def active_issues():
    return LocalIssue.objects.filter(is_active=True).order_by("number")


def offers_of(organisation):
    return organisation.offers.prefetch_related("issues").order_by("kind", "id")
