"""Runs this module's permission rows (the project's table runner collects
them too once /opendata/ is wired in portal/urls.py)."""

from pathlib import Path

import pytest

from tests.permission_table import ACTORS, build_world, client_for, request

from . import permission_rows

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.areas.news.urls_with_opendata")]


# The project's table runner, once it exists, runs these rows itself.
PROJECT_RUNNER = Path(__file__).resolve().parents[2] / "test_permission_table.py"


@pytest.mark.skipif(PROJECT_RUNNER.exists(), reason="run by tests/test_permission_table.py")
@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("row", permission_rows.ROWS, ids=lambda row: row.id)
def test_permission_row(row, actor):
    world = build_world([permission_rows.build])
    response = request(client_for(world, actor), row, world)
    assert response.status_code == row.status_for(actor)
    if response.status_code == 302:
        location = response["Location"]
        if actor == "anonymous" or row.redirect_to is None:
            assert location.startswith("/accounts/login/"), location
        else:
            assert location.startswith(row.redirect_to), location


def test_every_news_and_opendata_url_has_a_row():
    from django.urls import get_resolver

    names = set()
    for pattern in get_resolver("tests.areas.news.urls_with_opendata").url_patterns:
        if getattr(pattern, "namespace", None) == "areas":
            for inner in pattern.url_patterns:
                if getattr(inner, "namespace", None) == "news":
                    names |= {f"areas:news:{p.name}" for p in inner.url_patterns}
        if getattr(pattern, "namespace", None) == "opendata":
            names |= {f"opendata:{p.name}" for p in pattern.url_patterns}
    assert names == {row.url_name for row in permission_rows.ROWS}
