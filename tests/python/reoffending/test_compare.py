"""compare_rates against the golden values of methodology.md section 4 (hand-worked), against
statsmodels on random counts, and the Lewisham 2016 figures."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym


def rates_table(rows):
    return pd.DataFrame(rows, columns=["yjs", "offenders", "reoffenders", "reoffences"])


def test_golden_values_from_the_methodology():
    table = rates_table([("A", 70, 56, 100)])
    comparator = {"offenders": 80, "reoffenders": 48, "reoffences": 96}
    out = ym.compare_rates(table, comparator)
    row = out.iloc[0]
    assert row.binary_rate_difference == pytest.approx(0.2)
    assert row.binary_rate_difference_lower == pytest.approx(0.0524, abs=5e-5)
    assert row.binary_rate_difference_upper == pytest.approx(0.3339, abs=5e-5)
    assert row.z == pytest.approx(2.6502, abs=5e-5)
    assert row.p_value == pytest.approx(0.00805, abs=5e-6)
    assert row.significant
    assert row.comparator_binary_rate == pytest.approx(0.6)
    assert row.frequency_rate_difference == pytest.approx(100 / 70 - 96 / 80)
    assert out.attrs["comparison"]["level"] == 0.95
    # a stricter level widens the interval and can change the verdict
    strict = ym.compare_rates(table, comparator, level=0.999).iloc[0]
    assert strict.binary_rate_difference_lower < row.binary_rate_difference_lower
    assert not strict.significant


def test_against_statsmodels_on_random_counts():
    proportion = pytest.importorskip("statsmodels.stats.proportion")
    rng = np.random.default_rng(0)
    n1 = rng.integers(5, 400, 40)
    n2 = rng.integers(5, 4000, 40)
    x1 = rng.binomial(n1, 0.4)
    x2 = rng.binomial(n2, 0.35)
    table = pd.DataFrame({"yjs": [f"S{i}" for i in range(40)], "offenders": n1,
                          "reoffenders": x1})
    comparator = pd.DataFrame({"yjs": table["yjs"], "offenders": n2, "reoffenders": x2})
    out = ym.compare_rates(table, comparator, level=0.9)
    for i in range(40):
        lower, upper = proportion.confint_proportions_2indep(
            x1[i], n1[i], x2[i], n2[i], method="newcomb", compare="diff", alpha=0.1)
        z, p = proportion.proportions_ztest([x1[i], x2[i]], [n1[i], n2[i]])
        assert out.binary_rate_difference_lower[i] == pytest.approx(lower, abs=1e-9)
        assert out.binary_rate_difference_upper[i] == pytest.approx(upper, abs=1e-9)
        assert out.z[i] == pytest.approx(z, rel=1e-9)
        assert out.p_value[i] == pytest.approx(p, rel=1e-7)
        assert out.significant[i] == (p <= 0.1)


def test_comparator_rows_matched_on_keys():
    this_year = rates_table([("A", 100, 40, 90), ("B", 50, 30, 80), ("C", 20, 5, 6)])
    last_year = rates_table([("B", 60, 20, 50), ("A", 90, 45, 100)])
    out = ym.compare_rates(this_year, last_year)
    assert out["yjs"].tolist() == ["A", "B", "C"]
    assert out.binary_rate_difference[0] == pytest.approx(0.4 - 0.5)
    assert out.binary_rate_difference[1] == pytest.approx(0.6 - 20 / 60)
    assert np.isnan(out.binary_rate_difference[2]) and not out.significant[2]
    assert pd.isna(out.comparator_offenders[2])
    with pytest.raises(ValueError, match="more than one row"):
        ym.compare_rates(this_year, pd.concat([last_year, last_year]))
    with pytest.raises(ValueError, match="no key columns"):
        ym.compare_rates(this_year, last_year.drop(columns="yjs"))


def test_rates_only_comparator_and_reoffending_rates_output():
    cohort = ym.datasets.synthetic_cohort(20_000, seed=3)
    by_sex = ym.reoffending_rates(cohort, by="sex")
    overall = ym.reoffending_rates(cohort)
    out = ym.compare_rates(by_sex, overall.iloc[0])
    # each sex against the whole cohort, from the rates table's own columns
    expected = by_sex.binary_rate - overall.binary_rate.iloc[0]
    np.testing.assert_allclose(out.binary_rate_difference, expected)
    national = pd.Series({"offenders": 30_000, "binary_rate": 0.378, "frequency_rate": 1.21})
    out = ym.compare_rates(by_sex, national)
    assert out.comparator_binary_rate.iloc[0] == pytest.approx(round(0.378 * 30000) / 30000)
    assert out.comparator_frequency_rate.iloc[0] == pytest.approx(1.21)


def test_undefined_test_says_so():
    table = rates_table([("A", 10, 0, 0)])
    with pytest.warns(RuntimeWarning, match="undefined"):
        out = ym.compare_rates(table, {"offenders": 20, "reoffenders": 0, "reoffences": 0})
    assert np.isnan(out.p_value[0]) and not out.significant[0]
    assert out.binary_rate_difference[0] == 0


def test_bad_inputs():
    table = rates_table([("A", 10, 3, 4)])
    with pytest.raises(KeyError, match="offenders"):
        ym.compare_rates(table, {"reoffenders": 3})
    with pytest.raises(ValueError, match="whole numbers"):
        ym.compare_rates(table, {"offenders": 10.5, "reoffenders": 3})
    with pytest.raises(ValueError, match="level"):
        ym.compare_rates(table, {"offenders": 10, "reoffenders": 3}, level=95)


def test_lewisham_figures_as_published():
    figures = ym.datasets.lewisham_2016_reoffending()
    assert figures["binary_rate"].tolist() == [0.46, 0.439, 0.378]
    assert figures["frequency_rate"].tolist() == [1.48, 1.24, 1.21]
    assert figures["cohort"].tolist()[0] == "Oct 2013 - Sep 2014"
    assert figures["offenders_assumed"].all()
    assert "not in the report" in figures.attrs["assumptions"]["note"]
    # 1.48 / 0.46 = 3.2 reoffences per reoffender: a frequency rate, not previous offences
    assert figures["frequency_rate"][0] / figures["binary_rate"][0] == pytest.approx(3.22, abs=0.01)


def test_lewisham_answer_depends_on_the_assumed_cohort_size():
    p_values = []
    for size in (50, 100, 150, 250, 500, 1000):
        figures = ym.datasets.lewisham_2016_reoffending(lewisham=size)
        out = ym.compare_rates(figures.iloc[[0]], figures.iloc[2])
        p_values.append(out.p_value.iloc[0])
    assert all(a > b for a, b in zip(p_values, p_values[1:]))  # bigger cohort, surer
    assert p_values[0] > 0.05 and p_values[-1] < 0.001
    # hand-worked for 250 vs 30,000: 115/250 vs 11,340/30,000
    figures = ym.datasets.lewisham_2016_reoffending()
    row = ym.compare_rates(figures.iloc[[0]], figures.iloc[2]).iloc[0]
    pooled = (115 + 11340) / 30250
    z = (0.46 - 0.378) / np.sqrt(pooled * (1 - pooled) * (1 / 250 + 1 / 30000))
    assert row.z == pytest.approx(z, rel=1e-12)
    with pytest.raises(ValueError):
        ym.datasets.lewisham_2016_reoffending(lewisham=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ym.compare_rates(figures.iloc[[0]], figures.iloc[1])


def test_a_published_table_read_back_compares_its_withheld_rows_as_withheld():
    """Any text in a count column was read as withheld: "8O" typed for 80 dropped service B
    from the comparison, worded as disclosure control."""
    cohort = pd.DataFrame({"yjs": ["A"] * 40 + ["B"] * 30 + ["C"] * 4,
                           "reoffences": ([0, 1, 2, 0] * 20)[:74]})
    published = ym.to_published(ym.suppress(ym.reoffending_rates(cohort, by="yjs"), by="yjs"))
    assert published.loc[2, "offenders"] == "~"
    national = {"offenders": 1000, "reoffenders": 380}
    out = ym.compare_rates(published, national, comparator_name="national")
    assert out["summary"].iloc[2].startswith("withheld") and not out["significant"].iloc[2]
    assert not np.isnan(out["binary_rate_difference"].iloc[0])
    for mark in ["[c]", " [X] ", "*", "..", "n/a", "NULL"]:
        marked = published.assign(offenders=published["offenders"].replace("~", mark))
        assert ym.compare_rates(marked, national)["summary"].iloc[2].startswith("withheld")
    typo = published.assign(offenders=published["offenders"].replace("30", "3O"))
    with pytest.raises(ym.InputError, match="'offenders' has 1 value") as caught:
        ym.compare_rates(typo, national)
    assert "3O" not in str(caught.value)
