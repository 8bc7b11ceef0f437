"""At phone width, the demo's coordinator selects a panel from the demo
area's volunteer records (the questionnaire's volunteer slips, not a file)
through the panel pages, reads the result, sees the contacts of the
selected, and registers one of them for a meeting from the series'
applicant list; every page passes the accessibility check."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from meetings.demo import SERIES_TITLE
from meetings.models import MeetingSeries, Registration
from portal.demo import DEMO_PASSWORD
from surveys.models import Volunteer
from surveys.panels.models import PanelSelection
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import staff_nav
from tests.surveys.answer_factories import ensure_catalogue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_selects_a_panel_from_the_demo_areas_volunteers(page, live_server):
    # An earlier transactional test may have flushed the catalogue the
    # migrations load; the demo's meetings need its issues.
    ensure_catalogue()
    call_command("seed_demo", stdout=io.StringIO())
    pool = Volunteer.objects.filter(area__code="A01").count()
    assert pool >= 15
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill("coordinator@example.jp")
    form.locator('input[name="password"]').fill(DEMO_PASSWORD)
    form.locator('[type="submit"]').click()
    expect(page.locator(".site-header")).to_contain_text("ログアウト")
    assert_accessible(page)

    page.goto(live_server.url + "/staff/")
    assert_accessible(page)
    staff_nav(page).get_by_role("link", name="パネル選出").click()
    expect(page).to_have_url(live_server.url + "/surveys/panels/")
    assert_accessible(page)
    page.get_by_role("link", name="新しく選出する").click()
    assert_accessible(page)

    page.get_by_label("件名").fill("北部地域 まちづくり会議（ボランティアから）")
    page.get_by_label("地域のボランティア").check()
    page.get_by_role("combobox", name="地域").select_option(label="北部")
    page.get_by_label("パネルの人数").fill("10")
    page.get_by_label("補欠の人数").fill("5")
    page.get_by_label("割当の許容幅（±人）").fill("2")
    page.get_by_label("乱数シード").fill("20261130")
    page.get_by_role("button", name="次へ（割当の設定）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("割当の設定")
    # Quotas by age band, sex and district, proposed from the register.
    main = page.locator("main")
    expect(main).to_contain_text("最大剰余法")
    expect(main).to_contain_text(f"{pool}人")
    expect(main).to_contain_text("桜ヶ丘")
    assert_accessible(page)

    page.get_by_role("button", name="この割当で選出する").click()
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))
    expect(page.locator(".message--success")).to_contain_text(f"{pool}人から10人のパネルと補欠5人")
    assert_accessible(page)
    page.get_by_role("link", name="結果を見る").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "北部地域 まちづくり会議（ボランティアから）"
    )
    assert_accessible(page)

    selection = PanelSelection.objects.get(title="北部地域 まちづくり会議（ボランティアから）")
    assert selection.source == "volunteers" and selection.pool_size == pool
    expect(page.get_by_role("region", name="パネル", exact=True).locator("tbody tr")).to_have_count(
        10
    )
    expect(page.get_by_role("region", name="補欠").locator("tbody tr")).to_have_count(5)
    everyone = page.get_by_role("region", name="候補者全員の選出確率").locator("tbody tr")
    expect(everyone).to_have_count(pool)

    page.get_by_role("link", name="選ばれた人と補欠の連絡先を見る").click()
    contacts = page.get_by_role("region", name="パネルの連絡先")
    expect(contacts.locator("tbody tr")).to_have_count(10)
    first = Volunteer.objects.get(pk=selection.panel[0])
    expect(contacts).to_contain_text(first.name)
    assert_accessible(page)

    # The selected volunteer is registered for the series' open meeting.
    series = MeetingSeries.objects.get(title=SERIES_TITLE)
    page.goto(live_server.url + f"/meetings/staff/series/{series.pk}/applicants/")
    expect(page.get_by_role("heading", level=1)).to_have_text("申込者")
    assert_accessible(page)
    page.get_by_label(f"{first.name} さんを申し込む回").select_option(index=0)
    row = page.locator("tr", has=page.get_by_label(f"{first.name} さんを申し込む回"))
    row.get_by_role("button", name="申し込む").click()
    expect(page.locator(".message--success")).to_contain_text(f"{first.name} さんを")
    assert_accessible(page)
    registration = Registration.objects.get(name=first.name)
    assert registration.source == "staff" and registration.meeting.series == series
