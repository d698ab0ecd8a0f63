"""build_cohort against hand-worked cases, an independent pandas implementation and DuckDB SQL
on random data, every diagnostic rule, strict mode, and the property that duplicating rows
changes nothing."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yosmodel as ym

QUALIFYING = ("custody_release", "court_conviction", "caution")


@pytest.fixture(autouse=True)
def _no_set_aside_limit(monkeypatch):
    """These tests feed messy records on purpose and check the counts themselves, so the share a
    rule may set aside is not limited here (tests/python/safety tests the limit)."""
    import functools

    from yosmodel.reoffending import cohort as cohort_module

    original = cohort_module.build_cohort
    limited = functools.partial(original, max_set_aside=1.0)
    monkeypatch.setattr(ym, "build_cohort", functools.wraps(original)(limited))
    monkeypatch.setattr(cohort_module, "build_cohort", functools.wraps(original)(limited))
KINDS = ["custody_release", "court_conviction", "caution", "custody_sentence", "remand"]


def frames(disposals, offences):
    d = pd.DataFrame(disposals, columns=["person_id", "date", "kind"])
    o = pd.DataFrame(offences, columns=["person_id", "offence_date", "proven_date", "counts"])
    return d, o


def one(cohort, person):
    rows = cohort[cohort["person_id"] == person]
    assert len(rows) == 1
    return rows.iloc[0]


# ---------------------------------------------------------------- hand-worked boundaries


@pytest.mark.parametrize("ids", [("p1", "p2", "p3"), (101, 202, 303), (7, 10**12, -5)])
def test_boundaries_hand_worked(ids):
    a, b, c = ids
    d, o = frames(
        [(a, "2016-03-10", "court_conviction"),
         (b, "2016-02-29", "caution"),                 # leap-day index
         (c, "2017-01-01", "caution")],                # outside the period
        [(a, "2016-03-10", "2016-04-01", True),        # on the index date: not a reoffence
         (a, "2017-03-10", "2017-04-01", True),        # on follow_up_end: a reoffence
         (a, "2017-03-11", "2017-04-01", True),        # the day after: not
         (a, "2016-06-01", "2017-09-10", True),        # proven on waiting_end: a reoffence
         (a, "2016-06-02", "2017-09-11", True),        # proven the day after: not
         (a, "2015-01-01", "2015-02-01", True),        # proven before: previous
         (a, "2016-03-01", "2016-05-01", True),        # committed before, proven after: neither
         (b, "2017-02-28", "2017-08-28", True),        # leap-day follow-up end, waiting end
         (b, "2017-03-01", "2017-03-02", True),
         (c, "2017-02-01", "2017-03-01", True)])
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert len(cohort) == 2
    ra = one(cohort, a)
    assert ra.index_date == pd.Timestamp("2016-03-10")
    assert ra.follow_up_end == pd.Timestamp("2017-03-10")
    assert ra.waiting_end == pd.Timestamp("2017-09-10")
    assert ra.reoffences == 2 and ra.reoffended
    first = pd.Timestamp("2016-06-01") - pd.Timestamp("2016-03-10")
    assert ra.days_to_first_reoffence == first.days
    assert ra.previous_offences == 1
    assert ra.index_kind == "court_conviction"
    rb = one(cohort, b)
    assert rb.follow_up_end == pd.Timestamp("2017-02-28")
    assert rb.waiting_end == pd.Timestamp("2017-08-28")
    assert rb.reoffences == 1
    assert rb.index_kind == "caution"
    assert list(cohort["person_id"]) == sorted([a, b])


def test_two_qualifying_disposals_and_carried_columns():
    d = pd.DataFrame({
        "person_id": ["x", "x", "x", "y", "y"],
        "date": pd.to_datetime(["2016-09-01", "2016-05-01", "2016-04-01", "2016-07-01",
                                "2016-07-01"]),
        "kind": ["caution", "custody_release", "custody_sentence", "caution", "court_conviction"],
        "yjs": ["North", "South", "East", "West", "Centre"],
        "date_of_birth": pd.to_datetime(["2000-02-29", "2000-02-29", "2000-02-29", "1998-07-02",
                                         "1998-07-02"]),
    })
    o = pd.DataFrame({"person_id": ["x"], "offence_date": ["2016-06-01"],
                      "proven_date": ["2016-07-01"]})
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    x, y = one(cohort, "x"), one(cohort, "y")
    assert x.index_date == pd.Timestamp("2016-05-01") and x.index_kind == "custody_release"
    assert x.yjs == "South"                # carried from the index disposal
    assert x.age_at_index == 16 and x.juvenile
    assert y.yjs == "West"                 # a tie on the date goes to the earlier row
    assert y.age_at_index == 17 and y.juvenile
    assert x.reoffences == 1
    assert list(cohort.columns) == [
        "person_id", "index_date", "index_kind", "yjs", "date_of_birth", "age_at_index",
        "juvenile", "follow_up_end", "waiting_end", "reoffences", "reoffended",
        "days_to_first_reoffence", "previous_offences"]
    assert pd.isna(one(cohort, "y").days_to_first_reoffence)


def test_adult_and_missing_date_of_birth():
    d = pd.DataFrame({"person_id": [1, 2, 3], "date": ["2016-05-01"] * 3,
                      "kind": ["caution"] * 3,
                      "date_of_birth": [dt.date(1990, 1, 1), None, dt.date(2007, 5, 2)]})
    o = pd.DataFrame({"person_id": [], "offence_date": [], "proven_date": []})
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert list(cohort["age_at_index"].astype("float").fillna(-1)) == [26, -1, 8]
    assert cohort["juvenile"].tolist() == [False, pd.NA, False]


@pytest.mark.parametrize("form", ["iso", "datetime64[D]", "datetime64[s]", "timestamps", "dates",
                                  "tz"])
def test_date_forms_agree(form):
    d, o = frames([("a", "2016-03-10", "caution"), ("b", "2016-11-30", "caution")],
                  [("a", "2016-03-11", "2016-04-01", True), ("b", "2017-11-30", "2018-05-30", True),
                   ("b", "2016-01-01", "2016-02-01", True)])
    expected = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")

    def convert(values):
        s = pd.to_datetime(values)
        if form == "iso":
            return values
        if form.startswith("datetime64"):
            return s.to_numpy().astype(form)
        if form == "timestamps":
            return pd.Series(list(s), dtype=object)
        if form == "dates":
            return [t.date() for t in s]
        return s.dt.tz_localize("Europe/London")
    for frame, cols in ((d, ["date"]), (o, ["offence_date", "proven_date"])):
        for col in cols:
            frame[col] = convert(frame[col])
    got = ym.build_cohort(d, o, pd.Timestamp("2016-01-01"), np.datetime64("2016-12-31"))
    pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("kind", ["dict", "polars", "pyarrow", "categorical"])
def test_input_table_kinds_agree(kind):
    d, o = random_events(np.random.default_rng(3), 200, 400, 2000)
    expected = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")
    if kind == "dict":
        dd = {c: d[c].to_numpy() for c in d.columns}
        oo = {c: o[c].to_numpy() for c in o.columns}
    elif kind == "polars":
        pl = pytest.importorskip("polars")
        dd, oo = pl.from_pandas(d), pl.from_pandas(o)
    elif kind == "pyarrow":
        pa = pytest.importorskip("pyarrow")
        dd, oo = pa.Table.from_pandas(d), pa.Table.from_pandas(o)
    else:
        dd = d.assign(kind=d["kind"].astype("category"), person_id=d["person_id"])
        oo = o
    got = ym.build_cohort(dd, oo, "2015-10-01", "2016-09-30")
    assert got["person_id"].tolist() == expected["person_id"].tolist()
    for col in ("index_date", "reoffences", "previous_offences", "follow_up_end"):
        assert got[col].tolist() == expected[col].tolist(), col
    assert got.attrs["diagnostics"] == expected.attrs["diagnostics"]


# ---------------------------------------------------------------- diagnostics and strict mode


def test_every_diagnostic_rule_is_counted():
    d = pd.DataFrame({
        "person_id": ["a", "a", None, "b", "c", "d", "e"],
        "date": ["2016-06-01", "2016-06-01", "2016-06-01", None, "1850-01-01", "2016-06-01",
                 "not a date"],
        "kind": ["caution", "caution", "caution", "caution", "caution", "reprimand", "caution"],
    })
    o = pd.DataFrame({
        "person_id": ["a", "a", "a", "a", "a", "a", "a", None, "zz", "a", "a"],
        "offence_date": ["2016-07-01", "2016-07-01", None, "2016-07-02", "2200-01-01",
                         "2016-07-03", "2016-08-03", "2016-07-01", "2016-07-01", "2016-09-01",
                         "the 31st"],
        "proven_date": ["2016-08-01", "2016-08-01", "2016-08-01", None, "2200-01-02",
                        "2150-01-01", "2016-08-01", "2016-08-01", "2016-08-01", "2016-10-01",
                        "2017-01-01"],
        "counts": [True, True, True, True, True, True, True, True, True, None, True],
    })
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert cohort["person_id"].tolist() == ["a"]
    assert cohort["reoffences"].tolist() == [1]
    dd = cohort.attrs["diagnostics"]["disposals"]
    assert dd == {"rows": 7, "missing_person_id": 1, "unknown_person": 0, "missing_date": 2,
                  "implausible_date": 1, "unknown_kind": 1, "duplicate_rows": 1,
                  "qualifying_in_period": 2, "unparseable_date": 1}
    od = cohort.attrs["diagnostics"]["offences"]
    assert od == {"rows": 11, "missing_person_id": 1, "missing_offence_date": 2,
                  "missing_proven_date": 1, "implausible_offence_date": 1,
                  "implausible_proven_date": 1, "proven_before_committed": 1,
                  "invalid_counts_flag": 1, "duplicate_rows": 1, "outside_cohort": 1,
                  "not_counting": 0, "unparseable_offence_date": 1,
                  "unparseable_proven_date": 0}
    with pytest.raises(ValueError) as error:
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", strict=True)
    message = str(error.value)
    for rule in ("disposals.missing_person_id: 1 row", "disposals.duplicate_rows",
                 "offences.proven_before_committed", "offences.invalid_counts_flag"):
        assert rule in message
    # kind words are a code list, named on purpose (issue 11); ids and dates never are
    for identifier in ("zz", "2016-07-01", "a,"):
        assert identifier not in message
    # Diagnostics hold counts only: no identifiers or values anywhere.
    assert all(isinstance(v, int) for t in cohort.attrs["diagnostics"].values() for v in t.values())


def test_strict_passes_clean_data_and_other_kinds_are_known():
    d, o = frames([("a", "2016-06-01", "caution"), ("a", "2016-07-01", "remand")],
                  [("a", "2016-07-01", "2016-08-01", False)])
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", strict=True)
    assert cohort["reoffences"].tolist() == [0]
    assert cohort.attrs["diagnostics"]["offences"]["not_counting"] == 1
    assert cohort.attrs["diagnostics"]["disposals"]["unknown_kind"] == 0
    custom = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", qualifying=("remand",))
    assert custom["index_date"].tolist() == [pd.Timestamp("2016-07-01")]


def test_offence_columns_beyond_the_definition_separate_distinct_offences():
    d, o = frames([("a", "2016-06-01", "caution")],
                  [("a", "2016-07-01", "2016-08-01", True)] * 3)
    assert ym.build_cohort(d, o, "2016-01-01", "2016-12-31")["reoffences"].tolist() == [1]
    o["offence_code"] = ["theft", "criminal damage", "theft"]
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert cohort["reoffences"].tolist() == [2]
    assert cohort.attrs["diagnostics"]["offences"]["duplicate_rows"] == 1


def test_bad_arguments():
    d, o = frames([("a", "2016-06-01", "caution")], [("a", "2016-07-01", "2016-08-01", True)])
    with pytest.raises(KeyError, match="'kind'"):
        ym.build_cohort(d.drop(columns="kind"), o, "2016-01-01", "2016-12-31")
    with pytest.raises(ValueError, match="period"):
        ym.build_cohort(d, o, "2016-12-31", "2016-01-01")
    with pytest.raises(ValueError, match="follow_up_months"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", follow_up_months=-1)
    with pytest.raises(ValueError, match="follow_up_months must be a whole number of months "
                                         "between 1"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", follow_up_months=0)  # always 0%
    with pytest.raises(TypeError, match="numbers"):
        ym.build_cohort(d.assign(date=[16953]), o, "2016-01-01", "2016-12-31")
    with pytest.raises(ValueError, match="threads"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", threads=0)
    with pytest.raises(ValueError, match="not a date"):
        ym.build_cohort(d, o, "someday", "2016-12-31")


# ---------------------------------------------------------------- random data, references


def random_events(rng, persons, disposals, offences, int_ids=False, messy=True):
    ids = np.arange(persons) * 7 + 3 if int_ids else np.array([f"P{i:05d}" for i in
                                                               range(persons)], dtype=object)
    base = np.datetime64("2014-06-01")
    d = pd.DataFrame({
        "person_id": ids[rng.integers(0, persons, disposals)],
        "date": base + rng.integers(0, 4 * 365, disposals).astype("timedelta64[D]"),
        "kind": np.array(KINDS + (["mystery"] if messy else []), dtype=object)[
            rng.integers(0, len(KINDS) + messy, disposals)],
        "yjs": rng.integers(0, 5, disposals),
    })
    committed = base + rng.integers(-200, 4 * 365, offences).astype("timedelta64[D]")
    delay = rng.integers(0, 400, offences) - (rng.random(offences) < 0.03 * messy) * 500
    o = pd.DataFrame({
        "person_id": ids[rng.integers(0, persons, offences)],
        "offence_date": committed,
        "proven_date": committed + delay.astype("timedelta64[D]"),
        "counts": rng.random(offences) < 0.9,
    })
    if messy:
        o.loc[rng.random(offences) < 0.02, "offence_date"] = pd.NaT
        d.loc[rng.random(disposals) < 0.02, "date"] = pd.NaT
        # duplicates of existing rows
        o = pd.concat([o, o.sample(frac=0.05, random_state=1)], ignore_index=True)
        d = pd.concat([d, d.sample(frac=0.05, random_state=2)], ignore_index=True)
    return d, o


def pandas_reference(d, o, start, end, follow_up=12, waiting=6):
    """The definition, person by person, in plain pandas (independent of the library)."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    q = d.reset_index(drop=True).assign(row=lambda f: np.arange(len(f)))
    q = q[q["person_id"].notna() & q["date"].notna() & q["kind"].isin(QUALIFYING)]
    q = q[(q["date"] >= start) & (q["date"] <= end)]
    index = (q.sort_values(["date", "row"]).groupby("person_id", sort=True).head(1)
             .set_index("person_id").sort_index())
    offences = o.dropna(subset=["person_id", "offence_date", "proven_date"])
    offences = offences[offences["proven_date"] >= offences["offence_date"]].drop_duplicates()
    offences = offences[offences["counts"]]
    rows = []
    by_person = dict(tuple(offences.groupby("person_id")))
    for person, idx in index.iterrows():
        date = idx["date"]
        follow_up_end = date + pd.DateOffset(months=follow_up)
        waiting_end = follow_up_end + pd.DateOffset(months=waiting)
        own = by_person.get(person, offences.iloc[:0])
        re = own[(own["offence_date"] > date) & (own["offence_date"] <= follow_up_end)
                 & (own["proven_date"] <= waiting_end)]
        rows.append({
            "person_id": person, "index_date": date, "index_kind": idx["kind"],
            "yjs": idx["yjs"], "follow_up_end": follow_up_end, "waiting_end": waiting_end,
            "reoffences": len(re),
            "days_to_first_reoffence": (re["offence_date"].min() - date).days if len(re) else -1,
            "previous_offences": int((own["proven_date"] < date).sum()),
        })
    return pd.DataFrame(rows)


def normalised(cohort):
    out = cohort[["person_id", "index_date", "index_kind", "yjs", "follow_up_end",
                  "waiting_end", "reoffences", "days_to_first_reoffence",
                  "previous_offences"]].copy()
    out["index_kind"] = out["index_kind"].astype(str)
    out["days_to_first_reoffence"] = out["days_to_first_reoffence"].fillna(-1).astype(np.int64)
    for col in ("index_date", "follow_up_end", "waiting_end"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out.reset_index(drop=True)


@pytest.mark.parametrize("int_ids", [False, True])
@pytest.mark.parametrize("seed", [1, 2])
def test_agrees_with_independent_pandas_implementation(int_ids, seed):
    rng = np.random.default_rng(seed)
    d, o = random_events(rng, 400, 900, 6000, int_ids=int_ids)
    for start, end, follow_up, waiting in (("2015-10-01", "2016-09-30", 12, 6),
                                           ("2016-01-01", "2016-03-31", 9, 3)):
        got = ym.build_cohort(d, o, start, end, follow_up_months=follow_up,
                              waiting_months=waiting, threads=2)
        expected = pandas_reference(d, o, start, end, follow_up, waiting)
        assert len(expected) > 15
        pd.testing.assert_frame_equal(normalised(got), normalised(expected), check_dtype=False)


def recorded_keys(monkeypatch):
    """A list that records, for each grouping of person ids, whether it was the members' key."""
    from yosmodel._utils import events

    paths = []
    grouped = events._grouped_person_ids

    def recorded(*args, **kwargs):
        paths.append(args[3] is not None)
        return grouped(*args, **kwargs)
    monkeypatch.setattr(events, "_grouped_person_ids", recorded)
    return paths


@pytest.mark.parametrize("members_key", [False, True])
@pytest.mark.parametrize("form", ["str", "pyarrow string", "pyarrow large_string", "polars",
                                  "pyarrow dictionary", "polars categorical",
                                  "pandas categorical", "categorical and str"])
def test_string_ids_looked_up_among_the_disposals_agree_with_pandas(form, members_key,
                                                                   monkeypatch):
    # The compiled paths: the disposals' ids grouped, the offences' looked up among them; or
    # (members_key) only the ids of disposals that could make a member grouped, both tables
    # looked up among them, everyone else one person who is never a member. People known only
    # from offences, missing ids on both sides and ids of every length (inline in a string view,
    # packed in two words, longer) must give the definition's cohort and counts either way.
    from yosmodel._utils import events

    monkeypatch.setattr(events, "member_key_share", 1.0 if members_key else 0.0)
    rng = np.random.default_rng(33)
    d, o = random_events(rng, 300, 800, 6000)
    def lengthened(p):  # 6 bytes, or 21 to 33
        return p if p[-1] in "01234" else p + "-" * int(p[-1]) * 3
    d["person_id"] = d["person_id"].map(lengthened)
    o["person_id"] = o["person_id"].map(lengthened)
    only_offences = rng.random(len(o)) < 0.05
    o.loc[only_offences, "person_id"] = [f"N{i}" for i in range(int(only_offences.sum()))]
    d.loc[rng.random(len(d)) < 0.02, "person_id"] = None
    o.loc[rng.random(len(o)) < 0.02, "person_id"] = None
    expected = pandas_reference(d, o, "2015-10-01", "2016-09-30")
    reference = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")  # Python objects
    # (ids held as a dictionary, as a Parquet read gives them, are decoded for the grouper)
    if form == "str":
        dd, oo = (f.assign(person_id=pd.Series(f["person_id"], dtype="str")) for f in (d, o))
    elif form == "pandas categorical":
        dd, oo = (f.assign(person_id=f["person_id"].astype("category")) for f in (d, o))
    elif form == "categorical and str":
        dd = d.assign(person_id=d["person_id"].astype("category"))
        oo = o.assign(person_id=pd.Series(o["person_id"], dtype="str"))
    elif form.startswith("pyarrow"):
        pa = pytest.importorskip("pyarrow")
        kind = pa.large_string() if form == "pyarrow large_string" else pa.string()
        dd, oo = (pa.Table.from_pandas(f, preserve_index=False).set_column(
            0, "person_id", pa.array(f["person_id"], type=kind)) for f in (d, o))
        if form == "pyarrow dictionary":
            dd, oo = (t.set_column(0, "person_id", t.column(0).dictionary_encode())
                      for t in (dd, oo))
    else:
        pl = pytest.importorskip("polars")
        dd, oo = pl.from_pandas(d), pl.from_pandas(o)
        if form == "polars categorical":
            dd, oo = (t.with_columns(pl.col("person_id").cast(pl.Categorical)) for t in (dd, oo))
    from yosmodel._utils.columns import Table
    from yosmodel._utils.events import _grouped_person_ids, person_source
    from yosmodel._utils.inputs import as_table

    sources = [person_source(Table(as_table(f, "t")), "person_id") for f in (dd, oo)]
    assert _grouped_person_ids(sources[0], sources[1], len(d)) is not None  # the path under test
    paths = recorded_keys(monkeypatch)
    got = ym.build_cohort(dd, oo, "2015-10-01", "2016-09-30")
    assert paths == [members_key]
    pd.testing.assert_frame_equal(normalised(got), normalised(expected), check_dtype=False)
    assert got.attrs["diagnostics"] == reference.attrs["diagnostics"]
    assert got.attrs["diagnostics"]["offences"]["missing_person_id"] > 0
    assert got.attrs["diagnostics"]["disposals"]["missing_person_id"] > 0


@pytest.mark.parametrize("seed", range(6))
def test_members_key_and_full_key_give_the_same_cohort(seed, monkeypatch):
    # Random messy records (missing, blank and repeated ids; unknown kinds; missing dates;
    # duplicates), random periods, index_ties, carried columns: the key of the possible members
    # and the key of everyone must give the same frame and the same diagnostics.
    from yosmodel._utils import events

    rng = np.random.default_rng(seed)
    d, o = random_events(rng, 60 + 40 * seed, 300, 2000)
    d.loc[rng.random(len(d)) < 0.03, "person_id"] = None
    d.loc[rng.random(len(d)) < 0.02, "person_id"] = "  "
    o.loc[rng.random(len(o)) < 0.03, "person_id"] = None
    o.loc[rng.random(len(o)) < 0.01, "person_id"] = ""
    form = ["str", "pyarrow", "polars"][seed % 3]
    if form == "str":
        d, o = (f.assign(person_id=pd.Series(f["person_id"], dtype="str")) for f in (d, o))
    elif form == "pyarrow":
        pa = pytest.importorskip("pyarrow")
        d, o = (pa.Table.from_pandas(f, preserve_index=False) for f in (d, o))
    else:
        pl = pytest.importorskip("polars")
        d, o = pl.from_pandas(d), pl.from_pandas(o)
    start = pd.Timestamp("2014-06-01") + pd.Timedelta(days=int(rng.integers(0, 700)))
    end = start + pd.Timedelta(days=int(rng.integers(0, 500)))
    ties = None if seed % 2 else ["court_conviction", "caution"]
    cohorts = []
    for share in (0.0, 1.0):
        monkeypatch.setattr(events, "member_key_share", share)
        paths = recorded_keys(monkeypatch)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cohorts.append(ym.build_cohort(d, o, start, end, index_ties=ties, max_set_aside=1))
        assert paths == [share == 1.0]
        monkeypatch.undo()
    assert len(cohorts[0]) > 5
    pd.testing.assert_frame_equal(cohorts[0], cohorts[1])
    assert cohorts[0].attrs["diagnostics"] == cohorts[1].attrs["diagnostics"]


def test_members_key_takes_disposals_at_the_edges_of_the_period(monkeypatch):
    # The possible members are read from the dates' own ticks: a disposal in the last second of
    # the period's last day or the first of its first is in it, a second either side is not,
    # before 1970 as after, exactly as the core reads them (each person has one disposal).
    from yosmodel._utils import events

    stamps = ["1969-03-01 00:00:00", "1969-02-28 23:59:59", "1970-02-28 23:59:59",
              "1970-03-01 00:00:00", "1969-07-01 12:00:00", "1969-09-09 09:09:09"]
    d = pd.DataFrame({"person_id": pd.Series([f"P{i}" for i in range(6)], dtype="str"),
                      "date": pd.to_datetime(stamps),
                      "kind": ["caution", "caution", "caution", "caution", "remand", "caution"]})
    o = pd.DataFrame({"person_id": pd.Series([f"P{i}" for i in range(6)] * 2, dtype="str"),
                      "offence_date": pd.to_datetime(["1970-06-01"] * 6 + ["1968-01-01"] * 6),
                      "proven_date": pd.to_datetime(["1970-07-01"] * 6 + ["1968-02-01"] * 6)})
    cohorts = []
    for share in (0.0, 1.0):
        monkeypatch.setattr(events, "member_key_share", share)
        paths = recorded_keys(monkeypatch)
        cohorts.append(ym.build_cohort(d, o, "1969-03-01", "1970-02-28",
                                       plausible_dates=("1960-01-01", "2000-01-01")))
        assert paths == [share == 1.0]
        monkeypatch.undo()
    assert cohorts[1]["person_id"].tolist() == ["P0", "P2", "P5"]
    pd.testing.assert_frame_equal(cohorts[0], cohorts[1])
    assert cohorts[0].attrs["diagnostics"] == cohorts[1].attrs["diagnostics"]


@pytest.mark.parametrize("members_key", [False, True])
@pytest.mark.parametrize("form", ["str", "object", "int64", "pyarrow string", "polars"])
def test_a_cohort_of_nobody_has_the_person_id_type_of_a_cohort_of_anyone(form, members_key,
                                                                         monkeypatch):
    # A period nobody qualifies in gives an empty cohort; its person_id must not fall back to
    # object where the same input's non-empty cohort holds str (concat and joins would differ).
    from yosmodel._utils import events

    monkeypatch.setattr(events, "member_key_share", 1.0 if members_key else 0.0)
    ids = ["a1", "b2", "c3"] if form != "int64" else [11, 22, 33]
    d = pd.DataFrame({"person_id": pd.Series(ids, dtype=object if form == "object" else None),
                      "date": pd.to_datetime(["2015-01-05", "2015-02-01", "2015-03-01"]),
                      "kind": ["caution", "court_conviction", "caution"]})
    o = pd.DataFrame({"person_id": pd.Series(ids[:1], dtype=d["person_id"].dtype),
                      "offence_date": pd.to_datetime(["2015-06-01"]),
                      "proven_date": pd.to_datetime(["2015-07-01"])})
    if form == "pyarrow string":
        pa = pytest.importorskip("pyarrow")
        d, o = (pa.Table.from_pandas(f, preserve_index=False) for f in (d, o))
    elif form == "polars":
        pl = pytest.importorskip("polars")
        d, o = pl.from_pandas(d), pl.from_pandas(o)
    anyone = ym.build_cohort(d, o, "2015-01-01", "2015-12-31")
    nobody = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert len(anyone) == 3 and len(nobody) == 0
    assert nobody["person_id"].dtype == anyone["person_id"].dtype
    assert (anyone["person_id"].dtype == np.int64) == (form == "int64")


@pytest.mark.parametrize("members_key", [False, True])
def test_sparse_integer_ids_through_either_key_agree_with_pandas(members_key, monkeypatch):
    # Ids too far apart for direct codes (National Insurance-like numbers, a uint64 past int64)
    # go through the grouper too: the key of every disposal's id, or of the possible members'.
    from yosmodel._utils import events

    monkeypatch.setattr(events, "member_key_share", 1.0 if members_key else 0.0)
    rng = np.random.default_rng(8)
    d, o = random_events(rng, 300, 800, 6000, int_ids=True)
    for f in (d, o):
        f["person_id"] = (f["person_id"].to_numpy().astype(np.uint64) * np.uint64(2**52)
                          + np.uint64(11))
    paths = recorded_keys(monkeypatch)
    got = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")
    assert paths == [members_key]
    expected = pandas_reference(d, o, "2015-10-01", "2016-09-30")
    assert len(expected) > 15
    pd.testing.assert_frame_equal(normalised(got), normalised(expected), check_dtype=False)
    assert got["person_id"].dtype == np.uint64


def assert_agrees_with_duckdb(duckdb, d, o, got, at_least):
    """The cohort of 2015-10-01 to 2016-09-30 from the benchmarks' SQL definition, person by
    person, against `got`."""
    con = duckdb.connect()
    con.register("disposals", d)
    con.register("offences", o)
    sql = (Path(__file__).resolve().parents[3] / "benchmarks" / "cohort_sql.sql").read_text()
    expected = con.execute(sql, {"period_start": dt.date(2015, 10, 1),
                                 "period_end": dt.date(2016, 9, 30),
                                 "follow_up_months": 12, "waiting_months": 6}).df()
    assert len(expected) == len(got) > at_least
    assert got["person_id"].tolist() == expected["person_id"].tolist()
    assert got["reoffences"].tolist() == expected["reoffences"].tolist()
    assert got["previous_offences"].tolist() == expected["previous_offences"].tolist()
    assert (got["days_to_first_reoffence"].fillna(-1).tolist()
            == expected["days_to_first_reoffence"].fillna(-1).astype(int).tolist())
    assert (got["index_date"] == pd.to_datetime(expected["index_date"])).all()
    assert (got["follow_up_end"] == pd.to_datetime(expected["follow_up_end"])).all()


def test_agrees_with_duckdb_sql():
    duckdb = pytest.importorskip("duckdb")
    rng = np.random.default_rng(11)
    d, o = random_events(rng, 1500, 3000, 30000, int_ids=True)
    got = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")
    assert_agrees_with_duckdb(duckdb, d, o, got, at_least=300)


def test_threads_do_not_change_the_result_and_inputs_are_untouched():
    rng = np.random.default_rng(5)
    d, o = random_events(rng, 2000, 5000, 40000, int_ids=True)
    d_before, o_before = d.copy(), o.copy()
    one_thread = ym.build_cohort(d, o, "2015-01-01", "2016-12-31", threads=1)
    for threads in (2, 3, 8):
        got = ym.build_cohort(d, o, "2015-01-01", "2016-12-31", threads=threads)
        pd.testing.assert_frame_equal(got, one_thread)
        assert got.attrs["diagnostics"] == one_thread.attrs["diagnostics"]
    pd.testing.assert_frame_equal(d, d_before)
    pd.testing.assert_frame_equal(o, o_before)


def test_sparse_integer_ids_take_the_dictionary_path():
    d, o = frames([(10**15, "2016-06-01", "caution"), (3, "2016-06-02", "caution")],
                  [(10**15, "2016-07-01", "2016-08-01", True), (4, "2016-07-01", "2016-08-01",
                                                                 True)])
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert cohort["person_id"].tolist() == [3, 10**15]
    assert cohort["reoffences"].tolist() == [0, 1]


# ---------------------------------------------------------------- duplicates change nothing

_EVENTS = random_events(np.random.default_rng(9), 60, 150, 600, messy=True)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, len(_EVENTS[0]) - 1), max_size=40),
       st.lists(st.integers(0, len(_EVENTS[1]) - 1), max_size=120))
def test_duplicating_rows_changes_nothing(disposal_rows, offence_rows):
    d, o = _EVENTS
    base = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")
    d2 = pd.concat([d, d.iloc[disposal_rows]], ignore_index=True)
    o2 = pd.concat([o, o.iloc[offence_rows]], ignore_index=True)
    got = ym.build_cohort(d2, o2, "2015-10-01", "2016-09-30")
    pd.testing.assert_frame_equal(got, base)


# ---------------------------------------------------------------- periods, series, warnings


def test_cohort_periods_and_warnings():
    periods = ym.cohort_periods("2015-01-01", "2016-06-30", months=3)
    assert periods["cohort"].tolist() == ["Jan-Mar 2015", "Apr-Jun 2015", "Jul-Sep 2015",
                                          "Oct-Dec 2015", "Jan-Mar 2016", "Apr-Jun 2016"]
    assert periods["period_end"].iloc[0] == pd.Timestamp("2015-03-31")
    assert periods["period_start"].iloc[3] == pd.Timestamp("2015-10-01")
    assert any("October 2015" in w for w in periods.attrs["warnings"])
    after = ym.cohort_periods("2016-01-01", "2016-12-31")
    assert after.attrs["warnings"] == []
    yearly = ym.cohort_periods("2013-10-01", "2014-09-30", months=12)
    assert yearly["cohort"].tolist() == ["Oct 2013 - Sep 2014"]
    assert yearly.attrs["warnings"] == []
    with pytest.raises(ValueError):
        ym.cohort_periods("2016-01-01", "2016-02-01", months=3)
    for months in (-3, 0):  # one range said for both, the range the rule holds
        with pytest.raises(ym.InputError, match="between 1 and 1,200"):
            ym.cohort_periods("2016-01-01", "2016-12-31", months=months)


def test_build_cohort_warnings_and_series():
    d, o = random_events(np.random.default_rng(4), 300, 800, 3000, messy=False)
    assert ym.build_cohort(d, o, "2014-10-01", "2015-09-30").attrs["warnings"] == []
    spans = ym.build_cohort(d, o, "2015-07-01", "2016-06-30").attrs["warnings"]
    assert any("spans 1 October 2015" in w for w in spans)
    odd = ym.build_cohort(d, o, "2016-01-01", "2016-02-15").attrs["warnings"]
    assert any("not a whole 3-month or 12-month" in w for w in odd)
    series = ym.build_cohort_series(
        d, o, [("2014-10-01", "2015-09-30"), ("2015-10-01", "2015-12-31")])
    assert list(series["cohort"].cat.categories) == ["Oct 2014 - Sep 2015", "Oct-Dec 2015"]
    assert any("mixes 12-month and 3-month" in w for w in series.attrs["warnings"])
    assert set(series.attrs["diagnostics"]) == {"Oct 2014 - Sep 2015", "Oct-Dec 2015"}
    quarter = ym.build_cohort(d, o, "2015-10-01", "2015-12-31")
    part = series[series["cohort"] == "Oct-Dec 2015"].drop(columns="cohort").reset_index(drop=True)
    pd.testing.assert_frame_equal(part, quarter, check_categorical=False)


def test_cohort_feeds_reoffending_rates():
    d, o = random_events(np.random.default_rng(6), 500, 1200, 5000, messy=False)
    cohort = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rates = ym.reoffending_rates(cohort, by="index_kind", previous_offences="previous_offences")
    assert rates["offenders"].sum() == len(cohort)
    assert rates["reoffenders"].sum() == int(cohort["reoffended"].sum())
    assert rates["reoffences"].sum() == int(cohort["reoffences"].sum())


def test_polars_and_arrow_date_types_and_nulls():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    d, o = frames([("a", "2016-03-10", "caution"), ("b", None, "caution")],
                  [("a", "2016-03-11", "2016-04-01", True), ("a", None, "2016-04-01", True),
                   ("b", "2016-03-11", "2016-04-01", None)])
    expected = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    for col in ("date",):
        d[col] = pd.to_datetime(d[col])
    for col in ("offence_date", "proven_date"):
        o[col] = pd.to_datetime(o[col])
    o["counts"] = o["counts"].astype("boolean")
    dd = pl.from_pandas(d).with_columns(pl.col("date").cast(pl.Date),
                                        pl.col("kind").cast(pl.Categorical))
    oo = pl.from_pandas(o).with_columns(pl.col("offence_date").cast(pl.Date),
                                        pl.col("proven_date").cast(pl.Date))
    arrow_d = pa.Table.from_pandas(d).cast(pa.schema([("person_id", pa.string()),
                                                      ("date", pa.date32()),
                                                      ("kind", pa.dictionary(pa.int8(),
                                                                             pa.string()))]))
    arrow_o = pa.Table.from_pandas(o).cast(pa.schema([("person_id", pa.string()),
                                                      ("offence_date", pa.date32()),
                                                      ("proven_date", pa.date32()),
                                                      ("counts", pa.bool_())]))
    for disposals, offences in ((dd, oo), (arrow_d, arrow_o)):
        got = ym.build_cohort(disposals, offences, "2016-01-01", "2016-12-31")
        assert got["person_id"].tolist() == expected["person_id"].tolist() == ["a"]
        assert got["reoffences"].tolist() == [1]
        assert got.attrs["diagnostics"]["disposals"]["missing_date"] == 1
        assert got.attrs["diagnostics"]["offences"]["missing_offence_date"] == 1
        assert got.attrs["diagnostics"]["offences"]["invalid_counts_flag"] == 1


def test_infinite_counts_flags_are_invalid_flags_like_any_other_non_truth_value():
    # counts is a flag: an infinity is set aside and counted as invalid_counts_flag, exactly as
    # 0.5 is, in every table kind (never read as "counts" or as a number of offences)
    pa = pytest.importorskip("pyarrow")
    disposals, offences = ym.datasets.synthetic_events(60, seed=5)
    as_float = offences.assign(counts=offences["counts"].astype(float))
    rows = as_float.index[[0, 7, 9]]
    results = {}
    for label, bad in (("half", [0.5, 0.5, 0.5]), ("infinite", [np.inf, -np.inf, np.inf])):
        data = as_float.copy()
        data.loc[rows, "counts"] = bad
        for kind, table in (("pandas", data),
                            ("pyarrow", pa.Table.from_pandas(data, preserve_index=False))):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                got = ym.build_cohort(disposals, table, "2014-01-01", "2014-12-31",
                                      max_set_aside=1.0)
            assert got.attrs["diagnostics"]["offences"]["invalid_counts_flag"] == 3, kind
            results[label, kind] = (got["reoffences"].tolist(), got.attrs["diagnostics"])
    assert len({repr(v) for v in results.values()}) == 1


@pytest.mark.parametrize("form", ["pandas ns", "dict ms", "pyarrow us chunked", "polars ms",
                                  "pyarrow date32"])
def test_dates_read_as_their_own_ticks_agree_with_day_numbers(form):
    # datetime64 and Arrow timestamp or date32 columns go to the builder as their own ticks (in
    # place where nothing is missing) and are floored to days there; a time late in the day must
    # still be that day, and missing dates (NaT, Arrow nulls) must be counted as before.
    pa = pytest.importorskip("pyarrow")
    d, o = random_events(np.random.default_rng(11), 300, 600, 3000)
    expected = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")
    late = pd.Timedelta(hours=23, minutes=59, seconds=59)
    dates = {"d": ["date"], "o": ["offence_date", "proven_date"]}
    frames_ = {"d": d.copy(), "o": o.copy()}
    for t, cols in dates.items():
        for c in cols:
            frames_[t][c] = frames_[t][c].astype("datetime64[ns]") + late
    before = {t: f.copy() for t, f in frames_.items()}
    if form == "pandas ns":
        dd, oo = frames_["d"], frames_["o"]
    elif form == "dict ms":
        dd, oo = ({c: (f[c].to_numpy().astype("datetime64[ms]") if c in dates[t]
                       else f[c].to_numpy()) for c in f.columns} for t, f in frames_.items())
    elif form.startswith("pyarrow"):
        tables = {}
        for t, f in frames_.items():
            table = pa.Table.from_pandas(f, preserve_index=False)
            for c in dates[t]:
                column = table.column(c).cast(pa.timestamp("us"))
                if form == "pyarrow date32":
                    column = pa.chunked_array([pa.array((f[c] - late).dt.date, pa.date32())])
                else:  # two chunks
                    half = len(column) // 2
                    column = pa.chunked_array([column.slice(0, half).combine_chunks(),
                                               column.slice(half).combine_chunks()])
                table = table.set_column(table.column_names.index(c), c, column)
            tables[t] = table
        dd, oo = tables["d"], tables["o"]
    else:
        pl = pytest.importorskip("polars")
        dd, oo = (pl.from_pandas(f).with_columns([pl.col(c).cast(pl.Datetime("ms"))
                                                  for c in dates[t]])
                  for t, f in frames_.items())
    got = ym.build_cohort(dd, oo, "2015-10-01", "2016-09-30")
    assert got["person_id"].tolist() == expected["person_id"].tolist()
    for col in ("index_date", "reoffences", "previous_offences", "follow_up_end",
                "days_to_first_reoffence"):
        assert got[col].tolist() == expected[col].tolist(), col
    assert got.attrs["diagnostics"] == expected.attrs["diagnostics"]
    for t, f in frames_.items():
        pd.testing.assert_frame_equal(f, before[t])


@pytest.mark.parametrize("form", ["str", "pyarrow", "polars"])
def test_string_kind_columns_read_by_the_grouper_agree_with_python_objects(form):
    # Kinds in any case, aliases, unknown words and missing kinds: the compiled path (Arrow
    # strings, no Python object per row) must code and count them exactly as the object path.
    rng = np.random.default_rng(21)
    d, o = random_events(rng, 300, 900, 4000, int_ids=True)
    words = np.array(["Caution", "COURT conviction", "referral order", "custody_release",
                      "remand", "Reprimand", None, "mystery", "caution "], dtype=object)
    d["kind"] = words[rng.integers(0, len(words), len(d))]
    expected = ym.build_cohort(d, o, "2015-10-01", "2016-09-30")
    if form == "str":
        dd = d.assign(kind=pd.Series(d["kind"], dtype="str"))
    elif form == "pyarrow":
        pa = pytest.importorskip("pyarrow")
        dd = pa.Table.from_pandas(d, preserve_index=False)
        column = dd.column("kind")
    else:
        pl = pytest.importorskip("polars")
        dd = pl.from_pandas(d)
        column = dd["kind"]
    if form == "str":
        column = dd["kind"]
    from yosmodel._utils.kinds import _arrow_words

    assert _arrow_words(column) is not None  # the compiled path is the one under test
    got = ym.build_cohort(dd, o, "2015-10-01", "2016-09-30")
    assert got["person_id"].tolist() == expected["person_id"].tolist()
    assert got["index_kind"].astype(str).tolist() == expected["index_kind"].astype(str).tolist()
    assert got["index_date"].tolist() == expected["index_date"].tolist()
    assert got.attrs["diagnostics"] == expected.attrs["diagnostics"]
    assert got.attrs["diagnostics"]["disposals"]["unknown_kind"] > 0


def test_large_inputs_agree_with_duckdb_and_across_threads():
    # Past 2^20 offence rows the bucketing stages into large (huge-page) slabs, and every
    # member's offences span several staging blocks: the answer must not change.
    duckdb = pytest.importorskip("duckdb")
    rng = np.random.default_rng(12)
    d, o = random_events(rng, 60_000, 90_000, 1_150_000, int_ids=True)
    one_thread = ym.build_cohort(d, o, "2015-10-01", "2016-09-30", threads=1)
    got = ym.build_cohort(d, o, "2015-10-01", "2016-09-30", threads=2)
    pd.testing.assert_frame_equal(got, one_thread)
    assert got.attrs["diagnostics"] == one_thread.attrs["diagnostics"]
    assert_agrees_with_duckdb(duckdb, d, o, got, at_least=10_000)


@pytest.mark.parametrize("unit", ["ns", "s", "D"])
def test_clean_and_messy_chunks_agree_with_pandas(unit):
    # Offence chunks (4096 rows) whose dates and flags all pass are staged by a fast path that
    # turns only members' dates into days; a chunk with any bad row is read the general way.
    # Here chunks 0, 1, 3 and 4 are clean and chunk 2 is messy, in every datetime unit.
    rng = np.random.default_rng(31)
    d, o = random_events(rng, 500, 1000, 20_000, int_ids=True, messy=False)
    messy = np.zeros(len(o), dtype=bool)
    messy[8192:12288] = rng.random(4096) < 0.1
    o.loc[messy, "proven_date"] = o.loc[messy, "offence_date"] - pd.Timedelta(days=3)
    o.loc[12000, "offence_date"] = pd.NaT
    expected = pandas_reference(d, o, "2015-10-01", "2016-09-30")
    if unit == "D":  # numpy datetime64[D] in a dict: day numbers read in place
        dd = {c: (d[c].to_numpy().astype("datetime64[D]") if c == "date" else d[c].to_numpy())
              for c in d.columns}
        oo = {c: (o[c].to_numpy().astype("datetime64[D]") if c.endswith("_date")
                  else o[c].to_numpy()) for c in o.columns}
    else:
        dd = d.assign(date=d["date"].astype(f"datetime64[{unit}]"))
        oo = o.assign(offence_date=o["offence_date"].astype(f"datetime64[{unit}]"),
                      proven_date=o["proven_date"].astype(f"datetime64[{unit}]"))
    got = ym.build_cohort(dd, oo, "2015-10-01", "2016-09-30")
    assert len(expected) > 100
    pd.testing.assert_frame_equal(normalised(got), normalised(expected), check_dtype=False)
    diagnostics = got.attrs["diagnostics"]["offences"]
    assert diagnostics["proven_before_committed"] == int(messy.sum())
    assert diagnostics["missing_offence_date"] == 1


def test_proven_earlier_on_the_same_day_is_in_order():
    # In ticks 09:00 is before 17:00, but the rule compares days: the offence is valid (a chunk
    # of such rows must leave the fast path and still be kept).
    d, o = frames([(1, "2016-01-10", "caution")],
                  [(1, "2016-03-01 17:00", "2016-03-01 09:00", True),
                   (1, "2016-04-01 08:00", "2016-04-02 07:00", False),
                   (1, "2015-12-01 23:59", "2015-12-02 00:00", True)])
    for col in ("offence_date", "proven_date"):
        o[col] = pd.to_datetime(o[col]).astype("datetime64[ns]")
    d["date"] = pd.to_datetime(d["date"])
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    row = one(cohort, 1)
    assert row["reoffences"] == 1
    assert row["days_to_first_reoffence"] == (pd.Timestamp("2016-03-01")
                                              - pd.Timestamp("2016-01-10")).days
    assert row["previous_offences"] == 1
    assert cohort.attrs["diagnostics"]["offences"]["proven_before_committed"] == 0
    assert cohort.attrs["diagnostics"]["offences"]["not_counting"] == 1


def test_dates_of_birth_no_age_can_come_from_are_missing_and_said():
    """A date of birth after the index date gave age_at_index -4, one in 1800 gave 216, and
    text that is no date gave <NA>, all silently; each is now a missing age, counted in one
    warning (and attrs["warnings"]) that never quotes the value."""
    d = pd.DataFrame({"person_id": [1, 2, 3, 4, 5], "date": ["2016-05-01"] * 5,
                      "kind": ["caution"] * 5,
                      "date_of_birth": ["2020-01-01", "SECRET", "1800-01-01", "2000-02-29",
                                        None]})
    o = pd.DataFrame({"person_id": [], "offence_date": [], "proven_date": []})
    with pytest.warns(UserWarning, match="date_of_birth: 1 not a date and 2 after") as said:
        cohort = ym.build_cohort(d, o, "2016-05-01", "2016-07-31")
    assert list(cohort["age_at_index"].astype("float").fillna(-1)) == [-1, -1, -1, 16, -1]
    assert cohort["juvenile"].tolist() == [pd.NA, pd.NA, pd.NA, True, pd.NA]
    assert not any("SECRET" in str(w.message) or "1800" in str(w.message) for w in said)
    assert any("date_of_birth" in w for w in cohort.attrs["warnings"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # plausible dates of birth: nothing said
        ym.build_cohort(d.iloc[3:4], o, "2016-05-01", "2016-07-31")


def test_cohort_series_says_what_its_periods_leave_out_or_count_twice():
    import warnings as _warnings

    with pytest.warns(UserWarning, match="the last 61 days before end fit no whole 5-month"):
        periods = ym.cohort_periods("2016-01-01", "2016-12-31", months=5)
    assert any("61 days" in w for w in periods.attrs["warnings"])
    with _warnings.catch_warnings():
        _warnings.simplefilter("error")
        ym.cohort_periods("2016-01-01", "2016-12-31", months=3)  # whole quarters: nothing said
    d = pd.DataFrame({"person_id": [1], "date": ["2016-02-01"], "kind": ["caution"]})
    o = pd.DataFrame({"person_id": [1], "offence_date": ["2016-03-01"],
                      "proven_date": ["2016-04-01"]})
    with pytest.raises(ValueError, match="periods repeats a cohort"):
        ym.build_cohort_series(d, o, [("2016-01-01", "2016-03-31")] * 2)
    with pytest.warns(UserWarning, match="periods overlap"):
        ym.build_cohort_series(d, o, [("2016-01-01", "2016-03-31"), ("2016-02-01", "2016-04-30")])
    with pytest.raises(TypeError, match="list of \\(start, end\\) pairs"):
        ym.build_cohort_series(d, o, "2016")


def test_an_unreadable_date_is_said_to_be_counted_among_the_missing_dates():
    d = pd.DataFrame({"person_id": ["a", "b", "c"], "date": ["2016-02-01", "not recorded", None],
                      "kind": ["court_conviction"] * 3})
    o = pd.DataFrame({"person_id": ["a"], "offence_date": ["2016-03-01"],
                      "proven_date": ["2016-04-01"]})
    with pytest.warns(ym.RecordsSetAsideWarning) as said:
        cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", max_set_aside=1)
    message = str(said[0].message)
    assert "missing_date 2 rows" in message
    assert "unparseable_date 1 row of 3 (33.3%): counted in missing_date too" in message
    assert cohort.attrs["diagnostics"]["disposals"]["missing_date"] == 2
    assert "not recorded" not in message


@pytest.mark.parametrize("as_categorical", [False, True])
def test_a_blank_kind_is_said_to_be_blank_not_unknown(as_categorical):
    kinds = pd.Series(["court_conviction", None, "Reprimnd", None, "caution"])
    d = pd.DataFrame({"person_id": ["a", "b", "c", "d", "e"], "date": ["2016-02-01"] * 5,
                      "kind": kinds.astype("category") if as_categorical else kinds})
    o = pd.DataFrame({"person_id": ["a"], "offence_date": ["2016-03-01"],
                      "proven_date": ["2016-04-01"]})
    with pytest.warns(ym.RecordsSetAsideWarning) as said:
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", max_set_aside=1)
    message = str(said[0].message)
    assert "unknown_kind 3 rows of 5" in message
    assert "2 rows with no kind; unknown kinds 'Reprimnd' (in 1 row" in message
