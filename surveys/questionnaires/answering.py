"""The resident's side: the code page (rate-limited), the questionnaire page
by page with a draft kept between visits, the last page (volunteering) and
the submission. No account is needed; the invitation is held in the session."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import PUBLIC, permission_required
from portal.ratelimit import TooManyAttempts

from ..models import Invitation
from ..services import codes
from . import services
from .forms import AnswerForm, CodeForm, VolunteerForm
from .models import Question

SESSION_KEY = "surveys_invitation"
WRONG_CODE = _("アクセスコードが正しくありません。案内状に印刷されたとおりに入力してください。")


def _too_many(request, form, error):
    response = render(
        request,
        "surveys/answer.html",
        {"form": form, "limited": True},
        status=error.status_code,
    )
    response["Retry-After"] = str(error.retry_after)
    return response


def _current(request):
    pk = request.session.get(SESSION_KEY)
    if pk is None:
        return None
    return Invitation.objects.select_related("draw").filter(pk=pk).first()


def _sections(survey):
    return list(survey.questionnaire.sections.prefetch_related("questions").order_by("order", "pk"))


@permission_required(PUBLIC)
def answer(request):
    """The code page. A letter's QR code opens it with the code after "#",
    which browsers never send: a small script puts it into the form and
    posts it, so no access log sees it. Letters printed before carry
    `?code=`; such a code is exchanged for the session at once and the
    address cleaned (the access log scrubs it: portal.logs)."""
    form = CodeForm(request.POST or None)
    typed = request.GET.get("code") if request.method == "GET" else None
    if typed is not None or (request.method == "POST" and form.is_valid()):
        try:
            invitation = codes.find_invitation(
                typed if typed is not None else form.cleaned_data["code"],
                by=Actor.from_request(request),
            )
        except TooManyAttempts as error:
            return _too_many(request, form, error)
        if invitation is None:
            if typed is not None:
                messages.error(request, WRONG_CODE)
                return redirect("surveys:answer")
            form.add_error("code", WRONG_CODE)
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = invitation.pk
            return redirect("surveys:answer_questions")
    return render(request, "surveys/answer.html", {"form": form, "resume": _current(request)})


def _gate(request):
    """(invitation, survey, response) — response set when the resident must go elsewhere."""
    invitation = _current(request)
    if invitation is None:
        messages.info(request, _("案内状のアクセスコードを入力してください。"))
        return None, None, redirect("surveys:answer")
    survey = services.survey_of(invitation)
    refusal = services.refusal(invitation, survey)
    if refusal:
        return None, None, render(request, "surveys/answer_closed.html", {"message": refusal})
    return invitation, survey, None


@permission_required(PUBLIC)
def questions(request):
    invitation, survey, response = _gate(request)
    if response:
        return response
    sections = _sections(survey)
    draft = services.draft_of(invitation)
    saved = draft.data if draft else {}
    try:
        page = int(request.GET.get("page", draft.page if draft else 0))
    except ValueError:
        page = 0
    if page >= len(sections):
        return redirect("surveys:answer_finish")
    page = max(page, 0)
    section = sections[page]
    form = AnswerForm(
        request.POST or None, initial=saved, questions=section.questions.all(), prefix=None
    )
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action", "next")
        target = page - 1 if action == "back" else page if action == "save" else page + 1
        services.save_draft(invitation=invitation, page=max(target, 0), data=form.json_data())
        if action == "save":
            return render(request, "surveys/answer_saved.html", {"survey": survey})
        if target >= len(sections):
            return redirect("surveys:answer_finish")
        return redirect(reverse("surveys:answer_questions") + f"?page={max(target, 0)}")
    return render(
        request,
        "surveys/answer_page.html",
        {
            "survey": survey,
            "section": section,
            "form": form,
            "page": page,
            "pages": len(sections) + 1,
            "page_number": page + 1,
            "resumed": bool(draft) and request.method == "GET" and "page" not in request.GET,
        },
    )


def _missing_required(survey, data):
    """The first page with a required question left unanswered, or None."""
    for index, section in enumerate(_sections(survey)):
        for question in section.questions.all():
            if (
                question.required
                and question.kind != Question.Kind.ISSUE_MATRIX
                and data.get(f"q{question.pk}") in (None, "", [])
            ):
                return index
    return None


@permission_required(PUBLIC)
def finish(request):
    invitation, survey, response = _gate(request)
    if response:
        return response
    form = VolunteerForm(request.POST or None)
    draft = services.draft_of(invitation)
    data = draft.data if draft else {}
    if request.method == "POST" and request.POST.get("action") == "back":
        return redirect(reverse("surveys:answer_questions") + f"?page={len(_sections(survey)) - 1}")
    if request.method == "POST" and form.is_valid():
        missing = _missing_required(survey, data)
        if missing is not None:
            messages.error(request, _("必須の設問に回答がありません。"))
            return redirect(reverse("surveys:answer_questions") + f"?page={missing}")
        volunteer = form.volunteer()
        try:
            services.submit_answer(
                invitation=invitation,
                data=data,
                volunteer=volunteer,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            return render(request, "surveys/answer_closed.html", {"message": error.message})
        request.session.pop(SESSION_KEY, None)
        return render(
            request, "surveys/answer_thanks.html", {"survey": survey, "volunteer": volunteer}
        )
    sections = _sections(survey)
    return render(
        request,
        "surveys/answer_finish.html",
        {
            "survey": survey,
            "form": form,
            "page_number": len(sections) + 1,
            "pages": len(sections) + 1,
        },
    )
