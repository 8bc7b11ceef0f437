import uuid

from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person acts as. A user holds any number of the assignable roles
    (RoleAssignment); everyone signed in is a resident, and acting for an
    organisation follows from a dated Representation, not from a role."""

    RESIDENT = "resident", _("住民")
    REPRESENTATIVE = "representative", _("団体代表")
    LIAISON_OFFICER = "liaison_officer", _("地域担当職員")
    COORDINATOR = "coordinator", _("コーディネーター")
    REVIEWER = "reviewer", _("審査員")
    ADMINISTRATOR = "administrator", _("管理者")


# Roles an administrator can grant; the other two follow from the account and
# from Representation records.
ASSIGNABLE_ROLES = (Role.LIAISON_OFFICER, Role.COORDINATOR, Role.REVIEWER, Role.ADMINISTRATOR)


def private_storage():
    """Uploads that only the portal reads (import files, attachments): stored
    outside MEDIA_ROOT's public URL and served only through checked views."""
    from django.core.files.storage import storages

    return storages["private"]


# Roles held by city staff (as opposed to residents and their organisations).
STAFF_ROLES = frozenset({Role.LIAISON_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR})
# Roles whose pages show residents' personal data; they must use MFA when
# settings.REQUIRE_STAFF_MFA is on.
PERSONAL_DATA_ROLES = frozenset({Role.LIAISON_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR})
# Roles that see personal data only once something is given to them (a
# reviewer once assigned an application): role → test(user), added by the
# app that gives it (see register_personal_data_access).
PERSONAL_DATA_ACCESS = {}


def register_personal_data_access(role, test):
    """`test(user)` tells whether a holder of `role` can now see personal data."""
    PERSONAL_DATA_ACCESS[role] = test


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_superuser"] = True
        user = self._create_user(email, password, **extra_fields)
        RoleAssignment.objects.get_or_create(user=user, role=Role.ADMINISTRATOR)
        return user


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a resident, a representative or city staff.

    The e-mail address is the login. Access in the portal follows the roles
    assigned (RoleAssignment) and the organisations represented
    (areas.Representation); Django's admin site is for administrators only
    (`is_staff` follows the administrator role).
    """

    email = models.EmailField(_("メールアドレス"), unique=True)
    full_name = models.CharField(_("氏名"), max_length=150, blank=True)
    full_name_kana = models.CharField(_("氏名（カナ）"), max_length=150, blank=True)
    district = models.ForeignKey(
        "areas.District",
        verbose_name=_("お住まいの町丁目"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="residents",
        help_text=_("お住まいの地域のお知らせやミーティングをご案内するために使います。"),
    )
    is_active = models.BooleanField(_("有効"), default=True)
    is_staff = models.BooleanField(_("管理サイトを利用できる"), default=False, editable=False)
    date_joined = models.DateTimeField(_("登録日時"), default=timezone.now)

    objects = UserManager()

    # Personal data: audited admin, and these values never enter the log.
    audit_personal_data = True
    audit_sensitive_fields = frozenset(
        {"email", "full_name", "full_name_kana", "district", "password"}
    )

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def audit_label(self):
        # The audit log outlives names (a purge, a deletion): never the name.
        return f"利用者 #{self.pk}"

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    @property
    def roles(self):
        """The assigned roles, read once per request (the user object is per request)."""
        if not self.pk:
            return frozenset()
        cached = getattr(self, "_roles_cache", None)
        if cached is None:
            cached = frozenset(
                Role(value) for value in self.role_assignments.values_list("role", flat=True)
            )
            self._roles_cache = cached
        return cached

    def forget_roles(self):
        self._roles_cache = None

    def has_role(self, *roles):
        return bool(self.roles.intersection(roles))

    @property
    def represents_an_organisation(self):
        """Whether the user represents some organisation today: asked once a
        request (the header, the navigation and the rules all ask)."""
        from areas.models import Representation

        from .permissions import memoised

        # Read with the user for this request (portal/auth_backends.py).
        known = getattr(self, "_represents_cache", None)
        if known is not None:
            return known
        return memoised(
            ("represents_any", self.pk),
            lambda: Representation.objects.current().filter(user=self).exists(),
        )

    @property
    def role_labels(self):
        """What the header shows: the roles held, and 団体代表 while representing."""
        held = [role for role in Role if role in self.roles]
        if self.pk and self.represents_an_organisation:
            held.append(Role.REPRESENTATIVE)
        return "・".join(str(role.label) for role in held) or str(Role.RESIDENT.label)

    @property
    def is_city_staff(self):
        return bool(self.roles & STAFF_ROLES)

    @property
    def handles_personal_data(self):
        """Whether the person's pages show others' personal data (MFA and the
        shorter idle timeout apply): staff roles, and a role of
        PERSONAL_DATA_ACCESS once its test says so."""
        roles = self.roles
        if roles & PERSONAL_DATA_ROLES:
            return True
        return any(role in roles and test(self) for role, test in PERSONAL_DATA_ACCESS.items())

    def has_perm(self, perm, obj=None):
        # Administrators manage everything in the admin site through their role.
        if self.is_active and Role.ADMINISTRATOR in self.roles:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and Role.ADMINISTRATOR in self.roles:
            return True
        return super().has_module_perms(app_label)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email


class RoleAssignment(models.Model):
    """One role held by one user. A table rather than Django groups: roles are a
    fixed list the code decides on (rules name them), the audit log records the
    role acted under, and each grant keeps who gave it and when."""

    user = models.ForeignKey(
        User, verbose_name=_("利用者"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(
        _("役割"),
        max_length=32,
        choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES],
    )
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("付与した人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("付与日時"), default=timezone.now)

    class Meta:
        verbose_name = _("役割の付与")
        verbose_name_plural = _("役割の付与")
        ordering = ["user_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="role_assignment_unique")
        ]
        indexes = [models.Index(fields=["role"], name="role_assignment_role")]

    def __str__(self):
        return f"{self.user_id}: {self.get_role_display()}"

    def audit_label(self):
        return f"利用者 #{self.user_id} の役割（{self.get_role_display()}）"


class AuditLogEntry(models.Model):
    """One access to personal data or one business action: who, acting as
    what, when, what, from where.

    Written by services in the same transaction as the work it records, and
    never changed afterwards: the database refuses UPDATE and DELETE on the
    table (migration 0002). It holds no personal data itself: targets are
    named by a per-model label, sensitive field values are masked and paths
    carry no query string.
    """

    class Kind(models.TextChoices):
        VIEW = "view", _("閲覧")
        EXPORT = "export", _("出力")
        IMPORT = "import", _("取込")
        CREATE = "create", _("作成")
        CHANGE = "change", _("変更")
        DELETE = "delete", _("削除")
        PURGE = "purge", _("消去")

    # Kept for callers that name the kind directly.
    Action = Kind

    created_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    # No database constraint and no cascade: deleting an account must not
    # touch its audit rows, which the database keeps unchangeable.
    actor = models.ForeignKey(
        User,
        verbose_name=_("操作者"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    # Kept as text too, so the entry still says who it was after the account goes.
    actor_email = models.CharField(_("操作者のメールアドレス"), max_length=254, blank=True)
    actor_role = models.CharField(
        _("操作者の役割"), max_length=32, blank=True, choices=Role.choices
    )
    # A dotted code such as `areas.organisation.updated`.
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    kind = models.CharField(
        _("操作の種類"), max_length=16, choices=Kind.choices, default=Kind.CHANGE
    )
    target_type = models.CharField(_("対象の種類"), max_length=100)
    target_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    target_repr = models.CharField(_("対象"), max_length=255, blank=True)
    purpose = models.CharField(_("目的・根拠"), max_length=255, blank=True)
    data = models.JSONField(_("詳細"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IPアドレス"), null=True, blank=True)
    user_agent = models.CharField(_("ブラウザ"), max_length=255, blank=True)
    request_path = models.CharField(_("URL"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("監査ログ")
        verbose_name_plural = _("監査ログ")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["actor", "-created_at"], name="audit_actor_created"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            models.Index(fields=["kind", "-created_at"], name="audit_kind_created"),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.target_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit log entries are never changed.")
        super().save(*args, **kwargs)

    def audit_label(self):
        return f"監査ログ #{self.pk}"


class StateChange(models.Model):
    """One move of a workflow object from one state to another (history).

    Every app's status fields move through `portal.workflow.transition`, which
    writes one of these and an audit row in the same transaction.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("項目"), max_length=50, default="status")
    from_state = models.CharField(_("変更前"), max_length=50, blank=True)
    to_state = models.CharField(_("変更後"), max_length=50)
    by = models.ForeignKey(
        User,
        verbose_name=_("操作者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    by_role = models.CharField(_("役割"), max_length=32, blank=True, choices=Role.choices)
    note = models.TextField(_("コメント"), blank=True)
    created_at = models.DateTimeField(_("日時"), default=timezone.now)

    class Meta:
        verbose_name = _("状態の変更履歴")
        verbose_name_plural = _("状態の変更履歴")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "created_at"], name="state_change_target"
            )
        ]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


def job_upload_path(job, filename):
    return f"jobs/{job.public_id}/{filename}"


class Job(models.Model):
    """A long import or export that runs in a celery task and reports progress.

    The upload is kept in private storage (never under MEDIA_URL) until the
    job has run; the page `portal:job` polls the row, not the task, so it works
    with any number of web and worker containers.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待機中")
        RUNNING = "running", _("実行中")
        SUCCEEDED = "succeeded", _("完了")
        FAILED = "failed", _("失敗")

    public_id = models.UUIDField(_("ジョブ番号"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("種類"), max_length=80)
    title = models.CharField(_("件名"), max_length=200)
    status = models.CharField(
        _("状態"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("依頼者"), on_delete=models.SET_NULL, null=True, related_name="jobs"
    )
    created_by_role = models.CharField(_("役割"), max_length=32, blank=True, choices=Role.choices)
    created_at = models.DateTimeField(_("依頼日時"), default=timezone.now)
    started_at = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    upload = models.FileField(
        _("ファイル"),
        upload_to=job_upload_path,
        storage=private_storage,
        blank=True,
        max_length=300,
    )
    upload_name = models.CharField(_("ファイル名"), max_length=255, blank=True)
    params = models.JSONField(_("条件"), default=dict, blank=True)
    done = models.PositiveIntegerField(_("処理済み"), default=0)
    total = models.PositiveIntegerField(_("全体"), null=True, blank=True)
    result = models.JSONField(_("結果"), default=dict, blank=True)
    # The first rows' errors (capped), each {"line", "column", "reason"}.
    errors = models.JSONField(_("エラー"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("エラー件数"), default=0)
    message = models.TextField(_("メッセージ"), blank=True)
    # Where the page sends the user once the job succeeded.
    success_url = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("ジョブ")
        verbose_name_plural = _("ジョブ")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_by", "-created_at"], name="job_owner_created")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:job", kwargs={"public_id": self.public_id})

    def audit_label(self):
        return f"ジョブ {self.public_id}"

    @property
    def finished(self):
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED)

    @property
    def percent(self):
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))


class StaffAuthenticator(Authenticator):
    """allauth's authenticator under Japanese names for the admin site (its
    own model has no translated names; its table and rows are unchanged)."""

    audit_personal_data = True

    class Meta:
        proxy = True
        verbose_name = _("認証アプリ")
        verbose_name_plural = _("認証アプリ")


from .dashboard.models import (  # noqa: E402, F401
    AreaIndicatorTarget,
    Indicator,
    IndicatorYear,
    Measure,
    Pillar,
)
