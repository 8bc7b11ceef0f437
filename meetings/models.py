"""Area meetings (エリアミーティング), their registrations, and what came out of them.

Seats are guarded by the meeting row: services lock it and recount the
confirmed registrations under the lock (`Meeting.confirmed_seats` is only a
display cache, refreshed by the same services).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from areas.models import Area, LocalIssue


class MeetingSeries(models.Model):
    """Meetings of one area that belong together (MTG①②③), reported as one funnel."""

    area = models.ForeignKey(
        Area, verbose_name=_("地域"), on_delete=models.PROTECT, related_name="meeting_series"
    )
    title = models.CharField(_("シリーズ名"), max_length=200)
    description = models.TextField(_("説明"), blank=True)
    # Figures from paper (the invitation letters and survey answers) until the
    # survey work provides them; empty means unknown, never zero.
    sampled_count = models.PositiveIntegerField(_("案内を送った人数"), null=True, blank=True)
    answered_count = models.PositiveIntegerField(_("調査に回答した人数"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("ミーティングのシリーズ")
        verbose_name_plural = _("ミーティングのシリーズ")
        ordering = ["area__code", "title"]

    def __str__(self):
        return self.title

    def audit_label(self):
        return f"ミーティングシリーズ #{self.pk}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        AREA_MEETING = "area_meeting", _("エリアミーティング")
        WORKSHOP = "workshop", _("ワークショップ")
        COURSE = "course", _("人材養成講座")
        FORUM = "forum", _("協議体")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        OPEN = "open", _("受付中")
        CLOSED = "closed", _("受付終了")
        HELD = "held", _("開催済み")
        CANCELLED = "cancelled", _("中止")

    # Residents see every status but drafts.
    PUBLISHED = (Status.OPEN, Status.CLOSED, Status.HELD, Status.CANCELLED)

    area = models.ForeignKey(
        Area, verbose_name=_("地域"), on_delete=models.PROTECT, related_name="meetings"
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("シリーズ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(
        _("種類"), max_length=20, choices=Kind.choices, default=Kind.AREA_MEETING, db_index=True
    )
    theme_issue = models.ForeignKey(
        LocalIssue,
        verbose_name=_("テーマ（地域課題）"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    theme_text = models.CharField(_("テーマ（自由記述）"), max_length=200, blank=True)
    description = models.TextField(_("内容"), blank=True, max_length=4000)
    starts_at = models.DateTimeField(_("開始日時"), db_index=True)
    ends_at = models.DateTimeField(_("終了日時"))
    venue_name = models.CharField(_("会場"), max_length=200, blank=True)
    venue_address = models.CharField(_("会場の住所"), max_length=300, blank=True)
    online_url = models.URLField(_("オンライン参加のURL"), blank=True)
    capacity = models.PositiveIntegerField(_("定員"), validators=[MinValueValidator(1)])
    registration_opens_at = models.DateTimeField(_("申込開始日時"))
    registration_closes_at = models.DateTimeField(_("申込締切日時"))
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("進行役（地域担当職員）"),
        blank=True,
        related_name="facilitated_meetings",
    )
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    contact = models.CharField(_("問い合わせ先"), max_length=200, blank=True)
    contact_phone = models.CharField(_("問い合わせ先電話番号"), max_length=30, blank=True)
    # Display cache of confirmed seats (party sizes); the truth is the rows.
    confirmed_seats = models.PositiveIntegerField(_("確定した席数"), default=0)
    minutes = models.TextField(_("記録（議事録）"), blank=True, max_length=20000)
    minutes_updated_at = models.DateTimeField(_("記録の更新日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("ミーティング")
        verbose_name_plural = _("ミーティング")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="meeting_registration_window_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"ミーティング #{self.pk}"

    def clean(self):
        # Any form that saves a meeting is refused a capacity below the seats
        # already confirmed; `change_capacity` checks the same under the lock.
        if self.pk and self.capacity is not None:
            taken = (
                self.registrations.filter(status=Registration.Status.CONFIRMED).aggregate(
                    n=models.Sum("party_size")
                )["n"]
                or 0
            )
            if self.capacity < taken:
                raise ValidationError(
                    {
                        "capacity": _(
                            "参加が確定している %(taken)d 人より少ない定員にはできません。"
                        )
                        % {"taken": taken}
                    }
                )

    @property
    def theme(self):
        return self.theme_text or (self.theme_issue.title if self.theme_issue_id else "")

    @property
    def seats_left(self):
        return max(self.capacity - self.confirmed_seats, 0)

    @property
    def is_hybrid(self):
        return bool(self.online_url and (self.venue_name or self.venue_address))

    @property
    def is_published(self):
        return self.status in self.PUBLISHED


class Registration(models.Model):
    """One person's registration (with companions) for a meeting.

    Personal data: the participant list is audited when staff view or export
    it, and the needs and comment are masked in audit changes.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("参加確定")
        WAITING = "waiting", _("キャンセル待ち")
        CANCELLED = "cancelled", _("取消し")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("会場で参加")
        ONLINE = "online", _("オンラインで参加")

    class Source(models.TextChoices):
        ACCOUNT = "account", _("ログインして申込み")
        INVITATION = "invitation", _("案内状の招待コード")
        WALK_IN = "walk_in", _("当日参加")
        STAFF = "staff", _("職員が受付")

    ACTIVE = (Status.CONFIRMED, Status.WAITING)

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("ミーティング"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_registrations",
    )
    name = models.CharField(_("氏名"), max_length=150)
    name_kana = models.CharField(_("氏名（カナ）"), max_length=150, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    # Staff taking a registration by telephone (or from a volunteer's slip).
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    party_size = models.PositiveSmallIntegerField(
        _("人数（本人を含む）"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    accessibility_needs = models.TextField(_("配慮が必要なこと"), blank=True, max_length=1000)
    childcare_requested = models.BooleanField(_("保育を希望する"), default=False)
    childcare_children = models.PositiveSmallIntegerField(
        _("保育を希望する子どもの人数"), default=0
    )
    mode = models.CharField(
        _("参加方法"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON
    )
    comment = models.TextField(_("ひとこと"), blank=True, max_length=1000)
    # From a survey letter: a keyed hash of its code (services.registration.
    # invitation_reference), never the code, which would answer the survey.
    invitation_ref = models.CharField(
        _("案内状の照合値"), max_length=64, blank=True, db_index=True, editable=False
    )
    source = models.CharField(
        _("申込みの経路"), max_length=16, choices=Source.choices, default=Source.ACCOUNT
    )
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.CONFIRMED, db_index=True
    )
    created_at = models.DateTimeField(_("申込日時"), auto_now_add=True)
    # The waiting list's order: first come, first promoted.
    waiting_since = models.DateTimeField(_("キャンセル待ちの開始日時"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("確定日時"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消日時"), null=True, blank=True)
    attended_at = models.DateTimeField(_("出席確認日時"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受付した職員"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # One flag per mail: a retried task mails nobody twice.
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    waiting_notice_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    promotion_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancellation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    audit_personal_data = True
    audit_sensitive_fields = frozenset(
        {
            "name",
            "name_kana",
            "email",
            "phone",
            "accessibility_needs",
            "childcare_requested",
            "childcare_children",
            "comment",
            "invitation_ref",
        }
    )

    class Meta:
        verbose_name = _("参加申込み")
        verbose_name_plural = _("参加申込み")
        ordering = ["meeting_id", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(status__in=["confirmed", "waiting"], user__isnull=False),
                name="registration_one_active_per_user",
            ),
            models.UniqueConstraint(
                fields=["meeting", "invitation_ref"],
                condition=models.Q(status__in=["confirmed", "waiting"])
                & ~models.Q(invitation_ref=""),
                name="registration_one_active_per_invitation",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status"], name="registration_meeting_status")]

    def __str__(self):
        return f"{self.meeting} / {self.pk}"

    def audit_label(self):
        return f"参加申込み #{self.pk}"

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class Idea(models.Model):
    """An idea or issue raised at a meeting; may be pushed to the area karte."""

    class Kind(models.TextChoices):
        IDEA = "idea", _("アイデア")
        ISSUE = "issue", _("課題")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("ミーティング"), on_delete=models.CASCADE, related_name="ideas"
    )
    kind = models.CharField(_("種類"), max_length=10, choices=Kind.choices, default=Kind.IDEA)
    text = models.TextField(_("内容"), max_length=2000)
    issue = models.ForeignKey(
        LocalIssue,
        verbose_name=_("地域課題"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meeting_ideas",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    pushed_to_karte_at = models.DateTimeField(_("カルテへの反映日時"), null=True, blank=True)
    pushed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("出された意見")
        verbose_name_plural = _("出された意見")
        ordering = ["meeting_id", "pk"]

    def __str__(self):
        return self.text[:40]

    def audit_label(self):
        return f"ミーティングの意見 #{self.pk}"


class Feedback(models.Model):
    """A participant's short feedback, with the officer support (A–F) the area wants."""

    SUPPORT_TIERS = [
        ("A", _("A 作業支援")),
        ("B", _("B 機能支援")),
        ("C", _("C 事務支援")),
        ("D", _("D 運営支援")),
        ("E", _("E 調整支援")),
        ("F", _("F 政策支援")),
    ]

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="feedback"
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("満足度"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    support_wanted = models.JSONField(_("地域担当職員に望む支援"), default=list, blank=True)
    comment = models.TextField(_("ご意見"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"comment"})

    class Meta:
        verbose_name = _("参加者アンケート")
        verbose_name_plural = _("参加者アンケート")

    def __str__(self):
        return f"#{self.pk}"

    def audit_label(self):
        return f"参加者アンケート #{self.pk}"
