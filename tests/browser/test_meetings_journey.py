"""A resident, on a phone, finds a meeting in their area, registers for two,
gets the confirmation with the calendar file, and cancels; the first party on
the waiting list is promoted and mailed."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from meetings.models import Registration
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.factories import AreaFactory, DistrictFactory, UserFactory
from tests.meetings.factories import MeetingFactory, RegistrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args():
    return {"locale": "ja-JP", "viewport": {"width": 375, "height": 740}}


def test_resident_registers_for_two_cancels_and_the_waiting_party_moves_up(
    page, live_server, tmp_path
):
    area = AreaFactory(code="J1", name="桜ヶ丘地域")
    DistrictFactory(area=area, code="J101")
    AreaFactory(code="J2", name="ほかの地域")
    meeting = MeetingFactory(
        area=area, title="第2回 エリアミーティング", capacity=3, confirmed_seats=1
    )
    MeetingFactory(area=AreaFactory(code="J2"), title="ほかの地域の会")
    RegistrationFactory(meeting=meeting, party_size=1)

    sign_in(page, live_server, [], "hanako@example.jp")
    page.goto(live_server.url + "/meetings/")
    assert_accessible(page)
    page.get_by_label("地域").select_option(label="桜ヶ丘地域")
    page.get_by_role("button", name="絞り込む").click()
    assert_accessible(page)
    expect(page.locator("main")).not_to_contain_text("ほかの地域の会")
    page.screenshot(path=tmp_path / "1-list.png", full_page=True)
    page.get_by_role("link", name="第2回 エリアミーティング").click()
    assert_accessible(page)
    expect(page.locator("#seats-left")).to_contain_text("2席")
    expect(page.locator('link[rel="alternate"][type="text/calendar"]')).to_have_count(1)

    page.get_by_role("link", name="申し込む", exact=True).click()
    assert_accessible(page)
    page.locator("#id_name").fill("多摩 花子")
    page.locator("#id_name_kana").fill("たま はなこ")
    page.locator("#id_email").fill("hanako@example.jp")
    page.locator("#id_party_size").fill("2")
    page.locator("#id_childcare_requested").check()
    page.locator("#id_childcare_children").fill("1")
    page.screenshot(path=tmp_path / "2-form.png")
    page.get_by_role("button", name="申し込む").click()
    assert_accessible(page)
    expect(page.locator(".messages")).to_contain_text("参加の申込みを受け付けました")
    expect(page.locator("#seats-left")).to_contain_text("満席")
    confirmation = [m for m in mail.outbox if m.to == ["hanako@example.jp"]]
    assert confirmation and confirmation[0].attachments[0][0].endswith(".ics")

    # Someone else joins the waiting list while the meeting is full.
    waiting = RegistrationFactory(
        meeting=meeting,
        status=Registration.Status.WAITING,
        waiting_since=timezone.now() - datetime.timedelta(minutes=1),
        confirmed_at=None,
        email="waiting@example.jp",
        user=UserFactory(),
    )

    page.get_by_role("navigation", name="メインメニュー").get_by_role(
        "link", name="参加の申込み"
    ).click()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "3-mine.png", full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="「第2回 エリアミーティング」の申込みを取り消す").click()
    assert_accessible(page)
    expect(page.locator(".messages")).to_contain_text("申込みを取り消しました")
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert any(
        m.to == ["waiting@example.jp"] and "参加が確定しました" in m.subject for m in mail.outbox
    )
