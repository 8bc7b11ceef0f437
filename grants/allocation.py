"""The arithmetic of the area lump-sum grant (地域一括交付金), kept free of
the database so it can be tested over many budgets.

Each area's exact share of the budget B is

    B × ( w_base/W × 1/n  +  w_capita/W × population/Σpopulation
          +  w_household/W × households/Σhouseholds ),   W = the sum of the weights,

computed with fractions (no float). Whole yen come by the largest-remainder
method: every area gets the floor of its share, and the yen left over go one
each to the areas with the largest fractional parts, ties broken by area code.
The amounts therefore add up to B exactly, and the result does not depend
on the order the areas are given in.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from portal.errors import ServiceError


@dataclass(frozen=True)
class AreaInput:
    code: str
    population: int
    households: int


def exact_shares(*, budget, inputs, base_weight, per_capita_weight, per_household_weight):
    """{code: Fraction} — each area's share before rounding."""
    if budget < 0:
        raise ServiceError(_("予算額は0円以上にしてください。"))
    if not inputs:
        raise ServiceError(_("配分する地域がありません。"))
    codes = [i.code for i in inputs]
    if len(set(codes)) != len(codes):
        raise ServiceError(_("同じ地域が2回以上あります。"))
    weights = base_weight + per_capita_weight + per_household_weight
    if weights <= 0:
        raise ServiceError(_("重みの合計を1以上にしてください。"))
    population = sum(i.population for i in inputs)
    households = sum(i.households for i in inputs)
    if per_capita_weight and population <= 0:
        raise ServiceError(_("人口割を使うには、各地域の人口を入力してください。"))
    if per_household_weight and households <= 0:
        raise ServiceError(_("世帯割を使うには、各地域の世帯数を入力してください。"))
    n = len(inputs)
    shares = {}
    for i in inputs:
        part = Fraction(base_weight, n)
        if per_capita_weight:
            part += Fraction(per_capita_weight * i.population, population)
        if per_household_weight:
            part += Fraction(per_household_weight * i.households, households)
        shares[i.code] = Fraction(budget) * part / weights
    return shares


def largest_remainder(shares, total):
    """Whole numbers adding up to `total` from exact `shares` ({key: Fraction}
    summing to `total`); ties go to the smaller key."""
    floors = {key: value.numerator // value.denominator for key, value in shares.items()}
    left = total - sum(floors.values())
    order = sorted(shares, key=lambda key: (-(shares[key] - floors[key]), key))
    for key in order[:left]:
        floors[key] += 1
    return floors


def allocate(*, budget, inputs, base_weight, per_capita_weight, per_household_weight):
    """{code: whole yen} adding up to `budget` exactly."""
    shares = exact_shares(
        budget=budget,
        inputs=inputs,
        base_weight=base_weight,
        per_capita_weight=per_capita_weight,
        per_household_weight=per_household_weight,
    )
    return largest_remainder(shares, budget)
