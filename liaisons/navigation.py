"""The liaisons app's entries in the portal's navigation (see portal/navigation.py)."""

from django.utils.translation import pgettext_lazy

from portal.navigation import resident_item, staff_item, staff_section

resident_item(
    pgettext_lazy("navigation", "支援依頼"), "liaisons:requests", "liaisons.rate_request", order=40
)

staff_section("liaisons", pgettext_lazy("navigation", "地域担当職員"), order=20)
staff_item(
    "liaisons",
    pgettext_lazy("navigation", "支援依頼"),
    "liaisons:requests",
    "liaisons.file_on_behalf",
    order=10,
)
staff_item(
    "liaisons",
    pgettext_lazy("navigation", "依頼の代理入力"),
    "liaisons:request_create",
    "liaisons.file_on_behalf",
    order=20,
)
staff_item(
    "liaisons",
    pgettext_lazy("navigation", "相談記録"),
    "liaisons:consultations",
    "liaisons.view_consultation",
    order=30,
)
staff_item(
    "liaisons",
    pgettext_lazy("navigation", "支援依頼の集計"),
    "liaisons:report",
    "liaisons.view_reports",
    order=40,
)
staff_item(
    "liaisons",
    pgettext_lazy("navigation", "地域担当職員の任命"),
    "liaisons:officers",
    "liaisons.manage_officers",
    order=50,
)
staff_item(
    "liaisons",
    pgettext_lazy("navigation", "制度の設定"),
    "liaisons:settings",
    "liaisons.manage_settings",
    order=60,
)
