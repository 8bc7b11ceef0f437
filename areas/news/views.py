"""Pages of area information: public news, writing and reviewing posts."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.models import Area, Post
from areas.selectors import current_organisations_of
from portal import workflow
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import PUBLIC, may, permission_required

from . import markup, selectors, services
from .forms import PostForm, ReturnForm, SearchForm

PAGE_SIZE = 20


def _page(request, posts):
    return Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))


def _feed_links(*pairs):
    return [{"title": title, "url": url} for title, url in pairs]


@permission_required(PUBLIC)
def post_list(request):
    """City-wide news, filtered by area, issue tag, kind and words."""
    form = SearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    area, issue = filters.get("area"), filters.get("issue")
    posts = selectors.live_posts(
        area=area, issue=issue, query=filters.get("q", ""), kind=filters.get("kind", "")
    )
    feeds = [(_("地域のお知らせ（すべて）"), reverse("areas:news:feed"))]
    if area:
        feeds.append(
            (_("%sのお知らせ") % area.name, reverse("areas:news:area_feed", args=[area.code]))
        )
    if issue:
        feeds.append(
            (
                _("地域課題「%s」のお知らせ") % issue.title,
                reverse("areas:news:issue_feed", args=[issue.number]),
            )
        )
    return render(
        request,
        "areas/news/post_list.html",
        {
            "form": form,
            "page": _page(request, posts),
            "feeds": _feed_links(*feeds),
            "query": filters.get("q", ""),
            "may_write_news": may(request.user, "areas.write_news"),
            "may_write_report": may(request.user, "areas.write_activity_report"),
        },
    )


@permission_required(PUBLIC)
def area_posts(request, code):
    area = get_object_or_404(Area, code=code)
    posts = selectors.live_posts(area=area)
    return render(
        request,
        "areas/news/area_posts.html",
        {
            "area": area,
            "page": _page(request, posts),
            "feeds": _feed_links(
                (_("%sのお知らせ") % area.name, reverse("areas:news:area_feed", args=[area.code]))
            ),
        },
    )


def _visible_post(request, pk, **kwargs):
    return get_object_or_404(selectors.posts_visible_to(request.user), pk=pk)


@permission_required("areas.view_post", get_object=_visible_post)
def post_detail(request, pk, obj):
    post = obj
    image = post.images.first()
    user = request.user
    feeds = [
        (_("%sのお知らせ") % area.name, reverse("areas:news:area_feed", args=[area.code]))
        for area in post.areas.all()
    ] or [(_("地域のお知らせ（すべて）"), reverse("areas:news:feed"))]
    return render(
        request,
        "areas/news/post_detail.html",
        {
            "post": post,
            "body_html": markup.clean(post.body_html),
            "is_live": post.is_live(),
            "feeds": _feed_links(*feeds),
            "og": {
                "title": post.title,
                "description": markup.summary(post.body_html),
                "url": request.build_absolute_uri(post.get_absolute_url()),
                "image": request.build_absolute_uri(image.thumbnail.url) if image else "",
            },
            "may_edit": may(user, "areas.edit_post", post)
            and (
                may(user, "areas.review_posts")
                or post.status in (Post.Status.DRAFT, Post.Status.RETURNED)
            ),
            "may_submit": post.kind == Post.Kind.ACTIVITY
            and services.POST_FLOW.can_move(post, Post.Status.SUBMITTED, user),
            "may_review": may(user, "areas.review_posts"),
            "can_publish": services.POST_FLOW.can_move(post, Post.Status.PUBLISHED, user)
            and not (post.kind == Post.Kind.ACTIVITY and post.status == Post.Status.DRAFT),
            "can_return": services.POST_FLOW.can_move(post, Post.Status.RETURNED, user),
            "can_unpublish": services.POST_FLOW.can_move(post, Post.Status.UNPUBLISHED, user),
            "return_form": ReturnForm(),
            "history": _history(post) if may(user, "areas.edit_post", post) else [],
        },
    )


def _history(post):
    labels = dict(Post.Status.choices)
    return [
        {
            "at": change.created_at,
            "from": labels.get(change.from_state, change.from_state),
            "to": labels.get(change.to_state, change.to_state),
            "note": change.note,
        }
        for change in workflow.history(post)
    ]


@permission_required("areas.view_own_posts")
def my_posts(request):
    posts = selectors.posts_editable_by(request.user)
    return render(
        request,
        "areas/news/my_posts.html",
        {
            "page": _page(request, posts),
            "may_write_news": may(request.user, "areas.write_news"),
            "may_write_report": may(request.user, "areas.write_activity_report"),
        },
    )


def _post_form_page(request, form, *, heading, post=None):
    return render(
        request,
        "areas/news/post_form.html",
        {"form": form, "heading": heading, "post": post},
        status=400 if request.method == "POST" else 200,
    )


def _create(request, *, kind, organisations=None):
    form = PostForm(request.POST or None, request.FILES or None, organisations=organisations)
    heading = _("お知らせを書く") if kind == Post.Kind.NEWS else _("活動報告を書く")
    if request.method == "POST" and form.is_valid():
        try:
            post = services.create_post(
                kind=kind,
                content=form.content(),
                organisation=form.cleaned_data.get("organisation"),
                image=form.cleaned_data.get("image"),
                image_alt=form.cleaned_data.get("image_alt", ""),
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("下書きを保存しました。"))
            return redirect(post.get_absolute_url())
    return _post_form_page(request, form, heading=heading)


@permission_required("areas.write_news")
def create_news(request):
    return _create(request, kind=Post.Kind.NEWS)


@permission_required("areas.write_activity_report")
def create_report(request):
    return _create(
        request, kind=Post.Kind.ACTIVITY, organisations=current_organisations_of(request.user)
    )


def _editable_post(request, pk, **kwargs):
    return get_object_or_404(selectors.posts_editable_by(request.user), pk=pk)


@permission_required("areas.edit_post", get_object=_editable_post)
def edit_post(request, pk, obj):
    form = PostForm(request.POST or None, request.FILES or None, initial=PostForm.initial_for(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_post(
                post_id=obj.pk,
                content=form.content(),
                image=form.cleaned_data.get("image"),
                image_alt=form.cleaned_data.get("image_alt", ""),
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("投稿を保存しました。"))
            return redirect(obj.get_absolute_url())
    return _post_form_page(request, form, heading=_("投稿を編集"), post=obj)


def _status_action(request, obj, action, success):
    try:
        action()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(obj.get_absolute_url())


@require_POST
@permission_required("areas.edit_post", get_object=_editable_post)
def submit_post(request, pk, obj):
    return _status_action(
        request,
        obj,
        lambda: services.submit_post(post_id=obj.pk, by=Actor.from_request(request)),
        _("確認を依頼しました。市の担当者が確認してから公開されます。"),
    )


def _any_post(request, pk, **kwargs):
    return get_object_or_404(selectors.posts_visible_to(request.user), pk=pk)


@require_POST
@permission_required("areas.review_posts", get_object=_any_post)
def publish_post(request, pk, obj):
    return _status_action(
        request,
        obj,
        lambda: services.publish_post(post_id=obj.pk, by=Actor.from_request(request)),
        _("公開しました。"),
    )


@require_POST
@permission_required("areas.review_posts", get_object=_any_post)
def return_post(request, pk, obj):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("差し戻しの理由を入力してください。"))
        return redirect(obj.get_absolute_url())
    return _status_action(
        request,
        obj,
        lambda: services.return_post(
            post_id=obj.pk, comment=form.cleaned_data["comment"], by=Actor.from_request(request)
        ),
        _("差し戻しました。"),
    )


@require_POST
@permission_required("areas.review_posts", get_object=_any_post)
def unpublish_post(request, pk, obj):
    return _status_action(
        request,
        obj,
        lambda: services.unpublish_post(post_id=obj.pk, by=Actor.from_request(request)),
        _("公開を停止しました。"),
    )


@permission_required("areas.review_posts")
def review_queue(request):
    return render(
        request,
        "areas/news/review_queue.html",
        {"posts": list(selectors.posts_waiting_for_review())},
    )
