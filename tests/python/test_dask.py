"""yosmodel.dask on a real dask.distributed cluster of two worker processes: the result equals the
in-memory function and plain pandas for any partitioning and key type, the work runs on the
workers, and partial tables cross process boundaries intact."""

import os
import pickle

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from reference import pandas_rates

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
import yosmodel.dask as ymd  # noqa: E402

COUNTS = ["offenders", "reoffenders", "reoffences"]
RATES = ["binary_rate", "binary_rate_lower", "binary_rate_upper", "frequency_rate",
         "reoffences_per_reoffender", "previous_offences_mean"]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, worker_dashboard_address=None) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def assert_same_table(got: pd.DataFrame, want: pd.DataFrame, keys: list[str]) -> None:
    assert set(want.columns) <= set(got.columns)
    assert len(got) == len(want)
    for name in COUNTS:
        np.testing.assert_array_equal(got[name].to_numpy(), want[name].to_numpy())
    for name in RATES:
        if name in want:
            np.testing.assert_allclose(got[name].to_numpy(), want[name].to_numpy(), rtol=1e-12)
    for key in keys:
        assert got[key].astype(object).tolist() == want[key].astype(object).tolist()


@pytest.mark.parametrize("partitions", [1, 3, 8])
@pytest.mark.parametrize("by", [None, "sex", ["yjs", "quarter"], ["quarter", "age", "sex"]])
def test_equals_in_memory_and_pandas(client, random_cohort, by, partitions):
    df = random_cohort(6000, seed=partitions)
    ddf = dd.from_pandas(df, npartitions=partitions)
    got = ymd.reoffending_rates(ddf, by=by, previous_offences="previous_offences")
    keys = [] if by is None else ([by] if isinstance(by, str) else by)
    # Dask stores text as its own string dtype: compare with the same rows as dask holds them,
    # then with plain pandas on the original frame.
    in_memory = ym.reoffending_rates(ddf.compute(), by=by, previous_offences="previous_offences")
    pd.testing.assert_frame_equal(got, in_memory, check_exact=True)
    assert_same_table(got, pandas_rates(df, keys, previous="previous_offences"), keys)


@pytest.mark.parametrize("by", [None, ["yjs", "sex"]])
def test_margins_equal_in_memory(client, random_cohort, by):
    df = random_cohort(3000)
    ddf = dd.from_pandas(df, npartitions=3)
    got = ymd.reoffending_rates(ddf, by=by, margins=True, margins_name="Total")
    want = ym.reoffending_rates(ddf.compute(), by=by, margins=True, margins_name="Total")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    if by:
        total = got[(got["yjs"] == "Total") & (got["sex"] == "Total")]
        assert int(total["offenders"].iloc[0]) == len(df)


def test_work_runs_on_the_workers(client, random_cohort):
    ddf = dd.from_pandas(random_cohort(3000), npartitions=6)
    with distributed.get_task_stream(client) as stream:
        ymd.reoffending_rates(ddf, by="yjs", split_every=2)
    names = [task["key"][0] if isinstance(task["key"], tuple) else task["key"]
             for task in stream.data]
    assert sum("_partition_bytes" in str(n) for n in names) == 6
    # six partials, merged two at a time: 3 + 2 + 1 merges
    assert sum("_merge_bytes" in str(n) for n in names) == 6
    assert len({task["worker"] for task in stream.data}) == 2


def test_string_keys_missing_from_some_partitions(client):
    # Sorted by key, each partition holds only some of the values: the categories still agree.
    rng = np.random.default_rng(3)
    n = 4000
    df = pd.DataFrame({"service": rng.choice([f"YJS {i}" for i in range(9)], n),
                       "reoffences": rng.poisson(0.9, n)}).sort_values("service",
                                                                     ignore_index=True)
    ddf = dd.from_pandas(df, npartitions=5, sort=False)
    got = ymd.reoffending_rates(ddf, by="service")
    pd.testing.assert_frame_equal(got, ym.reoffending_rates(ddf.compute(), by="service"),
                                  check_exact=True)
    assert_same_table(got, pandas_rates(df, ["service"]), ["service"])


def test_integer_and_boolean_keys(client, random_cohort):
    df = random_cohort(3000).assign(adult=lambda d: d["age"] >= 16)
    ddf = dd.from_pandas(df, npartitions=4)
    got = ymd.reoffending_rates(ddf, by=["age", "adult"])
    pd.testing.assert_frame_equal(got, ym.reoffending_rates(ddf.compute(), by=["age", "adult"]),
                                  check_exact=True)


def test_unknown_categoricals_get_the_categories_compute_gives(client):
    df = pd.DataFrame({"disposal": ["Custody", "Caution", "Community", "Caution", "Referral",
                                    "Custody"] * 50,
                       "reoffences": np.arange(300) % 4})
    ddf = dd.from_pandas(df, npartitions=3, sort=False)
    ddf = ddf.assign(disposal=ddf["disposal"].astype("category"))
    assert not ddf["disposal"].cat.known
    got = ymd.reoffending_rates(ddf, by="disposal")
    pd.testing.assert_frame_equal(got, ym.reoffending_rates(ddf.compute(), by="disposal"),
                                  check_exact=True)


def test_partitions_with_the_same_categories_in_another_order(client):
    # Unordered categorical dtypes compare equal whatever the order of their categories; the
    # codes do not, so each partition must be recoded.
    first = pd.DataFrame({"sex": pd.Categorical(["F", "M", "M"], categories=["M", "F"]),
                          "reoffences": [1, 0, 0]})
    second = pd.DataFrame({"sex": pd.Categorical(["F", "F", "M"], categories=["F", "M"]),
                           "reoffences": [0, 0, 2]})
    parts = [dd.from_pandas(first, npartitions=1), dd.from_pandas(second, npartitions=1)]
    ddf = dd.concat(parts)
    # dask calls these categories known (from the first partition); the second disagrees
    got = ymd.reoffending_rates(ddf, by="sex").set_index("sex")
    assert got.loc["F", "offenders"] == 3 and got.loc["F", "reoffenders"] == 1
    assert got.loc["M", "offenders"] == 3 and got.loc["M", "reoffences"] == 2


def test_given_categories_keep_their_order(client, random_cohort):
    df = random_cohort(2000)
    order = ["Male", "Female"]
    ddf = dd.from_pandas(df, npartitions=3)
    got = ymd.reoffending_rates(ddf, by="sex", categories={"sex": order})
    want = ym.reoffending_rates(df.assign(sex=pd.Categorical(df["sex"], categories=order)),
                                by="sex")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert got["sex"].tolist() == order


def test_value_outside_given_categories_is_an_error(client, random_cohort):
    ddf = dd.from_pandas(random_cohort(2000), npartitions=2)
    with pytest.raises(ValueError, match=r"'sex': \d+ rows have values not among its 1 "
                                         r"categories \(in partition \d of 2\)"):
        ymd.reoffending_rates(ddf, by="sex", categories={"sex": ["Male"]})


def test_missing_keys_and_bad_counts_name_the_partition(client):
    df = pd.DataFrame({"sex": ["F", "M", None, "M"], "reoffences": [0, 1, 2, 0]})
    ddf = dd.from_pandas(df, npartitions=2, sort=False)
    with pytest.raises(ValueError, match=r"'sex': 1 row has a missing value "
                                         r"\(in partition 2 of 2\)"):
        ymd.reoffending_rates(ddf, by="sex", categories={"sex": ["F", "M"]})
    bad = dd.from_pandas(pd.DataFrame({"sex": ["F", "M", "F", "M"], "reoffences": [0, 1, -2, 0]}),
                         npartitions=2, sort=False)
    with pytest.raises(ValueError, match=r"reoffences.*negative.*\(in partition 2 of 2\)"):
        ymd.reoffending_rates(bad, by="sex")


def test_bad_arguments_fail_before_any_work(random_cohort):
    ddf = dd.from_pandas(random_cohort(100), npartitions=2)
    with pytest.raises(TypeError, match="expected a dask DataFrame"):
        ymd.reoffending_rates(random_cohort(100), by="sex")
    with pytest.raises(KeyError, match="grouping column 'sexx' is not in the data"):
        ymd.reoffending_rates(ddf, by="sexx")
    with pytest.raises(KeyError, match="previous_offences column 'prev'"):
        ymd.reoffending_rates(ddf, by="sex", previous_offences="prev")
    with pytest.raises(ValueError, match="method"):
        ymd.reoffending_rates(ddf, by="sex", method="bayes")
    with pytest.raises(ValueError, match="split_every"):
        ymd.reoffending_rates(ddf, by="sex", split_every=1)
    with pytest.raises(ValueError, match="not in by"):
        ymd.reoffending_rates(ddf, by="sex", categories={"yjs": ["S00"]})


def test_delayed_result_and_partial_merge_with_in_memory_partials(client, random_cohort):
    df = random_cohort(4000)
    ddf = dd.from_pandas(df.iloc[:3000], npartitions=3)
    lazy = ymd.reoffending_rates(ddf, by=["yjs", "quarter"], compute=False)
    pd.testing.assert_frame_equal(lazy.compute(),
                                  ym.reoffending_rates(df.iloc[:3000], by=["yjs", "quarter"]))
    # A partial from the cluster and one counted here, over the same categories, add up to the
    # partial of the whole cohort.
    cluster_part, keys = ymd.reoffending_partial(ddf, by=["yjs", "quarter"])
    local_part, _ = ym.reoffending_partial(df.iloc[3000:], by=["yjs", "quarter"])
    whole, _ = ym.reoffending_partial(df, by=["yjs", "quarter"])
    assert cluster_part + local_part == whole
    assert [k.name for k in keys] == ["yjs", "quarter"]


def _partial_on_worker(df):
    partial, _ = ym.reoffending_partial(df, by="quarter", previous_offences="previous_offences")
    return os.getpid(), partial


def _merge_on_worker(a, b):
    return os.getpid(), a + b


def test_partials_pickle_across_processes(client, random_cohort):
    df = random_cohort(2000)
    first, second = df.iloc[:1200], df.iloc[1200:]
    pid, from_worker = client.submit(_partial_on_worker, first).result()
    assert pid != os.getpid()
    here, _ = ym.reoffending_partial(second, by="quarter", previous_offences="previous_offences")
    # A partial made here travels to a worker, merges there with one made on a worker, comes back.
    remote = client.scatter(here)
    pid, merged = client.submit(_merge_on_worker, client.submit(lambda: from_worker), remote
                                ).result()
    assert pid != os.getpid()
    whole, keys = ym.reoffending_partial(df, by="quarter", previous_offences="previous_offences")
    assert merged == whole
    assert pickle.loads(pickle.dumps(merged)) == whole


def test_parquet_files_end_to_end(client, random_cohort, tmp_path):
    df = random_cohort(3000)
    df["sex"] = df["sex"].astype(str)
    for i, piece in enumerate(np.array_split(np.arange(len(df)), 3)):
        df.iloc[piece].to_parquet(tmp_path / f"part-{i}.parquet", index=False)
    ddf = dd.read_parquet(str(tmp_path))
    got = ymd.reoffending_rates(ddf, by=["sex", "quarter"])
    assert_same_table(got, pandas_rates(df, ["sex", "quarter"]), ["sex", "quarter"])


def test_importing_yosmodel_imports_neither_dask_nor_matplotlib():
    import subprocess
    import sys

    check = ("import sys, yosmodel; heavy = [m for m in ('dask', 'distributed', 'matplotlib') "
             "if m in sys.modules]; assert not heavy, heavy; yosmodel.dask; yosmodel.plot")
    subprocess.run([sys.executable, "-c", check], check=True, env=dict(os.environ), timeout=120)


# -- cohorts from event records ------------------------------------------------------------

KINDS = ["custody_release", "court_conviction", "caution", "remand"]


def events(people: int, disposals: int, offences: int, seed: int):
    """Random disposals and offences of ``people`` people (string ids), 2015-2016."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"P{i:04d}" for i in range(people)], dtype=object)
    base = np.datetime64("2015-01-01")
    d = pd.DataFrame({
        "person_id": ids[rng.integers(0, people, disposals)],
        "date": base + rng.integers(0, 730, disposals).astype("timedelta64[D]"),
        "kind": np.array(KINDS, dtype=object)[rng.integers(0, len(KINDS), disposals)],
        "yjs": np.array(["North", "South", "East"], dtype=object)[rng.integers(0, 3, disposals)],
    })
    committed = base + rng.integers(-100, 900, offences).astype("timedelta64[D]")
    o = pd.DataFrame({
        "person_id": ids[rng.integers(0, people, offences)],
        "offence_date": committed,
        "proven_date": committed + rng.integers(0, 300, offences).astype("timedelta64[D]"),
    })
    return d, o


def same_rows(got: pd.DataFrame, want: pd.DataFrame) -> None:
    """Equal values row by row (dask gives text its own string dtype)."""
    got = got.sort_values("person_id").reset_index(drop=True)
    want = want.sort_values("person_id").reset_index(drop=True)
    assert list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(got.astype(object), want.astype(object))


@pytest.mark.parametrize("disposal_parts, offence_parts, npartitions", [(3, 5, None), (4, 2, 6)])
def test_build_cohort_equals_in_memory(client, disposal_parts, offence_parts, npartitions):
    d, o = events(300, 700, 3000, seed=disposal_parts)
    disposals = dd.from_pandas(d, npartitions=disposal_parts)
    offences = dd.from_pandas(o, npartitions=offence_parts)
    cohort = ymd.build_cohort(disposals, offences, "2015-07-01", "2016-06-30",
                              npartitions=npartitions)
    assert cohort.npartitions == (npartitions or max(disposal_parts, offence_parts))
    want = ym.build_cohort(disposals.compute(), offences.compute(), "2015-07-01", "2016-06-30")
    assert len(want) > 50
    same_rows(cohort.compute(), want)
    # the lazy cohort goes straight into the rates, on the cluster
    rates = ymd.reoffending_rates(cohort, by="yjs", previous_offences="previous_offences")
    expected = ym.reoffending_rates(want, by="yjs", previous_offences="previous_offences")
    for name in ["offenders", "reoffenders", "reoffences"]:
        assert rates[name].tolist() == expected[name].tolist()
    np.testing.assert_allclose(rates["binary_rate"], expected["binary_rate"], rtol=1e-12)


def test_build_cohort_keeps_the_earlier_row_on_a_tie(client):
    # Two qualifying disposals of one person on one date: the earlier row is the index
    # disposal, even when the rows start in different partitions and are shuffled.
    d = pd.DataFrame({"person_id": ["A", "B", "C", "A"],
                      "date": pd.to_datetime(["2016-01-05", "2016-02-01", "2016-03-01",
                                              "2016-01-05"]),
                      "kind": ["caution", "caution", "court_conviction", "court_conviction"],
                      "yjs": ["North", "North", "South", "South"]})
    o = pd.DataFrame({"person_id": ["A"], "offence_date": pd.to_datetime(["2016-03-01"]),
                      "proven_date": pd.to_datetime(["2016-04-01"])})
    cohort = ymd.build_cohort(dd.from_pandas(d, npartitions=2, sort=False),
                              dd.from_pandas(o, npartitions=1), "2016-01-01", "2016-12-31",
                              npartitions=3).compute().set_index("person_id")
    assert cohort.loc["A", "yjs"] == "North" and cohort.loc["A", "index_kind"] == "caution"
    assert cohort.loc["A", "reoffences"] == 1
    same_rows(cohort.reset_index(), ym.build_cohort(d, o, "2016-01-01", "2016-12-31"))


def test_build_cohort_on_data_already_partitioned_by_person(client):
    d, o = events(200, 500, 2000, seed=7)
    group = lambda frame: frame["person_id"].str[-1].astype(int) % 2  # noqa: E731
    disposals = dd.concat([dd.from_pandas(d[group(d) == g], npartitions=1) for g in (0, 1)])
    offences = dd.concat([dd.from_pandas(o[group(o) == g], npartitions=1) for g in (0, 1)])
    cohort = ymd.build_cohort(disposals, offences, "2015-07-01", "2016-06-30",
                              partitioned_by_person=True, follow_up_months=9,
                              waiting_months=3)
    want = ym.build_cohort(disposals.compute(), offences.compute(), "2015-07-01", "2016-06-30",
                           follow_up_months=9, waiting_months=3)
    same_rows(cohort.compute(), want)


def test_build_cohort_bad_arguments():
    d, o = events(20, 40, 80, seed=1)
    disposals, offences = dd.from_pandas(d, npartitions=2), dd.from_pandas(o, npartitions=3)
    with pytest.raises(ValueError, match="as many partitions of disposals as of offences"):
        ymd.build_cohort(disposals, offences, "2015-07-01", "2016-06-30",
                         partitioned_by_person=True)
    numbered = dd.from_pandas(o.assign(person_id=np.arange(len(o))), npartitions=2)
    with pytest.raises(TypeError, match="person_id has dtype"):
        ymd.build_cohort(disposals, numbered, "2015-07-01", "2016-06-30")
    with pytest.raises(KeyError, match="offence column 'person_id'"):
        ymd.build_cohort(disposals, offences.rename(columns={"person_id": "id"}),
                         "2015-07-01", "2016-06-30")
    with pytest.raises(TypeError, match="expected a dask DataFrame"):
        ymd.build_cohort(d, offences, "2015-07-01", "2016-06-30")


def test_build_cohort_max_set_aside_is_a_share_of_the_whole_input():
    # Five disposals of one person have no date: 0.7% of the input (under the 1% limit), but
    # several percent of the partition that person is shuffled into. The limit is over the
    # whole input, as in memory, and the whole input's counts are said once.
    import dask

    d, o = events(300, 700, 3000, seed=3)
    person = d["person_id"].value_counts().index[0]
    d.loc[d.index[d["person_id"] == person][:5], "date"] = pd.NaT
    with pytest.warns(ym.RecordsSetAsideWarning, match="records set aside"):
        want = ym.build_cohort(d, o, "2015-07-01", "2016-06-30")
    with dask.config.set({"scheduler": "sync", "dataframe.shuffle.method": "tasks"}):
        with pytest.warns(ym.RecordsSetAsideWarning) as said:
            got = ymd.build_cohort(dd.from_pandas(d, npartitions=4),
                                   dd.from_pandas(o, npartitions=3), "2015-07-01",
                                   "2016-06-30").compute()
        same_rows(got, want)
        assert any("disposals.missing_date 5 rows of 700 (0.7%)" in str(w.message)
                   for w in said)
        # past the limit over the whole input, it is refused as in memory
        with pytest.raises(ValueError, match="too many records set aside"):
            ymd.build_cohort(dd.from_pandas(d, npartitions=4), dd.from_pandas(o, npartitions=3),
                             "2015-07-01", "2016-06-30", max_set_aside=0.005).compute()


def test_build_cohort_refusal_past_max_set_aside_reaches_a_distributed_caller(client):
    # The check runs on a worker process; its error must travel back to compute().
    d, o = events(300, 700, 3000, seed=3)
    d.loc[d.index[:6], "date"] = pd.NaT
    cohort = ymd.build_cohort(dd.from_pandas(d, npartitions=4), dd.from_pandas(o, npartitions=3),
                              "2015-07-01", "2016-06-30", max_set_aside=0.005)
    with pytest.raises(ValueError, match="too many records set aside") as refused:
        cohort.compute()
    assert not any(pid in str(refused.value) for pid in d["person_id"].iloc[:6])


def test_dask_refusals_are_yosmodel_errors():
    frame = pd.DataFrame({"sex": ["f", "m", None, "f"], "reoffences": [0, 1, 2, 0]})
    ddf = dd.from_pandas(frame, npartitions=2)
    with pytest.raises(ym.InputError, match="'sex': 1 row has a missing value"):
        ymd.reoffending_rates(ddf, by="sex")
    full = dd.from_pandas(frame.fillna("m"), npartitions=2)
    with pytest.raises(ym.InputError, match="not among its 1 categories"):
        ymd.reoffending_rates(full, by="sex", categories={"sex": ["f"]})
    with pytest.raises(ym.InputError, match="more than once"):
        ymd.reoffending_rates(full, by="sex", categories={"sex": ["f", "f", "m"]})
    with pytest.raises(ym.InputError, match="no missing"):
        ymd.reoffending_rates(full, by="sex", categories={"sex": ["f", None, "m"]})
    with pytest.raises(ym.DtypeError, match="a list of values"):
        ymd.reoffending_rates(full, by="sex", categories={"sex": "fm"})
    with pytest.raises(ym.InputError, match="split_every"):
        ymd.reoffending_rates(full, by="sex", split_every=1)
    with pytest.raises(ym.DtypeError, match="expected a dask DataFrame"):
        ymd.reoffending_rates(frame, by="sex")


def said_within(call, wanted, seconds: float = 30.0):
    """``call()``, and the warnings said meanwhile or within ``seconds`` after it, until one
    has ``wanted`` in its text: a warning sent on from a worker (distributed.warn) reaches
    the client asynchronously."""
    import time
    import warnings

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        result = call()
        deadline = time.monotonic() + seconds
        while not any(wanted in str(w.message) for w in said) and time.monotonic() < deadline:
            time.sleep(0.05)
    return result, said


def test_build_cohort_warning_below_the_limit_reaches_a_distributed_caller(client):
    # Before: the whole input's check ran on a worker process and warned in its log only.
    d, o = events(300, 700, 3000, seed=3)
    d.loc[d.index[:4], "date"] = pd.NaT
    with pytest.warns(ym.RecordsSetAsideWarning) as in_memory:
        want = ym.build_cohort(d, o, "2015-07-01", "2016-06-30")
    message = str(in_memory[0].message)
    assert "disposals.missing_date 4 rows of 700" in message
    cohort = ymd.build_cohort(dd.from_pandas(d, npartitions=4), dd.from_pandas(o, npartitions=3),
                              "2015-07-01", "2016-06-30")
    with distributed.get_task_stream(client) as stream:
        got, said = said_within(cohort.compute, message)
    # the check ran on a worker process, and its warning reached this process
    assert any("_whole_input_set_aside" in str(task["key"]) for task in stream.data)
    matching = [w for w in said if str(w.message) == message]
    assert len(matching) == 1 and matching[0].category is ym.RecordsSetAsideWarning
    assert matching[0].message.counts == {"disposals.missing_date": 4}
    assert got.attrs["diagnostics"] == want.attrs["diagnostics"]
    assert not any(pid in str(w.message) for w in said for pid in d["person_id"].iloc[:4])
    same_rows(got, want)


def test_lazy_cohort_to_rates_on_a_cluster_builds_each_partition_once(client):
    d, o = events(300, 700, 3000, seed=5)
    cohort = ymd.build_cohort(dd.from_pandas(d, npartitions=3), dd.from_pandas(o, npartitions=2),
                              "2015-07-01", "2016-06-30", npartitions=4)
    with distributed.get_task_stream(client) as stream:
        got = ymd.reoffending_rates(cohort, by=["yjs", "index_kind"],
                                    previous_offences="previous_offences")
    keys = [str(task["key"]) for task in stream.data]
    assert sum("_cohort_partition" in key for key in keys) == 4
    assert sum("_whole_input_set_aside" in key for key in keys) == 1
    assert sum("_locally_coded" in key for key in keys) == 4
    want = ym.reoffending_rates(ym.build_cohort(d, o, "2015-07-01", "2016-06-30"),
                                by=["yjs", "index_kind"], previous_offences="previous_offences")
    assert_same_table(got, want, ["yjs", "index_kind"])


def test_delayed_table_in_dask_compute_sends_its_warnings_from_the_worker(client):
    import dask

    frame = pd.DataFrame({"k": list("ab") * 200, "reoffences": [0] * 399 + [5000]})
    ddf = dd.from_pandas(frame, npartitions=2)
    lazy = ymd.reoffending_rates(ddf, by="k", compute=False)
    (table, other), said = said_within(
        lambda: dask.compute(lazy, dask.delayed(sum)([1, 2])), "1 row of 400")
    assert other == 3 and int(table["offenders"].sum()) == 399
    matching = [w for w in said if "1 row of 400" in str(w.message)]
    assert len(matching) == 1 and matching[0].category is ym.RecordsSetAsideWarning
