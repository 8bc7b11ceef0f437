"""A proposal from application to the grant-report PDF, in a real browser."""

import subprocess

import pytest
from playwright.sync_api import expect

from grants.models import Application
from portal.models import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, AreaFactory, OrganisationFactory, UserFactory, represent
from tests.grants.factories import PDF_BYTES, proposal_programme

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, email):
    page.context.clear_cookies()
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('[type="submit"]').click()
    expect(page.locator(".site-header")).to_contain_text("ログアウト")
    assert_accessible(page)


def _go(page, url):
    page.goto(url)
    assert_accessible(page)


def _click(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert_accessible(page)


def test_proposal_journey(page, live_server, tmp_path):
    area = AreaFactory(code="J01", name="桜ヶ丘地域")
    organisation = OrganisationFactory(name="桜ヶ丘一丁目自治会", areas=[area])
    representative = UserFactory(email="rep@example.jp")
    represent(representative, organisation)
    programme = proposal_programme(budget=500_000)
    UserFactory(email="coord@example.jp", role=Role.COORDINATOR)
    UserFactory(email="rev1@example.jp", role=Role.REVIEWER, full_name="審査 一郎")
    UserFactory(email="rev2@example.jp", role=Role.REVIEWER, full_name="審査 次郎")
    base = live_server.url

    # The representative drafts, budgets, attaches and submits.
    _sign_in(page, live_server, "rep@example.jp")
    _go(page, f"{base}/grants/programmes/{programme.pk}/")
    page.get_by_role("link", name="この事業に申請する").click()
    assert_accessible(page)
    page.get_by_label("申請する団体").select_option(label="桜ヶ丘一丁目自治会")
    page.get_by_label("活動地域").select_option(label="桜ヶ丘地域")
    page.get_by_label("事業名").fill("防災マップづくり")
    page.get_by_label("目的").fill("危険箇所を歩いて確かめ、地図にする。")
    _click(page, "下書きを作る")
    for i, (kind, item, amount) in enumerate(
        [
            ("expense", "印刷費", "250000"),
            ("expense", "会場費", "50000"),
            ("income", "会費", "20000"),
        ]
    ):
        page.locator(f'[name="budget-{i}-kind"]').select_option(kind)
        page.locator(f'[name="budget-{i}-item"]').fill(item)
        page.locator(f'[name="budget-{i}-amount"]').fill(amount)
    _click(page, "保存する")
    expect(page.locator("main")).to_contain_text("280,000円")
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(PDF_BYTES)
    page.get_by_label("書類名").fill("事業計画書")
    page.locator('input[type="file"]').set_input_files(str(plan))
    _click(page, "添付する")
    page.screenshot(path=str(tmp_path / "1-draft.png"), full_page=True)
    _click(page, "申請を提出する")
    expect(page.locator("#application-status")).to_have_text("提出済み")
    application = Application.objects.get()

    # The coordinator starts the review and assigns two reviewers.
    _sign_in(page, live_server, "coord@example.jp")
    _go(page, f"{base}/grants/applications/{application.pk}/")
    _click(page, "審査を始める")
    for name in ("審査 一郎", "審査 次郎"):
        _go(page, f"{base}/grants/applications/{application.pk}/reviewers/")
        page.get_by_label("審査員").select_option(label=name)
        _click(page, "割り当てる")

    # One reviewer declares a conflict and cannot score; the other scores.
    _sign_in(page, live_server, "rev2@example.jp")
    _go(page, f"{base}/grants/reviews/")
    page.get_by_role("link", name="防災マップづくり").click()
    assert_accessible(page)
    page.get_by_label("利害関係があります（採点しません）").check()
    _click(page, "申告する")
    expect(page.locator("#conflict-notice")).to_be_visible()
    expect(page.get_by_role("button", name="採点を提出する")).to_have_count(0)

    _sign_in(page, live_server, "rev1@example.jp")
    _go(page, f"{base}/grants/applications/{application.pk}/review/")
    page.get_by_label("利害関係はありません").check()
    _click(page, "申告する")
    page.get_by_label("地域課題との関連（重み3、0〜5点）").fill("4")
    page.get_by_label("実現可能性（重み2、0〜5点）").fill("5")
    page.get_by_label("講評").fill("地域で続けられる計画です。")
    _click(page, "採点を提出する")
    page.screenshot(path=str(tmp_path / "2-review.png"), full_page=True)

    # The coordinator sees the ranking and approves within the budget.
    _sign_in(page, live_server, "coord@example.jp")
    _go(page, f"{base}/grants/programmes/{programme.pk}/ranking/")
    expect(page.locator("#ranking")).to_contain_text("88.0")
    _go(page, f"{base}/grants/applications/{application.pk}/decide/")
    page.get_by_label("交付決定額（円）").fill("250000")
    _click(page, "決定する")
    expect(page.locator("#application-status")).to_have_text("交付決定")

    # The representative files the report.
    _sign_in(page, live_server, "rep@example.jp")
    _go(page, f"{base}/grants/applications/{application.pk}/report/")
    page.get_by_label("実施した活動").fill("町歩きを2回行い、マップを配布した。")
    page.get_by_label("開催回数").fill("2")
    page.get_by_label("参加者数（延べ）").fill("64")
    page.get_by_label("印刷費（支出、計画 250,000円）の実績額").fill("240000")
    _click(page, "報告を提出する")
    expect(page.locator("#application-status")).to_have_text("実績報告中")

    # The coordinator downloads the grant report and runs the batch export.
    _sign_in(page, live_server, "coord@example.jp")
    _go(page, f"{base}/grants/applications/{application.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="報告書をPDFで出力").click()
    path = download.value.path()
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True).stdout
    assert "予算と実績" in text.decode() and "240,000" in text.decode()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(path), str(tmp_path / "report")],
        check=False,
    )
    _go(page, f"{base}/grants/programmes/{programme.pk}/applications/")
    _click(page, "全申請の報告書（PDF）を一括出力する")
    expect(page.locator("#job-status")).to_have_text("完了")
    page.get_by_role("link", name="結果を見る").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name="ZIPファイルをダウンロード")).to_be_visible()
    page.screenshot(path=str(tmp_path / "3-batch.png"), full_page=True)
