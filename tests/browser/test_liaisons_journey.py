"""A D-tier support request from filing to rating, in a real browser."""

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from portal.models import Role
from tests.browser.conftest import assert_accessible, assert_every_page_was_checked, open_page
from tests.factories import PASSWORD, AreaFactory, OrganisationFactory, UserFactory, represent
from tests.liaisons.factories import officer_on

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }


def person(browser, live_server, email):
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 800})
    page = open_page(context)
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('[type="submit"]').click()
    expect(page).to_have_url(live_server.url + "/")
    assert_accessible(page)
    return page


def test_d_tier_request_from_filing_to_rating_report_and_export(
    browser, live_server, private_storage, tmp_path
):
    area = AreaFactory(code="A01", name="桜ヶ丘地域")
    organisation = OrganisationFactory(name="桜ヶ丘一丁目自治会", areas=[area])
    representative = UserFactory(email="representative@example.jp", full_name="桜井 一郎")
    represent(representative, organisation)
    UserFactory(email="coordinator@example.jp", role=Role.COORDINATOR)
    officer_on(
        area,
        user=UserFactory(
            email="officer@example.jp", full_name="関戸 健", role=Role.LIAISON_OFFICER
        ),
    )
    officer_on(
        area,
        experienced=True,
        kind="sub",
        user=UserFactory(
            email="senior-officer@example.jp", full_name="永山 聡子", role=Role.LIAISON_OFFICER
        ),
    )
    pages = []

    # The representative files a D-tier request with a PDF attached.
    rep = person(browser, live_server, "representative@example.jp")
    pages.append(rep)
    rep.goto(live_server.url + "/liaisons/requests/new/")
    assert_accessible(rep)
    rep.locator("select[name=area]").select_option(label="桜ヶ丘地域")
    rep.get_by_role("radio", name="D 運営支援").check()
    rep.locator("input[name=title]").fill("総会の進行支援")
    rep.locator("textarea[name=description]").fill("5月の総会で議事の進行を支えてほしい。")
    rep.locator("input[name=files]").set_input_files(
        [{"name": "議事次第.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    rep.get_by_role("button", name="依頼する").click()
    expect(rep.get_by_role("heading", level=1)).to_contain_text("総会の進行支援")
    expect(rep.locator("#requester-status")).to_have_text("対応前")
    expect(rep.get_by_role("link", name="議事次第.pdf")).to_be_visible()
    assert_accessible(rep)
    rep.screenshot(path=str(tmp_path / "1-filed.png"), full_page=True)
    request_url = rep.url

    # The coordinator triages it, tries a general officer and is refused.
    coordinator = person(browser, live_server, "coordinator@example.jp")
    pages.append(coordinator)
    coordinator.goto(request_url)
    assert_accessible(coordinator)
    coordinator.get_by_role("button", name="内容を確認した（受付確認）").click()
    expect(coordinator.locator("#staff-status")).to_contain_text("確認済")
    assert_accessible(coordinator)
    coordinator.get_by_role("link", name="担当職員を決める").click()
    assert_accessible(coordinator)
    coordinator.get_by_role("radio", name=re.compile("関戸 健")).check()
    coordinator.get_by_role("button", name="この職員に割り当てる").click()
    expect(coordinator.locator(".error-summary")).to_contain_text(
        "経験者の職員にのみ割り当てられます"
    )
    assert_accessible(coordinator)
    coordinator.screenshot(path=str(tmp_path / "2-refused.png"), full_page=True)
    coordinator.get_by_role("radio", name=re.compile("永山 聡子")).check()
    coordinator.get_by_role("button", name="この職員に割り当てる").click()
    expect(coordinator.locator("#staff-status")).to_contain_text("担当決定")
    assert_accessible(coordinator)

    # The experienced officer works it and closes it with the hours spent.
    senior = person(browser, live_server, "senior-officer@example.jp")
    pages.append(senior)
    senior.goto(request_url)
    assert_accessible(senior)
    senior.get_by_role("button", name="対応を始める").click()
    expect(senior.locator("#staff-status")).to_contain_text("対応中")
    assert_accessible(senior)
    senior.get_by_label("対応時間（時間）").first.fill("3")
    senior.get_by_label("対応結果").fill("総会に同席し、議事の進行を支えました。")
    senior.get_by_role("button", name="完了にする").click()
    expect(senior.locator("#staff-status")).to_contain_text("完了")
    assert_accessible(senior)

    # The representative sees 対応済 and rates the help.
    rep.goto(request_url)
    expect(rep.locator("#requester-status")).to_have_text("対応済")
    assert_accessible(rep)
    rep.get_by_role("radio", name="5").check()
    rep.get_by_label("コメント").fill("とても助かりました。")
    rep.get_by_role("button", name="評価を送る").click()
    expect(rep.locator(".messages")).to_contain_text("ありがとうございました")
    assert_accessible(rep)
    rep.screenshot(path=str(tmp_path / "3-rated.png"), full_page=True)

    # The report counts it under D for the area and month; the XLSX has it.
    coordinator.goto(live_server.url + "/liaisons/reports/")
    assert_accessible(coordinator)
    by_month = coordinator.get_by_role("region", name="種類・地域・月別の依頼件数")
    expect(by_month.locator("tr", has_text="D 運営支援")).to_contain_text("桜ヶ丘地域")
    coordinator.screenshot(path=str(tmp_path / "4-report.png"), full_page=True)
    with coordinator.expect_download() as download_info:
        coordinator.get_by_role("link", name="Excel（XLSX）").first.click()
    with open(download_info.value.path(), "rb") as downloaded:
        workbook = openpyxl.load_workbook(io.BytesIO(downloaded.read()))
    titles = [row[5].value for row in workbook.active.iter_rows(min_row=2)]
    assert "総会の進行支援" in titles

    for page in pages:
        assert_every_page_was_checked(page)
        page.context.close()
