"""A hostile privacy tester's cases: tables changed after disclosure control, identifiers under
other names, and values echoed by errors on the way to a publication. Each test says what
leaked before its fix."""

from __future__ import annotations

import pandas as pd
import pytest

import yosmodel as ym

from .conftest import run_cli


def _cohort() -> pd.DataFrame:
    """30 children in service A, 3 in service B: B's counts are small."""
    return pd.DataFrame({"yjs": ["A"] * 30 + ["B"] * 3, "reoffences": [0, 1, 2] * 11})


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    raw = ym.reoffending_rates(_cohort(), by="yjs", margins=True)
    return raw, ym.suppress(raw, by="yjs")


def _publishers():
    def workbook(table, tmp_path):
        return ym.to_excel({"t": table}, tmp_path / "t.xlsx")

    def published(table, tmp_path):
        return ym.to_published(table)

    return [published, workbook]


@pytest.mark.parametrize("publish", _publishers(), ids=["to_published", "to_excel"])
def test_a_column_added_after_suppression_is_not_published(publish, tmp_path):
    """Before: ``safe["n"] = raw["offenders"]`` was published as it was, B's 3 children and
    all, beside the withheld counts (to_published and to_excel rendered every column)."""
    raw, safe = _tables()
    safe = safe.copy()
    safe["n"] = raw["offenders"]
    with pytest.raises(ValueError, match="'n'.*added") as error:
        publish(safe, tmp_path)
    assert "3" not in str(error.value)


@pytest.mark.parametrize("publish", _publishers(), ids=["to_published", "to_excel"])
def test_a_row_appended_after_suppression_is_not_published(publish, tmp_path):
    """Before: a raw row appended to the suppressed table (``safe.loc[9] = raw.loc[0]``) was
    published: service A's 30 offenders beside the total 33 gave B's withheld 3 back."""
    raw, safe = _tables()
    safe = safe.copy()
    safe.loc[9] = raw.loc[0]
    with pytest.raises(ValueError, match="more rows") as error:
        publish(safe, tmp_path)
    assert "30" not in str(error.value)


@pytest.mark.parametrize("publish", _publishers(), ids=["to_published", "to_excel"])
def test_rows_relabelled_and_filled_after_suppression_are_not_published(publish, tmp_path):
    """Before: sorting and ``reset_index(drop=True)`` moved the record's withheld cells onto
    other rows; filling the table from the raw one sorted the same way then published service
    A's 30 offenders (and B's 3 under a withheld mark's old label went unmarked)."""
    raw, safe = _tables()
    order = dict(by="yjs", ascending=False)
    moved = safe.sort_values(**order).reset_index(drop=True)
    filled = moved.fillna(raw.sort_values(**order).reset_index(drop=True))
    with pytest.raises(ValueError, match="changed after") as error:
        publish(filled, tmp_path)
    assert "30" not in str(error.value)


def test_a_small_count_under_a_new_label_is_not_published():
    """Before: a small count moved to a row label the record does not name (``set_index``
    then a count put back) was rendered as it was: the record's cells are found by label."""
    raw, safe = _tables()
    moved = safe.set_index(pd.Index([10, 11, 12]))
    moved.loc[11, "offenders"] = 3
    with pytest.raises(ValueError, match="below the threshold") as error:
        ym.to_published(moved)
    assert not any(c.isdigit() for c in str(error.value).replace("(10)", ""))


def test_a_chart_of_a_table_changed_after_suppression_is_refused():
    """Before: charted_rows took any table with a disclosure record as it was, so a raw count
    column added after suppression reached a chart."""
    raw, safe = _tables()
    safe = safe.copy()
    safe["n"] = raw["offenders"]
    with pytest.raises(ValueError, match="'n'.*added"):
        ym.disclosure.charted_rows(safe, "yjs", ["offenders"])


def test_a_suppressed_table_sliced_is_still_published():
    """Slicing rows (or keeping a few columns) after suppression reveals nothing and stays
    allowed: the withheld cells keep their labels."""
    _, safe = _tables()
    out = ym.to_published(safe.iloc[1:][["yjs", "offenders", "reoffenders"]])
    assert out["offenders"].tolist() == ["~", "33"]


@pytest.mark.parametrize("name", ["PNC", "PNC Number", "Child Ref", "case_ref", "NHS Number"])
def test_identifiers_under_the_names_extracts_give_them_are_refused(name):
    """Before: a table grouped by a police extract's "PNC" (or "PNC Number", a case system's
    "Child Ref" or "Case Ref", a health extract's "NHS Number") was suppressed and published
    with a row per child labelled with the child's identifier."""
    people = pd.DataFrame({name: ["SENTINEL-PNC-1", "SENTINEL-PNC-2"] * 6,
                           "reoffences": [0, 1] * 6})
    table = ym.reoffending_rates(people, by=name, margins=True)
    with pytest.raises(ValueError, match="identifies a child") as error:
        ym.suppress(table, by=name)
    assert "SENTINEL" not in str(error.value)


def test_the_command_line_refuses_a_pnc_grouping(tmp_path):
    """Before: ``yosmodel rates people.csv --by pnc`` printed every child's PNC number as a row
    label (with --no-disclosure-control, their counts too)."""
    path = tmp_path / "people.csv"
    path.write_text("pnc,reoffences\nSENTINEL-PNC-1,1\nSENTINEL-PNC-2,0\n")
    result = run_cli("rates", path, "--by", "pnc", "--no-disclosure-control", "--quiet")
    assert result.returncode == 2
    assert "identifies a child" in result.stderr
    assert "SENTINEL" not in result.stdout + result.stderr


def test_a_rate_chart_without_its_counts_is_refused():
    """Before: ``ym.plot.rates(table[["yjs", "binary_rate"]])`` drew service B's rate, from 3
    children (two of them reoffenders), as a bar: with no count column nothing was
    controlled."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    raw = ym.reoffending_rates(_cohort(), by="yjs")
    with pytest.raises(ValueError, match="'binary_rate'.*counts"):
        ym.plot.rates(raw[["yjs", "binary_rate"]], by="yjs")
    # Suppressed first, then sliced: its withheld rates are missing, and it is drawn.
    safe = ym.suppress(ym.reoffending_rates(_cohort(), by="yjs", margins=True), by="yjs")
    ym.plot.rates(safe[["yjs", "binary_rate"]], by="yjs")
    plt.close("all")


def test_a_small_inspection_subgroup_is_not_charted():
    """Before: ``ym.plot.data_summary(insp, theme, where={"sentence_type": "custody"})`` drew
    the 8 custody cases' bars on an axis running to 8, every bar reaching it: the group's size,
    a count of children below the threshold, was published."""
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    insp = ym.datasets.lewisham_2016()
    assert (insp.cases["sentence_type"] == "custody").sum() < 10
    theme = next(t for t in insp.framework.themes if t.scored)
    ax = ym.plot.data_summary(insp, theme.id, where={"sentence_type": "custody"})
    shown = " ".join(t.get_text() for t in ax.texts)
    assert "withheld" in shown and not ax.patches and not ax.axison
    assert not any(c.isdigit() for c in shown)
    plt.close("all")
    # Turned off explicitly, the group is drawn with its size.
    ax = ym.plot.data_summary(insp, theme.id, where={"sentence_type": "custody"},
                              disclosure=None)
    assert ax.get_xlim()[1] == (insp.cases["sentence_type"] == "custody").sum()
    plt.close("all")


def _chain(error):
    """Every text an exception and its chain carry, as the sentinel tests read them: a
    ``raise ... from None`` hides the context from a printed traceback, not from the object
    (``__context__``), which error reporters and loggers can still walk."""
    out, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        out += [str(error), repr(error), *map(str, error.args)]
        error = error.__cause__ or error.__context__
    return " ".join(out)


SENTINEL = "SENTINEL-CHILD-4471"


def _inspection_document():
    from yosmodel.inspection import Inspection

    insp = ym.datasets.lewisham_2016()
    return Inspection, insp.to_dict()


def test_an_inspection_file_not_utf8_carries_none_of_its_bytes(tmp_path):
    """Before: the ValueError for a file that is not UTF-8 was raised inside the except block,
    so its ``__context__`` was the UnicodeDecodeError, whose args hold the file's bytes: every
    case id, attribute and answer in it."""
    import json

    Inspection, document = _inspection_document()
    document["cases"][0]["case_id"] = SENTINEL
    for answer in document["answers"]:
        if answer[0] == "L01":
            answer[0] = SENTINEL
    path = tmp_path / "inspection.json"
    path.write_bytes(json.dumps(document).encode("utf-8") + b"\xff")
    with pytest.raises(ValueError, match="not UTF-8") as error:
        Inspection.from_json(path)
    assert SENTINEL not in _chain(error.value)


def test_a_case_attribute_of_the_wrong_type_is_not_in_the_error_chain():
    """Before: a case attribute that does not read as its recorded type (an age recorded as
    int64 holding text) raised a clean message, but inside the except block: its context was
    pandas' "invalid literal for int() with base 10: '<the value>'"."""
    Inspection, document = _inspection_document()
    document["case_dtypes"] = {**document.get("case_dtypes", {}), "age": "int64"}
    for case in document["cases"]:
        case["age"] = 15
    document["cases"][0]["age"] = SENTINEL
    with pytest.raises(ValueError, match="'age' cannot be read as int64") as error:
        Inspection.from_dict(document)
    assert SENTINEL not in _chain(error.value)


def test_a_cohort_file_not_utf8_carries_none_of_its_bytes(tmp_path):
    """Before: ``ym.reoffending_rates("cohort.csv", ...)`` on a file that is not UTF-8 raised a
    clean message inside the except block: its ``__context__`` was the UnicodeDecodeError whose
    args hold the bytes read, the children's ids among them."""
    path = tmp_path / "cohort.csv"
    path.write_bytes(f"person_id,yjs,reoffences\n{SENTINEL},A,1\nP2,B,0\n".encode() + b"\xff\n")
    with pytest.raises(ValueError, match="not UTF-8") as error:
        ym.reoffending_rates(path, by="yjs")
    assert SENTINEL not in _chain(error.value)


def test_an_inspection_cases_file_not_utf8_carries_none_of_its_bytes(tmp_path):
    """Before: an inspection's cases CSV that is not UTF-8 raised InputError inside the except
    block, its ``__context__`` the UnicodeDecodeError holding the file's bytes (case ids)."""
    from yosmodel.inspection import Inspection

    cases = tmp_path / "cases.csv"
    cases.write_bytes(f"case_id,sex\n{SENTINEL},female\n".encode() + b"L2,m\xffle\n")
    answers = tmp_path / "answers.csv"
    answers.write_text(f"case_id,question_id,answer\n{SENTINEL},rr_assessment,yes\n")
    with pytest.raises(ValueError, match="not UTF-8") as error:
        Inspection.from_answers(answers, cases)
    assert SENTINEL not in _chain(error.value)


def test_a_workbook_value_excel_cannot_hold_is_not_in_the_error_chain(tmp_path):
    """Before: a text cell with a control character (a pasted note) was refused with a message
    naming the column, raised inside the except block: the chain held openpyxl's
    IllegalCharacterError, which quotes the whole value."""
    people = _cohort()
    raw = ym.reoffending_rates(people, by="yjs", margins=True)
    raw["note"] = [f"{SENTINEL}\x01", "", ""]
    safe = ym.suppress(raw, by="yjs")
    with pytest.raises(ValueError, match="'note' holds control characters") as error:
        ym.to_excel({"t": safe}, tmp_path / "t.xlsx")
    assert SENTINEL not in _chain(error.value)


BROKEN = f"{SENTINEL}\ud800"  # a lone surrogate: text with no UTF-8 form (a bad decode)


def _object_column(*values):
    return pd.Series(list(values), dtype=object)


@pytest.mark.parametrize("call", [
    lambda: ym.build_cohort(
        pd.DataFrame({"person_id": _object_column(BROKEN, "P2"), "date": ["2016-02-01"] * 2,
                      "kind": ["caution"] * 2}),
        pd.DataFrame({"person_id": ["P2"], "offence_date": ["2016-05-01"],
                      "proven_date": ["2016-06-01"]}),
        "2016-01-01", "2016-12-31"),
    lambda: ym.reoffending_rates(
        pd.DataFrame({"yjs": _object_column(BROKEN, "A"), "reoffences": [1, 0]}), by="yjs"),
], ids=["build_cohort person_id", "reoffending_rates by"])
def test_a_value_with_no_utf8_form_is_not_in_the_error_chain(call):
    """Before: text_column turned the UnicodeEncodeError into a message naming the column, but
    raised it inside the except block, so ``__context__`` was the UnicodeEncodeError, whose
    args hold the whole value: the child's id."""
    with pytest.raises(ValueError, match="not valid text") as error:
        call()
    assert SENTINEL not in _chain(error.value)


def test_pseudonymise_an_id_with_no_utf8_form():
    """Before: ``ym.pseudonymise`` let the UnicodeEncodeError out as it was: its args (and
    repr) hold the whole identifier it could not encode."""
    with pytest.raises(ValueError, match="ids: 1 value is not valid text") as error:
        ym.pseudonymise(_object_column("P1", BROKEN), b"k" * 32)
    assert SENTINEL not in _chain(error.value)


@pytest.mark.parametrize("label", ["Total", "total", "Overall", "Grand Total"])
def test_a_total_under_another_label_is_refused(label):
    """Before: a table whose total row said "Total" (a spreadsheet's habit), not "All", was
    suppressed as if "Total" were one more service: B's 3 offenders were withheld, but A's 30
    and the "Total" of 33 were published beside them, giving B's count back."""
    raw = ym.reoffending_rates(_cohort(), by="yjs", margins=True)
    raw["yjs"] = raw["yjs"].astype(object).replace({"All": label})
    with pytest.raises(ValueError, match="key column 'yjs' has a total labelled otherwise") \
            as error:
        ym.suppress(raw, by="yjs")
    assert not any(c in str(error.value) for c in "0123456789")
    # Labelled as margins_name, it is protected as a total.
    safe = ym.suppress(raw, by="yjs", margins_name=label)
    assert safe["offenders"].isna().tolist() == [True, True, False]


def test_the_rates_title_does_not_give_a_withheld_total_back(tmp_path):
    """Before: with the whole cohort's count withheld, ``yosmodel rates`` titled its table
    "people (their number withheld by disclosure control) (1 of 5 rows set aside)": the rows
    read less the rows set aside is the withheld total, 4."""
    path = tmp_path / "cohort.csv"
    path.write_text("person_id,yjs,reoffences\nP1,A,1\nP2,A,0\nP3,B,1\nP4,B,0\nP5,A,5000\n")
    result = run_cli("rates", path, "--by", "yjs", "--max-set-aside", "1", "--quiet")
    assert result.returncode == 0, result.stderr
    title = result.stdout.splitlines()[0]
    assert "withheld by disclosure control" in title and "set aside" in title
    assert not any(c in title.replace(path.name, "") for c in "0123456789")


def test_a_report_takes_no_suppressed_table_changed_afterwards(tmp_path):
    """Before: ``Inspection.report(path, reoffending=safe)`` took a table that had been through
    disclosure control as it was: a column of raw counts added afterwards (B's 3 offenders)
    was written into the HTML, and so was a person_id column."""
    raw, safe = _tables()
    insp = ym.datasets.lewisham_2016()
    changed = safe.copy()
    changed["n"] = raw["offenders"]
    with pytest.raises(ValueError, match="'n'.*added"):
        insp.report(tmp_path / "r.html", reoffending=changed)
    ids = safe.copy()
    ids["person_id"] = [SENTINEL, "P2", "P3"]
    with pytest.raises(ValueError, match="'person_id'.*identifies a child") as error:
        insp.report(tmp_path / "r.html", reoffending=ids)
    assert SENTINEL not in _chain(error.value)
    assert not (tmp_path / "r.html").exists()


def test_the_pybind11_guard_leaves_no_argument_dump_behind():
    """Before: the guard turned pybind11's "incompatible function arguments ... Invoked with:
    <every argument>" into a one-line TypeError, but raised it inside the except block: the
    dump, children's ids and counts, stayed on as its ``__context__``. (A stand-in for a bound
    function: the Python layer's checks keep the real ones from being called wrongly.)"""
    from yosmodel._utils.guard import _clean

    def bound(*args):
        raise TypeError(f"suppress(): incompatible function arguments. Invoked with: {args!r}")

    with pytest.raises(TypeError, match="values are not shown") as error:
        _clean(bound, "_core.suppress")([SENTINEL, 3])
    assert SENTINEL not in _chain(error.value)


def test_a_kind_word_that_is_an_offence_table_id_is_counted_not_named():
    # Ids of letters only pass for words; an id found in either table's person_id (here only
    # the offences', as when one extract's columns are shifted) is not echoed.
    import warnings

    disposals = pd.DataFrame({"person_id": ["A1", "A2"], "date": ["2016-01-01"] * 2,
                              "kind": ["caution", "QQXSECRET"]})
    offences = pd.DataFrame({"person_id": ["QQXSECRET"], "offence_date": ["2016-02-01"],
                             "proven_date": ["2016-03-01"]})
    import polars as pl
    import pyarrow as pa

    forms = [offences, offences.astype({"person_id": "category"}),
             pa.Table.from_pandas(offences, preserve_index=False), pl.from_pandas(offences),
             pl.from_pandas(offences).with_columns(pl.col("person_id").cast(pl.Categorical)),
             pa.table({**{c: offences[c] for c in offences},
                       "person_id": pa.array(["QQXSECRET"]).dictionary_encode()})]
    if hasattr(pa, "string_view"):
        forms.append(pa.table({**{c: offences[c] for c in offences},
                               "person_id": pa.array(["QQXSECRET"], pa.string_view())}))
    for ids in forms:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always")
            ym.build_cohort(disposals, ids, "2015-10-01", "2016-09-30", max_set_aside=1.0)
        text = " ".join(str(w.message) for w in said)
        assert "1 unknown word in 1 row not shown" in text and "QQXSECRET" not in text


def test_a_measures_kind_word_that_is_a_person_id_is_counted_not_named():
    import warnings

    disposals = pd.DataFrame({"person_id": ["QQXSECRET", "B"], "date": ["2016-01-01"] * 2,
                              "date_of_birth": ["2002-01-01"] * 2,
                              "kind": ["caution", "QQXSECRET"]})
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        ym.first_time_entrants(disposals, "2015-04-01", "2016-03-31")
    text = " ".join(str(w.message) for w in said)
    assert "not shown" in text and "QQXSECRET" not in text


def test_the_cohort_summary_gives_no_small_row_count_that_is_the_cohort_withheld(tmp_path,
                                                                                  capsys):
    from yosmodel import cli

    pd.DataFrame({"person_id": ["a", "b", "c", "d"], "date": ["2015-11-01"] * 4,
                  "kind": ["caution"] * 4}).to_csv(tmp_path / "d.csv", index=False)
    pd.DataFrame({"person_id": ["a", "b"], "offence_date": ["2016-01-01"] * 2,
                  "proven_date": ["2016-02-01"] * 2}).to_csv(tmp_path / "o.csv", index=False)
    files = [str(tmp_path / "d.csv"), str(tmp_path / "o.csv"), "--period", "2015-10-01",
             "2016-09-30"]
    assert cli.main(["cohort", *files]) == 0
    said = capsys.readouterr()
    text = said.out + said.err
    assert "people and reoffenders withheld" in text
    assert "qualifying in period fewer than 10" in text and "rows fewer than 10" in text
    counts = [line for line in text.splitlines() if line.startswith(("disposals:", "offences:"))]
    assert counts and not any(ch.isdigit() for line in counts for ch in line.replace("10", ""))
    assert cli.main(["cohort", *files, "--no-disclosure-control"]) == 0
    said = capsys.readouterr()
    assert "qualifying in period 4" in said.out + said.err


def test_concentration_of_few_reoffenders_gives_no_column_that_is_the_total():
    cohort = pd.DataFrame({"reoffences": [777, 1, 2] + [0] * 50})  # 3 reoffenders
    out = ym.reoffending_concentration(cohort)
    assert out.attrs["children"] is None
    assert out["children"].isna().all() and out["share_of_reoffences"].isna().all()
