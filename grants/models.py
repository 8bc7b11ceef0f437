"""Grant programmes (地域一括交付金, 市民提案型まちづくり事業), their area
allocation, applications, reviews, reports (実績報告) and payments.

Money is integer yen everywhere (PositiveBigIntegerField / BigIntegerField).
"""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, LocalIssue, Organisation, Representation, SdgGoal
from portal.dates import fiscal_year_label, fiscal_year_range
from portal.models import private_storage


class Programme(models.Model):
    class Kind(models.TextChoices):
        LUMP_SUM = "lump_sum", _("地域一括交付金（地域配分）")
        PROPOSAL = "proposal", _("市民提案型（公募・審査）")

    name = models.CharField(_("事業名"), max_length=200)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("年度（西暦）"))
    budget = models.PositiveBigIntegerField(_("予算額（円）"))
    opens_on = models.DateField(_("募集開始日"), null=True, blank=True)
    closes_on = models.DateField(_("募集締切日"), null=True, blank=True)
    eligibility = models.TextField(_("対象・要件"), blank=True, max_length=4000)
    required_attachments = models.TextField(
        _("必要な添付書類"), blank=True, max_length=2000, help_text=_("1行に1つ書いてください。")
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("交付金事業")
        verbose_name_plural = _("交付金事業")
        ordering = ["-fiscal_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True)
                | models.Q(opens_on__isnull=True)
                | models.Q(closes_on__gte=models.F("opens_on")),
                name="grants_programme_window_ordered",
            )
        ]

    def __str__(self):
        return f"{self.fiscal_year_label} {self.name}"

    def get_absolute_url(self):
        return reverse("grants:programme", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"交付金事業 #{self.pk}"

    @property
    def fiscal_year_label(self):
        return fiscal_year_label(self.fiscal_year)

    @property
    def is_proposal(self):
        return self.kind == self.Kind.PROPOSAL

    @property
    def payment_deadline(self):
        """Payments of 年度 N may still be booked until 31 May of N+1 (出納整理期間)."""
        return datetime.date(self.fiscal_year + 1, 5, 31)

    @property
    def fiscal_year_dates(self):
        return fiscal_year_range(self.fiscal_year)

    def is_open(self, on):
        return (self.opens_on is None or self.opens_on <= on) and (
            self.closes_on is None or on <= self.closes_on
        )

    def required_attachment_list(self):
        return [line.strip() for line in self.required_attachments.splitlines() if line.strip()]


class Criterion(models.Model):
    """A scoring criterion of a proposal programme, with its weight."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("評価項目"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("重み"), default=1)
    max_score = models.PositiveSmallIntegerField(_("満点"), default=5)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    class Meta:
        verbose_name = _("評価項目")
        verbose_name_plural = _("評価項目")
        ordering = ["programme_id", "order", "id"]

    def __str__(self):
        return self.name


class Allocation(models.Model):
    """The split of a lump-sum programme's budget over the areas:
    base (equal share) + per capita + per household, weighted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        APPROVED = "approved", _("確定")

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="allocation")
    base_weight = models.PositiveIntegerField(_("均等割の重み"), default=30)
    per_capita_weight = models.PositiveIntegerField(_("人口割の重み"), default=50)
    per_household_weight = models.PositiveIntegerField(_("世帯割の重み"), default=20)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    inputs_source = models.CharField(_("人口・世帯数の出典"), max_length=200, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("確定日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("地域配分")
        verbose_name_plural = _("地域配分")

    def __str__(self):
        return self.audit_label()

    def audit_label(self):
        return f"地域配分 #{self.pk}（交付金事業 #{self.programme_id}）"

    @property
    def is_locked(self):
        return self.status == self.Status.APPROVED


class AllocationLine(models.Model):
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    population = models.PositiveIntegerField(_("人口"), default=0)
    households = models.PositiveIntegerField(_("世帯数"), default=0)
    amount = models.PositiveBigIntegerField(_("配分額（円）"), default=0)

    class Meta:
        verbose_name = _("地域配分の行")
        verbose_name_plural = _("地域配分の行")
        ordering = ["area__code"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "area"], name="grants_allocation_area")
        ]

    def __str__(self):
        return f"AllocationLine #{self.pk}"


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("提出済み")
        IN_REVIEW = "in_review", _("審査中")
        APPROVED = "approved", _("交付決定")
        REJECTED = "rejected", _("不採択")
        REPORTING = "reporting", _("実績報告中")
        CLOSED = "closed", _("完了")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="applications")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="grant_applications"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("活動地域"), on_delete=models.PROTECT, related_name="+"
    )
    # Who represented the organisation when the application was made.
    representation = models.ForeignKey(
        Representation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申請者"),
        on_delete=models.PROTECT,
        related_name="grant_applications",
    )
    title = models.CharField(_("事業名"), max_length=200)
    purpose = models.TextField(_("目的"), max_length=4000)
    plan = models.TextField(_("実施計画"), max_length=8000, blank=True)
    issues = models.ManyToManyField(
        LocalIssue, verbose_name=_("地域課題"), blank=True, related_name="+"
    )
    sdg_goals = models.ManyToManyField(
        SdgGoal, verbose_name=_("SDGs"), blank=True, related_name="+"
    )
    requested_amount = models.PositiveBigIntegerField(_("申請額（円）"), default=0)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    approved_amount = models.PositiveBigIntegerField(_("交付決定額（円）"), null=True, blank=True)
    conditions = models.TextField(_("交付条件"), blank=True, max_length=4000)
    rejection_reason = models.TextField(_("不採択の理由"), blank=True, max_length=4000)
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("交付申請")
        verbose_name_plural = _("交付申請")
        ordering = ["programme_id", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("grants:application", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"交付申請 #{self.pk}"

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class BudgetLine(models.Model):
    class Kind(models.TextChoices):
        INCOME = "income", _("収入")
        EXPENSE = "expense", _("支出")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("収支"), max_length=10, choices=Kind.choices)
    item = models.CharField(_("費目"), max_length=200)
    amount = models.PositiveBigIntegerField(_("金額（円）"))
    note = models.CharField(_("内訳・備考"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("予算の行")
        verbose_name_plural = _("予算の行")
        ordering = ["application_id", "kind", "id"]

    def __str__(self):
        return self.item


def attachment_path(attachment, filename):
    return f"grants/{attachment.application_id}/{attachment.token}"


class Attachment(models.Model):
    """A file of an application or of its report (receipts). Stored in
    private storage under a random name; served only through a checked view."""

    class Purpose(models.TextChoices):
        APPLICATION = "application", _("申請書類")
        RECEIPT = "receipt", _("領収書・実績資料")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )
    purpose = models.CharField(
        _("種類"), max_length=16, choices=Purpose.choices, default=Purpose.APPLICATION
    )
    label = models.CharField(_("書類名"), max_length=200)
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=attachment_path, storage=private_storage)
    original_name = models.CharField(_("ファイル名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("添付書類")
        verbose_name_plural = _("添付書類")
        ordering = ["application_id", "id"]

    def __str__(self):
        return self.audit_label()

    def audit_label(self):
        return f"添付書類 #{self.pk}（交付申請 #{self.application_id}）"


class ReviewAssignment(models.Model):
    """A reviewer assigned to one application: their conflict-of-interest
    declaration, their scores (Score rows) and comment."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="review_assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("審査員"),
        on_delete=models.PROTECT,
        related_name="grant_reviews",
    )
    # None: not declared yet; True: conflicted (cannot score or see scores).
    conflict = models.BooleanField(_("利害関係"), null=True, blank=True)
    conflict_note = models.CharField(_("利害関係の内容"), max_length=400, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("講評"), blank=True, max_length=4000)
    submitted_at = models.DateTimeField(_("採点の提出日時"), null=True, blank=True)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("審査の割当て")
        verbose_name_plural = _("審査の割当て")
        ordering = ["application_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="grants_one_assignment_per_reviewer"
            )
        ]

    def __str__(self):
        return self.audit_label()

    def audit_label(self):
        return f"審査の割当て #{self.pk}（交付申請 #{self.application_id}）"


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("点数"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="grants_one_score")
        ]

    def __str__(self):
        return f"Score #{self.pk}"


class Report(models.Model):
    """実績報告: what was done, and what was actually spent per budget line."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("作成中")
        SUBMITTED = "submitted", _("提出済み")
        RETURNED = "returned", _("差戻し")
        ACCEPTED = "accepted", _("受理")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="report")
    activities = models.TextField(_("実施した活動"), max_length=8000, blank=True)
    events_held = models.PositiveIntegerField(_("開催回数"), default=0)
    participants = models.PositiveIntegerField(_("参加者数（延べ）"), default=0)
    outcomes = models.TextField(_("成果"), max_length=8000, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("確認の所見"), blank=True, max_length=4000)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("実績報告")
        verbose_name_plural = _("実績報告")

    def __str__(self):
        return self.audit_label()

    def audit_label(self):
        return f"実績報告 #{self.pk}（交付申請 #{self.application_id}）"


class ActualExpense(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actuals")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="actuals")
    amount = models.PositiveBigIntegerField(_("実績額（円）"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "budget_line"], name="grants_one_actual")
        ]

    def __str__(self):
        return f"ActualExpense #{self.pk}"


class Payment(models.Model):
    """A payment of an approved grant; booked in the programme's 年度 or its
    出納整理期間 (until 31 May of the next year)."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveBigIntegerField(_("支払額（円）"))
    paid_on = models.DateField(_("支払日"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("支払")
        verbose_name_plural = _("支払")
        ordering = ["application_id", "paid_on", "id"]

    def __str__(self):
        return self.audit_label()

    def audit_label(self):
        return f"支払 #{self.pk}（交付申請 #{self.application_id}）"


def export_path(export, filename):
    return f"grants/exports/{export.token}.zip"


class ExportFile(models.Model):
    """The result of a batch PDF export (a zip), downloadable by who made it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exports")
    token = models.CharField(max_length=40, unique=True)
    file = models.FileField(upload_to=export_path, storage=private_storage, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=0)
    # Applications whose PDF could not be rendered: [{"application": id, "reason": "..."}].
    failures = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.audit_label()

    def audit_label(self):
        return f"一括出力 #{self.pk}（交付金事業 #{self.programme_id}）"


def export_item_path(item, filename):
    return f"grants/exports/{item.export.token}/{item.application_id}.pdf"


class ExportItem(models.Model):
    """One application of a batch export, done: its PDF (or why it could not
    be rendered), committed as soon as it is rendered. A batch interrupted
    (a worker killed, the database restarted) resumes after the items
    already done, and the unique pair keeps any item from being done twice."""

    export = models.ForeignKey(ExportFile, on_delete=models.CASCADE, related_name="items")
    application_id = models.BigIntegerField()
    file = models.FileField(
        upload_to=export_item_path, storage=private_storage, blank=True, max_length=200
    )
    failure = models.CharField(max_length=200, blank=True)
    done_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["export", "application_id"], name="grants_exportitem_once"
            )
        ]

    def __str__(self):
        return f"一括出力 #{self.export_id} の申請 #{self.application_id}"
