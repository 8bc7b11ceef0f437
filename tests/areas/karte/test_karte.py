"""The area karte: figures from the register or entered, CSV import, the
public page with charts and tables, the PDF, constant queries."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from areas.karte.selectors import age_cutoff, figures_by_area
from areas.models import Facility, KarteFigures, KarteIssue
from portal.models import AuditLogEntry, Role
from surveys.models import Register, Resident
from tests.areas.news.test_story import pdf_text_and_fonts
from tests.factories import AreaFactory, DistrictFactory, local_issue

from .factories import year_of_records

pytestmark = pytest.mark.django_db
YEAR = 2025


@pytest.fixture
def area():
    return AreaFactory(code="KA", name="桜地域")


@pytest.fixture
def other_area():
    return AreaFactory(code="KB", name="梅地域")


def _register(reference_date, district, births):
    register = Register.objects.create(
        reference_date=reference_date, purpose="調査", legal_basis="条例", row_count=len(births)
    )
    for number, (birth, household) in enumerate(births, start=1):
        Resident.objects.create(
            register=register,
            line=number,
            resident_number=str(number),
            name="住民",
            birth_date=birth,
            postal_code="000-0000",
            address="架空市",
            district=district,
            household_number=household,
        )
    return register


def test_an_age_is_reached_the_day_before_the_birthday():
    assert age_cutoff(datetime.date(2026, 3, 31), 65) == datetime.date(1961, 4, 1)
    assert age_cutoff(datetime.date(2024, 2, 29), 15) == datetime.date(2009, 3, 1)
    # Born on 1 March 2008, one is 15 at the end of 28 February 2023.
    assert age_cutoff(datetime.date(2023, 2, 28), 15) == datetime.date(2008, 3, 1)


def test_register_of_the_year_wins_over_entered_figures(area):
    district = DistrictFactory(area=area, code="KA01")
    KarteFigures.objects.create(area=area, fiscal_year=YEAR, population=999, households=500)
    KarteFigures.objects.create(
        area=area, fiscal_year=YEAR - 1, population=10, households=4, aged_65_plus=3
    )
    _register(
        datetime.date(2026, 1, 1),
        district,
        [
            (datetime.date(1950, 1, 1), "H1"),  # 76: aged
            (datetime.date(1961, 1, 2), "H1"),  # 65 on the day before the 2nd: aged
            (datetime.date(1961, 1, 3), "H2"),  # 64
            (datetime.date(2012, 1, 2), "H2"),  # 14: child
            (datetime.date(2011, 1, 1), "H3"),  # 15
        ],
    )
    current = figures_by_area(YEAR)[area.pk]
    assert (current.population, current.households) == (5, 3)
    assert (current.aged_65_plus, current.children_under_15) == (2, 1)
    assert str(current.aged_share) == "40.0" and current.source == "register"
    previous = figures_by_area(YEAR - 1)[area.pk]
    assert (previous.population, previous.source) == (10, "entered")
    assert str(previous.aged_share) == "30.0"


GOOD = (
    "地域コード,年度,人口,世帯数,65歳以上人口,15歳未満人口\r\n"
    'KA,2025,"1,200",500,360,120\r\n'
    "KB,2025,800,,200,\r\n"
)


def test_coordinator_imports_karte_figures(client_as, area, other_area):
    client = client_as(Role.COORDINATOR)
    response = client.post(
        "/areas/karte/import/", {"file": _upload(GOOD.encode("cp932"))}, follow=True
    )
    assert "2件の数値を取り込みました。" in response.content.decode()
    row = KarteFigures.objects.get(area=area, fiscal_year=2025)
    assert (row.population, row.households, row.aged_65_plus, row.children_under_15) == (
        1200,
        500,
        360,
        120,
    )
    assert row.source == KarteFigures.Source.IMPORTED
    assert KarteFigures.objects.get(area=other_area).households is None
    assert AuditLogEntry.objects.filter(action="areas.karte_figures.imported").exists()


def test_bad_rows_are_listed_and_nothing_changes(client_as, area, other_area):
    KarteFigures.objects.create(area=area, fiscal_year=2025, population=1)
    bad = (
        "地域コード,年度,人口,世帯数,65歳以上人口,15歳未満人口\n"
        "KA,2025,1000,400,300,100\n"
        "ZZ,2025,10,5,1,1\n"
        "KB,令和7,10,5,1,1\n"
        "KB,2025,10,-5,1,1\n"
        "KB,2024,10,5,11,1\n"
        "KA,2025,10,5,1,1\n"
    )
    client = client_as(Role.COORDINATOR)
    response = client.post("/areas/karte/import/", {"file": _upload(bad.encode())})
    assert response.status_code == 400
    page = response.content.decode()
    assert "5件の誤りがあるため、取り込みませんでした" in page
    for expected in (
        "この地域コードはありません",
        "年度は西暦の4桁で書いてください",
        "0以上の整数で書いてください",
        "人口より多くなっています",
        "2行目と同じ地域・年度です",
    ):
        assert expected in page
    assert KarteFigures.objects.get(area=area).population == 1
    assert KarteFigures.objects.count() == 1


def _upload(data, name="karte.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_public_karte_shows_figures_charts_facilities_issues_and_activity(client, area, other_area):
    expected = year_of_records(area, other_area, YEAR)
    KarteFigures.objects.create(
        area=area, fiscal_year=YEAR, population=1000, households=400, aged_65_plus=300
    )
    KarteFigures.objects.create(
        area=area, fiscal_year=YEAR - 1, population=1100, households=410, aged_65_plus=290
    )
    Facility.objects.create(
        area=area,
        kind=Facility.Kind.SHELTER,
        name="桜小学校体育館",
        address="架空市桜1-1",
        barrier_free="スロープあり",
    )
    KarteIssue.objects.create(
        area=area, fiscal_year=YEAR, issue=local_issue(2), priority=1, source="survey"
    )
    page = client.get(f"/areas/karte/{area.code}/?year={YEAR}").content.decode()
    assert "桜地域の地域カルテ" in page
    assert "1000" in page and "1100" in page and "30.0" in page and "26.4" in page
    assert page.count("data:image/svg+xml;base64,") == 3
    assert "年齢構成（前年度との比較）" in page  # the chart's table caption
    assert "桜小学校体育館" in page and "スロープあり" in page
    assert local_issue(2).title in page and "住民意識調査" in page
    assert expected["organisation"].name in page
    assert "防災訓練の講師" in page
    row = page.split(expected["organisation"].name)[1].split("</tr>")[0]
    assert ">1<" in row and ">6<" in row and ">2<" in row  # reports, requests, grants


def test_karte_pdf_is_a_pdf_with_a_japanese_font(client, area, other_area, tmp_path):
    year_of_records(area, other_area, YEAR)
    KarteFigures.objects.create(area=area, fiscal_year=YEAR, population=1000, households=400)
    response = client.get(f"/areas/karte/{area.code}/pdf/?year={YEAR}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text, fonts = pdf_text_and_fonts(response.content, tmp_path)
    assert "桜地域の地域カルテ" in text and "人口と世帯" in text and "1000" in text
    font_rows = fonts.strip().splitlines()[2:]
    assert font_rows and all(re.search(r"Noto-?Sans-?CJK", row) for row in font_rows)


def test_coordinator_enters_figures_and_issues(client_as, area):
    client = client_as(Role.COORDINATOR)
    url = f"/areas/karte/{area.code}/edit/?year={YEAR}"
    bad = client.post(
        url, {"form": "figures", "fiscal_year": YEAR, "population": 10, "aged_65_plus": 11}
    )
    assert bad.status_code == 400 and "人口以下の数を入れてください。" in bad.content.decode()
    client.post(url, {"form": "figures", "fiscal_year": YEAR, "population": 10, "households": 4})
    assert KarteFigures.objects.get(area=area, fiscal_year=YEAR).population == 10
    client.post(
        url, {"form": "issue", "issue": local_issue(4).pk, "priority": 1, "source": "meeting"}
    )
    issue = KarteIssue.objects.get(area=area, fiscal_year=YEAR)
    again = client.post(
        url, {"form": "issue", "issue": local_issue(4).pk, "priority": 2, "source": "meeting"}
    )
    assert "すでに載っています" in again.content.decode()
    client.post(f"/areas/karte/issues/{issue.pk}/delete/")
    assert not KarteIssue.objects.exists()
    assert client_as(Role.RESIDENT).get(url).status_code == 403


def test_karte_page_costs_the_same_queries_as_records_grow(
    client, area, other_area, django_assert_max_num_queries
):
    url = f"/areas/karte/{area.code}/?year={YEAR}"
    year_of_records(area, other_area, YEAR)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    year_of_records(area, other_area, YEAR, scale=4)
    for n in range(5):
        Facility.objects.create(area=area, kind="park", name=f"公園{n}", address="架空市")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
