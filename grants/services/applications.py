"""Applications: drafting, budget lines, attachments, the workflow, the
decision (never beyond the remaining budget) and payments."""

import secrets

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Representation
from portal import audit
from portal.errors import ServiceError
from portal.locking import locked, locked_one
from portal.workflow import Workflow

from ..files import check_upload
from ..models import Application, Attachment, BudgetLine, Payment, Programme

S = Application.Status

APPLICATION_FLOW = Workflow(
    moves={
        (S.DRAFT, S.SUBMITTED): "grants.edit_application",
        (S.SUBMITTED, S.IN_REVIEW): "grants.decide_application",
        (S.SUBMITTED, S.REJECTED): "grants.decide_application",
        (S.IN_REVIEW, S.APPROVED): "grants.decide_application",
        (S.IN_REVIEW, S.REJECTED): "grants.decide_application",
        (S.APPROVED, S.REPORTING): "grants.file_report",
        (S.REPORTING, S.CLOSED): "grants.decide_application",
    },
    action_prefix="grants.application",
)

COMMITTED = (S.APPROVED, S.REPORTING, S.CLOSED)
CONTENT_FIELDS = ("title", "purpose", "plan", "area_id")


def committed_amount(programme, *, area=None):
    """Yen approved so far in `programme` (in `area`), recounted from rows."""
    rows = Application.objects.filter(programme=programme, status__in=COMMITTED)
    if area is not None:
        rows = rows.filter(area=area)
    return rows.aggregate(total=Sum("approved_amount"))["total"] or 0


def remaining_budget(programme, *, area=None):
    """What may still be approved: the programme's budget (and, for a
    lump-sum programme, the area's approved allocation) less what is approved."""
    left = programme.budget - committed_amount(programme)
    if area is not None and programme.kind == Programme.Kind.LUMP_SUM:
        allocation = getattr(programme, "allocation", None)
        line = allocation.lines.filter(area=area).first() if allocation else None
        if allocation is None or not allocation.is_locked or line is None:
            return 0
        left = min(left, line.amount - committed_amount(programme, area=area))
    return max(left, 0)


def _current_representation(user, organisation):
    return (
        Representation.objects.current()
        .filter(user=user, organisation=organisation)
        .order_by("-valid_from")
        .first()
    )


def totals(application):
    lines = list(application.budget_lines.all())
    income = sum(line.amount for line in lines if line.kind == BudgetLine.Kind.INCOME)
    expense = sum(line.amount for line in lines if line.kind == BudgetLine.Kind.EXPENSE)
    return income, expense


def _derive_requested(application):
    income, expense = totals(application)
    application.requested_amount = max(expense - income, 0)
    application.save(update_fields=["requested_amount"])


def create_application(
    *, programme, organisation, area, title, purpose, plan="", issues=(), sdg_goals=(), by
):
    """A draft application by a current representative of `organisation`;
    the Representation in force is recorded on the application."""
    representation = _current_representation(by.user, organisation)
    if representation is None:
        raise ServiceError(_("この団体の代表・担当者ではありません。"))
    if not programme.is_open(timezone.localdate()):
        raise ServiceError(_("この事業は現在募集していません。"))
    if not organisation.areas.filter(pk=area.pk).exists():
        raise ServiceError(_("団体の活動地域から選んでください。"))
    with transaction.atomic():
        application = Application.objects.create(
            programme=programme,
            organisation=organisation,
            area=area,
            representation=representation,
            applicant=by.user,
            title=title,
            purpose=purpose,
            plan=plan,
        )
        application.issues.set(issues)
        application.sdg_goals.set(sdg_goals)
        audit.record(
            by=by,
            action="grants.application.created",
            target=application,
            data={"programme": programme.pk},
        )
    return application


def _editable_application(rows):
    application = rows[0]
    if not application.is_editable:
        raise ServiceError(_("提出後の申請は変更できません。"))
    return application


def update_application(
    *, application_id, title, purpose, plan, area, issues=(), sdg_goals=(), budget_lines=None, by
):
    """Edit a draft; `budget_lines` is a list of (kind, item, amount, note)
    replacing the current ones. The requested amount follows from them."""
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = _editable_application(rows)
        if not application.organisation.areas.filter(pk=area.pk).exists():
            raise ServiceError(_("団体の活動地域から選んでください。"))
        old = audit.snapshot(application, CONTENT_FIELDS)
        application.title, application.purpose, application.plan = title, purpose, plan
        application.area = area
        application.save()
        application.issues.set(issues)
        application.sdg_goals.set(sdg_goals)
        if budget_lines is not None:
            _replace_budget_lines(application, budget_lines)
        _derive_requested(application)
        audit.record(
            by=by,
            action="grants.application.updated",
            target=application,
            changes=audit.changes_between(old, audit.snapshot(application, CONTENT_FIELDS)),
            data={"budget_lines": application.budget_lines.count()},
        )
    return application


def _replace_budget_lines(application, lines):
    for kind, item, amount, _note in lines:
        if kind not in BudgetLine.Kind.values:
            raise ServiceError(_("収支の区分が正しくありません。"))
        if amount is None or amount < 0:
            raise ServiceError(_("金額は0円以上の整数で入力してください。"))
        if not item:
            raise ServiceError(_("費目を入力してください。"))
    application.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(application=application, kind=k, item=i, amount=a, note=n or "")
        for k, i, a, n in lines
    )


def add_attachment(*, application_id, upload, label, purpose=Attachment.Purpose.APPLICATION, by):
    """Store a checked file privately. Application files only while drafting;
    receipts while reporting."""
    data, content_type = check_upload(upload)
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        if purpose == Attachment.Purpose.APPLICATION and not application.is_editable:
            raise ServiceError(_("提出後の申請は変更できません。"))
        if purpose == Attachment.Purpose.RECEIPT and application.status not in (
            S.APPROVED,
            S.REPORTING,
        ):
            raise ServiceError(_("領収書は交付決定後に添付できます。"))
        attachment = Attachment(
            application=application,
            purpose=purpose,
            label=label or upload.name,
            token=secrets.token_hex(16),
            original_name=upload.name[:255],
            content_type=content_type,
            size=len(data),
            uploaded_by=by.user,
        )
        attachment.file.save(attachment.token, ContentFile(data), save=False)
        attachment.save()
        audit.record(
            by=by,
            action="grants.attachment.created",
            target=attachment,
            data={"size": len(data), "content_type": content_type},
        )
    return attachment


def delete_attachment(*, application_id, attachment_id, by):
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = _editable_application(rows)
        attachment = application.attachments.get(pk=attachment_id)
        attachment.file.delete(save=False)
        audit.record(by=by, action="grants.attachment.deleted", target=attachment)
        attachment.delete()


def submit_application(*, application_id, by):
    """Draft → submitted: needs a budget with expenses, a requested amount and
    the attachments the programme requires (at least one file when it lists any)."""
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        if application.status != S.DRAFT:
            raise ServiceError(_("この申請はすでに提出されています。"))
        _income, expense = totals(application)
        if expense <= 0:
            raise ServiceError(_("支出の予算を1行以上入力してください。"))
        if application.requested_amount <= 0:
            raise ServiceError(_("申請額が0円です。収入と支出を確認してください。"))
        if (
            application.programme.required_attachment_list()
            and not application.attachments.filter(purpose=Attachment.Purpose.APPLICATION).exists()
        ):
            raise ServiceError(_("必要な添付書類を添付してください。"))
        if not application.programme.is_open(timezone.localdate()):
            raise ServiceError(_("募集期間外のため提出できません。"))
        application.submitted_at = timezone.now()
        APPLICATION_FLOW.transition(
            application,
            to=S.SUBMITTED,
            by=by,
            extra_fields=["submitted_at"],
            data={"requested_amount": application.requested_amount},
        )
    return application


def start_review(*, application_id, by):
    with locked(Application.objects.filter(pk=application_id)) as rows:
        APPLICATION_FLOW.transition(rows[0], to=S.IN_REVIEW, by=by)
    return rows[0]


def approve_application(*, application_id, amount, conditions="", by):
    """In review → approved with `amount` yen. The programme row is locked
    first and the committed total recounted under the lock, so two
    coordinators approving at once can never exceed the budget."""
    application = Application.objects.get(pk=application_id)
    if amount is None or amount <= 0:
        raise ServiceError(_("交付決定額は1円以上で入力してください。"))
    with locked_one(Programme, application.programme_id) as programme:
        application = Application.objects.select_for_update().get(pk=application_id)
        if amount > application.requested_amount:
            raise ServiceError(_("交付決定額は申請額を超えられません。"))
        left = remaining_budget(programme, area=application.area)
        if amount > left:
            raise ServiceError(
                _("予算の残額（%(left)s円）を超えるため交付決定できません。")
                % {"left": f"{left:,}"}
            )
        application.approved_amount = amount
        application.conditions = conditions
        application.decided_at = timezone.now()
        APPLICATION_FLOW.transition(
            application,
            to=S.APPROVED,
            by=by,
            extra_fields=["approved_amount", "conditions", "decided_at"],
            data={"amount": amount},
        )
    return application


def reject_application(*, application_id, reason, by):
    if not reason.strip():
        raise ServiceError(_("不採択の理由を入力してください。"))
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        application.rejection_reason = reason
        application.decided_at = timezone.now()
        APPLICATION_FLOW.transition(
            application, to=S.REJECTED, by=by, extra_fields=["rejection_reason", "decided_at"]
        )
    return application


def record_payment(*, application_id, amount, paid_on, by):
    """A payment of an approved grant: within the approved amount, and booked
    no later than 31 May after the fiscal year (出納整理期間)."""
    with locked(Application.objects.filter(pk=application_id)) as rows:
        application = rows[0]
        if application.status not in COMMITTED:
            raise ServiceError(_("交付決定前の申請には支払を記録できません。"))
        if amount is None or amount <= 0:
            raise ServiceError(_("支払額は1円以上で入力してください。"))
        programme = application.programme
        first_day, _last = programme.fiscal_year_dates
        if paid_on < first_day or paid_on > programme.payment_deadline:
            raise ServiceError(
                _("支払日は%(first)sから出納整理期間の終わり（%(last)s）までにしてください。")
                % {"first": first_day.isoformat(), "last": programme.payment_deadline.isoformat()}
            )
        paid = application.payments.aggregate(total=Sum("amount"))["total"] or 0
        if paid + amount > application.approved_amount:
            raise ServiceError(_("支払の合計が交付決定額を超えます。"))
        payment = Payment.objects.create(
            application=application, amount=amount, paid_on=paid_on, recorded_by=by.user
        )
        audit.record(
            by=by, action="grants.payment.created", target=payment, data={"amount": amount}
        )
    return payment
