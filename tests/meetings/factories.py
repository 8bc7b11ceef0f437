import datetime

import factory
from django.utils import timezone

from meetings.models import Meeting, MeetingSeries, Registration
from tests.factories import AreaFactory


def in_days(days, hour=10):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    area = factory.SubFactory(AreaFactory)
    title = factory.Sequence(lambda n: f"エリアミーティング{n}")


class MeetingFactory(factory.django.DjangoModelFactory):
    """An open meeting in a week, registration open now."""

    class Meta:
        model = Meeting

    area = factory.SubFactory(AreaFactory)
    title = factory.Sequence(lambda n: f"ミーティング{n}")
    kind = Meeting.Kind.AREA_MEETING
    starts_at = factory.LazyFunction(lambda: in_days(7, 10))
    ends_at = factory.LazyFunction(lambda: in_days(7, 12))
    registration_opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=7)
    )
    registration_closes_at = factory.LazyFunction(lambda: in_days(6, 17))
    venue_name = "地区センター"
    venue_address = "架空市桜ヶ丘1-1-1"
    capacity = 10
    status = Meeting.Status.OPEN


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    name = factory.Sequence(lambda n: f"参加者{n}")
    name_kana = factory.Sequence(lambda n: f"サンカシャ{n}")
    email = factory.Sequence(lambda n: f"p{n}@example.jp")
    party_size = 1
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
