"""The karte and logic-model demo on top of the whole demo city: safe to run
twice, and the dashboard's figures are the demo records' counts."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Sum

from areas.karte import demo as karte_demo
from areas.models import Action, KarteFigures, KarteIssue, Offer, Vision
from grants.models import Application
from liaisons.models import SupportRequest
from meetings.models import Meeting, Registration
from portal.dashboard import demo as dashboard_demo
from portal.dashboard.models import AreaIndicatorTarget, IndicatorYear
from portal.dashboard.selectors import dashboard_figures, year_window
from portal.dates import fiscal_year
from portal.models import Role
from tests.once import module_data

pytestmark = pytest.mark.django_db


def _seed_demo_city():
    call_command("seed_demo", stdout=io.StringIO())
    for _ in range(2):
        karte_demo.seed(io.StringIO())
        dashboard_demo.seed(io.StringIO())


# Seeded once for the module's tests, which only read it.
demo_city = module_data(_seed_demo_city)


def test_demo_is_made_once_and_linked_to_the_other_apps(demo_city):
    assert KarteFigures.objects.count() == 10
    assert KarteIssue.objects.count() == len(karte_demo.ISSUES)
    assert Offer.objects.count() == len(karte_demo.OFFERS)
    assert Vision.objects.count() == 1 and Action.objects.count() == 2
    drill = Action.objects.get(title="学生と一緒の避難所運営訓練")
    assert drill.status == "in_progress" and drill.meetings.exists()
    assert IndicatorYear.objects.filter(fiscal_year=fiscal_year()).count() == len(
        dashboard_demo.TARGETS
    )
    assert AreaIndicatorTarget.objects.filter(fiscal_year=fiscal_year()).count() == len(
        dashboard_demo.AREA_TARGETS
    )


def test_dashboard_figures_are_the_demo_records(demo_city, client_as):
    year = fiscal_year()
    start, end = year_window(year)
    figures = dashboard_figures(year)
    held = Meeting.objects.filter(status="held", starts_at__gte=start, starts_at__lt=end)
    assert figures["held"].current == held.count()
    attended = Registration.objects.filter(meeting__in=held, attended_at__isnull=False)
    assert figures["participants"].current == (attended.aggregate(n=Sum("party_size"))["n"] or 0)
    requests = SupportRequest.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    assert figures["requests"].current == requests.count()
    for tier in "ABCDEF":
        assert figures[f"tier_{tier}"].current == requests.filter(tier=tier).count()
    awarded = Application.objects.filter(
        programme__fiscal_year=year, status__in=["approved", "reporting", "closed"]
    )
    assert figures["awarded_count"].current == awarded.count()
    assert figures["offers"].current == Offer.objects.count()
    page = client_as(Role.COORDINATOR).get("/staff/logic-model/").content.decode()
    assert "24.0" in page  # the hand-entered share who know the active groups
    # A01 has its own target for its meetings: no 「市全体」 label on that row.
    a01 = client_as(Role.COORDINATOR).get("/staff/logic-model/", {"area": "A01"}).content.decode()
    held = a01.split('data-indicator="meetings.held"')[1].split("</tr>")[0]
    assert ">3.0<" in held and "市全体" not in held
    participants = a01.split('data-indicator="meetings.participants"')[1].split("</tr>")[0]
    assert "市全体: 300.0" in participants


def test_resident_finds_the_disaster_prevention_group_in_the_demo(demo_city, client):
    found = [
        o.name for o in client.get("/areas/directory/", {"q": "防災"}).context["organisations"]
    ]
    assert "桜ヶ丘一丁目自治会" in found and "架空大学 地域連携センター" in found
    page = client.get("/areas/karte/A01/").content.decode()
    assert "防災訓練の指導・運営" in page and "桜ヶ丘集会所" in page
