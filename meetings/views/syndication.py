"""Machine-readable views: the iCalendar file, the area's Atom feed, open data."""

import json

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from areas.models import Area
from portal.costly import FEED_LIMIT, costly
from portal.csvio import csv_bytes, csv_response
from portal.permissions import PUBLIC, permission_required

from .. import exports, selectors
from ..calendar import meeting_ics
from .public import _visible_meeting

__all__ = ["meeting_ics_view", "area_feed_view", "opendata_events_csv", "opendata_events_json"]


@permission_required("meetings.view_meeting", get_object=_visible_meeting)
def meeting_ics_view(request, pk, obj):
    data = meeting_ics(obj, url=request.build_absolute_uri(obj.get_absolute_url()))
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{obj.pk}.ics"'
    return response


class AreaMeetingsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, code):
        return get_object_or_404(Area, code=code)

    def title(self, area):
        return _("%(area)sのミーティング") % {"area": area.name}

    def link(self, area):
        from django.urls import reverse

        return reverse("meetings:list") + f"?area={area.pk}"

    def subtitle(self, area):
        return _("%(area)sで開かれるエリアミーティング・ワークショップなど") % {"area": area.name}

    def items(self, area):
        return selectors.area_feed_meetings(area)

    def item_title(self, meeting):
        prefix = _("【中止】") if meeting.status == "cancelled" else ""
        return prefix + meeting.title

    def item_description(self, meeting):
        when = timezone.localtime(meeting.starts_at).strftime("%Y年%m月%d日 %H:%M")
        place = meeting.venue_name or _("オンライン")
        return f"{when} {place}\n{meeting.description}".strip()

    def item_pubdate(self, meeting):
        return meeting.created_at

    def item_updateddate(self, meeting):
        return meeting.updated_at

    def item_guid(self, meeting):
        return f"meeting-{meeting.pk}"


_area_feed = AreaMeetingsFeed()


@permission_required(PUBLIC)
@costly(FEED_LIMIT, name="meetings-feed")
def area_feed_view(request, code):
    return _area_feed(request, code=code)


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@permission_required(PUBLIC)
@costly(FEED_LIMIT, name="opendata")
def opendata_events_csv(request):
    """イベント一覧 (推奨データセット), UTF-8 with BOM, the 32 columns in order."""
    rows = exports.event_rows(selectors.opendata_meetings(), base_url=_base_url(request))
    return csv_response(csv_bytes(exports.EVENT_COLUMNS, rows), filename="events.csv")


@permission_required(PUBLIC)
@costly(FEED_LIMIT, name="opendata")
def opendata_events_json(request):
    rows = exports.event_rows(selectors.opendata_meetings(), base_url=_base_url(request))
    records = [dict(zip(exports.EVENT_COLUMNS, row, strict=True)) for row in rows]
    return HttpResponse(
        json.dumps(records, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
