from django.contrib import admin

from portal.admin import AuditedAdminMixin

from .models import (
    AreaAssignment,
    Attachment,
    Consultation,
    LiaisonSettings,
    OfficerProfile,
    SupportRequest,
)


class AreaAssignmentInline(admin.TabularInline):
    model = AreaAssignment
    extra = 0
    raw_id_fields = ("assigned_by",)


@admin.register(OfficerProfile)
class OfficerProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "experience", "is_active")
    list_filter = ("experience", "is_active")
    raw_id_fields = ("user",)
    inlines = [AreaAssignmentInline]


@admin.register(SupportRequest)
class SupportRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "title", "organisation", "area", "tier", "status", "submitted_at")
    list_filter = ("status", "tier", "area")
    raw_id_fields = ("requested_by", "entered_by", "representation", "assignee")
    readonly_fields = ("version",)


@admin.register(Attachment)
class AttachmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "request", "content_type", "size", "uploaded_at")
    raw_id_fields = ("request", "uploaded_by")


@admin.register(Consultation)
class ConsultationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("pk", "received_on", "area", "channel", "outcome")
    list_filter = ("channel", "outcome", "area")
    raw_id_fields = ("received_by",)


@admin.register(LiaisonSettings)
class LiaisonSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "route_a_to_c_to", "updated_at")
