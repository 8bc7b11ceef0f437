"""Demo records of the surveys app: a register of fake residents (the
format sample's 300 rows plus 1,500 generated ones, more of them in 桜ヶ丘
(A01), the area of the demo's meeting series), a draw of 300 with access
codes, the survey with generated answers, and paper answers with volunteer
slips from A01. The A01 series' funnel then reads, from the records:
letters sent ≥ answered ≥ applied ≥ registered ≥ attended."""

from datetime import date
from pathlib import Path

from portal.audit import Actor
from portal.models import Role, User

from . import services
from .models import Draw, Register
from .panels import demo as panels_demo

REGISTER_CSV = Path(__file__).parent / "demo_data" / "register_demo_cp932.csv"
REFERENCE_DATE = date(2026, 10, 1)
PURPOSE = "令和8年度 市民意識調査（地域活動と地域課題）の対象者抽出"
LEGAL_BASIS = "住民基本台帳法第11条の2・個人情報保護審議会の承認"
APPROVAL = {
    "approval_body": "架空市個人情報保護審議会",
    "approval_number": "架個審第12号",
    "approval_date": date(2026, 9, 1),
}


def seed(stdout):
    coordinator = User.objects.get(email="coordinator@example.jp")
    by = Actor.for_user(coordinator, Role.COORDINATOR)
    register = Register.objects.filter(reference_date=REFERENCE_DATE).first()
    if register is None or not register.row_count:
        import io

        with REGISTER_CSV.open("rb") as handle:
            result = services.import_register(
                data=io.BytesIO(handle.read() + generated_residents()),
                reference_date=REFERENCE_DATE,
                purpose=PURPOSE,
                legal_basis=LEGAL_BASIS,
                by=by,
                **APPROVAL,
            )
        register = result.register
        stdout.write(f"surveys: imported a register of {result.rows} residents")
    if not Draw.objects.filter(register=register).exists():
        draw = services.draw_sample(
            register=register,
            title="令和8年度 市民意識調査",
            size=DRAW_SIZE,
            seed="demo-2026",
            method=Draw.Method.STRATIFIED,
            age_min=40,
            age_max=79,
            purpose=PURPOSE,
            legal_basis=LEGAL_BASIS,
            answer_deadline=date(2026, 11, 30),
            closes_on=date(2026, 12, 15),
            by=by,
            **APPROVAL,
        )
        stdout.write(f"surveys: drew {draw.invitations.count()} residents with access codes")
    draw = Draw.objects.filter(register=register).order_by("pk").first()
    if draw is not None:
        seed_survey(stdout, by, draw)
        seed_volunteers(stdout, by)
    panels_demo.seed(stdout)


DRAW_SIZE = 300
EXTRA_RESIDENTS = 1500
EXTRA_SEED = 2610


def generated_residents():
    """More register rows (cp932, no header) after the format sample: Faker's
    names and addresses, birth years 1938–2008, three times as many per
    district in A01 as elsewhere."""
    import random

    from faker import Faker

    from areas.models import District

    districts = list(District.objects.select_related("area").order_by("code"))
    if not districts:
        return b""
    weights = [3 if d.area.code == "A01" else 1 for d in districts]
    fake = Faker("ja_JP")
    fake.seed_instance(EXTRA_SEED)
    rng = random.Random(EXTRA_SEED)
    lines = []
    for n in range(EXTRA_RESIDENTS):
        district = rng.choices(districts, weights=weights)[0]
        female = rng.random() < 0.52
        last, last_kana = fake.last_name_pair()[:2]
        pair = fake.first_name_female_pair() if female else fake.first_name_male_pair()
        first, first_kana = pair[:2]
        birth = date(rng.randint(1938, 2008), rng.randint(1, 12), rng.randint(1, 28))
        lines.append(
            ",".join(
                [
                    f"09{n:06d}",
                    f"{last} {first}",
                    f"{last_kana} {first_kana}",
                    birth.isoformat(),
                    "2" if female else "1",
                    f"206-{rng.randint(0, 9999):04d}",
                    f"架空市{district.name}{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
                    district.code,
                    f"H9{n:06d}",
                ]
            )
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


SURVEY_CODE = "R8-ishiki"
EARLIER_CODE = "R5-ishiki"


def seed_survey(stdout, by, draw):
    """The standard questionnaire on the demo draw, a few hundred generated
    answers, and an earlier survey imported for comparison."""
    from areas.models import Area

    from .questionnaires import services as questionnaires
    from .questionnaires.generate import answers_csv
    from .questionnaires.imports import import_answers
    from .questionnaires.models import Questionnaire, Survey

    areas = list(Area.objects.order_by("code").values_list("code", flat=True))
    if not Survey.objects.filter(code=SURVEY_CODE).exists():
        standard = questionnaires.standard_questionnaire(by=by)
        copy = Questionnaire.objects.filter(title="令和8年度 市民意識調査 調査票").first()
        if copy is None:
            copy = questionnaires.copy_questionnaire(
                questionnaire=standard, title="令和8年度 市民意識調査 調査票", by=by
            )
        questionnaires.create_survey(
            code=SURVEY_CODE,
            title="令和8年度 市民意識調査",
            fiscal_year=2026,
            draw=draw,
            questionnaire=copy,
            closes_on=date(2099, 3, 31),
            by=by,
        )
        result = import_answers(
            data=answers_csv(320, seed="demo-answers-2026", area_codes=areas, prefix="P"),
            survey_code=SURVEY_CODE,
            by=by,
        )
        stdout.write(f"surveys: {result.rows} answers in survey {SURVEY_CODE}")
    if not Survey.objects.filter(code=EARLIER_CODE).exists():
        result = import_answers(
            data=answers_csv(
                280, seed="demo-answers-2023", area_codes=areas, prefix="E", shift=-0.05
            ),
            survey_code=EARLIER_CODE,
            by=by,
        )
        Survey.objects.filter(code=EARLIER_CODE).update(
            title="令和5年度 市民意識調査（取込）", fiscal_year=2023
        )
        stdout.write(f"surveys: imported {result.rows} answers of the earlier survey")


VOLUNTEER_SEED = 2611
# Of A01's letters, how many came back on paper, and how many of those
# carried a volunteer slip (volunteers lean older, as the register's
# 40–79 draw and the seed survey's respondents do).
A01_ANSWERED_SHARE = 0.45
A01_VOLUNTEERS = 26


def _paper_data(survey, rng):
    """A paper answer to the survey's questionnaire: the issue matrix drawn
    from the generator's profiles; the bands are the letter's."""
    from .questionnaires.generate import PROFILE, _value
    from .questionnaires.models import Question

    data = {}
    questions = Question.objects.filter(
        section__questionnaire=survey.questionnaire, kind=Question.Kind.ISSUE_MATRIX
    )
    for q in questions:
        for n in q.issue_numbers:
            pi, pp, pe = PROFILE.get(n, (0.5, 0.1, 0.4))
            data[f"q{q.pk}_{n}_i"] = _value(rng, pi, (1, 2), (3, 4))
            data[f"q{q.pk}_{n}_p"] = _value(rng, pp, (1,), (2, 3, 4))
            data[f"q{q.pk}_{n}_e"] = _value(rng, pe, (1, 2), (3, 4))
    return data


def seed_volunteers(stdout, by):
    """Paper answers from A01's letters, keyed in with their codes; some
    carry a volunteer slip (name and contact), which the A01 series lists as
    applicants and the demo panel draws from. Names are Faker's, contacts
    example.jp or 090-0000-xxxx."""
    import random

    from faker import Faker

    from areas.models import Area

    from .models import Invitation
    from .questionnaires.models import Survey, Volunteer
    from .questionnaires.services import submit_answer

    survey = Survey.objects.filter(code=SURVEY_CODE).select_related("questionnaire").first()
    area = Area.objects.filter(code="A01").first()
    if survey is None or area is None or survey.draw_id is None:
        return
    if Volunteer.objects.filter(survey=survey, area=area).exists():
        return
    invitations = list(
        Invitation.objects.filter(draw_id=survey.draw_id, area=area, answered_at=None)
        .select_related("resident__district")
        .order_by("number")
    )
    fake = Faker("ja_JP")
    fake.seed_instance(VOLUNTEER_SEED)
    rng = random.Random(VOLUNTEER_SEED)
    answering = rng.sample(invitations, int(len(invitations) * A01_ANSWERED_SHARE))
    volunteers = 0
    for invitation in sorted(answering, key=lambda i: i.number):
        volunteer = None
        if volunteers < A01_VOLUNTEERS and rng.random() < 0.6:
            volunteers += 1
            female = invitation.sex == "2"
            name = fake.name_female() if female else fake.name_male()
            contact = (
                f"volunteer{volunteers:03d}@example.jp"
                if volunteers % 3
                else f"090-0000-{volunteers:04d}"
            )
            volunteer = {"name": name, "contact": contact}
        submit_answer(
            invitation=invitation,
            data=_paper_data(survey, rng),
            volunteer=volunteer,
            source="paper",
            by=by,
        )
    stdout.write(
        f"surveys: {len(answering)} paper answers from A01's {len(invitations)} letters, "
        f"{volunteers} with a volunteer slip"
    )
