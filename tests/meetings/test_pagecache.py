"""The public meeting pages come from the shared cache for visitors who are
not signed in, and show every change at once."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import Role

from .factories import MeetingFactory

pytestmark = pytest.mark.django_db


def seats_left(page):
    return re.search(r"残り(\d+)席", page).group(1)


def test_an_anonymous_visitor_gets_the_list_from_the_cache(django_assert_num_queries):
    MeetingFactory(title="桜ヶ丘エリアミーティング", capacity=10)
    visitor = Client()
    first = visitor.get(reverse("meetings:list"))
    assert "桜ヶ丘エリアミーティング" in first.content.decode()
    with django_assert_num_queries(0):
        again = Client().get(reverse("meetings:list"))
    assert again.status_code == 200
    assert "桜ヶ丘エリアミーティング" in again.content.decode()


def test_a_registration_and_an_edit_show_at_once(client_as, django_capture_on_commit_callbacks):
    meeting = MeetingFactory(title="桜ヶ丘エリアミーティング", capacity=10)
    list_url, detail_url = reverse("meetings:list"), reverse("meetings:detail", args=[meeting.pk])
    assert seats_left(Client().get(list_url).content.decode()) == "10"
    Client().get(detail_url)
    resident = client_as(Role.RESIDENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = resident.post(
            reverse("meetings:register", kwargs={"pk": meeting.pk}),
            {
                "name": "多摩 花子",
                "name_kana": "たま はなこ",
                "email": "h@example.jp",
                "party_size": 2,
            },
        )
    assert response.status_code == 302
    assert seats_left(Client().get(list_url).content.decode()) == "8"
    meeting.title = "桜ヶ丘エリアミーティング（会場変更）"
    meeting.save()
    assert "会場変更" in Client().get(detail_url).content.decode()


def test_signed_in_visitors_are_never_served_a_cached_page(client_as):
    MeetingFactory()
    Client().get(reverse("meetings:list"))
    resident = client_as(Role.RESIDENT)
    page = resident.get(reverse("meetings:list")).content.decode()
    # Only a signed-in resident's own page links to their registrations.
    assert reverse("meetings:mine") in page


def test_each_visitor_gets_their_own_csrf_token_on_a_cached_page():
    MeetingFactory()
    Client().get(reverse("meetings:list"))
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(reverse("meetings:list")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert "\x00" not in page
    response = visitor.post(
        reverse("set_language"),
        {"language": "en", "next": reverse("meetings:list"), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    english = visitor.get(reverse("meetings:list")).content.decode()
    assert 'lang="en"' in english
