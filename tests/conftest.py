import os

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation

from portal.models import Role

from .factories import UserFactory
from .once import TEST_SETTINGS


def pytest_configure(config):
    if os.environ.get("CI", "").lower() == "true" and not django_settings.USING_POSTGRESQL:
        pytest.exit("CI=true: the tests must run on PostgreSQL (set DATABASE_URL).", returncode=2)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Fast hashing, mail kept in memory; MFA enforcement has its own tests,
    # elsewhere staff sign in without TOTP.
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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


@pytest.fixture
def migrated_sqlite(tmp_path, tmp_path_factory):
    """A path to a fresh copy of an embedded (SQLite) database with every
    migration applied, for tests that start the portal in a subprocess on
    the embedded default. Migrating SQLite costs about ten seconds of CPU,
    so it is done once for the whole run (xdist's workers share the
    folder above their own and take turns through a lock) and copied."""
    import fcntl
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    shared = tmp_path_factory.getbasetemp().parent
    template = shared / "migrated-template.sqlite3"
    with open(shared / "migrated-template.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = shared / "migrated-template.building.sqlite3"
            building.unlink(missing_ok=True)
            keep = ("PATH", "HOME", "LANG", "SSL_CERT_FILE")
            subprocess.run(
                [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
                cwd=Path(__file__).resolve().parents[1],
                env={
                    **{k: v for k, v in os.environ.items() if k in keep},
                    "DJANGO_SETTINGS_MODULE": "portal.settings",
                    "SQLITE_PATH": str(building),
                },
                check=True,
                timeout=600,
            )
            building.rename(template)
    copy = tmp_path / "portal.sqlite3"
    shutil.copyfile(template, copy)
    return copy
