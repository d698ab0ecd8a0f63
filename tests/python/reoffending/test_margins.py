"""reoffending_rates(margins=True): totals along every key, against plain pandas sums over the
person-level data (never averaged rates), with totals placed after the categories they total."""

import itertools

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym


def cohort(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    reoffended = rng.random(n) < 0.4
    return pd.DataFrame({
        "yjs": pd.Categorical(rng.choice(["S1", "S2", "S3"], n)),
        "sex": rng.choice(["Female", "Male"], n, p=[0.2, 0.8]),
        "age": rng.integers(10, 13, n),
        "reoffences": np.where(reoffended, rng.geometric(0.4, n), 0).astype(np.int64),
        "previous_offences": rng.poisson(2.0, n).astype(np.int64),
    })


@pytest.mark.parametrize("by", [["sex"], ["yjs", "sex"], ["yjs", "sex", "age"]])
def test_totals_match_pandas_sums(by):
    df = cohort()
    table = ym.reoffending_rates(df, by=by, previous_offences="previous_offences", margins=True)
    work = df.assign(reoffender=(df["reoffences"] > 0).astype(int))
    expected_rows = 0
    for subset in itertools.product([False, True], repeat=len(by)):
        kept = [k for k, total in zip(by, subset) if not total]
        if kept:
            want = work.groupby(kept, observed=True).agg(
                offenders=("reoffences", "size"), reoffenders=("reoffender", "sum"),
                reoffences=("reoffences", "sum"), previous=("previous_offences", "sum"))
        else:
            want = pd.DataFrame({"offenders": [len(work)],
                                 "reoffenders": [work["reoffender"].sum()],
                                 "reoffences": [work["reoffences"].sum()],
                                 "previous": [work["previous_offences"].sum()]})
        expected_rows += len(want)
        rows = table
        for k, total in zip(by, subset):
            rows = rows[(rows[k] == "All") if total else (rows[k] != "All")]
        assert len(rows) == len(want)
        got = rows.set_index(kept) if kept else rows.reset_index(drop=True)
        if kept:
            got = got.loc[want.index]
        assert got["offenders"].tolist() == want["offenders"].tolist()
        assert got["reoffenders"].tolist() == want["reoffenders"].tolist()
        assert got["reoffences"].tolist() == want["reoffences"].tolist()
        np.testing.assert_allclose(got["binary_rate"], want["reoffenders"] / want["offenders"])
        np.testing.assert_allclose(got["previous_offences_mean"],
                                   want["previous"] / want["offenders"])
    assert len(table) == expected_rows


def test_totals_come_after_their_categories():
    table = ym.reoffending_rates(cohort(), by=["yjs", "sex"], margins=True)
    assert table["yjs"].astype(str).tolist() == ["S1"] * 3 + ["S2"] * 3 + ["S3"] * 3 + ["All"] * 3
    assert table["sex"].astype(str).tolist() == ["Female", "Male", "All"] * 4
    assert isinstance(table["yjs"].dtype, pd.CategoricalDtype)
    assert list(table["yjs"].cat.categories) == ["S1", "S2", "S3", "All"]


def test_no_keys_and_labels():
    df = cohort(500)
    plain = ym.reoffending_rates(df, by=None, margins=True)
    assert len(plain) == 1 and plain["offenders"][0] == 500
    named = ym.reoffending_rates(df, by="sex", margins=True, margins_name="Total")
    assert named["sex"].tolist() == ["Female", "Male", "Total"]
    with pytest.raises(ValueError, match="already has a category named 'Female'"):
        ym.reoffending_rates(df, by="sex", margins=True, margins_name="Female")


def test_margins_do_not_depend_on_threads():
    df = cohort(20_000, seed=3)
    one = ym.reoffending_rates(df, by=["yjs", "sex", "age"], margins=True, threads=1)
    two = ym.reoffending_rates(df, by=["yjs", "sex", "age"], margins=True, threads=2)
    pd.testing.assert_frame_equal(one, two)
