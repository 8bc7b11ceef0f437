"""The printable 回覧板: an A4 PDF for an area and a month.

The paper layout of the 町内会 notice: 会員各位 at the top left, each item
with a QR code to its page, a 回答欄 below a 切り取り線 where an item asks for
replies, and a 回覧表 page with the households in circulation order and a
確認印 column.

Upcoming meetings come from sources that other apps register:

    from areas.news.circular import register_upcoming_source

    @register_upcoming_source
    def upcoming_meetings(*, area, start, end):
        return [{"key": f"meeting:{m.pk}", "title": m.title, "url": m.get_absolute_url(),
                 "when": "2026年5月10日 10:00", "place": m.place_name}, ...]

The PDF is made from sanitised post HTML only, and WeasyPrint fetches no
URL: images are read from the media folder, QR codes are inline.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from areas.models import Circular, Post
from portal import audit
from portal.errors import ServiceError
from portal.links import site_url

from . import markup, selectors

FONT_FAMILY = '"Noto Sans CJK JP", "IPAexGothic", sans-serif'

_upcoming_sources = []


def register_upcoming_source(source):
    if source not in _upcoming_sources:
        _upcoming_sources.append(source)
    return source


def unregister_upcoming_source(source):
    if source in _upcoming_sources:
        _upcoming_sources.remove(source)


def month_range(month):
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def upcoming_items(*, area, month):
    """Meetings (and whatever else is registered) for `area` in the month."""
    start, end = month_range(month)
    items = []
    for source in list(_upcoming_sources):
        items += list(source(area=area, start=start, end=end))
    return items


def candidate_posts(*, area):
    return selectors.live_posts(area=area)[:50]


def create_circular(*, area, month, title, issuer, posts, meeting_keys, households, by):
    """Store the choice; posts must be live and for the area (or city-wide)."""
    start, _end = month_range(month)
    allowed = set(selectors.live_posts(area=area).values_list("pk", flat=True))
    if any(post.pk not in allowed for post in posts):
        raise ServiceError(_("この地域で公開中の投稿だけを載せられます。"))
    available = {item["key"]: item for item in upcoming_items(area=area, month=start)}
    unknown = [key for key in meeting_keys if key not in available]
    if unknown:
        raise ServiceError(_("選んだ会議が見つかりません。"))
    if not posts and not meeting_keys:
        raise ServiceError(_("載せる投稿か会議を1つ以上選んでください。"))
    circular = Circular.objects.create(
        area=area,
        month=start,
        title=title.strip() or _("回覧板"),
        issuer=issuer.strip(),
        meeting_items=[_plain_item(available[key]) for key in meeting_keys],
        households=households.strip(),
        created_by=by.user if getattr(by.user, "pk", None) else None,
    )
    circular.posts.set(posts)
    audit.record(
        by=by,
        action="areas.circular.created",
        target=circular,
        data={
            "posts": len(posts),
            "meetings": len(meeting_keys),
            "households": len(circular.household_list),
        },
    )
    return circular


def _plain_item(item):
    return {k: str(item.get(k, "")) for k in ("key", "title", "url", "when", "place")} | {
        "asks_reply": bool(item.get("asks_reply"))
    }


def qr_data_uri(url):
    # segno costs 0.02 s at start-up; only the circulars need it.
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=3, border=2)


def _items(circular):
    items = []
    posts = (
        Post.objects.filter(pk__in=circular.posts.values("pk"))
        .select_related("organisation")
        .prefetch_related("images")
        .order_by("publish_at", "id")
    )
    for post in posts:
        url = site_url(post.get_absolute_url())
        image = post.images.first()
        items.append(
            {
                "title": post.title,
                "label": post.get_kind_display(),
                "by": post.organisation.name if post.organisation_id else settings.PORTAL_CITY_NAME,
                "body_html": markup.clean(post.body_html),
                "image": Path(image.thumbnail.path).as_uri() if image else "",
                "image_alt": image.alt if image else "",
                "qr": qr_data_uri(url),
                "url": url,
                "reply_prompt": post.reply_prompt,
            }
        )
    for meeting in circular.meeting_items:
        url = site_url(meeting["url"])
        items.append(
            {
                "title": meeting["title"],
                "label": _("会議・イベント"),
                "when": meeting.get("when", ""),
                "place": meeting.get("place", ""),
                "qr": qr_data_uri(url),
                "url": url,
                "reply_prompt": _("出欠をお知らせください。") if meeting.get("asks_reply") else "",
            }
        )
    return items


def _fetcher():
    """Only inline data and files under MEDIA_ROOT: the PDF reaches no network."""
    # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
    from weasyprint.urls import URLFetcher

    media_root = Path(settings.MEDIA_ROOT).resolve()

    class MediaOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                path = Path(url[len("file://") :].split("?")[0]).resolve()
                if not path.is_relative_to(media_root):
                    raise ValueError(f"refused to fetch {url[:80]}")
            elif not url.startswith("data:"):
                raise ValueError(f"refused to fetch {url[:80]}")
            return super().fetch(url, headers)

    return MediaOnlyFetcher(allowed_protocols=("file", "data"), allow_redirects=False)


def render_html(circular):
    return render_to_string(
        "areas/news/circular_pdf.html",
        {
            "circular": circular,
            "items": _items(circular),
            "households": circular.household_list,
            "font_family": FONT_FAMILY,
            "city_name": settings.PORTAL_CITY_NAME,
        },
    )


def render_pdf(circular, *, by):
    """The PDF bytes; printing holds the households' names: audited."""
    # WeasyPrint costs 1.2 s at start-up; only the PDF downloads need it.
    from weasyprint import HTML

    pdf = HTML(string=render_html(circular), url_fetcher=_fetcher(), base_url=None).write_pdf()
    audit.record(
        by=by,
        action="areas.circular.printed",
        target=circular,
        data={"households": len(circular.household_list)},
    )
    return pdf
