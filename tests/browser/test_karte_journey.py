"""A resident opens their area's karte and the directory and finds a group
working on disaster prevention; a coordinator opens the dashboard and the
logic model."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from areas.models import Facility, KarteFigures, Offer
from portal.dates import fiscal_year
from portal.models import Role
from tests.areas.karte.factories import offer, year_of_records
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import main_nav, sign_in, staff_nav
from tests.factories import (
    AreaFactory,
    DistrictFactory,
    OrganisationFactory,
    local_issue,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _reload_catalogue_and_plan():
    """A transactional test flushes what migrations loaded: load it again."""
    import importlib

    from django.apps import apps as django_apps

    for module in (
        "areas.migrations.0003_preload_catalogue",
        "portal.migrations.0004_logic_model_plan",
    ):
        loader = importlib.import_module(module)
        (getattr(loader, "preload", None) or loader.load)(django_apps, None)


@pytest.fixture
def city():
    _reload_catalogue_and_plan()
    sakura = AreaFactory(code="A01", name="桜ヶ丘地域")
    ume = AreaFactory(code="A02", name="梅田地域")
    DistrictFactory(area=sakura, code="A0101", name="桜ヶ丘一丁目")
    year = fiscal_year()
    records = year_of_records(sakura, ume, year)
    KarteFigures.objects.create(
        area=sakura, fiscal_year=year, population=8360, households=3725, aged_65_plus=2395
    )
    KarteFigures.objects.create(
        area=sakura, fiscal_year=year - 1, population=8420, households=3710, aged_65_plus=2350
    )
    Facility.objects.create(
        area=sakura, kind=Facility.Kind.SHELTER, name="桜ヶ丘小学校", address="桜ヶ丘一丁目5番"
    )
    group = OrganisationFactory(
        name="桜ヶ丘一丁目自治会",
        areas=[sakura],
        description="夏祭りと見守り活動をしています。",
    )
    offer(group, "防災訓練の指導・運営", issues=[local_issue(5)])
    offer(group, "集会所の貸出", kind=Offer.Kind.PLACE)
    OrganisationFactory(name="梅田子ども会", areas=[ume])
    return {"area": sakura, "records": records}


def test_resident_finds_a_disaster_prevention_group_from_their_karte(
    page, live_server, city, tmp_path
):
    sign_in(page, live_server, Role.RESIDENT, "hanako@example.jp")
    main_nav(page).get_by_role("link", name="地域カルテ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域カルテ")
    assert_accessible(page)

    page.get_by_role("link", name="桜ヶ丘地域の地域カルテ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("桜ヶ丘地域の地域カルテ")
    expect(
        page.get_by_role("img", name="人口と世帯数（前年度との比較）（数値は下の表のとおり）")
    ).to_be_visible()
    expect(page.locator("main")).to_contain_text("8360")
    expect(page.locator("main")).to_contain_text("桜ヶ丘小学校")
    expect(page.locator("main")).to_contain_text("防災訓練の指導・運営")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "karte.png"), full_page=True)

    page.get_by_role("link", name="桜ヶ丘地域で活動する団体をさがす").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("団体をさがす")
    assert_accessible(page)
    page.get_by_label("キーワード").fill("防災")
    page.get_by_role("button", name="検索する").click()
    results = page.locator(".directory-results")
    expect(results.get_by_role("link", name="桜ヶ丘一丁目自治会")).to_be_visible()
    expect(results).to_contain_text("防災訓練の指導・運営")
    expect(results).not_to_contain_text("梅田子ども会")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "directory.png"), full_page=True)


def test_coordinator_opens_the_dashboard_and_the_logic_model(page, live_server, city, tmp_path):
    records = city["records"]
    sign_in(page, live_server, Role.COORDINATOR, "coordinator@example.jp")
    main_nav(page).get_by_role("link", name="職員ページ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("職員ダッシュボード")
    participants = page.locator('tr[data-key="participants"]')
    # City-wide: the area's 6 and the other area's 4.
    expect(participants.locator("td").first).to_have_text(str(records["participants"] + 4))
    assert_accessible(page)

    page.get_by_role("link", name="桜ヶ丘地域の実績").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("桜ヶ丘地域の実績")
    expect(page.locator('tr[data-key="df_share"] td').first).to_have_text("50.0")
    assert_accessible(page)

    staff_nav(page).get_by_role("link", name="施策の論理構造").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("施策の論理構造（ロジックモデル）")
    expect(page.locator("main")).to_contain_text("参加・活動のきっかけづくり")
    row = page.locator('tr[data-indicator="meetings.held"]')
    expect(row.locator("td.actual")).to_have_text("4.0")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "logic-model.png"), full_page=True)


def test_coordinator_corrects_a_goal_removes_an_action_and_exports_the_areas_model(
    page, live_server, city, tmp_path
):
    from areas.models import Action, Goal, Vision

    area = city["area"]
    vision = Vision.objects.create(
        area=area, title="みんなで守る桜ヶ丘", text="…", first_year=2025, last_year=2029
    )
    goal = Goal.objects.create(vision=vision, number=1, title="防災の備え")
    Action.objects.create(goal=goal, title="防災訓練", owner_kind="city")
    Action.objects.create(goal=goal, title="古い取組", owner_kind="city")
    sign_in(page, live_server, Role.COORDINATOR, "coordinator@example.jp")
    page.goto(f"{live_server.url}/areas/vision/{area.code}/")
    assert_accessible(page)

    page.get_by_role("link", name="目標1を編集").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("目標1の編集")
    assert_accessible(page)
    page.locator("#id_title").fill("")
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".error-summary")).to_contain_text("このフィールドは必須です")
    assert_accessible(page)
    page.locator("#id_title").fill("防災と減災の備え")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("heading", name="目標1　防災と減災の備え")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="「古い取組」を削除").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("取組「古い取組」の削除")
    assert_accessible(page)
    page.get_by_role("button", name="削除する").click()
    expect(page.locator("main")).to_contain_text("取組「古い取組」を削除しました。")
    expect(page.locator("main")).not_to_contain_text("「古い取組」を編集")
    expect(page.locator("main")).to_contain_text("防災訓練")
    assert_accessible(page)
    page.screenshot(path=str(tmp_path / "vision-after-edit.png"), full_page=True)

    page.goto(f"{live_server.url}/staff/dashboard/areas/{area.code}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("桜ヶ丘地域の実績")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="CSVで出力").click()
    path = download.value.path()
    text = Path(path).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("年度,地域コード,地域,")
    assert "桜ヶ丘地域" in text and "梅田地域" not in text
