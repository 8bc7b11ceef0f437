"""Demo targets of the logic model for this 年度, one area's own target,
and hand-entered actuals of the survey outcomes (until the questionnaire
provides them).

Call `portal.dashboard.demo.seed(stdout)` from seed_demo after the other
apps' demos. Safe to run twice."""

from areas.models import Area
from portal.audit import Actor
from portal.dates import fiscal_year
from portal.models import Role, User

from .logic_model import save_area_target, save_indicator_year
from .models import AreaIndicatorTarget, Indicator, IndicatorYear

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
# (area code, source key, target, note): A01 holds its own area meetings, so
# its page measures them against its own number, not the city's 12.
AREA_TARGETS = [("A01", "meetings.held", 3, "エリアミーティング3回シリーズ")]


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
    for code, key, target, note in AREA_TARGETS:
        area = Area.objects.filter(code=code).first()
        indicator = Indicator.objects.filter(source=key).order_by("pk").first()
        if area is None or indicator is None:
            continue
        if AreaIndicatorTarget.objects.filter(
            indicator=indicator, area=area, fiscal_year=year
        ).exists():
            continue
        save_area_target(
            indicator=indicator, area=area, fiscal_year=year, target=target, note=note, by=by
        )
    stdout.write("施策の論理構造: 今年度の目標値を設定しました")
