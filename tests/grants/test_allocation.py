import random
from fractions import Fraction

import pytest

from grants.allocation import AreaInput, allocate, exact_shares, largest_remainder
from portal.errors import ServiceError


def _random_inputs(rng, n):
    return [
        AreaInput(f"A{i:02d}", rng.randint(0, 60_000), rng.randint(0, 30_000)) for i in range(n)
    ]


def test_amounts_add_up_to_the_budget_exactly_for_many_random_budgets():
    rng = random.Random(20260401)
    for _ in range(500):
        inputs = _random_inputs(rng, rng.randint(1, 12))
        if sum(i.population for i in inputs) == 0 or sum(i.households for i in inputs) == 0:
            continue
        budget = rng.randint(0, 500_000_000)
        weights = dict(
            base_weight=rng.randint(0, 100),
            per_capita_weight=rng.randint(0, 100),
            per_household_weight=rng.randint(0, 100),
        )
        if sum(weights.values()) == 0:
            continue
        amounts = allocate(budget=budget, inputs=inputs, **weights)
        assert sum(amounts.values()) == budget
        shares = exact_shares(budget=budget, inputs=inputs, **weights)
        for code, amount in amounts.items():
            # Never more than one yen away from the exact share.
            assert abs(Fraction(amount) - shares[code]) < 1
        # The same inputs in another order give the same amounts.
        shuffled = inputs[:]
        rng.shuffle(shuffled)
        assert allocate(budget=budget, inputs=shuffled, **weights) == amounts


def test_the_formula_gives_base_plus_per_capita_plus_per_household():
    inputs = [AreaInput("A01", 3000, 1000), AreaInput("A02", 1000, 1000)]
    amounts = allocate(
        budget=1_000_000,
        inputs=inputs,
        base_weight=50,
        per_capita_weight=50,
        per_household_weight=0,
    )
    # base 500,000 split evenly; per capita 500,000 split 3:1.
    assert amounts == {"A01": 250_000 + 375_000, "A02": 250_000 + 125_000}


def test_leftover_yen_go_to_the_largest_remainders_ties_by_code():
    shares = {"B": Fraction(10, 3), "A": Fraction(10, 3), "C": Fraction(10, 3)}
    assert largest_remainder(shares, 10) == {"A": 4, "B": 3, "C": 3}


def test_per_capita_weight_without_population_is_refused():
    with pytest.raises(ServiceError):
        allocate(
            budget=100,
            inputs=[AreaInput("A01", 0, 10)],
            base_weight=0,
            per_capita_weight=1,
            per_household_weight=0,
        )
