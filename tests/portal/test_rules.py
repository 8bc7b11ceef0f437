"""Every rule's two answers agree: `check(user, obj)` says yes exactly for
the rows `filter(user, ...)` keeps, for every person and every sample object.

The samples are the permission table's world (every app's `build(world)`
adds its objects, so rules of apps added later are checked on their own
objects without a change here) plus people at the edges: an inactive
administrator, someone whose period as a representative has not begun, and
one whose application is still waiting.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from areas.models import Representation
from portal.permissions import RULES
from tests.factories import UserFactory, represent
from tests.permission_table import module_world

MODEL_RULES = sorted(name for name, rule in RULES.items() if rule.model is not None)
world = module_world()


def _people(world):
    today = timezone.localdate()
    people = {"anonymous": AnonymousUser(), **world.users}
    people["inactive_administrator"] = UserFactory(role="administrator", is_active=False)
    people["future_representative"] = UserFactory()
    represent(
        people["future_representative"],
        world["organisation"],
        since=today + datetime.timedelta(days=1),
    )
    people["applicant"] = UserFactory()
    Representation.objects.create(
        user=people["applicant"],
        organisation=world["organisation"],
        position=Representation.Position.CONTACT,
        valid_from=today,
    )
    return people


def _samples(world, model):
    """The world's objects of `model` and every row of it in the database
    (objects builders made along the way, such as representations)."""
    objects = {obj.pk: obj for obj in world.objects.values() if isinstance(obj, model)}
    for obj in model._default_manager.all():
        objects.setdefault(obj.pk, obj)
    return list(objects.values())


def test_there_are_rules_with_a_model():
    assert "areas.edit_organisation" in MODEL_RULES
    assert "portal.view_job" in MODEL_RULES


@pytest.mark.django_db
@pytest.mark.parametrize("name", MODEL_RULES)
def test_check_and_filter_agree(name, world):
    rule = RULES[name]
    people = _people(world)
    samples = _samples(world, rule.model)
    assert samples, f"the world has no {rule.model.__name__} for {name}"
    disagreements = []
    for person, user in people.items():
        if user.is_authenticated:
            user.forget_roles()
        rows = set(
            rule.filter(user, rule.model._default_manager.all()).values_list("pk", flat=True)
        )
        for obj in samples:
            allowed = rule.check(user, obj).allowed
            if allowed != (obj.pk in rows):
                disagreements.append(
                    f"{person} × {rule.model.__name__} #{obj.pk} ({obj}): "
                    f"check says {allowed}, filter says {obj.pk in rows}"
                )
    assert not disagreements, f"{name}:\n  " + "\n  ".join(disagreements)


@pytest.mark.django_db
def test_a_period_that_ended_yesterday_ends_the_access(client, world):
    """Someone who represented an organisation until yesterday (and nothing
    else) is a resident again: no edit, no contacts, by rule and by page."""
    from portal.permissions import may, visible

    former = UserFactory(email="former@example.jp")
    organisation = world["organisation"]
    today = timezone.localdate()
    represent(
        former,
        organisation,
        since=today - datetime.timedelta(days=365),
        until=today - datetime.timedelta(days=1),
    )
    assert not may(former, "areas.edit_organisation")
    assert not may(former, "areas.edit_organisation", organisation)
    assert not may(former, "areas.view_organisation_contacts", organisation)
    assert not visible(former, "areas.edit_organisation", type(organisation).objects.all())
    client.force_login(former)
    assert client.get(f"/areas/organisations/{organisation.pk}/edit/").status_code == 403
    page = client.get(f"/areas/organisations/{organisation.pk}/").content.decode()
    assert organisation.contact_email not in page
