"""Navigation entries of area information (imported from areas/navigation.py)."""

from django.utils.translation import pgettext_lazy

from portal.navigation import resident_item, staff_item, staff_section
from portal.permissions import PUBLIC

resident_item(pgettext_lazy("navigation", "お知らせ"), "areas:news:list", PUBLIC, order=15)
resident_item(
    pgettext_lazy("navigation", "活動報告を書く"),
    "areas:news:mine",
    "areas.write_activity_report",
    order=40,
)
resident_item(
    pgettext_lazy("navigation", "回覧板"), "areas:news:circulars", "areas.make_circular", order=45
)

staff_section("news", pgettext_lazy("navigation", "情報発信"), order=15)
staff_item(
    "news",
    pgettext_lazy("navigation", "確認待ちの活動報告"),
    "areas:news:review_queue",
    "areas.review_posts",
    order=10,
)
staff_item(
    "news",
    pgettext_lazy("navigation", "お知らせを書く"),
    "areas:news:create_news",
    "areas.write_news",
    order=20,
)
staff_item(
    "news",
    pgettext_lazy("navigation", "回覧板"),
    "areas:news:circulars",
    "areas.make_circular",
    order=30,
)
staff_item(
    "news",
    pgettext_lazy("navigation", "公共施設"),
    "areas:news:facilities",
    "areas.manage_facilities",
    order=40,
)
