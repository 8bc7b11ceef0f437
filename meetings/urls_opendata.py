"""The fixed open-data interfaces (SPEC): mounted at /opendata/ by portal/urls.py."""

from django.urls import path

from . import views

app_name = "meetings_opendata"

urlpatterns = [
    path("events.csv", views.opendata_events_csv, name="events_csv"),
    path("events.json", views.opendata_events_json, name="events_json"),
]
