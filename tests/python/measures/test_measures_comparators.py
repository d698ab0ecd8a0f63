"""Comparators, funnel limits, the relative rate index and concentration, against direct
computations (scipy's binomial, the log-method formula written out, sorted counts)."""

import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from scipy import stats

import yosmodel as ym

SERVICES = pd.DataFrame({
    "yjs": ["A", "B", "C", "D", "E"],
    "offenders": [70, 80, 120, 60, 300],
    "reoffenders": [56, 48, 40, 21, 99],
})


def test_comparator_with_one_service_matches_the_golden_difference():
    # 56/70 against 48/80: difference 0.200 (0.0524, 0.3339), z = 2.6502, p = 0.00805.
    out = ym.compare_with_comparators(SERVICES, "A", {"neighbour": ["B"]})
    row = out.iloc[0]
    assert row["services"] == 1
    assert row["difference"] == pytest.approx(0.2)
    assert row["difference_lower"] == pytest.approx(0.0524, abs=5e-5)
    assert row["difference_upper"] == pytest.approx(0.3339, abs=5e-5)
    assert row["z"] == pytest.approx(2.6502, abs=5e-5)
    assert row["p_value"] == pytest.approx(0.00805, abs=5e-6)
    assert bool(row["significant"])


def test_comparators_pool_counts_and_exclude_the_service_by_default():
    out = ym.compare_with_comparators(
        SERVICES, "A", {"neighbours": ["B", "C"], "England and Wales": "all"}).set_index(
        "comparator")
    assert out.loc["neighbours", "comparator_events"] == 88
    assert out.loc["neighbours", "comparator_base"] == 200
    assert out.loc["England and Wales", "services"] == 4  # A itself left out
    assert out.loc["England and Wales", "comparator_rate"] == pytest.approx(208 / 560)
    with_a = ym.compare_with_comparators(SERVICES, "A", {"all": "all"}, include_service=True)
    assert with_a["comparator_base"].iloc[0] == 630
    with pytest.raises(KeyError, match="1 service"):
        ym.compare_with_comparators(SERVICES, "A", {"x": ["B", "Z"]})
    with pytest.raises(ValueError, match="only the service"):
        ym.compare_with_comparators(SERVICES, "A", {"x": ["A"]})


def test_rate_comparison_uses_the_rate_ratio():
    table = pd.DataFrame({"yjs": ["A", "B"], "first_time_entrants": [30, 20],
                          "population": [10000, 20000]})
    out = ym.compare_with_comparators(table, "A", {"B": ["B"]}, events="first_time_entrants",
                                      base="population", kind="rate").iloc[0]
    assert out["rate_ratio"] == pytest.approx(3.0)
    half = 1.959963985 * math.sqrt(1 / 30 + 1 / 20)
    assert out["ratio_lower"] == pytest.approx(3 * math.exp(-half))
    assert bool(out["significant"])


def test_quartile_among_neighbours():
    rates = pd.DataFrame({"yjs": list("ABCDEFGH"),
                          "binary_rate": [0.30, 0.25, 0.35, 0.40, 0.20, 0.45, 0.33, 0.38]})
    q = ym.measures.quartile_among(rates, "A", list("BCDEFGH"))
    # Sorted lowest first: E .20, B .25, A .30, ...: A is 3rd of 8, quartile ceil(12/8) = 2.
    assert (q["rank"], q["of"], q["quartile"]) == (3, 8, 2)
    assert ym.measures.quartile_among(rates, "F", list("ABCDEGH"))["quartile"] == 4


def _direct_limit(target, n, p):
    r = stats.binom.ppf(p, n, target)
    f_r, f_below = stats.binom.cdf(r, n, target), stats.binom.cdf(r - 1, n, target)
    return min(max((r - (f_r - p) / (f_r - f_below)) / n, 0.0), 1.0)


def test_funnel_limits_against_a_direct_computation():
    sizes = np.array([5, 20, 57, 150, 1000, 20000])
    limits = ym.funnel_limits(0.37, sizes)
    assert list(limits.columns) == ["size", "lower_95", "upper_95", "lower_99.8", "upper_99.8"]
    for level, name in ((0.95, "95"), (0.998, "99.8")):
        tail = (1 - level) / 2
        expected_lower = [_direct_limit(0.37, n, tail) for n in sizes]
        expected_upper = [_direct_limit(0.37, n, 1 - tail) for n in sizes]
        np.testing.assert_allclose(limits[f"lower_{name}"], expected_lower, atol=1e-9)
        np.testing.assert_allclose(limits[f"upper_{name}"], expected_upper, atol=1e-9)
    assert np.isnan(ym.funnel_limits(0.3, [0])["upper_95"].iloc[0])
    with pytest.raises(ValueError, match="between 0 and 1"):
        ym.funnel_limits(1.2, [10])
    with pytest.raises(ValueError, match="whole numbers"):
        ym.funnel_limits(0.3, [10.5])
    for truth in ([True, 10], np.array([True, False]), (10, np.bool_(True))):
        # numpy reads [True, 10] as [1, 10]: a flag is no sample size
        with pytest.raises(TypeError, match="not truth values"):
            ym.funnel_limits(0.3, truth)


def test_funnel_plot_draws_and_labels_outliers():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    services = pd.concat([SERVICES, pd.DataFrame({"yjs": ["Z"], "offenders": [400],
                                                  "reoffenders": [300]})])
    ax = ym.funnel_plot(services, highlight="A")
    labels = [t.get_text() for t in ax.texts]
    assert "Z" in labels and "B" not in labels
    assert not any(t.get_gid() == "withheld" for t in ax.texts)


def test_funnel_plot_leaves_out_services_with_small_counts_by_default():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    services = pd.concat([SERVICES, pd.DataFrame({"yjs": ["Tiny"], "offenders": [7],
                                                  "reoffenders": [6]})], ignore_index=True)
    ax = ym.funnel_plot(services, highlight="A")
    points = ax.collections[-1].get_offsets()
    assert len(points) == len(SERVICES)  # the service of 7 children is not drawn
    assert 7 not in points[:, 0]
    (note,) = [t for t in ax.texts if t.get_gid() == "withheld"]
    assert note.get_text().startswith("1 service(s) left out")
    assert "Tiny" not in [t.get_text() for t in ax.texts]
    assert len(services) == 6 and services["offenders"].notna().all()  # not modified
    off = ym.funnel_plot(services, disclosure=None)
    assert len(off.collections[-1].get_offsets()) == 6
    with pytest.raises(ValueError, match="every service's counts are withheld"):
        ym.funnel_plot(services.tail(1))
    plt.close("all")


def test_relative_rate_index_by_stage():
    table = pd.DataFrame({
        "stage": ["fte", "fte", "fte", "custody", "custody", "custody"],
        "ethnicity": ["White", "Black", "Asian", "White", "Black", "Asian"],
        "events": [200, 90, 0, 10, 12, 1],
        "population": [100000, 15000, 9000, 200, 90, 5],
    })
    out = ym.relative_rate_index(table, "ethnicity", "White", stage="stage").set_index(
        ["stage", "ethnicity"])
    black = out.loc[("fte", "Black")]
    assert black["relative_rate_index"] == pytest.approx((90 / 15000) / (200 / 100000))
    se = math.sqrt(1 / 90 - 1 / 15000 + 1 / 200 - 1 / 100000)
    assert black["upper"] == pytest.approx(black["relative_rate_index"] * math.exp(
        stats.norm.ppf(0.975) * se))
    assert bool(black["significant"])
    assert out.loc[("fte", "White"), "relative_rate_index"] == pytest.approx(1.0)
    assert np.isnan(out.loc[("fte", "White"), "upper"])
    assert not out.loc[("fte", "White"), "significant"]
    assert out.loc[("fte", "Asian"), "relative_rate_index"] == 0.0
    assert np.isnan(out.loc[("fte", "Asian"), "lower"])
    custody = out.loc[("custody", "Black")]
    assert custody["relative_rate_index"] == pytest.approx((12 / 90) / (10 / 200))
    with pytest.raises(ValueError, match="variance"):
        ym.relative_rate_index(table, "ethnicity", "White", stage="stage", variance="x")
    with pytest.raises(ValueError, match="repeats a group"):
        ym.relative_rate_index(table, "ethnicity", "White")


def test_concentration_against_sorted_counts():
    rng = np.random.default_rng(4)
    cohort = pd.DataFrame({"reoffences": np.where(rng.random(2000) < 0.4,
                                                  rng.geometric(0.3, 2000), 0)})
    out = ym.reoffending_concentration(cohort, shares=(0.05, 0.10, 0.20))
    counts = np.sort(cohort["reoffences"][cohort["reoffences"] > 0].to_numpy())[::-1]
    for share, value in zip((0.05, 0.10, 0.20), out["share_of_reoffences"]):
        k = share * len(counts)
        whole = math.floor(k)
        top = counts[:whole].sum() + (k - whole) * (counts[whole] if whole < len(counts) else 0)
        assert value == pytest.approx(top / counts.sum(), rel=1e-12)
    assert out.attrs["children"] == len(counts)
    curve = ym.lorenz_curve(cohort)
    assert curve["share_of_reoffences"].iloc[-1] == pytest.approx(1.0)
    assert curve.attrs["gini"] == pytest.approx(out.attrs["gini"])
    # Gini from the mean absolute difference, an independent formula.
    diffs = np.abs(counts[:, None] - counts[None, :]).mean()
    assert out.attrs["gini"] == pytest.approx(diffs / (2 * counts.mean()), rel=1e-9)
    whole = ym.reoffending_concentration(cohort, shares=[0.031], among="cohort")
    assert 0 < whole["share_of_reoffences"].iloc[0] < 1


def test_definition_break_is_marked():
    trend = pd.DataFrame({"period_start": pd.to_datetime(["2014-04-01", "2015-04-01",
                                                          "2015-10-01", "2016-01-01"]),
                          "binary_rate": [0.38, 0.37, 0.41, 0.40]})
    out = ym.measures.mark_definition_break(trend)
    assert list(out["comparable_with_previous"]) == [True, True, False, True]
    assert any("October 2015" in w for w in out.attrs["warnings"])


@pytest.mark.parametrize("shares", ["0.1", 0.1, [True], ["0.1"]])
def test_concentration_shares_of_text_or_truth_values_are_refused(shares):
    cohort = pd.DataFrame({"reoffences": [1, 2, 3]})
    with pytest.raises(TypeError, match="shares must be a list of fractions"):
        ym.reoffending_concentration(cohort, shares=shares)


@pytest.mark.parametrize("flags", [np.array([True, False, True]),
                                   pd.array([True, False, None], dtype="boolean"),
                                   [True, False, True]])
def test_concentration_of_a_reoffended_flag_is_refused(flags):
    # Each reoffender would count one reoffence: shares of a flag answer a different question.
    with pytest.raises(TypeError, match="column 'reoffences' holds truth values"):
        ym.reoffending_concentration(pd.DataFrame({"reoffences": flags}))
    with pytest.raises(TypeError, match="column 'reoffences' holds truth values"):
        ym.reoffending_concentration(pa.table({"reoffences": pa.array(flags)}))


@pytest.mark.parametrize("events", [[True, True], pd.array([True, False], dtype="boolean"),
                                    pd.Series([True, 3], dtype=object)])
def test_relative_rate_index_refuses_truth_values_as_counts(events):
    table = pd.DataFrame({"ethnicity": ["White", "Black"], "population": [1000, 400]})
    table["events"] = events
    with pytest.raises(TypeError, match="column 'events' holds truth values"):
        ym.relative_rate_index(table, "ethnicity", "White")


def test_a_reference_group_not_in_the_table_is_named_with_the_groups():
    table = pd.DataFrame({"ethnicity": ["White", "Black"], "events": [30, 12],
                          "population": [1000, 200]})
    with pytest.raises(ValueError, match="not a value of column 'ethnicity' \\(did you mean "
                                         "'White'\\?\\); its groups are White, Black"):
        ym.relative_rate_index(table, "ethnicity", "white")


def test_concentration_withholds_shares_of_few_children_by_default():
    # Three reoffenders: the top 5% is a fraction of one child, and the share times the total
    # was that child's count. Shares are withheld when they cover, or leave out, fewer children
    # than the threshold; with fewer children in all, the Gini and the totals too.
    small = pd.DataFrame({"reoffences": [7, 1, 2, 0]})
    out = ym.reoffending_concentration(small)
    assert out["share_of_reoffences"].isna().all()
    assert out.attrs["gini"] is None and out.attrs["children"] is None
    assert out.attrs["reoffences"] is None
    # and each share's children (its fraction of the total) would give the total back
    assert out["children"].isna().all()
    assert out.attrs["disclosure"]["applied"] is True
    off = ym.reoffending_concentration(small, disclosure=None)
    assert off["children"].tolist() == pytest.approx([0.15, 0.30, 0.60])
    assert off["share_of_reoffences"].iloc[0] == pytest.approx(0.15 * 7 / 10)
    assert off.attrs["disclosure"]["applied"] is False
    # 100 reoffenders: the top 5% (5 children) is withheld, the top 10% and 20% are not, nor is
    # a share of 95% (it leaves 5 out).
    cohort = pd.DataFrame({"reoffences": np.arange(1, 101)})
    shares = ym.reoffending_concentration(cohort, shares=(0.05, 0.10, 0.20, 0.95))
    assert shares["share_of_reoffences"].isna().tolist() == [True, False, False, True]
    assert shares.attrs["disclosure"]["withheld"] == 2
    assert shares.attrs["children"] == 100


def test_lorenz_curve_is_given_only_at_points_a_threshold_of_children_apart():
    counts = np.arange(1, 26)  # 25 children: two steps of 12 and 13 at the default threshold
    curve = ym.lorenz_curve(pd.DataFrame({"reoffences": counts}))
    assert curve["share_of_children"].tolist() == pytest.approx([0, 12 / 25, 1])
    assert curve["share_of_reoffences"].tolist() == pytest.approx(
        [0, counts[:12].sum() / counts.sum(), 1])
    steps = np.diff(np.rint(curve["share_of_children"].to_numpy() * 25))
    assert (steps >= 10).all()
    full = ym.lorenz_curve(pd.DataFrame({"reoffences": counts}), disclosure=None)
    assert len(full) == 26
    with pytest.raises(ValueError, match="fewer than 10 children"):
        ym.lorenz_curve(pd.DataFrame({"reoffences": [3, 1, 2]}))
    five = ym.lorenz_curve(pd.DataFrame({"reoffences": counts}),
                           disclosure={"threshold": 5, "allow_small_threshold": True})
    assert len(five) == 6
