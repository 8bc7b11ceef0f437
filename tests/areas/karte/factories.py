"""Records of every app for one 年度, and the numbers they must produce."""

import datetime
import uuid

from areas.models import KarteIssue, Offer, Post
from areas.news.markup import search_text
from grants.models import Application, Payment, Programme
from liaisons.models import Consultation, SupportRequest
from meetings.models import Meeting, Registration
from surveys.models import Draw, Invitation, Register
from tests.factories import OrganisationFactory, UserFactory, local_issue

TZ = datetime.timezone(datetime.timedelta(hours=9))


def at(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=TZ)


def offer(organisation, title, *, kind=Offer.Kind.SKILL, issues=(), description=""):
    made = Offer.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        description=description,
        search_text=search_text(title, description, *[i.title for i in issues]),
    )
    made.issues.set(issues)
    return made


def meeting(
    area, when, *, kind=Meeting.Kind.AREA_MEETING, status=Meeting.Status.HELD, attended=(1,)
):
    """A meeting with one attended registration per party size in `attended`
    and one registration that did not come."""
    made = Meeting.objects.create(
        area=area,
        title=f"会合{uuid.uuid4().hex[:6]}",
        kind=kind,
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=2),
        registration_opens_at=when - datetime.timedelta(days=30),
        registration_closes_at=when - datetime.timedelta(days=1),
        capacity=50,
        status=status,
    )
    for size in attended:
        Registration.objects.create(
            meeting=made,
            name="参加者",
            email=f"{uuid.uuid4().hex[:8]}@example.jp",
            party_size=size,
            status=Registration.Status.CONFIRMED,
            attended_at=when,
        )
    Registration.objects.create(
        meeting=made,
        name="欠席者",
        email=f"{uuid.uuid4().hex[:8]}@example.jp",
        party_size=3,
        status=Registration.Status.CONFIRMED,
    )
    return made


def support_request(area, organisation, tier, when, status=SupportRequest.Status.SUBMITTED):
    return SupportRequest.objects.create(
        area=area,
        organisation=organisation,
        tier=tier,
        title="依頼",
        description="内容",
        submitted_at=when,
        status=status,
    )


def programme(fiscal_year, name="市民提案型まちづくり事業"):
    return Programme.objects.create(
        name=f"{name}{fiscal_year}{uuid.uuid4().hex[:4]}",
        kind=Programme.Kind.PROPOSAL,
        fiscal_year=fiscal_year,
        budget=5_000_000,
    )


def awarded(prog, organisation, area, applicant, amount, *, paid=0, status="approved"):
    app = Application.objects.create(
        programme=prog,
        organisation=organisation,
        area=area,
        applicant=applicant,
        title="防災マップづくり",
        purpose="地域の危険箇所を地図にする。",
        status=status,
        requested_amount=amount,
        approved_amount=amount if status in ("approved", "reporting", "closed") else None,
    )
    if paid:
        Payment.objects.create(
            application=app, amount=paid, paid_on=datetime.date(prog.fiscal_year, 7, 1)
        )
    return app


def survey(area, fiscal_year, *, invited, answered):
    register, _ = Register.objects.get_or_create(
        reference_date=datetime.date(fiscal_year, 4, 1),
        defaults={"purpose": "調査", "legal_basis": "条例", "row_count": 0},
    )
    draw = Draw.objects.create(
        title="市民意識調査",
        register=register,
        reference_date=register.reference_date,
        as_of=register.reference_date,
        method=Draw.Method.SIMPLE,
        size=invited,
        seed="s",
        purpose="調査",
        legal_basis="条例",
    )
    Draw.objects.filter(pk=draw.pk).update(created_at=at(fiscal_year, 6, 1))
    for number in range(invited):
        Invitation.objects.create(
            draw=draw,
            number=number + 1,
            area=area,
            age_band="40-49",
            code_digest=uuid.uuid4().hex,
            answered_at=at(fiscal_year, 6, 20) if number < answered else None,
        )
    return draw


def post(area, organisation, when, *, kind=Post.Kind.ACTIVITY):
    made = Post.objects.create(
        kind=kind,
        status=Post.Status.PUBLISHED,
        title="活動報告",
        body="本文",
        organisation=organisation if kind == Post.Kind.ACTIVITY else None,
        publish_at=when,
    )
    made.areas.set([area])
    return made


def _issue_numbers(area, fiscal_year):
    used = set(
        KarteIssue.objects.filter(area=area, fiscal_year=fiscal_year).values_list(
            "issue__number", flat=True
        )
    )
    return iter([n for n in range(1, 22) if n not in used])


def year_of_records(area, other_area, fiscal_year, *, scale=1):
    """Records in `area` for `fiscal_year` (and a few in the previous year and
    in another area that must not count). Returns the expected figures for
    `area` in `fiscal_year`. `scale` multiplies the records, not the shape."""
    issue_numbers = _issue_numbers(area, fiscal_year)
    organisation = OrganisationFactory(name=f"防災会{uuid.uuid4().hex[:4]}", areas=[area])
    other_organisation = OrganisationFactory(areas=[other_area])
    applicant = UserFactory()
    y = fiscal_year
    for _index in range(scale):
        meeting(area, at(y, 5, 10), attended=(1, 2))  # 3 participants
        meeting(area, at(y + 1, 3, 20), kind=Meeting.Kind.FORUM, attended=(1,))
        meeting(area, at(y, 9, 1), kind=Meeting.Kind.COURSE, attended=(2,))
        meeting(area, at(y, 10, 1), status=Meeting.Status.CANCELLED)
        meeting(area, at(y - 1, 6, 1), attended=(5,))  # previous year
        meeting(other_area, at(y, 6, 1), attended=(4,))  # other area
        meeting(area, at(y + 1, 4, 1), attended=(7,))  # next year
        for tier in ("A", "A", "B", "D", "E"):
            support_request(area, organisation, tier, at(y, 8, 1))
        support_request(area, organisation, "F", at(y, 8, 2), status=SupportRequest.Status.DONE)
        support_request(area, organisation, "C", at(y - 1, 8, 1))
        support_request(other_area, other_organisation, "F", at(y, 8, 1))
        Consultation.objects.create(
            area=area,
            channel=Consultation.Channel.PHONE,
            summary="相談",
            outcome=Consultation.Outcome.ANSWERED,
            received_on=datetime.date(y, 7, 1),
            topic=local_issue(3),
        )
        prog, previous = programme(y), programme(y - 1)
        awarded(prog, organisation, area, applicant, 300_000, paid=200_000)
        awarded(prog, organisation, area, applicant, 100_000, status="closed", paid=100_000)
        awarded(prog, organisation, area, applicant, 50_000, status="rejected")
        awarded(previous, organisation, area, applicant, 70_000, paid=70_000)
        awarded(prog, other_organisation, other_area, applicant, 999_000)
        survey(area, y, invited=8, answered=3)
        survey(other_area, y, invited=5, answered=5)
        post(area, organisation, at(y, 11, 1))
        post(area, organisation, at(y, 12, 1), kind=Post.Kind.NEWS)
        post(other_area, other_organisation, at(y, 11, 1))
        KarteIssue.objects.create(
            area=area,
            fiscal_year=y,
            issue=local_issue(next(issue_numbers)),
            priority=1,
            source=KarteIssue.Source.MEETING,
        )
        offer(organisation, "防災訓練の講師")
    n = scale
    return {
        "organisation": organisation,
        "held": 3 * n,
        "participants": 6 * n,
        "forums": 1 * n,
        "volunteers": 2 * n,
        "requests": 6 * n,
        "tier_A": 2 * n,
        "tier_B": n,
        "tier_C": 0,
        "tier_D": n,
        "tier_E": n,
        "tier_F": n,
        "df_share": "50.0",
        "done": n,
        "consultations": n,
        "awarded_count": 2 * n,
        "awarded_amount": 400_000 * n,
        "paid_amount": 300_000 * n,
        "invited": 8 * n,
        "answered": 3 * n,
        "response_rate": "37.5",
        "published": 2 * n,
        "reports": n,
        "karte_issues": n,
        "offers": n,
        "previous": {"held": n, "participants": 5 * n, "requests": n, "awarded_amount": 70_000 * n},
    }
