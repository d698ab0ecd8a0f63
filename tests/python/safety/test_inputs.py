"""The Python API takes what the command line takes (CSV and Parquet paths) and the lazy and
streaming tables analysts hold (polars LazyFrames, pyarrow RecordBatchReaders, DuckDB
relations); anything else gets a one-line error naming what is accepted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

from .reference_cohort import comparable


def records():
    d = pd.DataFrame({"person_id": ["a", "b", "c", "a"],
                      "date": pd.to_datetime(["2016-02-01", "2016-03-05", "2016-07-01",
                                              "2016-04-01"]),
                      "kind": ["caution", "court_conviction", "caution", "remand"],
                      "yjs": ["S1", "S2", "S1", "S1"]})
    o = pd.DataFrame({"person_id": ["a", "b", "b"],
                      "offence_date": pd.to_datetime(["2016-05-01", "2016-04-01", "2015-01-01"]),
                      "proven_date": pd.to_datetime(["2016-06-01", "2016-05-01", "2015-02-01"]),
                      "counts": [True, True, True]})
    return d, o


def expected():
    return comparable(ym.build_cohort(*records(), "2016-01-01", "2016-12-31"))


def cohort_table():
    rng = np.random.default_rng(4)
    return pd.DataFrame({"yjs": rng.choice(["S1", "S2", "S3"], 300),
                         "reoffences": rng.integers(0, 4, 300)})


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_paths(tmp_path, suffix):
    d, o = records()
    paths = []
    for name, frame in (("d", d), ("o", o)):
        path = tmp_path / f"{name}{suffix}"
        frame.to_csv(path, index=False) if suffix == ".csv" else frame.to_parquet(path)
        paths.append(path)
    got = ym.build_cohort(paths[0], str(paths[1]), "2016-01-01", "2016-12-31")
    pd.testing.assert_frame_equal(comparable(got), expected())
    table = cohort_table()
    path = tmp_path / f"cohort{suffix}"
    table.to_csv(path, index=False) if suffix == ".csv" else table.to_parquet(path)
    pd.testing.assert_frame_equal(ym.reoffending_rates(path, by="yjs"),
                                  ym.reoffending_rates(table, by="yjs"), check_dtype=False)


def test_polars_lazy_frames():
    pl = pytest.importorskip("polars")
    d, o = records()
    got = ym.build_cohort(pl.from_pandas(d).lazy(), pl.from_pandas(o).lazy(), "2016-01-01",
                          "2016-12-31")
    pd.testing.assert_frame_equal(comparable(got), expected())
    table = cohort_table()
    pd.testing.assert_frame_equal(ym.reoffending_rates(pl.from_pandas(table).lazy(), by="yjs"),
                                  ym.reoffending_rates(table, by="yjs"), check_dtype=False)


def test_arrow_record_batch_readers():
    pa = pytest.importorskip("pyarrow")
    d, o = records()

    def reader(frame):
        table = pa.Table.from_pandas(frame, preserve_index=False)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=2))
    got = ym.build_cohort(reader(d), reader(o), "2016-01-01", "2016-12-31")
    pd.testing.assert_frame_equal(comparable(got), expected())
    table = cohort_table()
    pd.testing.assert_frame_equal(ym.reoffending_rates(reader(table), by="yjs"),
                                  ym.reoffending_rates(table, by="yjs"), check_dtype=False)


def test_duckdb_relations():
    duckdb = pytest.importorskip("duckdb")
    d, o = records()
    con = duckdb.connect()
    con.register("d", d)
    con.register("o", o)
    got = ym.build_cohort(con.sql("select * from d"), con.sql("select * from o"),
                          "2016-01-01", "2016-12-31")
    pd.testing.assert_frame_equal(comparable(got), expected())
    table = cohort_table()
    con.register("c", table)
    pd.testing.assert_frame_equal(ym.reoffending_rates(con.sql("select * from c"), by="yjs"),
                                  ym.reoffending_rates(table, by="yjs"), check_dtype=False)


@pytest.mark.parametrize("bad", [[1, 2, 3], 42, "no-such-file.csv", object()])
def test_anything_else_gets_one_line_naming_what_is_accepted(bad):
    for call in (lambda: ym.reoffending_rates(bad, by="yjs"),
                 lambda: ym.build_cohort(bad, records()[1], "2016-01-01", "2016-12-31")):
        with pytest.raises((TypeError, ValueError, FileNotFoundError)) as error:
            call()
        message = str(error.value)
        assert "\n" not in message
        if not isinstance(bad, str):
            assert "pandas" in message and "polars" in message and "Parquet" in message


def test_text_with_no_utf8_form_is_refused_naming_the_column_only():
    # A lone surrogate (surrogateescape decoding, a broken \u escape) in a key or a person id:
    # pandas and pyarrow would quote the character and its position, part of the value.
    bad = "Bury\udc80x"
    keyed = pd.DataFrame({"yjs": pd.Series(["Leeds", bad], dtype=object), "reoffences": [0, 1]})
    with pytest.raises(ValueError, match="grouping column 'yjs': a value is not valid text") as e:
        ym.reoffending_rates(keyed, by="yjs")
    assert "\udc80" not in str(e.value) and "Bury" not in str(e.value)
    d, o = records()
    d = d.assign(person_id=pd.Series(["a", "b\udc80", "c", "a"], dtype=object))
    with pytest.raises(ValueError, match="column 'person_id': a value is not valid text") as e:
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert "\udc80" not in str(e.value)


def test_carried_and_offence_columns_that_cannot_be_hashed_name_the_column_only():
    """The other columns tell duplicate rows apart: a lone surrogate there raised pandas'
    UnicodeEncodeError quoting the character and its position, a list or dict a bare
    'unhashable type'."""
    d, o = records()
    for column, values, error in (("note", ["x", "SECRET\udc80", "y", "z"], ValueError),
                                  ("note", ["x", {"SECRET": 1}, "y", [2]], ym.DtypeError)):
        with pytest.raises(error, match=f"column '{column}'") as e:
            ym.build_cohort(d.assign(**{column: pd.Series(values, dtype=object)}), o,
                            "2016-01-01", "2016-12-31")
        assert "SECRET" not in str(e.value) and "\udc80" not in str(e.value)
