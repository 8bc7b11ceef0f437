from django.contrib import admin
from django.db import models

from portal.admin import AuditedAdminMixin

from .models import Area, District, LocalIssue, Organisation, SdgGoal
from .services import promote_representatives


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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        promote_representatives(organisation=form.instance)

    list_display = ["name", "kind", "is_active"]
    list_filter = ["kind", "is_active", "areas"]
    search_fields = ["name", "name_kana"]
    filter_horizontal = ["areas"]
    autocomplete_fields = ["representatives"]


@admin.register(LocalIssue)
class LocalIssueAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "is_active"]
    filter_horizontal = ["sdg_goals"]


@admin.register(SdgGoal)
class SdgGoalAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
