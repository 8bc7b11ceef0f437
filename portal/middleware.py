import errno
import logging
import re
import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _


class HealthCheckMiddleware:
    """Answer /healthz before host validation and HTTPS redirects.

    Load balancers and container health checks call it by IP over plain HTTP,
    which ALLOWED_HOSTS and SECURE_SSL_REDIRECT would otherwise refuse.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz":
            from .views import healthz

            return healthz(request)
        return self.get_response(request)


security_logger = logging.getLogger("portal.security")


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (settings.PERMISSIONS_POLICY) on every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# C0 controls and DEL: no link or form of the portal puts one in a path
# segment, and PostgreSQL refuses NUL in any text it compares.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RejectInvalidCharactersMiddleware:
    """Answer 400 to a path holding a control character (NUL among them) or
    a query string holding NUL.

    PostgreSQL cannot store or compare text containing NUL, so such a value
    in a path segment (`/areas/<code>/`), a search or a filter fails deep in a
    query (or in the audit entry that records the search) with a 500. No real
    link or form produces one (form fields already refuse NUL in submitted
    data), so the whole site refuses it here, once, instead of each view
    guarding itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL.search(request.path_info) or _CONTROL.search(request.path):
            security_logger.warning("Refused a path with a control character: %r", request.path)
            return HttpResponseBadRequest(
                _("アドレスに使えない文字が含まれています。"),
                content_type="text/plain; charset=utf-8",
            )
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            security_logger.warning("Refused a query string with NUL: %s", request.path)
            return HttpResponseBadRequest(
                _("検索語に使えない文字（NUL）が含まれています。"),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Sign out staff (and assigned reviewers) after a spell without requests.

    Whoever handles personal data is signed out after
    STAFF_IDLE_TIMEOUT_MINUTES without a request, so that a screen left
    open on a shared desk does not stay signed in; residents keep the
    normal session (SESSION_COOKIE_AGE). The time of the last request is
    kept in the session, rewritten at most once a minute.
    """

    KEY = "portal_last_seen"
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.STAFF_IDLE_TIMEOUT_MINUTES * 60
        user = request.user
        if limit and user.is_authenticated and user.handles_personal_data:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - last_seen > limit:
                logout(request)
                messages.info(
                    request,
                    _(
                        "%(minutes)d分間操作がなかったため、ログアウトしました。もう一度ログインしてください。"
                    )
                    % {"minutes": settings.STAFF_IDLE_TIMEOUT_MINUTES},
                )
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= self.WRITE_EVERY_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff whose roles show personal data (and reviewers once assigned an
    application) must set up TOTP before going on.

    Only the account pages (where TOTP is set up), logout, language switching
    and the health check stay open until they have.
    """

    OPEN_PREFIXES = ("/accounts/", "/i18n/", "/healthz", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_set_up_mfa(request):
            messages.warning(
                request,
                _(
                    "個人情報を扱う職員・審査員は二段階認証（TOTP）の設定が必要です。"
                    "設定してから続けてください。"
                ),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _must_set_up_mfa(self, request):
        if not settings.REQUIRE_STAFF_MFA:
            return False
        user = request.user
        if not user.is_authenticated or not user.handles_personal_data:
            return False
        if request.path.startswith(self.OPEN_PREFIXES):
            return False
        # Read with the user for this request where it could be (portal/auth_backends.py).
        has_totp = getattr(user, "_has_totp_cache", None)
        if has_totp is None:
            has_totp = is_mfa_enabled(user, ["totp"])
        return not has_totp


class StorageFullMiddleware:
    """A full disk (or quota) while saving an upload: a page that says so,
    with 503, instead of the generic error page. The service's transaction
    has already rolled back, so nothing of the upload was recorded."""

    FULL = (errno.ENOSPC, errno.EDQUOT)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OSError) or exception.errno not in self.FULL:
            return None
        logging.getLogger("portal.storage").error(
            "Storage full while handling %s", request.path, exc_info=exception
        )
        return render(request, "portal/storage_full.html", status=503)
