"""A coordinator imports the register, draws a sample and prints the letters."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from portal.models import Role
from surveys.models import Draw, Resident
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import main_nav, sign_in, staff_nav
from tests.surveys.factories import BAD_SAMPLE, SAMPLE, sample_districts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(page, name, year, month, day):
    page.locator(f'input[name="{name}_year"]').fill(year)
    page.locator(f'input[name="{name}_month"]').fill(month)
    page.locator(f'input[name="{name}_day"]').fill(day)


def upload(page, live_server, path):
    main_nav(page).get_by_role("link", name="職員ページ").click()
    assert_accessible(page)
    staff_nav(page).get_by_role("link", name="名簿の取込").click()
    expect(page).to_have_url(live_server.url + "/surveys/registers/import/")
    assert_accessible(page)
    page.locator('input[type="file"][name="file"]').set_input_files(path)
    fill_date(page, "reference_date", "2026", "10", "1")
    page.get_by_label("利用目的").fill("市民意識調査の対象者抽出")
    page.get_by_label("法的根拠").fill("個人情報保護審議会の承認")
    page.get_by_role("button", name="取り込む").click()
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))


def test_coordinator_imports_draws_and_prints_letters(page, live_server, tmp_path):
    sample_districts()
    sign_in(page, live_server, Role.COORDINATOR, "coordinator@example.jp")

    bad = tmp_path / "register_bad.csv"
    shutil.copy(BAD_SAMPLE, bad)
    upload(page, live_server, bad)
    errors = page.get_by_role("region", name="誤りの一覧").locator("tbody tr")
    expect(errors).to_have_count(3)
    assert_accessible(page)
    assert not Resident.objects.exists()

    good = tmp_path / "register.csv"
    shutil.copy(SAMPLE, good)
    upload(page, live_server, good)
    expect(page.locator(".message--success")).to_contain_text("63 人を取り込みました")
    assert_accessible(page)
    page.get_by_role("link", name="結果を見る").click()
    expect(page).to_have_url(live_server.url + "/surveys/registers/")
    assert_accessible(page)

    staff_nav(page).get_by_role("link", name="無作為抽出").click()
    assert_accessible(page)
    page.get_by_role("link", name="新しく抽出する").click()
    assert_accessible(page)
    page.get_by_label("調査名").fill("市民意識調査")
    page.get_by_label("抽出数").fill("10")
    page.get_by_label("年齢（下限）").fill("40")
    page.get_by_label("年齢（上限）").fill("79")
    page.get_by_label("乱数シード").fill("journey")
    page.get_by_label("利用目的").fill("市民意識調査の対象者抽出")
    page.get_by_label("法的根拠").fill("個人情報保護審議会の承認")
    page.get_by_role("button", name="抽出する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("市民意識調査")
    expect(page.locator("main")).to_contain_text("個人情報保護審議会の承認")
    assert_accessible(page)
    draw = Draw.objects.get()
    assert draw.invitations.count() == 10

    page.get_by_role("button", name="案内状のPDFを作成する").click()
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))
    expect(page.locator(".message--success")).to_contain_text("10 通")
    assert_accessible(page)
    page.get_by_role("link", name="結果を見る").click()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("案内状PDFをダウンロード")).click()
    pdf = tmp_path / "letters.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
