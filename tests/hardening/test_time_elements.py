"""Every <time datetime> is a value the HTML standard accepts: a date, or a
date and time with at most three fraction digits (stored times carry
microseconds, which Django's "c" format would print)."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.areas.news.factories import make_post
from tests.meetings.factories import MeetingFactory

VALID = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?"
)


@pytest.mark.django_db
def test_time_elements_on_meeting_and_news_pages_are_valid(client):
    moment = timezone.now().replace(microsecond=123456) + datetime.timedelta(days=7)
    meeting = MeetingFactory(starts_at=moment, ends_at=moment + datetime.timedelta(hours=2))
    # Published a minute ago (replacing the microseconds alone could put it ahead of now).
    published = (timezone.now() - datetime.timedelta(minutes=1)).replace(microsecond=654321)
    post = make_post(title="防災訓練のお知らせ", publish_at=published)
    pages = ["/meetings/", meeting.get_absolute_url(), "/areas/news/", post.get_absolute_url()]
    found = 0
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        for value in re.findall(r'<time datetime="([^"]*)"', response.content.decode()):
            found += 1
            assert VALID.fullmatch(value), (path, value)
    assert found >= 4
