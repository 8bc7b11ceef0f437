"""実績報告: the representative reports what was done and spent; the
coordinator accepts it (the application is closed) or returns it with comments."""

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit
from portal.errors import ServiceError
from portal.locking import locked

from ..models import ActualExpense, Application, Report
from .applications import APPLICATION_FLOW

S = Application.Status
R = Report.Status


def save_report(*, application_id, activities, events_held, participants, outcomes, actuals, by):
    """Save the report (draft or returned). `actuals` maps budget line id → yen."""
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        if application.status not in (S.APPROVED, S.REPORTING):
            raise ServiceError(_("交付決定後の申請だけ実績報告ができます。"))
        report, _created = Report.objects.get_or_create(application=application)
        if report.status not in (R.DRAFT, R.RETURNED):
            raise ServiceError(_("提出済みの実績報告は変更できません。"))
        lines = {line.pk: line for line in application.budget_lines.all()}
        for line_id, amount in actuals.items():
            if line_id not in lines:
                raise ServiceError(_("予算にない行の実績です。"))
            if amount is None or amount < 0:
                raise ServiceError(_("実績額は0円以上の整数で入力してください。"))
        if events_held < 0 or participants < 0:
            raise ServiceError(_("回数と人数は0以上で入力してください。"))
        report.activities, report.outcomes = activities, outcomes
        report.events_held, report.participants = events_held, participants
        report.save()
        for line_id, amount in actuals.items():
            ActualExpense.objects.update_or_create(
                report=report, budget_line=lines[line_id], defaults={"amount": amount}
            )
        audit.record(by=by, action="grants.report.updated", target=report)
    return report


def submit_report(*, application_id, by):
    """The first submission moves the application to 実績報告中 (reporting)."""
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        report = Report.objects.filter(application=application).first()
        if report is None or report.status not in (R.DRAFT, R.RETURNED):
            raise ServiceError(_("提出できる実績報告がありません。"))
        if not report.activities.strip():
            raise ServiceError(_("実施した活動を入力してください。"))
        if application.status == S.APPROVED:
            APPLICATION_FLOW.transition(application, to=S.REPORTING, by=by)
        elif application.status != S.REPORTING:
            raise ServiceError(_("この申請は実績報告を受け付けていません。"))
        report.status = R.SUBMITTED
        report.submitted_at = timezone.now()
        report.save()
        audit.record(by=by, action="grants.report.submitted", target=report)
    return report


def decide_report(*, application_id, accept, comment="", by):
    """Accept (the application is closed) or return the report with comments."""
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        report = Report.objects.filter(application=application).first()
        if report is None or report.status != R.SUBMITTED:
            raise ServiceError(_("確認待ちの実績報告がありません。"))
        if not accept and not comment.strip():
            raise ServiceError(_("差戻しの理由を入力してください。"))
        report.status = R.ACCEPTED if accept else R.RETURNED
        report.review_comment = comment
        report.reviewed_at = timezone.now()
        report.save()
        audit.record(
            by=by,
            action="grants.report.accepted" if accept else "grants.report.returned",
            target=report,
        )
        if accept:
            APPLICATION_FLOW.transition(application, to=S.CLOSED, by=by)
    return report


def budget_vs_actual(application):
    """Rows of (line, planned, actual, variance) and the totals per kind."""
    report = getattr(application, "report", None)
    actuals = {}
    if report is not None:
        actuals = {a.budget_line_id: a.amount for a in report.actuals.all()}
    rows = []
    for line in application.budget_lines.all():
        actual = actuals.get(line.pk)
        rows.append(
            {
                "line": line,
                "planned": line.amount,
                "actual": actual,
                "variance": None if actual is None else actual - line.amount,
            }
        )
    return rows
