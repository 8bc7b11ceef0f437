"""The permission table (tests/permission_table.py): every row requested as
every actor, and every URL pattern of the project covered by a row."""

from collections import Counter

import pytest

from tests.permission_table import (
    ACTORS,
    all_rows,
    check_row,
    module_world,
    project_url_names,
)

ROWS = all_rows()
world = module_world()


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_row(row, world):
    problems = check_row(row, world)
    assert not problems, f"{row.id}:\n  " + "\n  ".join(problems)


def test_every_url_pattern_has_a_row():
    covered = {row.url_name for row in ROWS}
    missing = sorted(set(project_url_names()) - covered)
    assert not missing, "URL patterns without a row in the permission table: " + ", ".join(missing)


def test_rows_are_well_formed():
    problems = []
    for row, count in Counter(row.id for row in ROWS).items():
        if count > 1:
            problems.append(f"{row}: {count} rows share this id (give them a `note`)")
    known = set(project_url_names())
    for row in ROWS:
        if row.url_name not in known:
            problems.append(f"{row.id}: no such URL pattern")
        unknown = (set(row.expect) | set(row.revealed_to)) - set(ACTORS)
        if unknown:
            problems.append(f"{row.id}: unknown actors {sorted(unknown)}")
        if row.default is None and set(row.expect) != set(ACTORS):
            problems.append(
                f"{row.id}: no default and no status for {sorted(set(ACTORS) - set(row.expect))}"
            )
        if row.method not in ("get", "post"):
            problems.append(f"{row.id}: method {row.method!r}")
    assert not problems, "\n".join(problems)
