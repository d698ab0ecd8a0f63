"""The plausible-maximum rule for counts: a person's reoffence count above ``max_reoffences``
is a data error, set aside under ``reoffences_above_maximum``, counted, said in a
RecordsSetAsideWarning (the rule and the count, never the value), refused past
``max_set_aside``, on every entry that takes caller counts (the API, partials, steps, Dask, the
command line); the rates on the kept rows are checked against pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import yosmodel as ym
from yosmodel.reoffending import stepwise

from .conftest import run_cli

VALUE = 987_654
HIDDEN = (str(VALUE), f"{VALUE:,}", "987654")
RULE = "cohort.reoffences_above_maximum"


def cohort(n: int = 400, implausible: int = 3, value: int = VALUE, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    reoffences = np.where(rng.random(n) < 0.3, rng.integers(1, 8, n), 0).astype(np.int64)
    reoffences[rng.choice(n, implausible, replace=False)] = value
    return pd.DataFrame({"yjs": rng.choice(["S1", "S2", "S3"], n), "reoffences": reoffences,
                         "previous": rng.integers(0, 6, n)})


def pandas_rates(data: pd.DataFrame, limit: int = 1_000) -> pd.DataFrame:
    """The measures by hand on the rows at most ``limit``: the independent reference."""
    kept = data[data["reoffences"] <= limit]
    g = kept.groupby("yjs", sort=True)
    out = pd.DataFrame({"offenders": g.size(), "reoffenders": g["reoffences"].apply(
        lambda s: int((s > 0).sum())), "reoffences": g["reoffences"].sum(),
        "previous_offences_mean": g["previous"].mean()}).reset_index()
    out["frequency_rate"] = out["reoffences"] / out["offenders"]
    out["binary_rate"] = out["reoffenders"] / out["offenders"]
    return out


def same_as_pandas(result: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert result["yjs"].astype(str).tolist() == expected["yjs"].tolist()
    for name in ("offenders", "reoffenders", "reoffences"):
        assert result[name].tolist() == expected[name].tolist(), name
    for name in ("frequency_rate", "binary_rate", "previous_offences_mean"):
        np.testing.assert_allclose(result[name], expected[name], rtol=1e-12)


def said(caught) -> list[str]:
    return [str(w.message) for w in caught if issubclass(w.category, ym.RecordsSetAsideWarning)]


def test_the_rule_fires_is_counted_and_the_rates_are_pandas_on_the_kept_rows():
    data = cohort()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ym.reoffending_rates(data, by="yjs", previous_offences="previous")
    messages = said(caught)
    assert len(messages) == 1
    assert f"{RULE} 3 rows of 400 (0.8%)" in messages[0]
    assert "max_reoffences=1,000" in messages[0]
    for hidden in HIDDEN:
        assert hidden not in messages[0]
    same_as_pandas(result, pandas_rates(data))
    assert result["offenders"].sum() == 397


def test_the_boundary_is_kept_and_the_default_is_the_cores():
    assert ym.reoffending.partials.DEFAULT_MAX_REOFFENCES == 1_000
    data = pd.DataFrame({"yjs": ["a", "a", "a"], "reoffences": [1_000, 1_001, 2]})
    with pytest.warns(ym.RecordsSetAsideWarning, match=f"{RULE} 1 row of 3"):
        result = ym.reoffending_rates(data, by="yjs", max_set_aside=1.0)
    assert result["offenders"].tolist() == [2]
    assert result["reoffences"].tolist() == [1_002]


def test_past_max_set_aside_the_call_fails_naming_the_rule_and_the_count():
    data = cohort(n=30, implausible=10)
    with pytest.raises(ValueError) as caught, warnings.catch_warnings():
        warnings.simplefilter("ignore", ym.RecordsSetAsideWarning)
        ym.reoffending_rates(data, by="yjs")
    message = str(caught.value)
    assert f"{RULE} 10 rows of 30 (33.3%)" in message
    assert "max_set_aside=0.01" in message and "raise max_reoffences" in message
    for hidden in HIDDEN:
        assert hidden not in message


def test_a_raised_max_set_aside_accepts_the_rows_set_aside():
    data = cohort(n=30, implausible=10)
    with pytest.warns(ym.RecordsSetAsideWarning, match="10 rows of 30"):
        result = ym.reoffending_rates(data, by="yjs", previous_offences="previous",
                                      max_set_aside=0.5)
    same_as_pandas(result, pandas_rates(data))


def test_a_raised_limit_lets_the_rows_through():
    data = cohort()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ym.RecordsSetAsideWarning)
        result = ym.reoffending_rates(data, by="yjs", previous_offences="previous",
                                      max_reoffences=1_000_000)
    same_as_pandas(result, pandas_rates(data, limit=10**9))
    assert result["offenders"].sum() == 400
    # A lower limit sets aside more: the counts above 5 too.
    with pytest.warns(ym.RecordsSetAsideWarning):
        low = ym.reoffending_rates(data, by="yjs", previous_offences="previous",
                                   max_reoffences=5, max_set_aside=1.0)
    same_as_pandas(low, pandas_rates(data, limit=5))


@pytest.mark.parametrize("value, error", [(0, ValueError), (1_000_001, ValueError),
                                          (2**64, ValueError), (-1, ValueError),
                                          (True, TypeError), (1.5, TypeError),
                                          ("100", TypeError), (None, TypeError)])
def test_max_reoffences_is_validated(value, error):
    with pytest.raises(error) as caught:
        ym.reoffending_rates(cohort(implausible=0), by="yjs", max_reoffences=value)
    message = str(caught.value)
    assert message.startswith("max_reoffences must be a whole number")
    assert "between 1 and 1,000,000" in message
    assert "Invoked with" not in message


def test_values_too_large_to_read_are_set_aside_under_the_rule():
    data = cohort(n=400, implausible=2, value=2**40)
    with pytest.warns(ym.RecordsSetAsideWarning, match=f"{RULE} 2 rows of 400"):
        result = ym.reoffending_rates(data, by="yjs", previous_offences="previous")
    same_as_pandas(result, pandas_rates(data))


def test_arrow_chunks_and_floats_take_the_same_rule():
    data = cohort(n=3_000, implausible=20)
    table = pa.concat_tables([pa.Table.from_pandas(data.iloc[i:i + 700], preserve_index=False)
                              for i in range(0, 3_000, 700)])
    expected = pandas_rates(data)
    with pytest.warns(ym.RecordsSetAsideWarning, match="20 rows of 3,000"):
        same_as_pandas(ym.reoffending_rates(table, by="yjs", previous_offences="previous"),
                       expected)
    floats = data.assign(reoffences=data["reoffences"].astype(float))
    with pytest.warns(ym.RecordsSetAsideWarning, match="20 rows of 3,000"):
        same_as_pandas(ym.reoffending_rates(floats, by="yjs", previous_offences="previous"),
                       expected)


def test_partials_say_it_too_and_merge_the_kept_rows():
    data = cohort()
    with pytest.warns(ym.RecordsSetAsideWarning, match="3 rows of 400"):
        partial, keys = ym.reoffending_partial(data, by="yjs", previous_offences="previous")
    result = ym.reoffending.rates_frame(partial, keys, level=0.95, method="wilson",
                                        with_previous=True)
    same_as_pandas(result, pandas_rates(data))


def test_steps_say_it_once_for_the_whole_cohort(monkeypatch):
    # Steps of 100 rows: one piece alone may pass 1%, the cohort does not, and the count is
    # the sum over the pieces.
    monkeypatch.setattr(stepwise, "_MIN_ROWS_PER_STEP", 100)
    monkeypatch.setattr(stepwise, "_STEPS", 8)
    data = cohort(n=800, implausible=0)
    data.loc[[3, 5, 7], "reoffences"] = VALUE  # all three in the first step
    steps = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = stepwise.reoffending_rates_in_steps(data, by="yjs", previous_offences="previous",
                                                     on_step=steps.append)
    assert len(steps) == 8
    messages = said(caught)
    assert len(messages) == 1 and f"{RULE} 3 rows of 800" in messages[0]
    same_as_pandas(result, pandas_rates(data))


def test_dask_counts_every_partition_and_says_it_once():
    dd = pytest.importorskip("dask.dataframe")
    data = cohort(n=1_000, implausible=5)
    ddf = dd.from_pandas(data, npartitions=4)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = ym.dask.reoffending_rates(ddf, by="yjs", previous_offences="previous")
    messages = said(caught)
    assert len(messages) == 1 and f"{RULE} 5 rows of 1,000" in messages[0]
    same_as_pandas(result, pandas_rates(data))
    with pytest.raises(ValueError, match="5 rows of 1,000"), warnings.catch_warnings():
        warnings.simplefilter("ignore", ym.RecordsSetAsideWarning)
        ym.dask.reoffending_rates(ddf, by="yjs", max_set_aside=0.001)
    delayed = ym.dask.reoffending_rates(ddf, by="yjs", previous_offences="previous",
                                        compute=False, max_reoffences=1_000_000)
    same_as_pandas(delayed.compute(), pandas_rates(data, limit=10**9))
    with pytest.raises(ValueError, match="max_reoffences"):
        ym.dask.reoffending_rates(ddf, by="yjs", max_reoffences=0)


# -- the command line ---------------------------------------------------------------------------

def _write(tmp_path, data):
    data.to_csv(tmp_path / "c.csv", index=False)


def test_cli_rates_fails_past_the_limit_in_one_line(tmp_path):
    _write(tmp_path, cohort(n=30, implausible=10))
    result = run_cli("rates", "c.csv", "--by", "yjs", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{RULE} 10 rows of 30" in result.stderr
    assert "--max-set-aside 0.01" in result.stderr and "--max-reoffences" in result.stderr
    for hidden in HIDDEN:
        assert hidden not in result.stderr + result.stdout


def test_cli_rates_says_the_rows_set_aside_even_quietly(tmp_path):
    data = cohort()
    _write(tmp_path, data)
    result = run_cli("rates", "c.csv", "--by", "yjs", "--out", "r.csv", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"yosmodel rates: records set aside: {RULE} 3 rows of 400" in result.stderr
    assert "--max-reoffences 1,000" in result.stderr
    for hidden in HIDDEN:
        assert hidden not in result.stderr + result.stdout
    written = pd.read_csv(tmp_path / "r.csv")
    totals = written[written["yjs"] != "All"] if "All" in set(written["yjs"]) else written
    assert totals["offenders"].sum() == 397


def test_cli_rates_raised_limits(tmp_path):
    _write(tmp_path, cohort(n=30, implausible=10))
    allowed = run_cli("rates", "c.csv", "--by", "yjs", "--max-set-aside", "0.5", cwd=tmp_path)
    assert allowed.returncode == 0, allowed.stderr
    assert "10 rows of 30" in allowed.stderr
    # The title counts the people in the table, not the rows read.
    assert allowed.stdout.splitlines()[0] == ("Proven reoffending by yjs: 20 people (10 of 30 "
                                              "rows set aside) in c.csv")
    through = run_cli("rates", "c.csv", "--by", "yjs", "--max-reoffences", "1000000",
                      cwd=tmp_path)
    assert through.returncode == 0, through.stderr
    assert "records set aside" not in through.stderr


@pytest.mark.parametrize("value", ["0", "-3", "1.5", "abc", "1000001", str(2**64), ""])
def test_cli_max_reoffences_is_validated(tmp_path, value):
    _write(tmp_path, cohort(implausible=0))
    result = run_cli("rates", "c.csv", "--by", "yjs", "--max-reoffences", value, cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "argument --max-reoffences" in lines[0]
    assert "between 1 and 1,000,000" in lines[0]
