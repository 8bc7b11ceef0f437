"""Demo meetings: a series of three area meetings in A01 (held, open with a
waiting list, draft), a workshop in A03, and a closed and a cancelled one."""

import datetime

from django.utils import timezone

from areas.models import Area, LocalIssue
from portal.audit import Actor
from portal.models import Role, User

from . import services
from .models import Meeting, MeetingSeries, Registration
from .services import MeetingDetails, Participant

SERIES_TITLE = "桜ヶ丘地域 エリアミーティング 2026"
NAMES = [
    ("関戸 一郎", "セキド イチロウ"),
    ("一ノ宮 さくら", "イチノミヤ サクラ"),
    ("落合 次郎", "オチアイ ジロウ"),
    ("豊ヶ丘 美穂", "トヨガオカ ミホ"),
    ("貝取 健太", "カイドリ ケンタ"),
    ("鶴牧 和子", "ツルマキ カズコ"),
    ("唐木田 誠", "カラキダ マコト"),
    ("永山 直子", "ナガヤマ ナオコ"),
    ("愛宕 修", "アタゴ オサム"),
    ("連光寺 陽子", "レンコウジ ヨウコ"),
]


def _at(days, hour, minute=0):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _details(area, title, kind, days, *, series=None, theme=None, hours=(10, 12), **extra):
    return MeetingDetails(
        area=area,
        title=title,
        kind=kind,
        starts_at=_at(days, hours[0]),
        ends_at=_at(days, hours[1]),
        registration_opens_at=_at(days - 45, 9),
        registration_closes_at=_at(days - 1, 17),
        series=series,
        theme_issue=theme,
        venue_name=extra.pop("venue_name", "桜ヶ丘地区センター 第1会議室"),
        venue_address=extra.pop("venue_address", "架空市桜ヶ丘一丁目2番3号"),
        contact="協働推進課",
        contact_phone="042-000-0000",
        **extra,
    )


def _meeting(title, make):
    existing = Meeting.objects.filter(title=title).first()
    return (existing, False) if existing else (make(), True)


def _phone(name):
    """The demo's registrants phoned in: one number per person, so that the
    series counts each of them once across its meetings."""
    return f"042-000-{1000 + [n for n, _kana in NAMES].index(name):04d}"


def _fill(meeting, names, *, by, now, party=1):
    for name, kana in names:
        services.register_for_meeting(
            meeting_id=meeting.pk,
            user=None,
            participant=Participant(
                name=name, name_kana=kana, phone=_phone(name), party_size=party
            ),
            by=by,
            now=now,
        )


def seed(stdout):
    coordinator = User.objects.get(email="coordinator@example.jp")
    by = Actor.for_user(coordinator, Role.COORDINATOR)
    officers = list(
        User.objects.filter(email__in=["officer@example.jp", "senior-officer@example.jp"])
    )
    resident = User.objects.get(email="resident@example.jp")
    a01, a03 = Area.objects.get(code="A01"), Area.objects.get(code="A03")
    disaster = (
        LocalIssue.objects.filter(title__contains="防災").first() or LocalIssue.objects.first()
    )

    series = MeetingSeries.objects.filter(title=SERIES_TITLE).first()
    if series is None:
        series = services.create_series(
            area=a01,
            title=SERIES_TITLE,
            description="無作為抽出の案内状をきっかけに集まった住民による3回連続の話し合い。",
            by=by,
        )
        # The invitation and the answers were on paper.
        services.set_funnel_figures(
            series_id=series.pk, sampled_count=2803, answered_count=538, by=by
        )

    def create(details, capacity):
        return services.create_meeting(
            details=details, capacity=capacity, facilitators=officers, by=by
        )

    first, created = _meeting(
        "第1回 エリアミーティング（防災）",
        lambda: create(
            _details(
                a01,
                "第1回 エリアミーティング（防災）",
                Meeting.Kind.AREA_MEETING,
                -30,
                series=series,
                theme=disaster,
                description="地域の防災について、住民どうしで話し合いました。",
            ),
            20,
        ),
    )
    if created:
        services.move_meeting(meeting_id=first.pk, to=Meeting.Status.OPEN, by=by)
        _fill(first, NAMES, by=by, now=_at(-40, 12))
        for registration in Registration.objects.filter(meeting=first).order_by("pk")[:7]:
            services.check_in(registration_id=registration.pk, attended=True, by=by)
        services.move_meeting(meeting_id=first.pk, to=Meeting.Status.HELD, by=by)
        services.save_minutes(
            meeting_id=first.pk,
            minutes="参加者7人。避難所までの道を地図に書きこみ、危ない場所を3つ見つけた。次回はまちづくりシミュレーションゲームを行う。",
            by=by,
        )
        idea = services.add_idea(
            meeting_id=first.pk,
            kind="issue",
            text="避難所までの坂道に手すりがない",
            issue=disaster,
            by=by,
        )
        services.push_idea_to_karte(idea_id=idea.pk, by=by)
        services.add_idea(
            meeting_id=first.pk,
            kind="idea",
            text="子ども向けの防災まち歩きを開く",
            issue=None,
            by=by,
        )

    second, created = _meeting(
        "第2回 エリアミーティング（まちづくりシミュレーションゲーム）",
        lambda: create(
            _details(
                a01,
                "第2回 エリアミーティング（まちづくりシミュレーションゲーム）",
                Meeting.Kind.AREA_MEETING,
                10,
                series=series,
                theme_text="まちづくりシミュレーションゲーム",
                online_url="https://meet.example.jp/sakuragaoka-2",
                description="ゲームを通して、10年後の地域を考えます。会場とオンラインのどちらでも参加できます。",
            ),
            8,
        ),
    )
    if created:
        services.move_meeting(meeting_id=second.pk, to=Meeting.Status.OPEN, by=by)
        services.register_for_meeting(
            meeting_id=second.pk,
            user=resident,
            participant=Participant(
                name=resident.full_name,
                name_kana=resident.full_name_kana,
                email=resident.email,
                party_size=2,
                childcare_requested=True,
                childcare_children=1,
            ),
            by=Actor.for_user(resident, Role.RESIDENT),
        )
        # Nearly full: six more seats taken, then two parties wait.
        _fill(second, NAMES[:5], by=by, now=None)
        _fill(second, NAMES[5:8], by=by, now=None)

    _meeting(
        "第3回 エリアミーティング（地域カルテづくり）",
        lambda: create(
            _details(
                a01,
                "第3回 エリアミーティング（地域カルテづくり）",
                Meeting.Kind.AREA_MEETING,
                40,
                series=series,
                theme_text="地域カルテづくり",
            ),
            20,
        ),
    )

    workshop, created = _meeting(
        "商店街の空き店舗を使うワークショップ",
        lambda: create(
            _details(
                a03,
                "商店街の空き店舗を使うワークショップ",
                Meeting.Kind.WORKSHOP,
                14,
                hours=(13, 16),
                venue_name="中央公民館 ホール",
                venue_address="架空市中央三丁目1番1号",
            ),
            30,
        ),
    )
    if created:
        services.move_meeting(meeting_id=workshop.pk, to=Meeting.Status.OPEN, by=by)

    course, created = _meeting(
        "地域の担い手養成講座",
        lambda: create(
            _details(
                a03,
                "地域の担い手養成講座",
                Meeting.Kind.COURSE,
                21,
                hours=(18, 20),
                venue_name="中央公民館 講座室",
                venue_address="架空市中央三丁目1番1号",
            ),
            25,
        ),
    )
    if created:
        services.move_meeting(meeting_id=course.pk, to=Meeting.Status.OPEN, by=by)
        services.move_meeting(meeting_id=course.pk, to=Meeting.Status.CLOSED, by=by)

    forum, created = _meeting(
        "地域協議体 準備会",
        lambda: create(
            _details(a01, "地域協議体 準備会", Meeting.Kind.FORUM, 5, hours=(19, 21)),
            15,
        ),
    )
    if created:
        services.move_meeting(meeting_id=forum.pk, to=Meeting.Status.OPEN, by=by)
        services.move_meeting(
            meeting_id=forum.pk, to=Meeting.Status.CANCELLED, by=by, note="会場の都合"
        )

    stdout.write(
        f"ミーティング {Meeting.objects.count()} 件、申込み {Registration.objects.count()} 件"
    )
