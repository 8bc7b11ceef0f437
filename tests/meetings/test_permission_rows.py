"""Runs this app's permission rows until the project-wide table test collects them."""

import pytest

from tests.permission_table import ACTORS, build_world, client_for, request

from . import permission_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("row", permission_rows.ROWS, ids=lambda r: r.id)
def test_permission_row(row):
    world = build_world([permission_rows.build])
    failures = []
    for actor in ACTORS:
        response = request(client_for(world, actor), row, world)
        expected = row.status_for(actor)
        if response.status_code != expected:
            failures.append(f"{actor}: {response.status_code} != {expected}")
        elif expected == 302 and actor != "anonymous" and row.redirect_to:
            assert response["Location"].startswith(row.redirect_to), (actor, response["Location"])
    assert not failures, failures
