"""Keys of every type and counts of every dtype through the compiled grouper (issue 12): counts
exact against pandas' groupby for pandas, polars, pyarrow (chunked, dictionary, string views)
and numpy input; the Arrow path equal to the numpy path; nulls; empty and single-row inputs;
inputs never modified; codes no wider than they need to be."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yosmodel as ym
from yosmodel._core import reoffending as _core

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

COUNTS = ["offenders", "reoffenders", "reoffences"]
INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]


def pandas_counts(keys: dict, reoffences) -> pd.DataFrame:
    """The reference: pandas' own groupby on plain columns, groups sorted by key."""
    frame = pd.DataFrame({**{k: pd.Series(v).astype(object) for k, v in keys.items()},
                          "r": np.asarray(reoffences, dtype=np.int64)})
    names = list(keys)
    if not names:
        return pd.DataFrame({"offenders": [len(frame)], "reoffenders": [(frame.r > 0).sum()],
                             "reoffences": [frame.r.sum()]}) if len(frame) else frame.iloc[:0]
    g = frame.assign(re=frame.r > 0).groupby(names, sort=True).agg(
        offenders=("r", "size"), reoffenders=("re", "sum"), reoffences=("r", "sum"))
    return g.reset_index()


def assert_same_counts(got: pd.DataFrame, want: pd.DataFrame, keys: list[str]) -> None:
    assert len(got) == len(want)
    for name in COUNTS:
        np.testing.assert_array_equal(got[name].to_numpy(np.int64), want[name].to_numpy(np.int64))
    for key in keys:
        assert got[key].astype(object).tolist() == want[key].astype(object).tolist()


def cohort(n: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    return {"service": rng.integers(100, 255, n),
            "name": np.array([f"YJS {i}" for i in rng.integers(0, 40, n)], dtype=object),
            "flag": rng.random(n) < 0.3,
            "month": (np.datetime64("2014-01-01", "ms")
                      + rng.integers(0, 12, n) * np.timedelta64(30 * 86_400_000, "ms")),
            "reoffences": np.where(rng.random(n) < 0.4, rng.integers(1, 6, n), 0)}


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_integer_keys_of_every_width(dtype):
    c = cohort(5000, seed=1)
    service = (c["service"] % 100).astype(dtype)
    want = pandas_counts({"service": service}, c["reoffences"])
    for data in ({"service": service, "reoffences": c["reoffences"]},
                 pd.DataFrame({"service": service, "reoffences": c["reoffences"]}),
                 pl.DataFrame({"service": service, "reoffences": c["reoffences"]}),
                 pa.table({"service": service, "reoffences": c["reoffences"]})):
        got = ym.reoffending_rates(data, by="service")
        assert_same_counts(got, want, ["service"])


@pytest.mark.parametrize("dtype", INT_DTYPES + ["float32", "float64", "bool", "Int64", "UInt8"])
def test_counts_of_every_dtype(dtype):
    c = cohort(3000, seed=2)
    r = c["reoffences"] % 2 if dtype == "bool" else c["reoffences"]
    counts = pd.array(r, dtype=dtype) if dtype[0].isupper() else r.astype(dtype)
    want = pandas_counts({"name": c["name"]}, np.asarray(r, dtype=np.int64))
    frames = [pd.DataFrame({"name": c["name"], "reoffences": counts}),
              pl.DataFrame({"name": c["name"].astype(str), "reoffences": np.asarray(counts)}),
              pa.table({"name": c["name"].astype(str), "reoffences": np.asarray(counts)})]
    for data in frames:
        assert_same_counts(ym.reoffending_rates(data, by="name"), want, ["name"])


def test_string_keys_in_every_layout():
    c = cohort(20_000, seed=3)
    names = c["name"].astype(str)
    want = pandas_counts({"name": names}, c["reoffences"])
    strings = pa.array(names, pa.string())
    layouts = {
        "pandas str": pd.DataFrame({"name": pd.array(names, dtype="str"),
                                    "reoffences": c["reoffences"]}),
        "pandas object": pd.DataFrame({"name": c["name"], "reoffences": c["reoffences"]}),
        "polars String": pl.DataFrame({"name": names, "reoffences": c["reoffences"]}),
        "pyarrow string": pa.table({"name": strings, "reoffences": c["reoffences"]}),
        "pyarrow large_string": pa.table({"name": strings.cast(pa.large_string()),
                                          "reoffences": c["reoffences"]}),
        "pyarrow string_view": pa.table({"name": strings.cast(pa.string_view()),
                                         "reoffences": c["reoffences"]}),
    }
    for layout, data in layouts.items():
        got = ym.reoffending_rates(data, by="name")
        assert_same_counts(got, want, ["name"]), layout


def test_chunked_dictionaries_and_counts():
    c = cohort(9000, seed=4)
    names = c["name"].astype(str)
    # Three chunks whose dictionaries differ (as Parquet row groups can), counts chunked apart.
    pieces = [pa.array(names[a:b]).dictionary_encode() for a, b in
              [(0, 2000), (2000, 6500), (6500, 9000)]]
    counts = pa.chunked_array([c["reoffences"][:100], c["reoffences"][100:]])
    table = pa.Table.from_arrays([pa.chunked_array(pieces), counts], ["name", "reoffences"])
    got = ym.reoffending_rates(table, by="name")
    want = pandas_counts({"name": names}, c["reoffences"])
    got_sorted = got.sort_values("name", key=lambda s: s.astype(str)).reset_index(drop=True)
    assert_same_counts(got_sorted, want, ["name"])
    assert isinstance(got["name"].dtype, pd.CategoricalDtype)  # a dictionary stays categorical


def test_polars_categorical_and_enum_keep_their_order():
    c = cohort(5000, seed=5)
    order = [f"YJS {i}" for i in reversed(range(40))]
    enum = pl.Series("name", c["name"].astype(str), dtype=pl.Enum(order))
    data = pl.DataFrame({"name": enum, "reoffences": c["reoffences"]})
    got = ym.reoffending_rates(data, by="name")
    assert got["name"].tolist() == [n for n in order if n in set(c["name"])]
    cat = pl.DataFrame({"name": pl.Series(c["name"].astype(str)).cast(pl.Categorical),
                        "reoffences": c["reoffences"]})
    got = ym.reoffending_rates(cat, by="name")
    want = pandas_counts({"name": c["name"]}, c["reoffences"])
    got = got.assign(name=got["name"].astype(str)).sort_values("name").reset_index(drop=True)
    assert_same_counts(got, want, ["name"])


def test_booleans_dates_and_timestamps_as_keys():
    c = cohort(4000, seed=6)
    want = pandas_counts({"flag": c["flag"], "month": c["month"]}, c["reoffences"])
    for data in (pd.DataFrame({k: c[k] for k in ("flag", "month", "reoffences")}),
                 pa.table({k: c[k] for k in ("flag", "month", "reoffences")}),
                 pl.DataFrame({k: c[k] for k in ("flag", "month", "reoffences")})):
        got = ym.reoffending_rates(data, by=["flag", "month"])
        assert got["flag"].tolist() == want["flag"].tolist()
        assert [pd.Timestamp(t) for t in got["month"]] == [pd.Timestamp(t) for t in want["month"]]
        for name in COUNTS:
            np.testing.assert_array_equal(got[name].to_numpy(), want[name].to_numpy())
    days = pa.array(c["month"].astype("datetime64[D]"), pa.date32())
    got = ym.reoffending_rates(pa.table({"d": days, "reoffences": c["reoffences"]}), by="d")
    assert got["offenders"].sum() == 4000 and len(got) == 12


def test_missing_keys_and_counts_are_refused_with_a_count():
    for data in (pd.DataFrame({"k": pd.array([1, None, 2], dtype="Int64"),
                               "reoffences": [0, 1, 2]}),
                 pl.DataFrame({"k": ["a", None, None], "reoffences": [0, 1, 2]}),
                 pa.table({"k": pa.array(["a", None, "b"]).dictionary_encode(),
                           "reoffences": [0, 1, 2]})):
        with pytest.raises(ValueError, match=r"grouping column 'k': \d rows? ha(s|ve) a missing"):
            ym.reoffending_rates(data, by="k")
    for counts in (pd.array([1, None, 2], dtype="Int64"), pa.array([1, None, 2]),
                   pl.Series([1, None, 2])):
        data = {"pandas": pd.DataFrame, "pyarrow": pa.table, "polars": pl.DataFrame}
        kind = type(counts).__module__.split(".")[0]
        kind = "pandas" if kind == "pandas" else kind
        with pytest.raises(ValueError, match=r"column 'reoffences': 1 row missing"):
            ym.reoffending_rates(data[kind]({"k": ["a", "b", "a"], "reoffences": counts}),
                                 by="k")


def test_empty_and_single_row_inputs():
    for n in (0, 1):
        c = cohort(n, seed=7)
        for data in (pd.DataFrame({"name": pd.array(c["name"].astype(str), dtype="str"),
                                   "reoffences": c["reoffences"]}),
                     pa.table({"name": pa.array(c["name"].astype(str), pa.string()),
                               "reoffences": c["reoffences"]})):
            got = ym.reoffending_rates(data, by="name")
            assert len(got) == n
            assert got["offenders"].sum() == n


def test_arrow_path_equals_numpy_path_and_inputs_are_untouched():
    c = cohort(30_000, seed=8)
    before = {k: v.copy() for k, v in c.items()}
    by = ["service", "flag"]
    numpy_path = ym.reoffending_rates(dict(c), by=by)
    arrow_path = ym.reoffending_rates(pa.table({k: c[k] for k in [*by, "reoffences"]}), by=by)
    polars_path = ym.reoffending_rates(pl.DataFrame({k: c[k] for k in [*by, "reoffences"]}),
                                       by=by)
    pd.testing.assert_frame_equal(numpy_path, arrow_path)
    pd.testing.assert_frame_equal(numpy_path, polars_path)
    for k, v in c.items():
        np.testing.assert_array_equal(v, before[k])


def test_codes_are_never_wider_than_needed():
    for distinct, width in [(2, 1), (256, 1), (257, 2), (70_000, 4)]:
        values = np.arange(distinct, dtype=np.int64) * 7
        key = _core.group_key("k", values)
        assert key.codes().dtype.itemsize == width or key.borrowed
        strings = pa.array([f"s{v}" for v in values])
        skey = _core.group_key("s", strings)
        assert skey.codes().dtype.itemsize == width
        assert skey.cardinality == distinct


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 300), keys=st.integers(1, 3), chunks=st.integers(1, 4),
       dtype=st.sampled_from(INT_DTYPES), seed=st.integers(0, 2**16),
       kind=st.sampled_from(["int", "str", "dict", "view", "polars categorical"]))
def test_hypothesis_counts_exact_against_pandas(n, keys, chunks, dtype, seed, kind):
    rng = np.random.default_rng(seed)
    columns = {}
    for k in range(keys):
        v = rng.integers(0, 1 + rng.integers(1, 20), n)
        # Strings of 2 to 24 bytes: every length class of the string keys (packed words, 13 to
        # 16 bytes out of line in a view, longer than 16).
        columns[f"k{k}"] = v.astype(dtype) if kind == "int" else np.array(
            ["x" * int(x) + f"v{x}" for x in v], dtype=object)
    r = np.where(rng.random(n) < 0.5, rng.integers(0, 4, n), 0).astype(dtype)
    want = pandas_counts(columns, r)
    cuts = sorted(set(rng.integers(0, n + 1, chunks - 1).tolist()) | {0, n})

    def chunked(values, encode):
        kind_of = (pa.string_view() if kind == "view" else pa.string()) if values.dtype == object \
            else pa.from_numpy_dtype(values.dtype)
        arrays = [pa.array(values[a:b], kind_of) for a, b in zip(cuts, cuts[1:])] or [
            pa.array(values, kind_of)]
        if encode:
            arrays = [a.dictionary_encode() for a in arrays]
        return pa.chunked_array(arrays) if len(arrays) > 1 or n else pa.chunked_array(
            arrays, type=arrays[0].type)

    table = pa.table({**{k: chunked(v, kind == "dict") for k, v in columns.items()},
                      "reoffences": chunked(r, False)})
    if kind == "polars categorical":
        data = pl.from_arrow(table, rechunk=False).with_columns(
            [pl.col(k).cast(pl.Categorical) for k in columns])
        got = ym.reoffending_rates(data, by=list(columns))
    else:
        got = ym.reoffending_rates(table, by=list(columns))
    if kind == "dict":  # dictionary order is first seen: compare as sorted tables
        got = got.assign(**{k: got[k].astype(str) for k in columns}).sort_values(
            list(columns)).reset_index(drop=True)
    assert_same_counts(got, want, list(columns))


def test_cohort_person_ids_through_the_grouper_agree_with_factorize():
    # String ids as pandas 3 `str`, sparse int64 ids and uint64 ids above 2^63 go through the
    # grouper; object-dtype ids go through pd.factorize as before: the cohorts must agree.
    rng = np.random.default_rng(21)
    persons, n_d, n_o = 300, 700, 5000
    base = np.datetime64("2014-06-01", "s")
    day = np.timedelta64(86_400, "s")
    d_person, o_person = rng.integers(0, persons + 20, n_d), rng.integers(0, persons + 40, n_o)
    disposals = {"date": base + rng.integers(0, 700, n_d) * day,
                 "kind": rng.choice(["caution", "court_conviction"], n_d)}
    committed = base + rng.integers(-100, 700, n_o) * day
    offences = {"offence_date": committed,
                "proven_date": committed + rng.integers(0, 300, n_o) * day}
    forms = {"object": lambda p: np.array([f"P{i:06d}" for i in p], dtype=object),
             "str": lambda p: pd.array([f"P{i:06d}" for i in p], dtype="str"),
             "sparse int64": lambda p: p.astype(np.int64) * 10**9 + 7,
             "uint64 high": lambda p: p.astype(np.uint64) + np.uint64(2**63)}
    results = {}
    for form, make in forms.items():
        d = pd.DataFrame({"person_id": make(d_person), **disposals})
        o = pd.DataFrame({"person_id": make(o_person), **offences})
        got = ym.build_cohort(d, o, "2014-10-01", "2015-09-30")
        results[form] = got
    reference = results["object"]
    assert len(reference) > 20
    for form, got in results.items():
        assert len(got) == len(reference), form
        for col in ("index_date", "reoffences", "previous_offences", "follow_up_end"):
            assert got[col].tolist() == reference[col].tolist(), (form, col)
        assert got.attrs["diagnostics"] == reference.attrs["diagnostics"], form


def test_polars_categorical_by_its_ids_sorts_like_polars_and_lists_only_present_values():
    # Categories made first, in reverse order, by other columns: the ids of the column grouped
    # are then neither sorted nor dense, and the mapping holds values the column does not have.
    pl.Series([f"YJS {i}" for i in reversed(range(60))] + ["Female", "Male"]).cast(pl.Categorical)
    c = cohort(5000, seed=8)
    names = c["name"].astype(str)
    data = pl.DataFrame({"name": pl.Series(names).cast(pl.Categorical),
                         "sex": pl.Series(np.where(c["reoffences"] > 1, "Male", "Female")
                                          ).cast(pl.Categorical),
                         "reoffences": c["reoffences"]})
    got = ym.reoffending_rates(data, by=["name", "sex"])
    assert list(got["name"].cat.categories) == sorted(set(names))
    assert got["name"].tolist() == sorted(got["name"].tolist())
    assert list(got["sex"].cat.categories) == ["Female", "Male"]
    polars = (data.group_by(["name", "sex"]).agg(pl.len().alias("offenders"),
                                                 pl.col("reoffences").sum())
              .sort(["name", "sex"]))
    assert got["name"].astype(str).tolist() == polars["name"].cast(pl.String).to_list()
    assert got["offenders"].tolist() == polars["offenders"].to_list()
    assert got["reoffences"].tolist() == polars["reoffences"].to_list()
    with_null = pl.DataFrame({"name": pl.Series(["a", None, "b"]).cast(pl.Categorical),
                              "reoffences": [0, 1, 2]})
    with pytest.raises(ValueError, match="1 row has a missing value"):
        ym.reoffending_rates(with_null, by="name")


def test_polars_enum_codes_are_read_in_place_and_keep_every_level():
    levels = ["Low", "Medium", "High", "Very high"]
    risk = pl.Series(["High", "Low", "High", "Medium"], dtype=pl.Enum(levels))
    data = pl.DataFrame({"risk": risk, "reoffences": [1, 0, 2, 0]})
    got = ym.reoffending_rates(data, by="risk")
    assert got["risk"].tolist() == ["Low", "Medium", "High"]
    assert list(got["risk"].cat.categories) == levels
    assert got["offenders"].tolist() == [1, 1, 2]
    with pytest.raises(ValueError, match="1 row has a missing value"):
        ym.reoffending_rates(pl.DataFrame({"risk": pl.Series(["Low", None], dtype=pl.Enum(levels)),
                                           "reoffences": [0, 1]}), by="risk")


def test_reorder_categories_refuses_anything_but_a_permutation():
    key = ym._core.reoffending.group_key("name", pa.array(["b", "a", "c"]))
    reordered = ym._core.reoffending.reorder_categories(key, np.array([2, 0, 1], dtype=np.uint64))
    assert list(reordered.categories()) == ["c", "a", "b"]
    assert reordered.codes().tolist() == [2, 1, 0]
    assert key.codes().tolist() == [1, 0, 2]  # the original key is unchanged
    for order in ([0, 1], [0, 0, 1], [0, 1, 5]):
        with pytest.raises(ValueError, match="every code once|must list 3 codes"):
            ym._core.reoffending.reorder_categories(key, np.array(order, dtype=np.uint64))


def test_categories_at_picks_codes_in_order_and_refuses_codes_outside():
    g = ym._core.reoffending
    key = g.group_key("name", pa.array(["b", "a", "c"]))
    assert key.categories_at(np.array([2, 0, 0])) == ["c", "a", "a"]
    assert key.categories_at(np.array([], dtype=np.int64)) == []
    ids = g.group_key("id", np.array([10**15, -4, 7], dtype=np.int64))
    assert ids.categories_at(np.array([0, 2])).tolist() == [-4, 10**15]
    big = g.group_key("id", np.array([2**64 - 1, 3], dtype=np.uint64))
    assert big.categories_at(np.array([1])).tolist() == [2**64 - 1]
    for outside in ([3], [-1]):
        with pytest.raises(ValueError, match="outside its categories") as raised:
            key.categories_at(np.array(outside))
        assert "'b'" not in str(raised.value)


def test_look_up_codes_missing_and_unknown_ids():
    g = ym._core.reoffending
    key = g.group_key("person_id", pa.array(["P2", "P1", "P2"]))
    codes, missing_code, unknown_code, missing, unknown = g.look_up(
        key, "person_id", pa.array(["P1", None, "P3", "P2", "P1"], type=pa.large_string()))
    assert (missing_code, unknown_code, missing, unknown) == (2, 3, 1, 1)
    assert codes.tolist() == [0, 2, 3, 1, 0]
    with pytest.raises(TypeError, match="another kind of value"):
        g.look_up(key, "person_id", np.array([1, 2]))


def test_a_missing_count_is_counted_once_whatever_lies_under_it():
    """pandas Float64 keeps NaN under its NA and pyarrow keeps a masked value: each missing
    row is one missing row (the NaN under it was counted a second time)."""
    key = np.array(["a", "b", "a", "b", "a", "b"])
    for counts in (pd.array([0, 1, None, 1, None, 1], dtype="Float64"),
                   pa.array(np.array([0, 1, np.nan, 1, -4.5, 1]),
                            mask=np.array([False, False, True, False, True, False]))):
        data = (pd.DataFrame({"k": key, "reoffences": counts}) if isinstance(counts, pd.api.
                extensions.ExtensionArray) else pa.table({"k": key, "reoffences": counts}))
        with pytest.raises(ym.InputError, match="'reoffences': 2 rows missing"):
            ym.reoffending_rates(data, by="k")


@pytest.mark.parametrize("unit", ["D", "h", "m", "W", "M", "Y", "10s"])
def test_datetime64_keys_of_any_unit_group_like_pandas(unit):
    """A dict of numpy datetime64[m] (or h, W, M, Y) keys was refused with a DtypeError while
    datetime64[D] was grouped; every unit now groups, as pandas does."""
    rng = np.random.default_rng(12)
    month = np.datetime64("2014-01-01", "s") + rng.integers(0, 3, 500) * np.timedelta64(
        40 * 86_400, "s")
    key = month.astype(f"datetime64[{unit}]")
    reoffences = rng.integers(0, 3, 500)
    got = ym.reoffending_rates({"month": key, "reoffences": reoffences}, by="month")
    plain = key.astype(f"datetime64[{np.datetime_data(key.dtype)[0]}]")  # pandas has no 10s
    assert_same_counts(got, pandas_counts({"month": plain}, reoffences), ["month"])


@pytest.mark.parametrize("kind", ["pandas", "categorical", "pyarrow", "polars"])
def test_one_group_spelt_two_ways_is_said_not_merged(kind):
    """A padded database column ("Lewisham ") or a shouted one ("LEWISHAM") beside "Lewisham"
    gave three groups, silently: the counts of one service split three ways."""
    import warnings

    import polars as pl
    import pyarrow as pa

    names = ["Lewisham", "Lewisham ", "LEWISHAM", "Bromley", "Croydon", "Croydon  "]
    frame = pd.DataFrame({"yjs": names * 3, "reoffences": [0, 1, 2, 0, 1, 1] * 3})
    data = {"pandas": frame, "categorical": frame.astype({"yjs": "category"}),
            "pyarrow": pa.table(frame), "polars": pl.from_pandas(frame)}[kind]
    with pytest.warns(ym.GroupSpellingWarning, match="'yjs': 5 of its 6 values") as caught:
        table = ym.reoffending_rates(data, by="yjs")
    assert caught[0].filename == __file__  # pointed at the caller's line
    assert caught[0].message.column == "yjs" and caught[0].message.variants == 5
    assert "Lewisham" not in str(caught[0].message)  # a count, never a value
    assert len(table) == 6 and table["offenders"].sum() == 18  # kept as given
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ym.reoffending_rates(frame.assign(yjs=frame["yjs"].str.strip().str.title()), by="yjs")
        ym.reoffending_rates(frame.assign(yjs=np.arange(18) % 3), by="yjs")  # numbers: no check


def test_a_number_beside_the_same_digits_as_text_is_said():
    """An object column of 1 and "1" (two extracts concatenated) gave two groups that print
    alike, silently."""
    frame = pd.DataFrame({"yjs": pd.Series([1, "1", 2, "2 "] * 3, dtype=object),
                          "reoffences": [0, 1, 0, 1] * 3})
    with pytest.warns(ym.GroupSpellingWarning, match="4 of its 4 values .* in type"):
        assert len(ym.reoffending_rates(frame, by="yjs")) == 4


@pytest.mark.parametrize("values, variants", [
    (["Bromley North", "Bromley\tNorth", "bromley  north", "Croydon"], 3),
    (["Bromley North", "Bromley\u00a0North", "Croydon"], 2),
    ([" Croydon", "Croydon", "Bury"], 2),
    (["Bury", "Hackney", "Lewisham", "Bury St Edmunds"], 0),
])
def test_spellings_are_compared_without_case_or_runs_of_spaces(values, variants):
    import warnings

    from yosmodel._utils.spelling import warn_of_spellings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warn_of_spellings("yjs", pd.Index(values, dtype=object))
    assert [w.message.variants for w in caught] == ([variants] if variants else [])


def test_values_holding_a_nul_are_not_said_to_be_spelt_alike():
    # The check joins the values with NUL: values holding one split into other "values".
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", ym.GroupSpellingWarning)
        ym.reoffending_rates(pd.DataFrame({"k": ["a\x00b", "a\x00c", "a"],
                                           "reoffences": [1, 0, 0]}), by="k")
    with pytest.warns(ym.GroupSpellingWarning, match="2 of its 3 values"):
        ym.reoffending_rates(pd.DataFrame({"k": ["a\x00b", "A\x00B ", "a"],
                                           "reoffences": [1, 0, 0]}), by="k")
