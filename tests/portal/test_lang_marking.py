"""Japanese data on English pages is marked lang="ja" (WCAG 3.1.2); Japanese
pages stay as they were."""

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from meetings.models import Meeting
from portal.audit import Actor
from portal.models import Role
from surveys.models import Register, Resident
from surveys.questionnaires.models import Survey
from surveys.services.draws import draw_sample
from tests.factories import (
    AreaFactory,
    DistrictFactory,
    OrganisationFactory,
    UserFactory,
    represent,
)
from tests.grants.factories import application, proposal_programme
from tests.liaisons.factories import SupportRequestFactory
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


def _switch_to_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.fixture
def staff_world(area):
    """One record of each kind the main staff pages list, in the 欅 area."""
    organisation = area.organisations.get(name="欅自治会")
    request = SupportRequestFactory(area=area, organisation=organisation, title="夏祭りの手伝い")
    applicant = UserFactory()
    represent(applicant, organisation)
    grant = application(
        programme=proposal_programme(),
        organisation=organisation,
        applicant=applicant,
        status="submitted",
    )
    meeting = MeetingFactory(area=area, title="欅のまちを語る会", status=Meeting.Status.OPEN)
    register = Register.objects.create(
        reference_date=date(2026, 10, 1), purpose="調査", legal_basis="審議会の承認", row_count=1
    )
    Resident.objects.create(
        register=register,
        line=2,
        resident_number="LJ1",
        name="欅 太郎",
        birth_date=date(1970, 1, 1),
        sex="1",
        postal_code="206-0011",
        address="架空市欅町1番1号",
        district=area.districts.get(),
    )
    draw = draw_sample(
        register=register,
        size=1,
        seed="langja",
        title="欅の住民調査",
        purpose="まちづくりの意見を聞くため",
        legal_basis="審議会の承認",
        by=Actor.for_system("tests"),
    )
    Survey.objects.create(code="LJ", title="欅の暮らしの調査", is_imported=True)
    return {"request": request, "grant": grant, "meeting": meeting, "draw": draw}


def staff_pages(world):
    """(URL, what the page must show marked) for the main staff list/detail pages."""
    return [
        (reverse("portal:dashboard"), ['<span lang="ja">欅地域</span>']),
        (
            reverse("liaisons:requests"),
            ['<span lang="ja">夏祭りの手伝い</span>', '<span lang="ja">欅自治会</span>'],
        ),
        (
            world["request"].get_absolute_url(),
            ['<h1><span lang="ja">夏祭りの手伝い</span>', '<dd><span lang="ja">欅地域</span></dd>'],
        ),
        (
            reverse("grants:programme_applications", args=[world["grant"].programme.pk]),
            ['<span lang="ja">防災マップづくり</span>', '<span lang="ja">欅自治会</span>'],
        ),
        (
            world["grant"].get_absolute_url(),
            ['<dd><span lang="ja">欅自治会</span></dd>', '<p lang="ja">地域の危険箇所'],
        ),
        (reverse("surveys:draws"), ['<span lang="ja">欅の住民調査</span>']),
        (
            world["draw"].get_absolute_url(),
            ['<h1><span lang="ja">欅の住民調査</span></h1>', '<dd lang="ja">まちづくりの意見'],
        ),
        (reverse("surveys:surveys"), ['<span lang="ja">欅の暮らしの調査</span>']),
        (
            reverse("meetings:staff_list"),
            ['<span lang="ja">欅のまちを語る会</span>', '<td data-label="Area"><span lang="ja">'],
        ),
    ]


def test_staff_pages_mark_japanese_data_in_english_only(client_as, staff_world):
    client = _switch_to_english(client_as(Role.COORDINATOR))
    for url, marked in staff_pages(staff_world):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        for snippet in marked:
            assert snippet in page, (url, snippet)
        assert "<title><span" not in page and '="<span' not in page, url
        assert "&lt;span" not in page, url  # never escaped twice

    japanese = Client()
    japanese.force_login(client.user)
    for url, _marked in staff_pages(staff_world):
        page = japanese.get(url).content.decode()
        marked = set(re.findall(r'<(\w+)[^>]* lang="ja"', page))
        assert marked == {"html", "option"}, url  # the page and the language switcher
