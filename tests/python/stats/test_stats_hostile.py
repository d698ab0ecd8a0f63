"""Hostile inputs to the intervals and tests: each test's docstring says what happened before the
fix. Edge counts are checked against statsmodels."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
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


def test_whole_numbers_held_as_objects_are_counts():
    """Whole numbers held as objects (a pandas object column) were refused as 'must be counts
    (integers), not object' (and, after the first fix for ints beyond 64 bits, called 'beyond
    64-bit integers'); they are counts."""
    lower, upper = ym.proportion_interval(pd.Series([1, 2], dtype=object), 10)
    np.testing.assert_array_equal(lower, ym.proportion_interval([1, 2], 10)[0])
    with pytest.raises(ym.DtypeError, match="not object"):
        ym.proportion_interval(np.array([1, True], dtype=object), 10)


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


@pytest.mark.parametrize("call, words", [
    (lambda: ym.difference_interval(1, 5, 7, 6), "x2 exceeds n2 in 1 place"),
    (lambda: ym.difference_interval([9, 1], [5, 5], 1, 6), "x1 exceeds n1 in 1 place"),
    (lambda: ym.two_proportion_ztest(1, 5, [7, 8], 6), "x2 exceeds n2 in 2 place"),
])
def test_a_proportion_above_1_names_its_group(call, words):
    """difference_interval and two_proportion_ztest refused x1 > n1 or x2 > n2 with the core's
    'successes exceed trials', which names neither x1/n1 nor x2/n2."""
    with pytest.raises(ym.InputError, match=words):
        call()


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


# ---- compare_rates -----------------------------------------------------------------------------

RATES = pd.DataFrame({"yjs": ["A", "B", "C"], "offenders": [100, 100, 100],
                      "reoffenders": [5, 0, 100]})


@pytest.mark.parametrize("known", [0.0, 1.0])
def test_a_known_rate_of_0_or_1_is_tested_exactly(known):
    """Against a known rate of 0% (or 100%) every row was 'not significant' with p NaN and no
    warning, even 100% of 100 against 0% nationally, while its interval excluded no change."""
    scipy_stats = pytest.importorskip("scipy.stats")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = ym.compare_rates(RATES, known, comparator_name="national")
    want = [scipy_stats.binomtest(x, n, p=known).pvalue
            for x, n in zip(RATES["reoffenders"], RATES["offenders"])]
    np.testing.assert_allclose(out["p_value"], want)
    differs = RATES["reoffenders"] / RATES["offenders"] != known
    assert out["significant"].tolist() == differs.tolist()
    excludes = (out["binary_rate_difference_lower"] > 0) | (out["binary_rate_difference_upper"] < 0)
    assert excludes.tolist() == differs.tolist()  # the interval and the test agree
    assert all(("not significant" in s) != d for s, d in zip(out["summary"], differs))


def test_compare_rates_level_is_checked_like_the_intervals():
    """level='0.95' failed with Python's "'<' not supported between instances of 'int' and
    'str'"."""
    with pytest.raises(ym.InputError, match="level must be strictly between 0 and 1"):
        ym.compare_rates(RATES, 0.3, level="0.95")
    with pytest.raises(ym.InputError, match="level"):
        ym.compare_rates(RATES, 0.3, level=True)


def test_compare_rates_key_columns_of_different_kinds_are_refused_naming_the_key():
    """A table keyed by text ('1', '2') and a comparator keyed by numbers (a CSV read back)
    failed inside pandas' merge ("You are trying to merge on str and int64 columns")."""
    table = pd.DataFrame({"yjs": ["1", "2"], "offenders": [100, 80], "reoffenders": [30, 20]})
    comparator = table.assign(yjs=[1, 2], offenders=[120, 90])
    with pytest.raises(ym.DtypeError, match="'yjs'.*text.*numbers"):
        ym.compare_rates(table, comparator)


def test_compare_rates_counts_beyond_64_bits_and_reoffenders_above_offenders_say_so():
    """offenders of 1e19 wrapped when cast (a numpy RuntimeWarning) and were refused as 'trials
    must be zero or more'; more reoffenders than offenders was 'successes exceed trials',
    naming neither column."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ym.InputError, match="table's offenders are beyond 64-bit"):
            ym.compare_rates(RATES.assign(offenders=[1e19, 100, 100]), 0.3)
    with pytest.raises(ym.InputError, match="table has more reoffenders than offenders in 1 row"):
        ym.compare_rates(RATES.assign(reoffenders=[130, 0, 100]), 0.3)
    with pytest.raises(ym.InputError, match="comparator has more reoffenders than offenders"):
        ym.compare_rates(RATES, {"offenders": 10, "reoffenders": 11})
    in_percent = {"offenders": 200, "binary_rate": 37.8}  # a published table's 37.8%
    with pytest.raises(ym.InputError, match="binary_rate is a proportion"):
        ym.compare_rates(RATES, in_percent)


def test_compare_rates_keys_missing_or_not_names_are_refused_saying_so():
    """on='region' missing from the table failed inside pandas ("None of [Index(['region'],
    dtype='str')] are in the [columns]"), and on=3 with "'int' object is not iterable"."""
    table = RATES.assign(region=["x", "y", "z"])
    with pytest.raises(KeyError, match="key column 'region' is not in the comparator"):
        ym.compare_rates(table, RATES, on="region")
    with pytest.raises(KeyError, match="key column 'region' is not in the table"):
        ym.compare_rates(RATES, table, on=["yjs", "region"])
    with pytest.raises(TypeError, match="on must name key columns"):
        ym.compare_rates(RATES, RATES, on=3)


@pytest.mark.parametrize("comparator", [
    {"offenders": 100, "reoffenders": 30},
    pd.DataFrame({"yjs": ["A"], "offenders": [100], "reoffenders": [30]}),
])
def test_compare_rates_on_an_empty_table_gives_an_empty_comparison(comparator):
    """An empty table (a filter that kept no service) against one comparator row failed inside
    pandas with "No objects to concatenate"; against a known rate it gave an empty table."""
    out = ym.compare_rates(RATES.iloc[:0], comparator)
    assert len(out) == 0 and "p_value" in out and "summary" in out
    full = ym.compare_rates(RATES, comparator)
    assert list(out.columns) == list(full.columns)


def test_compare_rates_a_column_twice_is_refused_naming_it():
    """A table (or comparator) with two 'offenders' columns failed inside pandas with "arg must
    be a list, tuple, 1-d array, or Series"."""
    twice = pd.concat([RATES, RATES[["offenders"]]], axis=1)
    with pytest.raises(ym.InputError, match="table has column 'offenders' more than once"):
        ym.compare_rates(twice, 0.3)
    with pytest.raises(ym.InputError, match="comparator has column 'offenders' more than once"):
        ym.compare_rates(RATES, twice)


def test_series_with_different_index_labels_are_not_paired_by_position():
    """Two groupby results in different orders were paired by position: group A's successes
    with group B's trials, with nothing said (pandas itself pairs by label)."""
    successes = pd.Series([5, 8], index=["A", "B"])
    trials = pd.Series([100, 10], index=["B", "A"])
    with pytest.raises(ym.InputError, match="successes and trials are pandas Series with "
                                            "different index"):
        ym.proportion_interval(successes, trials)
    with pytest.raises(ym.InputError, match="x1 and n2"):
        ym.difference_interval(successes, 20, 3, trials)
    aligned = ym.proportion_interval(successes, trials.reindex(successes.index))
    np.testing.assert_allclose(aligned[0], ym.proportion_interval([5, 8], [10, 100])[0])
    # a Series beside plain numbers or arrays is paired by position, as before
    ym.proportion_interval(successes, 100)
    ym.proportion_interval(successes, np.array([10, 100]))
