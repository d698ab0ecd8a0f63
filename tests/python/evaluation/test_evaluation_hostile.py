"""Hostile inputs to evaluate_intervention: each test's docstring says what happened before the
fix. No error message may carry a value from the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from refusals import COVARIATES
from refusals import raises as _raises

import yosmodel as ym

SECRET = 987654.25


@pytest.fixture(scope="module")
def programme() -> pd.DataFrame:
    return ym.datasets.synthetic_programme(150, 800, seed=1)


def test_a_reoffender_without_a_time_is_refused_not_dropped(programme):
    """A reoffender (reoffended = 1) whose time to first reoffence was missing was left out of
    the time outcome with nothing said (treated_n simply fell)."""
    data = programme.copy()
    reoffenders = data.index[data["reoffended"] == 1][:5]
    data.loc[reoffenders, "days_to_first_reoffence"] = np.nan
    message = _raises(ym.InputError, data, outcomes=["reoffended", "days_to_first_reoffence"])
    assert "5 row(s) reoffended" in message and "'days_to_first_reoffence'" in message
    # without the time outcome the binary outcome alone is fine
    ym.evaluate_intervention(data, "treated", COVARIATES, outcomes=["reoffended"])


@pytest.mark.parametrize("column", [
    pd.Series(["Pat Smith"] * 950),
    pd.Series(pd.Categorical(["Pat Smith"] * 950, categories=["Pat Smith", "unused"])),
])
def test_a_categorical_covariate_with_one_category_is_refused_as_constant(programme, column):
    """A string or categorical covariate holding one category was dropped from the propensity
    model without a word (all its indicators were the reference) and reported as balanced,
    while a constant numeric covariate is refused as linearly dependent."""
    data = programme.assign(yjs=column.to_numpy())
    message = _raises(ym.RankDeficiencyError, data, covariates=COVARIATES + ["yjs"])
    assert "'yjs'" in message and "one category" in message


def test_a_column_twice_in_a_table_is_refused_naming_it(programme):
    """A pandas frame with two columns named 'treated' (pd.concat of two extracts) failed deep
    inside with "int() argument must be ... not 'Series'"; a pyarrow table with two with
    pyarrow's KeyError 'Field "treated" exists 2 times in schema'."""
    data = pd.concat([programme[["treated"]], programme], axis=1)
    message = _raises(ym.InputError, data)
    assert "'treated'" in message and "more than once" in message
    pa = pytest.importorskip("pyarrow")
    table = pa.Table.from_pandas(programme, preserve_index=False)
    table = table.append_column("age", pa.array(np.zeros(len(programme))))
    message = _raises(ym.InputError, table)
    assert "'age'" in message and "more than once" in message


def test_a_dict_with_columns_of_different_lengths_is_refused_saying_so(programme):
    """A dict whose columns had different lengths failed inside pandas' DataFrame constructor
    ("All arrays must be of the same length")."""
    data = {name: programme[name].to_numpy() for name in programme.columns}
    data["age"] = data["age"][:-1]
    message = _raises(ValueError, data)
    assert "different lengths" in message


def test_an_infinite_outcome_is_refused_naming_the_column(programme):
    """An infinite outcome was refused by the core as 'the outcome has 1 infinite value(s)',
    without saying which outcome."""
    data = programme.assign(reoffences=programme["reoffences"].astype(float))
    data.loc[3, "reoffences"] = np.inf
    message = _raises(ym.InputError, data, outcomes=["reoffended", "reoffences"])
    assert "'reoffences'" in message and "infinite" in message


def test_an_outcome_too_large_to_compute_with_is_refused(programme):
    """An outcome of 1e300 (a sentinel, a corrupt export) failed in the core as "yosmodel's
    core failed unexpectedly (... Degrees of freedom argument is -nan ...); please report
    this": its square overflowed."""
    data = programme.assign(reoffences=programme["reoffences"].astype(float))
    data.loc[3, "reoffences"] = 1e300
    message = _raises(ym.InputError, data, outcomes=["reoffences"])
    assert "'reoffences'" in message and "too large" in message


def test_numpy_scalar_level_and_caliper_are_accepted(programme):
    """level=np.float32(0.95) and caliper=np.int64(1) were refused as 'level must be strictly
    between 0 and 1' and 'caliper must be a positive number' (ym.proportion_interval takes
    both)."""
    want = ym.evaluate_intervention(programme, "treated", COVARIATES, outcomes=["reoffended"],
                                    level=0.95, caliper=1.0)
    got = ym.evaluate_intervention(programme, "treated", COVARIATES, outcomes=["reoffended"],
                                   level=np.float64(0.95), caliper=np.int64(1))
    pd.testing.assert_frame_equal(got.effects, want.effects)
    got = ym.evaluate_intervention(programme, "treated", COVARIATES, outcomes=["reoffended"],
                                   level=np.float32(0.95), caliper=np.float32(1.0))
    assert got.level == pytest.approx(0.95)
    assert got.effects["treated_n"].tolist() == want.effects["treated_n"].tolist()
    for bad in ("0.95", True, float("nan"), 1.0):
        _raises(ValueError, programme, level=bad)


def test_an_effect_without_variance_is_not_worded_as_including_no_change(programme):
    """Every participant reoffended and no comparison person did: the interval was +100 to
    +100 points and p undefined, and the summary said "the difference runs from 100 more to 100
    more people, a range that includes no change"."""
    data = programme.assign(reoffended=programme["treated"].astype(int))
    result = ym.evaluate_intervention(data, "treated", COVARIATES, outcomes=["reoffended"])
    row = result.effects.iloc[0]
    assert row["difference"] == 1.0 and np.isnan(row["p_value"])
    summary = result.summary()
    assert "includes no change" not in summary
    assert "no variation" in summary


@pytest.mark.parametrize("level, words", [(0.999, "99.9% interval"), (0.975, "97.5% interval"),
                                          (0.95, "95% interval")])
def test_the_summary_names_the_level_as_given(programme, level, words):
    """At level=0.999 the summary spoke of a "100% interval" (the level was rounded to a whole
    percent), and 0.975 of a "98% interval"."""
    result = ym.evaluate_intervention(programme, "treated", COVARIATES, outcomes=["reoffended"],
                                      level=level)
    assert words in result.summary()


@pytest.mark.parametrize("column, code", [("reoffended", 9), ("reoffended", -1),
                                          ("reoffences", -1), ("reoffences", 0.5)])
def test_a_code_for_unknown_in_the_proven_reoffending_outcomes_is_refused(programme, column,
                                                                          code):
    """A 9 (or -1) for 'unknown' in 'reoffended' made it a count (or a mean) of the codes, and
    a -1 in 'reoffences' a mean: the summary then worded the codes as reoffending, silently."""
    data = programme.assign(**{column: programme[column].astype(float)})
    data.loc[[2, 5], column] = code
    message = _raises(ym.InputError, data, outcomes=["reoffended", "reoffences"])
    assert f"'{column}'" in message and "2 row(s)" in message


def test_a_column_labelled_by_a_number_is_refused_saying_so(programme):
    """A frame whose column label is the number 3 passed the 'is it in the data' check as '3'
    and then failed inside pandas with KeyError: '3'."""
    data = programme.rename(columns={"age": 3})
    message = _raises(KeyError, data, covariates=["sex", "3"])
    assert "non-text label" in message and "astype(str)" in message


def test_a_comparison_group_of_one_value_is_said_to_make_the_interval_too_narrow(programme):
    """80 participants matched to 2 comparison people who both reoffended gave p = 1.6e-13,
    "significant": the comparison mean was taken as known exactly, unsaid."""
    import warnings

    rng = np.random.default_rng(4)
    data = pd.DataFrame({"treated": [True] * 80 + [False] * 2,
                         "age": np.concatenate([rng.normal(15, 1, 80), [14.5, 15.5]]),
                         "reoffended": np.concatenate([rng.random(80) < 0.4, [True, True]])})
    with pytest.warns(UserWarning, match="outcome 'reoffended': all 2 matched comparison people "
                                         "have the same value") as caught:
        ym.evaluate_intervention(data, "treated", ["age"], outcomes=["reoffended"], caliper=None)
    assert caught[0].filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ym.evaluate_intervention(programme, "treated", COVARIATES, outcomes=["reoffended"])
