"""The areas app's entries in the portal's navigation (see portal/navigation.py)."""

from django.utils.translation import pgettext_lazy

from portal.navigation import resident_item, staff_item, staff_section
from portal.permissions import PUBLIC

resident_item(pgettext_lazy("navigation", "地域"), "areas:list", PUBLIC, order=10)
resident_item(pgettext_lazy("navigation", "団体"), "areas:organisations", PUBLIC, order=20)
resident_item(pgettext_lazy("navigation", "地域課題"), "areas:issues", PUBLIC, order=30)

staff_section("areas", pgettext_lazy("navigation", "地域"), order=10)
staff_item(
    "areas",
    pgettext_lazy("navigation", "町丁目の取込"),
    "areas:import_districts",
    "areas.import_districts",
    order=10,
)
staff_item(
    "areas",
    pgettext_lazy("navigation", "地域課題の編集"),
    "areas:issues",
    "areas.manage_issue_catalogue",
    order=20,
)
staff_item(
    "areas",
    pgettext_lazy("navigation", "地域課題の追加"),
    "areas:issue_create",
    "areas.manage_issue_catalogue",
    order=30,
)
staff_item(
    "areas",
    pgettext_lazy("navigation", "団体の登録"),
    "areas:organisation_create",
    "areas.manage_organisations",
    order=40,
)
staff_item(
    "areas",
    pgettext_lazy("navigation", "団体・代表者の申請"),
    "areas:representation_applications",
    "areas.view_representation_applications",
    order=50,
)

from .karte import navigation as _karte_navigation  # noqa: E402, F401
from .news import navigation as _news_navigation  # noqa: E402, F401
