"""reoffending_rates: the API contract, a cross-check against plain pandas on random data, every
input type, and bad input."""

import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from reference import pandas_rates

MEASURES = ["offenders", "reoffenders", "reoffences", "binary_rate", "binary_rate_lower",
            "binary_rate_upper", "frequency_rate", "reoffences_per_reoffender"]


def test_hand_worked_table():
    data = pd.DataFrame({"sex": ["M", "F", "M", "F", "M"], "reoffences": [0, 0, 3, 0, 1],
                         "previous": [1, 2, 0, 2, 5]})
    table = ym.reoffending_rates(data, by="sex", previous_offences="previous")
    assert list(table.columns) == ["sex", *MEASURES, "previous_offences_mean"]
    assert table["sex"].tolist() == ["F", "M"]
    assert table["offenders"].tolist() == [2, 3]
    assert table["reoffenders"].tolist() == [0, 2]
    assert table["reoffences"].tolist() == [0, 4]
    assert table["binary_rate"].tolist() == [0.0, 2 / 3]
    assert table["frequency_rate"].tolist() == [0.0, 4 / 3]
    assert np.isnan(table["reoffences_per_reoffender"][0])
    assert table["reoffences_per_reoffender"][1] == 2.0
    assert table["previous_offences_mean"].tolist() == [2.0, 2.0]
    lower, upper = ym.proportion_interval(2, 3)
    assert table["binary_rate_lower"][1] == lower and table["binary_rate_upper"][1] == upper


@pytest.mark.parametrize("by", [None, [], "sex", ["yjs"], ["yjs", "sex"],
                                ["quarter", "age", "sex"]])
def test_matches_pandas_groupby(random_cohort, by):
    df = random_cohort(20_000, seed=len(str(by)))
    got = ym.reoffending_rates(df, by=by, previous_offences="previous_offences")
    keys = [] if by is None else ([by] if isinstance(by, str) else list(by))
    want = pandas_rates(df, keys, previous="previous_offences")
    assert len(got) == len(want)
    for name in ["offenders", "reoffenders", "reoffences"]:
        np.testing.assert_array_equal(got[name].to_numpy(), want[name].to_numpy())
    for name in ["binary_rate", "frequency_rate", "reoffences_per_reoffender",
                 "previous_offences_mean"]:
        np.testing.assert_allclose(got[name].to_numpy(), want[name].to_numpy(), rtol=1e-12)
    for key in keys:
        assert got[key].astype(object).tolist() == want[key].astype(object).tolist()


def test_previous_offences_mean_only_when_asked(random_cohort):
    table = ym.reoffending_rates(random_cohort(100), by="sex")
    assert "previous_offences_mean" not in table.columns


def test_sorted_by_keys_in_categorical_order():
    df = pd.DataFrame({"q": pd.Categorical(["b", "a", "c", "a"], categories=["c", "b", "a"]),
                       "reoffences": [1, 0, 0, 2]})
    table = ym.reoffending_rates(df, by="q")
    assert table["q"].tolist() == ["c", "b", "a"]
    assert isinstance(table["q"].dtype, pd.CategoricalDtype)
    assert list(table["q"].cat.categories) == ["c", "b", "a"]


def test_empty_groups_are_left_out():
    df = pd.DataFrame({"q": pd.Categorical(["a", "a"], categories=["a", "b"]),
                       "reoffences": [1, 0]})
    assert ym.reoffending_rates(df, by="q")["q"].tolist() == ["a"]


@pytest.mark.parametrize("threads", [1, 2, 5])
def test_identical_for_every_thread_count(random_cohort, threads):
    df = random_cohort(50_000)
    base = ym.reoffending_rates(df, by=["yjs", "sex"], threads=1)
    got = ym.reoffending_rates(df, by=["yjs", "sex"], threads=threads)
    pd.testing.assert_frame_equal(got, base)


def test_level_and_method_reach_the_interval(random_cohort):
    df = random_cohort(500)
    table = ym.reoffending_rates(df, level=0.9, method="clopper_pearson")
    lower, upper = ym.proportion_interval(table["reoffenders"][0], table["offenders"][0],
                                          level=0.9, method="clopper_pearson")
    assert (table["binary_rate_lower"][0], table["binary_rate_upper"][0]) == (lower, upper)


def test_every_input_type_gives_the_same_table(random_cohort):
    df = random_cohort(3000)
    want = ym.reoffending_rates(df, by=["quarter", "sex"], previous_offences="previous_offences")
    as_dict = {name: df[name].to_numpy() for name in ["sex", "reoffences", "previous_offences"]}
    as_dict["quarter"] = df["quarter"].astype(str).to_numpy()
    got = ym.reoffending_rates(as_dict, by=["quarter", "sex"],
                               previous_offences="previous_offences")
    pd.testing.assert_frame_equal(got.drop(columns=["quarter"]), want.drop(columns=["quarter"]))
    assert got["quarter"].tolist() == want["quarter"].astype(str).tolist()


def test_pyarrow_input(random_cohort):
    pa = pytest.importorskip("pyarrow")
    df = random_cohort(3000)
    want = ym.reoffending_rates(df, by=["quarter", "sex"])
    table = pa.Table.from_pandas(df, preserve_index=False)  # quarter becomes a dictionary array
    assert pa.types.is_dictionary(table.schema.field("quarter").type)
    got = ym.reoffending_rates(table, by=["quarter", "sex"])
    pd.testing.assert_frame_equal(got, want)


def test_polars_input(random_cohort):
    pl = pytest.importorskip("polars")
    df = random_cohort(3000)
    want = ym.reoffending_rates(df, by=["sex", "age"])
    want_sex = ym.reoffending_rates(df, by="sex")
    got = ym.reoffending_rates(pl.from_pandas(df), by=["sex", "age"])
    pd.testing.assert_frame_equal(got, want)
    for dtype in (pl.Categorical, pl.Enum(["Male", "Female"])):
        got_cat = ym.reoffending_rates(pl.from_pandas(df).with_columns(pl.col("sex").cast(dtype)),
                                       by="sex")
        by_sex = dict(zip(got_cat["sex"].astype(str), got_cat["offenders"]))
        assert by_sex == dict(zip(want_sex["sex"], want_sex["offenders"]))


def test_numeric_columns_are_not_copied(random_cohort, monkeypatch):
    df = random_cohort(1000)
    seen = {}
    real_counts, real_codes = ym._core.reoffending.count_column, ym._core.reoffending.key_from_codes

    def counts_spy(name, column):
        seen[name] = column
        return real_counts(name, column)

    def codes_spy(name, codes, cardinality):
        seen[name] = codes
        return real_codes(name, codes, cardinality)

    monkeypatch.setattr(ym._core.reoffending, "count_column", counts_spy)
    monkeypatch.setattr(ym._core.reoffending, "key_from_codes", codes_spy)
    ym.reoffending_rates(df, by="quarter")
    assert np.shares_memory(seen["reoffences"], df["reoffences"].to_numpy())
    assert np.shares_memory(seen["quarter"], df["quarter"].array.codes)


def test_input_is_not_modified(random_cohort):
    df = random_cohort(1000)
    before = df.copy(deep=True)
    ym.reoffending_rates(df, by=["yjs", "sex"], previous_offences="previous_offences")
    pd.testing.assert_frame_equal(df, before)


# Bad input: a clear error naming the column and the rule.

def test_unknown_column():
    with pytest.raises(KeyError, match="'sexx' is not in the data"):
        ym.reoffending_rates(pd.DataFrame({"sex": ["M"], "reoffences": [0]}), by="sexx")
    with pytest.raises(KeyError, match="reoffences column 'reoffs'"):
        ym.reoffending_rates(pd.DataFrame({"reoffences": [0]}), reoffences="reoffs")


def test_negative_counts():
    with pytest.raises(ValueError, match=r"column 'reoffences': 2 rows negative"):
        ym.reoffending_rates(pd.DataFrame({"reoffences": [0, -1, -3]}))


def test_nan_and_fractional_counts():
    with pytest.raises(ValueError, match=r"column 'reoffences': 1 row missing"):
        ym.reoffending_rates(pd.DataFrame({"reoffences": [0.0, np.nan]}))
    with pytest.raises(ValueError, match="not whole numbers"):
        ym.reoffending_rates(pd.DataFrame({"reoffences": [0.0, 1.5]}))
    with pytest.raises(ValueError, match=r"column 'reoffences': 1 row missing"):
        ym.reoffending_rates(pd.DataFrame({"reoffences": pd.array([1, None], dtype="Int64")}))


def test_infinite_counts_are_refused_as_not_whole_numbers():
    # +inf was read as too large and set aside by max_reoffences (a RecordsSetAsideWarning, or
    # nothing at all under a raised max_set_aside), as though it were a real count
    pa = pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    values = [0.0, np.inf, 2.0, -np.inf, 1.0]
    tables = {
        "pandas": pd.DataFrame({"k": list("ababa"), "reoffences": values}),
        "pyarrow": pa.table({"k": list("ababa"), "reoffences": values}),
        "polars": pl.DataFrame({"k": list("ababa"), "reoffences": values}),
    }
    want = r"^column 'reoffences': 2 rows not whole numbers; counts must be integers$"
    for table in tables.values():
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # refused, never set aside
            with pytest.raises(ValueError, match=want):
                ym.reoffending_rates(table, by="k", max_set_aside=1.0)
    frame = pd.DataFrame({"reoffences": [0, 1], "previous_offences": [np.inf, 3.0]})
    with pytest.raises(ValueError, match=r"column 'previous_offences': 1 row not whole"):
        ym.reoffending_rates(frame, previous_offences="previous_offences")


def test_missing_keys_are_an_error_not_dropped():
    df = pd.DataFrame({"sex": ["M", None, "F"], "reoffences": [0, 1, 0]})
    with pytest.raises(ValueError, match="grouping column 'sex': 1 row has a missing value"):
        ym.reoffending_rates(df, by="sex")
    # A pandas Categorical's NaN (code -1) was "a code outside [0, 2) ... (a missing key, code
    # -1, is not allowed)": now the words of every other missing key, whatever the input kind
    want = ("grouping column 'sex': 1 row has a missing value; fill or drop them before "
            "grouping (missing keys are never dropped silently)")
    categorical = df.astype({"sex": "category"})
    shapes = {"str": df, "Categorical": categorical,
              "Categorical with a second key": categorical.assign(k=["x", "y", "x"]),
              "dict of a Categorical": {"sex": categorical["sex"].array,
                                        "reoffences": np.array([0, 1, 0])}}
    for shape, data in shapes.items():
        by = ["k", "sex"] if "second key" in shape else "sex"
        with pytest.raises(ValueError) as caught:
            ym.reoffending_rates(data, by=by)
        assert str(caught.value) == want, shape
    with pytest.raises(ValueError) as caught:
        ym.reoffending_rates(categorical, by="sex", margins=True)
    assert str(caught.value) == want


def test_unsupported_dtypes():
    with pytest.raises(TypeError, match="column 'reoffences' has dtype (object|str)"):
        ym.reoffending_rates(pd.DataFrame({"reoffences": ["1", "2"]}))
    with pytest.raises(TypeError, match="is not a table"):
        ym.reoffending_rates([1, 2, 3])


def test_bad_arguments():
    df = pd.DataFrame({"sex": ["M"], "reoffences": [0]})
    with pytest.raises(ValueError, match="more than once"):
        ym.reoffending_rates(df, by=["sex", "sex"])
    with pytest.raises(ValueError, match="threads"):
        ym.reoffending_rates(df, threads=0)
    with pytest.raises(ValueError, match="level"):
        ym.reoffending_rates(df, level=95)
    with pytest.raises(ValueError, match="unknown interval method"):
        ym.reoffending_rates(df, method="exact")


def test_dict_columns_of_different_lengths():
    with pytest.raises(ValueError, match="same length"):
        ym.reoffending_rates({"sex": np.array(["M", "F"]), "reoffences": np.array([0, 1, 2])},
                             by="sex")


def test_error_messages_never_echo_values():
    sentinel = "SENTINEL-PERSON-4471"
    df = pd.DataFrame({"who": [sentinel, "x"], "reoffences": [-7654321, 0]})
    with pytest.raises(ValueError) as info:
        ym.reoffending_rates(df, by="who")
    assert sentinel not in str(info.value) and "7654321" not in str(info.value)


def test_synthetic_cohort_is_labelled_and_realistic():
    cohort = ym.datasets.synthetic_cohort(200_000, seed=3)
    assert cohort.attrs["synthetic"] is True and "SYNTHETIC" in cohort.attrs["source"]
    overall = ym.reoffending_rates(cohort)
    assert 0.36 < overall["binary_rate"][0] < 0.44
    assert 1.0 < overall["frequency_rate"][0] < 1.4
    assert cohort["yjs"].cat.categories.size == 155
    assert cohort["age"].between(10, 17).all()
    pd.testing.assert_frame_equal(cohort, ym.datasets.synthetic_cohort(200_000, seed=3))
    assert not cohort.equals(ym.datasets.synthetic_cohort(200_000, seed=4))
