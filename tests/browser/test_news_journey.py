"""A representative reports with a photo; the coordinator publishes it; a
visitor finds it by searching and sees the feed link."""

import io

import pytest
from playwright.sync_api import expect

from areas.models import Post
from portal.models import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, AreaFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, email):
    page.goto(live_server.url + "/accounts/login/")
    assert_accessible(page)
    form = page.locator("form", has=page.locator('input[name="login"]'))
    form.locator('input[name="login"]').fill(email)
    form.locator('input[name="password"]').fill(PASSWORD)
    form.locator('[type="submit"]').click()
    expect(page).to_have_url(live_server.url + "/")
    assert_accessible(page)


def sign_out(page):
    page.get_by_role("button", name="ログアウト").click()
    assert_accessible(page)


def test_activity_report_from_writing_to_search(page, live_server, tmp_path, settings):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path / "media"
    area = AreaFactory(code="A01", name="北部")
    representative = UserFactory(email="rep@example.jp")
    OrganisationFactory(name="桜ヶ丘一丁目自治会", areas=[area], representatives=[representative])
    UserFactory(email="coord@example.jp", role=Role.COORDINATOR)
    photo = tmp_path / "photo.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), "orange").save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())

    sign_in(page, live_server, "rep@example.jp")
    page.goto(live_server.url + "/areas/news/report/new/")
    assert_accessible(page)
    page.get_by_label("題名").fill("防災訓練を行いました")
    page.get_by_label("本文").fill("地域の防災訓練に 45 人が参加しました。")
    page.get_by_label("写真", exact=True).set_input_files(str(photo))
    page.get_by_label("写真の説明（代替テキスト）").fill("消火器の使い方を学ぶ参加者")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("防災訓練を行いました")
    assert_accessible(page)
    page.get_by_role("button", name="確認を依頼する").click()
    expect(page.locator(".messages")).to_contain_text("確認を依頼しました")
    assert_accessible(page)
    sign_out(page)

    sign_in(page, live_server, "coord@example.jp")
    page.goto(live_server.url + "/areas/news/review/")
    assert_accessible(page)
    page.get_by_role("link", name="防災訓練を行いました").click()
    assert_accessible(page)
    page.get_by_role("button", name="公開する").click()
    expect(page.locator(".messages")).to_contain_text("公開しました")
    assert_accessible(page)
    assert Post.objects.get().status == Post.Status.PUBLISHED
    sign_out(page)

    page.goto(live_server.url + "/areas/news/")
    assert_accessible(page)
    page.get_by_label("キーワード").fill("防災")
    page.get_by_role("button", name="検索する").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name="防災訓練を行いました")).to_be_visible()
    page.get_by_role("link", name="防災訓練を行いました").click()
    assert_accessible(page)
    expect(page.get_by_role("img", name="消火器の使い方を学ぶ参加者")).to_be_visible()
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]').first
    assert feed.get_attribute("href") == "/areas/news/area/A01/feed/"
    page.screenshot(path=str(tmp_path / "news.png"), full_page=True)
