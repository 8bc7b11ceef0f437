"""The issue's story end to end: a representative reports with a photo, the
coordinator publishes, the feed carries it, the digest sends it once, the
回覧板 PDF prints it with its QR code."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core import mail
from django.test import Client
from PIL import Image

from areas.models import DigestDelivery, Post, Subscription
from areas.news import tasks
from portal.models import AuditLogEntry, Role
from tests.factories import AreaFactory, DistrictFactory, OrganisationFactory, UserFactory

from .factories import jpeg_with_gps

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world():
    area = AreaFactory(code="A01", name="北部")
    DistrictFactory(area=area, code="A0101", name="桜ヶ丘一丁目")
    representative = UserFactory(email="rep@example.jp")
    organisation = OrganisationFactory(
        name="桜ヶ丘一丁目自治会", areas=[area], representatives=[representative]
    )
    coordinator = UserFactory(role=Role.COORDINATOR, email="coord@example.jp")
    return {
        "area": area,
        "organisation": organisation,
        "representative": representative,
        "coordinator": coordinator,
    }


def report_and_publish(world, **extra):
    rep = signed_in(world["representative"])
    response = rep.post(
        "/areas/news/report/new/",
        {
            "organisation": world["organisation"].pk,
            "title": "防災訓練を行いました",
            "body": "地域の**防災訓練**に 45 人が参加しました。\n\n- 消火器\n- 避難経路",
            "reply_prompt": "次回の参加人数をお書きください。",
            "image": jpeg_with_gps(),
            "image_alt": "公園で消火器の使い方を学ぶ参加者",
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get()
    assert post.status == Post.Status.DRAFT and post.kind == Post.Kind.ACTIVITY
    assert list(post.areas.all()) == [world["area"]]  # the organisation's area
    assert rep.post(f"/areas/news/{post.pk}/submit/").status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.SUBMITTED
    # Not public before the review.
    assert Client().get(f"/areas/news/{post.pk}/").status_code == 404

    coordinator = signed_in(world["coordinator"])
    assert "防災訓練を行いました" in coordinator.get("/areas/news/review/").content.decode()
    assert coordinator.post(f"/areas/news/{post.pk}/publish/").status_code == 302
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    return post


def test_report_photo_feed_digest_and_circular(world, settings, django_capture_on_commit_callbacks):
    # A resident subscribes to the area by address alone (double opt-in).
    anonymous = Client()
    anonymous.post(
        "/areas/news/subscribe/",
        {"email": "hanako@example.jp", "areas": [world["area"].pk], "frequency": "daily"},
    )
    confirmation = mail.outbox.pop()
    link = re.search(
        r"https://portal\.example\.jp(/areas/news/subscribe/confirm/\S+/)", confirmation.body
    )
    assert "登録を完了する" in anonymous.get(link.group(1)).content.decode()
    assert anonymous.post(link.group(1)).status_code == 302
    subscription = Subscription.objects.get(email="hanako@example.jp")
    assert subscription.confirmed_at is not None

    post = report_and_publish(world)

    # The photo: re-encoded JPEG without EXIF (no GPS), thumbnail small.
    image = post.images.get()
    with Image.open(image.image.path) as stored:
        assert stored.format == "JPEG"
        assert not stored.getexif()
        assert "exif" not in stored.info
    with Image.open(image.thumbnail.path) as thumb:
        assert max(thumb.size) <= 400

    # The public page shows it with OGP tags and the area feed link.
    page = Client().get(f"/areas/news/{post.pk}/").content.decode()
    assert '<meta property="og:title" content="防災訓練を行いました">' in page
    assert 'type="application/atom+xml"' in page and "/areas/news/area/A01/feed/" in page
    assert "<strong>防災訓練</strong>" in page
    assert 'alt="公園で消火器の使い方を学ぶ参加者"' in page

    # The area's Atom feed carries it (parsed as XML).
    feed = Client().get("/areas/news/area/A01/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["防災訓練を行いました"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/areas/news/{post.pk}/")
    assert entries[0].find(f"{ATOM}author/{ATOM}name").text == "桜ヶ丘一丁目自治会"
    # A feed reader takes it without complaint.
    parsed = feedparser.parse(feed.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert [entry.title for entry in parsed.entries] == ["防災訓練を行いました"]

    # The digest, twice: one message, one delivery row.
    mail.outbox.clear()
    assert tasks.send_digests.delay("daily").get() == 1
    assert tasks.send_digests.delay("daily").get() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hanako@example.jp"]
    assert message.body.count("防災訓練を行いました") == 1
    assert f"https://portal.example.jp/areas/news/{post.pk}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(
        r"<https://portal\.example\.jp/areas/news/unsubscribe/\S+/>",
        message.extra_headers["List-Unsubscribe"],
    )
    assert message.alternatives[0][1] == "text/html"
    assert DigestDelivery.objects.filter(subscription=subscription).count() == 1

    # The representative makes the 回覧板 for the area and prints it.
    rep = signed_in(world["representative"])
    response = rep.post(
        "/areas/circulars/new/A01/",
        {
            "month": "2026-05",
            "title": "北部 回覧板 5月号",
            "issuer": "桜ヶ丘一丁目自治会 会長",
            "posts": [post.pk],
            "households": "山田\n佐藤\t1班\n鈴木",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    circular_url = response["Location"]
    pdf = rep.get(circular_url + "pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(pdf.content, settings.MEDIA_ROOT)
    assert "会員各位" in text
    assert "防災訓練を行いました" in text
    assert "切り取り線" in text and "回答欄" in text
    assert "次回の参加人数をお書きください。" in text
    assert "回覧表" in text and "確認印" in text
    assert text.index("山田") < text.index("佐藤") < text.index("鈴木")
    assert "1班" not in text  # pasted spreadsheet columns are dropped
    font_rows = fonts.strip().splitlines()[2:]
    assert font_rows and all(re.search(r"Noto-?Sans-?CJK", row) for row in font_rows)
    # Every font embedded (the "emb" column).
    assert all(row.split()[-5] == "yes" for row in font_rows)
    assert AuditLogEntry.objects.filter(action="areas.circular.printed").exists()
    # The QR code is drawn (an image per item) and encodes the post's address.
    assert pdf_image_count(pdf.content, settings.MEDIA_ROOT) >= 1


def _need(tool):
    if not shutil.which(tool):
        pytest.skip(f"{tool} is not installed (poppler-utils)")


def pdf_text_and_fonts(content, folder):
    _need("pdftotext")
    path = folder / "circular.pdf"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return text, fonts


def pdf_image_count(content, folder):
    _need("pdfimages")
    path = folder / "circular.pdf"
    path.write_bytes(content)
    listing = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return len(listing.strip().splitlines()) - 2


def test_qr_code_encodes_the_post_address():
    import segno

    from areas.news.circular import qr_data_uri

    uri = qr_data_uri("https://portal.example.jp/areas/news/1/")
    assert uri.startswith("data:image/svg+xml")
    # Same content, same symbol: the data URI is the QR of that address.
    assert uri == segno.make("https://portal.example.jp/areas/news/1/", error="m").svg_data_uri(
        scale=3, border=2
    )


def test_returned_report_goes_back_with_a_comment(world):
    rep = signed_in(world["representative"])
    rep.post(
        "/areas/news/report/new/",
        {"organisation": world["organisation"].pk, "title": "夏祭り", "body": "報告です。"},
    )
    post = Post.objects.get()
    rep.post(f"/areas/news/{post.pk}/submit/")
    coordinator = signed_in(world["coordinator"])
    assert (
        coordinator.post(
            f"/areas/news/{post.pk}/return/", {"comment": "写真を追加してください"}
        ).status_code
        == 302
    )
    post.refresh_from_db()
    assert post.status == Post.Status.RETURNED
    page = rep.get(f"/areas/news/{post.pk}/").content.decode()
    assert "写真を追加してください" in page
    # The representative edits and submits again.
    response = rep.post(
        f"/areas/news/{post.pk}/edit/", {"title": "夏祭り（写真つき）", "body": "報告です。"}
    )
    assert response.status_code == 302
    assert rep.post(f"/areas/news/{post.pk}/submit/").status_code == 302
    post.refresh_from_db()
    assert (post.status, post.title) == (Post.Status.SUBMITTED, "夏祭り（写真つき）")
    # Under review the representative cannot edit it.
    response = rep.post(f"/areas/news/{post.pk}/edit/", {"title": "変更", "body": "x"})
    assert response.status_code == 400
    assert "編集できません" in response.content.decode()


def test_a_draft_report_cannot_be_published_without_submission(world):
    rep = signed_in(world["representative"])
    rep.post(
        "/areas/news/report/new/",
        {"organisation": world["organisation"].pk, "title": "下書き", "body": "本文"},
    )
    post = Post.objects.get()
    coordinator = signed_in(world["coordinator"])
    response = coordinator.post(f"/areas/news/{post.pk}/publish/", follow=True)
    assert "提出されてから公開します" in response.content.decode()
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT


def test_representative_cannot_report_for_another_organisation(world):
    other = OrganisationFactory(name="ほかの会")
    rep = signed_in(world["representative"])
    response = rep.post(
        "/areas/news/report/new/", {"organisation": other.pk, "title": "t", "body": "b"}
    )
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_not_an_image_is_refused_with_a_message(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rep = signed_in(world["representative"])
    fake = SimpleUploadedFile(
        "photo.jpg", b"<svg onload=alert(1)></svg>", content_type="image/jpeg"
    )
    response = rep.post(
        "/areas/news/report/new/",
        {
            "organisation": world["organisation"].pk,
            "title": "t",
            "body": "b",
            "image": fake,
            "image_alt": "説明",
        },
    )
    assert response.status_code == 400
    assert "画像として読み取れないファイルです" in response.content.decode()
    assert not Post.objects.exists()
