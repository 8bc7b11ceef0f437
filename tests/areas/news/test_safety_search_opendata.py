import csv
import datetime
import io
import json
import shutil
import subprocess
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client

from areas.models import Facility, Post
from areas.news import circular, markup
from areas.opendata import FACILITY_COLUMNS
from portal.audit import Actor
from portal.models import Role
from tests.factories import AreaFactory, local_issue

from .factories import make_post

pytestmark = pytest.mark.django_db

HOSTILE = """# 見出し
<script>alert('x')</script>
[押してください](javascript:alert(1)) [データ](data:text/html;base64,PHNjcmlwdD4=)
<img src=x onerror="alert(2)">
<svg xmlns="http://www.w3.org/2000/svg"><script>alert(3)</script></svg>
<a href="https://example.jp" onclick="steal()">リンク</a>
<iframe src="https://evil.example"></iframe>
[正しいリンク](https://www.city.example.jp/)
"""
JAPAN_COLUMNS = [
    "都道府県コード又は市区町村コード",
    "NO",
    "都道府県名",
    "市区町村名",
    "名称",
    "名称_カナ",
    "名称_通称",
    "POIコード",
    "住所",
    "方書",
    "緯度",
    "経度",
    "電話番号",
    "内線番号",
    "法人番号",
    "団体名",
    "利用可能曜日",
    "開始時間",
    "終了時間",
    "利用可能日時特記事項",
    "説明",
    "バリアフリー情報",
    "URL",
    "備考",
]


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser would build them."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(html):
    parser = Elements()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "svg", "iframe", "object", "embed"} or (
            tag == "script" and attrs.get("src", "").startswith("/static/")
        ), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action"} and value:
                assert not value.strip().lower().startswith(("javascript:", "data:text")), value


def test_render_keeps_safe_markdown_and_drops_the_rest():
    html = markup.render(HOSTILE)
    assert_harmless(html)
    assert "<h2>見出し</h2>" in html
    assert '<a href="https://www.city.example.jp/" rel="noopener noreferrer nofollow">' in html
    assert "<script" not in html and "<svg" not in html and "<iframe" not in html


def test_hostile_markup_never_reaches_a_page_feed_or_pdf(client_as, settings):
    area = AreaFactory(code="A01")
    coordinator = client_as(Role.COORDINATOR)
    response = coordinator.post(
        "/areas/news/new/",
        {"title": "<script>alert(9)</script>お知らせ", "body": HOSTILE, "areas": [area.pk]},
    )
    assert response.status_code == 302
    post = Post.objects.get()
    coordinator.post(f"/areas/news/{post.pk}/publish/")

    for url in (f"/areas/news/{post.pk}/", "/areas/news/", "/areas/news/area/A01/"):
        page = Client().get(url).content.decode()
        assert_harmless(page)
        assert "<script>alert" not in page
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2005/Atom}"
    feed = ET.fromstring(Client().get("/areas/news/feed/").content)
    for entry in feed.findall(f"{ns}entry"):
        summary = entry.find(f"{ns}summary")
        assert summary.get("type") == "html"
        # What a feed reader renders as HTML: no element, only text.
        assert_harmless(summary.text)
        assert "<script" not in summary.text and "<svg" not in summary.text

    made = circular.create_circular(
        area=area,
        month=datetime.date(2026, 5, 1),
        title="回覧板",
        issuer="<img src=x onerror=alert(1)>自治会",
        posts=[post],
        meeting_keys=[],
        households="<script>x</script>山田",
        by=Actor.for_user(coordinator.user),
    )
    html = circular.render_html(made)
    assert_harmless(html)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    pdf = circular.render_pdf(made, by=Actor.for_user(coordinator.user))
    path = settings.MEDIA_ROOT / "hostile.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "正しいリンク" in text
    # No link annotation to javascript: and no JavaScript action in the file.
    assert b"/JavaScript" not in pdf and b"/JS" not in pdf and b"javascript:" not in pdf


def test_the_pdf_fetches_nothing_outside_the_media_folder(settings):
    from areas.news.circular import _fetcher

    fetcher = _fetcher()
    for url in ("https://evil.example/x.png", "file:///etc/passwd", "http://127.0.0.1/"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_search_finds_japanese_substrings(client):
    make_post(title="4月の活動", body="地域の防災訓練を行います。")
    make_post(title="夏祭り", body="盆踊りがあります。")
    make_post(title="ＡＢＣ体操", body="全角の英字")
    make_post(title="下書き", body="防災の下書き", status=Post.Status.DRAFT)

    page = client.get("/areas/news/", {"q": "防災"}).content.decode()
    assert "4月の活動" in page
    assert "夏祭り" not in page and "下書き" not in page
    # Full-width and half-width letters match each other (NFKC).
    assert "ＡＢＣ体操" in client.get("/areas/news/", {"q": "abc"}).content.decode()
    # Several words: all of them.
    assert "4月の活動" not in client.get("/areas/news/", {"q": "防災 盆踊り"}).content.decode()


@pytest.mark.skipif("not __import__('django.conf').conf.settings.USING_POSTGRESQL")
def test_search_uses_the_trigram_index():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'areas_post_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition


def test_area_and_issue_filters_and_city_wide_news(client):
    north, south = AreaFactory(code="N1", name="北"), AreaFactory(code="S1", name="南")
    make_post(title="北の話", areas=[north], issues=[local_issue(1)])
    make_post(title="南の話", areas=[south])
    make_post(title="市内全域の話")
    page = client.get("/areas/news/area/N1/").content.decode()
    assert "北の話" in page and "市内全域の話" in page and "南の話" not in page
    page = client.get("/areas/news/", {"issue": 1}).content.decode()
    assert "北の話" in page and "南の話" not in page
    assert "/areas/news/issue/1/feed/" in page


def test_publication_window(client):
    now = datetime.datetime.now(datetime.UTC)
    make_post(title="予約投稿", publish_at=now + datetime.timedelta(days=1))
    post = make_post(title="終了した投稿")
    Post.objects.filter(pk=post.pk).update(
        publish_at=now - datetime.timedelta(days=2), unpublish_at=now - datetime.timedelta(days=1)
    )
    page = client.get("/areas/news/").content.decode()
    assert "予約投稿" not in page and "終了した投稿" not in page
    assert client.get(f"/areas/news/{post.pk}/").status_code == 404


def test_issue_feed_is_atom_with_entries(client):
    import xml.etree.ElementTree as ET

    make_post(title="防犯の話", issues=[local_issue(2)])
    make_post(title="ほかの話")
    root = ET.fromstring(client.get("/areas/news/issue/2/feed/").content)
    ns = "{http://www.w3.org/2005/Atom}"
    assert [e.find(f"{ns}title").text for e in root.findall(f"{ns}entry")] == ["防犯の話"]


def test_facilities_open_data_csv_and_json(client, settings, client_as):
    settings.PORTAL_CITY_CODE = "132241"
    settings.PORTAL_CITY_NAME = "多摩市"
    area = AreaFactory(code="A01", name="北部")
    coordinator = client_as(Role.COORDINATOR)
    response = coordinator.post(
        "/areas/facilities/new/",
        {
            "area": area.pk,
            "kind": Facility.Kind.MEETING_PLACE,
            "name": "桜ヶ丘集会所",
            "name_kana": "サクラガオカシュウカイジョ",
            "address": "東京都多摩市桜ヶ丘1-2-3",
            "latitude": "35.639000",
            "longitude": "139.744000",
            "phone": "042-000-0000",
            "open_days": "月火水木金土",
            "opens_at": "09:00",
            "closes_at": "21:00",
            "barrier_free": "スロープあり",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    Facility.objects.create(
        area=area, kind="park", name="非公開の施設", address="x", is_published=False
    )

    response = client.get("/opendata/facilities.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == JAPAN_COLUMNS == list(FACILITY_COLUMNS)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["都道府県コード又は市区町村コード"] == "132241"
    assert row["都道府県名"] == "東京都" and row["市区町村名"] == "多摩市"
    assert row["NO"] == "1" and row["名称"] == "桜ヶ丘集会所"
    assert (row["緯度"], row["経度"]) == ("35.639000", "139.744000")
    assert (row["開始時間"], row["終了時間"]) == ("09:00", "21:00")

    data = json.loads(client.get("/opendata/facilities.json").content)
    assert data["license"] == "CC BY 4.0"
    assert data["columns"] == JAPAN_COLUMNS
    assert data["records"][0]["名称"] == "桜ヶ丘集会所"

    index = client.get("/opendata/").content.decode()
    assert "CC BY 4.0" in index and "/opendata/facilities.csv" in index
    assert Facility.objects.get(name="桜ヶ丘集会所").latitude == Decimal("35.639000")
