"""Staff pages: the questionnaire builder, surveys, paper answers, imports, volunteers."""

import functools

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit, jobs
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import permission_required
from portal.ratelimit import TooManyAttempts

from .. import selectors
from ..services import codes
from . import services
from .forms import (
    AnswerForm,
    AnswerImportForm,
    MoveForm,
    PaperCodeForm,
    QuestionEditForm,
    QuestionForm,
    QuestionnaireCopyForm,
    SectionForm,
    SurveyForm,
    VolunteerForm,
)
from .models import Question, Response, Section


def _questionnaire(request, pk, **kwargs):
    return get_object_or_404(selectors.questionnaires(request.user), pk=pk)


def _survey(request, code, **kwargs):
    return get_object_or_404(selectors.surveys(request.user), code=code)


@permission_required("surveys.manage_questionnaire")
def questionnaire_list(request):
    services.standard_questionnaire(by=Actor.from_request(request))
    return render(
        request,
        "surveys/questionnaire_list.html",
        {
            "questionnaires": selectors.questionnaires(request.user),
            "copy_form": QuestionnaireCopyForm(),
        },
    )


@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def questionnaire_detail(request, pk, obj):
    return render(
        request,
        "surveys/questionnaire_detail.html",
        {
            "questionnaire": obj,
            "editable": not obj.is_standard and not obj.is_frozen,
            "sections": obj.sections.prefetch_related("questions"),
            "section_form": SectionForm(),
            "question_form": QuestionForm(questionnaire=obj),
            "copy_form": QuestionnaireCopyForm(initial={"title": obj.title + "（複製）"}),
        },
    )


@require_POST
@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def questionnaire_copy(request, pk, obj):
    form = QuestionnaireCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("調査票名を入力してください。"))
        return redirect(obj.get_absolute_url())
    copy = services.copy_questionnaire(
        questionnaire=obj, title=form.cleaned_data["title"], by=Actor.from_request(request)
    )
    messages.success(request, _("調査票を複製しました。"))
    return redirect(copy.get_absolute_url())


@require_POST
@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def section_add(request, pk, obj):
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            services.add_section(
                questionnaire=obj,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=Actor.from_request(request),
            )
            messages.success(request, _("区切りを追加しました。"))
        except ServiceError as error:
            messages.error(request, error.message)
    else:
        messages.error(request, _("見出しを入力してください。"))
    return redirect(obj.get_absolute_url())


@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def question_add(request, pk, obj):
    form = QuestionForm(request.POST or None, questionnaire=obj)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.add_question(
                section=data["section"],
                kind=data["kind"],
                text=data["text"],
                help_text=data["help_text"],
                choices=data["choices"],
                issue_numbers=data["issue_numbers"],
                required=data["required"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("設問を追加しました。"))
            return redirect(obj.get_absolute_url())
    return render(request, "surveys/question_form.html", {"questionnaire": obj, "form": form})


@require_POST
@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def question_delete(request, pk, question, obj):
    question = get_object_or_404(Question, pk=question, section__questionnaire=obj)
    try:
        services.delete_question(question=question, by=Actor.from_request(request))
        messages.success(request, _("設問を削除しました。"))
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect(obj.get_absolute_url())


def _question_of(obj, question):
    return get_object_or_404(
        Question.objects.select_related("section"), pk=question, section__questionnaire=obj
    )


def _section_of(obj, section):
    return get_object_or_404(Section, pk=section, questionnaire=obj)


@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def question_edit(request, pk, question, obj):
    question = _question_of(obj, question)
    refusal = services.edit_refusal(obj)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect(obj.get_absolute_url())
    form = QuestionEditForm(request.POST or None, question=question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_question(
                question=question,
                section=data["section"],
                kind=data["kind"],
                text=data["text"],
                help_text=data["help_text"],
                choices=data["choices"],
                issue_numbers=data["issue_numbers"],
                required=data["required"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("設問を保存しました。"))
            return redirect(obj.get_absolute_url() + f"#question-{question.pk}")
    return render(
        request,
        "surveys/question_form.html",
        {"questionnaire": obj, "form": form, "question": question},
        status=400 if request.method == "POST" else 200,
    )


def _move(request, move, done):
    """One place up or down (a plain form per button); back to where it was."""
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("移動する向きを選んでください。"))
        return
    try:
        move(direction=form.cleaned_data["direction"], by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


@require_POST
@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def question_move(request, pk, question, obj):
    question = _question_of(obj, question)
    _move(
        request,
        functools.partial(services.move_question, question=question),
        _("設問「%(text)s」を移動しました。") % {"text": question.text[:40]},
    )
    return redirect(obj.get_absolute_url() + f"#question-{question.pk}")


@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def section_edit(request, pk, section, obj):
    section = _section_of(obj, section)
    refusal = services.edit_refusal(obj)
    if refusal and request.method != "POST":
        messages.error(request, refusal)
        return redirect(obj.get_absolute_url())
    form = SectionForm(
        request.POST or None, initial={"title": section.title, "description": section.description}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_section(
                section=section,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("区切りを保存しました。"))
            return redirect(obj.get_absolute_url() + f"#section-{section.pk}")
    return render(
        request,
        "surveys/section_form.html",
        {"questionnaire": obj, "form": form, "section": section},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def section_move(request, pk, section, obj):
    section = _section_of(obj, section)
    _move(
        request,
        functools.partial(services.move_section, section=section),
        _("区切り「%(title)s」を移動しました。") % {"title": section.title},
    )
    return redirect(obj.get_absolute_url() + f"#section-{section.pk}")


@require_POST
@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def section_delete(request, pk, section, obj):
    section = _section_of(obj, section)
    try:
        services.delete_section(section=section, by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("区切りを削除しました。"))
    return redirect(obj.get_absolute_url())


@permission_required("surveys.manage_questionnaire", get_object=_questionnaire)
def questionnaire_preview(request, pk, obj):
    sections = [
        (section, AnswerForm(questions=section.questions.all()))
        for section in obj.sections.prefetch_related("questions")
    ]
    return render(
        request, "surveys/questionnaire_preview.html", {"questionnaire": obj, "sections": sections}
    )


@permission_required("surveys.view_survey")
def survey_list(request):
    return render(request, "surveys/survey_list.html", {"surveys": selectors.surveys(request.user)})


@permission_required("surveys.manage_survey")
def survey_create(request):
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.create_survey(
                code=data["code"],
                title=data["title"],
                fiscal_year=data["fiscal_year"],
                draw=data["draw"],
                questionnaire=data["questionnaire"],
                closes_on=data["closes_on"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("調査を作成しました。"))
            return redirect(survey.get_absolute_url())
    return render(request, "surveys/survey_form.html", {"form": form})


def _paper_invitation(request, survey, code_form):
    """The invitation of the code keyed in, or None with the form's error set.
    The code counts towards the limit every code-checking page shares."""
    by = Actor.from_request(request)
    try:
        invitation = codes.find_invitation(code_form.cleaned_data["code"], by=by)
    except TooManyAttempts as error:
        code_form.add_error("code", error.message)
        return None
    if invitation is not None and invitation.draw_id != survey.draw_id:
        codes.refused(invitation, by=by)
        invitation = None
    if invitation is None:
        code_form.add_error("code", _("この調査のアクセスコードではありません。"))
    return invitation


@permission_required("surveys.enter_paper_answer", get_object=_survey)
def paper_answer(request, code, obj):
    """Staff key in a paper answer with the code printed on its letter. It
    takes the same way as a web answer: held, then added in a batch, never
    beside the invitation (services.submit_answer)."""
    if obj.questionnaire_id is None:
        messages.error(request, _("この調査には調査票がありません。"))
        return redirect(obj.get_absolute_url())
    questions = Question.objects.filter(section__questionnaire=obj.questionnaire_id).order_by(
        "section__order", "order", "pk"
    )
    code_form = PaperCodeForm(request.POST or None, prefix="paper")
    form = AnswerForm(request.POST or None, questions=questions)
    volunteer_form = VolunteerForm(request.POST or None, prefix="volunteer")
    # Most paper answers leave the last page blank.
    volunteer_form.fields["wants"].required = False
    if (
        request.method == "POST"
        and code_form.is_valid()
        and form.is_valid()
        and volunteer_form.is_valid()
    ):
        invitation = _paper_invitation(request, obj, code_form)
        if invitation is not None:
            try:
                services.submit_answer(
                    invitation=invitation,
                    data=form.json_data(),
                    volunteer=volunteer_form.volunteer(),
                    source=Response.Source.PAPER,
                    by=Actor.from_request(request),
                )
            except ServiceError as error:
                code_form.add_error("code", error.message)
            else:
                messages.success(request, _("紙の回答を登録しました。"))
                return redirect(reverse("surveys:paper_answer", kwargs={"code": obj.code}))
    return render(
        request,
        "surveys/paper_answer.html",
        {"survey": obj, "code_form": code_form, "form": form, "volunteer_form": volunteer_form},
    )


@permission_required("surveys.import_answers")
def answer_import(request):
    form = AnswerImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["survey_code"]
        job = jobs.start_job(
            kind="surveys.import_answers",
            title=_("回答の取込（%(code)s）") % {"code": code},
            by=Actor.from_request(request),
            upload=form.cleaned_data["file"],
            params={"survey_code": code},
            success_url=reverse("surveys:surveys"),
        )
        return redirect(job.get_absolute_url())
    return render(request, "surveys/answer_import.html", {"form": form})


@permission_required("surveys.view_volunteers", get_object=_survey)
def volunteers(request, code, obj):
    rows = list(selectors.volunteers_of(request.user, obj))
    audit.record(
        by=Actor.from_request(request),
        action="surveys.volunteers.viewed",
        target=obj,
        data={"rows_shown": len(rows)},
    )
    erased = sum(obj.volunteer_erasures.values_list("erased", flat=True))
    return render(
        request,
        "surveys/volunteers.html",
        {"survey": obj, "volunteers": rows, "erased": erased},
    )


def _erase_page(request, survey, volunteers, *, count):
    """Confirm, then erase (POST): `volunteers` None means all of the survey's."""
    if request.method == "POST":
        try:
            erased = services.erase_volunteers(
                survey=survey,
                volunteer_ids=None if volunteers is None else [v.pk for v in volunteers],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("参加希望者 %(n)d 人の記録を消去しました。") % {"n": erased}
            )
        return redirect(reverse("surveys:survey_volunteers", kwargs={"code": survey.code}))
    if volunteers:
        # The page shows the volunteer's name: a read of personal data.
        audit.record(
            by=Actor.from_request(request),
            action="surveys.volunteers.viewed",
            target=volunteers[0],
            data={"rows_shown": len(volunteers)},
        )
    return render(
        request,
        "surveys/volunteers_erase.html",
        {"survey": survey, "volunteers": volunteers, "count": count},
    )


@permission_required("surveys.erase_volunteers", get_object=_survey)
def volunteers_erase(request, code, obj):
    count = selectors.volunteers_of(request.user, obj).count()
    return _erase_page(request, obj, None, count=count)


@permission_required("surveys.erase_volunteers", get_object=_survey)
def volunteer_erase(request, code, pk, obj):
    volunteer = get_object_or_404(selectors.volunteers_of(request.user, obj), pk=pk)
    return _erase_page(request, obj, [volunteer], count=1)
