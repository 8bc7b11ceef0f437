from django.contrib import admin
from django.db import models

from portal.admin import AuditedAdminMixin

from .models import Area, District, LocalIssue, Organisation, Representation, SdgGoal


class DistrictInline(admin.TabularInline):
    model = District
    extra = 0


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
    inlines = [DistrictInline]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "area", "machiaza_id"]
    list_filter = ["area"]
    search_fields = ["code", "name"]
    list_select_related = ["area"]


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Organisation records show their representatives and contacts."""

    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    list_display = ["name", "kind", "is_active", "approved_at"]
    list_filter = ["kind", "is_active", "areas"]
    search_fields = ["name", "name_kana"]
    filter_horizontal = ["areas"]
    readonly_fields = ["approved_at", "registered_by"]


@admin.register(Representation)
class RepresentationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Who represents which organisation, read-only: linking, approving and
    ending go through the staff pages (services with audit rows)."""

    list_display = ["organisation", "user", "position", "valid_from", "valid_until", "status"]
    list_filter = ["status", "position"]
    list_select_related = ["organisation", "user"]
    search_fields = ["organisation__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LocalIssue)
class LocalIssueAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "is_active"]
    filter_horizontal = ["sdg_goals"]


@admin.register(SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
