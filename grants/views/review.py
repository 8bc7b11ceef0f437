"""Review and decisions: reviewer assignment, the reviewer's page
(conflict declaration, scores), the ranking, the decision, report
acceptance and payments."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import may, permission_required, visible

from .. import selectors
from ..forms import (
    ConflictForm,
    DecisionForm,
    PaymentForm,
    ReportDecisionForm,
    ReviewerForm,
    ScoreForm,
)
from ..models import Application, ReviewAssignment
from ..services import applications as services
from ..services import reports as report_services
from ..services import review as review_services
from ..services.exports import TABLES
from .common import application_or_404, programme_or_404

__all__ = [
    "programme_applications",
    "ranking_view",
    "start_review",
    "reviewers_view",
    "reviewer_remove",
    "decide_view",
    "report_decide",
    "payment_add",
    "my_reviews",
    "review_view",
]


@permission_required("grants.manage_programmes", get_object=programme_or_404)
def programme_applications(request, pk, obj):
    applications = list(selectors.programme_applications(request.user, obj))
    audit.record(
        by=Actor.from_request(request),
        action="grants.applications.listed",
        target=obj,
        data={"rows": len(applications)},
    )
    return render(
        request,
        "grants/programme_applications.html",
        {
            "programme": obj,
            "applications": applications,
            "remaining": services.remaining_budget(obj),
            "committed": services.committed_amount(obj),
            "tables": [(key, label) for key, (_cls, label) in TABLES.items()],
        },
    )


@permission_required("grants.manage_programmes", get_object=programme_or_404)
def ranking_view(request, pk, obj):
    rows = review_services.ranking(obj)
    audit.record(
        by=Actor.from_request(request),
        action="grants.ranking.viewed",
        target=obj,
        data={"rows": len(rows)},
    )
    return render(
        request,
        "grants/ranking.html",
        {"programme": obj, "rows": rows, "criteria": list(obj.criteria.all())},
    )


@require_POST
@permission_required("grants.decide_application", get_object=application_or_404)
def start_review(request, pk, obj):
    try:
        services.start_review(application_id=obj.pk, by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("審査を始めました。"))
    return redirect(obj.get_absolute_url())


@permission_required("grants.decide_application", get_object=application_or_404)
def reviewers_view(request, pk, obj):
    form = ReviewerForm(request.POST or None, reviewers=review_services.eligible_reviewers())
    if request.method == "POST" and form.is_valid():
        try:
            review_services.assign_reviewer(
                application_id=obj.pk,
                reviewer=form.cleaned_data["reviewer"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("審査員を割り当てました。"))
            return redirect("grants:reviewers", pk=obj.pk)
    assignments = list(obj.review_assignments.select_related("reviewer"))
    return render(
        request,
        "grants/reviewers.html",
        {"application": obj, "form": form, "assignments": assignments},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("grants.decide_application", get_object=application_or_404)
def reviewer_remove(request, pk, assignment_pk, obj):
    assignment = get_object_or_404(ReviewAssignment, pk=assignment_pk, application=obj)
    try:
        review_services.unassign_reviewer(
            assignment_id=assignment.pk, by=Actor.from_request(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("審査員の割当てを外しました。"))
    return redirect("grants:reviewers", pk=obj.pk)


@permission_required("grants.decide_application", get_object=application_or_404)
def decide_view(request, pk, obj):
    form = DecisionForm(
        request.POST or None, initial={"decision": "approve", "amount": obj.requested_amount}
    )
    if request.method == "POST" and form.is_valid():
        by = Actor.from_request(request)
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                services.approve_application(
                    application_id=obj.pk,
                    amount=data["amount"],
                    conditions=data["conditions"],
                    by=by,
                )
            else:
                services.reject_application(application_id=obj.pk, reason=data["reason"], by=by)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("決定を記録しました。"))
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "grants/decide.html",
        {
            "application": obj,
            "form": form,
            "remaining": services.remaining_budget(obj.programme, area=obj.area),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("grants.decide_application", get_object=application_or_404)
def report_decide(request, pk, obj):
    form = ReportDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("確認結果を選んでください。"))
    else:
        try:
            report_services.decide_report(
                application_id=obj.pk,
                accept=form.cleaned_data["decision"] == "accept",
                comment=form.cleaned_data["comment"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("実績報告の確認結果を記録しました。"))
    return redirect(obj.get_absolute_url())


@require_POST
@permission_required("grants.decide_application", get_object=application_or_404)
def payment_add(request, pk, obj):
    form = PaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("支払額と支払日を正しく入力してください。"))
    else:
        try:
            services.record_payment(
                application_id=obj.pk,
                amount=form.cleaned_data["amount"],
                paid_on=form.cleaned_data["paid_on"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("支払を記録しました。"))
    return redirect(obj.get_absolute_url())


@permission_required("grants.list_reviews")
def my_reviews(request):
    assignments = list(selectors.my_review_assignments(request.user))
    return render(request, "grants/my_reviews.html", {"assignments": assignments})


def _assigned_application(request, pk, **kwargs):
    return get_object_or_404(
        visible(request.user, "grants.review_application", Application.objects.all()), pk=pk
    )


@permission_required("grants.review_application", get_object=_assigned_application)
def review_view(request, pk, obj):
    """The reviewer's page: first the conflict declaration, then the scores."""
    assignment = ReviewAssignment.objects.get(application=obj, reviewer=request.user)
    criteria = list(obj.programme.criteria.all())
    by = Actor.from_request(request)
    conflict_form = ConflictForm(request.POST or None if "declare" in request.POST else None)
    existing = {s.criterion_id: s.score for s in assignment.scores.all()}
    score_form = ScoreForm(
        request.POST if "score" in request.POST else None,
        criteria=criteria,
        initial={
            **{f"criterion_{k}": v for k, v in existing.items()},
            "comment": assignment.comment,
        },
    )
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if "declare" in request.POST and conflict_form.is_valid():
                review_services.declare_conflict(
                    application_id=obj.pk,
                    conflicted=conflict_form.cleaned_data["conflicted"],
                    note=conflict_form.cleaned_data["note"],
                    by=by,
                )
                messages.success(request, _("利害関係の申告を記録しました。"))
                return redirect("grants:review", pk=obj.pk)
            if "score" in request.POST and score_form.is_valid():
                review_services.submit_scores(
                    application_id=obj.pk,
                    scores=score_form.scores(),
                    comment=score_form.cleaned_data["comment"],
                    by=by,
                )
                messages.success(request, _("採点を提出しました。"))
                return redirect("grants:review", pk=obj.pk)
        except ServiceError as error:
            (conflict_form if "declare" in request.POST else score_form).add_error(
                None, error.message
            )
    audit.record(by=by, action="grants.application.viewed", target=obj, data={"as": "reviewer"})
    income, expense = services.totals(obj)
    may_see_scores = may(request.user, "grants.view_scores", obj)
    return render(
        request,
        "grants/review.html",
        {
            "application": obj,
            "assignment": assignment,
            "conflict_form": conflict_form,
            "score_form": score_form,
            "income": income,
            "expense": expense,
            "budget_lines": list(obj.budget_lines.all()),
            "attachments": list(obj.attachments.all()),
            "others": list(
                obj.review_assignments.exclude(pk=assignment.pk)
                .select_related("reviewer")
                .prefetch_related("scores__criterion")
            )
            if may_see_scores
            else [],
            "may_see_scores": may_see_scores,
        },
        status=status,
    )
