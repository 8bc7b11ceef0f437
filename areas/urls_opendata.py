"""/opendata/: the open datasets, no login. Wired in portal/urls.py as
`path("opendata/", include("areas.urls_opendata"))`.

The イベント一覧 views come from the meetings app: add
    path("events.csv", meetings_opendata.events_csv, name="events_csv"),
    path("events.json", meetings_opendata.events_json, name="events_json"),
and the index page lists the dataset as soon as those names resolve.
"""

from django.urls import path

from . import opendata

app_name = "opendata"

urlpatterns = [
    path("", opendata.index, name="index"),
    path("facilities.csv", opendata.facilities_csv, name="facilities_csv"),
    path("facilities.json", opendata.facilities_json, name="facilities_json"),
]
