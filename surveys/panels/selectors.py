"""Reads of panel selections, filtered by the permission rules, and the
tables the result page shows (built from the stored result only)."""

from portal.permissions import visible

from .models import PanelSelection


def selections(user):
    return visible(
        user,
        "surveys.view_panel",
        PanelSelection.objects.select_related("area", "created_by"),
    )


def verifications_of(selection):
    return selection.verifications.select_related("created_by")


def _people(selection):
    """{id: {"id", "features": [values], "probability"}} in file order."""
    id_at = selection.id_index()
    at = [selection.columns.index(f) for f in selection.features]
    return {
        row[id_at]: {
            "id": row[id_at],
            "features": [(f, row[i]) for f, i in zip(selection.features, at, strict=True)],
            "probability": selection.probabilities.get(row[id_at]),
        }
        for row in selection.rows
    }


def result_tables(selection):
    """The panel (sorted by id), the reserves in calling order (numbered),
    everyone with their probability and outcome, and the quotas with target
    and achieved counts."""
    people = _people(selection)
    panel = [people[pid] for pid in selection.panel]
    reserves = [{**people[pid], "order": n} for n, pid in enumerate(selection.reserve_ids, start=1)]
    in_panel = set(selection.panel)
    reserve_order = {pid: n for n, pid in enumerate(selection.reserve_ids, start=1)}
    everyone = [
        {
            **person,
            "selected": pid in in_panel,
            "reserve": reserve_order.get(pid),
        }
        for pid, person in people.items()
    ]
    met = {(q["feature"], q["value"]): q for q in selection.quotas_met}
    quotas = []
    for quota in selection.quotas:
        achieved = met.get((quota["feature"], quota["value"]))
        quotas.append(
            {
                **quota,
                "selected": achieved["selected"] if achieved else None,
                "met": achieved["met"] if achieved else None,
            }
        )
    expected = sum(p for p in selection.probabilities.values())
    return {
        "panel": panel,
        "reserves": reserves,
        "everyone": everyone,
        "quotas": quotas,
        "expected_size": expected,
    }


def contacts(selection):
    """The panel and the reserves with their contact columns (coordinators only)."""
    id_at = selection.id_index()
    at = [selection.columns.index(c) for c in selection.contact_columns]
    rows = {
        row[id_at]: [(c, row[i]) for c, i in zip(selection.contact_columns, at, strict=True)]
        for row in selection.rows
    }
    panel = [{"id": pid, "contacts": rows[pid]} for pid in selection.panel]
    reserves = [
        {"id": pid, "order": n, "contacts": rows[pid]}
        for n, pid in enumerate(selection.reserve_ids, start=1)
    ]
    return panel, reserves
