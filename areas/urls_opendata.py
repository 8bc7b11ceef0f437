"""/opendata/: the open datasets (SPEC's fixed interfaces), no login.

公共施設一覧 comes from this app's facilities, イベント一覧 from the meetings app.
"""

from django.urls import path

from meetings import views as meetings_views

from . import opendata

app_name = "opendata"

urlpatterns = [
    path("", opendata.index, name="index"),
    path("facilities.csv", opendata.facilities_csv, name="facilities_csv"),
    path("facilities.json", opendata.facilities_json, name="facilities_json"),
    path("events.csv", meetings_views.opendata_events_csv, name="events_csv"),
    path("events.json", meetings_views.opendata_events_json, name="events_json"),
]
