"""地域担当職員 (area liaison officers) and the support requests they take.

Tiers A–F come from the city's plan: A–C (labour, filing, office work) any
officer can do; D–F (running meetings, coordination, policy) need experience.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import private_storage


class Tier(models.TextChoices):
    A = "A", _("A 作業支援")
    B = "B", _("B 機能支援")
    C = "C", _("C 事務支援")
    D = "D", _("D 運営支援")
    E = "E", _("E 調整支援")
    F = "F", _("F 政策支援")


# D–F need "ある程度の職務経験・知識、人間力" (the plan's skill column).
EXPERIENCED_TIERS = frozenset({Tier.D, Tier.E, Tier.F})
SIMPLE_TIERS = frozenset({Tier.A, Tier.B, Tier.C})
TIER_EXAMPLES = {
    Tier.A: _("祭りなど行事の手伝い等"),
    Tier.B: _("役所への申請・届出代行等"),
    Tier.C: _("会計事務などの支援"),
    Tier.D: _("会議同席、ファシリテーション、公正な運営支援"),
    Tier.E: _("各種団体の補助金・助成及び関係機関の紹介等"),
    Tier.F: _("地域のビジョン策定や事業企画支援"),
}


class OfficerProfile(models.Model):
    """A member of city staff working as an area liaison officer."""

    class Experience(models.TextChoices):
        GENERAL = "general", _("一般（A〜C）")
        EXPERIENCED = "experienced", _("経験者（A〜F）")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("職員"),
        on_delete=models.PROTECT,
        related_name="liaison_profile",
    )
    department = models.CharField(_("所属"), max_length=100)
    experience = models.CharField(
        _("経験区分"), max_length=16, choices=Experience.choices, default=Experience.GENERAL
    )
    is_active = models.BooleanField(_("在任中"), default=True)
    created_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    class Meta:
        verbose_name = _("地域担当職員")
        verbose_name_plural = _("地域担当職員")
        ordering = ["user__full_name_kana", "user__email"]

    def __str__(self):
        return self.user.get_full_name()

    def audit_label(self):
        return f"地域担当職員 #{self.pk}"

    @property
    def is_experienced(self):
        return self.experience == self.Experience.EXPERIENCED

    def may_take(self, tier):
        return tier not in EXPERIENCED_TIERS or self.is_experienced


class AssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(valid_from__lte=on).filter(
            models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=on)
        )


class AreaAssignment(models.Model):
    """An officer assigned to an area, as its main or sub officer, for a period."""

    class Kind(models.TextChoices):
        MAIN = "main", _("主担当")
        SUB = "sub", _("副担当")

    officer = models.ForeignKey(
        OfficerProfile,
        verbose_name=_("地域担当職員"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("地域"),
        on_delete=models.PROTECT,
        related_name="officer_assignments",
    )
    kind = models.CharField(_("担当区分"), max_length=8, choices=Kind.choices, default=Kind.MAIN)
    valid_from = models.DateField(_("開始日"))
    valid_until = models.DateField(_("終了日"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("任命した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("担当地域")
        verbose_name_plural = _("担当地域")
        ordering = ["area__code", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="liaison_assignment_period_ordered",
            )
        ]
        indexes = [models.Index(fields=["area", "valid_from"], name="liaison_assignment_area")]

    def __str__(self):
        return f"{self.area} {self.get_kind_display()}"

    def audit_label(self):
        return f"地域担当職員 #{self.officer_id} の担当地域 #{self.pk}"

    def is_current(self, on=None):
        on = on or timezone.localdate()
        return self.valid_from <= on and (self.valid_until is None or self.valid_until >= on)


class LiaisonSettings(models.Model):
    """The city's settings for support requests (one row).

    The plan considers splitting A–C from D–F ("A～Cをする制度と、D～Fを行う
    制度を分けることも考えられる"): when `route_a_to_c_to` is set, A–C
    requests go to that intermediary support organisation (中間支援組織)
    instead of officers.
    """

    route_a_to_c_to = models.ForeignKey(
        "areas.Organisation",
        verbose_name=_("A〜Cの依頼を回付する中間支援組織"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("空欄のときは、A〜Cの依頼も地域担当職員が対応します。"),
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("地域担当職員制度の設定")
        verbose_name_plural = _("地域担当職員制度の設定")

    def __str__(self):
        return str(_("地域担当職員制度の設定"))

    def audit_label(self):
        return "地域担当職員制度の設定"

    @classmethod
    def current(cls):
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row


class SupportRequest(models.Model):
    """A request for help from an area organisation (支援依頼)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("受付")
        TRIAGED = "triaged", _("確認済")
        ASSIGNED = "assigned", _("担当決定")
        IN_PROGRESS = "in_progress", _("対応中")
        DONE = "done", _("完了")
        DECLINED = "declined", _("お断り")
        REFERRED = "referred", _("他部署へ引継ぎ")

    class Channel(models.TextChoices):
        ONLINE = "online", _("ポータル")
        PHONE = "phone", _("電話")
        WALK_IN = "walk_in", _("窓口")

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "areas.Organisation",
        verbose_name=_("団体"),
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    tier = models.CharField(_("支援の種類"), max_length=1, choices=Tier.choices)
    title = models.CharField(_("件名"), max_length=200)
    description = models.TextField(_("内容"), max_length=4000)
    desired_date = models.DateField(_("希望日"), null=True, blank=True)
    channel = models.CharField(
        _("受付方法"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    # Who asked: the representative at the time, or the person who phoned.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("依頼者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_requests",
    )
    representation = models.ForeignKey(
        "areas.Representation",
        verbose_name=_("依頼時の代表・担当"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Staff who keyed the request in after a phone call or a visit.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代理入力した職員"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contact_name = models.CharField(_("連絡先の氏名"), max_length=150, blank=True)
    contact_phone = models.CharField(_("連絡先電話番号"), max_length=30, blank=True)
    contact_email = models.EmailField(_("連絡先メールアドレス"), blank=True)

    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    # Bumped on every change: a form carries the version it showed, so a
    # second person acting on an old page is told instead of overwriting.
    version = models.PositiveIntegerField(default=1)
    assignee = models.ForeignKey(
        OfficerProfile,
        verbose_name=_("担当職員"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
    )
    routed_to = models.ForeignKey(
        "areas.Organisation",
        verbose_name=_("回付先の中間支援組織"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    referred_department = models.CharField(_("引継ぎ先の部署"), max_length=100, blank=True)
    decline_reason = models.TextField(_("お断りの理由"), blank=True, max_length=2000)
    hours = models.DecimalField(
        _("対応時間（時間）"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    outcome = models.TextField(_("対応結果"), blank=True, max_length=4000)
    rating = models.PositiveSmallIntegerField(
        _("評価"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    rating_comment = models.TextField(_("評価のコメント"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("受付日時"), default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(_("終了日時"), null=True, blank=True)

    audit_personal_data = True
    audit_sensitive_fields = frozenset(
        {"contact_name", "contact_phone", "contact_email", "description", "rating_comment"}
    )

    class Meta:
        verbose_name = _("支援依頼")
        verbose_name_plural = _("支援依頼")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["area", "submitted_at"], name="support_request_area"),
            # The request list's order.
            models.Index(fields=["submitted_at", "id"], name="support_request_submitted"),
            models.Index(fields=["assignee", "status"], name="support_request_assignee"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5),
                name="support_request_rating_1_to_5",
            )
        ]

    def __str__(self):
        return f"#{self.pk} {self.title}"

    def get_absolute_url(self):
        return reverse("liaisons:request", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"支援依頼 #{self.pk}"

    OPEN_STATES = ("submitted", "triaged", "assigned", "in_progress")
    WORKING_STATES = ("assigned", "in_progress")
    CLOSED_STATES = ("done", "declined", "referred")

    # For lists: get_FOO_display hashes every choice, lazy label and all (a
    # translation lookup each), on every call; the enum finds its member at once.
    @property
    def tier_label(self):
        return Tier(self.tier).label if self.tier in Tier.values else self.tier

    @property
    def status_label(self):
        return self.Status(self.status).label if self.status in self.Status.values else self.status

    @property
    def requester_status(self):
        """What the requester sees: 対応前 / 対応中 / 対応済."""
        if self.status in (self.Status.SUBMITTED, self.Status.TRIAGED):
            return _("対応前")
        if self.status in self.WORKING_STATES:
            return _("対応中")
        return _("対応済")

    @property
    def is_closed(self):
        return self.status in self.CLOSED_STATES

    @property
    def needs_experience(self):
        return self.tier in EXPERIENCED_TIERS


def attachment_path(attachment, filename):
    return f"liaisons/requests/{attachment.request_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(models.Model):
    """A file sent with a request: kept in private storage, served only
    through a checked view."""

    request = models.ForeignKey(
        SupportRequest,
        verbose_name=_("支援依頼"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("ファイル"), upload_to=attachment_path, storage=private_storage, max_length=300
    )
    original_name = models.CharField(_("ファイル名"), max_length=200)
    content_type = models.CharField(_("種類"), max_length=100)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録した人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("登録日時"), default=timezone.now)

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"original_name"})

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("liaisons:attachment", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"支援依頼 #{self.request_id} の添付ファイル #{self.pk}"


class Consultation(models.Model):
    """相談の一次受け: a walk-in or phone contact an officer logs quickly."""

    class Channel(models.TextChoices):
        WALK_IN = "walk_in", _("窓口")
        PHONE = "phone", _("電話")
        VISIT = "visit", _("訪問")
        EMAIL = "email", _("メール")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("その場で回答")
        REQUEST = "request", _("支援依頼として受付")
        REFERRED = "referred", _("他部署へ引継ぎ")
        FOLLOW_UP = "follow_up", _("継続対応")

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.ForeignKey(
        "areas.Organisation",
        verbose_name=_("団体"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(_("受付方法"), max_length=16, choices=Channel.choices)
    received_on = models.DateField(_("受付日"), default=timezone.localdate)
    topic = models.ForeignKey(
        "areas.LocalIssue",
        verbose_name=_("地域課題"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    summary = models.TextField(_("相談内容"), max_length=4000)
    outcome = models.CharField(_("対応"), max_length=16, choices=Outcome.choices)
    referred_department = models.CharField(_("引継ぎ先の部署"), max_length=100, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受けた職員"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"summary"})

    class Meta:
        verbose_name = _("相談記録")
        verbose_name_plural = _("相談記録")
        ordering = ["-received_on", "-id"]

    def __str__(self):
        return f"相談 #{self.pk}"

    def get_absolute_url(self):
        return reverse("liaisons:consultation", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"相談記録 #{self.pk}"
