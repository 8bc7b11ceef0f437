"""Demo targets of the logic model for this 年度 and hand-entered actuals
of the survey outcomes (until the questionnaire provides them).

Call `portal.dashboard.demo.seed(stdout)` from seed_demo after the other
apps' demos. Safe to run twice."""

from portal.audit import Actor
from portal.dates import fiscal_year
from portal.models import Role, User

from .logic_model import save_indicator_year
from .models import Indicator, IndicatorYear

# source key: (target, hand-entered actual or None)
TARGETS = {
    "meetings.held": (12, None),
    "meetings.participants": (300, None),
    "grants.awarded_count": (10, None),
    "news.published": (40, None),
    "surveys.response_rate": (45, None),
    # The plan's survey: under 25 % know the groups active on an issue.
    "surveys.group_awareness": (30, 24.0),
    "surveys.issue_awareness": (70, 63.5),
    "surveys.area_expectation": (50, 41.2),
    "liaisons.df_share": (40, None),
    "directory.offers": (20, None),
}


def seed(stdout):
    user = User.objects.filter(email="coordinator@example.jp").first()
    by = Actor.for_user(user, Role.COORDINATOR) if user else Actor.for_system("seed_demo")
    year = fiscal_year()
    for indicator in Indicator.objects.filter(source__in=TARGETS):
        if IndicatorYear.objects.filter(indicator=indicator, fiscal_year=year).exists():
            continue
        target, actual = TARGETS[indicator.source]
        save_indicator_year(
            indicator=indicator, fiscal_year=year, target=target, actual=actual, note="", by=by
        )
    stdout.write("施策の論理構造: 今年度の目標値を設定しました")
