"""Applications: apply, edit a draft with its budget, attachments, submit,
the report (実績報告), and what the representative sees."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit, workflow
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import may, permission_required

from .. import selectors
from ..forms import (
    ApplicationForm,
    AttachmentForm,
    BudgetLineFormSet,
    ReportForm,
    budget_rows,
)
from ..models import Application, Attachment, Report
from ..services import applications as services
from ..services import reports as report_services
from ..services.review import ranking
from .common import application_or_404, programme_or_404

__all__ = [
    "my_applications",
    "application_create",
    "application_detail",
    "application_edit",
    "attachment_add",
    "attachment_delete",
    "attachment_download",
    "application_submit",
    "report_edit",
]


@permission_required("grants.apply")
def my_applications(request):
    applications = list(selectors.my_applications(request.user))
    audit.record(
        by=Actor.from_request(request),
        action="grants.applications.listed",
        target="grants.application",
        data={"rows": len(applications), "scope": "mine"},
    )
    return render(request, "grants/my_applications.html", {"applications": applications})


@permission_required("grants.apply", get_object=programme_or_404)
def application_create(request, pk, obj):
    organisations = selectors.current_organisations_of(request.user)
    form = ApplicationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.create_application(
                programme=obj,
                organisation=data["organisation"],
                area=data["area"],
                title=data["title"],
                purpose=data["purpose"],
                plan=data["plan"],
                issues=data["issues"],
                sdg_goals=data["sdg_goals"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("申請の下書きを作りました。予算と添付書類を入力してください。")
            )
            return redirect("grants:application_edit", pk=application.pk)
    return render(
        request,
        "grants/application_form.html",
        {"form": form, "programme": obj},
        status=400 if request.method == "POST" else 200,
    )


def _detail(request, pk):
    try:
        return selectors.application_detail(request.user, pk)
    except Exception:
        raise Http404 from None


@permission_required("grants.view_application", get_object=application_or_404)
def application_detail(request, pk, obj):
    application = _detail(request, pk)
    user = request.user
    income, expense = services.totals(application)
    may_see_scores = may(user, "grants.view_scores", application)
    report = Report.objects.filter(application=application).first()
    context = {
        "application": application,
        "income": income,
        "expense": expense,
        "history": [
            (change.created_at, Application.Status(change.to_state).label)
            for change in workflow.history(application)
        ],
        "may_edit": application.is_editable and may(user, "grants.edit_application", application),
        "may_decide": may(user, "grants.decide_application", application),
        "may_review": may(user, "grants.review_application", application),
        "may_report": may(user, "grants.file_report", application)
        and application.status in ("approved", "reporting"),
        "may_pdf": may(user, "grants.download_grant_report", application),
        "may_see_scores": may_see_scores,
        "assignments": list(application.review_assignments.all()) if may_see_scores else [],
        "report": report,
        "budget": report_services.budget_vs_actual(application),
        "payments": list(application.payments.all()),
        "remaining": services.remaining_budget(application.programme, area=application.area),
    }
    if may_see_scores:
        row = [r for r in ranking(application.programme) if r["application"].pk == application.pk]
        context["score_row"] = row[0] if row else None
    audit.record(
        by=Actor.from_request(request), action="grants.application.viewed", target=application
    )
    return render(request, "grants/application_detail.html", context)


def _budget_initial(application):
    return [
        {"kind": line.kind, "item": line.item, "amount": line.amount, "note": line.note}
        for line in application.budget_lines.all()
    ]


@permission_required("grants.edit_application", get_object=application_or_404)
def application_edit(request, pk, obj):
    if not obj.is_editable:
        messages.error(request, _("提出後の申請は変更できません。"))
        return redirect(obj.get_absolute_url())
    organisations = selectors.current_organisations_of(request.user)
    initial = {
        "organisation": obj.organisation_id,
        "area": obj.area_id,
        "title": obj.title,
        "purpose": obj.purpose,
        "plan": obj.plan,
        "issues": list(obj.issues.all()),
        "sdg_goals": list(obj.sdg_goals.all()),
    }
    form = ApplicationForm(request.POST or None, organisations=organisations, initial=initial)
    form.fields["organisation"].disabled = True
    formset = BudgetLineFormSet(request.POST or None, initial=_budget_initial(obj), prefix="budget")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            services.update_application(
                application_id=obj.pk,
                title=data["title"],
                purpose=data["purpose"],
                plan=data["plan"],
                area=data["area"],
                issues=data["issues"],
                sdg_goals=data["sdg_goals"],
                budget_lines=budget_rows(formset),
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("申請を保存しました。"))
            return redirect("grants:application_edit", pk=obj.pk)
    audit.record(by=Actor.from_request(request), action="grants.application.viewed", target=obj)
    return render(
        request,
        "grants/application_edit.html",
        {
            "form": form,
            "formset": formset,
            "application": obj,
            "attachments": list(obj.attachments.all()),
            "attachment_form": AttachmentForm(),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("grants.edit_application", get_object=application_or_404)
def attachment_add(request, pk, obj):
    form = AttachmentForm(request.POST, request.FILES)
    purpose = request.POST.get("purpose", Attachment.Purpose.APPLICATION)
    if purpose not in Attachment.Purpose.values:
        purpose = Attachment.Purpose.APPLICATION
    if not form.is_valid():
        messages.error(request, _("ファイルを選んでください。"))
    else:
        try:
            services.add_attachment(
                application_id=obj.pk,
                upload=form.cleaned_data["file"],
                label=form.cleaned_data["label"],
                purpose=purpose,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("ファイルを添付しました。"))
    if purpose == Attachment.Purpose.RECEIPT:
        return redirect("grants:report", pk=obj.pk)
    return redirect("grants:application_edit", pk=obj.pk)


@require_POST
@permission_required("grants.edit_application", get_object=application_or_404)
def attachment_delete(request, pk, attachment_pk, obj):
    try:
        services.delete_attachment(
            application_id=obj.pk, attachment_id=attachment_pk, by=Actor.from_request(request)
        )
    except Attachment.DoesNotExist:
        raise Http404 from None
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("添付ファイルを削除しました。"))
    return redirect("grants:application_edit", pk=obj.pk)


@permission_required("grants.view_application", get_object=application_or_404)
def attachment_download(request, pk, attachment_pk, obj):
    """Files are served only through this check, never from a public URL."""
    attachment = obj.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    audit.record(
        by=Actor.from_request(request),
        action="grants.attachment.downloaded",
        target=attachment,
        data={"size": attachment.size},
    )
    response = FileResponse(
        attachment.file.open("rb"),
        content_type=attachment.content_type,
        as_attachment=True,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@permission_required("grants.edit_application", get_object=application_or_404)
def application_submit(request, pk, obj):
    try:
        services.submit_application(application_id=obj.pk, by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect("grants:application_edit", pk=obj.pk)
    messages.success(request, _("申請を提出しました。"))
    return redirect(obj.get_absolute_url())


@permission_required("grants.file_report", get_object=application_or_404)
def report_edit(request, pk, obj):
    """The representative writes and submits the 実績報告."""
    if obj.status not in ("approved", "reporting"):
        messages.error(request, _("交付決定後の申請だけ実績報告ができます。"))
        return redirect(obj.get_absolute_url())
    report = Report.objects.filter(application=obj).first()
    actuals = {a.budget_line_id: a.amount for a in report.actuals.all()} if report else {}
    lines = list(obj.budget_lines.all())
    initial = {f"actual_{line.pk}": actuals.get(line.pk, line.amount) for line in lines}
    if report:
        initial.update(
            activities=report.activities,
            events_held=report.events_held,
            participants=report.participants,
            outcomes=report.outcomes,
        )
    form = ReportForm(request.POST or None, lines=lines, initial=initial)
    editable = report is None or report.status in (Report.Status.DRAFT, Report.Status.RETURNED)
    if request.method == "POST" and editable and form.is_valid():
        by = Actor.from_request(request)
        try:
            report_services.save_report(
                application_id=obj.pk,
                activities=form.cleaned_data["activities"],
                events_held=form.cleaned_data["events_held"],
                participants=form.cleaned_data["participants"],
                outcomes=form.cleaned_data["outcomes"],
                actuals=form.actuals(),
                by=by,
            )
            if "submit" in request.POST:
                report_services.submit_report(application_id=obj.pk, by=by)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            if "submit" in request.POST:
                messages.success(request, _("実績報告を提出しました。"))
                return redirect(obj.get_absolute_url())
            messages.success(request, _("実績報告を保存しました。"))
            return redirect("grants:report", pk=obj.pk)
    return render(
        request,
        "grants/report_form.html",
        {
            "application": obj,
            "report": report,
            "form": form,
            "editable": editable,
            "receipts": list(obj.attachments.filter(purpose=Attachment.Purpose.RECEIPT)),
            "attachment_form": AttachmentForm(),
        },
        status=400 if request.method == "POST" else 200,
    )
