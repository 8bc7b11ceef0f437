"""Reads of the liaisons app, already narrowed to what the user may see."""

from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from areas.models import Organisation
from areas.permissions import represented_organisation_ids
from portal.permissions import visible
from portal.workflow import history

from .models import (
    AreaAssignment,
    Attachment,
    Consultation,
    OfficerProfile,
    SupportRequest,
)

OPEN_LOAD = Q(requests__status__in=SupportRequest.WORKING_STATES)


def today():
    return timezone.localdate()


def current_officers_for_area(area):
    """The officers assigned to `area` today, main officers first (for the
    public area page: name and department only)."""
    assignments = (
        AreaAssignment.objects.current()
        .filter(area=area, officer__is_active=True)
        .select_related("officer__user")
        .order_by("kind", "officer__user__full_name_kana", "officer_id")
    )
    return [
        {
            "name": a.officer.user.get_full_name(),
            "department": a.officer.department,
            "kind": a.get_kind_display(),
        }
        for a in assignments
    ]


def officer_of(user):
    if not getattr(user, "pk", None):
        return None
    return OfficerProfile.objects.filter(user=user).first()


# --- Requests ------------------------------------------------------------------


def requests_visible_to(user):
    queryset = SupportRequest.objects.select_related(
        "area", "organisation", "assignee__user", "routed_to"
    )
    return visible(user, "liaisons.view_request", queryset)


def request_list(user, *, area=None, tier="", status="", officer=None, since=None, until=None):
    # Counted per row shown (a correlated subquery), not by grouping every
    # request: the page then reads 20 rows down the submitted_at index.
    attachments = (
        Attachment.objects.filter(request=OuterRef("pk"))
        .order_by()
        .values("request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    requests = requests_visible_to(user).annotate(
        attachment_count=Coalesce(Subquery(attachments), 0)
    )
    if area is not None:
        requests = requests.filter(area=area)
    if tier:
        requests = requests.filter(tier=tier)
    if status:
        requests = requests.filter(status=status)
    if officer is not None:
        requests = requests.filter(assignee=officer)
    if since:
        requests = requests.filter(submitted_at__date__gte=since)
    if until:
        requests = requests.filter(submitted_at__date__lte=until)
    # The columns the list shows: the texts (description, outcome, …) stay behind.
    return requests.only(
        "pk",
        "submitted_at",
        "title",
        "tier",
        "status",
        "area__name",
        "organisation__name",
        "assignee__user__full_name",
        "assignee__user__email",
        "routed_to__name",
    ).order_by("-submitted_at", "-id")


def request_for_detail(user, pk):
    return (
        requests_visible_to(user)
        .select_related("requested_by", "entered_by", "representation")
        .prefetch_related("attachments")
        .get(pk=pk)
    )


def request_history(request):
    return list(history(request))


def organisations_for_filing(user, *, on_behalf):
    """Organisations a person may file for: the ones they represent, or (staff)
    every active one."""
    organisations = Organisation.objects.filter(is_active=True, approved_at__isnull=False)
    if not on_behalf:
        organisations = organisations.filter(pk__in=represented_organisation_ids(user))
    return organisations.prefetch_related("areas").order_by("name_kana", "name")


def attachment_visible_to(user, pk):
    return Attachment.objects.select_related("request").get(
        pk=pk, request__in=requests_visible_to(user)
    )


# --- Assignment suggestions -----------------------------------------------------


@dataclass
class Suggestion:
    officer: OfficerProfile
    eligible: bool
    area_kind: str  # "main", "sub" or ""
    load: int
    reasons: list = field(default_factory=list)

    @property
    def score(self):
        area = {"main": 2, "sub": 1}.get(self.area_kind, 0)
        return (self.eligible, area, -self.load)


def suggest_officers(request, *, on=None):
    """Active officers ranked by: may take the tier, assigned to the request's
    area (main before sub), fewest open requests; each with the reasons."""
    on = on or today()
    area_assignments = AreaAssignment.objects.current(on).filter(area_id=request.area_id)
    officers = (
        OfficerProfile.objects.filter(
            is_active=True, user__role_assignments__role="liaison_officer"
        )
        .select_related("user")
        .annotate(load=Count("requests", filter=OPEN_LOAD, distinct=True))
        .prefetch_related(Prefetch("assignments", queryset=area_assignments, to_attr="here"))
    )
    suggestions = []
    for officer in officers:
        kinds = {a.kind for a in officer.here}
        area_kind = "main" if "main" in kinds else ("sub" if "sub" in kinds else "")
        eligible = officer.may_take(request.tier)
        reasons = [
            {"main": "主担当の地域", "sub": "副担当の地域", "": "担当地域外"}[area_kind],
            ("経験者（D〜F可）" if officer.is_experienced else "一般（A〜Cのみ）"),
            f"対応中 {officer.load} 件",
        ]
        if not eligible:
            reasons.append("この種類（D〜F）は担当できません")
        suggestions.append(Suggestion(officer, eligible, area_kind, officer.load, reasons))
    suggestions.sort(key=lambda s: s.score, reverse=True)
    return suggestions


# --- Officers (administrators) ------------------------------------------------


def officers_for_admin():
    current = AreaAssignment.objects.current().select_related("area")
    return (
        OfficerProfile.objects.select_related("user")
        .annotate(load=Count("requests", filter=OPEN_LOAD, distinct=True))
        .prefetch_related(Prefetch("assignments", queryset=current, to_attr="current"))
    )


def assignments_of(officer):
    return officer.assignments.select_related("area", "assigned_by").order_by(
        "-valid_from", "area__code"
    )


# --- Consultations ------------------------------------------------------------


def consultations_visible_to(user):
    queryset = Consultation.objects.select_related("area", "topic", "organisation", "received_by")
    return visible(user, "liaisons.view_consultation", queryset)


def consultation_list(user, *, area=None, since=None, until=None):
    consultations = consultations_visible_to(user)
    if area is not None:
        consultations = consultations.filter(area=area)
    if since:
        consultations = consultations.filter(received_on__gte=since)
    if until:
        consultations = consultations.filter(received_on__lte=until)
    return consultations.order_by("-received_on", "-id")


CONSULTATION_EXPORT_HEADER = [
    "番号", "受付日", "地域コード", "地域", "団体", "受付方法", "地域課題", "対応",
    "引継ぎ先の部署", "受けた職員", "相談内容", "記録日時",
]  # fmt: skip


def consultation_export_rows(consultations):
    """Rows of the consultation export, in the list's order (one query)."""
    for c in consultations.iterator(chunk_size=2000):
        yield [
            c.pk,
            c.received_on.isoformat(),
            c.area.code,
            c.area.name,
            c.organisation.name if c.organisation_id else "",
            c.get_channel_display(),
            c.topic.title if c.topic_id else "",
            c.get_outcome_display(),
            c.referred_department,
            c.received_by.get_full_name() if c.received_by_id else "",
            c.summary,
            timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M"),
        ]
