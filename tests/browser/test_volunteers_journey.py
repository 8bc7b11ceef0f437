"""A coordinator reorders a questionnaire with the up/down buttons (no
script needed), then finds the area's survey volunteers among the
applicants of its meeting series; every page passes the accessibility check."""

import pytest
from playwright.sync_api import expect

from portal.models import Role
from surveys.models import Questionnaire
from surveys.questionnaires import services as questionnaires
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.meetings.factories import SeriesFactory
from tests.surveys.factories import SYSTEM
from tests.surveys.test_volunteers import a01_invitations, a01_survey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_reorders_questions_and_sees_volunteers_as_applicants(page, live_server):
    area, survey = a01_survey(size=10)
    questionnaires.submit_answer(
        invitation=a01_invitations(survey)[0],
        data={},
        volunteer={"name": "架空 一郎", "contact": "ichiro@example.jp"},
        by=SYSTEM,
    )
    series = SeriesFactory(area=area, title="北部エリアミーティング")
    draft = questionnaires.copy_questionnaire(
        questionnaire=Questionnaire.objects.get(is_standard=True), title="下書きの調査票", by=SYSTEM
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, Role.COORDINATOR, "coordinator@example.jp")

    page.goto(live_server.url + f"/surveys/questionnaires/{draft.pk}/")
    assert_accessible(page)
    headings = page.locator("main h2")
    first_title = headings.nth(0).inner_text()
    page.get_by_role("button", name=f"区切り「{first_title.split('. ', 1)[1]}」を下へ移動").click()
    expect(page.locator(".message--success")).to_contain_text("を移動しました")
    expect(headings.nth(1)).to_contain_text(first_title.split(". ", 1)[1])
    assert_accessible(page)
    page.get_by_role("link", name="設問「あなたの年代を教えてください。」を編集").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("設問を編集")
    assert_accessible(page)

    page.goto(live_server.url + f"/meetings/staff/series/{series.pk}/")
    expect(page.locator("main")).to_contain_text("申込みのうちアンケートで参加を希望した人: 1人")
    assert_accessible(page)
    page.get_by_role("link", name="申込者の一覧（連絡先）").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("申込者")
    expect(page.locator("main")).to_contain_text("架空 一郎")
    expect(page.locator("main")).to_contain_text("アンケートで参加を希望")
    assert_accessible(page)
