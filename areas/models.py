from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[A-Za-z0-9_-]+$", _("コードは半角英数字・ハイフン・アンダースコアで入力してください。")
)


class Area(models.Model):
    """A community area (地域) of the city, made of districts."""

    code = models.CharField(
        _("地域コード"), max_length=20, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("地域名"), max_length=100)
    description = models.TextField(_("紹介"), blank=True)

    class Meta:
        verbose_name = _("地域")
        verbose_name_plural = _("地域")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("areas:detail", kwargs={"code": self.code})


class District(models.Model):
    """A 町丁目; residents belong to an area through the district they live in."""

    area = models.ForeignKey(
        Area, verbose_name=_("地域"), on_delete=models.PROTECT, related_name="districts"
    )
    code = models.CharField(
        _("町丁目コード"), max_length=20, unique=True, validators=[code_validator]
    )
    name = models.CharField(_("町丁目名"), max_length=100)
    # The Address Base Registry's 町字ID, where the city has it.
    machiaza_id = models.CharField(
        _("町字ID"),
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", _("町字IDは7桁の数字です。"))],
    )

    class Meta:
        verbose_name = _("町丁目")
        verbose_name_plural = _("町丁目")
        ordering = ["code"]

    def __str__(self):
        return self.name


class SdgGoal(models.Model):
    number = models.PositiveSmallIntegerField(
        _("番号"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("SDGsの目標")
        verbose_name_plural = _("SDGsの目標")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"


class LocalIssue(models.Model):
    """An entry of the shared catalogue of local issues (地域課題).

    Surveys, the area karte, meeting themes and grant categories all refer to
    this catalogue, so an issue is retired (`is_active`) rather than deleted.
    """

    number = models.PositiveSmallIntegerField(_("番号"), unique=True)
    title = models.CharField(_("課題"), max_length=200, unique=True)
    description = models.TextField(_("説明"), blank=True)
    sdg_goals = models.ManyToManyField(
        SdgGoal, verbose_name=_("関連するSDGs"), blank=True, related_name="local_issues"
    )
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("地域課題")
        verbose_name_plural = _("地域課題")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Organisation(models.Model):
    """An area organisation or stakeholder (地域団体, 産官学民)."""

    class Kind(models.TextChoices):
        JICHIKAI = "jichikai", _("自治会")
        CHONAIKAI = "chonaikai", _("町内会")
        NPO = "npo", _("NPO")
        SHAKYO = "shakyo", _("社会福祉協議会")
        UNIVERSITY = "university", _("大学")
        COMPANY = "company", _("企業")
        OTHER = "other", _("その他")

    name = models.CharField(_("団体名"), max_length=200)
    name_kana = models.CharField(_("団体名（カナ）"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices, db_index=True)
    areas = models.ManyToManyField(
        Area, verbose_name=_("活動地域"), related_name="organisations", blank=True
    )
    description = models.TextField(_("活動内容"), blank=True)
    website = models.URLField(_("ウェブサイト"), blank=True)
    # The organisation's own contact point: shown to staff only.
    contact_email = models.EmailField(_("連絡先メールアドレス"), blank=True)
    contact_phone = models.CharField(_("連絡先電話番号"), max_length=30, blank=True)
    representatives = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代表者・担当者"),
        related_name="organisations",
        blank=True,
    )
    is_active = models.BooleanField(_("活動中"), default=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("団体")
        verbose_name_plural = _("団体")
        ordering = ["name_kana", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "kind"], name="organisation_unique_name_kind")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("areas:organisation", kwargs={"pk": self.pk})
