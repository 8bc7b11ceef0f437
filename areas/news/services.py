"""Writing, reviewing and publishing posts.

News (お知らせ) is the city's: coordinators write and publish it. An
activity report (活動報告) is an organisation's: its representative writes
it and submits it; a coordinator publishes it or returns it with a comment.
Every status move goes through POST_FLOW (history and audit rows).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Post, PostImage
from areas.permissions import represents
from portal import audit, locking
from portal.errors import ServiceError
from portal.permissions import coordinators
from portal.workflow import Workflow

from . import images, markup

S = Post.Status
POST_FLOW = Workflow(
    moves={
        (S.DRAFT, S.SUBMITTED): "areas.edit_post",
        (S.RETURNED, S.SUBMITTED): "areas.edit_post",
        (S.SUBMITTED, S.RETURNED): "areas.review_posts",
        (S.SUBMITTED, S.PUBLISHED): "areas.review_posts",
        # The city's own news needs no review step.
        (S.DRAFT, S.PUBLISHED): "areas.review_posts",
        (S.PUBLISHED, S.UNPUBLISHED): "areas.review_posts",
        (S.UNPUBLISHED, S.PUBLISHED): "areas.review_posts",
    },
    action_prefix="areas.post",
)
TRACKED_FIELDS = (
    "title",
    "body",
    "organisation",
    "reply_prompt",
    "publish_at",
    "unpublish_at",
)


@dataclass(frozen=True)
class PostContent:
    """What an author writes; the same for creating and editing."""

    title: str
    body: str
    areas: list = field(default_factory=list)
    issues: list = field(default_factory=list)
    sdg_goals: list = field(default_factory=list)
    reply_prompt: str = ""
    publish_at: object = None
    unpublish_at: object = None


def _is_coordinator(by):
    return by.user is not None and bool(coordinators.check(by.user))


def _check_window(content):
    if content.publish_at and content.unpublish_at and content.unpublish_at <= content.publish_at:
        raise ServiceError(_("公開終了は公開開始より後の日時にしてください。"))


def _apply(post, content):
    post.title = content.title.strip()
    post.body = content.body
    post.body_html = markup.render(content.body)
    post.search_text = markup.search_text(post.title, markup.plain_text(post.body_html))
    post.reply_prompt = content.reply_prompt.strip()
    post.publish_at = content.publish_at
    post.unpublish_at = content.unpublish_at


def _set_tags(post, content):
    areas = content.areas
    if not areas and post.kind == Post.Kind.ACTIVITY:
        # A report belongs where its organisation works.
        areas = list(post.organisation.areas.all())
    post.areas.set(areas)
    post.issues.set(content.issues)
    post.sdg_goals.set(content.sdg_goals)


def create_post(*, kind, content, by, organisation=None, image=None, image_alt=""):
    """A new draft. News only by coordinators; a report only for an
    organisation the author represents today."""
    if not content.title.strip() or not content.body.strip():
        raise ServiceError(_("題名と本文を入力してください。"))
    _check_window(content)
    if kind == Post.Kind.NEWS:
        if not _is_coordinator(by):
            raise ServiceError(_("お知らせはコーディネーターが作成します。"))
        organisation = None
    else:
        if organisation is None:
            raise ServiceError(_("活動報告の団体を選んでください。"))
        if not (represents(by.user, organisation.pk) or _is_coordinator(by)):
            raise ServiceError(_("この団体の代表者ではありません。"))
    photo = images.process(image) if image else None
    post = Post(kind=kind, organisation=organisation, author=by.user)
    _apply(post, content)
    with transaction.atomic():
        post.save()
        _set_tags(post, content)
        if photo:
            _save_image(post, photo, image_alt)
        audit.record(
            by=by,
            action="areas.post.created",
            target=post,
            data={"kind": kind, "images": 1 if photo else 0},
        )
    return post


def _save_image(post, photo, alt):
    if not (alt or "").strip():
        raise ServiceError(_("画像の説明（代替テキスト）を入力してください。"))
    picture, thumbnail = photo
    item = PostImage(post=post, alt=alt.strip())
    item.image.save("photo.jpg", picture, save=False)
    item.thumbnail.save("thumbnail.jpg", thumbnail, save=False)
    item.save()
    return item


def update_post(*, post_id, content, by, image=None, image_alt=""):
    """Edit a post. Representatives edit drafts and returned reports only;
    coordinators may correct a post at any stage."""
    _check_window(content)
    if not content.title.strip() or not content.body.strip():
        raise ServiceError(_("題名と本文を入力してください。"))
    photo = images.process(image) if image else None
    with locking.locked_one(Post, post_id) as post:
        if not _is_coordinator(by) and post.status not in (S.DRAFT, S.RETURNED):
            raise ServiceError(_("確認待ち・公開中の投稿は編集できません。"))
        old = audit.snapshot(post, TRACKED_FIELDS)
        _apply(post, content)
        post.save()
        _set_tags(post, content)
        if photo:
            _save_image(post, photo, image_alt)
        audit.record(
            by=by,
            action="areas.post.updated",
            target=post,
            changes=audit.changes_between(old, audit.snapshot(post, TRACKED_FIELDS), model=Post),
            data={"images_added": 1 if photo else 0},
        )
    return post


def submit_post(*, post_id, by):
    with locking.locked_one(Post, post_id) as post:
        if post.kind != Post.Kind.ACTIVITY:
            raise ServiceError(_("お知らせは確認なしで公開できます。"))
        POST_FLOW.transition(post, to=S.SUBMITTED, by=by)
    return post


def publish_post(*, post_id, by, now=None):
    """Publish now, or at the post's publish_at if that is later. A report
    is published only after its organisation submitted it."""
    now = now or timezone.now()
    with locking.locked_one(Post, post_id) as post:
        if post.kind == Post.Kind.ACTIVITY and post.status == S.DRAFT:
            raise ServiceError(_("活動報告は団体から提出されてから公開します。"))
        if post.unpublish_at and post.unpublish_at <= now:
            raise ServiceError(_("公開終了の日時が過ぎています。公開終了を変更してください。"))
        post.publish_at = post.publish_at or now
        post.published_at = now
        post.review_comment = ""
        POST_FLOW.transition(
            post,
            to=S.PUBLISHED,
            by=by,
            extra_fields=["publish_at", "published_at", "review_comment"],
        )
    return post


def return_post(*, post_id, comment, by):
    if not comment.strip():
        raise ServiceError(_("差し戻しの理由を入力してください。"))
    with locking.locked_one(Post, post_id) as post:
        post.review_comment = comment.strip()
        POST_FLOW.transition(
            post, to=S.RETURNED, by=by, note=comment.strip(), extra_fields=["review_comment"]
        )
    return post


def unpublish_post(*, post_id, by):
    with locking.locked_one(Post, post_id) as post:
        POST_FLOW.transition(post, to=S.UNPUBLISHED, by=by)
    return post


# --- Facilities (公共施設) ----------------------------------------------------

FACILITY_FIELDS = (
    "area", "kind", "name", "name_kana", "common_name", "address", "address_detail",
    "latitude", "longitude", "phone", "extension", "operator", "corporate_number", "poi_code",
    "open_days", "opens_at", "closes_at", "availability_note", "description", "barrier_free",
    "url", "note", "is_published",
)  # fmt: skip


def save_facility(*, values, by, facility_id=None):
    """Create (no id) or update a facility from validated `values`
    (the keys of FACILITY_FIELDS)."""
    from areas.models import Facility

    unknown = set(values) - set(FACILITY_FIELDS)
    if unknown:
        raise ValueError(f"unknown facility fields: {sorted(unknown)}")
    if facility_id is None:
        with transaction.atomic():
            facility = Facility.objects.create(**values)
            audit.record(by=by, action="areas.facility.created", target=facility)
        return facility
    with locking.locked_one(Facility, facility_id) as facility:
        old = audit.snapshot(facility, FACILITY_FIELDS)
        for name, value in values.items():
            setattr(facility, name, value)
        facility.full_clean()
        facility.save()
        audit.record(
            by=by,
            action="areas.facility.updated",
            target=facility,
            changes=audit.changes_between(old, audit.snapshot(facility, FACILITY_FIELDS)),
        )
    return facility
