"""Staff pages: run meetings, the participant list, check-in, minutes, the funnel."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import audit
from portal.audit import Actor
from portal.csvio import ExportEncodingError, csv_bytes, csv_response
from portal.errors import ServiceError
from portal.permissions import enforce, may, permission_required

from .. import applicants, exports, selectors, services
from ..forms import (
    ApplicantRegistrationForm,
    CheckInSearchForm,
    ExportForm,
    FunnelFiguresForm,
    IdeaForm,
    MeetingForm,
    MinutesForm,
    SeriesForm,
    StatusForm,
    WalkInForm,
)
from ..models import Idea, Meeting, Registration

__all__ = [
    "staff_list_view",
    "meeting_create_view",
    "meeting_edit_view",
    "meeting_move_view",
    "participants_view",
    "participants_export_view",
    "check_in_view",
    "walk_in_view",
    "minutes_view",
    "idea_push_view",
    "series_list_view",
    "funnel_view",
    "applicants_view",
    "applicants_export_view",
    "applicant_register_view",
]


def _meeting(request, pk, **kwargs):
    return get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)


@permission_required("meetings.view_staff_list")
def staff_list_view(request):
    status = request.GET.get("status", "")
    if status not in Meeting.Status.values:
        status = ""
    return render(
        request,
        "meetings/staff_list.html",
        {
            "meetings": selectors.staff_meeting_list(request.user, status=status),
            "statuses": Meeting.Status.choices,
            "status": status,
            "may_create": may(request.user, "meetings.manage_meetings"),
        },
    )


def _meeting_form_page(request, form, meeting=None):
    status = 400 if request.method == "POST" else 200
    return render(
        request, "meetings/meeting_form.html", {"form": form, "meeting": meeting}, status=status
    )


@permission_required("meetings.manage_meetings")
def meeting_create_view(request):
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                details=form.details(),
                capacity=form.cleaned_data["capacity"],
                facilitators=list(form.cleaned_data["facilitators"]),
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("ミーティングを下書きとして作成しました。公開すると住民に表示されます。")
            )
            return redirect("meetings:participants", pk=meeting.pk)
    return _meeting_form_page(request, form)


@permission_required("meetings.edit_meeting", get_object=_meeting)
def meeting_edit_view(request, pk, obj):
    form = MeetingForm(request.POST or None, initial=MeetingForm.initial_for(obj))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(
                meeting_id=obj.pk,
                details=form.details(),
                capacity=form.cleaned_data["capacity"],
                facilitators=list(form.cleaned_data["facilitators"]),
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("ミーティングを保存しました。"))
            return redirect("meetings:participants", pk=obj.pk)
    return _meeting_form_page(request, form, obj)


@require_POST
@permission_required("meetings.edit_meeting", get_object=_meeting)
def meeting_move_view(request, pk, obj):
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.move_meeting(
                meeting_id=obj.pk, to=form.cleaned_data["to"], by=Actor.from_request(request)
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("状態を変更しました。"))
    else:
        messages.error(request, _("変更先の状態を選んでください。"))
    return redirect("meetings:participants", pk=obj.pk)


@permission_required("meetings.view_participants", get_object=_meeting)
def participants_view(request, pk, obj):
    """The meeting's page for its team; lists registrants (personal data: audited)."""
    rows = list(selectors.participants(obj))
    audit.record(
        by=Actor.from_request(request),
        action="meetings.participants.viewed",
        target=obj,
        data={"rows": len(rows)},
    )
    return render(
        request,
        "meetings/participants.html",
        {
            "meeting": obj,
            "registrations": rows,
            "counts": selectors.meeting_counts(obj),
            "moves": services.MEETING_FLOW.allowed_targets(obj.status),
            "status_labels": dict(Meeting.Status.choices),
            "may_edit": may(request.user, "meetings.edit_meeting", obj),
            "export_form": ExportForm(),
        },
    )


@permission_required("meetings.view_participants", get_object=_meeting)
def participants_export_view(request, pk, obj):
    form = ExportForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("出力の形式を選んでください。"))
        return redirect("meetings:participants", pk=obj.pk)
    kind = form.cleaned_data["format"]
    rows = list(selectors.participants(obj))
    base = f"meeting-{obj.pk}-participants"
    if kind == "xlsx":
        data = exports.participants_xlsx(rows)
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{base}.xlsx"'
    else:
        try:
            data = csv_bytes(
                exports.participant_header(), exports.participant_rows(rows), encoding=kind
            )
        except ExportEncodingError as error:
            messages.error(
                request,
                _("Shift_JIS で表せない文字があります（%(chars)s）。UTF-8 で出力してください。")
                % {"chars": "".join(error.characters)},
            )
            return redirect("meetings:participants", pk=obj.pk)
        response = csv_response(data, filename=f"{base}.csv")
    audit.record(
        by=Actor.from_request(request),
        action="meetings.participants.exported",
        target=obj,
        data={"rows": len(rows), "format": kind},
    )
    return response


@permission_required("meetings.check_in", get_object=_meeting)
def check_in_view(request, pk, obj):
    """Phone-friendly desk page: find by name or kana, mark attendance."""
    if request.method == "POST":
        registration_id = request.POST.get("registration", "")
        # A hand-made value (not a number, or longer than any id) is not found.
        if (
            not (registration_id.isascii() and registration_id.isdigit())
            or len(registration_id) > 18
        ):
            raise Http404
        registration = get_object_or_404(Registration, pk=registration_id, meeting=obj)
        try:
            services.check_in(
                registration_id=registration.pk,
                attended=request.POST.get("attended") == "1",
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("出席を記録しました。")
                if request.POST.get("attended") == "1"
                else _("出席の記録を取り消しました。"),
            )
        return redirect(
            reverse("meetings:check_in", kwargs={"pk": obj.pk}) + "?q=" + request.POST.get("q", "")
        )
    form = CheckInSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    rows = list(
        selectors.participants(obj, query=query).filter(status=Registration.Status.CONFIRMED)
    )
    audit.record(
        by=Actor.from_request(request),
        action="meetings.participants.searched",
        target=obj,
        data={"rows": len(rows), "query_length": len(query)},
    )
    return render(
        request,
        "meetings/check_in.html",
        {
            "meeting": obj,
            "form": form,
            "registrations": rows,
            "query": query,
            "walk_in_form": WalkInForm(),
            "counts": selectors.meeting_counts(obj),
        },
    )


@require_POST
@permission_required("meetings.check_in", get_object=_meeting)
def walk_in_view(request, pk, obj):
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            services.add_walk_in(
                meeting_id=obj.pk, participant=form.participant(), by=Actor.from_request(request)
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("当日参加の方を受け付けました。"))
    else:
        messages.error(request, _("当日参加の方の氏名と人数を入力してください。"))
    return redirect("meetings:check_in", pk=obj.pk)


@permission_required("meetings.record_minutes", get_object=_meeting)
def minutes_view(request, pk, obj):
    minutes_form = MinutesForm(initial={"minutes": obj.minutes})
    idea_form = IdeaForm(initial={"kind": Idea.Kind.IDEA})
    status = 200
    if request.method == "POST":
        by = Actor.from_request(request)
        if "save_minutes" in request.POST:
            minutes_form = MinutesForm(request.POST)
            if minutes_form.is_valid():
                services.save_minutes(
                    meeting_id=obj.pk, minutes=minutes_form.cleaned_data["minutes"], by=by
                )
                messages.success(request, _("記録を保存しました。"))
                return redirect("meetings:minutes", pk=obj.pk)
        else:
            idea_form = IdeaForm(request.POST)
            if idea_form.is_valid():
                try:
                    services.add_idea(meeting_id=obj.pk, by=by, **idea_form.cleaned_data)
                except ServiceError as error:
                    idea_form.add_error(None, error.message)
                else:
                    messages.success(request, _("意見を追加しました。"))
                    return redirect("meetings:minutes", pk=obj.pk)
        status = 400
    return render(
        request,
        "meetings/minutes.html",
        {
            "meeting": obj,
            "minutes_form": minutes_form,
            "idea_form": idea_form,
            "ideas": selectors.ideas_of(obj),
            "may_push": may(request.user, "meetings.push_to_karte"),
        },
        status=status,
    )


def _idea(request, pk, **kwargs):
    return get_object_or_404(Idea.objects.select_related("meeting"), pk=pk)


@require_POST
@permission_required("meetings.push_to_karte", get_object=_idea)
def idea_push_view(request, pk, obj):
    try:
        services.push_idea_to_karte(idea_id=obj.pk, by=Actor.from_request(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("地域カルテの課題一覧に反映しました。"))
    return redirect("meetings:minutes", pk=obj.meeting_id)


@permission_required("meetings.view_funnel")
def series_list_view(request):
    form = SeriesForm(request.POST or None)
    status = 200
    if request.method == "POST":
        enforce(request, "meetings.manage_meetings")
        if form.is_valid():
            series = services.create_series(by=Actor.from_request(request), **form.cleaned_data)
            messages.success(request, _("シリーズを作成しました。"))
            return redirect("meetings:funnel", pk=series.pk)
        status = 400
    return render(
        request,
        "meetings/series_list.html",
        {
            "series_list": selectors.series_visible_to(request.user),
            "form": form,
            "may_create": may(request.user, "meetings.manage_meetings"),
        },
        status=status,
    )


def _series(request, pk, **kwargs):
    return get_object_or_404(selectors.series_visible_to(request.user), pk=pk)


@permission_required("meetings.view_funnel", get_object=_series)
def funnel_view(request, pk, obj):
    """Sampled → answered → applied → attended for a series, with rates."""
    may_edit = may(request.user, "meetings.edit_funnel_figures")
    form = FunnelFiguresForm(
        request.POST or None,
        initial={"sampled_count": obj.sampled_count, "answered_count": obj.answered_count},
    )
    status = 200
    if request.method == "POST":
        enforce(request, "meetings.edit_funnel_figures")
        if form.is_valid():
            try:
                services.set_funnel_figures(
                    series_id=obj.pk, by=Actor.from_request(request), **form.cleaned_data
                )
            except ServiceError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("人数を保存しました。"))
                return redirect("meetings:funnel", pk=obj.pk)
        status = 400
    return render(
        request,
        "meetings/funnel.html",
        {
            "series": obj,
            "report": selectors.series_report(obj),
            "form": form,
            "may_edit": may_edit,
            "may_see_applicants": may(request.user, "meetings.view_applicants", obj),
        },
        status=status,
    )


@permission_required("meetings.view_applicants", get_object=_series)
def applicants_view(request, pk, obj):
    """Who applied for the series: registrants and the area's survey
    volunteers, with contacts (personal data: audited)."""
    rows = selectors.series_applicants(obj)
    audit.record(
        by=Actor.from_request(request),
        action="meetings.applicants.viewed",
        target=obj,
        data={"rows": len(rows), "volunteers": sum(1 for a in rows if a.volunteered)},
    )
    form = ApplicantRegistrationForm(series=obj)
    return render(
        request,
        "meetings/applicants.html",
        {
            "series": obj,
            "applicants": rows,
            "meetings": list(form.fields["meeting"].queryset),
            "may_register": may(request.user, "meetings.register_applicants", obj),
        },
    )


@require_POST
@permission_required("meetings.register_applicants", get_object=_series)
def applicant_register_view(request, pk, obj):
    """Register one applicant for a meeting of the series (seat under the lock)."""
    form = ApplicantRegistrationForm(request.POST, series=obj)
    if not form.is_valid():
        messages.error(request, _("申し込む回を選んでください。"))
    else:
        try:
            registration = services.register_applicant(
                series=obj,
                key=form.cleaned_data["applicant"],
                meeting_id=form.cleaned_data["meeting"].pk,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                text = _("%(name)s さんを「%(meeting)s」に申し込みました（参加確定）。")
            else:
                text = _("%(name)s さんを「%(meeting)s」のキャンセル待ちに登録しました。")
            messages.success(
                request, text % {"name": registration.name, "meeting": registration.meeting.title}
            )
    return redirect("meetings:applicants", pk=obj.pk)


@permission_required("meetings.view_applicants", get_object=_series)
def applicants_export_view(request, pk, obj):
    rows = selectors.series_applicants(obj)
    data = csv_bytes(applicants.export_header(), applicants.export_rows(rows))
    audit.record(
        by=Actor.from_request(request),
        action="meetings.applicants.exported",
        target=obj,
        data={"rows": len(rows), "format": "utf-8"},
    )
    return csv_response(data, filename=f"series-{obj.pk}-applicants.csv")
