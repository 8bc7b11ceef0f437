from django.conf import settings
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from .permissions import PUBLIC, may

# (label, url name, permission): the navigation shows what the user may open.
NAVIGATION = (
    (pgettext_lazy("navigation", "ホーム"), "portal:home", PUBLIC),
    (pgettext_lazy("navigation", "地域"), "areas:list", PUBLIC),
    (pgettext_lazy("navigation", "団体"), "areas:organisations", PUBLIC),
    (pgettext_lazy("navigation", "地域課題"), "areas:issues", PUBLIC),
    (
        pgettext_lazy("navigation", "職員ダッシュボード"),
        "portal:dashboard",
        "portal.view_staff_dashboard",
    ),
    (
        pgettext_lazy("navigation", "町丁目の取込"),
        "areas:import_districts",
        "areas.import_districts",
    ),
    (pgettext_lazy("navigation", "監査ログ"), "portal:audit_log", "portal.view_audit_log"),
)


def navigation(request):
    user = getattr(request, "user", None)
    current = request.path
    items = []
    for label, url_name, permission in NAVIGATION:
        if may(user, permission):
            url = reverse(url_name)
            items.append({"label": label, "url": url, "current": current == url})
    return {
        "navigation": items,
        "city_name": settings.PORTAL_CITY_NAME,
        "show_admin_link": bool(user and user.is_authenticated and user.is_staff),
    }
