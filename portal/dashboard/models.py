"""The plan's logic model (施策の論理構造): pillars, measures and their
indicators with a target and an actual per 年度, and optional targets of
one area.

Imported at the bottom of `portal.models`, so the tables belong to portal.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Pillar(models.Model):
    """基本施策: ① 参加・活動のきっかけづくり ② 地域課題への関心や共感の醸成
    ③ 多様な主体の協働関係の構築."""

    number = models.PositiveSmallIntegerField(_("番号"), unique=True)
    title = models.CharField(_("基本施策"), max_length=200)
    description = models.TextField(_("説明"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("基本施策")
        verbose_name_plural = _("基本施策")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def audit_label(self):
        return f"基本施策 {self.number}"


class Measure(models.Model):
    """施策の柱 of the plan's table (1-1 交流・活動の機会の創出 …)."""

    pillar = models.ForeignKey(
        Pillar, verbose_name=_("基本施策"), on_delete=models.CASCADE, related_name="measures"
    )
    code = models.CharField(_("番号"), max_length=10, unique=True)
    title = models.CharField(_("施策の柱"), max_length=200)
    contents = models.TextField(_("施策の内容"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("施策")
        verbose_name_plural = _("施策")
        ordering = ["pillar__number", "code"]

    def __str__(self):
        return f"{self.code} {self.title}"

    def audit_label(self):
        return f"施策 {self.code}"


class Indicator(models.Model):
    """An output or outcome indicator of a measure. With a `source` known to
    `portal.dashboard.indicators` the actual is computed from the records;
    otherwise (or while the source is not there yet) it is entered by hand."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("アウトプット")
        OUTCOME = "outcome", _("アウトカム")

    measure = models.ForeignKey(
        Measure, verbose_name=_("施策"), on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(_("指標"), max_length=200)
    kind = models.CharField(_("区分"), max_length=10, choices=Kind.choices)
    unit = models.CharField(_("単位"), max_length=20, blank=True)
    source = models.CharField(_("実績の出典"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("並び順"), default=0)

    class Meta:
        verbose_name = _("指標")
        verbose_name_plural = _("指標")
        ordering = ["measure__pillar__number", "measure__code", "order", "id"]

    def __str__(self):
        return self.name

    def audit_label(self):
        return f"指標 #{self.pk}"

    @property
    def is_rate(self):
        """A share in per cent (回答率, D〜F の割合): the unit is how the plan
        tells them from counts and amounts, which add up over the areas."""
        return self.unit.strip() in ("%", "％")


class IndicatorYear(models.Model):
    """Target and hand-entered actual of an indicator for one 年度."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指標"), on_delete=models.CASCADE, related_name="years"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1989), MaxValueValidator(2100)]
    )
    target = models.DecimalField(
        _("目標値"), max_digits=14, decimal_places=1, null=True, blank=True
    )
    actual = models.DecimalField(
        _("実績値（手入力）"), max_digits=14, decimal_places=1, null=True, blank=True
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("指標の年度値")
        verbose_name_plural = _("指標の年度値")
        ordering = ["indicator_id", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "fiscal_year"], name="indicator_year_unique"
            )
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.fiscal_year}"

    def audit_label(self):
        return f"指標 #{self.indicator_id} {self.fiscal_year}年度"


class AreaIndicatorTarget(models.Model):
    """An area's own target for an indicator in one 年度. Without one, an
    area's count is not measured against the city's target (the city's
    target is the sum over all areas, so the rate would mean nothing)."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指標"), on_delete=models.CASCADE, related_name="area_targets"
    )
    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.CASCADE, related_name="+"
    )
    fiscal_year = models.PositiveSmallIntegerField(
        _("年度"), validators=[MinValueValidator(1989), MaxValueValidator(2100)]
    )
    target = models.DecimalField(
        _("地域の目標値"), max_digits=14, decimal_places=1, validators=[MinValueValidator(0)]
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("地域の目標値")
        verbose_name_plural = _("地域の目標値")
        ordering = ["indicator_id", "area_id", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "fiscal_year"], name="area_indicator_target_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(target__gte=0), name="area_indicator_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.indicator_id} {self.area_id} {self.fiscal_year}"

    def audit_label(self):
        return f"指標 #{self.indicator_id} 地域 #{self.area_id} {self.fiscal_year}年度"
