"""Demo karte, vision and directory: figures for this 年度 and the last,
issues with where they came from, what the demo organisations offer, and
a vision with actions linked to the demo meetings, requests and grants.

Call `areas.karte.demo.seed(stdout)` from seed_demo AFTER the other apps'
demos (it links their records). Safe to run twice; writes go through services.
"""

from areas.models import Area, KarteFigures, KarteIssue, LocalIssue, Offer, Organisation, Vision
from portal.audit import Actor
from portal.dates import fiscal_year
from portal.models import Role, User

from . import services

# code: (population, households, aged 65+, children under 15) last year; this year
# moves by the same small steps everywhere (fewer people, more of them older).
FIGURES = {
    "A01": (8420, 3710, 2350, 980),
    "A02": (6120, 2480, 1990, 720),
    "A03": (11250, 5620, 2710, 1380),
    "A04": (7340, 3380, 2870, 640),
    "A05": (9870, 4150, 1860, 1620),
}
# (area, issue number, priority, source, note)
ISSUES = [
    ("A01", 5, 1, KarteIssue.Source.SURVEY, "防災訓練への参加が高齢者に偏っている"),
    ("A01", 3, 1, KarteIssue.Source.MEETING, "一人暮らしの高齢者が増えている"),
    ("A01", 18, 2, KarteIssue.Source.CONSULTATION, "通学路の見通しの悪い交差点"),
    ("A01", 12, 3, KarteIssue.Source.REQUEST, ""),
    ("A02", 7, 1, KarteIssue.Source.SURVEY, "買い物の足がない"),
    ("A03", 13, 1, KarteIssue.Source.MEETING, "放課後の居場所が足りない"),
    ("A04", 20, 1, KarteIssue.Source.SURVEY, "坂の多い団地からの移動"),
    ("A05", 11, 2, KarteIssue.Source.MEETING, "留学生と地域の交流"),
]
# (organisation, kind, title, description, issue numbers)
OFFERS = [
    (
        "桜ヶ丘一丁目自治会",
        Offer.Kind.SKILL,
        "防災訓練の指導・運営",
        "消火器・AEDの使い方を教えられる役員がいます。",
        [5, 6],
    ),
    (
        "桜ヶ丘一丁目自治会",
        Offer.Kind.PLACE,
        "桜ヶ丘集会所（土日の午後）",
        "30人まで。座卓と湯沸かし器があります。",
        [2],
    ),
    (
        "桜ヶ丘一丁目自治会",
        Offer.Kind.EQUIPMENT,
        "防災倉庫の発電機・リヤカー",
        "地域の行事に貸し出せます。",
        [5],
    ),
    ("関戸町内会", Offer.Kind.SKILL, "回覧板の配布網", "班長を通じて3日で全戸に届きます。", [21]),
    (
        "東部地区社会福祉協議会",
        Offer.Kind.EQUIPMENT,
        "車いすの貸出",
        "短期間の貸出ができます。",
        [7, 20],
    ),
    (
        "東部地区社会福祉協議会",
        Offer.Kind.SKILL,
        "見守り活動の研修",
        "民生委員と一緒に見守りの基本を学べます。",
        [3, 4],
    ),
    (
        "NPO法人まちのえんがわ",
        Offer.Kind.PLACE,
        "調理室のある活動スペース",
        "子ども食堂の日以外に使えます。",
        [12, 13],
    ),
    (
        "架空大学 地域連携センター",
        Offer.Kind.SKILL,
        "学生ボランティアの派遣",
        "避難所運営訓練や学習支援に学生が参加します。",
        [5, 13],
    ),
    (
        "架空電鉄株式会社",
        Offer.Kind.PLACE,
        "駅前広場",
        "イベントの会場として相談に応じます。",
        [15],
    ),
]


def _coordinator():
    user = User.objects.filter(email="coordinator@example.jp").first()
    if user is None:
        return Actor.for_system("seed_demo")
    return Actor.for_user(user, Role.COORDINATOR)


def seed(stdout):
    by = _coordinator()
    year = fiscal_year()
    _figures(year, by)
    _issues(year, by)
    _offers(by)
    _vision(year, by)
    stdout.write("地域カルテ・ビジョン・団体の提供: 作成しました")


def _figures(year, by):
    areas = {a.code: a for a in Area.objects.filter(code__in=FIGURES)}
    for code, (population, households, aged, children) in FIGURES.items():
        area = areas.get(code)
        if area is None:
            continue
        for fy, step in ((year - 1, 0), (year, 1)):
            if KarteFigures.objects.filter(area=area, fiscal_year=fy).exists():
                continue
            services.save_figures(
                area=area,
                fiscal_year=fy,
                values={
                    "population": population - 60 * step,
                    "households": households + 15 * step,
                    "aged_65_plus": aged + 45 * step,
                    "children_under_15": children - 20 * step,
                },
                by=by,
            )


def _issues(year, by):
    areas = {a.code: a for a in Area.objects.all()}
    issues = {i.number: i for i in LocalIssue.objects.all()}
    for code, number, priority, source, note in ISSUES:
        area = areas.get(code)
        if area is None or number not in issues:
            continue
        if KarteIssue.objects.filter(
            area=area, fiscal_year=year, issue=issues[number], source=source
        ).exists():
            continue
        services.add_karte_issue(
            area=area,
            fiscal_year=year,
            issue=issues[number],
            priority=priority,
            source=source,
            note=note,
            by=by,
        )


def _offers(by):
    issues = {i.number: i for i in LocalIssue.objects.all()}
    for name, kind, title, description, numbers in OFFERS:
        organisation = Organisation.objects.filter(name=name).first()
        if organisation is None or organisation.offers.filter(title=title).exists():
            continue
        services.save_offer(
            organisation=organisation,
            content=services.OfferContent(
                kind=kind,
                title=title,
                description=description,
                issues=[issues[n] for n in numbers if n in issues],
            ),
            by=by,
        )


def _vision(year, by):
    from grants.models import Application
    from liaisons.models import SupportRequest
    from meetings.models import Meeting

    area = Area.objects.filter(code="A01").first()
    if area is None or Vision.objects.filter(area=area).exists():
        return
    vision = services.save_vision(
        area=area,
        values={
            "title": "顔が見えて、災害に強い桜ヶ丘",
            "text": "あいさつが交わされ、困ったときに頼れる人が近くにいるまち。\n"
            "災害のときも、誰ひとり取り残さずに避難できる地域を目指します。",
            "first_year": year,
            "last_year": year + 4,
            "is_published": True,
        },
        by=by,
    )
    issues = {i.number: i for i in LocalIssue.objects.filter(number__in=[3, 5, 6])}
    safety = services.save_goal(
        vision=vision,
        values={"number": 1, "title": "災害への備えを地域全体で", "description": ""},
        issues=[issues[n] for n in (5, 6) if n in issues],
        by=by,
    )
    care = services.save_goal(
        vision=vision,
        values={"number": 2, "title": "一人暮らしの高齢者を見守る", "description": ""},
        issues=[issues[3]] if 3 in issues else [],
        by=by,
    )
    jichikai = Organisation.objects.filter(name="桜ヶ丘一丁目自治会").first()
    meetings = list(Meeting.objects.filter(area=area).exclude(status="draft")[:2])
    requests = list(SupportRequest.objects.filter(area=area)[:1])
    grants = list(Application.objects.filter(area=area).exclude(status="draft")[:1])
    drill = services.save_action(
        goal=safety,
        values={
            "title": "学生と一緒の避難所運営訓練",
            "description": "大学の学生ボランティアと、避難所の開設から受付までを練習します。",
            "owner_kind": "joint" if jichikai else "city",
            "owner_organisation": jichikai,
            "owner_department": "危機管理課",
            "starts_on": None,
            "ends_on": None,
        },
        meetings=meetings,
        requests=requests,
        applications=grants,
        by=by,
    )
    services.move_action(action_id=drill.pk, to="in_progress", by=by)
    services.save_action(
        goal=care,
        values={
            "title": "見守り研修と訪問の仕組みづくり",
            "description": "社協の研修を受けた住民が、月に一度声をかけます。",
            "owner_kind": "city",
            "owner_organisation": None,
            "owner_department": "福祉総務課",
            "starts_on": None,
            "ends_on": None,
        },
        by=by,
    )
