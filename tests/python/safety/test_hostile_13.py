"""Hostile inputs found in the thirteenth pass: each test failed before its fix."""

from __future__ import annotations

import pandas as pd
import pytest

import yosmodel as ym

# --- a dict of pandas Series is paired by index label, never silently by position ---------

def test_dict_of_series_in_another_order_is_paired_by_label():
    yjs = pd.Series(["A", "A", "B", "B"], index=[0, 1, 2, 3])
    reoffences = pd.Series([0, 0, 5, 5], index=[0, 1, 2, 3]).iloc[::-1]  # labels 3,2,1,0
    result = ym.reoffending_rates({"yjs": yjs, "reoffences": reoffences}, by="yjs")
    expected = pd.DataFrame({"yjs": yjs, "reoffences": reoffences}).groupby("yjs")[
        "reoffences"].sum()
    assert result["reoffences"].tolist() == expected.tolist() == [0, 10]
    assert reoffences.index.tolist() == [3, 2, 1, 0]  # the caller's Series is untouched


def test_dict_of_series_with_different_labels_is_refused_naming_the_columns():
    yjs = pd.Series(["A", "B"], index=[10, 11])
    reoffences = pd.Series([1, 2], index=[0, 1])
    with pytest.raises(ym.InputError, match="'yjs' and 'reoffences'.*different index"):
        ym.reoffending_rates({"yjs": yjs, "reoffences": reoffences}, by="yjs")


def test_dict_of_series_for_the_cohort_builder_is_paired_by_label():
    d = {"person_id": pd.Series(["p1", "p2"], index=[5, 6]),
         "date": pd.Series(pd.to_datetime(["2016-03-01", "2016-04-01"]), index=[6, 5]),
         "kind": pd.Series(["caution", "caution"], index=[5, 6])}
    o = {"person_id": ["p1"], "offence_date": pd.to_datetime(["2016-03-15"]),
         "proven_date": pd.to_datetime(["2016-05-01"])}
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    # p1's disposal is labelled 5: 2016-04-01, so the offence of 15 March is before it.
    assert cohort.set_index("person_id").loc["p1", "index_date"] == pd.Timestamp("2016-04-01")
    assert int(cohort["reoffences"].sum()) == 0


# --- year-first dates with slashes or dots are ISO order: read without a stated layout ------

def _one_person(dates):
    d = pd.DataFrame({"person_id": ["p1", "p2"], "date": dates, "kind": ["caution", "caution"]})
    o = pd.DataFrame({"person_id": ["p1"], "offence_date": ["2016-05-01"],
                      "proven_date": ["2016-06-01"]})
    return d, o


@pytest.mark.parametrize("dates", [["2016/03/01", "2016/04/01"], ["2016.03.01", "2016.04.01"],
                                   ["2016-3-1", "2016-4-1"]])
def test_year_first_dates_are_read_without_a_format(dates):
    cohort = ym.build_cohort(*_one_person(dates), "2016-01-01", "2016-12-31")
    assert cohort["index_date"].tolist() == [pd.Timestamp("2016-03-01"),
                                             pd.Timestamp("2016-04-01")]
    assert cohort["reoffences"].tolist() == [1, 0]


def test_year_first_dates_are_read_beside_a_stated_layout():
    cohort = ym.build_cohort(*_one_person(["2016/03/01", "01/04/2016"]), "2016-01-01",
                             "2016-12-31", dayfirst=True)
    assert cohort["index_date"].tolist() == [pd.Timestamp("2016-03-01"),
                                             pd.Timestamp("2016-04-01")]


def test_day_first_dates_without_a_layout_name_the_column_and_the_option():
    with pytest.raises(ValueError, match="date column 'date'.*dayfirst=True"):
        ym.build_cohort(*_one_person(["01/03/2016", "01/04/2016"]), "2016-01-01",
                        "2016-12-31")


# --- CSV header names: spaces and a byte-order mark around them are not part of the name ---

def test_csv_header_names_are_stripped(tmp_path):
    path = tmp_path / "cohort.csv"
    path.write_bytes("\ufeff yjs , reoffences\nA,1\nA,0\nB,2\n".encode())
    result = ym.reoffending_rates(str(path), by="yjs")
    assert result["yjs"].tolist() == ["A", "B"]
    assert result["reoffences"].tolist() == [1, 2]


def test_cli_reads_a_header_with_spaces(tmp_path, capsys):
    from yosmodel import cli

    path = tmp_path / "cohort.csv"
    path.write_text(" yjs ,reoffences \n" + "A,1\n" * 12 + "B,0\n" * 12)
    out = tmp_path / "rates.csv"
    assert cli.main(["rates", str(path), "--by", "yjs", "--out", str(out), "--quiet"]) == 0
    assert pd.read_csv(out)["yjs"].tolist() == ["A", "B", "All"]


def test_parquet_column_names_are_stripped(tmp_path):
    path = tmp_path / "cohort.parquet"
    pd.DataFrame({" yjs": ["A", "B"], "reoffences ": [1, 2]}).to_parquet(path)
    result = ym.reoffending_rates(str(path), by="yjs")
    assert result["reoffences"].tolist() == [1, 2]


@pytest.mark.parametrize("header", ["yjs, yjs,reoffences", "yjs,yjs,reoffences"])
def test_csv_header_names_that_clash_are_refused_naming_the_column(tmp_path, header):
    path = tmp_path / "cohort.csv"
    path.write_text(header + "\nA,B,1\n")
    with pytest.raises(ValueError, match="column 'yjs' more than once"):
        ym.reoffending_rates(str(path), by="yjs")


def test_inspection_csv_header_names_are_stripped(tmp_path):
    from yosmodel.inspection.model import _read_table

    path = tmp_path / "answers.csv"
    path.write_text("case_id , question_id\nc1,q1\n")
    assert list(_read_table(str(path), "answers").columns) == ["case_id", "question_id"]


# --- cohort --quiet --out: what the summary warns of is still said ---------------------------

def test_cohort_quiet_still_says_dates_of_birth_no_age_comes_from(tmp_path, capsys):
    from yosmodel import cli

    d = pd.DataFrame({"person_id": ["p1", "p2", "p3"],
                      "date": ["2016-03-01", "2016-04-01", "2016-05-01"],
                      "kind": ["caution"] * 3,
                      "date_of_birth": ["2001-01-01", "2030-01-01", "2000-02-02"]})
    o = pd.DataFrame({"person_id": ["p1"], "offence_date": ["2016-05-01"],
                      "proven_date": ["2016-06-01"]})
    d.to_csv(tmp_path / "d.csv", index=False)
    o.to_csv(tmp_path / "o.csv", index=False)
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.csv"), "--period",
                     "2016-01-01", "2016-12-31", "--out", str(out), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "date_of_birth" in err and "after the index date" in err
    assert "p2" not in err and "2030" not in err


# --- first time entrants and custody: kinds read as the cohort builder reads them, and the
# --- records set aside said out loud -----------------------------------------------------------

def _disposals(kinds):
    n = len(kinds)
    return pd.DataFrame({"person_id": [f"p{i}" for i in range(n)],
                         "date": pd.to_datetime(["2015-06-01"] * n),
                         "kind": kinds,
                         "date_of_birth": pd.to_datetime(["2001-01-01"] * n)})


def test_fte_reads_case_management_words_for_kinds():
    records = _disposals(["Youth Caution", "Referral Order ", "CAUTION", "Community Resolution"])
    with warnings_none():
        table = ym.first_time_entrants(records, 2015, history_start="2010-01-01")
    assert int(table["first_time_entrants"].iloc[0]) == 3
    assert table.attrs["diagnostics"]["unknown_kind"] == 0


def test_fte_unknown_kinds_are_warned_naming_the_word_and_the_count():
    records = _disposals(["caution", "Refferal Order", "Refferal Order", None])
    with pytest.warns(ym.RecordsSetAsideWarning, match="unknown_kind 3 rows") as caught:
        table = ym.first_time_entrants(records, 2015, history_start="2010-01-01")
    message = str(caught[0].message)
    assert "'Refferal Order' (in 2 rows (did you mean 'referral order'?))" in message
    assert "p1" not in message and "p2" not in message
    assert caught[0].message.counts == {"disposals.unknown_kind": 3}
    assert table.attrs["diagnostics"]["unknown_kind"] == 3
    assert int(table["first_time_entrants"].iloc[0]) == 1
    mapped = ym.first_time_entrants(records.dropna(), 2015, history_start="2010-01-01",
                                    kinds={"Refferal Order": "court_conviction"})
    assert int(mapped["first_time_entrants"].iloc[0]) == 3


def test_fte_other_set_aside_records_are_warned():
    records = _disposals(["caution", "caution", "caution"])
    records["date_of_birth"] = records["date_of_birth"].astype(object)
    records.loc[1, "date_of_birth"] = "not a date"
    records.loc[2, "date_of_birth"] = None
    with pytest.warns(ym.RecordsSetAsideWarning, match="missing_date_of_birth 2 rows"):
        ym.first_time_entrants(records, 2015, history_start="2010-01-01")


def test_custody_reads_case_management_words_and_warns_of_unknown_kinds():
    records = _disposals(["Detention and Training Order", "Referral Order", "Youth Caution",
                          "Custodial Sentense"])
    with pytest.warns(ym.RecordsSetAsideWarning, match="unknown_kind 1 row") as caught:
        table = ym.use_of_custody(records, 2015)
    assert "Custodial Sentense" in str(caught[0].message)
    assert int(table["custodial_sentences"].iloc[0]) == 1
    assert int(table["court_sentences"].iloc[0]) == 2
    assert table.attrs["diagnostics"]["unknown_kind"] == 1


def test_custody_counts_dates_of_birth_that_are_not_dates():
    records = _disposals(["custody_sentence", "court_conviction"])
    records["date_of_birth"] = ["2001-01-01", "yesterday"]
    with pytest.warns(ym.RecordsSetAsideWarning, match="unparseable_date_of_birth 1 row"):
        table = ym.use_of_custody(records, 2015)
    assert table.attrs["diagnostics"]["unparseable_date_of_birth"] == 1


class warnings_none:
    """No RecordsSetAsideWarning inside the block."""

    def __enter__(self):
        import warnings

        self._catch = warnings.catch_warnings(record=True)
        self._caught = self._catch.__enter__()
        warnings.simplefilter("always")
        return self

    def __exit__(self, *exc):
        self._catch.__exit__(*exc)
        said = [w for w in self._caught if issubclass(w.category, ym.RecordsSetAsideWarning)]
        assert not said, [str(w.message) for w in said]


# --- Arrow keys the compiled grouper does not encode, and decimal counts ------------------------

def _arrow_keys():
    import datetime as dt
    import decimal

    import pyarrow as pa

    return {
        "decimal": pa.array([decimal.Decimal(1), decimal.Decimal(2), decimal.Decimal(1)],
                            pa.decimal128(10, 0)),
        "duration": pa.array([1, 2, 1], pa.duration("s")),
        "time": pa.array([dt.time(1), dt.time(2), dt.time(1)], pa.time64("us")),
        "binary": pa.array([b"a", b"b", b"a"]),
    }


@pytest.mark.parametrize("kind", ["decimal", "duration", "time", "binary"])
def test_arrow_keys_of_other_types_group_as_pandas_groups_them(kind):
    import pyarrow as pa

    keys = _arrow_keys()[kind]
    table = pa.table({"k": keys, "reoffences": pa.array([1, 0, 2])})
    result = ym.reoffending_rates(table, by="k")
    expected = table.to_pandas().groupby("k")["reoffences"].agg(["size", "sum"])
    assert result["k"].tolist() == expected.index.tolist()
    assert result["offenders"].tolist() == expected["size"].tolist() == [2, 1]
    assert result["reoffences"].tolist() == expected["sum"].tolist() == [3, 0]
    polars = pytest.importorskip("polars")
    if kind in ("decimal", "duration", "time"):
        frame = polars.from_arrow(table)
        assert ym.reoffending_rates(frame, by="k")["reoffences"].tolist() == [3, 0]


def test_arrow_nested_keys_are_refused_naming_the_column():
    import pyarrow as pa

    table = pa.table({"k": pa.array([[1], [2]]), "reoffences": pa.array([1, 0])})
    with pytest.raises(ym.DtypeError, match="grouping column 'k'.*cannot be grouped"):
        ym.reoffending_rates(table, by="k")


def test_decimal_counts_from_a_database_sum_are_counts():
    import decimal

    import pyarrow as pa

    whole = pa.array([decimal.Decimal(1), decimal.Decimal(0), decimal.Decimal(2)],
                     pa.decimal128(38, 0))
    table = pa.table({"k": ["a", "b", "a"], "reoffences": whole})
    assert ym.reoffending_rates(table, by="k")["reoffences"].tolist() == [3, 0]
    frame = pd.DataFrame({"k": ["a", "b", "a"],
                          "reoffences": pd.Series(whole.to_pylist(),
                                                  dtype=pd.ArrowDtype(whole.type))})
    assert ym.reoffending_rates(frame, by="k")["reoffences"].tolist() == [3, 0]
    fractions = pa.array([decimal.Decimal("1.5"), decimal.Decimal(0), decimal.Decimal(2)],
                         pa.decimal128(5, 1))
    with pytest.raises(ym.InputError, match="'reoffences': 1 row not whole"):
        ym.reoffending_rates(pa.table({"k": ["a", "b", "a"], "reoffences": fractions}), by="k")


@pytest.mark.parametrize("source", ["pandas", "pyarrow"])
def test_missing_truth_value_counts_are_said_missing(source):
    import pyarrow as pa

    flags = [True, None, False]
    data = pa.table({"k": ["a", "b", "a"], "reoffences": pa.array(flags)}) if source == \
        "pyarrow" else pd.DataFrame({"k": ["a", "b", "a"],
                                     "reoffences": pd.array(flags, dtype="boolean")})
    with pytest.raises(ym.InputError, match="'reoffences': 1 row missing"):
        ym.reoffending_rates(data, by="k")


def test_parquet_with_a_stored_pandas_index_still_reads(tmp_path):
    path = tmp_path / "cohort.parquet"
    pd.DataFrame({" yjs": ["A", "B", "A"], "reoffences": [1, 0, 2]},
                 index=[10, 20, 30]).to_parquet(path)  # __index_level_0__ in the file
    result = ym.reoffending_rates(str(path), by="yjs")
    assert result["offenders"].tolist() == [2, 1]
