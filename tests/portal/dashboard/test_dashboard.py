"""The dashboard's figures and the logic model's actuals, from real records."""

from decimal import Decimal

import pytest

from portal.dashboard import indicators
from portal.dashboard.logic_model import flat_rows, logic_model
from portal.dashboard.models import AreaIndicatorTarget, Indicator, IndicatorYear
from portal.dashboard.selectors import dashboard_figures
from portal.models import Role
from tests.areas.karte.factories import year_of_records
from tests.factories import AreaFactory

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def areas():
    return AreaFactory(code="KA", name="桜地域"), AreaFactory(code="KB", name="梅地域")


def _number(value):
    return str(value) if isinstance(value, Decimal) else value


def test_every_area_figure_matches_the_records(areas):
    area, other = areas
    expected = year_of_records(area, other, YEAR)
    figures = dashboard_figures(YEAR, area=area)
    for key, value in expected.items():
        if key in ("organisation", "previous"):
            continue
        assert _number(figures[key].current) == value, key
    for key, value in expected["previous"].items():
        assert figures[key].previous == value, key


def test_city_wide_figures_add_the_other_area(areas):
    area, other = areas
    year_of_records(area, other, YEAR)
    figures = dashboard_figures(YEAR)
    assert figures["held"].current == 4  # 3 in the area + 1 in the other
    assert figures["participants"].current == 10
    assert figures["requests"].current == 7
    assert str(figures["df_share"].current) == "57.1"  # D, E, F, F of 7
    assert figures["awarded_amount"].current == 400_000 + 999_000
    assert figures["invited"].current == 13 and figures["answered"].current == 8
    assert str(figures["response_rate"].current) == "61.5"


def test_staff_dashboard_shows_the_figures_with_the_previous_year(client_as, areas):
    area, other = areas
    year_of_records(area, other, YEAR)
    client = client_as(Role.COORDINATOR)
    page = client.get(f"/staff/dashboard/areas/{area.code}/?year={YEAR}").content.decode()
    assert 'data-key="participants"' in page
    row = page.split('data-key="participants"')[1].split("</tr>")[0]
    assert ">6<" in row and ">5<" in row and "+1" in row
    # The charts are pictures of their own, with the same numbers as the table.
    src = f"/staff/dashboard/areas/{area.code}/chart-1.svg?year={YEAR}"
    assert f'<img src="{src}"' in page
    chart = client.get(src)
    assert chart["Content-Type"] == "image/svg+xml" and b"<svg" in chart.content
    assert client.get(f"/staff/dashboard/areas/{area.code}/chart-3.svg").status_code == 404
    city = client.get(f"/staff/?year={YEAR}").content.decode()
    assert "職員ダッシュボード" in city
    assert city.split('data-key="held"')[1].split("</tr>")[0].count(">4<") == 1
    assert f'<img src="/staff/dashboard/chart-2.svg?year={YEAR}"' in city
    assert b"<svg" in client.get(f"/staff/dashboard/chart-2.svg?year={YEAR}").content


def test_the_figures_section_is_shared_but_kept_per_language(client_as, areas):
    area, other = areas
    year_of_records(area, other, YEAR)
    url = f"/staff/?year={YEAR}"
    japanese = client_as(Role.COORDINATOR).get(url).content.decode()
    assert "市全体の実績" in japanese and "地域別の実績" in japanese
    assert f'href="/staff/dashboard/areas/{area.code}/?year={YEAR}"' in japanese
    english = client_as(Role.LIAISON_OFFICER)
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = english.get(url).content.decode()
    # The same counts, but the section rendered in English, not the Japanese one kept.
    assert _held(page).count(">4<") == 1
    assert "地域別の実績" not in page and "Results by area" in page
    assert f'href="/staff/dashboard/areas/{area.code}/?year={YEAR}"' in page


def _held(page):
    return page.split('data-key="held"')[1].split("</tr>")[0]


def test_dashboard_figures_are_counted_once_a_minute_for_all_staff(client_as, areas):
    from django.core.cache import cache
    from django.utils import timezone

    from tests.areas.karte.factories import at, meeting

    area, other = areas
    year_of_records(area, other, YEAR)
    url = f"/staff/?year={YEAR}"
    first = client_as(Role.COORDINATOR).get(url).content.decode()
    assert "時点の集計です（1分ごとに更新します）" in first
    assert timezone.localtime().strftime("%H:") in first
    assert _held(first).count(">4<") == 1

    # A meeting held meanwhile shows once the minute is up, not before: the
    # next member of staff is served the same counts.
    meeting(area, at(YEAR, 7, 1), attended=(1,))
    officer = client_as(Role.LIAISON_OFFICER)
    assert _held(officer.get(url).content.decode()).count(">4<") == 1
    cache.delete(f"dashboard:figures:{YEAR}:city")  # what the minute's end does
    assert _held(officer.get(url).content.decode()).count(">5<") == 1


def test_logic_model_actuals_come_from_the_records_and_the_hand(areas):
    area, other = areas
    expected = year_of_records(area, other, YEAR)
    awareness = Indicator.objects.get(source="surveys.group_awareness")
    IndicatorYear.objects.create(indicator=awareness, fiscal_year=YEAR, target=50, actual=24.5)
    participants = Indicator.objects.get(source="meetings.participants")
    IndicatorYear.objects.create(indicator=participants, fiscal_year=YEAR, target=12, actual=999)
    rows = {row.indicator.source: row for _p, _m, row in flat_rows(logic_model(YEAR, area=area))}
    assert rows["meetings.participants"].actual == Decimal(expected["participants"])
    assert rows["meetings.participants"].computed
    # The city's 12 is not the area's target: shown as the city's, no rate.
    assert rows["meetings.participants"].achievement is None
    assert rows["meetings.participants"].target_is_city
    assert rows["meetings.participants"].city_target == Decimal(12)
    assert rows["liaisons.df_share"].actual == Decimal("50.0")
    assert rows["grants.awarded_amount"].actual == Decimal(400_000)
    assert rows["surveys.response_rate"].actual == Decimal("37.5")
    assert rows["meetings.held"].actual == Decimal(3)
    # The survey questionnaire's sources are not there yet: the hand-entered value.
    assert rows["surveys.group_awareness"].actual == Decimal("24.5")
    assert not rows["surveys.group_awareness"].computed
    assert rows["surveys.issue_awareness"].actual is None


def test_a_registered_source_replaces_the_hand_entered_actual(areas):
    indicator = Indicator.objects.get(source="surveys.issue_awareness")
    IndicatorYear.objects.create(indicator=indicator, fiscal_year=YEAR, actual=10)
    indicators.register(
        "surveys.issue_awareness", label="関心", unit="%", compute=lambda context: 61.25
    )
    try:
        rows = {row.indicator.source: row for _p, _m, row in flat_rows(logic_model(YEAR))}
        assert rows["surveys.issue_awareness"].actual == Decimal("61.3")
    finally:
        indicators._SOURCES.pop("surveys.issue_awareness")


def test_logic_model_page_and_exports(client_as, areas):
    area, other = areas
    year_of_records(area, other, YEAR)
    client = client_as(Role.COORDINATOR)
    page = client.get(f"/staff/logic-model/?year={YEAR}").content.decode()
    assert "参加・活動のきっかけづくり" in page and "多様な主体の協働関係の構築" in page
    assert "1-2 活動資金の支援" in page
    response = client.get(f"/staff/logic-model/export.csv?year={YEAR}")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("年度,基本施策,施策,指標")
    assert "ミーティングの参加者数（延べ）,アウトプット,人,,10.0," in text  # 6 in KA + 4 in KB
    pdf = client.get(f"/staff/logic-model/export.pdf?year={YEAR}")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    from portal.models import AuditLogEntry

    assert AuditLogEntry.objects.filter(action="portal.logic_model.exported").count() == 2


def test_an_officer_exports_one_areas_logic_model_from_its_dashboard(client_as, areas):
    from portal.models import AuditLogEntry

    area, other = areas
    year_of_records(area, other, YEAR)
    awareness = Indicator.objects.get(source="surveys.group_awareness")
    IndicatorYear.objects.create(indicator=awareness, fiscal_year=YEAR, target=50, actual=24.5)
    client = client_as(Role.LIAISON_OFFICER)
    dashboard = client.get(f"/staff/dashboard/areas/{area.code}/?year={YEAR}").content.decode()
    csv_url = f"/staff/logic-model/areas/{area.code}/export.csv?year={YEAR}"
    pdf_url = f"/staff/logic-model/areas/{area.code}/export.pdf?year={YEAR}"
    assert csv_url in dashboard.replace("&amp;", "&")
    assert pdf_url in dashboard.replace("&amp;", "&")
    page = client.get(f"/staff/logic-model/?year={YEAR}&area={area.code}").content.decode()
    assert csv_url in page.replace("&amp;", "&")

    response = client.get(csv_url)
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert f"logic-model-{YEAR}-{area.code}.csv" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("年度,地域コード,地域,基本施策,施策,指標")
    participants = next(line for line in lines if "ミーティングの参加者数（延べ）" in line)
    assert ",桜地域," in participants and ",6.0,この地域," in participants  # not the city's 10
    hand = next(line for line in lines if awareness.name in line)
    assert ",24.5,市全体（手入力）," in hand

    pdf = client.get(pdf_url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert f"logic-model-{YEAR}-{area.code}.pdf" in pdf["Content-Disposition"]
    entries = AuditLogEntry.objects.filter(action="portal.logic_model.exported")
    assert sorted(e.data["format"] for e in entries) == ["csv", "pdf"]
    assert {e.data["area"] for e in entries} == {area.code}
    assert client.get("/staff/logic-model/areas/NOPE/export.csv").status_code == 404


def test_coordinator_sets_a_target_and_a_hand_entered_actual(client_as):
    client = client_as(Role.COORDINATOR)
    indicator = Indicator.objects.get(source="surveys.area_expectation")
    response = client.post(
        f"/staff/logic-model/indicators/{indicator.pk}/edit/?year={YEAR}",
        {
            "name": indicator.name,
            "kind": "outcome",
            "unit": "%",
            "source": "surveys.area_expectation",
            "order": 3,
            "target": "40",
            "actual": "31.2",
            "note": "紙の調査票から",
        },
    )
    assert response.status_code == 302
    row = IndicatorYear.objects.get(indicator=indicator, fiscal_year=YEAR)
    assert row.target == Decimal("40.0") and row.actual == Decimal("31.2")
    officer = client_as(Role.LIAISON_OFFICER)
    assert officer.get(f"/staff/logic-model/indicators/{indicator.pk}/edit/").status_code == 403
    assert officer.get("/staff/logic-model/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/staff/?year=2025",
        "/staff/dashboard/areas/KA/?year=2025",
        "/staff/logic-model/?year=2025",
        "/staff/logic-model/?year=2025&area=KA",
    ],
)
def test_pages_cost_the_same_queries_as_records_grow(
    client_as, areas, url, django_assert_max_num_queries
):
    area, other = areas
    client = client_as(Role.COORDINATOR)
    year_of_records(area, other, YEAR, scale=1)
    client.get(url)  # warm caches (session, content types)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The figures are counted afresh each time (not served from their cache).
    cache.delete_many([f"dashboard:figures:2025:{k}" for k in ("city", area.pk, other.pk)])
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    year_of_records(area, other, YEAR, scale=4)
    cache.delete_many([f"dashboard:figures:2025:{k}" for k in ("city", area.pk, other.pk)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


# --- Area targets ---------------------------------------------------------------


def _row(page, source):
    return page.split(f'data-indicator="{source}"')[1].split("</tr>")[0]


def _cells(row):
    """(target, achievement) cells of a page row, as text."""
    target = row.split('class="num target"')[1].split(">", 1)[1].split("</td>")[0]
    achievement = row.split('class="num achievement"')[1].split(">", 1)[1].split("</td>")[0]
    return target, achievement


def _csv_line(response, name):
    lines = response.content.decode("utf-8-sig").splitlines()
    return next(line for line in lines if f",{name}," in line)


def _pdf_text(response):
    import subprocess

    assert response.content.startswith(b"%PDF")
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()


@pytest.fixture
def city_targets(areas):
    area, other = areas
    year_of_records(area, other, YEAR)
    for source, target in (
        ("meetings.participants", 12),
        ("meetings.held", 12),
        ("surveys.response_rate", 50),
    ):
        IndicatorYear.objects.create(
            indicator=Indicator.objects.get(source=source), fiscal_year=YEAR, target=target
        )
    return Indicator.objects.get(source="meetings.participants")


def target_url(indicator, code="KA"):
    return f"/staff/logic-model/indicators/{indicator.pk}/areas/{code}/target/?year={YEAR}"


def test_coordinator_sets_an_area_target_and_the_area_is_measured_against_it(
    client_as, areas, city_targets
):
    from portal.models import AuditLogEntry

    area, other = areas
    participants = city_targets
    client = client_as(Role.COORDINATOR)
    page = client.get(f"/staff/logic-model/?year={YEAR}&area={area.code}").content.decode()
    assert target_url(participants) in page.replace("&amp;", "&")
    # Before: the area's 6 participants are not measured against the city's 12.
    assert _cells(_row(page, "meetings.participants")) == ("市全体: 12.0", "—")

    form = client.get(target_url(participants))
    assert form.status_code == 200 and "12.0" in form.content.decode()  # the city's, for reference
    response = client.post(target_url(participants), {"target": "８", "note": "地区の祭りで増員"})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/logic-model/?year={YEAR}&area={area.code}"
    saved = AreaIndicatorTarget.objects.get(indicator=participants, area=area, fiscal_year=YEAR)
    assert saved.target == Decimal("8.0") and saved.note == "地区の祭りで増員"
    entry = AuditLogEntry.objects.get(action="portal.area_indicator_target.created")
    assert entry.data["area"] == area.code and entry.data["fiscal_year"] == YEAR
    assert entry.data["changes"]["target"] == {"old": None, "new": "8"}

    page = client.get(f"/staff/logic-model/?year={YEAR}&area={area.code}").content.decode()
    assert _cells(_row(page, "meetings.participants")) == ("8.0", "75.0%")  # 6 of 8
    # A count without an area target: the city's, labelled, and no rate.
    assert _cells(_row(page, "meetings.held")) == ("市全体: 12.0", "—")
    # A rate may be compared with the city's rate: 37.5 % of a 50 % target.
    assert _cells(_row(page, "surveys.response_rate")) == ("市全体: 50.0", "75.0%")

    csv = client.get(f"/staff/logic-model/areas/{area.code}/export.csv?year={YEAR}")
    header = csv.content.decode("utf-8-sig").splitlines()[0]
    assert ",目標値,実績値,実績の範囲,達成率（%）," in header
    assert ",人,8.0,6.0,この地域,75.0," in _csv_line(csv, "ミーティングの参加者数（延べ）")
    assert ",回,市全体: 12.0,3.0,この地域,," in _csv_line(csv, "エリアミーティング等の開催回数")
    assert ",%,市全体: 50.0,37.5,この地域,75.0," in _csv_line(csv, "住民意識調査の回答率")

    pdf = _pdf_text(client.get(f"/staff/logic-model/areas/{area.code}/export.pdf?year={YEAR}"))
    assert "市全体: 12.0" in pdf and "75.0%" in pdf

    # Another area keeps the city's target, labelled, without a rate.
    other_page = client.get(f"/staff/logic-model/?year={YEAR}&area={other.code}").content.decode()
    assert _cells(_row(other_page, "meetings.participants")) == ("市全体: 12.0", "—")
    other_csv = client.get(f"/staff/logic-model/areas/{other.code}/export.csv?year={YEAR}")
    assert ",人,市全体: 12.0,4.0,この地域,," in _csv_line(
        other_csv, "ミーティングの参加者数（延べ）"
    )
    # The city-wide page is as before: the city's target and rate, unlabelled.
    city = client.get(f"/staff/logic-model/?year={YEAR}").content.decode()
    assert _cells(_row(city, "meetings.participants")) == ("12.0", "83.3%")  # 10 of 12
    city_csv = client.get(f"/staff/logic-model/export.csv?year={YEAR}")
    assert ",人,12.0,10.0,83.3," in _csv_line(city_csv, "ミーティングの参加者数（延べ）")


def test_an_area_target_is_changed_and_removed_with_an_audit_row(client_as, areas, city_targets):
    from portal.models import AuditLogEntry

    area, _other = areas
    client = client_as(Role.ADMINISTRATOR)
    client.post(target_url(city_targets), {"target": "8"})
    assert client.get(target_url(city_targets)).context["form"]["target"].value() == Decimal("8.0")
    client.post(target_url(city_targets), {"target": "1,200", "note": ""})
    assert AreaIndicatorTarget.objects.get().target == Decimal("1200.0")
    response = client.post(target_url(city_targets), {"target": "", "note": ""}, follow=True)
    assert "地域の目標値を取り消しました" in response.content.decode()
    assert not AreaIndicatorTarget.objects.exists()
    actions = list(
        AuditLogEntry.objects.filter(action__startswith="portal.area_indicator_target.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "portal.area_indicator_target.created",
        "portal.area_indicator_target.updated",
        "portal.area_indicator_target.deleted",
    ]
    page = response.content.decode()
    assert _cells(_row(page, "meetings.participants")) == ("市全体: 12.0", "—")


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-3", "目標値は0以上の数で入力してください。"),
        ("たくさん", "目標値は数字で入力してください"),
        ("1.25", "目標値の小数は1桁までです。"),
        ("NaN", "目標値は数字で入力してください"),
    ],
)
def test_a_bad_area_target_is_refused_in_japanese_and_changes_nothing(
    client_as, areas, city_targets, typed, message
):
    from portal.models import AuditLogEntry

    area, _other = areas
    AreaIndicatorTarget.objects.create(
        indicator=city_targets, area=area, fiscal_year=YEAR, target=8, note="元の値"
    )
    client = client_as(Role.COORDINATOR)
    response = client.post(target_url(city_targets), {"target": typed, "note": "変えた"})
    assert response.status_code == 400
    assert message in response.content.decode()
    saved = AreaIndicatorTarget.objects.get()
    assert saved.target == Decimal("8.0") and saved.note == "元の値"
    assert not AuditLogEntry.objects.filter(
        action__startswith="portal.area_indicator_target."
    ).exists()


def test_area_targets_are_refused_to_those_who_may_not_edit_indicators(
    client_as, areas, city_targets
):
    area, _other = areas
    officer = client_as(Role.LIAISON_OFFICER)
    assert officer.get(target_url(city_targets)).status_code == 403
    assert officer.post(target_url(city_targets), {"target": "8"}).status_code == 403
    page = officer.get(f"/staff/logic-model/?year={YEAR}&area={area.code}").content.decode()
    assert "/target/" not in page  # no link to a form they cannot use
    assert not AreaIndicatorTarget.objects.exists()
    coordinator = client_as(Role.COORDINATOR)
    assert coordinator.get(target_url(city_targets, code="NOPE")).status_code == 404


def test_the_english_area_page_labels_the_city_target_too(client_as, areas, city_targets):
    area, _other = areas
    client = client_as(Role.COORDINATOR)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/staff/logic-model/?year={YEAR}&area={area.code}").content.decode()
    assert _cells(_row(page, "meetings.participants")) == ("City-wide: 12.0", "—")
    form = client.get(target_url(city_targets)).content.decode()
    assert "Area target value" in form and "City-wide target value" in form
