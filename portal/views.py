from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, UpdateView

from areas.models import Area
from areas.selectors import areas_for_listing

from . import audit, selectors, services
from .csvio import ExportEncodingError, csv_bytes, csv_response
from .forms import AuditLogFilterForm, ProfileForm
from .models import AuditLogEntry
from .permissions import PUBLIC, PermissionRequiredMixin, permission_required


@never_cache
@permission_required(PUBLIC)
def healthz(request):
    """200 `ok` when the database answers, 503 otherwise. No login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class HomeView(PermissionRequiredMixin, TemplateView):
    permission = PUBLIC
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["areas"] = areas_for_listing()
        user = self.request.user
        if user.is_authenticated and user.district_id:
            context["my_area"] = Area.objects.filter(districts=user.district_id).first()
        if user.is_authenticated:
            context["my_organisations"] = user.organisations.filter(is_active=True)
        return context


class AccessibilityView(PermissionRequiredMixin, TemplateView):
    permission = PUBLIC
    template_name = "portal/accessibility.html"


class StaffDashboardView(PermissionRequiredMixin, TemplateView):
    permission = "portal.view_staff_dashboard"
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(today=timezone.localdate(), **kwargs)


class ProfileView(PermissionRequiredMixin, UpdateView):
    permission = "portal.edit_own_profile"
    form_class = ProfileForm
    template_name = "portal/profile.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        services.update_profile(user=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("登録情報を保存しました。"))
        return redirect("portal:profile")


class MyPageView(PermissionRequiredMixin, TemplateView):
    """A signed-in user's own page: their area, organisations and settings."""

    permission = "portal.edit_own_profile"
    template_name = "portal/mypage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.district_id:
            context["my_area"] = Area.objects.filter(districts=user.district_id).first()
        context["my_organisations"] = user.organisations.filter(is_active=True).order_by("name")
        return context


def _filtered_audit_entries(request):
    """The form, the filters and the entries; no entries at all when the form is invalid.

    An invalid filter must not fall back to "everything" (a mistyped date
    would otherwise list or export the whole log).
    """
    form = AuditLogFilterForm(request.GET or None, target_types=selectors.audit_target_types())
    if form.is_bound and not form.is_valid():
        return form, {}, AuditLogEntry.objects.none()
    filters = {k: v for k, v in (form.cleaned_data if form.is_bound else {}).items() if v}
    return form, filters, selectors.audit_log_entries(**filters)


@permission_required("portal.view_audit_log")
def audit_log(request):
    form, filters, entries = _filtered_audit_entries(request)
    page = Paginator(entries, settings.AUDIT_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before this view adds its own entry
    # Reading the log is itself an access to personal data (who looked at whom).
    audit.record_access(
        actor=request.user,
        action=AuditLogEntry.Action.VIEW,
        target=AuditLogEntry,
        request=request,
        data={"filters": {k: str(v) for k, v in filters.items()}, "page": page.number},
    )
    return render(request, "portal/audit_log.html", {"form": form, "page": page})


AUDIT_EXPORT_HEADER = [
    "日時",
    "操作者",
    "操作者の役割",
    "操作",
    "対象の種類",
    "対象ID",
    "対象",
    "目的・根拠",
    "IPアドレス",
    "URL",
]


@permission_required("portal.view_audit_log")
def audit_log_export(request):
    """The filtered audit log as CSV (UTF-8 with BOM, or CP932 on request)."""
    form, filters, entries = _filtered_audit_entries(request)
    if form.errors:
        messages.error(request, _("検索条件に誤りがあるため出力できません。条件を直してください。"))
        return redirect(f"{reverse('portal:audit_log')}?{request.GET.urlencode()}")
    encoding = "cp932" if request.GET.get("encoding") == "cp932" else "utf-8"
    rows = [
        [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_email,
            e.actor_role,
            e.action,
            e.target_type,
            e.target_id,
            e.target_repr,
            e.purpose,
            e.ip_address or "",
            e.request_path,
        ]
        for e in entries.iterator(chunk_size=2000)
    ]
    try:
        data = csv_bytes(AUDIT_EXPORT_HEADER, rows, encoding=encoding)
    except ExportEncodingError as error:
        messages.error(
            request,
            _(
                "Shift_JIS（CP932）で表せない文字があるため出力できません: %(chars)s。UTF-8で出力してください。"
            )
            % {"chars": "、".join(error.characters)},
        )
        return redirect(f"{reverse('portal:audit_log')}?{request.GET.urlencode()}")
    audit.record_access(
        actor=request.user,
        action=AuditLogEntry.Action.EXPORT,
        target=AuditLogEntry,
        request=request,
        data={
            "filters": {k: str(v) for k, v in filters.items()},
            "rows": len(rows),
            "encoding": encoding,
        },
    )
    filename = f"監査ログ_{timezone.localdate():%Y%m%d}.csv"
    return csv_response(data, filename=filename)
