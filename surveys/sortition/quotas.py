"""Quotas, the pool grouped into profiles, and why a set of quotas cannot be met.

A quota is the Sortition Foundation's features row: for one value of one
feature (性別: 女性), the panel holds at least `min` and at most `max` people
with it. `min_flex`/`max_flex` are kept as read; they bound the relaxation a
practitioner is willing to accept and are reported, never applied silently.

Values are matched after NFKC, trimming and case folding, so `Ｍａｌｅ`,
`male ` and `Male` are one value (the reference package compares
case-insensitively too).

People who agree on every feature form one *profile*. Everything the solver
does depends only on how many people of each profile a panel takes, so the
models have one variable per profile rather than one per person; see
`leximin` for why this keeps the method exact.
"""

import unicodedata
from dataclasses import dataclass


def _(text):
    """Japanese messages, translated when Django's translation is available."""
    try:
        from django.utils.translation import gettext

        return gettext(text)
    except Exception:  # settings not configured: the pure-Python use
        return text


def key(text):
    """The comparison key of a feature name or value."""
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


@dataclass(frozen=True)
class Quota:
    feature: str
    value: str
    min: int
    max: int
    min_flex: int | None = None
    max_flex: int | None = None

    @classmethod
    def coerce(cls, item):
        if isinstance(item, cls):
            return item
        return cls(
            feature=str(item["feature"]),
            value=str(item["value"]),
            min=int(item["min"]),
            max=int(item["max"]),
            min_flex=None if item.get("min_flex") in (None, "") else int(item["min_flex"]),
            max_flex=None if item.get("max_flex") in (None, "") else int(item["max_flex"]),
        )

    @property
    def label(self):
        return f"「{self.feature}: {self.value}」"


class PoolError(ValueError):
    """The people or the quotas are not usable data (not a fairness problem)."""

    def __init__(self, messages):
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


class InfeasibleQuotas(ValueError):
    """No panel of the requested size meets every quota.

    `messages` are plain Japanese sentences, each naming the quota (or the
    feature, or the pool) that cannot be met; `quotas` lists the
    (feature, value) pairs named, for a page to highlight.
    """

    def __init__(self, messages, quotas=()):
        self.messages = list(messages)
        self.quotas = list(quotas)
        super().__init__("\n".join(self.messages))


class Pool:
    """The people and quotas of one selection, in a canonical order.

    Features are sorted by key, values within a feature by key, people by id:
    nothing depends on the order of the input rows or on set/dict order, so
    the same inputs build the same models in every process.
    """

    def __init__(self, quotas, people):
        quotas = [Quota.coerce(q) for q in quotas]
        problems = []
        by_feature = {}
        for quota in quotas:
            if not key(quota.feature) or not key(quota.value):
                problems.append(_("特徴量ファイルに、特徴量名または値が空の行があります。"))
                continue
            values = by_feature.setdefault(key(quota.feature), {})
            if key(quota.value) in values:
                problems.append(
                    _("%(quota)sが特徴量ファイルに二度あります。") % {"quota": quota.label}
                )
            values[key(quota.value)] = quota
            if quota.min < 0 or quota.max < 0:
                problems.append(
                    _("%(quota)sの下限・上限に負の数があります。") % {"quota": quota.label}
                )
        if not by_feature and not problems:
            problems.append(_("特徴量（割当）が一つもありません。"))
        self.feature_keys = sorted(by_feature)
        self.features = [next(iter(by_feature[f].values())).feature for f in self.feature_keys]
        # quotas[f] is the list of Quota of feature f, by value key
        self.quotas = [[by_feature[f][v] for v in sorted(by_feature[f])] for f in self.feature_keys]
        value_index = [{key(q.value): i for i, q in enumerate(values)} for values in self.quotas]

        if isinstance(people, dict):
            people = people.items()
        profile_of = {}
        for person_id, values in people:
            person_id = str(person_id)
            if not person_id.strip():
                problems.append(_("IDが空の人がいます。"))
                continue
            if person_id in profile_of:
                problems.append(_("ID「%(id)s」が二度あります。") % {"id": person_id})
                continue
            values_by_key = {key(name): value for name, value in values.items()}
            profile = []
            for f, name in enumerate(self.features):
                raw = values_by_key.get(self.feature_keys[f])
                index = value_index[f].get(key(raw if raw is not None else ""))
                if index is None:
                    problems.append(
                        _(
                            "ID「%(id)s」の「%(feature)s」の値「%(value)s」は特徴量ファイルにありません。"
                        )
                        % {"id": person_id, "feature": name, "value": raw or ""}
                    )
                    break
                profile.append(index)
            else:
                profile_of[person_id] = tuple(profile)
        if problems:
            raise PoolError(problems)

        self.ids = sorted(profile_of)
        self.profile_of = profile_of
        # Profiles present in the pool, sorted; members of each sorted by id.
        self.profiles = sorted(set(profile_of.values()))
        index_of = {p: i for i, p in enumerate(self.profiles)}
        self.members = [[] for _p in self.profiles]
        for person_id in self.ids:
            self.members[index_of[profile_of[person_id]]].append(person_id)
        self.type_of = {pid: index_of[profile_of[pid]] for pid in self.ids}
        self.counts = [len(m) for m in self.members]
        # Every quota with the profiles it covers: (Quota, [profile indices]).
        self.quota_rows = [
            (quota, [t for t, p in enumerate(self.profiles) if p[f] == v])
            for f, values in enumerate(self.quotas)
            for v, quota in enumerate(values)
        ]

    def __len__(self):
        return len(self.ids)

    def counts_in(self, ids):
        """How many of `ids` hold each quota's value, in quota_rows order."""
        chosen = [0] * len(self.profiles)
        for person_id in ids:
            chosen[self.type_of[person_id]] += 1
        return [sum(chosen[t] for t in profiles) for _q, profiles in self.quota_rows]

    def quotas_met(self, ids):
        """One dict per quota: the quota, how many of `ids` hold it, and whether it is met."""
        return [
            {
                "feature": quota.feature,
                "value": quota.value,
                "min": quota.min,
                "max": quota.max,
                "selected": count,
                "met": quota.min <= count <= quota.max,
            }
            for (quota, _profiles), count in zip(self.quota_rows, self.counts_in(ids), strict=True)
        ]


def check_simple(pool, size):
    """The reasons a panel of `size` is impossible that need no solver.

    Raises InfeasibleQuotas naming each quota, feature or the pool at fault.
    """
    messages, named = [], []
    if size <= 0:
        raise InfeasibleQuotas([_("パネルの人数は1人以上にしてください。")])
    if len(pool) < size:
        messages.append(
            _("候補者が%(pool)d人しかいないため、%(size)d人のパネルは選べません。")
            % {"pool": len(pool), "size": size}
        )
    for quota, profiles in pool.quota_rows:
        available = sum(pool.counts[t] for t in profiles)
        if quota.min > quota.max:
            messages.append(
                _("%(quota)sの下限（%(min)d人）が上限（%(max)d人）を超えています。")
                % {"quota": quota.label, "min": quota.min, "max": quota.max}
            )
            named.append((quota.feature, quota.value))
        elif available < quota.min:
            messages.append(
                _(
                    "%(quota)sの下限%(min)d人を満たせません。"
                    "候補者のうち該当する人は%(available)d人です。"
                )
                % {"quota": quota.label, "min": quota.min, "available": available}
            )
            named.append((quota.feature, quota.value))
    for f, values in enumerate(pool.quotas):
        feature = pool.features[f]
        total_min = sum(q.min for q in values)
        reachable = 0
        for quota, profiles in pool.quota_rows:
            if quota in values:
                reachable += min(quota.max, sum(pool.counts[t] for t in profiles))
        if total_min > size:
            messages.append(
                _(
                    "「%(feature)s」の下限の合計（%(total)d人）がパネルの人数（%(size)d人）を超えています。"
                )
                % {"feature": feature, "total": total_min, "size": size}
            )
            named.extend((feature, q.value) for q in values)
        elif reachable < size:
            messages.append(
                _(
                    "「%(feature)s」の上限の合計（該当する候補者の数で頭打ちにして%(total)d人）が"
                    "パネルの人数（%(size)d人）に届きません。"
                )
                % {"feature": feature, "total": reachable, "size": size}
            )
            named.extend((feature, q.value) for q in values)
    if messages:
        raise InfeasibleQuotas(messages, named)


def relaxation_messages(pool, size):
    """Which quotas to loosen, and by how much, when no panel meets them all.

    Solves the smallest relaxation (an integer program on HiGHS): each
    quota's lower bound may drop and its upper bound rise by an integer
    amount, minimising the total change (lowering an already low lower
    bound weighs more, as in the reference package). The quotas that had to
    move are the ones that cannot be met together.
    """
    from surveys.sortition.highs import minimal_relaxation

    changes = minimal_relaxation(pool, size)
    messages, named = [], []
    for quota, new_min, new_max in changes:
        if new_min < quota.min:
            messages.append(
                _(
                    "%(quota)sの下限%(min)d人は、他の割当と同時には満たせません"
                    "（下限を%(new)d人にすれば選べます）。"
                )
                % {"quota": quota.label, "min": quota.min, "new": new_min}
            )
        if new_max > quota.max:
            messages.append(
                _(
                    "%(quota)sの上限%(max)d人は、他の割当と同時には守れません"
                    "（上限を%(new)d人にすれば選べます）。"
                )
                % {"quota": quota.label, "max": quota.max, "new": new_max}
            )
        named.append((quota.feature, quota.value))
    if not messages:
        messages.append(_("割当をすべて満たすパネルがありません。割当を見直してください。"))
    return messages, named
