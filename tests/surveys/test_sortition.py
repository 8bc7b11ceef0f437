"""LEXIMIN on HiGHS against the reference package's maximin (sortition-algorithms)."""

import random

import pytest
from sortition_algorithms import Settings, read_in_features, read_in_people
from sortition_algorithms.committee_generation import find_distribution_maximin
from sortition_algorithms.utils import set_random_provider

from surveys.sortition import InfeasibleQuotas, PoolError, select
from surveys.sortition.leximin import find_distribution
from surveys.sortition.quotas import Pool
from surveys.sortition.service import draw_panel
from tests.surveys.sortition_pools import area_pool, fixture_pool

TOLERANCE = 1e-4


def reference_maximin_lowest(quotas, people, size):
    """The lowest selection probability of sortition-algorithms' maximin (HiGHS backend)."""
    set_random_provider(12345)
    features, _f, _v = read_in_features(
        ["feature", "value", "min", "max"],
        [{k: str(v) for k, v in q.items()} for q in quotas],
        size,
    )
    columns = list(next(iter(people.values())))
    pool, _report = read_in_people(
        ["id", *columns],
        [{"id": pid, **values} for pid, values in people.items()],
        features,
        Settings(id_column="id", columns_to_keep=[]),
    )
    committees, probabilities, _report = find_distribution_maximin(features, pool, size, [])
    marginals = dict.fromkeys(people, 0.0)
    for committee, probability in zip(committees, probabilities, strict=True):
        for pid in committee:
            marginals[pid] += probability
    return min(marginals.values())


def assert_panel_meets_quotas(pool, panel, size):
    assert len(panel) == size
    assert len(set(panel)) == size
    assert all(q["met"] for q in pool.quotas_met(panel)), pool.quotas_met(panel)


@pytest.fixture(scope="module")
def fixture_shaped():
    quotas, people = fixture_pool(150)
    return {
        "quotas": quotas,
        "people": people,
        "leximin": select(quotas, people, 22, seed=1),
        "maximin": select(quotas, people, 22, seed=1, algorithm="maximin"),
        "reference": reference_maximin_lowest(quotas, people, 22),
    }


def test_fixture_shaped_pool_leximin_is_never_below_reference_maximin(fixture_shaped):
    leximin = fixture_shaped["leximin"]
    assert leximin.lowest_probability >= fixture_shaped["reference"] - TOLERANCE
    assert leximin.lowest_probability >= fixture_shaped["maximin"].lowest_probability - 1e-6
    assert leximin.lowest_probability > 0
    for result in (leximin, fixture_shaped["maximin"]):
        assert sum(result.probabilities.values()) == pytest.approx(22, abs=1e-6)
        assert all(0 <= p <= 1 for p in result.probabilities.values())
        assert result.all_quotas_met
        assert len(result.panel) == 22
    assert leximin.solver_version.startswith("HiGHS ")


def test_leximin_raises_the_second_lowest_too(fixture_shaped):
    """Sorted probabilities of LEXIMIN dominate maximin's at the first place they differ."""
    ours = sorted(fixture_shaped["leximin"].probabilities.values())
    theirs = sorted(fixture_shaped["maximin"].probabilities.values())
    for a, b in zip(ours, theirs, strict=True):
        if abs(a - b) > 1e-6:
            assert a > b
            break


def test_every_panel_of_the_lottery_meets_the_quotas(fixture_shaped):
    pool = Pool(fixture_shaped["quotas"], fixture_shaped["people"])
    distribution = find_distribution(pool, 22)
    assert sum(distribution.weights) == pytest.approx(1)
    for composition in distribution.compositions:
        assert sum(composition) == 22
    for seed in range(40):
        assert_panel_meets_quotas(pool, draw_panel(pool, distribution, random.Random(seed)), 22)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_generated_pools_against_the_reference(seed):
    quotas, people = area_pool(70, 10, seed=seed, skew=2.0)
    ours = select(quotas, people, 10, seed=seed)
    reference = reference_maximin_lowest(quotas, people, 10)
    assert ours.lowest_probability >= reference - TOLERANCE
    assert sum(ours.probabilities.values()) == pytest.approx(10, abs=1e-6)
    pool = Pool(quotas, people)
    assert_panel_meets_quotas(pool, ours.panel, 10)


def test_people_of_one_profile_share_one_probability():
    quotas, people = area_pool(60, 8, seed=4, skew=3.0)
    result = select(quotas, people, 8, seed=9)
    by_profile = {}
    for pid, values in people.items():
        by_profile.setdefault(tuple(sorted(values.items())), set()).add(
            round(result.probabilities[pid], 9)
        )
    assert all(len(probabilities) == 1 for probabilities in by_profile.values())


def test_same_inputs_and_seed_give_the_same_panel_whatever_the_input_order():
    quotas, people = area_pool(60, 8, seed=5)
    first = select(quotas, people, 8, seed=77, reserves=5)
    shuffled = list(people.items())
    random.Random(3).shuffle(shuffled)
    again = select(list(reversed(quotas)), dict(shuffled), 8, seed=77, reserves=5)
    assert again.panel == first.panel
    assert again.reserves == first.reserves


def test_another_seed_draws_other_panels():
    quotas, people = area_pool(60, 8, seed=5)
    panels = {tuple(select(quotas, people, 8, seed=s).panel) for s in range(6)}
    assert len(panels) > 1


def test_reserves_are_everyone_else_and_the_first_keep_the_quotas():
    quotas, people = area_pool(80, 10, seed=6)
    result = select(quotas, people, 10, seed=3, reserves=4)
    pool = Pool(quotas, people)
    assert len(result.reserves) == 4
    assert result.remaining[:4] == result.reserves
    assert sorted(result.remaining + result.panel) == sorted(people)
    assert not set(result.remaining) & set(result.panel)
    for reserve in result.reserves:
        # Some panel member can be replaced by this reserve with every quota still met.
        assert any(
            all(q["met"] for q in pool.quotas_met([*(p for p in result.panel if p != m), reserve]))
            for m in result.panel
        )


def test_quotas_met_reports_each_quota():
    quotas, people = area_pool(60, 8, seed=7)
    result = select(quotas, people, 8, seed=1)
    assert len(result.quotas_met) == len(quotas)
    row = next(q for q in result.quotas_met if q["feature"] == "性別" and q["value"] == "女性")
    assert row["selected"] == sum(1 for p in result.panel if people[p]["性別"] == "女性")
    assert row["met"] is True


# --- Quotas that cannot be met -------------------------------------------


def test_pool_smaller_than_the_panel():
    quotas, people = area_pool(6, 8, seed=1)
    with pytest.raises(InfeasibleQuotas) as raised:
        select(quotas, people, 8, seed=1)
    assert "候補者が6人しかいないため、8人のパネルは選べません。" in raised.value.messages


def test_minimum_above_the_people_who_hold_the_value():
    quotas, people = area_pool(40, 8, seed=1)
    for q in quotas:
        if q["value"] == "緑町":
            q["min"], q["max"] = 30, 30
    with pytest.raises(InfeasibleQuotas) as raised:
        select(quotas, people, 8, seed=1)
    text = "\n".join(raised.value.messages)
    assert "「町丁目: 緑町」の下限30人を満たせません" in text
    assert ("町丁目", "緑町") in raised.value.quotas


def test_minimums_of_one_feature_add_up_to_more_than_the_panel():
    quotas, people = area_pool(60, 8, seed=1)
    for q in quotas:
        if q["feature"] == "性別":
            q["min"], q["max"] = 5, 6
    with pytest.raises(InfeasibleQuotas) as raised:
        select(quotas, people, 8, seed=1)
    assert any("「性別」の下限の合計（10人）" in m for m in raised.value.messages)


def test_quotas_that_clash_across_features_name_the_quota_to_loosen():
    # Every woman in this pool is 18-29: at least 4 women but at most 1 of 18-29 cannot both hold.
    people = {f"w{i}": {"性別": "女性", "年代": "18-29"} for i in range(6)}
    people.update({f"m{i}": {"性別": "男性", "年代": "60-69"} for i in range(6)})
    quotas = [
        {"feature": "性別", "value": "女性", "min": 4, "max": 5},
        {"feature": "性別", "value": "男性", "min": 1, "max": 5},
        {"feature": "年代", "value": "18-29", "min": 0, "max": 1},
        {"feature": "年代", "value": "60-69", "min": 0, "max": 6},
    ]
    with pytest.raises(InfeasibleQuotas) as raised:
        select(quotas, people, 6, seed=1)
    text = "\n".join(raised.value.messages)
    assert "他の割当と同時には" in text
    assert "「性別: 女性」" in text or "「年代: 18-29」" in text


def test_a_value_missing_from_the_features_is_a_data_error():
    quotas, people = area_pool(20, 4, seed=1)
    people["V00003"]["性別"] = "不明"
    with pytest.raises(PoolError) as raised:
        select(quotas, people, 4, seed=1)
    assert (
        "ID「V00003」の「性別」の値「不明」は特徴量ファイルにありません。" in raised.value.messages
    )


def test_values_match_regardless_of_width_and_case():
    quotas = [
        {"feature": "Sex", "value": "Female", "min": 1, "max": 2},
        {"feature": "Sex", "value": "Male", "min": 1, "max": 2},
    ]
    people = {"a": {"sex": "ＦＥＭＡＬＥ"}, "b": {"SEX": " male"}, "c": {"Sex": "Male"}}
    result = select(quotas, people, 2, seed=1)
    assert "a" in result.panel
    assert result.probabilities["a"] == pytest.approx(1.0)
    assert result.probabilities["b"] == pytest.approx(0.5)
