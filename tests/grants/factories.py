import datetime

from django.utils import timezone

from grants.models import Application, BudgetLine, Criterion, Programme, ReviewAssignment


def proposal_programme(*, budget=1_000_000, name="市民提案型まちづくり事業", criteria=True):
    today = timezone.localdate()
    programme = Programme.objects.create(
        name=name,
        kind=Programme.Kind.PROPOSAL,
        fiscal_year=today.year if today.month >= 4 else today.year - 1,
        budget=budget,
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=30),
        required_attachments="事業計画書",
    )
    if criteria:
        Criterion.objects.create(programme=programme, name="地域課題との関連", weight=3, order=0)
        Criterion.objects.create(programme=programme, name="実現可能性", weight=2, order=1)
    return programme


def application(
    *,
    programme,
    organisation,
    applicant,
    status=Application.Status.DRAFT,
    expense=300_000,
    income=50_000,
    area=None,
):
    app = Application.objects.create(
        programme=programme,
        organisation=organisation,
        area=area or organisation.areas.first(),
        applicant=applicant,
        representation=applicant.representations.filter(organisation=organisation).first(),
        title="防災マップづくり",
        purpose="地域の危険箇所を歩いて確かめ、地図にする。",
        status=status,
        requested_amount=max(expense - income, 0),
    )
    BudgetLine.objects.create(application=app, kind="expense", item="印刷費", amount=expense)
    if income:
        BudgetLine.objects.create(application=app, kind="income", item="自治会費", amount=income)
    if status != Application.Status.DRAFT:
        app.submitted_at = timezone.now()
        app.save()
    return app


def assign(app, reviewer, *, conflict=None):
    return ReviewAssignment.objects.create(application=app, reviewer=reviewer, conflict=conflict)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
