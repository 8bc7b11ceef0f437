"""Review: coordinators assign reviewers; each reviewer declares any
conflict of interest before anything else, and only a reviewer without one
scores (per criterion) and sees the others' scores."""

from decimal import ROUND_HALF_UP, Decimal
from statistics import pstdev

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.errors import ServiceError
from portal.locking import locked
from portal.models import Role, User

from ..models import Application, ReviewAssignment, Score

S = Application.Status


def assign_reviewer(*, application_id, reviewer, by):
    if Role.REVIEWER not in reviewer.roles:
        raise ServiceError(_("審査員の役割を持つ方を選んでください。"))
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        if application.status not in (S.SUBMITTED, S.IN_REVIEW):
            raise ServiceError(_("提出済みまたは審査中の申請にだけ審査員を割り当てられます。"))
        if application.applicant_id == reviewer.pk:
            raise ServiceError(_("申請者本人を審査員にはできません。"))
        assignment, created = ReviewAssignment.objects.get_or_create(
            application=application, reviewer=reviewer
        )
        if not created:
            raise ServiceError(_("この審査員はすでに割り当てられています。"))
        audit.record(by=by, action="grants.review.assigned", target=assignment)
    return assignment


def unassign_reviewer(*, assignment_id, by):
    with locked(ReviewAssignment.objects.filter(pk=assignment_id)) as rows:
        assignment = rows[0]
        if assignment.scores.exists():
            raise ServiceError(_("採点済みの審査員は外せません。"))
        audit.record(by=by, action="grants.review.unassigned", target=assignment)
        assignment.delete()


def _own_assignment(rows, by):
    if not rows:
        raise ServiceError(_("この申請の審査は割り当てられていません。"))
    assignment = rows[0]
    if assignment.application.status != S.IN_REVIEW:
        raise ServiceError(_("審査中の申請ではありません。"))
    return assignment


def declare_conflict(*, application_id, conflicted, note="", by):
    """Declared once: a reviewer cannot take back a declared conflict."""
    queryset = ReviewAssignment.objects.filter(application_id=application_id, reviewer=by.user)
    with locked(queryset) as rows:
        assignment = _own_assignment(rows, by)
        if assignment.conflict is not None:
            raise ServiceError(_("利害関係はすでに申告済みです。"))
        assignment.conflict = bool(conflicted)
        assignment.conflict_note = note[:400] if conflicted else ""
        assignment.declared_at = timezone.now()
        assignment.save()
        audit.record(
            by=by,
            action="grants.review.conflict_declared",
            target=assignment,
            data={"conflict": bool(conflicted)},
        )
    return assignment


def submit_scores(*, application_id, scores, comment="", by):
    """`scores` maps criterion id → points (0 … the criterion's maximum),
    one for every criterion of the programme."""
    queryset = ReviewAssignment.objects.filter(application_id=application_id, reviewer=by.user)
    with locked(queryset) as rows:
        assignment = _own_assignment(rows, by)
        if assignment.conflict is None:
            raise ServiceError(_("先に利害関係の有無を申告してください。"))
        if assignment.conflict:
            raise ServiceError(_("利害関係を申告したため、この申請は採点できません。"))
        criteria = list(assignment.application.programme.criteria.all())
        if not criteria:
            raise ServiceError(_("この事業には評価項目がありません。"))
        for criterion in criteria:
            value = scores.get(criterion.pk)
            if value is None or not 0 <= value <= criterion.max_score:
                raise ServiceError(
                    _("「%(name)s」は0〜%(max)d点で採点してください。")
                    % {"name": criterion.name, "max": criterion.max_score}
                )
        assignment.scores.all().delete()
        Score.objects.bulk_create(
            Score(assignment=assignment, criterion=c, score=scores[c.pk]) for c in criteria
        )
        assignment.comment = comment
        assignment.submitted_at = timezone.now()
        assignment.save()
        audit.record(
            by=by,
            action="grants.review.scored",
            target=assignment,
            data={"criteria": len(criteria)},
        )
    return assignment


def weighted_total(assignment, criteria):
    """A reviewer's weighted score as a percentage of the maximum (0–100)."""
    by_criterion = {s.criterion_id: s.score for s in assignment.scores.all()}
    maximum = sum(c.weight * c.max_score for c in criteria)
    if not maximum or len(by_criterion) < len(criteria):
        return None
    got = sum(c.weight * by_criterion[c.pk] for c in criteria)
    return (Decimal(got * 100) / Decimal(maximum)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def ranking(programme):
    """Applications under review or decided, with each reviewer's weighted total,
    the mean and the spread (max − min and standard deviation), best first."""
    criteria = list(programme.criteria.all())
    applications = (
        Application.objects.filter(programme=programme)
        .exclude(status=S.DRAFT)
        .select_related("organisation", "area")
        .prefetch_related("review_assignments__scores", "review_assignments__reviewer")
    )
    rows = []
    for application in applications:
        totals = []
        for assignment in application.review_assignments.all():
            if assignment.conflict is False and assignment.submitted_at:
                total = weighted_total(assignment, criteria)
                if total is not None:
                    totals.append(total)
        mean = (sum(totals) / len(totals)).quantize(Decimal("0.1")) if totals else None
        rows.append(
            {
                "application": application,
                "totals": totals,
                "mean": mean,
                "spread": (max(totals) - min(totals)) if totals else None,
                "stdev": Decimal(pstdev(totals)).quantize(Decimal("0.1")) if totals else None,
                "reviews": len(totals),
            }
        )
    rows.sort(key=lambda r: (r["mean"] is None, -(r["mean"] or 0), r["application"].pk))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank if row["mean"] is not None else None
    return rows


def eligible_reviewers():
    return User.objects.filter(role_assignments__role=Role.REVIEWER, is_active=True).distinct()
