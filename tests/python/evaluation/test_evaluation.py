"""evaluate_intervention against independent references: statsmodels for the propensity model,
scipy's Welch t-test and numpy for effects and balance, a brute-force search for the caliper, and
simulations with a known effect for the interval's coverage. Every guard is made to fire, and no
error message may carry a value from the data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import scipy.stats
import statsmodels.api as sm
from refusals import COVARIATES
from refusals import raises as _raises

import yosmodel as ym
from yosmodel._core import evaluation as _core


@pytest.fixture(scope="module")
def programme() -> pd.DataFrame:
    return ym.datasets.synthetic_programme(300, 3000, seed=3)


@pytest.fixture(scope="module")
def result(programme):
    return ym.evaluate_intervention(programme, "treated", COVARIATES)


def _design(frame: pd.DataFrame) -> pd.DataFrame:
    """The same design, encoded independently with pandas (drop-first dummies)."""
    return pd.get_dummies(frame[COVARIATES], columns=["sex", "ethnicity", "disposal"],
                          drop_first=True, dtype=float)


# ---- the propensity model ----------------------------------------------------------------------

def test_core_logistic_fit_matches_statsmodels():
    rng = np.random.default_rng(11)
    n = 3000
    x = np.column_stack([rng.normal(size=n), rng.normal(2, 3, size=n), rng.random(n) < 0.3,
                         rng.poisson(2, size=n)]).astype(float)
    eta = -1 + 0.4 * x[:, 0] - 0.1 * x[:, 1] + 0.8 * x[:, 2] + 0.2 * x[:, 3]
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(np.uint8)
    fit = _core.fit_logistic(np.ascontiguousarray(x), y, ["a", "b", "c", "d"])
    reference = sm.Logit(y.astype(float), sm.add_constant(x)).fit(
        method="newton", tol=1e-14, maxiter=100, disp=0)
    np.testing.assert_allclose(fit.coefficients, reference.params, rtol=0, atol=1e-8)
    np.testing.assert_allclose(fit.standard_errors, reference.bse, rtol=1e-7)
    np.testing.assert_allclose(fit.deviance, -2 * reference.llf, rtol=1e-12)
    np.testing.assert_allclose(fit.logits, sm.add_constant(x) @ reference.params, atol=1e-8)
    assert fit.names == ["(intercept)", "a", "b", "c", "d"]


def test_evaluation_model_and_propensity_match_statsmodels(programme, result):
    design = _design(programme)
    reference = sm.Logit(programme["treated"].astype(float), sm.add_constant(design)).fit(
        method="newton", tol=1e-14, maxiter=100, disp=0)
    model = result.model.set_index("term")
    expected = reference.params.rename(index={"const": "(intercept)"})
    expected.index = [name.replace("_", "=", 1) if name.split("_")[0] in
                      ("sex", "ethnicity", "disposal") else name for name in expected.index]
    expected = expected.rename(index={"previous=offences": "previous_offences"})
    np.testing.assert_allclose(model.loc[expected.index, "coefficient"], expected, atol=1e-8)
    np.testing.assert_allclose(result.propensity, reference.predict(), atol=1e-10)
    assert result.propensity.index.equals(programme.index)
    assert result.propensity.name == "propensity"


# ---- matching ----------------------------------------------------------------------------------

def test_caliper_is_respected_and_unmatched_have_nobody_within_it(programme):
    r = ym.evaluate_intervention(programme, "treated", COVARIATES, outcomes=["reoffended"],
                                 caliper=0.02)
    logit = np.log(r.propensity / (1 - r.propensity)).to_numpy()
    treated = programme["treated"].to_numpy()
    sd = math.sqrt((logit[treated].var(ddof=1) + logit[~treated].var(ddof=1)) / 2)
    assert r.caliper_width == pytest.approx(0.02 * sd, rel=1e-12)
    assert (r.matched["distance"] <= r.caliper_width).all()
    np.testing.assert_allclose(
        r.matched["distance"],
        np.abs(logit[r.matched["participant_row"]] - logit[r.matched["comparison_row"]]),
        atol=1e-12)
    pool = np.sort(logit[~treated])
    for row in r.unmatched:  # brute force: nobody in the pool within the caliper
        assert np.abs(pool - logit[row]).min() > r.caliper_width
    assert len(r.unmatched) + len(r.matched) == treated.sum()
    assert treated[r.matched["participant_row"]].all()
    assert not treated[r.matched["comparison_row"]].any()


def test_matching_is_reproducible_by_seed(programme):
    # Covariates that are all categorical give many equal scores: ties are broken by the seed.
    run = lambda seed: ym.evaluate_intervention(  # noqa: E731
        programme, "treated", ["sex", "disposal"], outcomes=["reoffended"], seed=seed).matched
    first, again, other = run(5), run(5), run(6)
    pd.testing.assert_frame_equal(first, again)
    assert not first["comparison_row"].equals(other["comparison_row"])
    threads = ym.evaluate_intervention(programme, "treated", ["sex", "disposal"],
                                       outcomes=["reoffended"], seed=5, threads=1).matched
    pd.testing.assert_frame_equal(first, threads)


def test_without_replacement_uses_each_comparison_once(programme):
    r = ym.evaluate_intervention(programme, "treated", COVARIATES, replacement=False,
                                 outcomes=["reoffended"])
    assert r.matched["comparison_row"].is_unique
    assert (r.matched["comparison_weight"] == 1).all()
    assert r.comparison_people == len(r.matched)


def test_with_replacement_weights_count_uses(result):
    counts = result.matched["comparison_row"].value_counts()
    weights = result.matched.set_index("comparison_row")["comparison_weight"]
    assert (weights.groupby(level=0).first() == counts.sort_index()).all()


def test_exact_matching(programme):
    r = ym.evaluate_intervention(programme, "treated", COVARIATES, exact=["sex", "disposal"],
                                 outcomes=["reoffended"])
    p = programme.iloc[r.matched["participant_row"]].reset_index(drop=True)
    c = programme.iloc[r.matched["comparison_row"]].reset_index(drop=True)
    assert (p["sex"] == c["sex"]).all() and (p["disposal"] == c["disposal"]).all()
    assert "matched exactly on sex, disposal" in r.summary()


# ---- effects and balance against independent computations --------------------------------------

def test_effect_without_replacement_is_welch_t_test(programme):
    r = ym.evaluate_intervention(programme, "treated", COVARIATES, replacement=False,
                                 outcomes=["reoffended", "reoffences"])
    for row in r.effects.itertuples():
        a = programme[row.outcome].to_numpy(float)[r.matched["participant_row"]]
        b = programme[row.outcome].to_numpy(float)[r.matched["comparison_row"]]
        test = scipy.stats.ttest_ind(a, b, equal_var=False)
        assert row.difference == pytest.approx(a.mean() - b.mean(), abs=1e-12)
        assert row.p_value == pytest.approx(test.pvalue, rel=1e-9)
        ci = test.confidence_interval(0.95)
        assert row.difference_lower == pytest.approx(ci.low, rel=1e-9)
        assert row.difference_upper == pytest.approx(ci.high, rel=1e-9)
        assert row.treated_n == len(a) and row.comparison_n == len(b)


def test_effect_with_replacement_uses_matched_weights(programme, result):
    pairs = result.matched
    for row in result.effects.itertuples():
        values = programme[row.outcome].to_numpy(float)
        treated = values[pairs["participant_row"]]
        comparison = values[pairs["comparison_row"]]  # one entry per pair: weights by repetition
        assert row.treated_mean == pytest.approx(np.nanmean(treated), rel=1e-12)
        assert row.comparison_mean == pytest.approx(np.nanmean(comparison), rel=1e-12)
        # Variance of a weighted mean, sum(w^2 (y - m)^2) / (sum w)^2 * n / (n - 1), by pandas.
        people = pd.DataFrame({"y": comparison, "row": pairs["comparison_row"]}).dropna()
        grouped = people.groupby("row").agg(y=("y", "first"), w=("y", "size"))
        m = np.average(grouped["y"], weights=grouped["w"])
        n = len(grouped)
        var_c = (grouped["w"] ** 2 * (grouped["y"] - m) ** 2).sum() / grouped["w"].sum() ** 2
        var_c *= n / (n - 1)
        t = treated[~np.isnan(treated)]
        se = math.sqrt(t.var(ddof=1) / len(t) + var_c)
        assert row.standard_error == pytest.approx(se, rel=1e-10)
        assert row.comparison_n == n
        assert bool(row.significant) == (row.p_value <= 0.05)
        assert (row.difference_lower < 0 < row.difference_upper) == (not row.significant)


def test_balance_matches_numpy(programme, result):
    treated = programme["treated"].to_numpy()
    weights = np.zeros(len(programme))
    weights[result.matched["participant_row"]] = 1
    np.add.at(weights, result.matched["comparison_row"].to_numpy(), 1)
    for row in result.balance.itertuples():
        if "=" in row.covariate:
            name, level = row.covariate.split("=", 1)
            x = (programme[name] == level).to_numpy(float)
        else:
            x = programme[row.covariate].to_numpy(float)
        sd = math.sqrt((x[treated].var(ddof=1) + x[~treated].var(ddof=1)) / 2)
        before = 100 * (x[treated].mean() - x[~treated].mean()) / sd
        after = 100 * (np.average(x[treated], weights=weights[treated])
                       - np.average(x[~treated], weights=weights[~treated])) / sd
        assert row.std_diff_before == pytest.approx(before, abs=1e-9)
        assert row.std_diff_after == pytest.approx(after, abs=1e-9)
        assert row.balanced == (abs(after) < 10)
    # Matching on the score balances the strong drivers of referral.
    b = result.balance.set_index("covariate")
    assert abs(b.loc["previous_offences", "std_diff_before"]) > 30
    assert abs(b.loc["previous_offences", "std_diff_after"]) < 10


def _simulate(seed: int, participants: int = 150, pool: int = 1200):
    rng = np.random.default_rng(seed)
    n = participants + pool
    age = rng.integers(10, 18, n).astype(float)
    previous = rng.poisson(1.5, n).astype(float)
    male = (rng.random(n) < 0.8).astype(float)
    score = 0.25 * (age - 14) + 0.35 * previous + 0.4 * male
    keys = score + rng.gumbel(size=n)
    treated = np.zeros(n, dtype=bool)
    treated[np.argsort(-keys)[:participants]] = True
    base = -1.0 + 0.3 * previous + 0.3 * male - 0.05 * (age - 14)
    p0, p1 = 1 / (1 + np.exp(-base)), 1 / (1 + np.exp(-(base - 0.5)))
    reoffended = (rng.random(n) < np.where(treated, p1, p0)).astype(np.uint8)
    data = {"treated": treated, "age": age, "previous_offences": previous, "male": male,
            "reoffended": reoffended}
    return data, p1 - p0


def test_interval_covers_the_true_effect_at_about_the_nominal_rate():
    repeats, covered, errors = 160, 0, []
    for seed in range(repeats):
        data, effect = _simulate(seed)
        r = ym.evaluate_intervention(data, "treated", ["age", "previous_offences", "male"],
                                     outcomes=["reoffended"], seed=seed)
        truth = effect[r.matched["participant_row"]].mean()  # effect on the matched participants
        row = r.effects.iloc[0]
        covered += row.difference_lower <= truth <= row.difference_upper
        errors.append((row.difference - truth) / row.standard_error)
    coverage = covered / repeats
    # 95% nominal; with 160 repeats one binomial SD is 1.7 points.
    assert 0.895 <= coverage <= 0.995, coverage
    assert abs(np.mean(errors)) < 0.25  # no material bias, in standard errors


# ---- the result object -------------------------------------------------------------------------

def test_result_shapes(programme, result):
    assert list(result.effects.columns[:10]) == [
        "outcome", "treated_n", "treated_mean", "comparison_n", "comparison_mean", "difference",
        "difference_lower", "difference_upper", "p_value", "significant"]
    assert list(result.effects["outcome"]) == ["reoffended", "reoffences",
                                               "days_to_first_reoffence"]
    assert list(result.balance.columns) == ["covariate", "std_diff_before", "std_diff_after",
                                            "balanced"]
    assert list(result.matched.columns) == ["participant_row", "comparison_row", "distance",
                                            "comparison_weight"]
    assert len(result.propensity) == len(programme)
    assert ((result.propensity > 0) & (result.propensity < 1)).all()
    # Every category appears in the balance table, the reference one included.
    assert {"sex=Female", "sex=Male", "disposal=Youth caution"} <= set(result.balance.covariate)
    days = result.effects.set_index("outcome").loc["days_to_first_reoffence"]
    matched = programme.iloc[result.matched["participant_row"]]
    assert days.treated_n == matched["days_to_first_reoffence"].notna().sum()


def test_summary_words(result):
    text = result.summary()
    assert "300 participants were compared with a pool of 3000 non-participants" in text
    assert "What this cannot tell you" in text
    assert str(result) == text
    assert text.count("For 100 typical participants") + text.count(
        "cannot say whether") >= 3


def test_summary_significant_wording():
    data = ym.datasets.synthetic_programme(1500, 6000, effect=-1.0, seed=2)
    r = ym.evaluate_intervention(data, "treated", COVARIATES,
                                 outcomes=["reoffended", "reoffences"])
    assert r.effects["significant"].all()
    text = r.summary()
    assert "the number of people who commit a proven reoffence within a year is lower by " \
           "between" in text
    assert "true_effect" in data.attrs
    row = r.effects.iloc[0]
    assert row.difference_lower <= data.attrs["true_effect"]["reoffended"] + 0.03


def test_html_and_plot(result):
    page = result._repr_html_()
    assert "<table" in page and "Effects" in page and "Balance" in page
    import matplotlib

    matplotlib.use("Agg")
    fig = result.plot()
    assert len(fig.axes) == 1 + len(result.effects)
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_other_table_kinds_give_the_same_answer(programme, result):
    as_dict = {name: programme[name].to_numpy() for name in programme.columns
               if name not in ("sex", "ethnicity", "disposal")}
    for name in ("sex", "ethnicity", "disposal"):
        as_dict[name] = programme[name].astype(str).to_numpy(dtype=object)
    r = ym.evaluate_intervention(as_dict, "treated", COVARIATES)
    pd.testing.assert_frame_equal(r.effects, result.effects)
    pl = pytest.importorskip("polars")
    r = ym.evaluate_intervention(pl.from_pandas(programme), "treated", COVARIATES)
    pd.testing.assert_frame_equal(r.effects, result.effects)


# ---- guards ------------------------------------------------------------------------------------

SECRET = 987654.25


def _small(participants: int = 80, pool: int = 400, seed: int = 0) -> pd.DataFrame:
    return ym.datasets.synthetic_programme(participants, pool, seed=seed)




def test_too_few_participants():
    message = _raises(ValueError, _small(59))
    assert "59 participants" in message and "60" in message


def test_too_few_matched_participants():
    message = _raises(ValueError, _small(), caliper=1e-9)
    assert "matched participants" in message


def test_too_few_reoffenders_for_time_to_reoffence():
    data = _small(80).copy()
    reoffenders = data.index[data["treated"] & data["days_to_first_reoffence"].notna()]
    # fewer reoffenders, consistently: no time for non-reoffenders, and none missing for the rest
    data.loc[reoffenders[20:], ["days_to_first_reoffence", "reoffended"]] = [np.nan, 0]
    message = _raises(ValueError, data, outcomes=["reoffended", "days_to_first_reoffence"])
    assert "30 reoffenders" in message and "days_to_first_reoffence" in message


def test_missing_and_bad_values():
    data = _small().copy()
    data["age"] = data["age"].astype(float)
    data.loc[[3, 8], "age"] = np.nan
    assert "'age': 2 rows have a missing value" in _raises(ValueError, data)
    data = _small().copy()
    data["treated"] = data["treated"].astype(int)
    data.loc[4, "treated"] = 987654
    assert "1 row(s)" in _raises(ValueError, data)
    data = _small().copy()
    data["reoffended"] = data["reoffended"].astype(float)
    data.loc[1, "reoffended"] = np.nan
    assert "'reoffended'" in _raises(ValueError, data)
    data = _small().copy()
    data.loc[data["days_to_first_reoffence"].notna().idxmax(), "days_to_first_reoffence"] = -SECRET
    _raises(ValueError, data, outcomes=["days_to_first_reoffence"])
    data = _small().copy()
    data["sex"] = data["sex"].astype(object)
    data.loc[5, "sex"] = None
    assert "'sex'" in _raises(ValueError, data)


def test_separation_is_reported():
    data = _small().copy()
    data["yjs"] = np.where(data["treated"], "XJ-North", "XJ-North")
    # A category with no participants:
    data.loc[data.index[~data["treated"]][:40], "yjs"] = "Pat Smith"
    message = _raises(ValueError, data, covariates=COVARIATES + ["yjs"])
    assert "separation" in message and "'yjs'" in message
    # A numeric covariate that predicts participation exactly: caught by the core's fit.
    data = _small().copy()
    data["marker"] = np.where(data["treated"], SECRET, 0.0) + np.arange(len(data)) * 1e-3
    assert "separation" in _raises(ValueError, data, covariates=COVARIATES + ["marker"])


def test_collinear_covariates_are_reported():
    data = _small().copy()
    data["age_in_months"] = data["age"] * 12
    message = _raises(ValueError, data, covariates=COVARIATES + ["age_in_months"])
    assert "linearly dependent" in message
    data["constant"] = SECRET
    message = _raises(ValueError, data, covariates=COVARIATES + ["constant"])
    assert "'constant' is the same in every row" in message and str(SECRET) not in message
    # Far from zero beside its spread, a covariate is still itself (it was taken for a multiple
    # of the intercept): the same matches as the age it is offset from.
    offset = data.drop(columns="constant").assign(age=data["age"] + 1e6)
    moved = ym.evaluate_intervention(offset, "treated", COVARIATES, outcomes="reoffended")
    plain = ym.evaluate_intervention(data, "treated", COVARIATES, outcomes="reoffended")
    assert moved.matched_participants == plain.matched_participants
    pd.testing.assert_frame_equal(moved.effects, plain.effects)


def test_argument_guards():
    data = _small()
    _raises(KeyError, data, covariates=["nope"])
    _raises(ValueError, data, caliper=-0.1)
    _raises(ValueError, data, caliper=float("nan"))
    _raises(ValueError, data, level=1.5)
    _raises(ValueError, data, seed=-1)
    _raises(ValueError, data, outcomes=["age"])
    _raises(ValueError, data, covariates=["treated"])
    _raises(ValueError, data, covariates=[])
    _raises(ValueError, data, covariates=["age", "age"])
    _raises(TypeError, data, treated=1)
    _raises(ValueError, data, threads=0)
    every_row = data.assign(treated=True)
    _raises(ValueError, every_row)


def test_no_caliper_matches_everyone():
    r = ym.evaluate_intervention(_small(), "treated", COVARIATES, outcomes=["reoffended"],
                                 caliper=None)
    assert len(r.unmatched) == 0 and r.caliper is None and math.isinf(r.caliper_width)
    assert "no caliper" in r.summary()


def test_pyarrow_and_nullable_inputs(programme, result):
    pa = pytest.importorskip("pyarrow")
    r = ym.evaluate_intervention(pa.Table.from_pandas(programme), "treated", COVARIATES)
    pd.testing.assert_frame_equal(r.effects, result.effects)
    nullable = programme.astype({"age": "Int64", "previous_offences": "Int64",
                                 "treated": "boolean", "sex": "string"})
    r = ym.evaluate_intervention(nullable, "treated", COVARIATES)
    pd.testing.assert_frame_equal(r.effects, result.effects)


def test_category_messages_name_the_column_not_the_category():
    data = _small().copy()
    data["sex_again"] = data["sex"].astype(str).map({"Male": "Pat Smith", "Female": "XJ-9"})
    message = _raises(ValueError, data, covariates=COVARIATES + ["sex_again"])
    assert "linearly dependent" in message and "category" in message


def test_synthetic_programme_is_labelled_and_reproducible():
    a = ym.datasets.synthetic_programme(100, 500, seed=4)
    b = ym.datasets.synthetic_programme(100, 500, seed=4)
    pd.testing.assert_frame_equal(a, b)
    assert a["treated"].sum() == 100 and len(a) == 600
    assert a.attrs["synthetic"] and "SYNTHETIC" in a.attrs["source"]
    assert a["days_to_first_reoffence"].isna().eq(a["reoffended"] == 0).all()
    with pytest.raises(ValueError):
        ym.datasets.synthetic_programme(0, 10)


def test_truth_value_options_must_be_truth_values():
    data = _small()
    _raises(TypeError, data, replacement="no")  # a non-empty string was read as True
    _raises(ValueError, data, caliper=True)


def test_hostile_seed_and_time_outcome_given_to_non_reoffenders():
    # hostile-measures: seed=2**70 reached the binding, whose refusal dumped every argument;
    # a time to first reoffence filled in (365) for non-reoffenders made them all reoffenders
    # in the time headline, silently.
    programme = ym.datasets.synthetic_programme(200, 1500)
    covariates = ["sex", "ethnicity", "age", "previous_offences"]
    with pytest.raises(ValueError, match="seed must be") as info:
        ym.evaluate_intervention(programme, "treated", covariates, seed=2**70)
    assert "match_nearest" not in str(info.value)
    filled = programme.assign(
        days_to_first_reoffence=programme["days_to_first_reoffence"].fillna(365))
    with pytest.raises(ValueError, match="did not reoffend"):
        ym.evaluate_intervention(filled, "treated", covariates)


def test_exact_matching_on_an_outcome_or_the_flag_is_refused():
    # hostile-measures: exact='reoffended' gave a difference of exactly 0 with nothing said;
    # exact='treated' failed as 'only 0 participants have a comparison'.
    programme = ym.datasets.synthetic_programme(200, 1500)
    covariates = ["sex", "ethnicity", "age", "previous_offences"]
    for exact in ("reoffended", "treated"):
        with pytest.raises(ValueError, match="treated flag or an outcome"):
            ym.evaluate_intervention(programme, "treated", covariates, exact=exact,
                                     outcomes=["reoffended"])
    with pytest.raises(TypeError, match="time_outcome"):
        ym.evaluate_intervention(programme, "treated", covariates, outcomes=["reoffended"],
                                 time_outcome=3)
