"""The area karte (地域カルテ), the area's vision and action plan, and what
each organisation offers to the platform (the stakeholder directory).

Imported at the bottom of `areas.models`, so the tables belong to the areas app.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

FISCAL_YEAR_VALIDATORS = [MinValueValidator(1989), MaxValueValidator(2100)]


class KarteFigures(models.Model):
    """An area's figures for one 年度 as entered or imported. Where a resident
    register of that 年度 exists, the karte shows the register's counts instead
    (these stay as the record of what was entered)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("入力")
        IMPORTED = "imported", _("CSV取込")

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.CASCADE, related_name="karte_figures"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), validators=FISCAL_YEAR_VALIDATORS)
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    households = models.PositiveIntegerField(_("世帯数"), null=True, blank=True)
    aged_65_plus = models.PositiveIntegerField(_("65歳以上人口"), null=True, blank=True)
    children_under_15 = models.PositiveIntegerField(_("15歳未満人口"), null=True, blank=True)
    source = models.CharField(
        _("出典"), max_length=10, choices=Source.choices, default=Source.ENTERED
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("地域カルテの数値")
        verbose_name_plural = _("地域カルテの数値")
        ordering = ["area__code", "-fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "fiscal_year"], name="karte_figures_unique"),
            models.CheckConstraint(
                condition=models.Q(aged_65_plus__isnull=True)
                | models.Q(population__isnull=True)
                | models.Q(aged_65_plus__lte=models.F("population")),
                name="karte_figures_aged_within_population",
            ),
        ]

    def __str__(self):
        return f"{self.area} {self.fiscal_year}"

    def audit_label(self):
        return f"地域カルテの数値 {self.area_id}/{self.fiscal_year}"


class KarteIssue(models.Model):
    """An issue of the area for a 年度, with its priority and where it came from."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("高")
        MEDIUM = 2, _("中")
        LOW = 3, _("低")

    class Source(models.TextChoices):
        SURVEY = "survey", _("住民意識調査")
        MEETING = "meeting", _("エリアミーティングの意見")
        CONSULTATION = "consultation", _("相談")
        REQUEST = "request", _("支援依頼")
        OTHER = "other", _("その他")

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.CASCADE, related_name="karte_issues"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"), validators=FISCAL_YEAR_VALIDATORS)
    issue = models.ForeignKey(
        "areas.LocalIssue", verbose_name=_("地域課題"), on_delete=models.PROTECT, related_name="+"
    )
    priority = models.PositiveSmallIntegerField(
        _("優先度"), choices=Priority.choices, default=Priority.MEDIUM
    )
    source = models.CharField(_("把握した経路"), max_length=16, choices=Source.choices)
    note = models.CharField(_("補足"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("地域カルテの課題")
        verbose_name_plural = _("地域カルテの課題")
        ordering = ["priority", "issue__number", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "fiscal_year", "issue", "source"], name="karte_issue_unique"
            )
        ]

    def __str__(self):
        return str(self.issue)

    def audit_label(self):
        return f"地域カルテの課題 #{self.pk}"


class Offer(models.Model):
    """What an organisation offers to the area's platform: people with a
    skill, a place, equipment. Edited by its representatives and coordinators."""

    class Kind(models.TextChoices):
        SKILL = "skill", _("人材・技能")
        PLACE = "place", _("場所")
        EQUIPMENT = "equipment", _("物品・機材")
        OTHER = "other", _("その他")

    organisation = models.ForeignKey(
        "areas.Organisation",
        verbose_name=_("団体"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    kind = models.CharField(_("種類"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("内容"), max_length=200)
    description = models.TextField(_("説明"), blank=True, max_length=2000)
    issues = models.ManyToManyField(
        "areas.LocalIssue", verbose_name=_("関連する地域課題"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("提供中"), default=True)
    # Normalised title + description + issue titles: the trigram index covers
    # it, so 防災 finds 地域の防災訓練の講師 (see migration 0007).
    search_text = models.TextField(blank=True, editable=False)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("団体が提供できるもの")
        verbose_name_plural = _("団体が提供できるもの")
        ordering = ["organisation_id", "kind", "id"]

    def __str__(self):
        return self.title

    def audit_label(self):
        return f"団体の提供 #{self.pk}"


class Vision(models.Model):
    """An area's vision (地域ビジョン) for a plan period."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.CASCADE, related_name="visions"
    )
    title = models.CharField(_("ビジョン"), max_length=200)
    text = models.TextField(_("目指す姿"), max_length=4000)
    first_year = models.PositiveSmallIntegerField(
        _("計画期間（開始年度）"), validators=FISCAL_YEAR_VALIDATORS
    )
    last_year = models.PositiveSmallIntegerField(
        _("計画期間（終了年度）"), validators=FISCAL_YEAR_VALIDATORS
    )
    is_published = models.BooleanField(_("公開する"), default=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("地域ビジョン")
        verbose_name_plural = _("地域ビジョン")
        ordering = ["area__code", "-first_year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "first_year"], name="vision_unique_period"),
            models.CheckConstraint(
                condition=models.Q(last_year__gte=models.F("first_year")),
                name="vision_period_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("areas:karte:vision", kwargs={"code": self.area.code})

    def audit_label(self):
        return f"地域ビジョン #{self.pk}"


class Goal(models.Model):
    vision = models.ForeignKey(
        Vision, verbose_name=_("ビジョン"), on_delete=models.CASCADE, related_name="goals"
    )
    number = models.PositiveSmallIntegerField(_("番号"))
    title = models.CharField(_("目標"), max_length=200)
    description = models.TextField(_("説明"), blank=True, max_length=2000)
    issues = models.ManyToManyField(
        "areas.LocalIssue", verbose_name=_("関連する地域課題"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("目標")
        verbose_name_plural = _("目標")
        ordering = ["vision_id", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["vision", "number"], name="goal_unique_number")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def audit_label(self):
        return f"目標 #{self.pk}"


class Action(models.Model):
    """One action of the plan: who carries it, when, how far it has got,
    and the meetings, support requests and grants that serve it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("予定")
        IN_PROGRESS = "in_progress", _("実施中")
        DONE = "done", _("完了")
        PAUSED = "paused", _("休止")

    class Owner(models.TextChoices):
        ORGANISATION = "organisation", _("団体")
        CITY = "city", _("市")
        JOINT = "joint", _("団体と市の協働")

    goal = models.ForeignKey(
        Goal, verbose_name=_("目標"), on_delete=models.CASCADE, related_name="actions"
    )
    title = models.CharField(_("取組"), max_length=200)
    description = models.TextField(_("内容"), blank=True, max_length=2000)
    owner_kind = models.CharField(
        _("担い手"), max_length=16, choices=Owner.choices, default=Owner.ORGANISATION
    )
    owner_organisation = models.ForeignKey(
        "areas.Organisation",
        verbose_name=_("担い手の団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_actions",
    )
    owner_department = models.CharField(_("市の担当課"), max_length=100, blank=True)
    starts_on = models.DateField(_("開始日"), null=True, blank=True)
    ends_on = models.DateField(_("終了日"), null=True, blank=True)
    status = models.CharField(
        _("状況"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    meetings = models.ManyToManyField(
        "meetings.Meeting", verbose_name=_("関連するミーティング"), blank=True, related_name="+"
    )
    support_requests = models.ManyToManyField(
        "liaisons.SupportRequest", verbose_name=_("関連する支援依頼"), blank=True, related_name="+"
    )
    grant_applications = models.ManyToManyField(
        "grants.Application", verbose_name=_("関連する助成"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("取組")
        verbose_name_plural = _("取組")
        ordering = ["goal_id", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="action_period_ordered",
            )
        ]

    def __str__(self):
        return self.title

    def audit_label(self):
        return f"取組 #{self.pk}"

    @property
    def owner_label(self):
        if self.owner_kind == self.Owner.CITY:
            return self.owner_department or _("市")
        name = self.owner_organisation.name if self.owner_organisation_id else ""
        if self.owner_kind == self.Owner.JOINT:
            return f"{name}・{self.owner_department or _('市')}"
        return name
