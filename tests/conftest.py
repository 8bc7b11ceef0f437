import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from portal.models import Role

from .factories import UserFactory


def pytest_configure(config):
    if os.environ.get("CI", "").lower() == "true" and not django_settings.USING_POSTGRESQL:
        pytest.exit("CI=true: the tests must run on PostgreSQL (set DATABASE_URL).", returncode=2)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # MFA enforcement has its own tests; elsewhere staff sign in without TOTP.
    settings.REQUIRE_STAFF_MFA = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _japanese_first():
    # A request in English leaves English active in this thread; services
    # called directly by the next test must speak Japanese as in production.
    translation.activate("ja")
    yield
    translation.activate("ja")


@pytest.fixture(autouse=True)
def _celery_join_flag():
    # Celery keeps "a task is running here" in one process-wide flag that
    # inline tasks set and restore; two threads running inline tasks at once
    # (the concurrency tests) can leave it set for the tests after them.
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
    yield
    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _clear_cache():
    # allauth keeps its rate-limit counters in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user_with_role(db):
    def make(role, **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_as(client, user_with_role):
    """A test client signed in with a new user holding `role`."""

    def sign_in(role, **kwargs):
        user = user_with_role(role, **kwargs)
        client.force_login(user)
        client.user = user
        return client

    return sign_in


@pytest.fixture
def administrator_client(client_as):
    return client_as(Role.ADMINISTRATOR)


@pytest.fixture
def resident_client(client_as):
    return client_as(Role.RESIDENT)
