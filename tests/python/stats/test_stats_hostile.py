"""Hostile inputs to the intervals and tests: each test's docstring says what happened before the
fix. Edge counts are checked against statsmodels."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import yosmodel as ym


@pytest.mark.parametrize("successes, trials", [
    (1, float(2**63)),
    (float(2**63), float(2**63)),
    (np.array([1.0, 2.0]), np.array([5.0, 2.0**63])),
])
def test_a_float_count_of_2_to_the_63_is_beyond_64_bit_integers(successes, trials):
    """2.0**63 passed the 'beyond 64-bit integers' check (numpy compares it with the largest
    int64 as a float, which rounds up to 2**63), wrapped to the most negative int64 when cast,
    and was refused as 'successes exceed trials' or 'trials must be zero or more'."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ym.InputError, match="beyond 64-bit integers"):
            ym.proportion_interval(successes, trials)


@pytest.mark.parametrize("successes, trials, name", [
    (1, 2**64, "trials"),
    (2**70, 2**71, "successes"),
    ([1, 2**64], 2**65, "successes"),
])
def test_a_whole_number_beyond_64_bits_says_so(successes, trials, name):
    """A Python int beyond 64 bits made numpy an object array, refused as '... must be counts
    (integers), not object': the count is an integer, only too large (or, negative, too
    small)."""
    with pytest.raises(ym.InputError, match=f"{name} are beyond 64-bit integers"):
        ym.proportion_interval(successes, trials)
    with pytest.raises(ym.InputError, match="successes must be zero or more"):
        ym.proportion_interval(-2**70, 5)


def test_masked_counts_are_refused_not_read_through_the_mask():
    """A numpy masked array's masked counts were used as if present (np.asarray drops the mask):
    an interval for a count the caller had hidden, silently."""
    successes = np.ma.array([1, 9], mask=[False, True])
    with pytest.raises(ym.InputError, match="successes has masked"):
        ym.proportion_interval(successes, 10)
    with pytest.raises(ym.InputError, match="n2 has masked"):
        ym.two_proportion_ztest(1, 10, 2, np.ma.masked_equal([10, 0], 0))
    # a masked array with nothing masked is ordinary counts
    lower, _ = ym.proportion_interval(np.ma.array([1, 9]), 10)
    np.testing.assert_allclose(lower, ym.proportion_interval([1, 9], 10)[0])


EDGE_COUNTS = [(0, 1), (1, 1), (0, 2), (1, 2), (2, 2), (0, 7), (7, 7), (0, 10**6), (10**6, 10**6)]


@pytest.mark.parametrize("method, theirs", [
    ("wilson", "wilson"), ("clopper_pearson", "beta"), ("jeffreys", "jeffreys"),
    ("agresti_coull", "agresti_coull"), ("wald", "normal")])
def test_edge_counts_match_statsmodels(method, theirs):
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    for x, n in EDGE_COUNTS:
        lower, upper = ym.proportion_interval(x, n, level=0.9, method=method)
        want = np.clip(proportion.proportion_confint(x, n, alpha=0.1, method=theirs), 0, 1)
        assert (lower, upper) == (pytest.approx(want[0], abs=1e-10),
                                  pytest.approx(want[1], abs=1e-10)), (x, n)


def test_newcombe_matches_statsmodels_on_random_and_edge_counts():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    rng = np.random.default_rng(5)
    n1, n2 = rng.integers(1, 80, 300), rng.integers(1, 80, 300)
    x1, x2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
    x1[:60], x2[30:90] = 0, n2[30:90]  # 0 of n and n of n
    lower, upper = ym.difference_interval(x1, n1, x2, n2, level=0.99)
    for k in range(len(n1)):
        want = proportion.confint_proportions_2indep(x1[k], n1[k], x2[k], n2[k],
                                                     method="newcomb", alpha=0.01)
        assert lower[k] == pytest.approx(want[0], abs=1e-10)
        assert upper[k] == pytest.approx(want[1], abs=1e-10)
