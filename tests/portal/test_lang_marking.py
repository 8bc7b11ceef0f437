"""Japanese data on English pages is marked lang="ja" (WCAG 3.1.2); Japanese
pages stay as they were."""

import pytest
from django.test import Client

from meetings.models import Meeting
from tests.factories import AreaFactory, DistrictFactory, OrganisationFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    area = AreaFactory(code="LJ", name="欅地域", description="駅の北側の住宅地です。")
    DistrictFactory(area=area, name="欅一丁目")
    OrganisationFactory(name="欅自治会", areas=[area])
    return area


def english():
    client = Client()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_area_pages_mark_names_in_english_only(area):
    client = english()
    listing = client.get("/areas/").content.decode()
    assert '<span lang="ja">欅地域</span>' in listing
    detail = client.get(area.get_absolute_url()).content.decode()
    assert '<h1><span lang="ja">欅地域</span>' in detail
    assert '<span lang="ja">欅一丁目</span>' in detail
    assert '<span lang="ja">欅自治会</span>' in detail
    assert '<p lang="ja">駅の北側の住宅地です。</p>' in detail
    assert "<title>欅地域" in detail  # never markup in the title

    japanese = Client().get(area.get_absolute_url()).content.decode()
    assert '<span lang="ja">' not in japanese and '<p lang="ja">' not in japanese
    assert "<h1>欅地域 " in japanese


def test_meeting_pages_mark_titles_places_and_texts(area):
    meeting = MeetingFactory(
        area=area,
        title="欅のまちを語る会",
        status=Meeting.Status.OPEN,
        venue_name="欅会館",
        description="地域の将来を話し合います。",
    )
    client = english()
    listing = client.get("/meetings/").content.decode()
    assert '<span lang="ja">欅のまちを語る会</span>' in listing
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert '<h1><span lang="ja">欅のまちを語る会</span></h1>' in detail
    assert '<span lang="ja">欅会館</span>' in detail
    assert '<p lang="ja">地域の将来を話し合います。</p>' in detail
    japanese = Client().get(meeting.get_absolute_url()).content.decode()
    assert '<span lang="ja">' not in japanese and '<p lang="ja">' not in japanese
