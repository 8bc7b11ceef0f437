"""Panel selections: start one (pool and proposed quotas), set its quotas
(checked at once: a quota that cannot be met is named on the form), run it,
and run it again to verify that the same panel comes out.

Every run calls `surveys.sortition.select` with the stored inputs only (the
pool's rows, the quotas, size, algorithm, seed), so a verification in any
process, or `manage.py select_panel` on the exported files, gives the same
panel.
"""

import os
import secrets
import socket
from types import SimpleNamespace

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, locking
from portal.errors import ServiceError
from surveys.sortition.io import PeopleFile, selection_files
from surveys.sortition.quotas import (
    InfeasibleQuotas,
    Pool,
    PoolError,
    check_simple,
    key,
    relaxation_messages,
)

from . import pools, proposals
from .models import PanelSelection, PanelVerification

MAX_SIZE = 1000


class QuotasInfeasible(ServiceError):
    """No panel meets the quotas: `messages` name each quota at fault and
    `named` lists its (feature, value) pairs."""

    def __init__(self, messages, named=()):
        self.messages = list(messages)
        self.named = list(named)
        super().__init__(" ".join(self.messages), code="infeasible")


def new_seed():
    return secrets.randbelow(10**9)


def _check_inputs(*, size, reserves, algorithm, pool_size):
    if algorithm not in PanelSelection.Algorithm.values:
        raise ServiceError(_("方式を選んでください。"))
    if not 1 <= size <= MAX_SIZE:
        raise ServiceError(_("パネルの人数は1〜%(max)d人にしてください。") % {"max": MAX_SIZE})
    if size > pool_size:
        raise ServiceError(
            _("候補者が%(pool)d人しかいないため、%(size)d人のパネルは選べません。")
            % {"pool": pool_size, "size": size}
        )
    if reserves < 0 or size + reserves > pool_size:
        raise ServiceError(
            _("パネルと補欠の合計（%(total)d人）が候補者の数（%(pool)d人）を超えています。")
            % {"total": size + reserves, "pool": pool_size}
        )


def start_selection(
    *,
    title,
    area,
    source,
    size,
    reserves,
    algorithm,
    seed,
    margin,
    by,
    people_data=None,
    people_name="",
    features_data=None,
    id_column=None,
):
    """A draft selection with its pool stored and its quotas proposed.

    From files (`people_data`, optionally `features_data`): bad rows raise
    ImportRejected. From volunteers: the area's volunteers as they are now.
    """
    if source == PanelSelection.Source.VOLUNTEERS:
        if area is None:
            raise ServiceError(_("ボランティアから選ぶときは地域を選んでください。"))
        if not pools.volunteers_available():
            raise ServiceError(
                _("ボランティアの登録はまだ使えません。ファイルから選んでください。")
            )
        table = pools.from_volunteers(area, as_of=timezone.localdate())
    else:
        if not people_data:
            raise ServiceError(_("候補者ファイルを選んでください。"))
        table = pools.from_files(people_data, features_data=features_data, id_column=id_column)
    _check_inputs(size=size, reserves=reserves, algorithm=algorithm, pool_size=len(table.rows))
    if table.quotas:
        quotas = [
            {
                "feature": q.feature,
                "value": q.value,
                "min": q.min,
                "max": q.max,
                "target": None,
                "population": None,
                "pool": None,
            }
            for q in table.quotas
        ]
        values = table.values_by_feature()
        in_pool = {(f, key(v)): n for f, vs in values.items() for v, n in vs}
        for quota in quotas:
            column = next(
                (f for f in table.features if key(f) == key(quota["feature"])),
                None,
            )
            quota["pool"] = in_pool.get((column, key(quota["value"])), 0)
        note = _("割当は特徴量ファイルのとおりです。")
    else:
        quotas, note = proposals.propose(
            area=area, values_by_feature=table.values_by_feature(), size=size, margin=margin
        )
    selection = PanelSelection.objects.create(
        title=title,
        area=area,
        source=source,
        source_name=people_name[:255],
        columns=table.columns,
        rows=table.rows,
        id_column=table.id_column,
        features=table.features,
        contact_columns=table.contact_columns,
        quotas=quotas,
        margin=margin,
        population_note=note,
        size=size,
        reserves=reserves,
        algorithm=algorithm,
        seed=seed,
        created_by=by.user,
    )
    audit.record(
        by=by,
        action="surveys.panel_selection.created",
        target=selection,
        data={
            "source": source,
            "pool": len(table.rows),
            "features": len(table.features),
            "contact_columns": len(selection.contact_columns),
            "size": size,
            "reserves": reserves,
            "algorithm": algorithm,
            "seed": seed,
        },
    )
    return selection


def check_quotas(*, quotas, records, size):
    """Raise QuotasInfeasible (naming the quotas) unless some panel meets them all."""
    # highspy and numpy cost 0.2 s at start-up; only checking and running a selection need them.
    from surveys.sortition.highs import CompositionFinder

    try:
        pool = Pool(quotas, records)
        check_simple(pool, size)
        if CompositionFinder(pool, size).best([0.0] * len(pool.profiles)) is None:
            messages, named = relaxation_messages(pool, size)
            raise InfeasibleQuotas(messages, named)
    except InfeasibleQuotas as infeasible:
        raise QuotasInfeasible(infeasible.messages, infeasible.quotas) from None
    except PoolError as error:
        raise QuotasInfeasible(error.messages) from None


def set_quotas(*, selection, bounds, by):
    """Store the quotas' bounds ({(feature, value): (min, max)}) and queue
    the selection. Refused (nothing stored) when no panel can meet them."""
    quotas = []
    for quota in selection.quotas:
        low, high = bounds[(quota["feature"], quota["value"])]
        quotas.append({**quota, "min": int(low), "max": int(high)})
    check_quotas(
        quotas=[{k: q[k] for k in ("feature", "value", "min", "max")} for q in quotas],
        records=selection.records(),
        size=selection.size,
    )
    with locking.locked_one(PanelSelection, selection.pk) as locked:
        if locked.status not in (PanelSelection.Status.DRAFT, PanelSelection.Status.INFEASIBLE):
            raise ServiceError(_("この選出はすでに実行されています。"))
        old = {"quotas": locked.quotas, "status": locked.status}
        locked.quotas = quotas
        locked.status = PanelSelection.Status.QUEUED
        locked.problems = []
        locked.save(update_fields=["quotas", "status", "problems"])
        audit.record(
            by=by,
            action="surveys.panel_selection.quotas_set",
            target=locked,
            changes=audit.changes_between(
                old, {"quotas": quotas, "status": locked.status}, model=PanelSelection
            ),
        )
    return locked


def _run(selection, progress=None):
    # highspy and numpy cost 0.2 s at start-up; only running a selection needs them.
    from surveys.sortition import select

    return select(
        selection.quota_inputs(),
        selection.records(),
        size=selection.size,
        seed=selection.seed,
        algorithm=selection.algorithm,
        reserves=selection.reserves,
        progress=progress,
    )


def run_selection(*, selection, by, progress=None):
    """Select the panel from the stored inputs and store the result.

    Safe to run twice: a selection already done is left as it is. When the
    quotas cannot be met, the selection keeps the messages naming them and
    QuotasInfeasible is raised for the job page."""
    if selection.status == PanelSelection.Status.DONE:
        return selection
    try:
        result = _run(selection, progress)
    except (InfeasibleQuotas, PoolError) as error:
        named = getattr(error, "quotas", [])
        with locking.locked_one(PanelSelection, selection.pk) as locked:
            locked.status = PanelSelection.Status.INFEASIBLE
            locked.problems = list(error.messages)
            locked.save(update_fields=["status", "problems"])
            audit.record(
                by=by,
                action="surveys.panel_selection.infeasible",
                target=locked,
                data={"quotas": [f"{f}: {v}" for f, v in named]},
            )
        raise QuotasInfeasible(error.messages, named) from None
    with locking.locked_one(PanelSelection, selection.pk) as locked:
        if locked.status == PanelSelection.Status.DONE:
            return locked
        locked.panel = result.panel
        locked.reserve_ids = result.reserves
        locked.remaining = result.remaining
        locked.probabilities = {pid: round(p, 12) for pid, p in result.probabilities.items()}
        locked.quotas_met = result.quotas_met
        locked.solver_version = result.solver_version
        locked.lowest_probability = result.lowest_probability
        locked.panels_considered = result.panels_considered
        locked.seconds = result.seconds
        locked.status = PanelSelection.Status.DONE
        locked.problems = []
        locked.selected_at = timezone.now()
        locked.save()
        audit.record(
            by=by,
            action="surveys.panel_selection.selected",
            target=locked,
            data={
                "algorithm": result.algorithm,
                "seed": result.seed,
                "size": len(result.panel),
                "reserves": len(result.reserves),
                "pool": len(result.probabilities),
                "solver": result.solver_version,
                "lowest_probability": round(result.lowest_probability, 6),
                "quotas_met": result.all_quotas_met,
            },
        )
    return locked


def process_name():
    return f"{socket.gethostname()} pid {os.getpid()}"


def verify_selection(*, selection, by, progress=None):
    """Run the selection again from its stored inputs and record whether
    the same panel and reserves came out."""
    if selection.status != PanelSelection.Status.DONE:
        raise ServiceError(_("選出が終わっていないため、検証できません。"))
    try:
        result = _run(selection, progress)
    except (InfeasibleQuotas, PoolError) as error:
        raise ServiceError(" ".join(error.messages)) from None
    verification = PanelVerification.objects.create(
        selection=selection,
        same_panel=result.panel == selection.panel,
        same_reserves=result.reserves == selection.reserve_ids,
        panel=result.panel,
        solver_version=result.solver_version,
        process=process_name(),
        seconds=result.seconds,
        created_by=by.user,
    )
    audit.record(
        by=by,
        action="surveys.panel_selection.verified",
        target=selection,
        data={
            "verification": verification.pk,
            "same_panel": verification.same_panel,
            "same_reserves": verification.same_reserves,
            "solver": result.solver_version,
            "stored_solver": selection.solver_version,
            "process": verification.process,
        },
    )
    return verification


# --- Exports --------------------------------------------------------------------------


def export_files(selection):
    """(selected, remaining, probabilities) CSV bytes, as `select_panel` writes them."""
    id_at = selection.id_index()
    people = PeopleFile(
        header=selection.columns,
        rows=selection.rows,
        ids=[row[id_at] for row in selection.rows],
        id_column=selection.id_column,
        records=[],
    )
    result = SimpleNamespace(
        panel=selection.panel,
        remaining=selection.remaining,
        probabilities=selection.probabilities,
    )
    return selection_files(people, result)


def features_file(selection):
    """The quotas as a features file (`feature,value,min,max`), to run
    `select_panel` on the exported pool."""
    from portal.csvio import csv_bytes

    return csv_bytes(
        ["feature", "value", "min", "max"],
        [[q["feature"], q["value"], q["min"], q["max"]] for q in selection.quotas],
    )


def pool_file(selection):
    from portal.csvio import csv_bytes

    return csv_bytes(selection.columns, selection.rows)
