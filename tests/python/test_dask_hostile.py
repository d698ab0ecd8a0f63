"""Hostile tests of yosmodel.dask.reoffending_rates: what users hand over (keys spelt two ways,
string counts from a CSV, options set wrongly) must give the in-memory function's answer,
warnings and errors. Each of the first tests failed before its fix; the rest cover inputs
test_dask.py does not. They run on the synchronous scheduler: no cluster is needed to compare."""

import uuid
import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from reference import pandas_rates

dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")
import yosmodel.dask as ymd  # noqa: E402

COUNTS = ["offenders", "reoffenders", "reoffences"]


@pytest.fixture(autouse=True)
def synchronous():
    with dask.config.set(scheduler="sync"):
        yield


def recorded(call, *args, **kwargs):
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        result = call(*args, **kwargs)
    return result, said


def counted_reads(frame: pd.DataFrame, partitions: int):
    """A dask frame whose partitions append their length to ``reads`` each time one is read."""
    reads: list[int] = []

    def read(part: pd.DataFrame, unique: str) -> pd.DataFrame:
        reads.append(len(part))
        return part

    ddf = dd.from_pandas(frame, npartitions=partitions, sort=False)
    # A token of its own: dask caches expressions by token, and two closures of the same code
    # tokenise alike, so a second frame would count into the first one's list.
    return ddf.map_partitions(read, str(uuid.uuid4()), meta=ddf._meta), reads


SPELT_TWO_WAYS = pd.DataFrame({"yjs": ["Lewisham", "lewisham ", "Brent", "Lewisham"] * 25,
                               "reoffences": [0, 1, 2, 0] * 25})


# -- bugs found, fixed -------------------------------------------------------------------------

@pytest.mark.parametrize("categories", [None, {"yjs": ["Brent", "Lewisham", "lewisham "]}])
def test_a_key_spelt_two_ways_warns_as_in_memory(categories):
    # Bug: the dask path built its keys' categories itself and never called the spelling check,
    # so "Lewisham" beside "lewisham " was counted as two groups in silence, where
    # yosmodel.reoffending_rates on the same rows raises a GroupSpellingWarning.
    ddf = dd.from_pandas(SPELT_TWO_WAYS, npartitions=3)
    memory = ddf.compute()
    if categories:
        memory = memory.assign(yjs=pd.Categorical(memory["yjs"], categories=categories["yjs"]))
    with pytest.warns(ym.GroupSpellingWarning) as want:
        ym.reoffending_rates(memory, by="yjs")
    with pytest.warns(ym.GroupSpellingWarning) as got:
        ymd.reoffending_rates(ddf, by="yjs", categories=categories)
    assert [str(w.message) for w in got] == [str(w.message) for w in want]
    assert got[0].message.column == "yjs" and got[0].message.variants == 2
    assert got[0].filename == __file__  # said at the caller's line, as in memory
    assert "Lewisham" not in str(got[0].message)  # names the column and counts, no value


def test_set_aside_warning_names_the_callers_line():
    # Bug: _said passed stacklevel=5, right for reoffending_partial but one frame short for
    # reoffending_rates (which goes through _finalize), so the RecordsSetAsideWarning was
    # attributed to yosmodel/dask.py, not to the user's line as in memory (and a filter on the
    # user's module, or the once-per-location default, saw the library's line instead).
    frame = pd.DataFrame({"k": list("ab") * 200, "reoffences": [0] * 399 + [5000]})
    ddf = dd.from_pandas(frame, npartitions=2)
    got, said = recorded(ymd.reoffending_rates, ddf, by="k")
    want, said_in_memory = recorded(ym.reoffending_rates, frame, by="k")
    pd.testing.assert_frame_equal(got, want.astype({"k": got["k"].dtype}), check_exact=True)
    assert [w.category for w in said] == [ym.RecordsSetAsideWarning]
    assert str(said[0].message) == str(said_in_memory[0].message)
    assert "1 row of 400" in str(said[0].message)
    assert said[0].filename == __file__
    _, said = recorded(ymd.reoffending_partial, ddf, by="k")
    assert said[0].filename == __file__


@pytest.mark.parametrize("option", [{"margins": "yes"}, {"compute": "no"},
                                    {"margins": True, "margins_name": None}])
def test_bad_flags_are_refused_before_any_partition_is_read(option):
    # Bug: margins= and compute= were checked only after _merged_graph had run the pass that
    # collects the keys' categories (every partition read), unlike level=, method= and
    # max_set_aside=, and unlike the in-memory function, which refuses before any work.
    ddf, reads = counted_reads(SPELT_TWO_WAYS.assign(yjs=lambda d: d["yjs"].str.strip()), 3)
    with pytest.raises(TypeError, match="margins|compute"):
        ymd.reoffending_rates(ddf, by="yjs", **option)
    assert reads == []


def test_margins_name_none_is_refused_not_ignored():
    # Bug: margins=True with margins_name=None silently returned the table without its totals
    # in dask (None was read as "no margins"); the in-memory function refuses it (it failed
    # with an IndexError from pandas before main's own fix). Now refused as in memory.
    frame = SPELT_TWO_WAYS.assign(yjs=SPELT_TWO_WAYS["yjs"].str.strip())
    for call, data in ((ym.reoffending_rates, frame),
                       (ymd.reoffending_rates, dd.from_pandas(frame, npartitions=2))):
        with pytest.raises(TypeError, match="^margins_name must be a string"):
            call(data, by="yjs", margins=True, margins_name=None)


@pytest.mark.parametrize("role", ["reoffences", "previous_offences"])
def test_string_counts_are_refused_up_front_with_the_in_memory_message(role):
    # Bug: a count column of text (a CSV column with a typo such as "2x" read as str) was
    # refused only once a partition was counted (after the pass over every partition for the
    # categories), with another message than in memory ("counts must be an integer ..." and a
    # partition number, for a dtype the frame's meta already shows).
    frame = pd.DataFrame({"sex": ["F", "M"] * 10, "reoffences": [0, 1] * 10,
                          "previous_offences": [2, 0] * 10})
    frame[role] = frame[role].astype(str)
    ddf, reads = counted_reads(frame, 2)
    previous = {"previous_offences": "previous_offences"}
    as_dask_holds_it = ddf.compute()  # (dask's own string dtype)
    reads.clear()
    with pytest.raises(TypeError) as want:
        ym.reoffending_rates(as_dask_holds_it, by="sex", **previous)
    with pytest.raises(TypeError) as got:
        ymd.reoffending_rates(ddf, by="sex", **previous)
    assert str(got.value) == str(want.value)
    assert f"column '{role}' has dtype" in str(got.value)
    assert reads == []



def test_ordered_categoricals_whose_partitions_disagree_are_refused():
    # Bug: an ordered categorical whose categories dask does not know, with partitions holding
    # different categories (age bands, each file its own), got the partitions' categories in
    # first-seen order as its order: "15-17" < "10-14", the result sorted in a made-up order,
    # in silence (pandas, and so ddf.compute() for the in-memory function, refuses to join
    # them). Now refused naming the column; categories= gives the order.
    bands = ["10-14", "15-17"]
    first = pd.DataFrame({"age": pd.Categorical(["15-17", "15-17"], ordered=True),
                          "reoffences": [1, 0]})
    second = pd.DataFrame({"age": pd.Categorical(["10-14", "15-17"], categories=bands,
                                                 ordered=True), "reoffences": [2, 0]})
    meta = first.iloc[:0].assign(age=pd.Series([dd.utils.UNKNOWN_CATEGORIES], dtype="category")
                                 .cat.as_ordered().iloc[:0])
    ddf = dd.from_delayed([dask.delayed(first.copy)(), dask.delayed(second.copy)()], meta=meta)
    assert not ddf["age"].cat.known
    with pytest.raises(ym.InputError, match=r"^grouping column 'age' is an ordered categorical "
                                            r"whose partitions have different categories"):
        ymd.reoffending_rates(ddf, by="age")
    given = pd.CategoricalDtype(bands, ordered=True)
    got = ymd.reoffending_rates(ddf, by="age", categories={"age": given})
    assert got["age"].tolist() == bands and got["offenders"].tolist() == [1, 3]
    assert got["age"].dtype == given



def test_arrow_decimal_counts_are_read_as_in_memory():
    # Bug: each partition read its counts through Table.counts (numpy), which turns an Arrow
    # decimal column (what a database's SUM gives, read with dtype_backend="pyarrow") into
    # objects and refused it ("has dtype object"), where the in-memory function reads whole
    # decimals as integers and says which rows are not whole. Partitions now read their
    # counts through Table.count_column and aggregate_grouped, the in-memory path.
    import decimal

    pa = pytest.importorskip("pyarrow")

    def frame(values):
        return pd.DataFrame({"k": ["b", "a", "b", "c"] * 5, "reoffences": pd.array(
            [decimal.Decimal(v) for v in values * 5], dtype=pd.ArrowDtype(pa.decimal128(10, 1)))})

    whole = dd.from_pandas(frame(["0", "1", "2", "0"]), npartitions=3)
    pd.testing.assert_frame_equal(ymd.reoffending_rates(whole, by="k"),
                                  ym.reoffending_rates(whole.compute(), by="k"), check_exact=True)
    halves = dd.from_pandas(frame(["0", "1.5", "2", "0"]), npartitions=3)
    with pytest.raises(ym.InputError, match=r"^column 'reoffences': \d rows? not whole numbers; "
                                            r"counts must be integers \(in partition"):
        ymd.reoffending_rates(halves, by="k")



def test_arrow_dictionary_keys_keep_the_in_memory_order():
    # Bug: a key of Arrow dictionary type (pd.ArrowDtype(pa.dictionary(...)), as the pyarrow
    # backend reads a dictionary-encoded column) was discovered as plain values and sorted
    # (Female, Male), but the in-memory grouper takes a dictionary column's groups in its
    # dictionaries' order, first seen (Male, Female), so the rows came in another order. The
    # dictionaries are now collected in order, partition by partition.
    pa = pytest.importorskip("pyarrow")
    dtype = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))

    def part(indices, dictionary, reoffences):
        array = pa.DictionaryArray.from_arrays(pa.array(indices, type=pa.int32()),
                                               pa.array(dictionary))
        return pd.DataFrame({"sex": pd.array(array, dtype=dtype), "reoffences": reoffences})

    first = part([0, 1, 0], ["Male", "Female", "Unknown"], [0, 1, 2])
    second = part([0, 1, 1], ["Other", "Female"], [3, 0, 1])
    for ddf in (dd.from_pandas(first, npartitions=2),
                dd.concat([dd.from_pandas(first, npartitions=1),
                           dd.from_pandas(second, npartitions=2)])):
        got = ymd.reoffending_rates(ddf, by="sex", margins=True)
        want = ym.reoffending_rates(ddf.compute(), by="sex", margins=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["sex"].astype(object).tolist() == ["Male", "Female", "Other", "All"]



@pytest.mark.parametrize("option", [{"partitioned_by_person": "False"},
                                    {"partitioned_by_person": "no"},
                                    {"npartitions": True}])
def test_build_cohort_refuses_options_that_are_not_what_they_seem(option):
    # Bug: partitioned_by_person was tested for truth, so "False" (from a config file or a
    # command line) skipped the shuffle: each person's records stayed split over partitions and
    # the cohort came back with people counted several times and reoffences missing, in
    # silence (226 rows instead of 173 here). npartitions=True was taken as 1.
    import test_dask

    d, o = test_dask.events(300, 700, 3000, seed=3)
    with pytest.raises((TypeError, ValueError), match="partitioned_by_person must be True or "
                                                      "False|npartitions must be a whole number"):
        ymd.build_cohort(dd.from_pandas(d, npartitions=3), dd.from_pandas(o, npartitions=3),
                         "2015-07-01", "2016-06-30", **option)



def test_columns_numbered_by_read_csv_without_a_header(tmp_path):
    # Bug: dd.read_csv(header=None) numbers the columns 0, 1, ...; the in-memory function reads
    # such labels under their text (by="0"), but the dask path checked the names as text and
    # then selected ddf[["0", "1"]], failing with dask's bare KeyError "['0'] not in index".
    (tmp_path / "cohort.csv").write_text("".join(f"{k},{r}\n" for k, r in
                                                 zip("abcab" * 20, [0, 1, 2, 0, 3] * 20)))
    ddf = dd.read_csv(tmp_path / "cohort.csv", header=None, blocksize=200)
    assert list(ddf.columns) == [0, 1] and ddf.npartitions > 1
    got = ymd.reoffending_rates(ddf, by="0", reoffences="1")
    want = ym.reoffending_rates(ddf.compute(), by="0", reoffences="1")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["offenders"].tolist() == [40, 40, 20]
    assert list(ddf.columns) == [0, 1]  # the caller's frame keeps its labels


# -- inputs test_dask.py does not cover (these passed before) -----------------------------------

def test_a_csv_with_dates_and_text_read_by_dask(tmp_path):
    rng = np.random.default_rng(5)
    n = 3000
    frame = pd.DataFrame({
        "yjs": rng.choice(["Lewisham", "Brent", "Camden"], n),
        "date": [f"{d:02d}/{m:02d}/2013" for d, m in zip(rng.integers(1, 29, n),
                                                          rng.integers(1, 13, n))],
        "reoffences": rng.poisson(1.0, n), "previous_offences": rng.poisson(2.0, n)})
    frame.to_csv(tmp_path / "cohort.csv", index=False)
    ddf = dd.read_csv(tmp_path / "cohort.csv", blocksize=20_000)
    assert ddf.npartitions > 1
    for by in (["yjs"], ["date", "yjs"]):
        got = ymd.reoffending_rates(ddf, by=by, previous_offences="previous_offences")
        # (dask reads text as its own string dtype: the same rows as dask holds them)
        want = ym.reoffending_rates(ddf.compute(), by=by, previous_offences="previous_offences")
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        independent = pandas_rates(frame, by, previous="previous_offences")
        for name in COUNTS:
            assert got[name].tolist() == independent[name].tolist()
        # "01/10/2013" and "10/01/2013" stay two text keys, sorted as text
        assert got[by[0]].tolist() == independent[by[0]].tolist()


@pytest.mark.parametrize("counts", [
    pd.array([0, 1, 2, 0, 3] * 20, dtype="Int64"),
    np.array([0.0, 1.0, 2.0, 0.0, 3.0] * 20),
    np.array([False, True, True, False, True] * 20),
    np.array([0, 1, 2, 0, 3] * 20, dtype=np.uint8),
])
def test_count_dtypes_give_the_in_memory_answer(counts):
    frame = pd.DataFrame({"k": list("bacab") * 20, "reoffences": counts})
    ddf = dd.from_pandas(frame, npartitions=4, sort=False)
    got = ymd.reoffending_rates(ddf, by="k", margins=True)
    pd.testing.assert_frame_equal(got, ym.reoffending_rates(ddf.compute(), by="k", margins=True),
                                  check_exact=True)


@pytest.mark.parametrize("values, rule", [
    ([0.0, 1.5, 2.0, 0.0], "1 row not whole numbers"),
    (pd.array([0, None, 2, 0], dtype="Int64"), "1 row missing"),
    ([0.0, -1.0, 2.0, 0.0], "1 row negative"),
])
def test_bad_count_values_are_said_as_in_memory_without_values(values, rule):
    frame = pd.DataFrame({"k": ["a", "b", "a", "b"], "reoffences": values})
    ddf = dd.from_pandas(frame, npartitions=2, sort=False)
    with pytest.raises(ym.InputError) as want:
        ym.reoffending_rates(frame, by="k")
    with pytest.raises(ym.InputError) as got:
        ymd.reoffending_rates(ddf, by="k")
    assert rule in str(want.value)
    assert str(got.value) == f"{want.value} (in partition 1 of 2)"
    assert "1.5" not in str(got.value) and "-1" not in str(got.value)


@pytest.mark.parametrize("missing", [np.nan, None, pd.NA])
def test_missing_keys_of_every_kind_are_counted_in_their_partition(missing):
    frame = pd.DataFrame({"k": pd.Series(["a", "b", "a", missing, "b", "a"], dtype=object),
                          "reoffences": [0, 1, 2, 0, 1, 0]})
    ddf = dd.from_pandas(frame, npartitions=2, sort=False)
    with pytest.raises(ym.InputError, match=r"^grouping column 'k': 1 row has a missing value "
                                            r"\(in partition 2 of 2\)"):
        ymd.reoffending_rates(ddf, by="k")


def test_empty_partitions_and_an_empty_frame():
    frame = pd.DataFrame({"k": list("bacab") * 8, "reoffences": [0, 1, 2, 0, 3] * 8})
    ddf = dd.concat([dd.from_pandas(frame.sort_values("k"), npartitions=4, sort=False),
                     dd.from_pandas(frame.iloc[:0], npartitions=1)])
    some_empty = ddf[ddf["k"] != "b"]  # whole partitions lose every row
    got = ymd.reoffending_rates(some_empty, by="k", margins=True)
    pd.testing.assert_frame_equal(got, ym.reoffending_rates(some_empty.compute(), by="k",
                                                            margins=True), check_exact=True)
    empty = ddf[ddf["reoffences"] > 100]
    for by in (None, "k"):
        pd.testing.assert_frame_equal(ymd.reoffending_rates(empty, by=by),
                                      ym.reoffending_rates(empty.compute(), by=by),
                                      check_exact=True)


def test_the_input_frame_is_left_as_it_was():
    frame = pd.DataFrame({"k": pd.Categorical(list("bacab") * 8),
                          "j": list("xyxyx") * 8, "reoffences": [0, 1, 2, 0, 3] * 8,
                          "other": np.arange(40)})
    ddf = dd.from_pandas(frame, npartitions=3)
    before = ddf.compute()
    columns, dtypes, key = list(ddf.columns), ddf.dtypes.to_dict(), ddf._name
    ymd.reoffending_rates(ddf, by=["k", "j"], margins=True)
    ymd.reoffending_partial(ddf, by="j", categories={"j": ["x", "y"]})
    assert list(ddf.columns) == columns and ddf.dtypes.to_dict() == dtypes and ddf._name == key
    pd.testing.assert_frame_equal(ddf.compute(), before)


# -- bugs found, fixed later: warnings of a lazy result, one pass over a lazy input --------------

SET_ASIDE_TWICE = pd.DataFrame({"k": ["a", "b", "A "] * 133 + ["a"],
                                "reoffences": [5000] + [0] * 398 + [5000]})  # one per half


@pytest.mark.parametrize("processes", [True, False])
def test_set_aside_warning_of_a_delayed_result_reaches_a_distributed_caller(processes):
    # Bug: compute=False returned dask.delayed(_finalize)(...), and _finalize raised the
    # RecordsSetAsideWarning in whichever process ran it: under a dask.distributed client, a
    # worker, so it went to the worker's log and never reached the caller. The warnings now
    # travel with the counts as data, and compute() on the delayed table says them here.
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=processes,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        ddf = dd.from_pandas(SET_ASIDE_TWICE, npartitions=2)
        memory = ddf.compute()
        _, eager = recorded(ymd.reoffending_rates, ddf, by="k")
        lazy, on_call = recorded(ymd.reoffending_rates, ddf, by="k", compute=False)
        with distributed.get_task_stream(client) as stream:
            table, said = recorded(lazy.compute)
    want, said_in_memory = recorded(ym.reoffending_rates, memory, by="k")
    pd.testing.assert_frame_equal(table, want, check_exact=True)
    assert int(table["offenders"].sum()) == 398
    assert on_call == []  # nothing read, nothing said, until computed
    expected = [(w.category, str(w.message)) for w in said_in_memory]
    assert [w.category for w in said_in_memory] == [ym.GroupSpellingWarning,
                                                    ym.RecordsSetAsideWarning]
    for got in (eager, said):
        assert [(w.category, str(w.message)) for w in got] == expected
        assert all(w.filename == __file__ for w in got)
    # the two partitions' rows, added up on the worker, not one partition's
    assert said[1].message.counts == {"cohort.reoffences_above_maximum": 2}
    assert "2 rows of 400" in str(said[1].message)
    assert said[0].message.column == "k" and said[0].message.variants == 2
    ran = [str(task["key"]) for task in stream.data]
    assert any("_warnings_of" in key for key in ran) and any("_finalize" in key for key in ran)


def test_a_lazy_cohort_passed_to_the_rates_is_built_once():
    # Bug: reoffending_rates ran dask.compute over the key columns to collect a text key's
    # categories, then counted in a second computation: a lazy cohort (two shuffles, every
    # partition's cohort) was built twice and its warnings said twice. Keys are now coded per
    # partition and recoded once merged, in the one pass.
    import test_dask

    d, o = test_dask.events(300, 700, 3000, seed=3)
    d.loc[d.index[:3], "date"] = pd.NaT
    disposals, reads = counted_reads(d, 4)
    cohort = ymd.build_cohort(disposals, dd.from_pandas(o, npartitions=3),
                              "2015-07-01", "2016-06-30")
    got, said = recorded(ymd.reoffending_rates, cohort, by="yjs",
                         previous_offences="previous_offences")
    assert len(reads) == 4 and sum(reads) == 700  # each partition of the disposals read once
    whole = [w for w in said if "3 rows of 700" in str(w.message)]
    assert len(whole) == 1
    # a partition says nothing of its own share: only the whole input's counts are said
    assert [str(w.message) for w in said if w.category is ym.RecordsSetAsideWarning] == \
        ["records set aside: disposals.missing_date 3 rows of 700 (0.4%)"]
    in_memory, _ = recorded(ym.build_cohort, d, o, "2015-07-01", "2016-06-30")
    want = ym.reoffending_rates(in_memory, by="yjs", previous_offences="previous_offences")
    pd.testing.assert_frame_equal(got.astype({"yjs": object}), want.astype({"yjs": object}),
                                  check_exact=True)


@pytest.mark.parametrize("compute", [True, False])
def test_each_partition_is_read_once(compute):
    frame = pd.DataFrame({"yjs": ["Lewisham", "Brent", "Camden", "Brent"] * 25,
                          "age": [15, 16, 17, 15] * 25,
                          "sex": pd.Categorical(["F", "M"] * 50),
                          "reoffences": [0, 1, 2, 0] * 25})
    ddf, reads = counted_reads(frame, 3)
    result = ymd.reoffending_rates(ddf, by=["yjs", "age", "sex"], compute=compute, margins=True)
    if not compute:
        assert reads == []  # the categories are collected in the counting pass, not now
        result = result.compute()
    assert len(reads) == 3 and sum(reads) == len(frame)
    reads.clear()
    want = ym.reoffending_rates(ddf.compute(), by=["yjs", "age", "sex"], margins=True)
    pd.testing.assert_frame_equal(result, want, check_exact=True)


def test_rows_set_aside_are_counted_over_every_partition():
    # Three rows above max_reoffences, all in the first of four partitions: 3% of that
    # partition (past the 1% limit) but 3 of the cohort's 400 rows, under it, as in memory.
    frame = pd.DataFrame({"k": list("ab") * 200, "reoffences": [5000] * 3 + [0] * 397})
    ddf = dd.from_pandas(frame, npartitions=4)
    memory = ddf.compute()
    want, said_in_memory = recorded(ym.reoffending_rates, memory, by="k")
    assert "3 rows of 400" in str(said_in_memory[0].message)
    for compute in (True, False):
        got, said = recorded(ymd.reoffending_rates, ddf, by="k", compute=compute)
        if not compute:
            assert said == []
            got, said = recorded(got.compute)
        pd.testing.assert_frame_equal(got, want, check_exact=True)
        assert [str(w.message) for w in said] == [str(w.message) for w in said_in_memory]
        assert said[0].message.counts == {"cohort.reoffences_above_maximum": 3}
    with pytest.raises(ValueError, match="too many records set aside") as refused:
        ym.reoffending_rates(memory, by="k", max_set_aside=0.005)
    for compute in (True, False):
        with pytest.raises(ValueError, match="too many records set aside") as got_refused:
            result = ymd.reoffending_rates(ddf, by="k", max_set_aside=0.005, compute=compute)
            result.compute()
        assert str(got_refused.value) == str(refused.value)


def test_a_delayed_table_computed_with_other_work_says_its_warnings_once():
    ddf = dd.from_pandas(SET_ASIDE_TWICE, npartitions=2)
    lazy = ymd.reoffending_rates(ddf, by="k", compute=False)
    # (another delayed: a dask DataFrame beside it gets dask's own warning of mixed graphs)
    (table, total), said = recorded(dask.compute, lazy, dask.delayed(sum)([1, 2, 3]))
    assert total == 6 and int(table["offenders"].sum()) == 398
    assert [w.category for w in said] == [ym.GroupSpellingWarning, ym.RecordsSetAsideWarning]
    assert "2 rows of 400" in str(said[1].message)
    assert all(w.filename == __file__ for w in said)  # (recorded's line: the caller's)
    # Passed to another delayed function, it is the table itself.
    rows, _ = recorded(dask.delayed(len)(lazy).compute)
    assert rows == len(table)
    persisted, said = recorded(lazy.persist)
    again, said_again = recorded(persisted.compute)
    pd.testing.assert_frame_equal(again, table)
    assert [w.category for w in said_again] == [ym.GroupSpellingWarning,
                                                ym.RecordsSetAsideWarning]


def test_build_cohort_strict_and_diagnostics_are_of_the_whole_input():
    # strict=True refused in the first partition that held a record set aside, naming that
    # partition's count; it now refuses once every partition is built, naming the whole
    # input's, as in memory. The computed cohort holds the whole input's diagnostics.
    import test_dask

    d, o = test_dask.events(300, 700, 3000, seed=3)
    d.loc[d.index[:3], "date"] = pd.NaT
    o.loc[o.index[:2], "proven_date"] = pd.NaT
    disposals, offences = dd.from_pandas(d, npartitions=4), dd.from_pandas(o, npartitions=3)
    with pytest.raises(ValueError) as want:
        ym.build_cohort(d, o, "2015-07-01", "2016-06-30", strict=True)
    with pytest.raises(ValueError) as got:
        ymd.build_cohort(disposals, offences, "2015-07-01", "2016-06-30", strict=True).compute()
    assert str(got.value) == str(want.value)
    assert "disposals.missing_date: 3 rows" in str(got.value)
    in_memory, said_in_memory = recorded(ym.build_cohort, d, o, "2015-07-01", "2016-06-30")
    cohort, said = recorded(ymd.build_cohort(disposals, offences, "2015-07-01",
                                             "2016-06-30").compute)
    assert cohort.attrs["diagnostics"] == in_memory.attrs["diagnostics"]
    assert [str(w.message) for w in said if w.category is ym.RecordsSetAsideWarning] == \
        [str(w.message) for w in said_in_memory if w.category is ym.RecordsSetAsideWarning]


def test_build_cohort_notes_of_a_partition_come_with_the_whole_inputs_warning():
    # A partition's own warnings (its share set aside, the unknown kinds it met, its impossible
    # dates of birth) were said by each partition's build, each with that partition's counts.
    # The counts are now said once, for the whole input; what only a partition can say comes
    # with them, labelled with its partition.
    import test_dask

    d, o = test_dask.events(300, 700, 3000, seed=3)
    d.loc[d.index[:3], "kind"] = "Reprimand"
    d["date_of_birth"] = pd.Timestamp("2000-01-01")
    late_born = d["person_id"].isin(["P0001", "P0002", "P0005"])
    d.loc[late_born, "date_of_birth"] = pd.Timestamp("2030-01-01")
    in_memory, said_in_memory = recorded(ym.build_cohort, d, o, "2015-07-01", "2016-06-30")
    cohort, said = recorded(ymd.build_cohort(dd.from_pandas(d, npartitions=4),
                                             dd.from_pandas(o, npartitions=3), "2015-07-01",
                                             "2016-06-30").compute)
    same_people = cohort.sort_values("person_id", ignore_index=True)
    assert same_people["person_id"].tolist() == in_memory["person_id"].tolist()
    set_aside = [w.message for w in said if w.category is ym.RecordsSetAsideWarning]
    assert len(set_aside) == 1
    assert str(set_aside[0]).startswith("records set aside: disposals.unknown_kind 3 rows of "
                                        "700 (0.4%): ")
    assert set_aside[0].counts == {"disposals.unknown_kind": 3}
    assert str(set_aside[0]).count("'Reprimand'") == str(set_aside[0]).count("in partition")
    assert "in partition" in set_aside[0].notes["disposals.unknown_kind"]
    born = [str(w.message) for w in said if str(w.message).startswith("date_of_birth")]
    want = [str(w.message) for w in said_in_memory if str(w.message).startswith("date_of_birth")]
    def people(line: str) -> int:  # "date_of_birth: 2 after the index date ..."
        return int(line.split(": ")[1].split(" ")[0])

    assert len(want) == 1 and people(want[0]) >= 1
    assert 1 <= len(born) <= people(want[0]) and all(" (in partition " in line for line in born)
    assert sum(people(line) for line in born) == people(want[0])
    assert not any(pid in str(w.message) for w in said for pid in ("P0001", "P0002", "P0005"))


# -- bugs found by the third hostile review, fixed ---------------------------------------------

def partitions_of(*parts: pd.DataFrame):
    """A dask frame of exactly these partitions, whatever their dtypes (as files written at
    different times, or a reader's guesses, give them)."""
    return dd.from_delayed([dask.delayed(part) for part in parts], meta=parts[0].iloc[:0],
                           verify_meta=False)


KEY_IS_COUNT = pd.DataFrame({"r": [2, 2, 0, 1, 3, 0, 1, 2],
                             "reoffences": [0, 1, 0, 2, 1, 0, 3, 1],
                             "prev": [3, 1, 0, 2, 3, 1, 2, 0]})


@pytest.mark.parametrize("categories", [False, True])
@pytest.mark.parametrize("by, counts", [("r", {"reoffences": "r"}),
                                        ("prev", {"previous_offences": "prev"}),
                                        ("r", {"reoffences": "r", "previous_offences": "r"})])
def test_a_key_that_is_also_a_count_column_is_counted_from_its_values(by, counts, categories):
    # Bug: with the categories collected from the data, each partition's key column was
    # replaced by its codes into the partition's own values, and the counts were then read
    # from those codes: by="r", reoffences="r" counted 2 reoffences for the group r=0, and
    # by="prev", previous_offences="prev" gave the group prev=0 a mean of 2. The codes now
    # go in a column of their own (as the in-memory stepwise counting does).
    ddf = dd.from_pandas(KEY_IS_COUNT, npartitions=2)
    given = {by: sorted(KEY_IS_COUNT[by].unique())} if categories else None
    memory = ddf.compute()
    want = ym.reoffending_rates(memory, by=by, **counts)
    got = ymd.reoffending_rates(ddf, by=by, categories=given, **counts)
    if categories:  # (a key given its categories comes back as a categorical of them)
        assert got[by].cat.categories.tolist() == given[by]
        got = got.assign(**{by: got[by].astype(want[by].dtype)})
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    partial, keys = ymd.reoffending_partial(ddf, by=by, categories=given, **counts)
    in_memory, _ = ym.reoffending_partial(memory, by=by, **counts)
    assert partial.to_bytes() == in_memory.to_bytes()
    assert [k.categories.tolist() for k in keys] == [want[by].tolist()]


@pytest.mark.parametrize("dtype", ["int8", "uint8", "int16", "uint16", "int32", "uint32"])
def test_narrow_integer_keys_come_back_with_the_in_memory_dtype(dtype):
    # Bug: in memory an int8..int32 key comes back as int64 (uint8..uint32 as uint64), the
    # dtype of the compiled grouper's categories; the dask path factorised the distinct values
    # itself and kept the narrow dtype. The merged categories now come from the in-memory
    # grouper run on the distinct values.
    frame = pd.DataFrame({"k": np.array([1, 2, 2, 3, 1], dtype=dtype),
                          "reoffences": [0, 1, 2, 0, 1]})
    ddf = dd.from_pandas(frame, npartitions=2)
    got = ymd.reoffending_rates(ddf, by="k")
    want = ym.reoffending_rates(ddf.compute(), by="k")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["k"].dtype == np.dtype("int64" if dtype.startswith("int") else "uint64")


@pytest.mark.parametrize("parts, first, second", [
    ((pd.DataFrame({"k": [True, False], "reoffences": [1, 0]}),
      pd.DataFrame({"k": [0, 1], "reoffences": [0, 1]})),
     r"truth values \(bool\)", "signed whole numbers"),
    ((pd.DataFrame({"k": pd.to_datetime(["2020-01-01"]).tz_localize("UTC"), "reoffences": [1]}),
      pd.DataFrame({"k": pd.to_datetime(["2020-01-01"]), "reoffences": [0]})),
     "dates and times in time zone UTC", r"dates and times \(no time zone\)"),
    ((pd.DataFrame({"k": np.array([1], dtype="uint8"), "reoffences": [1]}),
      pd.DataFrame({"k": [1.5], "reoffences": [0]}),
      pd.DataFrame({"k": np.array([1], dtype="uint8"), "reoffences": [1]})),
     "unsigned whole numbers", "floating-point numbers"),
])
def test_partitions_whose_keys_hold_different_kinds_are_refused(parts, first, second):
    # Bug: a bool partition beside an int one failed as a RuntimeError ("a partition's category
    # is not among the merged categories", labelling the groups False/True/2 on the way), a
    # UTC partition beside a naive one as pandas' own TypeError ("Cannot compare tz-naive and
    # tz-aware timestamps"). Now a DtypeError naming the column, the partitions and the kinds.
    with pytest.raises(ym.DtypeError, match=rf"^grouping column 'k' holds {first} in partition "
                                            rf"1 of {len(parts)} and {second} in partition 2; "
                                            "give it one dtype in every partition"):
        ymd.reoffending_rates(partitions_of(*parts), by="k")


def test_partitions_of_one_kind_and_of_several_widths_agree_with_the_computed_frame():
    # The kind check refuses kinds, not widths: an int8 partition beside an int64 one is
    # counted as the computed frame is, and an empty partition of another dtype is of no kind.
    parts = (pd.DataFrame({"k": np.array([1, 2], dtype="int8"), "reoffences": [1, 0]}),
             pd.DataFrame({"k": np.array([2, 300]), "reoffences": [0, 2]}),
             pd.DataFrame({"k": pd.Series([], dtype=object),
                           "reoffences": pd.Series([], dtype="int64")}))
    ddf = partitions_of(*parts)
    want = ym.reoffending_rates(pd.concat(parts[:2], ignore_index=True), by="k")
    pd.testing.assert_frame_equal(ymd.reoffending_rates(ddf, by="k"), want, check_exact=True)


def test_a_merged_category_missing_is_said_to_be_a_bug():
    # What cannot happen is still said as a yosmodel error that says so (was a bare
    # RuntimeError), never as a wrong group: here a spec made without the partition's value.
    spec = ymd._KeySpec("k", pd.CategoricalDtype(["a"]), None)
    with pytest.raises(ym.YosmodelError, match="this is a bug in yosmodel.dask"):
        ymd._recoded(np.array([0, 1]), pd.Index(["a", "b"]), spec)


def arrow_dictionary_frame(indices: list[int]) -> pd.DataFrame:
    import pyarrow as pa

    column = pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()),
                                            pa.array(["a", None, "b"]))
    return pd.DataFrame({"k": pd.Series(pd.arrays.ArrowExtensionArray(
        pa.chunked_array([column]))), "reoffences": [1, 0, 2, 0][:len(indices)]})


def test_an_arrow_dictionary_with_an_unused_null_entry_is_grouped_as_in_memory():
    # Bug: the dictionary's null entry, which no row points at, was taken as one of the key's
    # values, and pandas refused it ("Categorical categories cannot be null") only under dask.
    pytest.importorskip("pyarrow")
    ddf = dd.from_pandas(arrow_dictionary_frame([0, 2, 0, 2]), npartitions=2)
    want = ym.reoffending_rates(ddf.compute(), by="k")
    pd.testing.assert_frame_equal(ymd.reoffending_rates(ddf, by="k"), want, check_exact=True)
    assert want["k"].astype(object).tolist() == ["a", "b"]


@pytest.mark.parametrize("categories", [None, {"k": ["a", "b"]}])
def test_a_row_pointing_at_a_null_dictionary_entry_is_a_missing_key(categories):
    # Once the null entry is dropped, a row that points at it is missing (isna() does not say
    # so): its code -1 was recoded as the last category, b, counting it there in silence.
    pytest.importorskip("pyarrow")
    ddf = dd.from_pandas(arrow_dictionary_frame([0, 1, 0, 2]), npartitions=2)
    with pytest.raises(ym.InputError, match="1 row has a missing value"):
        ym.reoffending_rates(ddf.compute(), by="k")
    with pytest.raises(ym.InputError, match=r"^grouping column 'k': 1 row has a missing value "
                                            r"\(in partition 1 of 2\)"):
        ymd.reoffending_rates(ddf, by="k", categories=categories)


@pytest.mark.parametrize("categories", [["a", "b"], "k", ("k",), pd.Index(["a", "b"])])
def test_categories_that_are_not_a_mapping_are_refused_naming_the_option(categories):
    # Bug: dict() of a list or a string failed as "dictionary update sequence element #0 has
    # length 1; 2 is required", naming neither the option nor what it takes.
    ddf = dd.from_pandas(pd.DataFrame({"k": ["a", "b"] * 3, "reoffences": [0, 1] * 3}),
                         npartitions=2)
    with pytest.raises(ym.DtypeError, match="^categories must map each key column to its "
                                            "categories"):
        ymd.reoffending_rates(ddf, by="k", categories=categories)
    with pytest.raises(ym.DtypeError, match="^categories must map"):
        ymd.reoffending_partial(ddf, by="k", categories=categories)


@pytest.mark.parametrize("npartitions", [10**12, 0, -3, 2.0, "4"])
def test_build_cohort_refuses_a_number_of_partitions_out_of_range(npartitions):
    # Bug: npartitions=10**12 was a MemoryError deep inside dask's shuffle (2.0 and "4" were
    # refused, but in other words than the package's other whole-number options).
    disposals, offences = ym.datasets.synthetic_events(50, seed=1)
    with pytest.raises((ym.InputError, ym.DtypeError),
                       match="^npartitions must be a whole number between 1 and 100,000$"):
        ymd.build_cohort(dd.from_pandas(disposals, npartitions=2),
                         dd.from_pandas(offences, npartitions=2), "2015-01-01", "2015-12-31",
                         npartitions=npartitions)


@pytest.mark.parametrize("column", [pd.Series(["a", "b", "a", "b", "c", "a"]),
                                    pd.Series(pd.Categorical(["a", "b", "a", "b", "c", "a"]))])
def test_a_value_outside_the_given_categories_is_our_error_and_nothing_else(column):
    # Bug: the codes came from pd.Categorical(values, dtype=...), which warns of a value
    # outside the categories (a Pandas4Warning: deprecated, it will raise in pandas 4) before
    # yosmodel's own InputError naming the partition.
    ddf = dd.from_pandas(pd.DataFrame({"k": column, "reoffences": [0, 1] * 3}), npartitions=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ym.InputError, match=r"^grouping column 'k': 1 row has a value not "
                                                r"among its 2 categories \(in partition 2 of 2"):
            ymd.reoffending_rates(ddf, by="k", categories={"k": ["a", "b"]})
