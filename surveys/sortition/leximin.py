"""LEXIMIN selection probabilities by column generation on HiGHS.

Method: Flanigan, Gölz, Gupta, Hennig and Procaccia, "Fair algorithms for
selecting citizens' assemblies", Nature 596, 548–552 (2021),
doi:10.1038/s41586-021-03788-6. Among all lotteries over panels that meet
the quotas, LEXIMIN picks the one whose lowest selection probability is as
high as possible; among those, the second lowest as high as possible; and
so on. The reference implementation needs the commercial Gurobi solver;
this one runs on the open HiGHS solver alone.

Profiles instead of people. People who agree on every feature are
interchangeable: swapping two of them maps every quota-feasible panel to
another. The set of achievable selection-probability vectors is convex and
the LEXIMIN optimum over a convex set is unique, so it gives everyone of one
profile the same probability. A panel is therefore described by its
composition k (k_t people of profile t) and a person of profile t with c_t
members is selected with probability Σ_P x_P · k_t(P) / c_t. Drawing a
composition and then k_t members of each profile uniformly realises exactly
these probabilities. The models have one variable per profile (a few
hundred for a pool of thousands with four features) instead of one per
person; nothing is approximated.

Each stage solves, over the compositions found so far (the columns),

    maximise  z
    s.t.      Σ_P x_P a_t(P) ≥ z      for profiles t not yet fixed
              Σ_P x_P a_t(P) ≥ f_t    for profiles t fixed at f_t
              Σ_P x_P = 1,  x ≥ 0,    where a_t(P) = k_t(P) / c_t

on HiGHS's simplex. Its duals are weights y_t ≥ 0 on the profiles and a
bound ŷ on the convexity row; the integer program in `highs.py` finds the
composition P maximising Σ_t y_t a_t(P). If that exceeds ŷ, P improves the
LP and becomes a new column; otherwise the columns already support an
optimum of the full LP (over every feasible panel). Then every unfixed
profile with y_t > 0 is held at z* in every optimal solution
(complementary slackness), so its probability is fixed at z*, and the next
stage raises the lowest of the rest. Maximin is the first stage alone.

The result is a distribution over compositions; `service.select` draws one
with a seeded `random.Random`.
"""

from dataclasses import dataclass, field

import highspy
import numpy as np

from surveys.sortition.highs import INF, CompositionFinder, new_highs

# A composition improves the LP when it beats ŷ by more than this (the
# weights are rescaled so that Σ y = 1 over the unfixed profiles).
PRICE_TOL = 1e-7
# Dual weights above this fix a profile's probability.
FIX_TOL = 1e-7
# Fixed probabilities are imposed this much below the value reached, so that
# the solver's feasibility tolerance never makes the next stage infeasible.
FIX_SLACK = 1e-8
MAX_COLUMNS_PER_STAGE = 10_000


@dataclass
class Distribution:
    """A lottery over panel compositions and the selection probability it gives each profile."""

    compositions: list  # tuples k (people per profile)
    weights: list  # probability of each composition, summing to 1
    profile_probabilities: list  # one per profile of the pool
    stages: int = 0
    columns: int = 0
    unreachable: list = field(default_factory=list)  # profiles no feasible panel contains


class _Master:
    """The restricted LP above, grown one column at a time."""

    def __init__(self, pool, reachable):
        self.pool = pool
        self.h = h = new_highs()
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        # column 0: z
        h.addVar(0.0, 1.0)
        h.changeColCost(0, 1.0)
        self.row_of = {}
        for t in reachable:
            self.row_of[t] = h.getNumRow()
            h.addRow(0.0, INF, 1, np.array([0], dtype=np.int32), np.array([-1.0]))
        self.convexity = h.getNumRow()
        h.addRow(1.0, 1.0, 0, np.array([], dtype=np.int32), np.array([], dtype=np.float64))
        self.columns = []

    def add(self, composition):
        rows, values = [], []
        for t, row in self.row_of.items():
            if composition[t]:
                rows.append(row)
                values.append(composition[t] / self.pool.counts[t])
        rows.append(self.convexity)
        values.append(1.0)
        self.h.addCol(
            0.0,
            0.0,
            INF,
            len(rows),
            np.array(rows, dtype=np.int32),
            np.array(values, dtype=np.float64),
        )
        self.columns.append(composition)

    def solve(self):
        self.h.run()
        return self.h.getModelStatus() == highspy.HighsModelStatus.kOptimal

    def fix(self, t, probability):
        row = self.row_of[t]
        self.h.changeCoeff(row, 0, 0.0)
        self.h.changeRowBounds(row, max(0.0, probability - FIX_SLACK), INF)

    def relax_fixed(self, fixed, amount):
        for t in fixed:
            fixed[t] = max(0.0, fixed[t] - amount)
            self.h.changeRowBounds(self.row_of[t], max(0.0, fixed[t] - FIX_SLACK), INF)

    def duals(self):
        solution = self.h.getSolution()
        # In a maximisation HiGHS reports ≥ rows with non-positive duals.
        y = {t: max(0.0, -solution.row_dual[row]) for t, row in self.row_of.items()}
        return y, solution.row_dual[self.convexity], solution.col_value[0]

    def distribution(self):
        x = np.clip(np.array(self.h.getSolution().col_value[1:]), 0.0, None)
        return list(x / x.sum())


def initial_compositions(finder, pool):
    """Compositions covering every profile some feasible panel contains.

    Returns (compositions, unreachable profiles). For each profile not yet in
    a found composition, the integer program is asked for a panel with as
    many of that profile as possible; if even that has none, no feasible
    panel contains anyone of the profile (their probability is 0).
    """
    n = len(pool.profiles)
    covered = [False] * n
    compositions, seen, unreachable = [], set(), []
    first = finder.best([1.0] * n)
    if first is None:
        return None, None
    compositions.append(first)
    seen.add(first)
    for t, k in enumerate(first):
        covered[t] = covered[t] or k > 0
    for t in range(n):
        if covered[t]:
            continue
        weights = [0.0] * n
        weights[t] = 1.0
        composition = finder.best(weights)
        if composition is None or composition[t] == 0:
            unreachable.append(t)
            continue
        if composition not in seen:
            seen.add(composition)
            compositions.append(composition)
        for s, k in enumerate(composition):
            covered[s] = covered[s] or k > 0
    return compositions, unreachable


def find_distribution(pool, size, *, stages=None, progress=None):
    """The LEXIMIN lottery (or, with stages=1, a maximin one) over compositions.

    Raises ValueError if no composition meets the quotas; callers check
    feasibility first to say which quota fails.
    """
    finder = CompositionFinder(pool, size)
    compositions, unreachable = initial_compositions(finder, pool)
    if compositions is None:
        raise ValueError("no feasible panel")
    unreachable_set = set(unreachable)
    reachable = [t for t in range(len(pool.profiles)) if t not in unreachable_set]
    master = _Master(pool, reachable)
    seen = set()
    for composition in compositions:
        seen.add(composition)
        master.add(composition)

    fixed = {}
    stage = 0
    total = len(reachable)
    while len(fixed) < total:
        stage += 1
        for _round in range(MAX_COLUMNS_PER_STAGE):
            relaxations = 0
            while not master.solve():
                # Only floating point can make a stage infeasible: the
                # previous optimum satisfies every fixed bound. Loosen a hair.
                relaxations += 1
                if relaxations > 20:
                    raise RuntimeError("HiGHS could not solve the selection LP")
                master.relax_fixed(fixed, 1e-6)
            y, y_hat, z = master.duals()
            weights = [0.0] * len(pool.profiles)
            for t, value in y.items():
                weights[t] = value / pool.counts[t]
            candidate = finder.best(weights)
            if candidate is None or candidate in seen:
                break
            gain = sum(w * k for w, k in zip(weights, candidate, strict=True))
            if gain <= y_hat + PRICE_TOL:
                break
            seen.add(candidate)
            master.add(candidate)
        newly = [t for t in reachable if t not in fixed and y[t] > FIX_TOL]
        if not newly:
            # Degenerate duals: the largest weight still marks a bound profile.
            newly = [max((t for t in reachable if t not in fixed), key=lambda t: (y[t], -t))]
        for t in newly:
            fixed[t] = z
            master.fix(t, z)
        if progress:
            progress(len(fixed), total)
        if stages is not None and stage >= stages:
            break

    weights = master.distribution()
    probabilities = [0.0] * len(pool.profiles)
    for composition, weight in zip(master.columns, weights, strict=True):
        for t, k in enumerate(composition):
            if k:
                probabilities[t] += weight * k / pool.counts[t]
    return Distribution(
        compositions=list(master.columns),
        weights=weights,
        profile_probabilities=probabilities,
        stages=stage,
        columns=len(master.columns),
        unreachable=unreachable,
    )
