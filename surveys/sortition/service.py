"""One selection, from plain data to plain data: what pages, tasks and the command call.

    result = select(quotas, people, size=22, seed=20260401, algorithm="leximin", reserves=5)

`quotas`: Quota objects or dicts with feature, value, min, max (and optionally
min_flex, max_flex). `people`: (id, {feature: value}) pairs or a dict
id → {feature: value}. Raises PoolError for unusable data and
InfeasibleQuotas (Japanese messages naming the quota) when no panel exists.

Drawing the panel. The lottery's compositions are put in a canonical order
(by composition), their weights rounded to 12 decimals, and one is drawn
with `random.Random(seed)`; then, profile by profile in canonical order,
that many members are drawn from the profile's members sorted by id. The
same inputs and seed give the same panel in any process.

Reserves. The rest of the pool is shuffled with the same generator; so is
the panel. Reserves are then taken round-robin over the panel members: for
each member in turn, the first not-yet-taken person in the shuffled pool
who could take that member's place with every quota still met. A member for
whom nobody is left drops out of the rotation. When nobody can replace
anyone, the rest follow in the shuffled order (these keep the quotas only
by luck). So the first reserves cover different members' profiles, and
calling them in order keeps the quotas as long as the pool allows.
"""

import random
import time
from dataclasses import dataclass, field

from surveys.sortition.highs import solver_version
from surveys.sortition.leximin import find_distribution
from surveys.sortition.quotas import (
    InfeasibleQuotas,
    Pool,
    check_simple,
    relaxation_messages,
)

ALGORITHMS = ("leximin", "maximin")


@dataclass
class Result:
    panel: list  # ids, sorted
    reserves: list  # ids, in calling order
    probabilities: dict  # id → selection probability, ids sorted
    quotas_met: list  # dicts: feature, value, min, max, selected, met
    solver_version: str
    algorithm: str = "leximin"
    seed: int = 0
    remaining: list = field(default_factory=list)  # everyone not selected, in calling order
    lowest_probability: float = 0.0
    stages: int = 0
    panels_considered: int = 0
    seconds: float = 0.0

    @property
    def all_quotas_met(self):
        return all(q["met"] for q in self.quotas_met)


def prepare(quotas, people, size):
    """The Pool, after checking that some panel meets every quota."""
    pool = Pool(quotas, people)
    check_simple(pool, size)
    return pool


def select(quotas, people, size, seed, algorithm="leximin", reserves=None, *, progress=None):
    started = time.perf_counter()
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    size, seed = int(size), int(seed)
    pool = prepare(quotas, people, size)
    try:
        distribution = find_distribution(
            pool, size, stages=1 if algorithm == "maximin" else None, progress=progress
        )
    except ValueError:
        messages, named = relaxation_messages(pool, size)
        raise InfeasibleQuotas(messages, named) from None

    rng = random.Random(seed)
    panel = draw_panel(pool, distribution, rng)
    remaining = calling_order(pool, panel, rng)
    probabilities = {}
    for person_id in pool.ids:
        probability = distribution.profile_probabilities[pool.type_of[person_id]]
        probabilities[person_id] = min(1.0, max(0.0, probability))
    return Result(
        panel=sorted(panel),
        reserves=remaining if reserves is None else remaining[: int(reserves)],
        probabilities=probabilities,
        quotas_met=pool.quotas_met(panel),
        solver_version=solver_version(),
        algorithm=algorithm,
        seed=seed,
        remaining=remaining,
        lowest_probability=min(probabilities.values()),
        stages=distribution.stages,
        panels_considered=distribution.columns,
        seconds=time.perf_counter() - started,
    )


def draw_panel(pool, distribution, rng):
    """One panel drawn from the lottery (see the module docstring)."""
    lottery = sorted(
        (composition, round(weight, 12))
        for composition, weight in zip(distribution.compositions, distribution.weights, strict=True)
        if weight > 1e-12
    )
    total = sum(weight for _c, weight in lottery)
    point = rng.random() * total
    chosen = lottery[-1][0]
    for composition, weight in lottery:
        if point < weight:
            chosen = composition
            break
        point -= weight
    panel = []
    for t, k in enumerate(chosen):
        if k:
            panel.extend(rng.sample(pool.members[t], k))
    return sorted(panel)


def calling_order(pool, panel, rng):
    """Everyone not on the panel, reserves first (rule in the module docstring)."""
    in_panel = set(panel)
    others = [pid for pid in pool.ids if pid not in in_panel]
    rng.shuffle(others)
    members = list(panel)
    rng.shuffle(members)
    rank = {pid: i for i, pid in enumerate(others)}

    counts = pool.counts_in(panel)
    # quota row of each (feature, value index)
    row_index = {}
    for i, (quota, _profiles) in enumerate(pool.quota_rows):
        row_index[quota] = i

    def can_replace(leaving, joining):
        a, b = pool.profiles[leaving], pool.profiles[joining]
        for f, (va, vb) in enumerate(zip(a, b, strict=True)):
            if va == vb:
                continue
            out_q, in_q = pool.quotas[f][va], pool.quotas[f][vb]
            if counts[row_index[out_q]] - 1 < out_q.min:
                return False
            if counts[row_index[in_q]] + 1 > in_q.max:
                return False
        return True

    # Unchosen people of each profile, in shuffled order (a queue per profile).
    queues = {}
    for pid in others:
        queues.setdefault(pool.type_of[pid], []).append(pid)
    heads = dict.fromkeys(queues, 0)
    compatible = {}
    order, taken = [], set()
    active = members
    while active:
        still = []
        for member in active:
            t = pool.type_of[member]
            if t not in compatible:
                compatible[t] = [s for s in sorted(queues) if can_replace(t, s)]
            best = None
            for s in compatible[t]:
                if heads[s] < len(queues[s]):
                    head = queues[s][heads[s]]
                    if best is None or rank[head] < rank[best]:
                        best = head
            if best is None:
                continue
            heads[pool.type_of[best]] += 1
            order.append(best)
            taken.add(best)
            still.append(member)
        active = still
    order.extend(pid for pid in others if pid not in taken)
    return order
