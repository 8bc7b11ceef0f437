"""The surveys app's entries in the portal's navigation (see portal/navigation.py)."""

from django.utils.translation import pgettext_lazy

from portal.navigation import staff_item, staff_section

staff_section("surveys", pgettext_lazy("navigation", "無作為抽出アンケート"), order=30)
staff_item(
    "surveys",
    pgettext_lazy("navigation", "住民基本台帳"),
    "surveys:registers",
    "surveys.view_register",
    order=10,
)
staff_item(
    "surveys",
    pgettext_lazy("navigation", "名簿の取込"),
    "surveys:register_import",
    "surveys.manage_register",
    order=20,
)
staff_item(
    "surveys",
    pgettext_lazy("navigation", "無作為抽出"),
    "surveys:draws",
    "surveys.view_draw",
    order=30,
)
staff_item(
    "surveys",
    pgettext_lazy("navigation", "調査と分析"),
    "surveys:surveys",
    "surveys.view_survey",
    order=40,
)
staff_item(
    "surveys",
    pgettext_lazy("navigation", "調査票"),
    "surveys:questionnaires",
    "surveys.manage_questionnaire",
    order=50,
)
staff_item(
    "surveys",
    pgettext_lazy("navigation", "回答ファイルの取込"),
    "surveys:answer_import",
    "surveys.import_answers",
    order=60,
)
from surveys.panels import navigation as panel_navigation  # noqa: E402, F401
