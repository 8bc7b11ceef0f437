from django.urls import path

from . import views

app_name = "liaisons"

urlpatterns = [
    path("requests/", views.request_list, name="requests"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/move/", views.request_transition, name="request_transition"),
    path("requests/<int:pk>/assign/", views.request_assign, name="request_assign"),
    path("requests/<int:pk>/rate/", views.request_rate, name="request_rate"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("officers/", views.officer_list, name="officers"),
    path("officers/new/", views.officer_create, name="officer_create"),
    path("officers/<int:pk>/", views.officer_detail, name="officer"),
    path("assignments/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("settings/", views.settings_view, name="settings"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/export/", views.consultation_export, name="consultation_export"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path("consultations/<int:pk>/edit/", views.consultation_edit, name="consultation_edit"),
    path("reports/", views.report, name="report"),
    path("reports/export/", views.report_export, name="report_export"),
]
