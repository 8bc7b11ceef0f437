"""A coordinator selects a panel of 10 from the demo area's volunteers with
quotas, reads the probabilities and the reserves, verifies the selection,
and first meets a quota that cannot be met."""

import re

import pytest
from playwright.sync_api import expect

from portal.models import Role
from surveys.panels.demo import demo_pool_csv
from surveys.panels.models import PanelSelection, PanelVerification
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import main_nav, sign_in, staff_nav
from tests.surveys.panels.factories import area_register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_selects_a_panel_with_quotas_and_verifies_it(page, live_server, tmp_path):
    area_register()
    pool = tmp_path / "volunteers_A01.csv"
    pool.write_bytes(demo_pool_csv())
    sign_in(page, live_server, Role.COORDINATOR, "coordinator@example.jp")

    main_nav(page).get_by_role("link", name="職員ページ").click()
    assert_accessible(page)
    staff_nav(page).get_by_role("link", name="パネル選出").click()
    expect(page).to_have_url(live_server.url + "/surveys/panels/")
    assert_accessible(page)
    page.get_by_role("link", name="新しく選出する").click()
    assert_accessible(page)

    page.get_by_label("件名").fill("北部地域 まちづくり会議")
    page.get_by_role("combobox", name="地域").select_option(label="北部")
    page.locator('input[type="file"][name="people_file"]').set_input_files(pool)
    page.get_by_label("パネルの人数").fill("10")
    page.get_by_label("補欠の人数").fill("5")
    seed = page.get_by_label("乱数シード")
    expect(seed).not_to_have_value("")
    seed.fill("20261001")
    page.get_by_role("button", name="次へ（割当の設定）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("割当の設定")
    expect(page.locator("main")).to_contain_text("最大剰余法")
    assert_accessible(page)

    # Only 3 volunteers are 18〜29: asking for at least 5 cannot be met.
    page.get_by_label("年代: 18〜29歳 の下限").fill("5")
    page.get_by_label("年代: 18〜29歳 の上限").fill("6")
    page.get_by_role("button", name="この割当で選出する").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("この割当を満たすパネルはありません")
    expect(summary).to_contain_text("「年代: 18〜29歳」の下限5人を満たせません")
    assert_accessible(page)

    page.get_by_label("年代: 18〜29歳 の下限").fill("0")
    page.get_by_label("年代: 18〜29歳 の上限").fill("2")
    page.get_by_role("button", name="この割当で選出する").click()
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))
    expect(page.locator(".message--success")).to_contain_text("40人から10人のパネルと補欠5人")
    assert_accessible(page)
    page.get_by_role("link", name="結果を見る").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("北部地域 まちづくり会議")
    assert_accessible(page)

    selection = PanelSelection.objects.get()
    panel = page.get_by_role("region", name="パネル", exact=True).locator("tbody tr")
    expect(panel).to_have_count(10)
    reserves = page.get_by_role("region", name="補欠").locator("tbody tr")
    expect(reserves).to_have_count(5)
    expect(reserves.first).to_contain_text(selection.reserve_ids[0])
    expect(page.locator("main")).to_contain_text("最低選出確率")
    expect(page.get_by_role("region", name="割当と結果")).not_to_contain_text("満たさない")
    everyone = page.get_by_role("region", name="候補者全員の選出確率").locator("tbody tr")
    expect(everyone).to_have_count(40)

    page.get_by_role("button", name="同じ入力で再実行して検証する").click()
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))
    expect(page.locator(".message--success")).to_contain_text("同じパネルと補欠が選ばれました")
    assert_accessible(page)
    page.get_by_role("link", name="結果を見る").click()
    expect(page.get_by_role("region", name="検証の記録")).to_contain_text("同じパネルと補欠")
    assert_accessible(page)
    assert PanelVerification.objects.get().same_panel

    page.get_by_role("link", name="選ばれた人と補欠の連絡先を見る").click()
    expect(page.get_by_role("region", name="パネルの連絡先").locator("tbody tr")).to_have_count(10)
    assert_accessible(page)
