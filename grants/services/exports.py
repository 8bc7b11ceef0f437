"""PDF and table exports. Each export writes an audit row (kind 出力)."""

import gc
import secrets
import shutil
import tempfile
import zipfile
from collections import defaultdict

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal import audit, workflow

from ..models import Application, ExportFile, ExportItem, Payment
from ..pdf import render_pdf
from .applications import COMMITTED, totals
from .reports import budget_vs_actual
from .review import ranking


def _budget_section(rows, heading, total_label):
    return {
        "heading": heading,
        "rows": rows,
        "total_label": total_label,
        "planned": sum(r["planned"] for r in rows),
        "actual": sum(r["actual"] or 0 for r in rows),
    }


def report_context(application):
    income, expense = totals(application)
    rows = budget_vs_actual(application)
    report = getattr(application, "report", None)
    expense_rows = [r for r in rows if r["line"].kind == "expense"]
    income_rows = [r for r in rows if r["line"].kind == "income"]
    # Income and expense as two tables (収入の部・支出の部), income only when planned.
    sections = [_budget_section(expense_rows, _("費目（支出）"), _("支出合計"))]
    if income_rows:
        sections.insert(0, _budget_section(income_rows, _("費目（収入）"), _("収入合計")))
    scored = [r for r in ranking(application.programme) if r["application"].pk == application.pk]
    return {
        "application": application,
        "programme": application.programme,
        "income": income,
        "expense": expense,
        "rows": rows,
        "expense_rows": expense_rows,
        "income_rows": income_rows,
        "budget_sections": sections,
        "report": report,
        "review": scored[0] if scored else None,
        "history": [
            (change.created_at, Application.Status(change.to_state).label)
            for change in workflow.history(application)
        ],
        "generated_at": timezone.localtime(),
    }


def grant_report_pdf(*, application, by):
    data = render_pdf("grants/pdf/grant_report.html", report_context(application))
    audit.record(by=by, action="grants.grant_report.exported", target=application)
    return data


def summary_context(programme, applications):
    per_area, per_issue = defaultdict(lambda: [0, 0]), defaultdict(lambda: [0, 0])
    for application in applications:
        if application.status in COMMITTED:
            per_area[application.area.name][0] += 1
            per_area[application.area.name][1] += application.approved_amount or 0
            for issue in application.issues.all():
                per_issue[str(issue)][0] += 1
                per_issue[str(issue)][1] += application.approved_amount or 0
    approved = sum(a.approved_amount or 0 for a in applications if a.status in COMMITTED)
    return {
        "programme": programme,
        "applications": applications,
        "requested_total": sum(a.requested_amount for a in applications),
        "approved_total": approved,
        "remaining": programme.budget - approved,
        "per_area": sorted(per_area.items()),
        "per_issue": sorted(per_issue.items()),
        "allocation_lines": list(programme.allocation.lines.select_related("area"))
        if hasattr(programme, "allocation")
        else [],
        "generated_at": timezone.localtime(),
    }


def programme_summary_pdf(*, programme, applications, by):
    applications = list(applications)
    data = render_pdf("grants/pdf/programme_summary.html", summary_context(programme, applications))
    audit.record(
        by=by,
        action="grants.programme_summary.exported",
        target=programme,
        data={"applications": len(applications)},
    )
    return data


def new_export(*, programme, by):
    return ExportFile.objects.create(
        programme=programme, token=secrets.token_hex(16), created_by=by.user
    )


def render_batch(*, export_id, application_ids, by, progress=lambda done, total: None):
    """Every application's grant report into one zip.

    Each PDF is kept as an ExportItem as soon as it is rendered, so a batch
    cut off half-way (the worker killed, the database restarted) resumes
    where it stopped when the job runs again: the items already done are
    neither rendered nor counted twice. A failed render is recorded on its
    item and the batch goes on. Memory stays flat: one PDF at a time."""
    export = ExportFile.objects.select_related("programme").get(pk=export_id)
    if export.finished_at:
        export.resumed = len(application_ids)
        return export  # a duplicate delivery of a finished batch
    total = len(application_ids)
    already = set(export.items.values_list("application_id", flat=True))
    export.resumed = len(already.intersection(application_ids))
    for done, application_id in enumerate(application_ids, start=1):
        if application_id not in already:
            _render_item(export, application_id)
            # A render leaves cycles of layout objects behind; collecting
            # them each time keeps a batch of hundreds flat in memory.
            gc.collect()
        progress(done, total)
    items = {item.application_id: item for item in export.items.all()}
    failures, count = [], 0
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for application_id in application_ids:
                item = items[application_id]
                if not item.file:
                    failures.append({"application": application_id, "reason": item.failure})
                    continue
                name = f"grant-report-{application_id}.pdf"
                with item.file.open("rb") as source, archive.open(name, "w") as target:
                    shutil.copyfileobj(source, target)
                count += 1
        spool.seek(0)
        export.file.save(f"{export.token}.zip", File(spool), save=False)
    export.count = count
    export.failures = failures
    export.finished_at = timezone.now()
    export.save()
    audit.record(
        by=by,
        action="grants.grant_reports.exported",
        target=export,
        data={"applications": count, "failed": len(failures), "resumed": export.resumed},
    )
    # The single PDFs are in the zip now; the items stay as the record of what was done.
    for item in items.values():
        if item.file:
            item.file.delete(save=False)
    export.items.update(file="")
    return export


def _render_item(export, application_id):
    application = (
        Application.objects.select_related("programme", "organisation", "area")
        .prefetch_related("budget_lines", "issues")
        .get(pk=application_id)
    )
    item = ExportItem(export=export, application_id=application_id)
    try:
        data = render_pdf("grants/pdf/grant_report.html", report_context(application))
    except (OperationalError, InterfaceError):
        raise  # transient: the job runs again and resumes here
    except Exception as error:  # noqa: BLE001 — reported on the page
        item.failure = str(error)[:200]
        data = None
    if data is not None:
        item.file.save(f"{application_id}.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        # Another delivery of the same job did this item meanwhile.
        if item.file:
            item.file.delete(save=False)


# Each table: the name of its resource in grants.resources, and its title.
TABLES = {
    "applications": ("ApplicationResource", _("申請一覧")),
    "awards": ("AwardResource", _("交付決定一覧")),
    "payments": ("PaymentResource", _("支払一覧")),
}


def table_dataset(*, programme, table, applications, native=False):
    """The rows of one table of `programme`, limited to `applications`
    (already filtered by the selector); `native`: numbers as numbers (XLSX)."""
    # django-import-export and tablib cost 0.02 s at start-up; only table downloads need them.
    from .. import resources

    resource_name, _title = TABLES[table]
    resource_class = getattr(resources, resource_name)
    if table == "payments":
        queryset = (
            Payment.objects.filter(application__in=applications)
            .select_related("application__organisation")
            .order_by("paid_on", "pk")
        )
    elif table == "awards":
        queryset = applications.filter(status__in=COMMITTED)
    else:
        queryset = applications
    return resource_class().export(queryset, force_native_type=native)


def export_table(*, programme, table, fmt, encoding, applications, by):
    dataset = table_dataset(
        programme=programme, table=table, applications=applications, native=fmt == "xlsx"
    )
    # Loaded by table_dataset above; only the table downloads need it.
    from .. import resources

    if fmt == "xlsx":
        data = resources.dataset_xlsx(dataset)
    else:
        data = resources.dataset_csv(dataset, encoding=encoding)
    audit.record(
        by=by,
        action="grants.table.exported",
        target=programme,
        data={"table": table, "format": fmt, "encoding": encoding, "rows": len(dataset)},
    )
    return data


def paid_total(application):
    return application.payments.aggregate(total=Sum("amount"))["total"] or 0
