"""PDF and table exports; the batch runs as a job with a progress page."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit, jobs
from portal.audit import Actor
from portal.csvio import ExportEncodingError
from portal.permissions import permission_required

from .. import selectors
from ..models import ExportFile
from ..services import exports
from .common import application_or_404, programme_or_404

__all__ = [
    "grant_report_pdf",
    "programme_summary_pdf",
    "table_export",
    "batch_start",
    "export_file",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_response(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@permission_required("grants.download_grant_report", get_object=application_or_404)
def grant_report_pdf(request, pk, obj):
    application = selectors.application_detail(request.user, pk)
    data = exports.grant_report_pdf(application=application, by=Actor.from_request(request))
    return _pdf_response(data, f"grant-report-{obj.pk}.pdf")


@permission_required("grants.export", get_object=programme_or_404)
def programme_summary_pdf(request, pk, obj):
    applications = selectors.programme_applications(request.user, obj).select_related("area")
    data = exports.programme_summary_pdf(
        programme=obj, applications=applications, by=Actor.from_request(request)
    )
    return _pdf_response(data, f"programme-summary-{obj.pk}.pdf")


@permission_required("grants.export", get_object=programme_or_404)
def table_export(request, pk, table, fmt, obj):
    if table not in exports.TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    encoding = "cp932" if request.GET.get("encoding") == "cp932" else "utf-8"
    applications = selectors.programme_applications(request.user, obj)
    try:
        data = exports.export_table(
            programme=obj,
            table=table,
            fmt=fmt,
            encoding=encoding,
            applications=applications,
            by=Actor.from_request(request),
        )
    except ExportEncodingError as error:
        messages.error(request, str(error))
        return redirect("grants:programme_applications", pk=obj.pk)
    filename = f"{table}-{obj.pk}.{fmt}"
    if fmt == "xlsx":
        response = HttpResponse(data, content_type=XLSX)
    else:
        charset = "shift_jis" if encoding == "cp932" else "utf-8"
        response = HttpResponse(data, content_type=f"text/csv; charset={charset}")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
@permission_required("grants.export", get_object=programme_or_404)
def batch_start(request, pk, obj):
    by = Actor.from_request(request)
    ids = list(selectors.programme_applications(request.user, obj).values_list("pk", flat=True))
    if not ids:
        messages.error(request, _("出力する申請がありません。"))
        return redirect("grants:programme_applications", pk=obj.pk)
    export = exports.new_export(programme=obj, by=by)
    job = jobs.start_job(
        kind="grants.pdf_batch",
        title=_("実績報告書（PDF）の一括出力"),
        by=by,
        params={"export": export.pk, "applications": ids},
        success_url=reverse("grants:export_file", kwargs={"token": export.token}),
    )
    return redirect(job.get_absolute_url())


def _own_export(request, token, **kwargs):
    export = get_object_or_404(ExportFile.objects.select_related("programme"), token=token)
    if export.created_by_id != request.user.pk:
        raise Http404
    return export.programme


@permission_required("grants.export", get_object=_own_export)
def export_file(request, token, obj):
    """The batch's result page: failures listed; `?download=1` for the zip."""
    export = get_object_or_404(ExportFile, token=token, created_by=request.user)
    if request.GET.get("download") and export.file:
        audit.record(
            by=Actor.from_request(request),
            action="grants.grant_reports.downloaded",
            target=export,
            data={"applications": export.count},
        )
        return FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"grant-reports-{export.programme_id}.zip",
            content_type="application/zip",
        )
    return render(request, "grants/export_file.html", {"export": export, "programme": obj})
