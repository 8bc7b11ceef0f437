"""Pages of the liaisons app: thin, the rules in permissions.py, the work in
services.py, the reads in selectors.py and reports.py."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit
from portal.audit import Actor
from portal.csvio import ExportEncodingError, csv_bytes, csv_response
from portal.errors import ServiceError
from portal.permissions import may, permission_required

from . import reports, selectors, services
from .forms import (
    AssignForm,
    AssignmentForm,
    ConsultationEditForm,
    ConsultationFilterForm,
    ConsultationForm,
    EndAssignmentForm,
    OfficerCreateForm,
    OfficerUpdateForm,
    OnBehalfRequestForm,
    RatingForm,
    ReportYearForm,
    RequestFilterForm,
    SettingsForm,
    SupportRequestForm,
    TransitionForm,
)
from .models import (
    AreaAssignment,
    Attachment,
    Consultation,
    LiaisonSettings,
    OfficerProfile,
    SupportRequest,
)

Status = SupportRequest.Status
PAGE_SIZE = 25


def _base_template(user):
    return "staff_base.html" if user.is_city_staff else "base.html"


def _visible_request(request, pk, **kwargs):
    try:
        return selectors.request_for_detail(request.user, pk)
    except SupportRequest.DoesNotExist:
        raise Http404 from None


# --- Requests ------------------------------------------------------------------


@permission_required("liaisons.view_request")
def request_list(request):
    """Requests the user may see: an officer their areas' and their own, a
    representative their organisation's, coordinators all."""
    form = RequestFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    requests = selectors.request_list(request.user, **filters) if not form.errors else []
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.requests.listed",
        target=SupportRequest,
        data={"filters": sorted(k for k, v in filters.items() if v), "rows": len(page.object_list)},
    )
    return render(
        request,
        "liaisons/request_list.html",
        {
            "form": form,
            "page": page,
            "is_staff": request.user.is_city_staff,
            "base_template": _base_template(request.user),
            "may_file": may(request.user, "liaisons.file_request"),
        },
    )


@permission_required("liaisons.file_request")
def request_create(request):
    """A representative files a request for their organisation; staff key one
    in on an organisation's behalf after a phone call or a visit."""
    on_behalf = may(request.user, "liaisons.file_on_behalf")
    organisations = selectors.organisations_for_filing(request.user, on_behalf=on_behalf)
    form_class = OnBehalfRequestForm if on_behalf else SupportRequestForm
    form = form_class(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support_request = services.submit_request(
                organisation=data["organisation"],
                area=data["area"],
                tier=data["tier"],
                title=data["title"],
                description=data["description"],
                desired_date=data["desired_date"],
                channel=data.get("channel", SupportRequest.Channel.ONLINE),
                contact_name=data.get("contact_name", ""),
                contact_phone=data.get("contact_phone", ""),
                contact_email=data.get("contact_email", ""),
                files=data["files"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("支援依頼を受け付けました（番号 #%(pk)s）。") % {"pk": support_request.pk},
            )
            return redirect(support_request.get_absolute_url())
    return render(
        request,
        "liaisons/request_form.html",
        {"form": form, "on_behalf": on_behalf, "base_template": _base_template(request.user)},
        status=400 if request.method == "POST" else 200,
    )


def _actions(user, obj):
    """The moves this user may make on the request now, for the page's forms."""
    flow = services.REQUEST_FLOW
    moves = [to for to in flow.allowed_targets(obj.status) if flow.can_move(obj, to, user)]
    return {
        "triage": Status.TRIAGED in moves,
        "assign": Status.ASSIGNED in moves,
        "start": Status.IN_PROGRESS in moves,
        "done": Status.DONE in moves,
        "decline": Status.DECLINED in moves,
        "refer": Status.REFERRED in moves,
    }


@permission_required("liaisons.view_request", get_object=_visible_request)
def request_detail(request, pk, obj):
    user = request.user
    is_staff = user.is_city_staff
    context = {
        "req": obj,
        "history": selectors.request_history(obj),
        "attachments": list(obj.attachments.all()),
        "is_staff": is_staff,
        "base_template": _base_template(user),
        "actions": _actions(user, obj) if is_staff else {},
        "may_rate": obj.status == Status.DONE
        and obj.rating is None
        and may(user, "liaisons.rate_request", obj),
        "rating_form": RatingForm(),
    }
    # The page shows the requester's contact details: a read of personal data.
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.request.viewed",
        target=obj,
        data={"shown": "request_and_contact", "attachments": len(context["attachments"])},
    )
    return render(request, "liaisons/request_detail.html", context)


def _stale_or_error(request, obj, error):
    messages.error(request, error.message)
    return redirect(obj.get_absolute_url())


@require_POST
@permission_required("liaisons.view_request", get_object=_visible_request)
def request_transition(request, pk, obj):
    """One endpoint for the moves on the request page (the service checks the
    transition table and the permission of each move)."""
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("入力内容を確認してください。"))
        return redirect(obj.get_absolute_url())
    data = form.cleaned_data
    by = Actor.from_request(request)
    common = {"request_id": obj.pk, "expected_version": data["version"], "by": by}
    to = data["to"]
    try:
        if to == Status.TRIAGED:
            services.triage_request(note=data["note"], **common)
        elif to == Status.IN_PROGRESS:
            services.start_request(note=data["note"], **common)
        elif to == Status.DONE:
            services.complete_request(
                hours=data["hours"], outcome=data["outcome"], note=data["note"], **common
            )
        elif to == Status.DECLINED:
            services.decline_request(reason=data["reason"], **common)
        elif to == Status.REFERRED:
            services.refer_request(
                department=data["department"], hours=data["hours"], note=data["note"], **common
            )
        else:
            raise ServiceError(_("この操作はこの画面ではできません。"))
    except ServiceError as error:
        return _stale_or_error(request, obj, error)
    messages.success(request, _("状態を「%(status)s」にしました。") % {"status": Status(to).label})
    return redirect(obj.get_absolute_url())


@permission_required("liaisons.assign_request", get_object=_visible_request)
def request_assign(request, pk, obj):
    """The assign form ranks officers by area, tier skill and open load."""
    form = AssignForm(request.POST or None, initial={"version": obj.version})
    suggestions = selectors.suggest_officers(obj)
    form.fields["officer"].choices = [
        (s.officer.pk, f"{s.officer.user.get_full_name()}（{'・'.join(s.reasons)}）")
        for s in suggestions
    ]
    if request.method == "POST" and form.is_valid():
        try:
            services.assign_request(
                request_id=obj.pk,
                officer_id=form.cleaned_data["officer"].pk,
                expected_version=form.cleaned_data["version"],
                note=form.cleaned_data["note"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            obj.refresh_from_db()
        else:
            messages.success(request, _("担当職員を決めました。"))
            return redirect(obj.get_absolute_url())
    return render(
        request,
        "liaisons/request_assign.html",
        {"req": obj, "form": form, "suggestions": suggestions},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@permission_required("liaisons.rate_request", get_object=_visible_request)
def request_rate(request, pk, obj):
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("評価を1〜5で選んでください。"))
        return redirect(obj.get_absolute_url())
    try:
        services.rate_request(
            request_id=obj.pk,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
            by=Actor.from_request(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("評価をお寄せいただき、ありがとうございました。"))
    return redirect(obj.get_absolute_url())


def _visible_attachment(request, pk, **kwargs):
    try:
        return selectors.attachment_visible_to(request.user, pk)
    except Attachment.DoesNotExist:
        raise Http404 from None


@permission_required(
    "liaisons.view_request",
    get_object=lambda request, pk, **kw: _visible_attachment(request, pk).request,
)
def attachment_download(request, pk, obj):
    """Attachments are served only here, to those who may see the request."""
    attachment = _visible_attachment(request, pk)
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.attachment.downloaded",
        target=attachment,
        data={"request": obj.pk, "content_type": attachment.content_type},
    )
    response = FileResponse(
        attachment.file.open("rb"),
        # Always a download: the browser never renders what a resident sent.
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Officers (administrators) ------------------------------------------------


@permission_required("liaisons.manage_officers")
def officer_list(request):
    officers = list(selectors.officers_for_admin())
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.officers.listed",
        target=OfficerProfile,
        data={"rows": len(officers)},
    )
    return render(request, "liaisons/officer_list.html", {"officers": officers})


@permission_required("liaisons.manage_officers")
def officer_create(request):
    form = OfficerCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            officer = services.create_officer_profile(
                user=form.cleaned_data["user"],
                department=form.cleaned_data["department"],
                experience=form.cleaned_data["experience"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("地域担当職員を登録しました。担当地域を設定してください。"))
            return redirect("liaisons:officer", pk=officer.pk)
    return render(
        request,
        "liaisons/officer_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _any_officer(request, pk, **kwargs):
    return get_object_or_404(OfficerProfile.objects.select_related("user"), pk=pk)


@permission_required("liaisons.manage_officers", get_object=_any_officer)
def officer_detail(request, pk, obj):
    """Edit the profile and assign (or reassign) areas."""
    by = Actor.from_request(request)
    profile_form = OfficerUpdateForm(
        request.POST if request.POST.get("form") == "profile" else None, instance=obj
    )
    assignment_form = AssignmentForm(
        request.POST if request.POST.get("form") == "assignment" else None,
        initial={"valid_from": selectors.today()},
    )
    failed = False
    if request.method == "POST":
        try:
            if profile_form.is_bound and profile_form.is_valid():
                services.update_officer_profile(
                    officer_id=obj.pk, by=by, **profile_form.cleaned_data
                )
                messages.success(request, _("職員の情報を保存しました。"))
                return redirect("liaisons:officer", pk=obj.pk)
            if assignment_form.is_bound and assignment_form.is_valid():
                services.assign_area(officer=obj, by=by, **assignment_form.cleaned_data)
                messages.success(request, _("担当地域を追加しました。"))
                return redirect("liaisons:officer", pk=obj.pk)
        except ServiceError as error:
            (profile_form if profile_form.is_bound else assignment_form).add_error(
                None, error.message
            )
        failed = True
    return render(
        request,
        "liaisons/officer_detail.html",
        {
            "officer": obj,
            "profile_form": profile_form,
            "assignment_form": assignment_form,
            "assignments": list(selectors.assignments_of(obj)),
            "today": selectors.today(),
        },
        status=400 if failed else 200,
    )


def _any_assignment(request, pk, **kwargs):
    return get_object_or_404(AreaAssignment, pk=pk)


@require_POST
@permission_required("liaisons.manage_officers", get_object=_any_assignment)
def assignment_end(request, pk, obj):
    form = EndAssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("終了日を正しく入力してください。"))
    else:
        try:
            services.end_assignment(
                assignment_id=obj.pk,
                valid_until=form.cleaned_data["valid_until"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("担当を終了しました。"))
    return redirect("liaisons:officer", pk=obj.officer_id)


@permission_required("liaisons.manage_settings")
def settings_view(request):
    current = LiaisonSettings.current()
    form = SettingsForm(
        request.POST or None, initial={"route_a_to_c_to": current.route_a_to_c_to_id}
    )
    if request.method == "POST" and form.is_valid():
        services.update_settings(
            route_a_to_c_to=form.cleaned_data["route_a_to_c_to"], by=Actor.from_request(request)
        )
        messages.success(request, _("設定を保存しました。"))
        return redirect("liaisons:settings")
    return render(
        request,
        "liaisons/settings.html",
        {"form": form, "current": current},
        status=400 if request.method == "POST" else 200,
    )


# --- Consultations ------------------------------------------------------------


@permission_required("liaisons.view_consultation")
def consultation_list(request):
    form = ConsultationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    consultations = selectors.consultation_list(request.user, **filters)
    page = Paginator(consultations, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.consultations.listed",
        target=Consultation,
        data={"rows": len(page.object_list)},
    )
    return render(
        request,
        "liaisons/consultation_list.html",
        {
            "form": form,
            "page": page,
            "may_log": may(request.user, "liaisons.log_consultation"),
            "filters_invalid": bool(form.errors),
        },
    )


@permission_required("liaisons.view_consultation")
def consultation_export(request):
    """The consultations of the list, with its filters, as CSV (UTF-8 with
    BOM, or CP932 that names what it cannot hold) or XLSX; text cells that
    Excel would run as a formula are neutralised by portal.csvio."""
    from . import exports

    back = reverse("liaisons:consultations")
    form = ConsultationFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("検索条件に誤りがあるため出力できません。条件を直してください。"))
        return redirect(back)
    fmt = request.GET.get("format", "csv")
    if fmt not in ("csv", "xlsx"):
        messages.error(request, _("出力する形式を選んでください。"))
        return redirect(back)
    filters = form.cleaned_data if form.is_bound else {}
    filters = {k: v for k, v in filters.items() if v}
    encoding = "cp932" if request.GET.get("encoding") == "cp932" else "utf-8"
    rows = list(
        selectors.consultation_export_rows(selectors.consultation_list(request.user, **filters))
    )
    name = f"consultations-{selectors.today():%Y%m%d}"
    header = selectors.CONSULTATION_EXPORT_HEADER
    if fmt == "xlsx":
        response = exports.xlsx_response(
            header, rows, title="consultations", filename=f"{name}.xlsx"
        )
    else:
        try:
            content = csv_bytes(header, rows, encoding=encoding)
        except ExportEncodingError as error:
            messages.error(
                request,
                _(
                    "Shift_JIS（CP932）で表せない文字があるため出力できません: %(chars)s。"
                    "UTF-8で出力してください。"
                )
                % {"chars": "、".join(error.characters)},
            )
            return redirect(back)
        response = csv_response(content, filename=f"{name}.csv")
    data = {
        "filters": {k: str(getattr(v, "code", v)) for k, v in filters.items()},
        "rows": len(rows),
        "format": fmt,
    }
    if fmt == "csv":
        data["encoding"] = encoding
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.consultations.exported",
        target=Consultation,
        data=data,
    )
    return response


@permission_required("liaisons.log_consultation")
def consultation_create(request):
    form = ConsultationForm(request.POST or None, initial={"received_on": selectors.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.log_consultation(by=Actor.from_request(request), **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("相談を記録しました。"))
            return redirect("liaisons:consultations")
    return render(
        request,
        "liaisons/consultation_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _visible_consultation(request, pk, **kwargs):
    return get_object_or_404(selectors.consultations_visible_to(request.user), pk=pk)


@permission_required("liaisons.view_consultation", get_object=_visible_consultation)
def consultation_detail(request, pk, obj):
    audit.record(by=Actor.from_request(request), action="liaisons.consultation.viewed", target=obj)
    return render(
        request,
        "liaisons/consultation_detail.html",
        {"consultation": obj, "may_edit": may(request.user, "liaisons.edit_consultation", obj)},
    )


@permission_required("liaisons.edit_consultation", get_object=_visible_consultation)
def consultation_edit(request, pk, obj):
    """Correct a record: the officer who took it, or a coordinator. The form
    carries a digest of what it showed, so a change made meanwhile by someone
    else is reported rather than overwritten."""
    initial = {name: getattr(obj, name) for name in services.CONSULTATION_FIELDS}
    initial["fingerprint"] = services.consultation_fingerprint(obj)
    form = ConsultationEditForm(request.POST or None, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        fingerprint = data.pop("fingerprint", "")
        try:
            _saved, changed = services.update_consultation(
                consultation_id=obj.pk,
                values=data,
                fingerprint=fingerprint,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            if error.code == "stale":
                # Show what is saved now; saving again is then a deliberate choice.
                obj = _visible_consultation(request, pk)
                current = services.consultation_fingerprint(obj)
                form = ConsultationEditForm({**request.POST.dict(), "fingerprint": current})
                form.is_valid()
                stale = obj
            form.add_error(None, error.message)
        else:
            if changed:
                messages.success(request, _("相談記録を更新しました。"))
            else:
                messages.info(request, _("変更はありませんでした。"))
            return redirect(obj.get_absolute_url())
    # The form shows the sensitive summary: a read, like the record's page.
    audit.record(by=Actor.from_request(request), action="liaisons.consultation.viewed", target=obj)
    return render(
        request,
        "liaisons/consultation_form.html",
        {"form": form, "consultation": obj, "stale": stale},
        status=400 if request.method == "POST" else 200,
    )


# --- Reports ------------------------------------------------------------------


def _report_year(request):
    years = reports.years_with_requests()
    form = ReportYearForm(request.GET or None, years=years)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else years[0]
    return form, year


@permission_required("liaisons.view_reports")
def report(request):
    form, year = _report_year(request)
    tables = {name: build(year) for name, build in reports.TABLES.items()}
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.report.viewed",
        target=SupportRequest,
        data={"year": year},
    )
    return render(
        request,
        "liaisons/report.html",
        {
            "form": form,
            "year": year,
            "tables": tables,
            "chart": reports.share_chart(tables["share"]),
            "routed": reports.routed_count(year),
            "table_names": list(reports.TABLES) + ["requests"],
        },
    )


EXPORT_FORMATS = {"csv", "cp932", "xlsx"}


@permission_required("liaisons.view_reports")
def report_export(request):
    """A report table (or the year's requests) as CSV (UTF-8 with BOM, or
    CP932 that names what it cannot hold) or XLSX."""
    from . import exports

    _form, year = _report_year(request)
    table = request.GET.get("table", "requests")
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS or (table not in reports.TABLES and table != "requests"):
        messages.error(request, _("出力する表と形式を選んでください。"))
        return redirect(reverse("liaisons:report") + f"?year={year}")
    try:
        response, rows = exports.export(table=table, year=year, fmt=fmt)
    except exports.ExportEncodingError as error:
        messages.error(
            request,
            _(
                "Shift_JIS（CP932）で表せない文字があるため出力できません: %(chars)s。"
                "UTF-8で出力してください。"
            )
            % {"chars": "、".join(error.characters)},
        )
        return redirect(reverse("liaisons:report") + f"?year={year}")
    audit.record(
        by=Actor.from_request(request),
        action="liaisons.report.exported",
        target=SupportRequest,
        data={"year": year, "table": table, "format": fmt, "rows": rows},
    )
    return response
