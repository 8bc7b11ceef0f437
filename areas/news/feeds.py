"""Atom feeds of live posts: city-wide, per area, per issue tag, per organisation."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from areas.models import Area, LocalIssue, Organisation
from areas.selectors import organisations_visible_to

from . import markup, selectors

FEED_SIZE = 30


class PostFeed(Feed):
    feed_type = Atom1Feed

    def title(self, obj=None):
        return _("地域のお知らせ")

    def link(self, obj=None):
        return reverse("areas:news:list")

    def subtitle(self, obj=None):
        return _("お知らせと団体の活動報告")

    def posts(self, obj):
        return selectors.live_posts()

    def items(self, obj=None):
        return list(self.posts(obj)[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Atom's summary is type="html": readers render it, so the plain
        # text is escaped (a literal "<script>" in the text stays text).
        return escape(markup.summary(item.body_html, 300))

    def item_pubdate(self, item):
        return item.published_at or item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.organisation.name if item.organisation_id else None

    def item_categories(self, item):
        return [issue.title for issue in item.issues.all()]


class AreaFeed(PostFeed):
    def get_object(self, request, code):
        return get_object_or_404(Area, code=code)

    def title(self, obj=None):
        return _("%(area)sのお知らせ") % {"area": obj.name}

    def link(self, obj=None):
        return reverse("areas:news:area", kwargs={"code": obj.code})

    def posts(self, obj):
        return selectors.live_posts(area=obj)


class IssueFeed(PostFeed):
    def get_object(self, request, number):
        return get_object_or_404(LocalIssue, number=number, is_active=True)

    def title(self, obj=None):
        return _("地域課題「%(issue)s」のお知らせ") % {"issue": obj.title}

    def link(self, obj=None):
        return reverse("areas:news:list") + f"?issue={obj.number}"

    def posts(self, obj):
        return selectors.live_posts(issue=obj)


class OrganisationFeed(PostFeed):
    def get_object(self, request, pk):
        return get_object_or_404(
            organisations_visible_to(None).filter(approved_at__isnull=False), pk=pk
        )

    def title(self, obj=None):
        return _("%(organisation)sの活動報告") % {"organisation": obj.name}

    def link(self, obj=None):
        return obj.get_absolute_url()

    def posts(self, obj):
        return selectors.live_posts(organisation=obj)


__all__ = ["AreaFeed", "IssueFeed", "OrganisationFeed", "PostFeed", "Organisation"]
