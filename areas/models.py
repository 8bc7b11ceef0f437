from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
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
    description = models.TextField(_("活動内容"), blank=True, max_length=4000)
    website = models.URLField(_("ウェブサイト"), blank=True)
    # The organisation's own contact point: shown to staff only.
    contact_email = models.EmailField(_("連絡先メールアドレス"), blank=True)
    contact_phone = models.CharField(_("連絡先電話番号"), max_length=30, blank=True)
    is_active = models.BooleanField(_("活動中"), default=True)
    # Organisations registered by a resident wait for staff approval; until
    # then they are not in the public directory.
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録申請者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    # Contacts are personal data of the people behind them.
    audit_personal_data = True
    audit_sensitive_fields = frozenset({"contact_email", "contact_phone"})

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

    def audit_label(self):
        return f"団体「{self.name}」"

    @property
    def is_approved(self):
        return self.approved_at is not None


class RepresentationQuerySet(models.QuerySet):
    def current(self, on=None):
        """Approved representations whose period includes `on` (default today)."""
        on = on or timezone.localdate()
        return self.filter(
            status=Representation.Status.APPROVED,
            valid_from__lte=on,
        ).filter(models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on))


class Representation(models.Model):
    """A person acting for an organisation in a position, for a period.

    自治会 officers rotate yearly, so representing is dated: grants and
    requests ask who represented the organisation at the time, and access
    ends with the period. A resident applies; staff approve (or staff link a
    representative directly, approved at once).
    """

    class Position(models.TextChoices):
        CHAIR = "chair", _("会長・代表")
        VICE_CHAIR = "vice_chair", _("副会長")
        TREASURER = "treasurer", _("会計")
        SECRETARY = "secretary", _("事務局")
        CONTACT = "contact", _("担当")

    class Status(models.TextChoices):
        APPLIED = "applied", _("申請中")
        APPROVED = "approved", _("承認済み")
        REJECTED = "rejected", _("却下")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.CASCADE,
        related_name="representations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("団体"),
        on_delete=models.CASCADE,
        related_name="representations",
    )
    position = models.CharField(
        _("役職"), max_length=20, choices=Position.choices, default=Position.CONTACT
    )
    valid_from = models.DateField(_("開始日"))
    valid_until = models.DateField(_("終了日"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    note = models.TextField(_("申請の補足"), blank=True, max_length=2000)
    applied_at = models.DateTimeField(_("申請日時"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承認者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("承認日時"), null=True, blank=True)

    objects = RepresentationQuerySet.as_manager()

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"note"})

    class Meta:
        verbose_name = _("団体の代表・担当")
        verbose_name_plural = _("団体の代表・担当")
        ordering = ["organisation_id", "-valid_from", "id"]
        indexes = [
            models.Index(fields=["user", "status"], name="representation_user_status"),
            models.Index(fields=["organisation", "status"], name="representation_org_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="representation_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.get_position_display()}"

    def audit_label(self):
        return f"団体 #{self.organisation_id} の代表・担当 #{self.pk}"

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return (
            self.status == self.Status.APPROVED
            and self.valid_from <= on
            and (self.valid_until is None or self.valid_until >= on)
        )


from .facilities import Facility  # noqa: E402, F401
from .karte.models import Action, Goal, KarteFigures, KarteIssue, Offer, Vision  # noqa: E402, F401
from .news.models import Circular, DigestDelivery, Post, PostImage, Subscription  # noqa: E402, F401
