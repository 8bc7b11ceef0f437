"""What the meetings app gives the other apps: newly opened meetings for the
news digest, upcoming meetings for the printable 回覧板. Imported at start-up
by portal (see portal/apps.py)."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.news import circular, digest
from portal.models import StateChange

from .models import Meeting


@digest.register_source
def newly_opened_meetings(*, since, until):
    """Meetings whose registration opened (moved to 受付中) in [since, until)."""
    opened = StateChange.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting),
        to_state=Meeting.Status.OPEN,
        created_at__gte=since,
        created_at__lt=until,
    ).values_list("object_id", flat=True)
    meetings = Meeting.objects.filter(
        pk__in=[int(pk) for pk in opened], status=Meeting.Status.OPEN
    ).select_related("area", "theme_issue")
    for meeting in meetings.order_by("starts_at", "pk"):
        yield digest.DigestItem(
            key=f"meeting:{meeting.pk}",
            title=meeting.title,
            url=meeting.get_absolute_url(),
            when=meeting.starts_at,
            summary=meeting.venue_name,
            kind_label=_("ミーティング"),
            area_ids=frozenset({meeting.area_id}),
            issue_ids=frozenset({meeting.theme_issue_id})
            if meeting.theme_issue_id
            else frozenset(),
        )


@circular.register_upcoming_source
def upcoming_meetings(*, area, start, end):
    """Published meetings of the area that start in the month."""
    tz = timezone.get_current_timezone()
    meetings = Meeting.objects.filter(
        area=area,
        status__in=(Meeting.Status.OPEN, Meeting.Status.CLOSED),
        starts_at__date__gte=start,
        starts_at__date__lt=end,
    ).order_by("starts_at", "pk")
    for meeting in meetings:
        starts = timezone.localtime(meeting.starts_at, tz)
        yield {
            "key": f"meeting:{meeting.pk}",
            "title": meeting.title,
            "url": meeting.get_absolute_url(),
            "when": starts,
            "place": meeting.venue_name or _("オンライン"),
            "asks_reply": False,
        }
