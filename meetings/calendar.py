"""The iCalendar file of a meeting and the month calendar grid."""

import calendar as pycalendar
import datetime

from django.conf import settings
from django.utils import timezone


def meeting_ics(meeting, *, url="", online_link=False):
    """RFC 5545 text for one meeting (a cancelled one carries STATUS:CANCELLED).

    The online meeting's link only with `online_link` (the registrant's own
    mail): the public file is anyone's to fetch, and the link lets anyone in."""
    # icalendar costs 0.06 s at start-up; only the .ics downloads and the mails need it.
    import icalendar

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Chiiki Kyodo Portal//meetings//JA")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.PORTAL_CITY_CODE}.portal")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add("summary", meeting.title)
    description = meeting.description
    if meeting.online_url and online_link:
        description = f"{description}\n\nオンライン: {meeting.online_url}".strip()
    if description:
        event.add("description", description)
    location = " ".join(p for p in (meeting.venue_name, meeting.venue_address) if p)
    if not location and meeting.online_url:
        location = meeting.online_url if online_link else "オンライン"
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    event.add("status", "CANCELLED" if meeting.status == "cancelled" else "CONFIRMED")
    event.add("last-modified", meeting.updated_at or timezone.now())
    cal.add_component(event)
    return cal.to_ical()


def month_grid(year, month, meetings):
    """Weeks (Monday first) of days; each day has the meetings starting on it."""
    by_day = {}
    for meeting in meetings:
        by_day.setdefault(timezone.localtime(meeting.starts_at).date(), []).append(meeting)
    weeks = []
    for week in pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                {"date": day, "in_month": day.month == month, "meetings": by_day.get(day, [])}
                for day in week
            ]
        )
    return weeks


def month_bounds(year, month):
    """Aware datetimes of the month's first moment and the next month's."""
    start = datetime.date(year, month, 1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end, datetime.time.min, tzinfo=tz),
    )
