from django.contrib import admin

from portal.admin import AuditedAdminMixin, WorkflowAdminMixin, record_number

from .models import (
    AreaAssignment,
    Attachment,
    Consultation,
    LiaisonSettings,
    OfficerProfile,
    SupportRequest,
)


class AreaAssignmentInline(admin.TabularInline):
    """An officer's areas, shown only: an area grants access to its
    participants' personal data, so it is assigned and ended on the staff
    page (`assign_area`, `end_assignment`, with their audit rows)."""

    model = AreaAssignment
    extra = 0
    can_delete = False
    fields = ("area", "kind", "valid_from", "valid_until", "assigned_by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OfficerProfile)
class OfficerProfileAdmin(AuditedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """Officers, shown only: experience (which tiers they may take) and
    being in office grant access, so profiles are made and changed on the
    staff page through the services."""

    list_display = ("user", "department", "experience", "is_active")
    list_filter = ("experience", "is_active")
    list_select_related = ("user",)
    inlines = [AreaAssignmentInline]
    service_only = True


@admin.register(SupportRequest)
class SupportRequestAdmin(AuditedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """Requests move only through the workflow (REQUEST_FLOW, with the D–F
    check and the history): status, tier, assignee, routing, outcome and
    rating are shown here, not edited; a request is never deleted here."""

    list_display = (
        record_number,
        "title",
        "organisation",
        "area",
        "tier",
        "status",
        "submitted_at",
    )
    list_filter = ("status", "tier", "area")
    raw_id_fields = ("requested_by", "entered_by", "representation")
    workflow_fields = (
        "status",
        "tier",
        "assignee",
        "routed_to",
        "referred_department",
        "decline_reason",
        "hours",
        "outcome",
        "rating",
        "rating_comment",
        "submitted_at",
        "closed_at",
        "version",
    )


@admin.register(Attachment)
class AttachmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (record_number, "request", "content_type", "size", "uploaded_at")
    raw_id_fields = ("request", "uploaded_by")


@admin.register(Consultation)
class ConsultationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = (record_number, "received_on", "area", "channel", "outcome")
    list_filter = ("channel", "outcome", "area")
    raw_id_fields = ("received_by",)


@admin.register(LiaisonSettings)
class LiaisonSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "route_a_to_c_to", "updated_at")
