"""Demo records of the liaisons app: two officers on A01/A02, requests of
every tier and state from 桜ヶ丘一丁目自治会, a phone request and consultations."""

import datetime
from decimal import Decimal

from areas.models import Area, LocalIssue, Organisation
from portal.audit import Actor
from portal.models import Role, User

from . import services
from .models import AreaAssignment, Consultation, OfficerProfile, SupportRequest

Status = SupportRequest.Status

OFFICERS = [
    # email, department, experience, [(area, kind)]
    ("officer@example.jp", "協働推進課", "general", [("A01", "main"), ("A02", "sub")]),
    ("senior-officer@example.jp", "地域振興課", "experienced", [("A02", "main"), ("A01", "sub")]),
]

# title, tier, description, final state, officer email (None: nobody yet)
REQUESTS = [
    (
        "夏祭りのテント設営の手伝い",
        "A",
        "8月の夏祭りでテントの設営と撤去を手伝ってほしい。",
        Status.DONE,
        "officer@example.jp",
    ),
    (
        "集会所の使用届の書き方",
        "B",
        "集会所の使用届の書き方を教えてほしい。",
        Status.IN_PROGRESS,
        "officer@example.jp",
    ),
    ("会計帳簿の整理", "C", "会計の引継ぎで帳簿の整理を手伝ってほしい。", Status.SUBMITTED, None),
    (
        "総会の進行支援",
        "D",
        "5月の総会で議事の進行を支えてほしい。",
        Status.ASSIGNED,
        "senior-officer@example.jp",
    ),
    (
        "防災訓練の補助金の相談",
        "E",
        "防災訓練に使える補助金を知りたい。",
        Status.REFERRED,
        "senior-officer@example.jp",
    ),
    (
        "地域ビジョンづくりの進め方",
        "F",
        "地域カルテをもとにビジョンをまとめたい。",
        Status.TRIAGED,
        None,
    ),
    ("役員会への毎回の出席", "D", "毎月の役員会に出席してほしい。", Status.DECLINED, None),
]


def _actor(email, role):
    return Actor.for_user(User.objects.get(email=email), role)


def _seed_officers(admin):
    start = datetime.date(2026, 4, 1)
    for email, department, experience, areas in OFFICERS:
        user = User.objects.get(email=email)
        officer = OfficerProfile.objects.filter(user=user).first()
        if officer is None:
            officer = services.create_officer_profile(
                user=user, department=department, experience=experience, by=admin
            )
        for code, kind in areas:
            area = Area.objects.get(code=code)
            if not AreaAssignment.objects.filter(officer=officer, area=area).exists():
                services.assign_area(
                    officer=officer, area=area, kind=kind, valid_from=start, by=admin
                )


def _work(request, state, officer_email, coordinator):
    if state == Status.SUBMITTED:
        return
    if state == Status.DECLINED:
        services.decline_request(
            request_id=request.pk,
            reason="毎回の出席は難しいため、年に数回の同席でお手伝いします。",
            by=coordinator,
        )
        return
    services.triage_request(request_id=request.pk, by=coordinator)
    if state == Status.TRIAGED:
        return
    officer = OfficerProfile.objects.get(user__email=officer_email)
    services.assign_request(request_id=request.pk, officer_id=officer.pk, by=coordinator)
    if state == Status.ASSIGNED:
        return
    worker = _actor(officer_email, Role.LIAISON_OFFICER)
    if state == Status.REFERRED:
        services.refer_request(
            request_id=request.pk, department="防災安全課", hours=Decimal("1.5"), by=worker
        )
        return
    services.start_request(request_id=request.pk, by=worker)
    if state == Status.DONE:
        services.complete_request(
            request_id=request.pk,
            hours=Decimal("4"),
            outcome="職員2名でテントの設営と撤去を手伝いました。",
            by=worker,
        )
        services.rate_request(
            request_id=request.pk,
            rating=5,
            comment="とても助かりました。",
            by=_actor("representative@example.jp", Role.REPRESENTATIVE),
        )


def _seed_requests():
    organisation = Organisation.objects.get(name="桜ヶ丘一丁目自治会")
    area = Area.objects.get(code="A01")
    representative = _actor("representative@example.jp", Role.REPRESENTATIVE)
    coordinator = _actor("coordinator@example.jp", Role.COORDINATOR)
    for title, tier, description, state, officer_email in REQUESTS:
        if SupportRequest.objects.filter(organisation=organisation, title=title).exists():
            continue
        request = services.submit_request(
            organisation=organisation,
            area=area,
            tier=tier,
            title=title,
            description=description,
            by=representative,
        )
        _work(request, state, officer_email, coordinator)
    shakyo = Organisation.objects.get(name="東部地区社会福祉協議会")
    title = "サロン運営の助成金の紹介"
    if not SupportRequest.objects.filter(organisation=shakyo, title=title).exists():
        services.submit_request(
            organisation=shakyo,
            area=Area.objects.get(code="A02"),
            tier="E",
            title=title,
            description="高齢者サロンの運営に使える助成金を紹介してほしい（電話で受付）。",
            channel=SupportRequest.Channel.PHONE,
            contact_name="東部地区社協 事務局",
            contact_phone="042-000-0000",
            by=_actor("senior-officer@example.jp", Role.LIAISON_OFFICER),
        )


CONSULTATIONS = [
    ("A01", "walk_in", 1, "ごみ集積所の場所について相談があった。", "referred", "環境政策課"),
    ("A01", "phone", 2, "防犯灯の故障の連絡先を知りたい。", "answered", ""),
    ("A02", "phone", 3, "サロンの会場探しの相談。", "follow_up", ""),
]


def _seed_consultations():
    officer = _actor("officer@example.jp", Role.LIAISON_OFFICER)
    for code, channel, issue_number, summary, outcome, department in CONSULTATIONS:
        if Consultation.objects.filter(summary=summary).exists():
            continue
        services.log_consultation(
            area=Area.objects.get(code=code),
            channel=channel,
            received_on=datetime.date(2026, 6, 10),
            topic=LocalIssue.objects.filter(number=issue_number).first(),
            summary=summary,
            outcome=outcome,
            referred_department=department,
            by=officer,
        )


def seed(stdout):
    admin = _actor("admin@example.jp", Role.ADMINISTRATOR)
    _seed_officers(admin)
    _seed_requests()
    _seed_consultations()
    stdout.write(
        f"地域担当職員 {OfficerProfile.objects.count()} 人、支援依頼 "
        f"{SupportRequest.objects.count()} 件、相談記録 {Consultation.objects.count()} 件"
    )
