"""Pages of the karte, the vision and action plan, and the directory."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.forms import CsvUploadForm
from areas.models import Action, Area, Goal, KarteIssue, Offer, Vision
from portal.audit import Actor
from portal.costly import DOCUMENT_LIMIT, costly
from portal.csvio import ImportRejected
from portal.dates import fiscal_year
from portal.errors import ServiceError
from portal.permissions import may, permission_required, visible
from portal.templatetags.wareki import fiscal_year_label

from . import pages, pdf, selectors, services
from .forms import (
    ActionForm,
    ActionStatusForm,
    DirectorySearchForm,
    FiguresForm,
    GoalForm,
    KarteIssueForm,
    OfferForm,
    VisionForm,
    YearForm,
)


def _area(request, code, **kwargs):
    return get_object_or_404(Area, code=code)


# --- Karte ----------------------------------------------------------------------------


@permission_required("areas.view_karte")
def karte_index(request):
    year = fiscal_year()
    areas = list(Area.objects.order_by("code"))
    figures = selectors.figures_by_area(year)
    rows = [(area, figures.get(area.pk)) for area in areas]
    return render(request, "areas/karte/index.html", {"rows": rows, "fiscal_year": year})


def _karte_context(request, area):
    year = YearForm(request.GET).year_or_current()
    karte = selectors.karte(area, year)
    return {
        "karte": karte,
        "area": area,
        "charts": pages.karte_charts(karte),
        "years": selectors.karte_years(area),
        "year_label": fiscal_year_label(year),
        "previous_label": fiscal_year_label(year - 1),
        "can_manage": may(request.user, "areas.manage_karte"),
    }


@permission_required("areas.view_karte", get_object=_area)
def karte_detail(request, code, obj):
    return render(request, "areas/karte/detail.html", _karte_context(request, obj))


@permission_required("areas.view_karte", get_object=_area)
@costly(DOCUMENT_LIMIT, name="karte-pdf")
def karte_pdf(request, code, obj):
    context = _karte_context(request, obj)
    response = HttpResponse(pdf.render_pdf(context), content_type="application/pdf")
    filename = f"karte-{obj.code}-{context['karte'].fiscal_year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@permission_required("areas.manage_karte", get_object=_area)
def karte_edit(request, code, obj):
    """Figures for a 年度 and the area's issues, entered by coordinators."""
    area = obj
    year = YearForm(request.GET).year_or_current()
    stored = area.karte_figures.filter(fiscal_year=year).first()
    initial = {"fiscal_year": year}
    if stored:
        initial.update({name: getattr(stored, name) for name in services.FIGURE_FIELDS})
    figures_form = FiguresForm(
        request.POST if request.POST.get("form") == "figures" else None, initial=initial
    )
    issue_form = KarteIssueForm(request.POST if request.POST.get("form") == "issue" else None)
    status = 200
    if request.method == "POST":
        status = 400
        try:
            if figures_form.is_bound and figures_form.is_valid():
                data = figures_form.cleaned_data
                services.save_figures(
                    area=area,
                    fiscal_year=data["fiscal_year"],
                    values={name: data[name] for name in services.FIGURE_FIELDS},
                    by=Actor.from_request(request),
                )
                messages.success(request, _("数値を保存しました。"))
                return redirect(_edit_url(area, data["fiscal_year"]))
            if issue_form.is_bound and issue_form.is_valid():
                services.add_karte_issue(
                    area=area,
                    fiscal_year=year,
                    by=Actor.from_request(request),
                    **issue_form.cleaned_data,
                )
                messages.success(request, _("地域課題を載せました。"))
                return redirect(_edit_url(area, year))
        except ServiceError as error:
            (figures_form if figures_form.is_bound else issue_form).add_error(None, error.message)
    issues = KarteIssue.objects.filter(area=area, fiscal_year=year).select_related("issue")
    return render(
        request,
        "areas/karte/edit.html",
        {
            "area": area,
            "fiscal_year": year,
            "year_label": fiscal_year_label(year),
            "figures_form": figures_form,
            "issue_form": issue_form,
            "issues": list(issues),
        },
        status=status,
    )


def _edit_url(area, year):
    return reverse("areas:karte:edit", kwargs={"code": area.code}) + f"?year={year}"


def _karte_issue(request, pk, **kwargs):
    return get_object_or_404(KarteIssue.objects.select_related("area"), pk=pk)


@require_POST
@permission_required("areas.manage_karte", get_object=_karte_issue)
def karte_issue_delete(request, pk, obj):
    services.remove_karte_issue(karte_issue=obj, by=Actor.from_request(request))
    messages.success(request, _("地域課題を外しました。"))
    return redirect(_edit_url(obj.area, obj.fiscal_year))


@permission_required("areas.manage_karte")
def karte_import(request):
    form = CsvUploadForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        try:
            count = services.import_figures(
                form.cleaned_data["file"].read(), by=Actor.from_request(request)
            )
        except ImportRejected as error:
            rejected = error
        else:
            messages.success(request, _("%(count)d件の数値を取り込みました。") % {"count": count})
            return redirect("areas:karte:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "areas/karte/import.html",
        {"form": form, "rejected": rejected, "columns": services.IMPORT_COLUMNS},
        status=status,
    )


# --- Vision and action plan --------------------------------------------------------------


@permission_required("areas.view_karte", get_object=_area)
def vision_detail(request, code, obj):
    vision = selectors.vision_for(request.user, obj)
    return render(
        request,
        "areas/karte/vision.html",
        {
            "area": obj,
            "vision": vision,
            "can_manage": may(request.user, "areas.manage_vision"),
            "show_requests": may(request.user, "areas.manage_vision"),
            "status_form": ActionStatusForm(),
        },
    )


@permission_required("areas.manage_vision", get_object=_area)
def vision_edit(request, code, obj):
    area = obj
    vision = Vision.objects.filter(area=area).order_by("-first_year").first()
    initial = {"first_year": fiscal_year(), "last_year": fiscal_year() + 4}
    if vision:
        initial = {name: getattr(vision, name) for name in services.VISION_FIELDS}
    form = VisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_vision(
                area=area,
                values=form.cleaned_data,
                vision_id=vision.pk if vision else None,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("ビジョンを保存しました。"))
            return redirect("areas:karte:vision", code=area.code)
    return render(
        request,
        "areas/karte/form.html",
        {
            "form": form,
            "title": _("%(area)s のビジョン") % {"area": area.name},
            "back": reverse("areas:karte:vision", kwargs={"code": area.code}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _vision(request, pk, **kwargs):
    return get_object_or_404(Vision.objects.select_related("area"), pk=pk)


@permission_required("areas.manage_vision", get_object=_vision)
def goal_create(request, pk, obj):
    form = GoalForm(request.POST or None, initial={"number": obj.goals.count() + 1})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        issues = data.pop("issues")
        try:
            services.save_goal(
                vision=obj, values=data, issues=issues, by=Actor.from_request(request)
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("目標を追加しました。"))
            return redirect("areas:karte:vision", code=obj.area.code)
    return render(
        request,
        "areas/karte/form.html",
        {
            "form": form,
            "title": _("目標の追加"),
            "back": reverse("areas:karte:vision", kwargs={"code": obj.area.code}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _goal(request, pk, **kwargs):
    return get_object_or_404(Goal.objects.select_related("vision__area"), pk=pk)


@permission_required("areas.manage_vision", get_object=_goal)
def goal_edit(request, pk, obj):
    """Correct a goal: number, title, description and related issues."""
    area = obj.vision.area
    initial = {name: getattr(obj, name) for name in services.GOAL_FIELDS}
    initial["issues"] = list(obj.issues.all())
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        issues = data.pop("issues")
        try:
            services.save_goal(
                vision=obj.vision,
                values=data,
                issues=issues,
                goal_id=obj.pk,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("目標を保存しました。"))
            return redirect(_goal_anchor(obj))
    return render(
        request,
        "areas/karte/form.html",
        {
            "form": form,
            "title": _("目標%(number)sの編集") % {"number": obj.number},
            "back": reverse("areas:karte:vision", kwargs={"code": area.code}),
        },
        status=400 if request.method == "POST" else 200,
    )


def _goal_anchor(goal):
    return (
        reverse("areas:karte:vision", kwargs={"code": goal.vision.area.code}) + f"#goal-{goal.pk}"
    )


@permission_required("areas.manage_vision", get_object=_goal)
def goal_delete(request, pk, obj):
    """Asks first (GET) and lists the actions that go with the goal; deletes
    on the page's POST."""
    area = obj.vision.area
    back = reverse("areas:karte:vision", kwargs={"code": area.code})
    if request.method == "POST":
        try:
            services.delete_goal(goal_id=obj.pk, by=Actor.from_request(request))
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("目標%(number)s「%(title)s」を削除しました。")
                % {"number": obj.number, "title": obj.title},
            )
        return redirect(back)
    return render(
        request,
        "areas/karte/delete.html",
        {
            "title": _("目標%(number)s「%(title)s」の削除")
            % {"number": obj.number, "title": obj.title},
            "warning": _("この目標と、その下の取組がすべて削除されます。元に戻せません。"),
            "items": [a.title for a in obj.actions.all()],
            "items_label": _("一緒に削除される取組"),
            "back": back,
        },
    )


def _action_page(request, goal, action=None):
    area = goal.vision.area
    initial = {}
    if action is not None:
        initial = {name: getattr(action, name) for name in services.ACTION_FIELDS}
        initial.update(
            meetings=action.meetings.all(),
            support_requests=action.support_requests.all(),
            grant_applications=action.grant_applications.all(),
        )
    form = ActionForm(request.POST or None, area=area, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_action(
                goal=goal,
                values=form.values(),
                meetings=list(form.cleaned_data["meetings"]),
                requests=list(form.cleaned_data["support_requests"]),
                applications=list(form.cleaned_data["grant_applications"]),
                action_id=action.pk if action else None,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("取組を保存しました。"))
            return redirect("areas:karte:vision", code=area.code)
    title = _("取組の編集") if action else _("取組の追加")
    return render(
        request,
        "areas/karte/form.html",
        {
            "form": form,
            "title": title,
            "back": reverse("areas:karte:vision", kwargs={"code": area.code}),
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("areas.manage_vision", get_object=_goal)
def action_create(request, pk, obj):
    return _action_page(request, obj)


def _action(request, pk, **kwargs):
    return get_object_or_404(Action.objects.select_related("goal__vision__area"), pk=pk)


@permission_required("areas.manage_vision", get_object=_action)
def action_edit(request, pk, obj):
    return _action_page(request, obj.goal, obj)


@permission_required("areas.manage_vision", get_object=_action)
def action_delete(request, pk, obj):
    """Asks first (GET); deletes on the page's POST. The meetings, requests
    and grants it was linked to stay."""
    back = _goal_anchor(obj.goal)
    if request.method == "POST":
        try:
            services.delete_action(action_id=obj.pk, by=Actor.from_request(request))
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("取組「%(title)s」を削除しました。") % {"title": obj.title})
        return redirect(back)
    return render(
        request,
        "areas/karte/delete.html",
        {
            "title": _("取組「%(title)s」の削除") % {"title": obj.title},
            "warning": _(
                "この取組を計画から削除します。結び付けたミーティング・支援依頼・助成は残ります。"
                "元に戻せません。"
            ),
            "items": [],
            "back": back,
        },
    )


@require_POST
@permission_required("areas.manage_vision", get_object=_action)
def action_status(request, pk, obj):
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.move_action(
                action_id=obj.pk,
                to=form.cleaned_data["to"],
                note=form.cleaned_data["note"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("取組の状況を変更しました。"))
    else:
        messages.error(request, _("状況を選んでください。"))
    return redirect("areas:karte:vision", code=obj.goal.vision.area.code)


# --- Stakeholder directory ------------------------------------------------------------------


@permission_required("areas.view_directory")
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = list(
        selectors.directory(
            query=filters.get("q", ""),
            area=filters.get("area"),
            issue=filters.get("issue"),
            kind=filters.get("kind", ""),
        )[:200]
    )
    searched = bool(request.GET)
    return render(
        request,
        "areas/karte/directory.html",
        {"form": form, "organisations": organisations, "searched": searched},
    )


def _organisation(request, pk, **kwargs):
    from areas.selectors import organisations_visible_to

    return get_object_or_404(organisations_visible_to(request.user), pk=pk)


@permission_required("areas.manage_offers", get_object=_organisation)
def offers(request, pk, obj):
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_offer(
                organisation=obj, content=form.content(), by=Actor.from_request(request)
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("提供できるものを登録しました。"))
            return redirect("areas:karte:offers", pk=obj.pk)
    return render(
        request,
        "areas/karte/offers.html",
        {"organisation": obj, "offers": list(selectors.offers_of(obj)), "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _offer(request, pk, **kwargs):
    return get_object_or_404(
        visible(request.user, "areas.edit_offer", Offer.objects.select_related("organisation")),
        pk=pk,
    )


@permission_required("areas.edit_offer", get_object=_offer)
def offer_edit(request, pk, obj):
    initial = {
        "kind": obj.kind,
        "title": obj.title,
        "description": obj.description,
        "issues": obj.issues.all(),
        "is_active": obj.is_active,
    }
    form = OfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_offer(
                organisation=obj.organisation,
                content=form.content(),
                offer_id=obj.pk,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("提供できるものを保存しました。"))
            return redirect("areas:karte:offers", pk=obj.organisation_id)
    return render(
        request,
        "areas/karte/form.html",
        {
            "form": form,
            "title": _("提供できるものの編集"),
            "back": reverse("areas:karte:offers", kwargs={"pk": obj.organisation_id}),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("areas.edit_offer", get_object=_offer)
def offer_delete(request, pk, obj):
    services.delete_offer(offer=obj, by=Actor.from_request(request))
    messages.success(request, _("提供できるものを削除しました。"))
    return redirect("areas:karte:offers", pk=obj.organisation_id)
