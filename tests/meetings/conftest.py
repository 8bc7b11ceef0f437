import pytest

from portal.audit import Actor
from portal.models import Role
from tests.factories import UserFactory


@pytest.fixture
def coordinator(db):
    return UserFactory(role=Role.COORDINATOR)


@pytest.fixture
def by_coordinator(coordinator):
    return Actor.for_user(coordinator, Role.COORDINATOR)


@pytest.fixture
def resident(db):
    return UserFactory(full_name="多摩 花子", full_name_kana="タマ ハナコ")
