"""The grants app's entries in the portal's navigation."""

from django.utils.translation import pgettext_lazy

from portal.navigation import resident_item, staff_item, staff_section
from portal.permissions import PUBLIC

resident_item(
    pgettext_lazy("navigation", "交付金・補助事業"), "grants:programmes", PUBLIC, order=50
)
resident_item(
    pgettext_lazy("navigation", "団体の交付申請"),
    "grants:my_applications",
    "grants.apply",
    order=55,
)
resident_item(
    pgettext_lazy("navigation", "担当する審査"),
    "grants:my_reviews",
    "grants.list_reviews",
    order=56,
)

staff_section("grants", pgettext_lazy("navigation", "交付金"), order=50)
staff_item(
    "grants",
    pgettext_lazy("navigation", "交付金事業の一覧"),
    "grants:programmes",
    "grants.manage_programmes",
    order=10,
)
staff_item(
    "grants",
    pgettext_lazy("navigation", "交付金事業の登録"),
    "grants:programme_create",
    "grants.manage_programmes",
    order=20,
)
staff_item(
    "grants",
    pgettext_lazy("navigation", "担当する審査"),
    "grants:my_reviews",
    "grants.list_reviews",
    order=30,
)
