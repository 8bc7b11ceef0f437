"""Navigation entries of the karte, vision and directory (imported from
areas/navigation.py)."""

from django.utils.translation import pgettext_lazy

from portal.navigation import resident_item, staff_item

resident_item(
    pgettext_lazy("navigation", "地域カルテ"), "areas:karte:index", "areas.view_karte", order=12
)
resident_item(
    pgettext_lazy("navigation", "団体をさがす"),
    "areas:karte:directory",
    "areas.view_directory",
    order=22,
)

staff_item(
    "areas",
    pgettext_lazy("navigation", "地域カルテ"),
    "areas:karte:index",
    "areas.manage_karte",
    order=60,
)
staff_item(
    "areas",
    pgettext_lazy("navigation", "地域カルテの数値の取込"),
    "areas:karte:import",
    "areas.manage_karte",
    order=70,
)
