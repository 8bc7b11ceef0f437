"""Permission rows of area information (posts, subscriptions, 回覧板,
facilities) and of /opendata/ — see tests/permission_table.py."""

import datetime

from django.utils import timezone

from areas.models import Circular, Facility, Post, Subscription
from areas.news.digest import unsubscribe_token
from areas.news.subscriptions import confirm_token
from tests.permission_table import Row

from .factories import make_post

ANON = {"anonymous": 302}
COORDINATORS = {**ANON, "coordinator": 200, "administrator": 200}
NEWS = "/areas/news/"


def build(world):
    world["live_post"] = make_post(title="公開中", areas=[world["area"]])
    world["draft_report"] = make_post(
        title="自分の団体の下書き",
        kind=Post.Kind.ACTIVITY,
        organisation=world["organisation"],
        status=Post.Status.DRAFT,
        author=world.users["representative"],
    )
    world["other_draft_report"] = make_post(
        title="ほかの団体の下書き",
        kind=Post.Kind.ACTIVITY,
        organisation=world["other_organisation"],
        status=Post.Status.DRAFT,
        author=world.users["other_representative"],
    )
    world["submitted_report"] = make_post(
        title="確認待ち",
        kind=Post.Kind.ACTIVITY,
        organisation=world["organisation"],
        status=Post.Status.SUBMITTED,
        author=world.users["representative"],
    )
    month = timezone.localdate().replace(day=1) + datetime.timedelta(days=40)
    world["circular"] = Circular.objects.create(
        area=world["area"], month=month.replace(day=1), title="回覧板", issuer="自治会"
    )
    world["other_circular"] = Circular.objects.create(
        area=world["other_area"], month=month.replace(day=1), title="回覧板", issuer="自治会"
    )
    world["facility"] = Facility.objects.create(
        area=world["area"], kind=Facility.Kind.PARK, name="中央公園", address="1-1"
    )
    world["pending_subscription"] = Subscription.objects.create(email="new@example.jp")
    world["subscription"] = Subscription.objects.create(
        email="resident@example.jp", user=world.users["resident"], confirmed_at=timezone.now()
    )


def pk(name):
    return lambda w: {"pk": w[name].pk}


ROWS = [
    # Public pages and feeds.
    Row("areas:news:list", default=200, expect={}),
    Row("areas:news:feed", default=200, expect={}),
    Row("areas:news:area", kwargs={"code": "PA"}, default=200, expect={}),
    Row("areas:news:area_feed", kwargs={"code": "PA"}, default=200, expect={}),
    Row("areas:news:issue_feed", kwargs={"number": 1}, default=200, expect={}),
    Row("areas:news:organisation_feed", kwargs=pk("organisation"), default=200, expect={}),
    Row("areas:news:detail", kwargs=pk("live_post"), note="live", default=200, expect={}),
    Row(
        "areas:news:detail",
        kwargs=pk("draft_report"),
        note="own draft",
        default=404,
        expect={"representative": 200, "coordinator": 200, "administrator": 200},
    ),
    Row(
        "areas:news:detail",
        kwargs=pk("other_draft_report"),
        note="other's draft",
        default=404,
        expect={"other_representative": 200, "coordinator": 200, "administrator": 200},
    ),
    # Writing.
    Row(
        "areas:news:mine",
        default=403,
        expect={**COORDINATORS, "representative": 200, "other_representative": 200},
    ),
    Row("areas:news:create_news", default=403, expect=COORDINATORS),
    Row(
        "areas:news:create_report",
        default=403,
        expect={**ANON, "representative": 200, "other_representative": 200},
    ),
    Row(
        "areas:news:edit",
        kwargs=pk("draft_report"),
        note="own",
        default=403,
        expect={**COORDINATORS, "representative": 200, "other_representative": 404},
    ),
    Row(
        "areas:news:edit",
        kwargs=pk("other_draft_report"),
        note="other's",
        default=403,
        expect={**COORDINATORS, "representative": 404, "other_representative": 200},
    ),
    Row(
        "areas:news:submit",
        method="post",
        kwargs=pk("draft_report"),
        note="own",
        default=403,
        redirect_to=NEWS,
        expect={
            **ANON,
            "representative": 302,
            "other_representative": 404,
            "coordinator": 302,
            "administrator": 302,
        },
    ),
    Row(
        "areas:news:submit",
        method="post",
        kwargs=pk("other_draft_report"),
        note="other's",
        default=403,
        redirect_to=NEWS,
        expect={
            **ANON,
            "representative": 404,
            "other_representative": 302,
            "coordinator": 302,
            "administrator": 302,
        },
    ),
    # Review.
    Row("areas:news:review_queue", default=403, expect=COORDINATORS),
    Row(
        "areas:news:publish",
        method="post",
        kwargs=pk("submitted_report"),
        default=403,
        redirect_to=NEWS,
        expect={**ANON, "coordinator": 302, "administrator": 302},
    ),
    Row(
        "areas:news:return",
        method="post",
        kwargs=pk("submitted_report"),
        data={"comment": "写真を追加してください"},
        default=403,
        redirect_to=NEWS,
        expect={**ANON, "coordinator": 302, "administrator": 302},
    ),
    Row(
        "areas:news:unpublish",
        method="post",
        kwargs=pk("live_post"),
        default=403,
        redirect_to=NEWS,
        expect={**ANON, "coordinator": 302, "administrator": 302},
    ),
    # Subscriptions: public, by signed link; ending one's own from the page.
    Row("areas:news:subscribe", default=200, expect={}),
    Row(
        "areas:news:confirm",
        kwargs=lambda w: {"token": confirm_token(w["pending_subscription"])},
        default=200,
        expect={},
    ),
    Row(
        "areas:news:unsubscribe",
        kwargs=lambda w: {"token": unsubscribe_token(w["subscription"])},
        default=200,
        expect={},
    ),
    Row(
        "areas:news:end_subscription",
        method="post",
        kwargs=pk("subscription"),
        note="the resident's",
        default=404,
        redirect_to="/areas/news/subscribe/",
        expect={**ANON, "resident": 302},
    ),
    # 回覧板: coordinators, and representatives of an organisation in the area.
    Row(
        "areas:news:circulars",
        default=403,
        expect={**COORDINATORS, "representative": 200, "other_representative": 200},
    ),
    Row(
        "areas:news:circular_create",
        kwargs={"code": "PA"},
        default=403,
        expect={**COORDINATORS, "representative": 200, "other_representative": 404},
    ),
    Row(
        "areas:news:circular",
        kwargs=pk("circular"),
        note="own area",
        default=403,
        expect={**COORDINATORS, "representative": 200, "other_representative": 404},
    ),
    Row(
        "areas:news:circular",
        kwargs=pk("other_circular"),
        note="other area",
        default=403,
        expect={**COORDINATORS, "representative": 404, "other_representative": 200},
    ),
    Row(
        "areas:news:circular_pdf",
        kwargs=pk("circular"),
        note="own area",
        default=403,
        expect={**COORDINATORS, "representative": 200, "other_representative": 404},
    ),
    Row(
        "areas:news:circular_pdf",
        kwargs=pk("other_circular"),
        note="other area",
        default=403,
        expect={**COORDINATORS, "representative": 404, "other_representative": 200},
    ),
    # Facilities: coordinators edit.
    Row("areas:news:facilities", default=403, expect=COORDINATORS),
    Row("areas:news:facility_create", default=403, expect=COORDINATORS),
    Row("areas:news:facility_edit", kwargs=pk("facility"), default=403, expect=COORDINATORS),
    # Open data: no login.
    Row("opendata:index", default=200, expect={}),
    Row("opendata:facilities_csv", default=200, expect={}),
    Row("opendata:facilities_json", default=200, expect={}),
]
