"""Intervals and tests: published golden values, statsmodels on random counts, vectorisation and
bad input."""

import warnings

import numpy as np
import pytest

import yosmodel as ym


def test_golden_values():
    lower, upper = ym.proportion_interval(18, 20)
    assert lower == pytest.approx(0.6989664, abs=5e-8)
    assert upper == pytest.approx(0.9721335, abs=5e-8)
    upper = ym.proportion_interval(0, 30, method="clopper_pearson")[1]
    assert upper == pytest.approx(0.1157033, abs=5e-8)
    lower, upper = ym.difference_interval(56, 70, 48, 80)
    assert (lower, upper) == (pytest.approx(0.0524, abs=5e-5), pytest.approx(0.3339, abs=5e-5))
    z, p = ym.two_proportion_ztest(56, 70, 48, 80)
    assert z == pytest.approx(2.6502, abs=5e-5)
    assert p == pytest.approx(0.00805, abs=5e-6)


STATSMODELS_NAMES = {"wilson": "wilson", "clopper_pearson": "beta", "jeffreys": "jeffreys",
                     "agresti_coull": "agresti_coull", "wald": "normal"}


@pytest.mark.parametrize("method", list(STATSMODELS_NAMES))
@pytest.mark.parametrize("level", [0.8, 0.95, 0.99])
def test_matches_statsmodels(method, level):
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    rng = np.random.default_rng(7)
    n = rng.integers(1, 400, 300)
    x = rng.integers(0, n + 1)
    x[:5] = 0
    x[5:10] = n[5:10]
    lower, upper = ym.proportion_interval(x, n, level=level, method=method)
    want_lower, want_upper = proportion.proportion_confint(x, n, alpha=1 - level,
                                                           method=STATSMODELS_NAMES[method])
    if method in ("wald", "agresti_coull"):  # yosmodel documents clipping to [0, 1]
        want_lower, want_upper = np.clip(want_lower, 0, 1), np.clip(want_upper, 0, 1)
    np.testing.assert_allclose(lower, want_lower, atol=1e-10)
    np.testing.assert_allclose(upper, want_upper, atol=1e-10)


def test_ztest_matches_statsmodels():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    rng = np.random.default_rng(11)
    for _ in range(50):
        n1, n2 = rng.integers(5, 500, 2)
        x1, x2 = rng.integers(1, n1), rng.integers(1, n2)
        z, p = ym.two_proportion_ztest(x1, n1, x2, n2)
        want_z, want_p = proportion.proportions_ztest([x1, x2], [n1, n2])
        assert z == pytest.approx(want_z, rel=1e-10)
        assert p == pytest.approx(want_p, rel=1e-9)


def test_newcombe_from_its_definition():
    # Method 10 built by hand from statsmodels' Wilson intervals.
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    x1, n1, x2, n2 = 13, 41, 31, 59
    l1, u1 = proportion.proportion_confint(x1, n1, method="wilson")
    l2, u2 = proportion.proportion_confint(x2, n2, method="wilson")
    p1, p2 = x1 / n1, x2 / n2
    lower, upper = ym.difference_interval(x1, n1, x2, n2)
    assert lower == pytest.approx(p1 - p2 - np.hypot(p1 - l1, u2 - p2), abs=1e-12)
    assert upper == pytest.approx(p1 - p2 + np.hypot(u1 - p1, p2 - l2), abs=1e-12)


def test_vectorised_and_broadcast():
    lower, upper = ym.proportion_interval(np.array([[1, 2], [3, 4]]), 10)
    assert lower.shape == (2, 2)
    assert lower[1, 0] == ym.proportion_interval(3, 10)[0]
    z, p = ym.two_proportion_ztest([5, 6], [20, 20], 9, 30)
    assert z.shape == (2,)
    assert isinstance(ym.proportion_interval(1, 2)[0], float)


def test_zero_trials_give_nan():
    lower, upper = ym.proportion_interval(0, 0)
    assert np.isnan(lower) and np.isnan(upper)


def test_undefined_ztest_warns_and_gives_nan():
    with pytest.warns(RuntimeWarning, match="undefined in 1 place"):
        z, p = ym.two_proportion_ztest(0, 10, 0, 25)
    assert np.isnan(z) and np.isnan(p)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ym.two_proportion_ztest(1, 10, 0, 25)


def test_bad_input():
    with pytest.raises(ValueError, match="successes exceed trials"):
        ym.proportion_interval(5, 4)
    with pytest.raises(ValueError, match="zero or more"):
        ym.proportion_interval(-1, 4)
    with pytest.raises(ValueError, match="whole numbers"):
        ym.proportion_interval(1.5, 4)
    with pytest.raises(ValueError, match="unknown interval method"):
        ym.proportion_interval(1, 4, method="exact")
    with pytest.raises(ValueError, match="level"):
        ym.proportion_interval(1, 4, level=1.5)
    with pytest.raises(ValueError, match="broadcast"):
        ym.difference_interval([1, 2], [3, 4, 5], 1, 2)
    with pytest.raises(TypeError, match="counts"):
        ym.proportion_interval("3", 4)


@pytest.mark.parametrize("successes, trials, message", [
    (np.inf, np.inf, "successes must be finite"),
    (np.uint64(2**63 + 5), np.uint64(2**64 - 1), "successes are beyond 64-bit integers"),
    (1e19, 2e19, "successes are beyond 64-bit integers"),
])
def test_counts_that_are_no_counts_are_refused_saying_why(successes, trials, message):
    # they were cast to int64, wrapped negative, and refused as "trials must be zero or more"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no numpy cast warning on the way
        with pytest.raises(ym.InputError, match=message):
            ym.proportion_interval(successes, trials)
    with pytest.raises(ValueError, match="events (must be finite|are beyond)"):
        ym.population_rate(successes, 100)


@pytest.mark.parametrize("call", [
    lambda: ym.proportion_interval(True, 10),
    lambda: ym.proportion_interval(3, np.bool_(True)),
    lambda: ym.proportion_interval(np.array([True, False]), 10),
    lambda: ym.proportion_interval([True, 2], [10, 10]),
    lambda: ym.difference_interval(True, 10, 3, 10),
    lambda: ym.two_proportion_ztest(3, 10, 4, [[10, False]]),
])
def test_truth_values_are_not_counts(call):
    # True was read as a count of 1: an interval for one success, silently
    with pytest.raises(ym.errors.DtypeError, match="not truth values"):
        call()
