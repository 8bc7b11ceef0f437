"""Area information: posts (お知らせ and 活動報告), their images, e-mail
subscriptions and the digest's delivery log, and printed 回覧板.

Imported into `areas.models`, so the tables belong to the areas app.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PostQuerySet(models.QuerySet):
    def live(self, now=None):
        """Published posts inside their publication window."""
        now = now or timezone.now()
        return self.filter(status=Post.Status.PUBLISHED, publish_at__lte=now).filter(
            models.Q(unpublish_at__isnull=True) | models.Q(unpublish_at__gt=now)
        )


class Post(models.Model):
    """A news item by the city or an activity report by an organisation.

    News (お知らせ) is written and published by coordinators, city-wide (no
    areas) or for chosen areas. An activity report (活動報告) is written by a
    representative of its organisation and published after a coordinator's
    review. `body` is the author's Markdown; `body_html` the sanitised HTML
    made from it by the service, the only form ever shown or printed.
    """

    class Kind(models.TextChoices):
        NEWS = "news", _("お知らせ")
        ACTIVITY = "activity", _("活動報告")

    class Status(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("確認待ち")
        RETURNED = "returned", _("差し戻し")
        PUBLISHED = "published", _("公開")
        UNPUBLISHED = "unpublished", _("公開停止")

    kind = models.CharField(_("種類"), max_length=16, choices=Kind.choices, db_index=True)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    title = models.CharField(_("題名"), max_length=200)
    body = models.TextField(_("本文"), max_length=20000)
    body_html = models.TextField(_("本文（表示用）"), blank=True, editable=False)
    # NFKC-normalised, lower-cased title and plain text of the body: the
    # column the trigram index covers (see the migration).
    search_text = models.TextField(blank=True, editable=False)
    organisation = models.ForeignKey(
        "areas.Organisation",
        verbose_name=_("団体"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
    )
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("対象地域"), blank=True, related_name="posts"
    )
    issues = models.ManyToManyField(
        "areas.LocalIssue", verbose_name=_("地域課題"), blank=True, related_name="posts"
    )
    sdg_goals = models.ManyToManyField(
        "areas.SdgGoal", verbose_name=_("SDGs"), blank=True, related_name="posts"
    )
    reply_prompt = models.CharField(
        _("回答のお願い"),
        max_length=300,
        blank=True,
        help_text=_("回覧板で回答欄を付けるとき、回答してほしいことを書きます。"),
    )
    publish_at = models.DateTimeField(_("公開開始"), null=True, blank=True)
    unpublish_at = models.DateTimeField(_("公開終了"), null=True, blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True, editable=False)
    review_comment = models.TextField(_("確認のコメント"), blank=True, max_length=2000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("投稿")
        verbose_name_plural = _("投稿")
        ordering = ["-publish_at", "-id"]
        indexes = [models.Index(fields=["status", "publish_at"], name="post_status_publish")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unpublish_at__isnull=True)
                | models.Q(publish_at__isnull=True)
                | models.Q(unpublish_at__gt=models.F("publish_at")),
                name="post_publication_window_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="activity") | models.Q(organisation__isnull=False),
                name="post_activity_has_organisation",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("areas:news:detail", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"投稿 #{self.pk}"

    def is_live(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= now
            and (self.unpublish_at is None or self.unpublish_at > now)
        )


def _image_name(instance, filename):
    # Unguessable names: a draft's image is not listed anywhere.
    return f"news/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.jpg"


def _thumbnail_name(instance, filename):
    return f"news/{timezone.now():%Y/%m}/{uuid.uuid4().hex}_t.jpg"


class PostImage(models.Model):
    """A photo of a post, re-encoded by the service (EXIF dropped) with a thumbnail.

    Stored in the default (MEDIA) storage: once the post is published its
    images are public, served by the web server like any static file."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        _("画像"), upload_to=_image_name, width_field="width", height_field="height"
    )
    thumbnail = models.ImageField(_("縮小画像"), upload_to=_thumbnail_name)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt = models.CharField(_("画像の説明（代替テキスト）"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("投稿の画像")
        verbose_name_plural = _("投稿の画像")
        ordering = ["id"]

    def __str__(self):
        return self.alt

    def audit_label(self):
        return f"投稿 #{self.post_id} の画像 #{self.pk}"


class Subscription(models.Model):
    """A resident's e-mail subscription to areas and issue tags.

    No areas and no issues means everything. By address alone it starts
    unconfirmed and is confirmed through a signed link (double opt-in)."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("毎日")
        WEEKLY = "weekly", _("毎週")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("メールアドレス"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("利用者"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="news_subscriptions",
    )
    areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("地域"), blank=True, related_name="+"
    )
    issues = models.ManyToManyField(
        "areas.LocalIssue", verbose_name=_("地域課題"), blank=True, related_name="+"
    )
    frequency = models.CharField(
        _("配信の頻度"), max_length=10, choices=Frequency.choices, default=Frequency.WEEKLY
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("解除日時"), null=True, blank=True)

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"email"})

    class Meta:
        verbose_name = _("メール配信の登録")
        verbose_name_plural = _("メール配信の登録")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email"], name="subscription_email")]

    def __str__(self):
        return f"メール配信の登録 #{self.pk}"

    def audit_label(self):
        return f"メール配信の登録 #{self.pk}"

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class DigestDelivery(models.Model):
    """One item sent to one subscription: the unique pair makes a retried
    digest task skip what it already sent."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    item_key = models.CharField(max_length=100)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("配信済みの項目")
        verbose_name_plural = _("配信済みの項目")
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "item_key"], name="digest_delivery_once"
            )
        ]

    def __str__(self):
        return self.item_key


class Circular(models.Model):
    """A printed 回覧板 for an area and a month: the chosen posts and
    meetings, and the households in circulation order (personal data)."""

    area = models.ForeignKey(
        "areas.Area", verbose_name=_("地域"), on_delete=models.CASCADE, related_name="circulars"
    )
    month = models.DateField(_("対象月"), help_text=_("月の初日"))
    title = models.CharField(_("題名"), max_length=200)
    issuer = models.CharField(_("発行者"), max_length=200)
    posts = models.ManyToManyField(Post, verbose_name=_("載せる投稿"), blank=True, related_name="+")
    # Snapshot of the chosen meetings (key, title, url, when, place) at the
    # time of making: the meetings app feeds the choice through a registry.
    meeting_items = models.JSONField(default=list, blank=True)
    households = models.TextField(
        _("回覧順の世帯"), blank=True, max_length=10000, help_text=_("1行に1世帯、回覧する順に。")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    audit_personal_data = True
    audit_sensitive_fields = frozenset({"households"})

    class Meta:
        verbose_name = _("回覧板")
        verbose_name_plural = _("回覧板")
        ordering = ["-month", "-id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("areas:news:circular", kwargs={"pk": self.pk})

    def audit_label(self):
        return f"回覧板 #{self.pk}"

    @property
    def household_list(self):
        return [line.strip() for line in self.households.splitlines() if line.strip()]
