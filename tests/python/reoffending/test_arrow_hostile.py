"""Hostile tests of the newest entry points (issue 12): reoffending_rates and build_cohort fed the
shapes real users hand over (Arrow PyCapsule objects, sliced and chunked Arrow arrays,
dictionaries with null entries, float16 counts, odd option values), checked against counts
worked out here with pandas from the docstrings."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel._core import reoffending as _core

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

COUNTS = ["offenders", "reoffenders", "reoffences"]


def expected(keys: dict, reoffences) -> pd.DataFrame:
    """The docstring's counts, by pandas: offenders = rows, reoffenders = rows with
    reoffences > 0, reoffences = their sum; one row per non-empty group, sorted by the keys."""
    frame = pd.DataFrame({**{k: pd.Series(list(v), dtype=object) for k, v in keys.items()},
                          "r": np.asarray(reoffences, dtype=np.int64)})
    return frame.assign(re=frame.r > 0).groupby(list(keys), sort=True).agg(
        offenders=("r", "size"), reoffenders=("re", "sum"), reoffences=("r", "sum")
    ).reset_index()


def assert_counts(got: pd.DataFrame, want: pd.DataFrame, keys: list[str]) -> None:
    assert len(got) == len(want)
    for key in keys:
        assert [v.item() if isinstance(v, np.generic) else v
                for v in got[key].astype(object)] == want[key].tolist()
    for name in COUNTS:
        assert got[name].tolist() == want[name].tolist()


class Stream:
    """An object speaking only the Arrow PyCapsule stream interface (nanoarrow, arro3, an
    ADBC result, a user's wrapper)."""

    def __init__(self, inner):
        self._inner = inner

    def __arrow_c_stream__(self, requested_schema=None):
        return self._inner.__arrow_c_stream__(requested_schema)


class Array:
    """An object speaking only the Arrow PyCapsule array interface."""

    def __init__(self, inner):
        self._inner = inner

    def __arrow_c_array__(self, requested_schema=None):
        return self._inner.__arrow_c_array__(requested_schema)


KEYS = ["b", "a", "b", "c", "b", "a"]
REOFFENCES = [0, 1, 2, 0, 3, 0]


# ------------------------------------------------------------------ bugs found (fixed here)


def test_a_table_speaking_only_the_arrow_pycapsule_interface_is_read():
    # was refused "data of type Stream is not a table" though issue 12 reads Arrow-speaking input
    table = pa.table({"k": KEYS, "reoffences": REOFFENCES})
    want = expected({"k": KEYS}, REOFFENCES)
    assert_counts(ym.reoffending_rates(Stream(table), by="k"), want, ["k"])
    assert_counts(ym.reoffending_rates(Array(table.to_batches()[0]), by="k"), want, ["k"])


def test_dict_columns_speaking_only_arrow_are_read_as_arrow():
    # a dict of Arrow-speaking columns failed "columns must be one-dimensional" (np.asarray of
    # the wrapper is a 0-d object array), naming no column
    want = expected({"k": KEYS}, REOFFENCES)
    for wrap in (lambda a: Stream(pa.chunked_array([a])), Array):
        data = {"k": wrap(pa.array(KEYS)), "reoffences": wrap(pa.array(REOFFENCES))}
        assert_counts(ym.reoffending_rates(data, by="k"), want, ["k"])
    numpy_path = ym.reoffending_rates({"k": np.array(KEYS, dtype=object),
                                       "reoffences": np.array(REOFFENCES)}, by="k")
    arrow_path = ym.reoffending_rates({"k": pa.array(KEYS), "reoffences": pa.chunked_array(
        [REOFFENCES[:2], REOFFENCES[2:]])}, by="k")
    pd.testing.assert_frame_equal(numpy_path, arrow_path)


def test_a_dict_column_that_is_not_one_dimensional_is_named():
    # "columns must be one-dimensional" named no column (which of twenty is 2-D?)
    with pytest.raises(TypeError, match="column 'k' is a 2-dimensional array"):
        ym.reoffending_rates({"k": np.zeros((6, 2)), "reoffences": np.array(REOFFENCES)},
                             by="k")
    with pytest.raises(TypeError, match="column 'reoffences' is a single value"):
        ym.reoffending_rates({"k": np.array(KEYS), "reoffences": 3}, by="k")


def test_margins_name_none_is_refused_by_name():
    # margins_name=None failed inside pandas as "IndexError: out of bounds value in 'indices'"
    data = pd.DataFrame({"k": KEYS, "reoffences": REOFFENCES})
    with pytest.raises(TypeError, match="margins_name must be a string"):
        ym.reoffending_rates(data, by="k", margins=True, margins_name=None)
    with pytest.raises(TypeError, match="margins_name must be a string"):
        ym.reoffending_rates(data, by="k", margins=True, margins_name=5)
    # A total labelled "" or " " printed as a group with no name.
    for blank in ("", "  "):
        with pytest.raises(ValueError, match="margins_name must not be empty"):
            ym.reoffending_rates(data, by="k", margins=True, margins_name=blank)


def test_by_as_a_set_of_several_keys_is_refused():
    # a set was taken as the keys' order: the result's columns and sort changed from one run of
    # Python to the next (string hashing is randomised per process)
    data = pd.DataFrame({"k": KEYS, "j": [1, 2, 1, 2, 1, 2], "reoffences": REOFFENCES})
    with pytest.raises(TypeError, match="a set has no order"):
        ym.reoffending_rates(data, by={"k", "j"})


@pytest.mark.parametrize("kind", ["numpy", "pandas", "pyarrow", "polars"])
def test_float16_counts_are_counts(kind):
    # refused: numpy/pandas "has dtype float16; use an integer or floating-point dtype" (it is
    # one), Arrow "an unsupported Arrow type" naming no type; the docs take any floating dtype
    counts = np.array(REOFFENCES, dtype=np.float16)
    data = {"numpy": lambda: {"k": np.array(KEYS), "reoffences": counts},
            "pandas": lambda: pd.DataFrame({"k": KEYS, "reoffences": counts}),
            "pyarrow": lambda: pa.table({"k": KEYS, "reoffences": pa.array(counts)}),
            "polars": lambda: pl.DataFrame({"k": KEYS, "reoffences": counts})}[kind]()
    assert_counts(ym.reoffending_rates(data, by="k"), expected({"k": KEYS}, REOFFENCES), ["k"])


def test_a_null_entry_of_an_arrow_dictionary_no_row_uses_is_no_missing_key():
    # pyarrow builds such dictionaries; the core refused the whole column "has 1 missing values
    # in its dictionary" though no row is missing (the root is the core's importer,
    # include/yosmodel/core/detail/arrow-inl.hpp, validate: it refuses any null entry)
    column = pa.DictionaryArray.from_arrays(pa.array([0, 2, 0, 2, 0, 0], pa.int8()),
                                            pa.array(["a", None, "b"]))
    assert column.null_count == 0
    got = ym.reoffending_rates(pa.table({"k": column, "reoffences": REOFFENCES}), by="k")
    assert_counts(got, expected({"k": ["a", "b", "a", "b", "a", "a"]}, REOFFENCES), ["k"])
    assert list(got["k"].dtype.categories) == ["a", "b"]  # the null entry is no category


def test_rows_pointing_at_a_null_dictionary_entry_are_counted_as_missing_keys():
    # said as "1 missing values in its dictionary": neither the rows nor the usual message
    column = pa.DictionaryArray.from_arrays(pa.array([0, 1, 0, 2, 1, 0], pa.int8()),
                                            pa.array(["a", None, "b"]))
    with pytest.raises(ValueError, match="grouping column 'k': 2 rows have a missing value"):
        ym.reoffending_rates(pa.table({"k": column, "reoffences": REOFFENCES}), by="k")


def test_a_column_name_given_twice_is_refused_naming_it():
    # pandas: "AttributeError: 'DataFrame' object has no attribute 'dtype'"; pyarrow: its own
    # KeyError 'Field "k" exists 2 times in schema'
    frame = pd.DataFrame({"k": KEYS, "reoffences": REOFFENCES, "k2": KEYS})
    frame.columns = ["k", "reoffences", "k"]
    with pytest.raises(ValueError, match="grouping column 'k' is in the data more than once"):
        ym.reoffending_rates(frame, by="k")
    table = pa.Table.from_arrays([pa.array(KEYS), pa.array(REOFFENCES), pa.array(REOFFENCES)],
                                 names=["k", "reoffences", "reoffences"])
    with pytest.raises(ValueError, match="column 'reoffences' is in the data more than once"):
        ym.reoffending_rates(table, by="k")


def test_pandas_columns_labelled_by_numbers_are_named_by_their_text():
    # pd.read_csv(header=None) labels columns 0, 1, ...: they were listed as '0', '1' and then
    # looked up as strings, failing as pandas' bare "KeyError: '0'"
    frame = pd.DataFrame({0: KEYS, 1: REOFFENCES})
    got = ym.reoffending_rates(frame, by="0", reoffences="1")
    assert_counts(got, expected({"0": KEYS}, REOFFENCES), ["0"])
    assert frame.columns.tolist() == [0, 1]  # the caller's frame keeps its labels


def test_a_key_of_lists_is_refused_naming_the_column():
    # pandas' bare "TypeError: unhashable type: 'list'" named no column
    data = pd.DataFrame({"k": pd.Series([[1], [2], [1], [3], [1], [2]]),
                         "reoffences": REOFFENCES})
    with pytest.raises(TypeError, match="grouping column 'k' holds values that are not plain"):
        ym.reoffending_rates(data, by="k")


def test_a_pandas_period_key_is_grouped_by_period():
    # a cohort quarter as a pandas Period: its Arrow export is the ordinals, and the categories
    # failed to come back ('Given date string "600" not likely a datetime', a value in the
    # message)
    quarters = pd.period_range("2015Q1", periods=3, freq="Q")[[0, 1, 0, 2, 0, 1]]
    got = ym.reoffending_rates(pd.DataFrame({"q": quarters, "reoffences": REOFFENCES}), by="q")
    assert_counts(got, expected({"q": list(quarters)}, REOFFENCES), ["q"])
    assert isinstance(got["q"].dtype, pd.PeriodDtype)


def test_a_period_key_read_back_from_parquet_by_pyarrow_is_labelled_by_period(tmp_path):
    # pandas writes a Period column as the extension type pandas.period over int64; read back
    # with pyarrow, the groups were labelled 200, 201, 202 (the quarters' ordinals), silently
    import pyarrow.parquet as pq

    quarters = pd.period_range("2020Q1", periods=3, freq="Q")[[0, 1, 0, 2, 0, 1]]
    path = tmp_path / "cohort.parquet"
    pd.DataFrame({"q": quarters, "reoffences": REOFFENCES}).to_parquet(path)
    table = pq.read_table(path)
    assert isinstance(table.schema.field("q").type, pa.BaseExtensionType)
    got = ym.reoffending_rates(table, by="q")
    assert_counts(got, expected({"q": list(quarters)}, REOFFENCES), ["q"])


def test_pandas_arrow_dtype_keys_nested_or_with_a_null_dictionary_entry():
    # a list[pyarrow] key failed with pyarrow's "Function 'dictionary_encode' has no kernel
    # matching input types", naming no column; a dictionary[pyarrow] key with an unused null
    # entry was refused whole ("has 1 missing values in its dictionary")
    lists = pd.array([[1], [2], [1], [3], [1], [2]], dtype=pd.ArrowDtype(pa.list_(pa.int64())))
    with pytest.raises(TypeError, match="grouping column 'k' has Arrow type list"):
        ym.reoffending_rates(pd.DataFrame({"k": lists, "reoffences": REOFFENCES}), by="k")
    entries = pa.DictionaryArray.from_arrays(pa.array([0, 2, 0, 2, 0, 0], pa.int8()),
                                             pa.array(["a", None, "b"]))
    column = pd.array(entries, dtype=pd.ArrowDtype(entries.type))
    got = ym.reoffending_rates(pd.DataFrame({"k": column, "reoffences": REOFFENCES}), by="k")
    assert_counts(got, expected({"k": ["a", "b", "a", "b", "a", "a"]}, REOFFENCES), ["k"])


def test_polars_128_bit_integer_keys_and_counts():
    # polars exports Int128 as '_pli128', which pyarrow cannot read: the key failed with
    # pyarrow's "ArrowInvalid: Invalid or unsupported format string", naming no column, and the
    # counts "an unsupported Arrow type", naming no type
    keys = [2**100, 1, 2**100, 5, 1, 1]
    data = pl.DataFrame({"k": pl.Series(keys, dtype=pl.Int128),
                         "reoffences": pl.Series(REOFFENCES, dtype=pl.Int128)})
    assert_counts(ym.reoffending_rates(data, by="k"), expected({"k": keys}, REOFFENCES), ["k"])
    small = data.with_columns(pl.col("k") % 7)
    assert_counts(ym.reoffending_rates(small, by="k"),
                  expected({"k": [k % 7 for k in keys]}, REOFFENCES), ["k"])


def test_a_polars_object_key_is_grouped_by_value_not_by_address():
    # polars' Arrow export of an Object column is each object's address: equal Decimals held
    # as distinct objects were apart, and the categories were bytes of memory
    import decimal

    keys = [decimal.Decimal("1.0"), decimal.Decimal("1.00"), decimal.Decimal("2"),
            decimal.Decimal("1"), decimal.Decimal("2.0"), decimal.Decimal("1")]
    data = pl.DataFrame({"k": pl.Series(keys, dtype=pl.Object), "reoffences": REOFFENCES})
    got = ym.reoffending_rates(data, by="k")
    assert got["offenders"].tolist() == [4, 2]
    assert got["reoffences"].tolist() == [0 + 1 + 0 + 0, 2 + 3]


def _events():
    disposals, offences = ym.datasets.synthetic_events(300, seed=3)
    return disposals, offences


def _cohort(disposals, offences):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ym.build_cohort(disposals, offences, "2014-01-01", "2014-12-31",
                               max_set_aside=1.0)


def test_cohort_person_ids_of_a_dictionary_or_categorical_are_sorted_by_id():
    # "One row per person, sorted by person_id": Arrow dictionary and polars Categorical ids
    # (and a pandas Categorical whose categories are in first-seen order) came in the
    # dictionary's order, as pd.factorize(sort=True) sorts a Categorical by its categories
    disposals, offences = _events()
    plain = _cohort(disposals, offences)
    assert plain["person_id"].is_monotonic_increasing
    d_arrow = pa.Table.from_pandas(disposals, preserve_index=False)
    o_arrow = pa.Table.from_pandas(offences, preserve_index=False)
    first_seen = list(dict.fromkeys(disposals["person_id"]))
    shapes = {
        "arrow dictionary": (
            d_arrow.set_column(0, "person_id", d_arrow["person_id"].dictionary_encode()),
            o_arrow.set_column(0, "person_id", o_arrow["person_id"].dictionary_encode())),
        "polars Categorical": (
            pl.from_pandas(disposals).with_columns(pl.col("person_id").cast(pl.Categorical)),
            pl.from_pandas(offences).with_columns(pl.col("person_id").cast(pl.Categorical))),
        "pandas Categorical": (
            disposals.assign(person_id=pd.Categorical(disposals["person_id"], first_seen)),
            offences.assign(person_id=pd.Categorical(offences["person_id"], first_seen))),
    }
    for shape, (d, o) in shapes.items():
        got = _cohort(d, o)
        assert got["person_id"].astype(str).tolist() == plain["person_id"].tolist(), shape
        assert got["reoffences"].tolist() == plain["reoffences"].tolist(), shape


def _with_null_entry(column):
    """The column as a dictionary whose dictionary ends in a null entry no row points at."""
    encoded = column.combine_chunks().cast(pa.string()).dictionary_encode()
    return pa.DictionaryArray.from_arrays(encoded.indices, pa.concat_arrays(
        [encoded.dictionary, pa.array([None], pa.string())]))


def test_cohort_kinds_and_carried_columns_as_dictionaries_with_a_null_entry():
    # failed with pandas' "ValueError: Categorical categories cannot be null" (naming no
    # column) as the kind column and the carried columns were turned into pandas Categoricals
    disposals, offences = _events()
    plain = _cohort(disposals, offences)
    d_arrow = pa.Table.from_pandas(disposals, preserve_index=False)
    for name in ("kind", "yjs"):
        i = d_arrow.column_names.index(name)
        got = _cohort(d_arrow.set_column(i, name, _with_null_entry(d_arrow[name])), offences)
        assert got["person_id"].tolist() == plain["person_id"].tolist(), name
        assert got["yjs"].astype(str).tolist() == plain["yjs"].tolist(), name
        assert got["index_kind"].astype(str).tolist() == \
            plain["index_kind"].astype(str).tolist(), name
        assert got.attrs["diagnostics"] == plain.attrs["diagnostics"], name


def test_cohort_from_tables_and_dict_columns_speaking_only_arrow():
    # refused: the tables as "not a table"; a dict of such columns could not be read (numpy
    # makes a 0-d object array of a wrapper)
    disposals, offences = _events()
    plain = _cohort(disposals, offences)
    d_arrow = pa.Table.from_pandas(disposals, preserve_index=False)
    o_arrow = pa.Table.from_pandas(offences, preserve_index=False)
    for d, o in ((Stream(d_arrow), Stream(o_arrow)),
                 ({c: Stream(d_arrow[c]) for c in d_arrow.column_names},
                  {c: Stream(o_arrow[c]) for c in o_arrow.column_names})):
        got = _cohort(d, o)
        assert got["person_id"].tolist() == plain["person_id"].tolist()
        assert got["reoffences"].tolist() == plain["reoffences"].tolist()
        assert got.attrs["diagnostics"] == plain.attrs["diagnostics"]


def test_cohort_person_ids_of_lists_are_refused_naming_the_column():
    # pandas' bare "TypeError: unhashable type: 'list'" named no column
    disposals = pd.DataFrame({"person_id": pd.Series([["a"], [1]]),
                              "date": ["2014-03-01", "2014-04-01"],
                              "kind": ["caution", "caution"]})
    offences = pd.DataFrame({"person_id": ["a", "b"], "offence_date": ["2014-05-01"] * 2,
                             "proven_date": ["2014-07-01"] * 2})
    with pytest.raises(TypeError, match="column 'person_id' holds values that are not plain"):
        ym.build_cohort(disposals, offences, "2014-01-01", "2014-12-31")


# ------------------------------------------------------------------ shapes that work (coverage)


@pytest.mark.parametrize("offset", [0, 3, 13])
def test_sliced_arrow_arrays_are_read_from_their_offset(offset):
    rng = np.random.default_rng(offset)
    n = 700
    names = np.array([f"s{i}" for i in rng.integers(0, 7, n)], dtype=object)
    flags = rng.random(n) < 0.5
    ints = rng.integers(0, 5, n) * 10**12
    r = np.where(rng.random(n) < 0.4, rng.integers(1, 5, n), 0)
    part = slice(offset, offset + 500)
    counts = {"int64": pa.array(r), "int8": pa.array(r.astype(np.int8)),
              "float64": pa.array(r.astype(float))}
    keys = {"string": (pa.array(names.tolist()), names),
            "string_view": (pa.array(names.tolist(), pa.string_view()), names),
            "bool": (pa.array(flags), flags), "int64": (pa.array(ints), ints)}
    for key_name, (array, values) in keys.items():
        want = expected({"k": values[part].tolist()}, r[part])
        for count_name, count in counts.items():
            table = pa.table({"k": array.slice(offset, 500),
                              "reoffences": count.slice(offset, 500)})
            got = ym.reoffending_rates(table, by="k")
            assert_counts(got, want, ["k"]), (key_name, count_name)
    dictionary = pa.array(names.tolist()).dictionary_encode().slice(offset, 500)
    got = ym.reoffending_rates(pa.table({"k": dictionary, "reoffences": r[part]}), by="k")
    got = got.assign(k=got["k"].astype(str)).sort_values("k").reset_index(drop=True)
    assert_counts(got, expected({"k": names[part].tolist()}, r[part]), ["k"])


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int64", "uint64"])
def test_integer_keys_at_the_ends_of_their_range(dtype):
    info = np.iinfo(dtype)
    values = np.array([info.min, info.max, info.min, 0, info.max], dtype=dtype)
    r = [0, 1, 2, 3, 0]
    want = expected({"k": values.tolist()}, r)
    for make in (dict, pd.DataFrame, pa.table, pl.DataFrame):
        got = ym.reoffending_rates(make({"k": values, "reoffences": r}), by="k")
        assert_counts(got, want, ["k"])


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_cohort_dates_before_1970_with_a_time_of_day_are_their_calendar_day(unit):
    # ticks before the epoch divide towards minus infinity, not towards zero
    disposals = {"person_id": np.array([1, 2]),
                 "date": np.array(["1969-12-31T23:00", "1969-11-15T06:00"], dtype=f"M8[{unit}]"),
                 "kind": np.array(["caution", "caution"], dtype=object)}
    offences = {"person_id": np.array([1, 2]),
                "offence_date": np.array(["1970-03-01T10:00", "1969-11-15T20:00"],
                                         dtype=f"M8[{unit}]"),
                "proven_date": np.array(["1970-04-01T10:00", "1969-12-01"], dtype=f"M8[{unit}]")}
    for make in (dict, pd.DataFrame, pa.table):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cohort = ym.build_cohort(make(disposals), make(offences), "1969-10-01",
                                     "1969-12-31")
        assert [str(d.date()) for d in cohort["index_date"]] == ["1969-12-31", "1969-11-15"]
        # person 2's offence is on the index date (later that day): not a reoffence
        assert cohort["reoffences"].tolist() == [1, 0]


# ------------------------------------------------------------------ null dictionary entries
# A row whose index points at a null entry of its dictionary is a missing value, exactly as a
# null row is (the core's import reads it so), checked against the same data with null rows.


EIGHT_REOFFENCES = [0, 1, 2, 0, 3, 0, 1, 4]


def _null_entry_pair():
    """(with null entries, with plain nulls): the same values in two chunks, a, missing, a, b,
    missing, a | b, missing (a null row in the first form too)."""
    with_entries = pa.chunked_array([
        pa.DictionaryArray.from_arrays(pa.array([0, 1, 0, 2, 1, 0], pa.int8()),
                                       pa.array(["a", None, "b"])),
        pa.DictionaryArray.from_arrays(pa.array([1, None], pa.int8()),
                                       pa.array([None, "b"])),
    ])
    plain = pa.chunked_array([
        pa.DictionaryArray.from_arrays(pa.array([0, None, 0, 1, None, 0], pa.int8()),
                                       pa.array(["a", "b"])),
        pa.DictionaryArray.from_arrays(pa.array([0, None], pa.int8()), pa.array(["b"])),
    ])
    assert with_entries.type == plain.type
    assert with_entries.null_count == 1  # pyarrow counts only the null row as null
    return with_entries, plain


def _refusal_text(call):
    with pytest.raises(ValueError) as caught:
        call()
    return str(caught.value)


def test_the_grouper_reads_a_null_entry_as_a_missing_value():
    # the core refused the whole column: "has 1 missing values in its dictionary"
    with_entries, plain = _null_entry_pair()
    for threads in (1, 2):
        got = _core.group_key("k", with_entries, nulls="group", threads=threads)
        want = _core.group_key("k", plain, nulls="group", threads=threads)
        assert got.null_group and want.null_group
        assert got.cardinality == want.cardinality == 3
        assert list(got.categories()) == list(want.categories()) == ["a", "b"]
        assert got.codes().tolist() == want.codes().tolist() == [0, 2, 0, 1, 2, 0, 1, 2]
        message = _refusal_text(lambda t=threads: _core.group_key("k", with_entries, threads=t))
        assert message == _refusal_text(lambda t=threads: _core.group_key("k", plain, threads=t))
        assert "3 rows" in message


def test_reoffending_rates_refuses_them_as_missing_keys_in_every_input_kind():
    with_entries, plain = _null_entry_pair()
    want = "grouping column 'k': 3 rows have a missing value"
    shapes = {
        "pyarrow table": lambda k: pa.table({"k": k, "reoffences": EIGHT_REOFFENCES}),
        "dict of pyarrow": lambda k: {"k": k, "reoffences": np.asarray(EIGHT_REOFFENCES)},
        "pandas ArrowDtype": lambda k: pd.DataFrame({
            "k": pd.arrays.ArrowExtensionArray(k),  # both chunks, as they are
            "reoffences": EIGHT_REOFFENCES}),
    }
    for shape, make in shapes.items():
        got = _refusal_text(lambda m=make: ym.reoffending_rates(m(with_entries), by="k"))
        assert got == _refusal_text(lambda m=make: ym.reoffending_rates(m(plain), by="k")), shape
        assert got.startswith(want), shape


def test_reoffending_rates_with_a_null_entry_and_its_rows_left_out():
    # The rows that point at the null entry dropped: the counts are those of the other rows,
    # and the null entry is no group.
    with_entries, _ = _null_entry_pair()
    table = pa.table({"k": with_entries, "reoffences": EIGHT_REOFFENCES})
    kept = table.filter(pa.array([True, False, True, True, False, True, True, False]))
    got = ym.reoffending_rates(kept, by="k")
    assert got["k"].astype(str).tolist() == ["a", "b"]
    assert got["offenders"].tolist() == [3, 2]
    assert got["reoffences"].tolist() == [0 + 2 + 0, 0 + 1]
    assert list(got["k"].dtype.categories) == ["a", "b"]


def _with_null_entry_rows(column, every):
    """The column as a dictionary with a null entry in the middle, every `every`-th row pointing
    at it; and the same values with those rows plain nulls."""
    encoded = column.combine_chunks().cast(pa.string()).dictionary_encode()
    indices = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    null_at = len(encoded.dictionary) // 2
    shifted = np.where(indices >= null_at, indices + 1, indices)
    missing = np.arange(len(indices)) % every == 0
    entries = pa.concat_arrays([encoded.dictionary[:null_at], pa.array([None], pa.string()),
                                encoded.dictionary[null_at:]])
    with_entries = pa.DictionaryArray.from_arrays(
        pa.array(np.where(missing, null_at, shifted), pa.int32()), entries)
    plain = pa.DictionaryArray.from_arrays(
        pa.array(indices, pa.int32(), mask=missing), encoded.dictionary)
    return with_entries, plain


@pytest.mark.parametrize("name", ["person_id", "kind"])
def test_build_cohort_reads_rows_at_a_null_entry_as_missing_ids_and_kinds(name):
    disposals, offences = _events()
    d_arrow = pa.Table.from_pandas(disposals, preserve_index=False)
    o_arrow = pa.Table.from_pandas(offences, preserve_index=False)
    i = d_arrow.column_names.index(name)
    with_entries, plain = _with_null_entry_rows(d_arrow[name], every=9)
    d_entries = d_arrow.set_column(i, name, with_entries)
    d_plain = d_arrow.set_column(i, name, plain)
    if name == "person_id":  # both tables' ids of one type: dictionaries of strings
        o_arrow = o_arrow.set_column(0, name, o_arrow[name].dictionary_encode())
    got = _cohort(d_entries, o_arrow)
    want = _cohort(d_plain, o_arrow)
    assert len(want) > 0
    assert got["person_id"].astype(str).tolist() == want["person_id"].astype(str).tolist()
    assert got["index_kind"].astype(str).tolist() == want["index_kind"].astype(str).tolist()
    assert got["reoffences"].tolist() == want["reoffences"].tolist()
    assert got.attrs["diagnostics"] == want.attrs["diagnostics"]
    # and the set-aside rows were counted: fewer people than with every row present
    assert got.attrs["diagnostics"] != _cohort(d_arrow, o_arrow).attrs["diagnostics"]


@pytest.mark.parametrize("arrow_labels", [True, False])
def test_a_member_id_that_is_not_utf8_is_refused_naming_the_column_only(arrow_labels,
                                                                        monkeypatch):
    # The members' ids reach pandas as Arrow buffers (pandas 3) or as Python strings; either way
    # bytes that are no text are refused, and the message holds no id.
    from yosmodel._utils import events

    if not arrow_labels:
        monkeypatch.setattr(events, "_arrow_text", lambda: False)
    raw = [b"a1", b"\xff\xfeSECRET", b"c3"]
    offsets = np.cumsum([0] + [len(r) for r in raw]).astype(np.int32)
    ids = pa.StringArray.from_buffers(3, pa.py_buffer(offsets), pa.py_buffer(b"".join(raw)))
    d = pa.table({"person_id": ids, "kind": pa.array(["caution"] * 3),
                  "date": pa.array(pd.to_datetime(["2015-01-05", "2015-02-01", "2015-03-01"]))})
    o = pa.table({"person_id": pa.array(["a1"]),
                  "offence_date": pa.array(pd.to_datetime(["2015-06-01"])),
                  "proven_date": pa.array(pd.to_datetime(["2015-07-01"]))})
    with pytest.raises(ym.InputError, match="'person_id' has a value that is not valid UTF-8") \
            as raised:
        ym.build_cohort(d, o, "2015-01-01", "2015-12-31")
    assert "SECRET" not in str(raised.value)


def test_string_categories_at_are_the_categories_at_as_arrow_buffers():
    rng = np.random.default_rng(4)
    words = ["", "P1", "é-ü", "x" * 40] + [f"P{i:07d}" for i in range(300)]
    key = _core.group_key("person_id", pa.array(rng.choice(words, 2000)), nulls="group")
    n = len(key.categories())
    for codes in (np.array([], dtype=np.int64), rng.integers(0, n, 500),
                  np.arange(n)[::-1].copy()):
        offsets, data = key.string_categories_at(codes)
        got = pa.LargeStringArray.from_buffers(len(codes), pa.py_buffer(offsets),
                                               pa.py_buffer(data))
        assert got.to_pylist() == key.categories_at(codes)
    with pytest.raises(ym.InputError, match="outside its categories"):
        key.string_categories_at(np.array([n]))
    numbers = _core.group_key("person_id", np.array([3, 1, 2]))
    assert key.holds_strings and not numbers.holds_strings
    with pytest.raises(ym.DtypeError, match="does not hold strings"):
        numbers.string_categories_at(np.array([0]))
