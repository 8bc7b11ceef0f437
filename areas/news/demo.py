"""Demo area information: news and activity reports in several areas, public
facilities, one subscriber and a 回覧板 for the coming month.

Call `areas.news.demo.seed(stdout)` from seed_demo after the areas and the
demo accounts exist. Safe to run twice; everything goes through services."""

import datetime
import io

from django.utils import timezone
from PIL import Image, ImageDraw

from areas.models import Area, Circular, Facility, LocalIssue, Organisation, Post, Subscription
from portal.audit import Actor
from portal.models import Role, User

from . import circular, services, subscriptions
from .forms import next_month

NEWS = [
    (
        "地域の防災訓練のお知らせ",
        "今年も**地域の防災訓練**を行います。\n\n- 日時：5月18日（日）午前10時から\n"
        "- 場所：桜ヶ丘公園\n\n消火器の使い方と、避難所までの道を確かめます。",
        ["A01"],
        [1],
        "参加する人数をお書きください。",
    ),
    (
        "ごみの出し方が変わります",
        "4月から、プラスチックは**毎週水曜日**の収集になります。詳しくは市のホームページをご覧ください。",
        [],
        [],
        "",
    ),
    (
        "子ども食堂のボランティア募集",
        "中央地域の子ども食堂で、調理と配膳を手伝ってくださる方を募集します。",
        ["A03"],
        [],
        "",
    ),
]
REPORTS = [
    (
        "桜ヶ丘一丁目自治会",
        "春の清掃活動を行いました",
        "4月の清掃活動に **32人** が参加しました。公園と通学路のごみを集めました。",
        [],
    ),
    (
        "関戸町内会",
        "回覧板の配り方を見直しました",
        "班ごとの回覧順を見直し、2日早く回るようになりました。",
        [],
    ),
]
FACILITIES = [
    ("A01", Facility.Kind.MEETING_PLACE, "桜ヶ丘集会所", "サクラガオカシュウカイジョ", "桜ヶ丘一丁目2番3号", "35.639000", "139.444000"),
    ("A01", Facility.Kind.PARK, "桜ヶ丘公園", "サクラガオカコウエン", "桜ヶ丘一丁目10番", "35.641000", "139.446000"),
    ("A03", Facility.Kind.SHELTER, "中央小学校（指定避難所）", "チュウオウショウガッコウ", "中央三丁目1番1号", "35.630000", "139.450000"),
]  # fmt: skip


def _photo():
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = Image.new("RGB", (800, 500), (180, 220, 240))
    ImageDraw.Draw(image).rectangle((80, 300, 720, 460), fill=(90, 160, 90))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile("cleanup.jpg", buffer.getvalue(), content_type="image/jpeg")


def seed(stdout):
    coordinator = User.objects.filter(email="coordinator@example.jp").first()
    representative = User.objects.filter(email="representative@example.jp").first()
    if coordinator is None:
        stdout.write("お知らせ: 職員のデモアカウントがないため作成しません")
        return
    staff = Actor.for_user(coordinator, Role.COORDINATOR)
    for title, body, area_codes, issue_numbers, reply in NEWS:
        if Post.objects.filter(title=title).exists():
            continue
        post = services.create_post(
            kind=Post.Kind.NEWS,
            content=services.PostContent(
                title=title,
                body=body,
                areas=list(Area.objects.filter(code__in=area_codes)),
                issues=list(LocalIssue.objects.filter(number__in=issue_numbers)),
                reply_prompt=reply,
            ),
            by=staff,
        )
        services.publish_post(post_id=post.pk, by=staff)
    for index, (organisation_name, title, body, _issues) in enumerate(REPORTS):
        organisation = Organisation.objects.filter(name=organisation_name).first()
        if organisation is None or Post.objects.filter(title=title).exists():
            continue
        author = representative if index == 0 and representative else coordinator
        by = Actor.for_user(
            author, Role.REPRESENTATIVE if author == representative else Role.COORDINATOR
        )
        post = services.create_post(
            kind=Post.Kind.ACTIVITY,
            content=services.PostContent(title=title, body=body),
            organisation=organisation,
            image=_photo() if index == 0 else None,
            image_alt="公園で清掃活動をする参加者" if index == 0 else "",
            by=by,
        )
        services.submit_post(post_id=post.pk, by=by)
        if index == 0:
            services.publish_post(post_id=post.pk, by=staff)
    for code, kind, name, kana, address, lat, lon in FACILITIES:
        area = Area.objects.filter(code=code).first()
        if area is None or Facility.objects.filter(name=name).exists():
            continue
        services.save_facility(
            values={
                "area": area,
                "kind": kind,
                "name": name,
                "name_kana": kana,
                "address": address,
                "latitude": lat,
                "longitude": lon,
                "open_days": "月火水木金土日",
                "opens_at": datetime.time(9, 0),
                "closes_at": datetime.time(21, 0),
                "barrier_free": "車いす用トイレあり",
            },
            by=staff,
        )
    resident = User.objects.filter(email="resident@example.jp").first()
    if resident and not Subscription.objects.filter(email=resident.email).exists():
        subscriptions.subscribe(
            email=resident.email,
            areas=list(Area.objects.filter(code="A01")),
            issues=[],
            frequency=Subscription.Frequency.WEEKLY,
            by=Actor.for_user(resident, Role.RESIDENT),
        )
    north = Area.objects.filter(code="A01").first()
    month = next_month(timezone.localdate())
    if north and not Circular.objects.filter(area=north, month=month).exists():
        posts = list(circular.candidate_posts(area=north)[:3])
        if posts:
            circular.create_circular(
                area=north,
                month=month,
                title=f"北部 回覧板 {month.year}年{month.month}月",
                issuer="桜ヶ丘一丁目自治会 会長",
                posts=posts,
                meeting_keys=[],
                households="1班 山田\n1班 佐藤\n1班 鈴木\n1班 高橋\n1班 田中",
                by=staff,
            )
    stdout.write(
        f"お知らせ・活動報告 {Post.objects.count()} 件、公共施設 {Facility.objects.count()} 件、"
        f"回覧板 {Circular.objects.count()} 件"
    )
