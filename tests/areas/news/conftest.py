import pytest

from areas.news import circular, digest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = "https://portal.example.jp"


@pytest.fixture
def fake_meetings():
    """A stand-in for the meetings app's digest and 回覧板 sources."""
    registered = {"digest": [], "upcoming": []}

    def digest_source(*, since, until):
        return [item for item in registered["digest"] if since <= item.when < until]

    def upcoming_source(*, area, start, end):
        return [item for item in registered["upcoming"] if item["area"] == area.pk]

    digest.register_source(digest_source)
    circular.register_upcoming_source(upcoming_source)
    yield registered
    digest.unregister_source(digest_source)
    circular.unregister_upcoming_source(upcoming_source)
