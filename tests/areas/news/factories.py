import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from areas.models import Post
from areas.news import markup


def make_post(
    *,
    title="お知らせ",
    body="本文です。",
    kind=Post.Kind.NEWS,
    organisation=None,
    areas=(),
    issues=(),
    status=Post.Status.PUBLISHED,
    author=None,
    publish_at=None,
):
    html = markup.render(body)
    now = timezone.now()
    post = Post.objects.create(
        kind=kind,
        title=title,
        body=body,
        body_html=html,
        search_text=markup.search_text(title, markup.plain_text(html)),
        organisation=organisation,
        status=status,
        author=author,
        publish_at=publish_at or (now if status == Post.Status.PUBLISHED else None),
        published_at=now if status == Post.Status.PUBLISHED else None,
    )
    post.areas.set(areas)
    post.issues.set(issues)
    return post


def jpeg_with_gps(size=(800, 600), name="photo.jpg"):
    """A JPEG whose EXIF carries a GPS position (as a phone writes it)."""
    image = Image.new("RGB", size, "skyblue")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (35.0, 39.0, 29.0)
    gps[3] = "E"
    gps[4] = (139.0, 44.0, 28.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
