"""Walk this app's rows of the permission table: every actor, every URL."""

import pytest

from tests.liaisons import permission_rows
from tests.permission_table import ACTORS, build_world, client_for, request

pytestmark = pytest.mark.django_db


def test_every_url_of_the_app_has_a_row():
    from liaisons import urls

    names = {f"liaisons:{p.name}" for p in urls.urlpatterns}
    assert names == {row.url_name for row in permission_rows.ROWS}


@pytest.mark.parametrize("row", permission_rows.ROWS, ids=lambda r: r.id)
def test_permission_row(row, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    world = build_world([permission_rows.build])
    failures = []
    for actor in ACTORS:
        response = request(client_for(world, actor), row, world)
        expected = row.status_for(actor)
        if response.status_code != expected:
            failures.append(f"{actor}: {response.status_code} (expected {expected})")
            continue
        if expected == 302 and actor != "anonymous" and row.redirect_to:
            target = row.redirect_to(world) if callable(row.redirect_to) else row.redirect_to
            if not response["Location"].startswith(target):
                failures.append(f"{actor}: redirected to {response['Location']}")
        elif expected == 302 and actor == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
    assert not failures, failures
