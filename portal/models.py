from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("住民")
    REPRESENTATIVE = "representative", _("団体代表")
    LIAISON_OFFICER = "liaison_officer", _("地域担当職員")
    COORDINATOR = "coordinator", _("コーディネーター")
    REVIEWER = "reviewer", _("審査員")
    ADMINISTRATOR = "administrator", _("管理者")


# Roles held by city staff (as opposed to residents and their organisations).
STAFF_ROLES = frozenset({Role.LIAISON_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR})
# Roles whose pages show residents' personal data; they must use MFA when
# settings.REQUIRE_STAFF_MFA is on.
PERSONAL_DATA_ROLES = frozenset({Role.LIAISON_OFFICER, Role.COORDINATOR, Role.ADMINISTRATOR})


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
        extra_fields.setdefault("role", Role.ADMINISTRATOR)
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a resident, a representative or city staff.

    The e-mail address is the login. Access in the portal follows `role`;
    Django's admin site is for administrators only (`is_staff` follows the role).
    """

    email = models.EmailField(_("メールアドレス"), unique=True)
    full_name = models.CharField(_("氏名"), max_length=150, blank=True)
    full_name_kana = models.CharField(_("氏名（カナ）"), max_length=150, blank=True)
    role = models.CharField(
        _("役割"), max_length=32, choices=Role.choices, default=Role.RESIDENT, db_index=True
    )
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

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("利用者")
        verbose_name_plural = _("利用者")
        ordering = ["email"]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        self.is_staff = self.is_superuser or self.role == Role.ADMINISTRATOR
        super().save(*args, **kwargs)

    @property
    def is_city_staff(self):
        return self.role in STAFF_ROLES

    @property
    def handles_personal_data(self):
        return self.role in PERSONAL_DATA_ROLES

    def has_perm(self, perm, obj=None):
        # Administrators manage everything in the admin site through their role.
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if self.is_active and self.role == Role.ADMINISTRATOR:
            return True
        return super().has_module_perms(app_label)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name or self.email


class AuditLogEntry(models.Model):
    """One access to personal data: who, when, what, from where.

    Written in the same transaction as the business action it records and
    never changed afterwards.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("閲覧")
        EXPORT = "export", _("出力")
        IMPORT = "import", _("取込")
        CREATE = "create", _("作成")
        CHANGE = "change", _("変更")
        DELETE = "delete", _("削除")
        PURGE = "purge", _("消去")

    created_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("操作者"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    # Kept as text too, so the entry still says who it was after the account goes.
    actor_email = models.CharField(_("操作者のメールアドレス"), max_length=254, blank=True)
    actor_role = models.CharField(_("操作者の役割"), max_length=32, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
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
            models.Index(fields=["action", "-created_at"], name="audit_action_created"),
        ]

    def __str__(self):
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action} {self.target_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Audit log entries are never changed.")
        super().save(*args, **kwargs)
