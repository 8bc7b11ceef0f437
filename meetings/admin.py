from django.contrib import admin

from portal.admin import AuditedAdminMixin

from .models import Feedback, Idea, Meeting, MeetingSeries, Registration


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "sampled_count", "answered_count"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "area", "kind", "status", "starts_at", "capacity", "confirmed_seats"]
    list_filter = ["status", "kind", "area"]
    readonly_fields = ["confirmed_seats", "status"]


@admin.register(Registration)
class RegistrationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "meeting", "status", "party_size", "source", "created_at"]
    list_filter = ["status", "source"]
    readonly_fields = ["status", "meeting"]


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["pk", "meeting", "kind", "issue", "pushed_to_karte_at"]


@admin.register(Feedback)
class FeedbackAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "satisfaction", "created_at"]
