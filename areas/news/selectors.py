"""Reads of posts, subscriptions, 回覧板 and facilities, filtered by the rules."""

from django.db.models import Exists, OuterRef, Prefetch

from areas.models import Circular, Facility, Post, PostImage, Subscription
from portal.permissions import visible

from . import markup


def _with_related(posts):
    return posts.select_related("organisation").prefetch_related(
        "areas",
        "issues",
        "sdg_goals",
        Prefetch("images", queryset=PostImage.objects.order_by("id")),
    )


def in_area(posts, area):
    """Posts for `area`: those tagged with it, and city-wide ones (no area)."""
    through = Post.areas.through.objects
    return posts.filter(
        Exists(through.filter(post_id=OuterRef("pk"), area_id=area.pk))
        | ~Exists(through.filter(post_id=OuterRef("pk")))
    )


def search(posts, query):
    """Every word of `query` as a substring of the title or body: the
    trigram index (pg_trgm) serves LIKE '%…%', so 防災 finds 地域の防災訓練."""
    for word in markup.search_text(query).split():
        posts = posts.filter(search_text__contains=word)
    return posts


def live_posts(*, area=None, issue=None, organisation=None, query="", kind=""):
    posts = _with_related(Post.objects.live())
    if area is not None:
        posts = in_area(posts, area)
    if issue is not None:
        posts = posts.filter(
            Exists(
                Post.issues.through.objects.filter(post_id=OuterRef("pk"), localissue_id=issue.pk)
            )
        )
    if organisation is not None:
        posts = posts.filter(organisation=organisation)
    if kind:
        posts = posts.filter(kind=kind)
    if query:
        posts = search(posts, query)
    return posts.order_by("-publish_at", "-id")


def posts_visible_to(user):
    return _with_related(visible(user, "areas.view_post", Post.objects.all()))


def posts_editable_by(user):
    return _with_related(visible(user, "areas.edit_post", Post.objects.all())).order_by(
        "-updated_at", "-id"
    )


def posts_waiting_for_review():
    return _with_related(Post.objects.filter(status=Post.Status.SUBMITTED)).order_by(
        "updated_at", "id"
    )


def subscriptions_of(user):
    return (
        Subscription.objects.filter(user=user, unsubscribed_at__isnull=True)
        .prefetch_related("areas", "issues")
        .order_by("-created_at")
    )


def circulars_visible_to(user):
    return visible(user, "areas.view_circular", Circular.objects.select_related("area"))


def facilities(*, area=None, published_only=False):
    rows = Facility.objects.select_related("area").order_by("area__code", "kind", "name", "id")
    if area is not None:
        rows = rows.filter(area=area)
    if published_only:
        rows = rows.filter(is_published=True)
    return rows
