"""Choosing cases to inspect: proportional allocation (hand-worked), minimums, reproducibility
by seed, and the margin of error against statsmodels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym


def population(n: int = 400, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "case_id": [f"p{i}" for i in range(n)],
        "sentence_type": rng.choice(["community", "custody", "out of court"], n,
                                    p=[0.6, 0.1, 0.3]),
        "sex": rng.choice(["male", "female"], n, p=[0.88, 0.12]),
        "risk_of_harm": rng.choice(["low", "medium", "high"], n, p=[0.5, 0.42, 0.08]),
    })


def test_proportional_allocation_by_largest_remainder():
    # Sizes 50, 30, 20 of 100; n = 9: exact 4.5, 2.7, 1.8 -> floors 4, 2, 1 (7) and the two
    # largest remainders (0.8, 0.7) get one more: 4, 3, 2.
    cases = pd.DataFrame({"case_id": range(100),
                          "group": ["a"] * 50 + ["b"] * 30 + ["c"] * 20})
    s = ym.sample_cases(cases, 9, strata=["group"], seed=3)
    assert s.allocation["sampled"].tolist() == [4, 3, 2]
    assert s.allocation["population"].tolist() == [50, 30, 20]
    assert s.cases["group"].value_counts().sort_index().tolist() == [4, 3, 2]
    assert len(s.cases) == 9 and s.cases.index.is_monotonic_increasing


def test_reproducible_by_seed_and_different_across_seeds():
    cases = population()
    a = ym.sample_cases(cases, 40, strata=["sentence_type", "sex"], seed=11)
    b = ym.sample_cases(cases, 40, strata=["sentence_type", "sex"], seed=11)
    c = ym.sample_cases(cases, 40, strata=["sentence_type", "sex"], seed=12)
    pd.testing.assert_frame_equal(a.cases, b.cases)
    assert not a.cases["case_id"].equals(c.cases["case_id"])
    pd.testing.assert_frame_equal(a.allocation, c.allocation)


def test_minimums_are_met_and_the_rest_stays_proportional():
    cases = population()
    minimums = {"sex": {"female": 10}, "risk_of_harm": {"high": 10}}
    for seed in range(5):
        s = ym.sample_cases(cases, 40, strata=["sentence_type"], minimums=minimums, seed=seed)
        assert len(s.cases) == 40 and s.cases["case_id"].is_unique
        assert (s.cases["sex"] == "female").sum() >= 10
        assert (s.cases["risk_of_harm"] == "high").sum() >= 10
        assert s.cases["case_id"].isin(cases["case_id"]).all()
        # Swaps come out of over-represented strata: no stratum is more than a few cases off.
        off = (s.allocation["sampled"] - s.allocation["proportional_share"]).abs()
        assert off.max() <= 10


def test_impossible_requests_are_errors():
    cases = population(60)
    with pytest.raises(ValueError, match="cannot sample 61 cases from 60"):
        ym.sample_cases(cases, 61)
    with pytest.raises(ValueError, match="the group has"):
        ym.sample_cases(cases, 20, minimums={"sex": {"female": 59}})
    with pytest.raises(ValueError, match="add up to more than n"):
        ym.sample_cases(cases, 5, minimums={"sex": {"female": 3, "male": 3}})
    with pytest.raises(ValueError, match="no attribute"):
        ym.sample_cases(cases, 5, strata=["shoe_size"])
    with pytest.raises(ValueError, match="positive whole number"):
        ym.sample_cases(cases, 0)
    with pytest.raises(TypeError):
        ym.sample_cases(cases.to_dict(), 5)
    with pytest.raises(ValueError, match="missing in 1 case"):
        ym.sample_cases(cases.assign(sex=cases["sex"].where(cases.index > 0, None)), 5,
                        strata=["sex"])


def test_no_strata_is_a_simple_random_sample():
    s = ym.sample_cases(population(), 25, seed=1)
    assert len(s.cases) == 25 and s.allocation["sampled"].tolist() == [25]


def test_margin_of_error_is_half_a_wilson_interval_at_50_percent():
    from statsmodels.stats.proportion import proportion_confint

    for n in (14, 90):
        lo, hi = proportion_confint(n // 2, n, 0.05, "wilson")
        assert ym.margin_of_error(n) == pytest.approx((hi - lo) / 2, abs=1e-9)


@pytest.mark.parametrize("n", [1, 3, 57, 101])
@pytest.mark.parametrize("level", [0.9, 0.95])
def test_margin_of_error_of_an_odd_sample_is_still_the_widest(n, level):
    # An odd n has no count at 50%: (n // 2) / n understated it (0.397 for one case; the
    # Wilson half-width at one half is 0.445). Reference: the Wilson formula with scipy's z.
    from scipy.stats import norm

    z = norm.ppf(0.5 + level / 2)
    want = z * np.sqrt(0.25 / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert ym.margin_of_error(n, level) == pytest.approx(want, rel=1e-12)
    assert ym.margin_of_error(n, level) > ym.margin_of_error(n + 1, level)


def test_margin_of_error_57_cases():
    assert ym.margin_of_error(57) == pytest.approx(0.125, abs=0.005)  # about +/- 13 points
    assert ym.margin_of_error(90) < ym.margin_of_error(57) < ym.margin_of_error(14)
    s = ym.sample_cases(population(), 57, seed=0)
    assert s.margin_of_error == ym.margin_of_error(57)
    with pytest.raises(ValueError):
        ym.margin_of_error(0)


def test_truth_values_seeds_of_text_and_repeated_case_ids_are_refused():
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(20)], "sex": ["m"] * 15 + ["f"] * 5})
    with pytest.raises(ValueError, match="n must be a positive whole number"):
        ym.sample_cases(cases, True)
    with pytest.raises(ValueError, match="n must be a positive whole number"):
        ym.margin_of_error(True)
    with pytest.raises(ValueError, match="each minimum must be a whole number"):
        ym.sample_cases(cases, 5, minimums={"sex": {"f": True}})
    with pytest.raises(TypeError, match="seed must be a whole number") as caught:
        ym.sample_cases(cases, 5, seed="c3")
    assert "c3" not in str(caught.value)
    with pytest.raises(ValueError, match="'case_id': 1 case id"):
        ym.sample_cases(pd.concat([cases, cases.iloc[[3]]]), 5)


def test_a_tie_of_remainders_goes_to_the_larger_stratum_exactly():
    # Shares 1/3, 4/3, 1/3: three equal remainders of 1/3, one case left, which goes to the
    # larger stratum (in floats 4 * 2 / 6 - 1 < 1 / 3 and it went to the first).
    cases = pd.DataFrame({"case_id": [f"c{i}" for i in range(6)],
                          "group": ["a", "b", "b", "b", "b", "c"]})
    sample = ym.sample_cases(cases, 2, strata=["group"], seed=0)
    assert sample.allocation["sampled"].tolist() == [0, 2, 0]
