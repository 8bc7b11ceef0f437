from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, UpdateView

from areas.models import Area
from areas.selectors import areas_for_listing, current_organisations_of

from . import audit, audit_display, selectors, services
from .csvio import ExportEncodingError, csv_bytes, csv_response
from .errors import ServiceError
from .forms import AuditLogFilterForm, ProfileForm, RolesForm, UserSearchForm
from .jobs import live_progress
from .models import AuditLogEntry, Job, Role, User
from .permissions import PUBLIC, PermissionRequiredMixin, permission_required, visible

HEALTH_QUERY = "SELECT 1"


@never_cache
@permission_required(PUBLIC)
def healthz(request):
    """200 `ok` when the database answers, 503 otherwise. No login.

    Both halves are time-limited (DB_CONNECT_TIMEOUT for the connection, a
    statement timeout for the query), so a stuck server gives a quick 503
    rather than holding the load balancer's probe and a worker.
    """
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # SET LOCAL: ends with this transaction, other queries keep theirs.
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)",
                    [str(settings.HEALTHZ_QUERY_TIMEOUT_MS)],
                )
            cursor.execute(HEALTH_QUERY)
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
            context["my_organisations"] = current_organisations_of(user).filter(is_active=True)
        return context


class AccessibilityView(PermissionRequiredMixin, TemplateView):
    permission = PUBLIC
    template_name = "portal/accessibility.html"


class StaffDashboardView(PermissionRequiredMixin, TemplateView):
    permission = "portal.view_staff_dashboard"
    template_name = "portal/dashboard.html"

    def get_context_data(self, **kwargs):
        from .dashboard.views import dashboard_context, requested_year

        context = dashboard_context(requested_year(self.request))
        return super().get_context_data(today=timezone.localdate(), **context, **kwargs)


class ProfileView(PermissionRequiredMixin, UpdateView):
    permission = "portal.edit_own_profile"
    form_class = ProfileForm
    template_name = "portal/profile.html"

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        services.update_profile(
            user=self.request.user, by=audit.Actor.from_request(self.request), **form.cleaned_data
        )
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
        context["my_organisations"] = current_organisations_of(user).filter(is_active=True)
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
    # Read before this view adds its own entry.
    page.object_list = audit_display.rows(page.object_list)
    # Reading the log is itself an access to personal data (who looked at whom).
    audit.record_access(
        actor=request.user,
        action=AuditLogEntry.Action.VIEW,
        target=AuditLogEntry,
        request=request,
        data={"filters": {k: str(v) for k, v in filters.items()}, "page": page.number},
    )
    return render(request, "portal/audit_log.html", {"form": form, "page": page})


def _chunks(iterable, size):
    """Lists of `size` items, so target names are read once per chunk, not per row."""
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


AUDIT_EXPORT_HEADER = [
    "日時",
    "操作者",
    "操作者の役割",
    "操作の種類",
    "操作",
    "操作コード",
    "対象の種類",
    "対象ID",
    "対象",
    "対象の名前",
    "変更内容",
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
    # The export is an office document: Japanese whatever the page's language.
    with translation.override("ja"):
        rows = [
            [
                timezone.localtime(row.entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                row.entry.actor_email,
                row.role,
                row.entry.get_kind_display(),
                row.label,
                row.entry.action,
                row.target_type,
                row.entry.target_id,
                row.entry.target_repr,
                row.target_name,
                row.changes_text,
                row.entry.purpose,
                row.entry.ip_address or "",
                row.entry.request_path,
            ]
            for chunk in _chunks(entries.iterator(chunk_size=2000), 2000)
            for row in audit_display.rows(chunk)
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


def _visible_job(request, public_id, **kwargs):
    return get_object_or_404(
        visible(request.user, "portal.view_job", Job.objects.all()), public_id=public_id
    )


@never_cache
@permission_required("portal.view_job", get_object=_visible_job)
def job_status(request, public_id, obj):
    """A job's progress page; `?format=json` answers the page's poller."""
    done, total = live_progress(obj)
    percent = (
        100 if obj.status == Job.Status.SUCCEEDED else (int(done * 100 / total) if total else 0)
    )
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "status": obj.status,
                "status_label": obj.get_status_display(),
                "finished": obj.finished,
                "done": done,
                "total": total,
                "percent": min(percent, 100),
            }
        )
    return render(
        request,
        "portal/job.html",
        {"job": obj, "done": done, "total": total, "percent": min(percent, 100)},
    )


@permission_required("portal.manage_roles")
def user_roles_list(request):
    """Administrators find accounts and see their roles."""
    form = UserSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    users = selectors.users_for_role_management(
        q=filters.get("q", ""), role=filters.get("role", "")
    )
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    audit.record(
        by=audit.Actor.from_request(request),
        action="portal.users.listed",
        target=User,
        data={
            "search": bool(filters.get("q")),
            "role": filters.get("role", ""),
            "page": page.number,
        },
    )
    return render(request, "portal/user_roles_list.html", {"form": form, "page": page})


def _any_user(request, pk, **kwargs):
    return get_object_or_404(User, pk=pk)


@permission_required("portal.manage_roles", get_object=_any_user)
def user_roles_edit(request, pk, obj):
    # A POST with every box unticked has an empty body: still a submission.
    data = request.POST if request.method == "POST" else None
    form = RolesForm(data, initial={"roles": [r.value for r in obj.roles]})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_roles(
                user_id=obj.pk,
                roles=form.cleaned_data["roles"],
                by=audit.Actor.from_request(request),
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("役割を保存しました。"))
            return redirect("portal:user_roles")
    elif request.method == "GET":
        audit.record(by=audit.Actor.from_request(request), action="portal.user.viewed", target=obj)
    return render(
        request,
        "portal/user_roles_edit.html",
        {"form": form, "person": obj, "roles": Role},
        status=400 if request.method == "POST" else 200,
    )
