"""The surveys rows of the permission table, checked here too."""

import pytest

from tests.permission_table import ACTORS, build_world, client_for, request

from . import permission_rows

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("row", permission_rows.ROWS, ids=lambda row: row.id)
def test_permission_row(row):
    world = build_world([permission_rows.build])
    for actor in ACTORS:
        response = request(client_for(world, actor), row, world)
        assert response.status_code == row.status_for(actor), (actor, response.status_code)
        if response.status_code == 302 and actor == "anonymous":
            assert "/accounts/login/" in response.url
        elif response.status_code == 302:
            assert response.url.startswith(row.redirect_to), response.url
