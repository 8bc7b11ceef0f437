"""Panel selection in the staff navigation (the surveys section)."""

from django.utils.translation import pgettext_lazy

from portal.navigation import staff_item

staff_item(
    "surveys",
    pgettext_lazy("navigation", "パネル選出"),
    "surveys:panels",
    "surveys.view_panel",
    order=40,
)
