"""Quotas proposed from the area's population in the register.

For each feature of the pool (年代, 性別, 地区), the area's residents in the
latest register are counted per value (aggregates only: no resident row
leaves the database), the panel's seats are shared out in proportion by
largest remainder, and each quota gets the target ± a margin. Values the
register cannot tell (a feature it does not hold, a value it does not know)
get their share from the pool instead, and the page says so.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from areas.models import District
from surveys import selectors
from surveys.models import Resident, Sex
from surveys.services.draws import birth_range
from surveys.sortition.quotas import key

from .pools import AGE, DISTRICT, SEX, age_range, standard_feature

SEX_VALUES = {
    Sex.MALE: {"男", "男性", "male", "m", "man", "1"},
    Sex.FEMALE: {"女", "女性", "female", "f", "woman", "2"},
}
ADULT_AGE = 18


def largest_remainder(weights, size):
    """Integer shares of `size` in proportion to `weights` (a list), adding up
    to `size`; ties go to the earlier entry."""
    total = sum(weights)
    if total <= 0:
        weights, total = [1] * len(weights), len(weights)
    shares, remainders = [], []
    for i, weight in enumerate(weights):
        whole, remainder = divmod(size * weight, total)
        shares.append(whole)
        remainders.append((-remainder, i))
    for _r, i in sorted(remainders)[: size - sum(shares)]:
        shares[i] += 1
    return shares


def population_counts(area, features):
    """({feature: {value key: residents}}, register) for the pool's values.

    `features` is {feature: [values]}; only the standard features are
    counted. Residents under 18 (or under the youngest age band) are left
    out, since they cannot volunteer."""
    register = selectors.latest_register()
    if register is None or area is None:
        return {}, None
    ref = register.reference_date
    ranges = {}
    for feature, values in features.items():
        if standard_feature(feature) == AGE:
            for value in values:
                ranges[(feature, key(value))] = age_range(value)
    youngest = min((r[0] for r in ranges.values() if r and r[0] is not None), default=ADULT_AGE)
    earliest, latest = birth_range(ref, youngest, None)
    residents = Resident.objects.filter(
        register=register, district__area=area, birth_date__lte=latest
    )
    counts = {}
    aggregates = {}
    for n, ((feature, value_key), band) in enumerate(ranges.items()):
        if band is None:
            continue
        low, high = band
        earliest, latest = birth_range(ref, low, high)
        condition = Q()
        if earliest is not None:
            condition &= Q(birth_date__gte=earliest)
        if latest is not None:
            condition &= Q(birth_date__lte=latest)
        aggregates[f"band{n}"] = (feature, value_key, Count("pk", filter=condition))
    if aggregates:
        totals = residents.aggregate(**{name: a[2] for name, a in aggregates.items()})
        for name, (feature, value_key, _a) in aggregates.items():
            counts.setdefault(feature, {})[value_key] = totals[name]
    for feature, values in features.items():
        kind = standard_feature(feature)
        if kind == SEX:
            by_sex = dict(residents.values_list("sex").annotate(n=Count("pk")).order_by())
            for value in values:
                for code, names in SEX_VALUES.items():
                    if key(value) in names:
                        counts.setdefault(feature, {})[key(value)] = by_sex.get(code, 0)
        elif kind == DISTRICT:
            # Every district of the area counts, with 0 when nobody lives there.
            by_district = {}
            for code, name in District.objects.filter(area=area).values_list("code", "name"):
                by_district[key(code)] = by_district[key(name)] = 0
            for code, name, n in (
                residents.values_list("district__code", "district__name")
                .annotate(n=Count("pk"))
                .order_by()
            ):
                by_district[key(code)] = n
                by_district[key(name)] = n
            for value in values:
                if key(value) in by_district:
                    counts.setdefault(feature, {})[key(value)] = by_district[key(value)]
    return counts, register


def propose(*, area, values_by_feature, size, margin):
    """(quotas, note): one dict per feature value, with the target, the
    population it came from and the number of candidates holding it."""
    features = {f: [v for v, _n in values] for f, values in values_by_feature.items()}
    counts, register = population_counts(area, features)
    quotas, from_pool, unknown = [], [], []
    for feature, values in values_by_feature.items():
        known = counts.get(feature, {})
        population = [known.get(key(v)) for v, _n in values]
        if any(p for p in population if p):
            weights = [p or 0 for p in population]
            unknown += [
                f"{feature}: {v}"
                for (v, _n), p in zip(values, population, strict=True)
                if p is None
            ]
        else:
            weights = [n for _v, n in values]
            from_pool.append(feature)
            population = [None] * len(values)
        targets = largest_remainder(weights, size)
        for (value, in_pool), target, people in zip(values, targets, population, strict=True):
            quotas.append(
                {
                    "feature": feature,
                    "value": value,
                    "target": target,
                    "min": min(max(0, target - margin), in_pool),
                    "max": min(target + margin, size),
                    "population": people,
                    "pool": in_pool,
                }
            )
    if register is None:
        note = _("住民基本台帳がないため、目安は候補者の構成から計算しました。")
    else:
        note = _(
            "目安は住民基本台帳（基準日 %(date)s）の地域の人口構成から、最大剰余法で配分しました。"
        ) % {"date": register.reference_date.isoformat()}
        if unknown:
            note += _("台帳にない値（%(values)s）の目安は0人としました。") % {
                "values": "、".join(unknown)
            }
        if from_pool:
            note += _(
                "（%(features)s は台帳で数えられないため、候補者の構成から計算しました。）"
            ) % {"features": "、".join(from_pool)}
    return quotas, note
