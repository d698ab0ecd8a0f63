"""Person ids of numbers in one table and text in the other can never match: refused with a
message naming the column (never an id), where they used to give every person 0 reoffences.
Ids that differ only in width, nullability or layout still match."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel import DtypeError

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

DISPOSALS = {"date": ["2014-01-05", "2014-02-01"], "kind": ["Youth Caution", "Referral Order"]}
OFFENCES = {"offence_date": ["2014-03-01"], "proven_date": ["2014-04-01"]}


def tables(disposal_ids, offence_ids):
    return (pd.DataFrame({"person_id": disposal_ids, **DISPOSALS}),
            pd.DataFrame({"person_id": offence_ids, **OFFENCES}))


@pytest.mark.parametrize("convert", ["pandas", "pyarrow", "polars", "dict"])
@pytest.mark.parametrize("disposal_ids, offence_ids", [
    ([1, 2], ["1"]), (["1", "2"], [1]), (["SECRET1", "SECRET2"], [1]),
    (pd.array([1, 2], dtype="Int64"), pd.Series(["1"], dtype="string"))])
def test_numbers_against_text_are_refused_naming_the_column(convert, disposal_ids, offence_ids):
    d, o = tables(disposal_ids, offence_ids)
    to = {"pandas": lambda f: f, "pyarrow": pa.Table.from_pandas, "polars": pl.from_pandas,
          "dict": lambda f: {c: f[c].to_numpy() for c in f.columns}}[convert]
    with pytest.raises(DtypeError, match="'person_id' holds .* in disposals but .* in offences")\
            as raised:
        ym.build_cohort(to(d), to(o), "2013-10-01", "2014-09-30")
    assert "SECRET" not in str(raised.value) and "'1'" not in str(raised.value)


@pytest.mark.parametrize("disposal_ids, offence_ids", [
    ([1, 2], [1.0]), ([1, 2], np.array([1], dtype=np.uint8)),
    (pd.array([1, 2], dtype="Int64"), [1]), (["1", "2"], pd.Categorical(["1"])),
    (["1", "2"], pd.Series(["1"], dtype="string[pyarrow]")),
    (pd.Categorical([1, 2]), [1])])
def test_ids_of_the_same_family_still_match(disposal_ids, offence_ids):
    d, o = tables(disposal_ids, offence_ids)
    got = ym.build_cohort(d, o, "2013-10-01", "2014-09-30")
    assert got["reoffences"].tolist() == [1, 0]


def test_an_empty_table_has_no_type_to_disagree_with():
    d, o = tables([1, 2], ["1"])
    got = ym.build_cohort(d, o.iloc[:0], "2013-10-01", "2014-09-30")
    assert got["reoffences"].tolist() == [0, 0]


def _blank_id_tables(source):
    d = pd.DataFrame({"person_id": ["a", "  ", "c", ""],
                      "date": ["2016-02-01", "2016-03-01", "2016-04-01", "2016-05-01"],
                      "kind": ["caution"] * 4})
    o = pd.DataFrame({"person_id": ["a", "", " "],
                      "offence_date": ["2016-03-01", "2016-04-01", "2016-06-01"],
                      "proven_date": ["2016-05-01", "2016-06-01", "2016-07-01"]})
    if source == "string":
        return d.astype({"person_id": "string"}), o.astype({"person_id": "string"})
    if source == "pyarrow":
        return pa.Table.from_pandas(d), pa.Table.from_pandas(o)
    if source == "polars":
        return pl.from_pandas(d), pl.from_pandas(o)
    if source == "dict":
        return ({c: d[c].to_numpy() for c in d}, {c: o[c].to_numpy() for c in o})
    # Held as a dictionary (a Parquet read, a categorical): a blank is one of its words.
    if source == "categorical":
        return d.astype({"person_id": "category"}), o.astype({"person_id": "category"})
    if source == "polars categorical":
        return tuple(pl.from_pandas(f).with_columns(pl.col("person_id").cast(pl.Categorical))
                     for f in (d, o))
    if source == "pyarrow dictionary":
        # two chunks with dictionaries of their own, the blank word at another index in each
        def chunked(ids):
            return pa.chunked_array([pa.array(ids[:2]).dictionary_encode(),
                                     pa.array(ids[2:][::-1]).dictionary_encode().take(
                                         pa.array(range(len(ids) - 3, -1, -1)))])
        return tuple(pa.Table.from_pandas(f, preserve_index=False).set_column(
            0, "person_id", chunked(f["person_id"].tolist())) for f in (d, o))
    return d, o


@pytest.mark.parametrize("source", ["pandas", "string", "pyarrow", "polars", "dict",
                                    "categorical", "polars categorical", "pyarrow dictionary"])
def test_empty_and_blank_text_ids_are_missing_ids_not_one_person(source):
    d, o = _blank_id_tables(source)
    with pytest.warns(ym.RecordsSetAsideWarning,
                      match="disposals.missing_person_id 2 rows.*offences.missing_person_id 2"):
        cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", max_set_aside=1)
    assert cohort["person_id"].tolist() == ["a", "c"]
    assert cohort["reoffences"].tolist() == [1, 0]
    if source == "pandas":
        assert d["person_id"].tolist() == ["a", "  ", "c", ""]  # the caller's table untouched


@pytest.mark.parametrize("ids", ["object", "category"])
def test_blank_ids_in_the_measures_are_missing_ids(ids):
    d = pd.DataFrame({"person_id": pd.Series(["a", "", None, " ", "b"], dtype=ids),
                      "date": pd.to_datetime(["2015-06-01"] * 5),
                      "kind": ["custody_sentence"] * 5,
                      "date_of_birth": pd.to_datetime(["2001-01-01"] * 5)})
    with pytest.warns(ym.RecordsSetAsideWarning, match="missing_person_id 3 rows"):
        fte = ym.first_time_entrants(d, 2015, history_start="2000-01-01")
    assert fte["first_time_entrants"].tolist() == [2]
    with pytest.warns(ym.RecordsSetAsideWarning, match="missing_person_id 3 rows"):
        custody = ym.use_of_custody(d, 2015)
    assert custody["custodial_sentences"].tolist() == [2]
    assert custody.attrs["diagnostics"]["missing_person_id"] == 3


def test_blank_ids_found_in_every_arrow_layout():
    # Several chunks, a sliced chunk (an offset into its buffers), a Unicode space (U+00A0) and
    # ids that begin with a byte of a multi-byte character: only the blank ones are missing.
    ids = pa.chunked_array([pa.array(["x", "a", "\u00a0"])[1:], pa.array(["\u00e9", "", "c"])])
    d = pa.table({"person_id": ids,
                  "date": pa.array(["2016-02-01", "2016-03-01", "2016-04-01", "2016-05-01",
                                    "2016-06-01"]),
                  "kind": pa.array(["caution"] * 5)})
    o = pa.table({"person_id": pa.array(["a", "\u00e9", "\t "]),
                  "offence_date": pa.array(["2016-03-01", "2016-07-01", "2016-08-01"]),
                  "proven_date": pa.array(["2016-05-01", "2016-08-01", "2016-09-01"])})
    with pytest.warns(ym.RecordsSetAsideWarning,
                      match="disposals.missing_person_id 2 rows.*offences.missing_person_id 1"):
        cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", max_set_aside=1)
    assert cohort["person_id"].tolist() == ["a", "c", "\u00e9"]
    assert cohort["reoffences"].tolist() == [1, 0, 1]


def _blank_reference(values):
    return [v is not None and v.strip() == "" for v in values]


@pytest.mark.parametrize("layout", ["string", "large_string", "string_view", "chunked"])
def test_blank_text_agrees_with_python_strip_for_every_white_space_character(layout):
    # Every character str.isspace calls white space (U+001C-U+001F and U+0085 among them, which
    # the first-byte shortcut must not skip), each alone and beside a letter, mixed runs,
    # characters that share a lead byte with white space (U+00A1, U+2010, U+3001), a null,
    # and ids of every length either side of the 12 and 16 bytes the keys pack.
    from yosmodel._core import reoffending as _grouper

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    values = spaces + [s + "a" for s in spaces] + ["a" + s for s in spaces] + [
        "".join(spaces), " \u3000\t", "", None, "\u00a1", "\u2010", "\u3001", "\u00a0\u00a1",
        " " * 13, " " * 17, " " * 16 + "x", "P0001234", "é", "\u00e9 "]
    arrays = {"string": lambda: pa.array(values, pa.string()),
              "large_string": lambda: pa.array(values, pa.large_string()),
              "string_view": lambda: pa.array(values, pa.string_view()),
              "chunked": lambda: pa.chunked_array([pa.array(values[:7]), pa.array(values[7:])[0:],
                                                   pa.array(["x"] + values)[1:]])}
    column = arrays[layout]()
    expected = _blank_reference(column.to_pylist())
    rows = _grouper.blank_text_rows("person_id", column, threads=2)
    assert [bool(b) for b in np.isin(np.arange(len(column)), rows)] == expected


def test_blank_text_rows_refuses_other_types_by_name():
    from yosmodel._core import reoffending as _grouper

    with pytest.raises(TypeError, match="column 'person_id' is not a text column"):
        _grouper.blank_text_rows("person_id", pa.array([1, 2]))
