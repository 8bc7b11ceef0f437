"""The stakeholder directory (Japanese substring search, offers edited by
representatives) and the vision and action plan."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from areas.models import Action, Offer, Vision
from liaisons.models import SupportRequest
from portal.models import AuditLogEntry, Role, StateChange
from tests.factories import AreaFactory, OrganisationFactory, UserFactory, local_issue, represent

from .factories import at, meeting, offer, support_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    return AreaFactory(code="KA", name="桜地域")


@pytest.fixture
def groups(area):
    other = AreaFactory(code="KB", name="梅地域")
    bousai = OrganisationFactory(
        name="桜ヶ丘防災会", areas=[area], description="地域の防災訓練と見守り活動をしています。"
    )
    kosodate = OrganisationFactory(name="子育てひろば桜", areas=[area], kind="npo")
    university = OrganisationFactory(
        name="架空大学地域連携センター", areas=[other], kind="university"
    )
    offer(kosodate, "集会室の貸出", kind=Offer.Kind.PLACE)
    offer(
        university,
        "学生ボランティア",
        description="避難所運営訓練に学生を派遣します",
        issues=[local_issue(1)],
    )
    hidden = OrganisationFactory(name="未承認の防災クラブ", areas=[area], approved_at=None)
    return {"bousai": bousai, "kosodate": kosodate, "university": university, "hidden": hidden}


def _names(response):
    return [o.name for o in response.context["organisations"]]


def test_a_resident_finds_groups_working_on_disaster_prevention(client, groups):
    found = _names(client.get("/areas/directory/", {"q": "防災"}))
    # Inside a longer word, in the description, not the unapproved group.
    assert "桜ヶ丘防災会" in found
    assert "未承認の防災クラブ" not in found
    assert "子育てひろば桜" not in found
    # Matched through an offer's description (避難所運営訓練) and issue.
    assert _names(client.get("/areas/directory/", {"q": "避難所"})) == ["架空大学地域連携センター"]
    assert _names(client.get("/areas/directory/", {"q": "防災 見守り"})) == ["桜ヶ丘防災会"]
    # Full-width letters fold: "ＮＰＯ" finds nothing wrong, ordinary filters work.
    assert _names(client.get("/areas/directory/", {"area": "KA", "kind": "place"})) == [
        "子育てひろば桜"
    ]
    by_issue = _names(client.get("/areas/directory/", {"issue": local_issue(1).number}))
    assert by_issue == ["架空大学地域連携センター"]
    page = client.get("/areas/directory/", {"q": "防災"}).content.decode()
    assert "桜ヶ丘防災会" in page and "件の団体" in page


def test_directory_costs_the_same_queries_as_groups_grow(
    client, area, groups, django_assert_max_num_queries
):
    client.get("/areas/directory/", {"area": "KA"})
    with CaptureQueriesContext(connection) as small:
        client.get("/areas/directory/", {"area": "KA"})
    for n in range(6):
        organisation = OrganisationFactory(name=f"防災グループ{n}", areas=[area])
        offer(organisation, f"発電機{n}", kind=Offer.Kind.EQUIPMENT, issues=[local_issue(2)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get("/areas/directory/", {"area": "KA"})
    assert len(response.context["organisations"]) == 8


def test_representatives_edit_their_organisations_offers_only(groups):
    chair = UserFactory()
    represent(chair, groups["bousai"])
    client = Client()
    client.force_login(chair)
    url = f"/areas/directory/organisations/{groups['bousai'].pk}/offers/"
    response = client.post(
        url,
        {
            "kind": "equipment",
            "title": "可搬型発電機",
            "issues": [local_issue(2).pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    made = Offer.objects.get(title="可搬型発電機")
    assert made.organisation == groups["bousai"] and "発電機" in made.search_text
    assert AuditLogEntry.objects.filter(action="areas.offer.created").exists()
    others = f"/areas/directory/organisations/{groups['kosodate'].pk}/offers/"
    assert client.get(others).status_code == 403
    their_offer = groups["kosodate"].offers.get()
    assert client.get(f"/areas/directory/offers/{their_offer.pk}/edit/").status_code == 404
    client.post(
        f"/areas/directory/offers/{made.pk}/edit/",
        {"kind": "equipment", "title": "発電機（2台）", "is_active": ""},
    )
    made.refresh_from_db()
    assert made.title == "発電機（2台）" and not made.is_active
    client.post(f"/areas/directory/offers/{made.pk}/delete/")
    assert not Offer.objects.filter(pk=made.pk).exists()


def test_coordinator_builds_a_vision_with_goals_and_actions(client_as, area, groups):
    client = client_as(Role.COORDINATOR)
    response = client.post(
        f"/areas/vision/{area.code}/edit/",
        {
            "title": "みんなで守る桜のまち",
            "text": "災害に強く、誰もが顔見知りの地域",
            "first_year": 2025,
            "last_year": 2029,
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    vision = Vision.objects.get(area=area)
    client.post(
        f"/areas/vision/plans/{vision.pk}/goals/new/",
        {"number": 1, "title": "防災の備え", "issues": [local_issue(1).pk]},
    )
    goal = vision.goals.get()
    held = meeting(area, at(2025, 6, 1))
    request = support_request(area, groups["bousai"], "D", at(2025, 6, 2))
    other_request = SupportRequest.objects.create(
        area=AreaFactory(code="KC"),
        organisation=groups["university"],
        tier="A",
        title="x",
        description="x",
    )
    bad = client.post(
        f"/areas/vision/goals/{goal.pk}/actions/new/",
        {"title": "防災訓練", "owner_kind": "organisation", "support_requests": [other_request.pk]},
    )
    assert bad.status_code == 400
    response = client.post(
        f"/areas/vision/goals/{goal.pk}/actions/new/",
        {
            "title": "防災訓練",
            "owner_kind": "joint",
            "owner_organisation": groups["bousai"].pk,
            "owner_department": "危機管理課",
            "starts_on": "2025-09-01",
            "ends_on": "2025-09-01",
            "meetings": [held.pk],
            "support_requests": [request.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action = Action.objects.get()
    assert list(action.meetings.all()) == [held]
    assert action.owner_label == "桜ヶ丘防災会・危機管理課"
    client.post(f"/areas/vision/actions/{action.pk}/status/", {"to": "in_progress"})
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert StateChange.objects.filter(to_state="in_progress").exists()
    # Not allowed: planned → done skipping work (now in_progress → planned).
    client.post(f"/areas/vision/actions/{action.pk}/status/", {"to": "planned"})
    action.refresh_from_db()
    assert action.status == "in_progress"

    public = Client().get(f"/areas/vision/{area.code}/").content.decode()
    assert "みんなで守る桜のまち" in public and "防災訓練" in public
    assert held.title in public
    assert f"支援依頼 #{request.pk}" not in public and "地域担当職員の支援 1件" in public


def test_unpublished_vision_is_hidden_from_residents(client_as, area):
    Vision.objects.create(
        area=area,
        title="下書きのビジョン",
        text="…",
        first_year=2025,
        last_year=2026,
        is_published=False,
    )
    assert (
        "下書きのビジョン"
        not in client_as(Role.RESIDENT).get(f"/areas/vision/{area.code}/").content.decode()
    )
    assert (
        "下書きのビジョン"
        in client_as(Role.COORDINATOR).get(f"/areas/vision/{area.code}/").content.decode()
    )
