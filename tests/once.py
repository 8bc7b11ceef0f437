"""Data built once for all the tests of a module.

Building a world (the permission table's, the demo city) is most of what
some tests cost, and their tests only read it or write inside a savepoint
that is rolled back. `module_data(build)` returns a module-scoped fixture
whose value is what `build()` returns: it runs in an outer transaction that
pytest-django's per-test transaction nests in as a savepoint, and that is
rolled back when the module's tests are done, so nothing leaks into the
next module. Tests with `transaction=True` cannot use it (they flush the
database).
"""

import pytest
from django.db import transaction
from django.test import override_settings

# What tests/conftest.py sets for every test, which the module's data is
# built before.
TEST_SETTINGS = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "REQUIRE_STAFF_MFA": False,
    "AUDIT_REFUSE_UNREGISTERED_ACTIONS": True,
}


def module_data(build):
    @pytest.fixture(scope="module")
    def data(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), override_settings(**TEST_SETTINGS):
            outer = transaction.atomic()
            # Marked as Django's TestCase marks its own class-wide block, so
            # that durable service transactions may run inside it.
            outer._from_testcase = True
            outer.__enter__()
            try:
                yield build()
            finally:
                transaction.set_rollback(True)
                outer.__exit__(None, None, None)

    return data
