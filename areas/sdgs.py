"""The 17 Sustainable Development Goals by their official English short names.

The Japanese names are data (SdgGoal rows, preloaded by a migration); pages in
English show these instead, keyed by the goal's number.
"""

from django.utils.translation import get_language

ENGLISH_NAMES = {
    1: "No Poverty",
    2: "Zero Hunger",
    3: "Good Health and Well-being",
    4: "Quality Education",
    5: "Gender Equality",
    6: "Clean Water and Sanitation",
    7: "Affordable and Clean Energy",
    8: "Decent Work and Economic Growth",
    9: "Industry, Innovation and Infrastructure",
    10: "Reduced Inequalities",
    11: "Sustainable Cities and Communities",
    12: "Responsible Consumption and Production",
    13: "Climate Action",
    14: "Life Below Water",
    15: "Life on Land",
    16: "Peace, Justice and Strong Institutions",
    17: "Partnerships for the Goals",
}


def goal_name(goal):
    """The goal's name in the active language (the stored Japanese name for ja)."""
    language = get_language() or "ja"
    if not language.startswith("ja"):
        return ENGLISH_NAMES.get(goal.number, goal.name)
    return goal.name


def goal_label(goal):
    """`11. 住み続けられるまちづくりを` / `11. Sustainable Cities and Communities`."""
    return f"{goal.number}. {goal_name(goal)}"
