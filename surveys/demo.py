"""Demo records of the surveys app: a register of 300 fake residents (the
format sample plus generated rows) and one small draw with access codes."""

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
        with REGISTER_CSV.open("rb") as handle:
            result = services.import_register(
                data=handle,
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
            size=20,
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
VOLUNTEER_COUNT = 40
# Volunteers lean older, as those of a real city do.
VOLUNTEER_BANDS = (("40代", 3), ("50代", 4), ("60代", 5), ("70代", 5))


def seed_volunteers(stdout, by):
    """Volunteer slips of survey R8-ishiki from area A01 (as if keyed in from
    the questionnaires' last pages), enough for the demo panel of 10 with 5
    reserves; the demo series of A01 lists them as applicants. Names are
    Faker's, contacts example.jp or 090-0000-xxxx."""
    import random

    from faker import Faker

    from areas.models import Area

    from .questionnaires.models import Survey, Volunteer
    from .questionnaires.services import register_volunteer

    survey = Survey.objects.filter(code=SURVEY_CODE).first()
    area = Area.objects.filter(code="A01").first()
    if survey is None or area is None:
        return
    if Volunteer.objects.filter(survey=survey, area=area).exists():
        return
    districts = list(area.districts.order_by("code"))
    fake = Faker("ja_JP")
    fake.seed_instance(VOLUNTEER_SEED)
    rng = random.Random(VOLUNTEER_SEED)
    bands, weights = zip(*VOLUNTEER_BANDS, strict=True)
    for n in range(1, VOLUNTEER_COUNT + 1):
        female = rng.random() < 0.55
        name = fake.name_female() if female else fake.name_male()
        contact = f"volunteer{n:03d}@example.jp" if n % 3 else f"090-0000-{n:04d}"
        register_volunteer(
            survey=survey,
            area_id=area.pk,
            district_id=rng.choice(districts).pk if districts else None,
            name=name,
            contact=contact,
            age_band=rng.choices(bands, weights=weights)[0],
            sex="2" if female else "1",
            registered_on=date(2026, 11, 1 + n % 20),
            by=by,
        )
    stdout.write(f"surveys: {VOLUNTEER_COUNT} volunteers of A01 in survey {SURVEY_CODE}")
