"""Journeys through the portal in a real Chromium against the live server."""

import re

import pytest
from playwright.sync_api import expect

from areas.models import District
from portal.models import Role
from tests.browser.conftest import assert_accessible, assert_every_page_was_checked, open_page
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGIN_PATH = "/accounts/login/"


def sign_in(page, live_server, role, email):
    """Create a verified user holding `role` and sign in through the login form."""
    UserFactory(role=role, email=email)
    page.goto(live_server.url + LOGIN_PATH)
    assert_accessible(page)
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('[type="submit"]').click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".site-header")).to_contain_text("ログアウト")
    assert_accessible(page)


def main_nav(page):
    return page.get_by_role("navigation", name="メインメニュー")


def staff_nav(page):
    return page.get_by_role("navigation", name="職員メニュー")


def test_resident_signs_in_sees_japanese_home_and_no_staff_pages(page, live_server):
    sign_in(page, live_server, Role.RESIDENT, "hanako@example.jp")

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("button", name="ログアウト")).to_be_visible()
    expect(page.locator(".role-badge")).to_have_text("住民")
    nav = main_nav(page)
    expect(nav).to_contain_text("ホーム")
    expect(nav).not_to_contain_text("職員ページ")
    expect(page.locator("nav.staff-nav")).to_have_count(0)

    nav.get_by_role("link", name="マイページ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("マイページ")
    expect(nav.get_by_role("link", name="マイページ")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    response = page.goto(live_server.url + "/staff/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "このページを表示する権限がありません"
    )
    assert_accessible(page)


def test_coordinator_opens_staff_dashboard_from_navigation(page, live_server):
    sign_in(page, live_server, Role.COORDINATOR, "coordinator@example.jp")

    link = main_nav(page).get_by_role("link", name="職員ページ")
    expect(link).to_be_visible()
    link.click()

    expect(page).to_have_url(live_server.url + "/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text("職員ダッシュボード")
    assert_accessible(page)
    nav = staff_nav(page)
    expect(nav.get_by_role("link", name="ダッシュボード")).to_have_attribute("aria-current", "page")
    expect(nav).not_to_contain_text("監査ログ")
    nav.get_by_role("link", name="地域課題の追加").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域課題の追加")
    assert_accessible(page)
    staff_nav(page).get_by_role("link", name="団体の登録").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("団体の登録")
    assert_accessible(page)
    page.get_by_role("button", name="保存する").click()
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)


def test_administrator_imports_districts_and_sees_row_errors(page, live_server, tmp_path):
    sign_in(page, live_server, Role.ADMINISTRATOR, "admin@example.jp")
    main_nav(page).get_by_role("link", name="職員ページ").click()
    expect(page).to_have_url(live_server.url + "/staff/")
    assert_accessible(page)
    staff_nav(page).get_by_role("link", name="町丁目の取込").click()
    expect(page).to_have_url(live_server.url + "/areas/import/")
    assert_accessible(page)

    good = tmp_path / "districts.csv"
    good.write_text(
        "地域コード,地域名,町丁目コード,町丁目名\n"
        "Z01,ブラウザ試験地域,Z0101,ブラウザ試験町一丁目\n"
        "Z01,ブラウザ試験地域,Z0102,ブラウザ試験町二丁目\n",
        encoding="utf-8",
    )
    page.locator('input[type="file"][name="file"]').set_input_files(good)
    page.get_by_role("button", name="取り込む").click()

    # The import runs as a job; its page shows the result when it ends.
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))
    expect(page.locator(".message--success")).to_contain_text("取り込みました")
    assert_accessible(page)
    page.get_by_role("link", name="結果を見る").click()
    expect(page).to_have_url(live_server.url + "/areas/")
    expect(page.locator("main table")).to_contain_text("ブラウザ試験地域")
    assert_accessible(page)
    assert District.objects.filter(area__code="Z01").count() == 2
    districts_before = District.objects.count()

    main_nav(page).get_by_role("link", name="職員ページ").click()
    expect(page).to_have_url(live_server.url + "/staff/")
    assert_accessible(page)
    staff_nav(page).get_by_role("link", name="町丁目の取込").click()
    expect(page).to_have_url(live_server.url + "/areas/import/")
    assert_accessible(page)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "地域コード,地域名,町丁目コード,町丁目名\n"
        "Z02,誤り試験地域,Z0201,誤り試験町一丁目\n"
        "Z02,誤り試験地域,Z0202,\n",
        encoding="utf-8",
    )
    page.locator('input[type="file"][name="file"]').set_input_files(bad)
    page.get_by_role("button", name="取り込む").click()

    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))
    errors = page.get_by_role("region", name="誤りの一覧").locator("table")
    expect(errors).to_be_visible()
    row = errors.locator("tbody tr").filter(has_text="町丁目名")
    expect(row).to_have_count(1)
    expect(row.locator("td").nth(0)).to_have_text("3")
    expect(row.locator("td").nth(1)).to_have_text("町丁目名")
    assert_accessible(page)
    expect(page.locator(".message--success")).to_have_count(0)
    assert District.objects.count() == districts_before
    assert not District.objects.filter(area__code="Z02").exists()


def test_anonymous_visitor_is_sent_to_login_from_staff_dashboard(page, live_server):
    page.goto(live_server.url + "/staff/")

    expect(page).to_have_url(re.compile(re.escape(LOGIN_PATH) + r"\?next="))
    assert "next=/staff/" in page.url or "next=%2Fstaff%2F" in page.url
    expect(page.locator('input[name="login"]')).to_be_visible()
    assert_accessible(page)


def test_skip_link_is_first_tab_stop_and_moves_focus_to_main(page, live_server):
    page.goto(live_server.url + "/")
    assert_accessible(page)

    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_text("本文へ移動")
    expect(focused).to_be_visible()

    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main")
    # Focus is on <main> itself (it has tabindex=-1) or inside it.
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.closest('#main') !== null"
    )


def _phone_context(browser, width=390):
    return browser.new_context(
        locale="ja-JP",
        viewport={"width": width, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )


@pytest.fixture
def phone_page(browser):
    context = _phone_context(browser)
    page = open_page(context)
    try:
        yield page
    finally:
        context.close()


def test_home_page_has_no_horizontal_scrolling_on_a_phone(phone_page, live_server):
    phone_page.goto(live_server.url + "/")
    assert_accessible(phone_page)

    widths = phone_page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert widths["inner"] == 390
    assert widths["scroll"] <= widths["inner"], widths


def test_language_switch_to_english(page, live_server):
    page.goto(live_server.url + "/")
    assert_accessible(page)
    expect(page.locator("html")).to_have_attribute("lang", "ja")

    footer_form = page.locator("footer form.language-form")
    # By value: the option's visible name is wrong on Japanese pages (see below).
    footer_form.locator("#language-select").select_option("en")
    footer_form.locator('button[type="submit"]').click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator("#language-select")).to_have_value("en")
    assert_accessible(page)


def test_language_select_offers_english_by_its_own_name(page, live_server):
    page.goto(live_server.url + "/")
    assert_accessible(page)

    footer_form = page.locator("footer form.language-form")
    expect(footer_form.locator('#language-select option[value="en"]')).to_have_text(
        "English", timeout=2_000
    )
    footer_form.locator("#language-select").select_option(label="English")
    footer_form.locator('button[type="submit"]').click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_accessible(page)


def test_coordinator_sets_up_totp_before_reaching_staff_pages(page, live_server, settings):
    import time

    from allauth.mfa.totp.internal.auth import hotp_value

    settings.REQUIRE_STAFF_MFA = True
    sign_in_email = "coordinator-mfa@example.jp"
    UserFactory(role=Role.COORDINATOR, email=sign_in_email)
    page.goto(live_server.url + LOGIN_PATH)
    assert_accessible(page)
    page.locator('input[name="login"]').fill(sign_in_email)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    expect(page.locator(".site-header")).to_contain_text("ログアウト")
    assert_accessible(page)

    page.goto(live_server.url + "/staff/")
    expect(page.locator(".message--warning")).to_contain_text("二段階認証（TOTP）の設定が必要です")
    assert_accessible(page)
    # allauth asks for the password once more before MFA is changed.
    page.locator('input[name="password"]').fill(PASSWORD)
    page.locator("main form [type=submit]").click()

    secret = page.locator("#authenticator_secret").input_value()
    assert_accessible(page)
    if time.time() % 30 > 27:  # don't send a code about to expire
        time.sleep(3)
    code = hotp_value(secret, int(time.time()) // 30)
    page.locator('input[name="code"]').fill(f"{code:06d}")
    page.locator("main form [type=submit]").click()
    expect(page.locator("#authenticator_secret")).to_have_count(0)
    assert_accessible(page)

    page.goto(live_server.url + "/staff/")
    expect(page.locator("h1")).to_have_text("職員ダッシュボード")
    assert_accessible(page)


# Contrast of every piece of visible text against the background it sits on
# (WCAG 2.1 1.4.3: 4.5:1, or 3:1 for large text).
CONTRAST_SCRIPT = """
() => {
  const parse = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const failures = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest("option, .skip-link")) continue;
    const fg = parse(style.color).slice(0, 3), bg = background(el);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < needed) failures.push(`${el.tagName}.${el.className} "${node.textContent.trim().slice(0, 20)}" ${ratio.toFixed(2)}`);
  }
  return failures;
}
"""


@pytest.mark.parametrize("role", [None, Role.RESIDENT, Role.ADMINISTRATOR])
def test_text_contrast_meets_wcag_aa(page, live_server, role):
    if role is not None:
        sign_in(page, live_server, role, f"{role}@example.jp")
    paths = ["/", "/areas/", "/areas/organisations/", "/accounts/login/"]
    if role == Role.ADMINISTRATOR:
        paths += ["/staff/", "/staff/audit-log/?action=nonsense", "/areas/import/"]
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)
        assert page.evaluate(CONTRAST_SCRIPT) == [], path


LONG_PATH = "/areas/" + "x" * 393  # 400 characters, no place to break


@pytest.mark.parametrize("width", [360, 1280])
def test_record_tables_fit_the_screen(browser, live_server, width):
    from areas.models import LocalIssue
    from portal.models import AuditLogEntry

    AuditLogEntry.objects.create(
        actor_email="a-very-long-address.of.an.officer@city.example.lg.jp",
        actor_role=Role.COORDINATOR,
        action=AuditLogEntry.Action.VIEW,
        target_type="areas.organisation",
        target_id="1",
        target_repr="本町一丁目自治会",
        purpose="地域担当職員の支援依頼への対応のため",
        request_path=LONG_PATH,
    )
    LocalIssue.objects.create(
        number=1,
        title="集合住宅内のつながりづくり",
        description="マンションの住民どうしが顔を合わせる機会が少ない。" * 3,
    )
    context = (
        _phone_context(browser, width)
        if width < 600
        else browser.new_context(locale="ja-JP", viewport={"width": width, "height": 800})
    )
    page = open_page(context)
    try:
        sign_in(page, live_server, Role.ADMINISTRATOR, f"admin{width}@example.jp")
        for path in ("/staff/audit-log/", "/areas/issues/"):
            page.goto(live_server.url + path)
            assert_accessible(page)
            sizes = page.evaluate(
                """() => ({
                    scroll: document.documentElement.scrollWidth,
                    inner: window.innerWidth,
                    table: document.querySelector("main table").getBoundingClientRect().right,
                    wrap: document.querySelector("main .table-wrap").scrollWidth
                        - document.querySelector("main .table-wrap").clientWidth,
                })"""
            )
            assert sizes["inner"] == width
            assert sizes["scroll"] <= width, (path, sizes)
            assert sizes["table"] <= width, (path, sizes)
            assert sizes["wrap"] <= 0, (path, sizes)  # the table does not scroll sideways either
        page.goto(live_server.url + "/staff/audit-log/")
        assert_accessible(page)
        expect(page.locator("main table")).to_contain_text("x" * 100)
        if width >= 600:
            # The long path does not crush the other columns: the time stays on one line.
            time_box = page.locator("main table tbody time").first.bounding_box()
            assert time_box["height"] < 40, time_box
        if width < 600:
            # Rows are stacked: each cell is led by its column's name.
            cell = page.locator("main table tbody td").first
            label = cell.evaluate("(el) => getComputedStyle(el, '::before').content")
            assert label == '"日時"'
            nav_box = page.locator("nav.staff-nav").bounding_box()
            main_box = page.locator("main").bounding_box()
            assert nav_box["y"] + nav_box["height"] <= main_box["y"] + 1  # stacked above
        assert_every_page_was_checked(page)
    finally:
        context.close()


def test_axe_check_fails_on_a_serious_violation(page):
    page.set_content(
        '<html lang="ja"><body><main><h1>x</h1><img src="data:,">'
        "<button></button></main></body></html>"
    )
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page)
    report = str(failure.value)
    assert "image-alt (critical)" in report and "button-name (critical)" in report
    assert "    img" in report  # the target selector is printed
