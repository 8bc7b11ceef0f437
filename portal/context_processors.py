from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import PUBLIC, may

# (label, url name, permission): the navigation shows what the user may open.
NAVIGATION = (
    (_("ホーム"), "portal:home", PUBLIC),
    (_("地域"), "areas:list", PUBLIC),
    (_("地域課題"), "areas:issues", PUBLIC),
    (_("職員ダッシュボード"), "portal:dashboard", "portal.view_staff_dashboard"),
    (_("町丁目の取込"), "areas:import_districts", "areas.import_districts"),
    (_("監査ログ"), "portal:audit_log", "portal.view_audit_log"),
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
