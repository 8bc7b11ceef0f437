"""Demo grants (seed_demo): a lump-sum programme for 令和8年度 with an approved
allocation over the five areas, and a proposal programme with applications
from 桜ヶ丘一丁目自治会 in every state — a draft, one submitted, one in
review, one approved, one rejected (with its reason), one reporting and one
closed (its report accepted). Each step checks what is already there, so the
demo can be built again (and a demo built before these states gains them)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from areas.models import Area, LocalIssue, Organisation
from portal.audit import Actor
from portal.models import Role, User

from .models import Application, Programme
from .services import allocation, applications, programmes, reports, review

FISCAL_YEAR = 2026
LUMP_SUM_NAME = "地域一括交付金"
PROPOSAL_NAME = "市民提案型まちづくり事業"
# Population and households per demo area (entered by the coordinator).
AREA_FIGURES = {
    "A01": (18_420, 8_110),
    "A02": (12_960, 5_240),
    "A03": (21_350, 11_020),
    "A04": (15_780, 7_390),
    "A05": (19_840, 8_650),
}
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _user(email):
    return User.objects.get(email=email)


def seed(stdout):
    coordinator = Actor.for_user(_user("coordinator@example.jp"), Role.COORDINATOR)
    _seed_lump_sum(coordinator)
    _seed_proposal(coordinator)
    stdout.write("交付金: 地域一括交付金と市民提案型まちづくり事業（令和8年度）")


def _seed_lump_sum(coordinator):
    if Programme.objects.filter(name=LUMP_SUM_NAME, fiscal_year=FISCAL_YEAR).exists():
        return
    programme = programmes.create_programme(
        name=LUMP_SUM_NAME,
        kind=Programme.Kind.LUMP_SUM,
        fiscal_year=FISCAL_YEAR,
        budget=50_000_000,
        eligibility="各地域の地域協議会が、地域ビジョンに沿って使い道を決めます。",
        by=coordinator,
    )
    areas = {area.code: area for area in Area.objects.filter(code__in=AREA_FIGURES)}
    allocation.set_inputs(
        programme_id=programme.pk,
        inputs={areas[code]: figures for code, figures in AREA_FIGURES.items() if code in areas},
        source="令和8年4月1日現在の住民基本台帳（集計値）",
        by=coordinator,
    )
    allocation.set_weights(
        programme_id=programme.pk,
        base_weight=30,
        per_capita_weight=50,
        per_household_weight=20,
        by=coordinator,
    )
    allocation.approve_allocation(programme_id=programme.pk, by=coordinator)


BUDGET = [
    ("expense", "印刷製本費", 180_000, "防災マップ 2,000部"),
    ("expense", "消耗品費", 60_000, "名札・筆記具・模造紙"),
    ("expense", "講師謝礼", 40_000, "防災士 2回"),
    ("income", "自治会費", 30_000, ""),
]


MAP_PLAN = "5月と10月に町歩きを行い、危険箇所を地図にまとめて全戸に配布します。"


def _application(programme, organisation, representative, title, purpose, issues, plan=MAP_PLAN):
    application = applications.create_application(
        programme=programme,
        organisation=organisation,
        area=organisation.areas.order_by("code").first(),
        title=title,
        purpose=purpose,
        plan=plan,
        issues=issues,
        by=representative,
    )
    applications.update_application(
        application_id=application.pk,
        title=title,
        purpose=purpose,
        plan=application.plan,
        area=application.area,
        issues=issues,
        budget_lines=BUDGET,
        by=representative,
    )
    applications.add_attachment(
        application_id=application.pk,
        upload=SimpleUploadedFile("jigyo-keikaku.pdf", DEMO_PDF),
        label="事業計画書",
        by=representative,
    )
    return application


def _seed_proposal(coordinator):
    programme = Programme.objects.filter(name=PROPOSAL_NAME, fiscal_year=FISCAL_YEAR).first()
    if programme is None:
        programme = _seed_first_applications(coordinator)
    _seed_decided(programme, coordinator)


def _seed_first_applications(coordinator):
    programme = programmes.create_programme(
        name=PROPOSAL_NAME,
        kind=Programme.Kind.PROPOSAL,
        fiscal_year=FISCAL_YEAR,
        budget=3_000_000,
        # Open on the day the demo is built, whenever that is.
        opens_on=min(datetime.date(2026, 4, 1), timezone.localdate()),
        closes_on=max(
            datetime.date(2027, 1, 31), timezone.localdate() + datetime.timedelta(days=60)
        ),
        eligibility="市内で活動する自治会・町内会・NPOなどが、地域課題の解決に取り組む事業。上限50万円。",
        required_attachments="事業計画書\n団体の規約・名簿",
        criteria=[("地域課題との関連", 3, 5), ("実現可能性", 2, 5), ("継続性・波及効果", 2, 5)],
        by=coordinator,
    )
    organisation = Organisation.objects.get(name="桜ヶ丘一丁目自治会")
    representative = Actor.for_user(_user("representative@example.jp"), Role.REPRESENTATIVE)
    reviewer = _user("reviewer@example.jp")
    senior = _user("senior-officer@example.jp")
    issues = list(LocalIssue.objects.order_by("number")[:2])

    in_review = _application(
        programme,
        organisation,
        representative,
        "桜ヶ丘防災マップづくり",
        "災害時に助け合える地域をつくるため、住民が歩いて危険箇所と避難経路を確かめる。",
        issues,
    )
    reporting = _application(
        programme,
        organisation,
        representative,
        "多世代のつどい「桜ヶ丘カフェ」",
        "高齢者と子育て世代が気軽に集まれる場を月1回ひらき、顔の見える関係をつくる。",
        issues[1:],
    )
    _application(
        programme,
        organisation,
        representative,
        "公園花壇の手入れ（下書き）",
        "公園の花壇を住民で手入れする。",
        [],
    )
    reviewer_actor = Actor.for_user(reviewer, Role.REVIEWER)
    for application in (in_review, reporting):
        applications.submit_application(application_id=application.pk, by=representative)
        applications.start_review(application_id=application.pk, by=coordinator)
        review.assign_reviewer(application_id=application.pk, reviewer=reviewer, by=coordinator)
    review.assign_reviewer(application_id=in_review.pk, reviewer=senior, by=coordinator)

    review.declare_conflict(application_id=reporting.pk, conflicted=False, by=reviewer_actor)
    criteria = list(programme.criteria.all())
    review.submit_scores(
        application_id=reporting.pk,
        scores={c.pk: 4 for c in criteria},
        comment="地域の居場所づくりとして期待できる。",
        by=reviewer_actor,
    )
    applications.approve_application(
        application_id=reporting.pk,
        amount=200_000,
        conditions="事業終了後30日以内に実績報告書と領収書を提出すること。",
        by=coordinator,
    )
    lines = {line.item: line for line in reporting.budget_lines.all()}
    reports.save_report(
        application_id=reporting.pk,
        activities="6月から11月まで毎月1回、集会所でカフェを開いた。",
        events_held=6,
        participants=148,
        outcomes="参加者の半数が初めて自治会の行事に来た人だった。",
        actuals={
            lines["印刷製本費"].pk: 172_400,
            lines["消耗品費"].pk: 64_180,
            lines["講師謝礼"].pk: 40_000,
            lines["自治会費"].pk: 30_000,
        },
        by=representative,
    )
    reports.submit_report(application_id=reporting.pk, by=representative)
    assert Application.objects.get(pk=reporting.pk).status == Application.Status.REPORTING
    return programme


SUBMITTED_TITLE = "子ども見守りボランティア講座"
APPROVED_TITLE = "桜ヶ丘ふれあい運動会"
REJECTED_TITLE = "自治会館の冷暖房更新"
CLOSED_TITLE = "川沿い遊歩道の清掃と花植え"


def _seed_decided(programme, coordinator):
    """The states the first applications do not reach: submitted, approved,
    rejected (with its reason) and closed (its report accepted)."""
    done = set(programme.applications.values_list("title", flat=True))
    organisation = Organisation.objects.get(name="桜ヶ丘一丁目自治会")
    representative = Actor.for_user(_user("representative@example.jp"), Role.REPRESENTATIVE)
    issues = list(LocalIssue.objects.order_by("number")[:3])

    def submitted(title, purpose, chosen, plan):
        application = _application(
            programme, organisation, representative, title, purpose, chosen, plan
        )
        applications.submit_application(application_id=application.pk, by=representative)
        return application

    if SUBMITTED_TITLE not in done:
        submitted(
            SUBMITTED_TITLE,
            "登下校の見守りに加わる住民を増やすため、講座を2回ひらく。",
            issues[:1],
            "6月と9月に集会所で講座をひらき、見守りの当番表をつくります。",
        )
    if APPROVED_TITLE not in done:
        application = submitted(
            APPROVED_TITLE,
            "世代をこえて顔を合わせる機会として、秋に町内の運動会をひらく。",
            issues[1:2],
            "10月に小学校の校庭を借りて運動会をひらきます。",
        )
        applications.start_review(application_id=application.pk, by=coordinator)
        applications.approve_application(
            application_id=application.pk,
            amount=150_000,
            conditions="参加者数を実績報告に記載すること。",
            by=coordinator,
        )
    if REJECTED_TITLE not in done:
        application = submitted(
            REJECTED_TITLE,
            "自治会館の冷暖房を更新し、夏と冬も集まれるようにする。",
            issues[2:3],
            "自治会館の冷暖房機2台を入れ替えます。",
        )
        applications.start_review(application_id=application.pk, by=coordinator)
        applications.reject_application(
            application_id=application.pk,
            reason="施設の設備更新は本事業の対象外です（地域一括交付金または施設修繕の補助制度をご利用ください）。",
            by=coordinator,
        )
    if CLOSED_TITLE not in done:
        application = submitted(
            CLOSED_TITLE,
            "川沿いの遊歩道を住民で清掃し、花を植えて散歩しやすい道にする。",
            issues[:2],
            "5月と10月に清掃活動を行い、遊歩道沿いに花壇をつくります。",
        )
        applications.start_review(application_id=application.pk, by=coordinator)
        applications.approve_application(
            application_id=application.pk,
            amount=200_000,
            conditions="事業終了後30日以内に実績報告書と領収書を提出すること。",
            by=coordinator,
        )
        lines = {line.item: line for line in application.budget_lines.all()}
        reports.save_report(
            application_id=application.pk,
            activities="5月と10月に清掃活動を行い、遊歩道沿いに花壇を3か所つくった。",
            events_held=2,
            participants=86,
            outcomes="清掃後、遊歩道のごみの投げ捨てが目に見えて減った。",
            actuals={
                lines["印刷製本費"].pk: 120_000,
                lines["消耗品費"].pk: 58_300,
                lines["講師謝礼"].pk: 40_000,
                lines["自治会費"].pk: 30_000,
            },
            by=representative,
        )
        reports.submit_report(application_id=application.pk, by=representative)
        reports.decide_report(
            application_id=application.pk,
            accept=True,
            comment="領収書と実績を確認しました。",
            by=coordinator,
        )
