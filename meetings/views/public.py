"""Pages residents use: find a meeting, register, see and cancel their registrations."""

import datetime

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from areas.models import Area
from portal.audit import Actor
from portal.errors import ServiceError
from portal.permissions import PUBLIC, PermissionRequiredMixin, may, permission_required, visible

from .. import selectors, services
from ..calendar import month_grid
from ..forms import FeedbackForm, InvitationRegistrationForm, MeetingFilterForm, RegistrationForm
from ..models import Meeting, Registration

__all__ = [
    "MeetingListView",
    "MeetingDetailView",
    "calendar_view",
    "register_view",
    "invitation_register_view",
    "my_registrations_view",
    "cancel_registration_view",
    "feedback_view",
]


class MeetingListView(PermissionRequiredMixin, ListView):
    permission = "meetings.view_meeting"
    template_name = "meetings/meeting_list.html"
    context_object_name = "meetings"
    paginate_by = 20

    def get_queryset(self):
        self.filter_form = MeetingFilterForm(self.request.GET or None)
        if self.filter_form.is_bound and not self.filter_form.is_valid():
            return Meeting.objects.none()
        filters = self.filter_form.cleaned_data if self.filter_form.is_bound else {}
        return selectors.meeting_list(
            self.request.user,
            area=filters.get("area"),
            theme=filters.get("theme"),
            month=filters.get("month"),
            kind=filters.get("kind", ""),
            upcoming_only=not any(filters.values()) if filters else True,
        )

    def get_context_data(self, **kwargs):
        area = self.filter_form.cleaned_data.get("area") if self.filter_form.is_valid() else None
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            form=self.filter_form,
            feed_area=area,
            query=query.urlencode(),
            may_manage=may(self.request.user, "meetings.view_staff_list"),
            **kwargs,
        )


def _month_from(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError, OverflowError):
        return None


@permission_required("meetings.view_meeting")
def calendar_view(request):
    """A month as a table (no script needed); previous and next month are links."""
    first = _month_from(request)
    if first is None or not 2000 <= first.year <= 2100:
        first = timezone.localdate().replace(day=1)
    area = None
    if request.GET.get("area"):
        area = Area.objects.filter(code=request.GET["area"]).first()
    meetings = selectors.meetings_in_month(request.user, first.year, first.month, area=area)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return render(
        request,
        "meetings/calendar.html",
        {
            "first": first,
            "weeks": month_grid(first.year, first.month, meetings),
            "meetings": meetings,
            "previous": previous,
            "following": following,
            "area": area,
            "areas": Area.objects.all(),
            "weekdays": [
                pgettext("weekday", "月"),
                pgettext("weekday", "火"),
                pgettext("weekday", "水"),
                pgettext("weekday", "木"),
                pgettext("weekday", "金"),
                pgettext("weekday", "土"),
                pgettext("weekday", "日"),
            ],
        },
    )


class MeetingDetailView(PermissionRequiredMixin, DetailView):
    permission = "meetings.view_meeting"
    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return selectors.meetings_visible_to(self.request.user).prefetch_related("facilitators")

    def get_context_data(self, **kwargs):
        meeting = self.object
        user = self.request.user
        registration = selectors.active_registration(meeting, user)
        now = timezone.now()
        return super().get_context_data(
            registration=registration,
            waiting_position=selectors.waiting_position(registration) if registration else None,
            registration_open=meeting.status == Meeting.Status.OPEN
            and meeting.registration_opens_at <= now < meeting.registration_closes_at,
            may_team=may(user, "meetings.view_participants", meeting),
            may_edit=may(user, "meetings.edit_meeting", meeting),
            **kwargs,
        )


def _visible_meeting(request, pk, **kwargs):
    return get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)


def _initial_from(user):
    return {
        "name": user.full_name,
        "name_kana": user.full_name_kana,
        "email": user.email,
        "party_size": 1,
        "mode": Registration.Mode.IN_PERSON,
    }


def _registered_message(request, registration):
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("参加の申込みを受け付けました。確認のメールを送りました。"))
    else:
        messages.warning(
            request,
            _(
                "定員に達しているため、キャンセル待ちで受け付けました。席があいたらメールでお知らせします。"
            ),
        )


@permission_required("meetings.register", get_object=_visible_meeting)
def register_view(request, pk, obj):
    form = RegistrationForm(request.POST or None, meeting=obj, initial=_initial_from(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_for_meeting(
                meeting_id=obj.pk,
                user=request.user,
                participant=form.participant(),
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            _registered_message(request, registration)
            return redirect(obj.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "meetings/register.html", {"form": form, "meeting": obj}, status=status)


@permission_required(PUBLIC, get_object=_visible_meeting)
def invitation_register_view(request, pk, obj):
    """Registration with the code from a survey letter; no account needed.
    The code is typed into the form (never taken from the address, which
    reaches access logs); wrong codes count towards the limit every
    code-checking page shares (surveys.services.codes)."""
    initial = {"party_size": 1}
    if request.user.is_authenticated:
        initial.update({k: v for k, v in _initial_from(request.user).items() if k != "mode"})
    form = InvitationRegistrationForm(request.POST or None, meeting=obj, initial=initial)
    status = 400 if request.method == "POST" else 200
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_with_invitation(
                meeting_id=obj.pk,
                code=form.cleaned_data["code"],
                participant=form.participant(),
                user=request.user if request.user.is_authenticated else None,
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
            status = max(status, error.status_code)
            retry_after = getattr(error, "retry_after", None)
        else:
            _registered_message(request, registration)
            return redirect(obj.get_absolute_url())
    response = render(
        request,
        "meetings/register.html",
        {"form": form, "meeting": obj, "invitation": True},
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@permission_required("meetings.view_own_registrations")
def my_registrations_view(request):
    registrations = list(selectors.my_registrations(request.user))
    for registration in registrations:
        registration.position = selectors.waiting_position(registration)
    return render(request, "meetings/my_registrations.html", {"registrations": registrations})


def _cancellable(request, pk, **kwargs):
    return get_object_or_404(
        visible(request.user, "meetings.cancel_registration", Registration.objects.all()), pk=pk
    )


def _safe_next(request, default):
    target = request.POST.get("next", "")
    # A path on this site only: anything else (a bare word would be taken
    # for a view name by redirect()) goes to the default.
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return default


@require_POST
@permission_required("meetings.cancel_registration", get_object=_cancellable)
def cancel_registration_view(request, pk, obj):
    back = _safe_next(request, reverse("meetings:mine"))
    try:
        promotion = services.cancel_registration(
            registration_id=obj.pk, by=Actor.from_request(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _("申込みを取り消しました。"))
    if may(request.user, "meetings.view_participants", obj.meeting):
        if promotion.promoted:
            messages.info(
                request,
                _("キャンセル待ちから %(n)d 組の参加が確定しました。")
                % {"n": len(promotion.promoted)},
            )
        if promotion.skipped:
            messages.info(
                request,
                _("人数が残りの席より多いため、%(n)d 組はキャンセル待ちのままです。")
                % {"n": len(promotion.skipped)},
            )
    return redirect(back)


@permission_required("meetings.give_feedback", get_object=_cancellable)
def feedback_view(request, pk, obj):
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_feedback(
                registration_id=obj.pk,
                satisfaction=form.cleaned_data["satisfaction"],
                support_wanted=form.cleaned_data["support_wanted"],
                comment=form.cleaned_data["comment"],
                by=Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("アンケートにお答えいただき、ありがとうございました。"))
            return redirect("meetings:mine")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/feedback.html",
        {"form": form, "registration": obj, "meeting": obj.meeting},
        status=status,
    )
