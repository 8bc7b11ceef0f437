from django.contrib import admin

from portal.admin import AuditedAdminMixin, WorkflowAdminMixin, record_number

from .models import Feedback, Idea, Meeting, MeetingSeries, Registration


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "sampled_count", "answered_count"]


@admin.register(Meeting)
class MeetingAdmin(AuditedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """Meetings, shown only: status moves through MEETING_FLOW, capacity
    through `change_capacity` (never below the confirmed seats), and
    facilitators see their participants' personal data, so meetings are
    made and edited on the staff page through the services."""

    list_display = ["title", "area", "kind", "status", "starts_at", "capacity", "confirmed_seats"]
    list_filter = ["status", "kind", "area"]
    workflow_fields = ["status", "capacity", "confirmed_seats", "facilitators"]
    service_only = True


@admin.register(Registration)
class RegistrationAdmin(AuditedAdminMixin, WorkflowAdminMixin, admin.ModelAdmin):
    """Registrations, shown only: their status and party size are the
    meeting's seats, counted under its lock by the services."""

    list_display = [record_number, "meeting", "status", "party_size", "source", "created_at"]
    list_filter = ["status", "source"]
    list_select_related = ["meeting"]
    workflow_fields = ["status", "meeting", "party_size"]
    service_only = True


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = [record_number, "meeting", "kind", "issue", "pushed_to_karte_at"]


@admin.register(Feedback)
class FeedbackAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = [record_number, "satisfaction", "created_at"]
