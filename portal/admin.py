from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import audit
from .models import AuditLogEntry, User

admin.site.site_header = _("地域協働ポータル 管理サイト")
admin.site.site_title = _("地域協働ポータル")
# Sign-in goes through allauth only, so the admin site gets the same rate
# limits, e-mail verification and MFA as the rest of the portal.
admin.site.login = secure_admin_login(admin.site.login)


class AuditedAdminMixin:
    """Writes every look at these records in the admin site to the audit log:
    the list (with its search) and each record opened."""

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET":
            audit.record_access(
                actor=request.user,
                action=AuditLogEntry.Action.VIEW,
                target=self.model,
                request=request,
                data={"query": request.GET.dict()},
            )
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None and request.method == "GET":
            audit.record_access(
                actor=request.user, action=AuditLogEntry.Action.VIEW, target=obj, request=request
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
    """Administrators manage accounts and roles here; each look at or change
    of an account is written to the audit log."""

    ordering = ["email"]
    list_display = ["email", "full_name", "role", "is_active", "date_joined"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "full_name", "full_name_kana"]
    autocomplete_fields = ["district"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("本人情報"), {"fields": ("full_name", "full_name_kana", "district")}),
        (_("役割と状態"), {"fields": ("role", "is_active", "is_superuser")}),
        (_("日時"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "role", "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = {name: str(form.cleaned_data.get(name)) for name in form.changed_data}
        changed.pop("password", None)
        audit.record_access(
            actor=request.user,
            action=AuditLogEntry.Action.CHANGE if change else AuditLogEntry.Action.CREATE,
            target=obj,
            request=request,
            data={"changed": changed},
        )


@admin.register(AuditLogEntry)
class AuditLogEntryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [
        "created_at",
        "actor_email",
        "action",
        "target_type",
        "target_repr",
        "ip_address",
    ]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_email", "target_repr", "target_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
