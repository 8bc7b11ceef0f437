"""The surveys app's rows of the permission table (see tests/permission_table.py).

The register and draws are the city's, not an area's or an organisation's:
only coordinators reach them, whoever else asks (403), and anonymous
visitors go to the login page. The answer page is public.
"""

from datetime import date

from django.core.files.base import ContentFile

from portal.audit import Actor
from surveys import services
from surveys.models import Question, Register, Resident, Volunteer
from surveys.questionnaires import services as questionnaires
from tests.permission_table import ACTORS, Row

COORDINATOR_ONLY = {"anonymous": 302, "coordinator": 200}


def build(world):
    register = Register.objects.create(
        reference_date=date(2026, 10, 1), purpose="調査", legal_basis="審議会の承認", row_count=3
    )
    for n in range(3):
        Resident.objects.create(
            register=register,
            line=n + 2,
            resident_number=f"P{n}",
            name="表 太郎",
            birth_date=date(1970, 1, 1),
            sex="1",
            postal_code="206-0011",
            address="架空市表町1番1号",
            district=world["district"],
        )
    draw = services.draw_sample(
        register=register,
        size=2,
        seed="table",
        purpose="調査",
        legal_basis="審議会の承認",
        by=Actor.for_system("tests"),
    )
    draw.letters.save("letters-table.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    world["register"] = register
    world["draw"] = draw
    by = Actor.for_system("tests")
    standard = questionnaires.standard_questionnaire(by=by)
    copy = questionnaires.copy_questionnaire(questionnaire=standard, title="表の調査票", by=by)
    survey = questionnaires.create_survey(
        code="TABLE",
        title="表の調査",
        fiscal_year=2026,
        draw=draw,
        questionnaire=copy,
        by=by,
    )
    world["volunteer"] = Volunteer.objects.create(
        survey=survey,
        area=world["district"].area,
        name="希望 花子",
        contact="090-1111-2222",
        consent_version="1",
        registered_on=date(2026, 11, 1),
    )
    world["questionnaire"] = copy
    world["question"] = Question.objects.filter(section__questionnaire=copy).first()
    world["section"] = copy.sections.order_by("order").first()
    world["survey"] = survey


def _register(world):
    return {"pk": world["register"].pk}


def _questionnaire(world):
    return {"pk": world["questionnaire"].pk}


def _question(world):
    return {"pk": world["questionnaire"].pk, "question": world["question"].pk}


def _section(world):
    return {"pk": world["questionnaire"].pk, "section": world["section"].pk}


def _survey(world):
    return {"code": world["survey"].code}


TO_CODE_PAGE = dict.fromkeys(ACTORS, "/surveys/answer/")


def _draw(world):
    return {"pk": world["draw"].pk}


ROWS = [
    Row("surveys:registers", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:register_import", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:register", kwargs=_register, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:register",
        kwargs={"pk": 999999},
        note="no such register",
        default=403,
        expect={"anonymous": 302, "coordinator": 404},
    ),
    Row(
        "surveys:register_purge",
        kwargs=_register,
        method="post",
        data={},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/registers/",
    ),
    Row(
        "surveys:register_purge",
        kwargs=_register,
        note="GET",
        default=405,
        expect={},
    ),
    Row("surveys:draws", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:draw_create", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:draw", kwargs=_draw, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:draw",
        kwargs={"pk": 999999},
        note="no such draw",
        default=403,
        expect={"anonymous": 302, "coordinator": 404},
    ),
    Row(
        "surveys:draw_letters",
        kwargs=_draw,
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/staff/jobs/",
    ),
    Row("surveys:draw_letters_pdf", kwargs=_draw, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:draw_mailing_list", kwargs=_draw, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:calibration", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:answer", default=200, expect={}),
    Row(
        "surveys:answer_questions",
        note="no code entered yet",
        default=302,
        expect={},
        redirect_to=TO_CODE_PAGE,
    ),
    Row(
        "surveys:answer_finish",
        note="no code entered yet",
        default=302,
        expect={},
        redirect_to=TO_CODE_PAGE,
    ),
    Row("surveys:questionnaires", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:questionnaire", kwargs=_questionnaire, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:questionnaire",
        kwargs={"pk": 999999},
        note="no such questionnaire",
        default=403,
        expect={"anonymous": 302, "coordinator": 404},
    ),
    Row(
        "surveys:questionnaire_copy",
        kwargs=_questionnaire,
        method="post",
        data={"title": "複製"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/questionnaires/",
    ),
    Row(
        "surveys:questionnaire_section_add",
        kwargs=_questionnaire,
        method="post",
        data={"title": "追加の区切り"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/questionnaires/",
    ),
    Row(
        "surveys:questionnaire_question_add",
        kwargs=_questionnaire,
        default=403,
        expect=COORDINATOR_ONLY,
    ),
    Row(
        "surveys:questionnaire_question_delete",
        kwargs=lambda w: {"pk": w["questionnaire"].pk, "question": w["question"].pk},
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/questionnaires/",
    ),
    Row(
        "surveys:questionnaire_question_edit",
        kwargs=_question,
        default=403,
        expect=COORDINATOR_ONLY,
    ),
    Row(
        "surveys:questionnaire_question_move",
        kwargs=_question,
        method="post",
        data={"direction": "down"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/questionnaires/",
    ),
    Row(
        "surveys:questionnaire_section_edit",
        kwargs=_section,
        default=403,
        expect=COORDINATOR_ONLY,
    ),
    Row(
        "surveys:questionnaire_section_move",
        kwargs=_section,
        method="post",
        data={"direction": "down"},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/questionnaires/",
    ),
    Row(
        "surveys:questionnaire_section_delete",
        kwargs=_section,
        method="post",
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to="/surveys/questionnaires/",
    ),
    Row(
        "surveys:questionnaire_preview", kwargs=_questionnaire, default=403, expect=COORDINATOR_ONLY
    ),
    Row("surveys:surveys", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:survey_create", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:answer_import", default=403, expect=COORDINATOR_ONLY),
    Row("surveys:survey", kwargs=_survey, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:survey",
        kwargs={"code": "NOSUCH"},
        note="no such survey",
        default=403,
        expect={"anonymous": 302, "coordinator": 404},
    ),
    Row(
        "surveys:survey_figure",
        kwargs=lambda w: {"code": w["survey"].code, "figure": 1},
        default=403,
        expect=COORDINATOR_ONLY,
    ),
    Row("surveys:survey_crosstab", kwargs=_survey, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:survey_issues_csv", kwargs=_survey, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:survey_xlsx", kwargs=_survey, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:survey_free_text", kwargs=_survey, default=403, expect=COORDINATOR_ONLY),
    Row("surveys:paper_answer", kwargs=_survey, default=403, expect=COORDINATOR_ONLY),
    Row(
        "surveys:survey_volunteers",
        kwargs=_survey,
        default=403,
        expect=COORDINATOR_ONLY,
        reveals=lambda w: "希望 花子",
        revealed_to=["coordinator"],
    ),
    # Erasing volunteer records: a confirmation page, then the erasure (POST).
    Row(
        "surveys:survey_volunteers_erase",
        kwargs=_survey,
        default=403,
        expect=COORDINATOR_ONLY,
        note="confirm",
    ),
    Row(
        "surveys:survey_volunteers_erase",
        kwargs=_survey,
        method="post",
        data={},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to=lambda w: f"/surveys/surveys/{w['survey'].code}/volunteers/",
    ),
    Row(
        "surveys:survey_volunteer_erase",
        kwargs=lambda w: {"code": w["survey"].code, "pk": w["volunteer"].pk},
        default=403,
        expect=COORDINATOR_ONLY,
        reveals=lambda w: "希望 花子",
        revealed_to=["coordinator"],
        note="confirm",
    ),
    Row(
        "surveys:survey_volunteer_erase",
        kwargs=lambda w: {"code": w["survey"].code, "pk": w["volunteer"].pk},
        method="post",
        data={},
        default=403,
        expect={"anonymous": 302, "coordinator": 302},
        redirect_to=lambda w: f"/surveys/surveys/{w['survey'].code}/volunteers/",
    ),
]
