"""Goals and actions of an area's plan after they are made: corrected and
removed through the vision page, by the roles that may make them."""

import pytest
from django.test import Client

from areas.models import Action, Goal, Vision
from portal.models import AuditLogEntry, Role
from tests.factories import AreaFactory, local_issue

from .factories import at, meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    area = AreaFactory(code="KG", name="楓地域")
    vision = Vision.objects.create(
        area=area, title="楓のまち", text="…", first_year=2025, last_year=2029
    )
    first = Goal.objects.create(vision=vision, number=1, title="防災の備え")
    first.issues.set([local_issue(1)])
    second = Goal.objects.create(vision=vision, number=2, title="子育ての支え合い")
    drill = Action.objects.create(goal=first, title="防災訓練", owner_kind="city")
    held = meeting(area, at(2025, 6, 1))
    drill.meetings.set([held])
    patrol = Action.objects.create(goal=first, title="夜間パトロール", owner_kind="city")
    return {
        "area": area,
        "vision": vision,
        "first": first,
        "second": second,
        "drill": drill,
        "patrol": patrol,
        "meeting": held,
    }


def test_a_coordinator_corrects_a_goal_from_the_vision_page(client_as, plan):
    client = client_as(Role.COORDINATOR)
    page = client.get(f"/areas/vision/{plan['area'].code}/").content.decode()
    url = f"/areas/vision/goals/{plan['first'].pk}/edit/"
    assert url in page
    form = client.get(url)
    assert form.status_code == 200
    assert "防災の備え" in form.content.decode()
    response = client.post(
        url,
        {
            "number": 3,
            "title": "防災と減災の備え",
            "description": "訓練と備蓄",
            "issues": [local_issue(1).pk, local_issue(2).pk],
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/areas/vision/KG/#goal-{plan['first'].pk}")
    plan["first"].refresh_from_db()
    assert (plan["first"].number, plan["first"].title) == (3, "防災と減災の備え")
    assert sorted(i.number for i in plan["first"].issues.all()) == [1, 2]
    entry = AuditLogEntry.objects.get(action="areas.goal.updated")
    assert entry.actor_role == Role.COORDINATOR
    assert entry.data["changes"] == {
        "number": {"old": 1, "new": 3},
        "title": {"old": "防災の備え", "new": "防災と減災の備え"},
        "description": {"old": "", "new": "訓練と備蓄"},
        "issues": {"old": [1], "new": [1, 2]},
    }
    assert "防災と減災の備え" in Client().get("/areas/vision/KG/").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": 2, "title": "重複"}, "同じ番号の目標があります"),
        ({"number": 0, "title": "零"}, "1 以上"),
        ({"number": "一", "title": "漢数字"}, "整数を入力してください"),
        ({"number": 1, "title": ""}, "このフィールドは必須です"),
        ({"number": 1, "title": "長" * 201}, "200 文字以下"),
        ({"number": 1, "title": "課題", "issues": ["999"]}, "正しく選択してください"),
    ],
)
def test_bad_goal_corrections_are_refused_in_japanese(client_as, plan, data, message):
    client = client_as(Role.COORDINATOR)
    response = client.post(f"/areas/vision/goals/{plan['first'].pk}/edit/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    plan["first"].refresh_from_db()
    assert (plan["first"].number, plan["first"].title) == (1, "防災の備え")
    assert not AuditLogEntry.objects.filter(action="areas.goal.updated").exists()


def test_deleting_a_goal_asks_first_and_lists_its_actions(client_as, plan):
    client = client_as(Role.ADMINISTRATOR)
    url = f"/areas/vision/goals/{plan['first'].pk}/delete/"
    assert url in client.get("/areas/vision/KG/").content.decode()
    confirm = client.get(url)
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert "防災訓練" in page and "夜間パトロール" in page and "元に戻せません" in page
    assert Goal.objects.filter(pk=plan["first"].pk).exists()  # nothing yet

    done = client.post(url, follow=True)
    assert "目標1「防災の備え」を削除しました" in done.content.decode()
    assert not Goal.objects.filter(pk=plan["first"].pk).exists()
    assert not Action.objects.filter(goal_id=plan["first"].pk).exists()
    plan["meeting"].refresh_from_db()  # linked records stay
    entry = AuditLogEntry.objects.get(action="areas.goal.deleted")
    assert entry.kind == AuditLogEntry.Kind.DELETE
    assert sorted(entry.data["actions"]) == sorted([plan["drill"].pk, plan["patrol"].pk])
    # A second post (another tab) finds it gone.
    assert client.post(url).status_code == 404


def test_deleting_an_action_keeps_its_meeting(client_as, plan):
    client = client_as(Role.COORDINATOR)
    url = f"/areas/vision/actions/{plan['drill'].pk}/delete/"
    assert url in client.get("/areas/vision/KG/").content.decode()
    assert "結び付けたミーティング" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert not Action.objects.filter(pk=plan["drill"].pk).exists()
    assert Action.objects.filter(pk=plan["patrol"].pk).exists()
    plan["meeting"].refresh_from_db()
    assert AuditLogEntry.objects.get(action="areas.plan_action.deleted").data["title"] == "防災訓練"


@pytest.mark.parametrize("role", [Role.LIAISON_OFFICER, Role.REVIEWER, Role.RESIDENT])
def test_roles_that_cannot_make_goals_cannot_change_or_delete_them(client_as, plan, role):
    client = client_as(role)
    page = client.get("/areas/vision/KG/").content.decode()
    assert f"/areas/vision/goals/{plan['first'].pk}/edit/" not in page
    assert f"/areas/vision/goals/{plan['first'].pk}/delete/" not in page
    for url in (
        f"/areas/vision/goals/{plan['first'].pk}/edit/",
        f"/areas/vision/goals/{plan['first'].pk}/delete/",
        f"/areas/vision/actions/{plan['drill'].pk}/delete/",
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, {"number": 1, "title": "x"}).status_code == 403
    assert Goal.objects.filter(pk=plan["first"].pk, title="防災の備え").exists()
    assert Action.objects.filter(pk=plan["drill"].pk).exists()
    assert Client().post(f"/areas/vision/goals/{plan['first'].pk}/delete/").status_code == 302
    assert Goal.objects.filter(pk=plan["first"].pk).exists()
