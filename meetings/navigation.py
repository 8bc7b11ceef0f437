"""The meetings app's entries in the portal's navigation."""

from django.utils.translation import pgettext_lazy

from portal.navigation import resident_item, staff_item, staff_section
from portal.permissions import PUBLIC

resident_item(pgettext_lazy("navigation", "ミーティング"), "meetings:list", PUBLIC, order=40)
resident_item(
    pgettext_lazy("navigation", "参加の申込み"),
    "meetings:mine",
    "meetings.view_own_registrations",
    order=45,
)

staff_section("meetings", pgettext_lazy("navigation", "エリアミーティング"), order=30)
staff_item(
    "meetings",
    pgettext_lazy("navigation", "ミーティングの一覧"),
    "meetings:staff_list",
    "meetings.view_staff_list",
    order=10,
)
staff_item(
    "meetings",
    pgettext_lazy("navigation", "ミーティングの作成"),
    "meetings:create",
    "meetings.manage_meetings",
    order=20,
)
staff_item(
    "meetings",
    pgettext_lazy("navigation", "シリーズと参加の推移"),
    "meetings:series_list",
    "meetings.view_funnel",
    order=30,
)
