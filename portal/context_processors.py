from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .navigation import resident_navigation, staff_navigation


def navigation(request):
    """The top navigation and, for staff pages, the staff navigation.

    Both are worked out only when a template reads them.
    """
    user = getattr(request, "user", None)
    path = request.path
    staff = SimpleLazyObject(lambda: staff_navigation(user, path))
    return {
        "navigation": SimpleLazyObject(
            lambda: resident_navigation(user, path, staff_sections=list(staff))
        ),
        "staff_navigation": staff,
        "city_name": settings.PORTAL_CITY_NAME,
        "show_admin_link": bool(user and user.is_authenticated and user.is_staff),
    }
