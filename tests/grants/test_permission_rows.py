"""The grants rows of the permission table, run here on the app's own world."""

import pytest

from tests.permission_table import ACTORS, build_world, client_for, request

from . import permission_rows

pytestmark = pytest.mark.django_db


def test_every_grants_url_has_a_row():
    from grants.urls import urlpatterns

    patterns = {f"grants:{p.name}" for p in urlpatterns}
    assert patterns == {row.url_name for row in permission_rows.ROWS}


@pytest.mark.parametrize("row", permission_rows.ROWS, ids=lambda row: row.id)
def test_row(row):
    world = build_world([permission_rows.build])
    failures = []
    for actor in ACTORS:
        response = request(client_for(world, actor), row, world)
        expected = row.status_for(actor)
        if response.status_code != expected:
            failures.append(f"{actor}: {response.status_code} != {expected}")
        elif (
            expected == 302
            and actor != "anonymous"
            and row.redirect_to
            and not response["Location"].startswith(row.redirect_to)
        ):
            failures.append(f"{actor}: redirected to {response['Location']}")
    assert not failures, failures
