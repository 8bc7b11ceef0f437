import io

import pytest
from django.core.management import call_command

from areas.models import Circular, Facility, Post, Subscription
from areas.news import demo

pytestmark = pytest.mark.django_db


def test_demo_seeds_news_reports_facilities_subscriber_and_circular_twice():
    call_command("seed_demo", stdout=io.StringIO())
    for _ in range(2):
        demo.seed(io.StringIO())
    assert Post.objects.filter(kind=Post.Kind.NEWS, status=Post.Status.PUBLISHED).count() == 3
    assert Post.objects.filter(kind=Post.Kind.ACTIVITY).count() == 2
    assert Post.objects.filter(status=Post.Status.SUBMITTED).count() == 1  # waits for review
    assert Facility.objects.count() == 3
    assert (
        Subscription.objects.filter(email="resident@example.jp", confirmed_at__isnull=False).count()
        == 1
    )
    assert Circular.objects.count() == 1
