# allauth's admin modules first, so their registrations can be replaced below
# (admin autodiscovery reaches portal before allauth).
import allauth.mfa.admin  # noqa: F401
from allauth.account.admin import EmailAddressAdmin
from allauth.account.decorators import secure_admin_login
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditLogEntry, RoleAssignment, StaffAuthenticator, User

admin.site.site_header = _("地域協働ポータル 管理サイト")
admin.site.site_title = _("地域協働ポータル")
# Sign-in goes through allauth only, so the admin site gets the same rate
# limits, e-mail verification and MFA as the rest of the portal.
admin.site.login = secure_admin_login(admin.site.login)


@admin.display(description=_("番号"), ordering="pk")
def record_number(obj):
    """The record's number, for lists (Django would head a bare "pk" "PK")."""
    return obj.pk


# Models of other packages that hold personal data (the system check in
# portal/checks.py insists their admin is audited too).
THIRD_PARTY_PERSONAL_DATA = {"account.emailaddress"}


def _strip_nul(text):
    # PostgreSQL refuses NUL in text: a search for it would be a 500.
    return text.replace("\x00", "")


class AuditedAdminMixin:
    """Every look at these records in the admin site (lists, searches,
    autocomplete answers, records opened) and every change or deletion is
    written to the audit log."""

    def _by(self, request):
        return audit.Actor.from_request(request, role="administrator")

    def _code(self, verb):
        return f"admin.{self.model._meta.label_lower}.{verb}"

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            audit.record(
                by=self._by(request),
                action=self._code("listed"),
                target=self.model,
                data={"search": bool(request.GET.get("q")), "filters": sorted(request.GET)},
            )
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        search_term = _strip_nul(search_term)
        if request.path.endswith("/autocomplete/"):
            audit.record(
                by=self._by(request),
                action=self._code("searched"),
                target=self.model,
                data={"autocomplete": True},
            )
        return super().get_search_results(request, queryset, search_term)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            audit.record(by=self._by(request), action=self._code("viewed"), target=obj)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        before = {}
        if change and obj.pk:
            old = type(obj)._default_manager.get(pk=obj.pk)
            before = {name: getattr(old, name, None) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        after = {name: getattr(obj, name, None) for name in form.changed_data}
        audit.record(
            by=self._by(request),
            action=self._code("updated" if change else "created"),
            target=obj,
            changes=audit.changes_between(before, after, model=type(obj)),
        )

    def delete_model(self, request, obj):
        audit.record(by=self._by(request), action=self._code("deleted"), target=obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit.record(by=self._by(request), action=self._code("deleted"), target=obj)
        super().delete_queryset(request, queryset)


class WorkflowAdminMixin:
    """A record that moves through a workflow (`portal.workflow`): the fields
    its transitions move are shown, never edited here (a move goes through
    its service, which checks it and writes the history row), and the record
    is never deleted here (its history and audit rows point at it).

    `workflow_fields` names those fields; `service_only` makes the whole
    record read-only (adding and changing it happen on the staff pages)."""

    workflow_fields = ()
    service_only = False

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), *self.workflow_fields]
        return list(dict.fromkeys(readonly))

    def has_add_permission(self, request, *args):
        return not self.service_only and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return not self.service_only and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


class RoleAssignmentInline(admin.TabularInline):
    """Roles are shown here and granted on the staff page (portal:roles),
    through the service that writes the audit row."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    can_delete = False
    fields = ["role", "granted_by", "granted_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    """Administrators manage accounts here; each look at or change of an
    account, each password set, is written to the audit log."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "date_joined"]
    list_filter = ["is_active", "role_assignments__role"]
    search_fields = ["email", "full_name", "full_name_kana"]
    autocomplete_fields = ["district"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("本人情報"), {"fields": ("full_name", "full_name_kana", "district")}),
        (_("状態"), {"fields": ("is_active",)}),
        (_("日時"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        # A successful change redirects; a shown or re-shown form does not.
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            audit.record(
                by=self._by(request),
                action="admin.portal.user.password_set",
                target=user,
                kind=AuditLogEntry.Kind.CHANGE,
            )
        return response


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "actor_email", "actor_role", "action", "target_repr"]
    list_filter = ["kind", "actor_role", "target_type"]
    search_fields = ["actor_email", "action", "target_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.unregister(EmailAddress)


@admin.register(EmailAddress)
class AuditedEmailAddressAdmin(AuditedAdminMixin, EmailAddressAdmin):
    pass


class AuthenticatorTypeFilter(admin.SimpleListFilter):
    title = _("種類")
    parameter_name = "type"

    def lookups(self, request, model_admin):
        return Authenticator.Type.choices

    def queryset(self, request, queryset):
        return queryset.filter(type=self.value()) if self.value() else queryset


# allauth's model has no translated names: its admin is the proxy's.
admin.site.unregister(Authenticator)


@admin.register(StaffAuthenticator)
class AuthenticatorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Which staff have set up TOTP, read-only: the secret is never shown
    and cannot be edited here (a person resets their own in their account)."""

    list_display = ["staff", "kind", "created", "last_used"]
    list_filter = [AuthenticatorTypeFilter]
    list_select_related = ["user"]
    fields = list_display
    readonly_fields = fields

    @admin.display(description=_("職員"), ordering="user__email")
    def staff(self, obj):
        return obj.user

    @admin.display(description=_("種類"), ordering="type")
    def kind(self, obj):
        return obj.get_type_display()

    @admin.display(description=_("登録日時"), ordering="created_at")
    def created(self, obj):
        return obj.created_at

    @admin.display(description=_("最後に使った日時"), ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
