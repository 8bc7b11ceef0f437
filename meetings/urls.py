from django.urls import path

from portal.pagecache import public_page

from . import views

# The pages residents open most, the same for every visitor not signed in.
public = public_page("meetings")

app_name = "meetings"

urlpatterns = [
    path("", public(views.MeetingListView.as_view()), name="list"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("mine/", views.my_registrations_view, name="mine"),
    path("<int:pk>/", public(views.MeetingDetailView.as_view()), name="detail"),
    path("<int:pk>/meeting.ics", views.meeting_ics_view, name="ical"),
    path("<int:pk>/register/", views.register_view, name="register"),
    path("<int:pk>/invitation/", views.invitation_register_view, name="register_invitation"),
    path("areas/<str:code>/feed/", views.area_feed_view, name="area_feed"),
    path(
        "registrations/<int:pk>/cancel/",
        views.cancel_registration_view,
        name="cancel_registration",
    ),
    path("registrations/<int:pk>/feedback/", views.feedback_view, name="feedback"),
    path("staff/", views.staff_list_view, name="staff_list"),
    path("staff/new/", views.meeting_create_view, name="create"),
    path("staff/<int:pk>/", views.participants_view, name="participants"),
    path("staff/<int:pk>/edit/", views.meeting_edit_view, name="edit"),
    path("staff/<int:pk>/status/", views.meeting_move_view, name="move"),
    path("staff/<int:pk>/export/", views.participants_export_view, name="export"),
    path("staff/<int:pk>/check-in/", views.check_in_view, name="check_in"),
    path("staff/<int:pk>/walk-in/", views.walk_in_view, name="walk_in"),
    path("staff/<int:pk>/minutes/", views.minutes_view, name="minutes"),
    path("staff/ideas/<int:pk>/push/", views.idea_push_view, name="idea_push"),
    path("staff/series/", views.series_list_view, name="series_list"),
    path("staff/series/<int:pk>/", views.funnel_view, name="funnel"),
    path("staff/series/<int:pk>/applicants/", views.applicants_view, name="applicants"),
    path(
        "staff/series/<int:pk>/applicants/register/",
        views.applicant_register_view,
        name="applicant_register",
    ),
    path(
        "staff/series/<int:pk>/applicants.csv",
        views.applicants_export_view,
        name="applicants_export",
    ),
]
