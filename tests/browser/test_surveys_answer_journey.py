"""At phone width: a resident opens the answer page from their letter's QR
code (the code after "#", sent by the page's script, never in an address
the server sees), stops half-way, comes back, types the code and finishes;
the code refuses a second submission; a coordinator sees the answer held
for its batch, both quadrant charts, exports them and compares with last
year's answers imported from a file."""

import re

import pytest
from playwright.sync_api import expect

from portal.audit import Actor
from portal.models import Role
from surveys.models import HeldAnswer, Response, Volunteer
from surveys.questionnaires.generate import answers_csv
from surveys.questionnaires.imports import import_answers
from surveys.services.letters import answer_link
from tests.browser.conftest import assert_accessible
from tests.browser.test_journeys import sign_in
from tests.surveys.answer_factories import survey_with_codes
from tests.surveys.factories import sample_districts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args():
    return {
        "locale": "ja-JP",
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "accept_downloads": True,
    }


def shot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)


def enter_code(page, live_server, code):
    page.goto(live_server.url + "/surveys/answer/")
    assert_accessible(page)
    page.get_by_label("アクセスコード").fill(code)
    page.get_by_role("button", name="次へ").click()


def answer_matrix(page, value_index=1):
    for select in page.locator("fieldset.issue-matrix select").all():
        select.select_option(index=value_index)


def test_resident_answers_in_two_visits_and_coordinator_sees_the_charts(
    page, live_server, tmp_path
):
    sample_districts()
    survey, codes = survey_with_codes(code="R8")
    by = Actor.for_system("tests")
    import_answers(
        data=answers_csv(60, seed="journey", area_codes=["A01", "A02", "A03"]),
        survey_code="R8",
        by=by,
    )
    code = codes[0]

    # First visit, from the QR code: the profile page, then half of the issues, then stop.
    sent = []
    page.on("request", lambda request: sent.append(request.url))
    page.goto(answer_link(live_server.url + "/surveys/answer/", code))
    expect(page.get_by_role("heading", level=1)).to_have_text("あなたについて")
    assert "#" not in page.url
    # The server saw the code only in a POST body, never in an address.
    printed = "-".join(code[i : i + 4] for i in range(0, len(code), 4))
    assert not any(code in url or printed in url for url in sent)
    assert_accessible(page)
    shot(page, tmp_path, "01-profile")
    page.get_by_label("60代").check()
    page.get_by_label("女性").check()
    page.get_by_role("group", name="お住まいの地域を教えてください。").get_by_role(
        "radio"
    ).first.check()
    page.get_by_role("button", name="保存して次へ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域の課題について（1）")
    assert_accessible(page)
    answer_matrix(page)
    shot(page, tmp_path, "02-matrix")
    page.get_by_role("button", name="保存して中断する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("回答を保存しました")
    assert_accessible(page)

    # Later, with the session gone: the same code brings back the answers so far.
    page.context.clear_cookies()
    enter_code(page, live_server, code.lower())
    expect(page.get_by_text("前回の続きから表示しています")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域の課題について（1）")
    assert_accessible(page)
    expect(page.locator("fieldset.issue-matrix select").first).to_have_value("1")
    shot(page, tmp_path, "03-resumed")
    page.get_by_role("button", name="保存して次へ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域の課題について（2）")
    assert_accessible(page)
    answer_matrix(page, 2)
    page.get_by_role("button", name="保存して次へ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ご意見")
    assert_accessible(page)
    page.get_by_label("どちらかといえば感じる").check()
    page.get_by_label("地域の活動について、ご意見があればお書きください。").fill(
        "子どもの見守りを一緒にしたい"
    )
    page.get_by_role("button", name="保存して次へ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("地域の会議へのご案内")
    assert_accessible(page)
    page.get_by_label("参加してみたい").check()
    page.get_by_role("textbox", name="お名前", exact=True).fill("架空 花子")
    page.get_by_label("連絡先（電話番号またはメールアドレス）").fill("090-0000-1234")
    page.get_by_label("上記の説明に同意します").check()
    shot(page, tmp_path, "04-volunteer")
    page.get_by_role("button", name="回答を送信する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ご回答ありがとうございました")
    assert_accessible(page)
    shot(page, tmp_path, "05-thanks")
    # Held until a batch of several takes it; the response rate counts it already.
    assert Response.objects.filter(survey=survey).count() == 60
    assert HeldAnswer.objects.filter(survey=survey).count() == 1
    assert Volunteer.objects.count() == 1

    # The code refuses a second submission.
    page.context.clear_cookies()
    enter_code(page, live_server, code)
    expect(page.get_by_text("すでに回答をいただいています")).to_be_visible()
    assert_accessible(page)
    shot(page, tmp_path, "06-refused")

    # The coordinator: both quadrant charts with their groups.
    sign_in(page, live_server, Role.COORDINATOR, "coordinator@example.jp")
    page.goto(live_server.url + "/surveys/surveys/")
    assert_accessible(page)
    page.get_by_role("link", name="R8").click()
    expect(page.locator("main")).to_contain_text("回答数 60 件（ほかに集計待ち 1 件）")
    expect(page.get_by_role("heading", name="図1 課題意識と取組状況")).to_be_visible()
    expect(page.get_by_role("heading", name="図2 課題意識と地域への期待")).to_be_visible()
    assert_accessible(page)
    for figure in (1, 2):
        image = page.locator(f'img[src$="figure-{figure}.svg"]')
        expect(image).to_be_visible()
        assert image.evaluate("img => img.naturalWidth") > 0
    expect(page.get_by_role("table").filter(has_text="B'")).to_have_count(1)
    shot(page, tmp_path, "07-analysis")
    with page.expect_download() as download:
        page.get_by_role("link", name="分析一式（Excel）").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # Last year's answers from a file, then the comparison.
    earlier = tmp_path / "r7.csv"
    earlier.write_bytes(
        answers_csv(50, seed="last-year", area_codes=["A01", "A02"], prefix="E", shift=-0.05)
    )
    page.goto(live_server.url + "/surveys/surveys/import/")
    assert_accessible(page)
    page.get_by_label("調査コード").fill("R7")
    page.locator('input[type="file"]').set_input_files(str(earlier))
    page.get_by_role("button", name="取り込む").click()
    expect(page).to_have_url(re.compile(r"/staff/jobs/[0-9a-f-]+/$"))
    expect(page.locator(".message--success")).to_contain_text("50 件の回答を取り込みました")
    assert_accessible(page)
    page.goto(live_server.url + "/surveys/surveys/R8/")
    assert_accessible(page)
    page.get_by_label("比較する調査").select_option("R7")
    page.get_by_role("button", name="比較する").click()
    expect(page.locator("#comparison-table")).to_be_visible()
    assert_accessible(page)
    shot(page, tmp_path, "08-comparison")
