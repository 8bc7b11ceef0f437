"""The HiGHS models: the panel-composition integer program and its helpers.

Every model has one integer variable per profile (how many people of that
profile the panel takes), so a pool of 2,500 with four features is a model of
a few hundred variables, whatever the pool's size.
"""

import os
import threading

import highspy
import numpy as np

INF = highspy.kHighsInf
_banner_lock = threading.Lock()
_banner_shown = False


def new_highs():
    """A silent Highs instance.

    HiGHS prints its banner to the C-level stdout when the first instance of
    a process is built, before any option can be set; a command's output
    (and a file piped from it) must not carry it, so the first construction
    runs with fd 1 pointed at /dev/null.
    """
    global _banner_shown
    with _banner_lock:
        if not _banner_shown:
            _banner_shown = True
            try:
                saved = os.dup(1)
            except OSError:
                saved = None
            if saved is not None:
                devnull = os.open(os.devnull, os.O_WRONLY)
                try:
                    os.dup2(devnull, 1)
                    h = highspy.Highs()
                finally:
                    os.dup2(saved, 1)
                    os.close(saved)
                    os.close(devnull)
            else:
                h = highspy.Highs()
        else:
            h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    # One thread: results never depend on scheduling, and a worker sharing a
    # small server does not fight itself. The models are small enough that
    # presolve costs more than it saves.
    h.setOptionValue("threads", 1)
    h.setOptionValue("presolve", "off")
    return h


def solver_version():
    h = new_highs()
    return f"HiGHS {h.version()}"


def _ints(values):
    return np.array(values, dtype=np.int32)


def _floats(values):
    return np.array(values, dtype=np.float64)


class CompositionFinder:
    """Panels as profile counts: k_t people of profile t, with

        Σ_t k_t = size,  0 ≤ k_t ≤ (people of profile t),
        min_q ≤ Σ_{t has q's value} k_t ≤ max_q   for every quota q,

    and `best(weights)` the panel maximising Σ_t weights[t] · k_t.
    """

    def __init__(self, pool, size):
        self.pool = pool
        self.size = size
        self.n = len(pool.profiles)
        h = self.h = new_highs()
        # Small models: ask for proven optima, so column generation stops for
        # the right reason and the same weights give the same panel.
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-12)
        h.addVars(self.n, _floats([0.0] * self.n), _floats(pool.counts))
        h.changeColsIntegrality(
            self.n,
            _ints(range(self.n)),
            np.array([highspy.HighsVarType.kInteger] * self.n),
        )
        h.addRow(size, size, self.n, _ints(range(self.n)), _floats([1.0] * self.n))
        for quota, profiles in pool.quota_rows:
            h.addRow(
                float(quota.min),
                float(quota.max),
                len(profiles),
                _ints(profiles),
                _floats([1.0] * len(profiles)),
            )
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)

    def best(self, weights):
        """The composition (tuple of k_t) maximising Σ weights·k, or None if there is none."""
        scale = max((abs(w) for w in weights), default=0.0) or 1.0
        self.h.changeColsCost(self.n, _ints(range(self.n)), _floats([w / scale for w in weights]))
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        values = self.h.getSolution().col_value
        composition = tuple(int(round(v)) for v in values)
        if not self.meets_quotas(composition):  # rounding gone wrong: never hand it on
            return None
        return composition

    def meets_quotas(self, composition):
        if sum(composition) != self.size:
            return False
        if any(k < 0 or k > c for k, c in zip(composition, self.pool.counts, strict=True)):
            return False
        return all(
            quota.min <= sum(composition[t] for t in profiles) <= quota.max
            for quota, profiles in self.pool.quota_rows
        )


def minimal_relaxation(pool, size):
    """[(Quota, new_min, new_max)] for the quotas the smallest relaxation moves."""
    h = new_highs()
    n = len(pool.profiles)
    rows = pool.quota_rows
    m = len(rows)
    # columns: k_t (n), lower-bound slack d_q (m), upper-bound slack u_q (m)
    h.addVars(n + 2 * m, _floats([0.0] * (n + 2 * m)), _floats(list(pool.counts) + [INF] * 2 * m))
    h.changeColsIntegrality(
        n + 2 * m,
        _ints(range(n + 2 * m)),
        np.array([highspy.HighsVarType.kInteger] * (n + 2 * m)),
    )
    costs = [0.0] * n
    for quota, _profiles in rows:
        # Lowering a lower bound of 1 to 0 weighs 3, of 10 to 9 weighs 1.2.
        costs.append(0.0 if quota.min == 0 else 1 + 2 / quota.min)
    costs += [1.0] * m
    h.changeColsCost(n + 2 * m, _ints(range(n + 2 * m)), _floats(costs))
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    h.addRow(size, size, n, _ints(range(n)), _floats([1.0] * n))
    for i, (quota, profiles) in enumerate(rows):
        # Σ k + d ≥ min and Σ k − u ≤ max
        h.addRow(
            float(quota.min),
            INF,
            len(profiles) + 1,
            _ints([*profiles, n + i]),
            _floats([1.0] * len(profiles) + [1.0]),
        )
        h.addRow(
            -INF,
            float(quota.max),
            len(profiles) + 1,
            _ints([*profiles, n + m + i]),
            _floats([1.0] * len(profiles) + [-1.0]),
        )
        h.changeColBounds(n + i, 0.0, float(quota.min))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return []
    values = h.getSolution().col_value
    changes = []
    for i, (quota, _profiles) in enumerate(rows):
        down = int(round(values[n + i]))
        up = int(round(values[n + m + i]))
        if down or up:
            changes.append((quota, quota.min - down, quota.max + up))
    return changes
