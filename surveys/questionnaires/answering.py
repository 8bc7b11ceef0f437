"""The resident's side: the code page (rate-limited), the questionnaire page
by page with a draft kept between visits, the last page (volunteering) and
the submission. No account is needed; the invitation is held in the session."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.audit import Actor
from portal.clientip import client_ip
from portal.errors import ServiceError
from portal.permissions import PUBLIC, permission_required

from ..models import Invitation
from ..services import codes
from . import services
from .forms import AnswerForm, CodeForm, VolunteerForm
from .models import Question

SESSION_KEY = "surveys_invitation"
# Wrong codes allowed from one address in one window. With 32¹² codes a
# guesser gets nowhere at this pace; a resident mistyping a few times does.
MAX_FAILURES = 10
WINDOW_SECONDS = 15 * 60
WRONG_CODE = _("アクセスコードが正しくありません。案内状に印刷されたとおりに入力してください。")


def _failure_key(request):
    return f"surveys:code-failures:{client_ip(request)}"


def rate_limited(request):
    return (cache.get(_failure_key(request)) or 0) >= MAX_FAILURES


def _count_failure(request):
    key = _failure_key(request)
    # add() then incr(): atomic in Redis, so parallel web processes share one count.
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, WINDOW_SECONDS)


def _too_many(request, form):
    response = render(
        request,
        "surveys/answer.html",
        {"form": form, "limited": True},
        status=429,
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
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
    """The code page (the letter's QR code points here with ?code=). A code
    in the address is moved into the session and the address cleaned at once,
    so it does not stay in the browser's history."""
    form = CodeForm(request.POST or None)
    typed = request.GET.get("code") if request.method == "GET" else None
    if typed is not None or (request.method == "POST" and form.is_valid()):
        if rate_limited(request):
            return _too_many(request, form)
        invitation = codes.find_invitation(
            typed if typed is not None else form.cleaned_data["code"]
        )
        if invitation is None:
            _count_failure(request)
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
