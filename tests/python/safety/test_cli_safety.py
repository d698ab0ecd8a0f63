"""The command line on real exports: UK dates only when stated (--date-format, --dayfirst),
vocabularies mapped (--kinds), records set aside printed, ragged rows refused with the line,
inputs never overwritten, huge options refused in one line without a traceback."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

from .conftest import fixture, run_cli

UK = ("--period", "01/01/2016", "31/03/2016")


def one_line_error(result, *words):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert "Invoked with" not in result.stderr and "incompatible" not in result.stderr
    for word in words:
        assert word in result.stderr, result.stderr


def test_uk_records_with_a_stated_layout_give_the_known_answer():
    for layout in (("--date-format", "%d/%m/%Y"), ("--dayfirst",)):
        result = run_cli("cohort", fixture("disposals_uk.csv"), fixture("offences_uk.csv"), *UK,
                         *layout, "--kinds", "Final Warning=caution", "--max-set-aside", "0.5",
                         "--no-disclosure-control")
        assert result.returncode == 0, result.stderr
        assert "6 people, 4 reoffended" in result.stdout
        assert "disclosure control is OFF" in result.stderr


def test_uk_records_without_a_layout_are_refused():
    result = run_cli("cohort", fixture("disposals_uk.csv"), fixture("offences_uk.csv"), *UK)
    one_line_error(result, "--date-format")
    result = run_cli("cohort", fixture("disposals_iso.csv"), fixture("offences_iso.csv"), *UK)
    one_line_error(result, "--period", "--date-format")


def test_integer_period_is_refused():
    result = run_cli("cohort", fixture("disposals_iso.csv"), fixture("offences_iso.csv"),
                     "--period", "20160101", "20160331")
    one_line_error(result, "--date-format")


def test_records_set_aside_are_printed_even_when_quiet():
    result = run_cli("cohort", fixture("disposals_uk.csv"), fixture("offences_uk.csv"), *UK,
                     "--dayfirst", "--max-set-aside", "0.5", "--quiet")
    assert result.returncode == 0, result.stderr
    err = result.stderr
    assert "set aside" in err and "unknown kind" in err and "Final Warning" in err
    # Five people: too few to publish, so the summary withholds them (disclosure control).
    assert "people and reoffenders withheld by disclosure control" in result.stdout
    assert "5 people" not in result.stdout


def test_the_cohort_summary_applies_disclosure_control_as_a_published_table_would(tmp_path):
    # 30 people of whom 5 reoffended: the people are shown, the reoffenders (5) withheld.
    disposals, offences = tmp_path / "d.csv", tmp_path / "o.csv"
    disposals.write_text("person_id,date,kind\n" + "".join(
        f"P{i:03d},2016-01-{1 + i % 28:02d},caution\n" for i in range(30)))
    offences.write_text("person_id,offence_date,proven_date\n" + "".join(
        f"P{i:03d},2016-06-01,2016-07-01\n" for i in range(5)))
    result = run_cli("cohort", str(disposals), str(offences), "--period", "2016-01-01",
                     "2016-03-31")
    assert result.returncode == 0, result.stderr
    assert "30 people, reoffenders withheld by disclosure control" in result.stdout
    assert "5 reoffended" not in result.stdout
    shown = run_cli("cohort", str(disposals), str(offences), "--period", "2016-01-01",
                    "2016-03-31", "--threshold", "5", "--allow-small-threshold")
    assert "30 people, 5 reoffended (binary rate 0.167)" in shown.stdout


def test_a_rule_above_the_limit_fails_the_command():
    result = run_cli("cohort", fixture("disposals_uk.csv"), fixture("offences_uk.csv"), *UK,
                     "--dayfirst", "--kinds", "Final Warning=caution")
    one_line_error(result, "--max-set-aside")


@pytest.mark.parametrize("name, line", [("offences_ragged.csv", "line 4")])
def test_ragged_rows_are_refused_with_the_line(name, line):
    result = run_cli("cohort", fixture("disposals_uk.csv"), fixture(name), *UK, "--dayfirst",
                     "--max-set-aside", "0.5")
    one_line_error(result, line, name)


def test_ragged_cohort_rows_are_refused_with_the_line():
    result = run_cli("rates", fixture("cohort_ragged.csv"), "--by", "yjs")
    one_line_error(result, "line 4", "cohort_ragged.csv")


def test_short_rows_are_refused_with_the_line(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("person_id,yjs,reoffences\nP1,S1,0\nP2,S1\nP3,S2,1\n")
    result = run_cli("rates", path, "--by", "yjs")
    one_line_error(result, "line 3")


def test_outputs_never_overwrite_an_input(tmp_path):
    cohort = tmp_path / "x.csv"
    pd.DataFrame({"yjs": ["S1", "S2"] * 20, "reoffences": np.arange(40) % 3}).to_csv(
        cohort, index=False)
    before = cohort.read_bytes()
    for out in (cohort, tmp_path / "." / "x.csv"):
        one_line_error(run_cli("rates", cohort, "--by", "yjs", "--out", out), "input")
        assert cohort.read_bytes() == before
    d, o = tmp_path / "d.csv", tmp_path / "o.csv"
    shutil.copy(fixture("disposals_iso.csv"), d)
    shutil.copy(fixture("offences_iso.csv"), o)
    saved = d.read_bytes(), o.read_bytes()
    for out in (d, o):
        result = run_cli("cohort", d, o, "--period", "2016-01-01", "2016-03-31",
                         "--max-set-aside", "0.5", "--out", out)
        one_line_error(result, "input")
    assert (d.read_bytes(), o.read_bytes()) == saved
    link = tmp_path / "link.csv"
    link.symlink_to(cohort)
    one_line_error(run_cli("rates", cohort, "--by", "yjs", "--out", link), "input")
    assert cohort.read_bytes() == before


@pytest.mark.parametrize("option", ["--threads", "--threshold"])
@pytest.mark.parametrize("value", [str(2**32), str(2**64), "1" + "0" * 30])
def test_huge_rates_options_are_refused(tmp_path, option, value):
    cohort = tmp_path / "c.csv"
    pd.DataFrame({"person_id": [f"ID-{i}" for i in range(40)], "yjs": ["S1", "S2"] * 20,
                  "reoffences": np.arange(40) % 3}).to_csv(cohort, index=False)
    result = run_cli("rates", cohort, "--by", "yjs", option, value)
    one_line_error(result, option)
    assert "ID-" not in result.stderr


@pytest.mark.parametrize("option", ["--follow-up-months", "--waiting-months", "--threads"])
@pytest.mark.parametrize("value", [str(2**31), str(2**64)])
def test_huge_cohort_options_are_refused(option, value):
    result = run_cli("cohort", fixture("disposals_iso.csv"), fixture("offences_iso.csv"),
                     "--period", "2016-01-01", "2016-03-31", "--max-set-aside", "0.5",
                     option, value)
    one_line_error(result, option)
    assert "P0" not in result.stderr


@pytest.mark.parametrize("module", [True, False])
def test_the_command_ends_without_the_interpreters_teardown(tmp_path, module):
    """pyarrow's background threads can abort a process in the interpreter's final teardown
    ("terminate called without an active exception"): a usage error once ended with exit code
    134 now and then. The command (python -m yosmodel, and the installed entry point) ends
    once its output is flushed, so no teardown runs: an atexit hook never fires."""
    import os
    import subprocess
    import sys

    bad = tmp_path / "cohort.csv"
    bad.write_text("yjs,reoffences\nA,1\nB,not a count\n")
    start = ("import runpy; runpy.run_module('yosmodel', run_name='__main__')" if module
             else "from yosmodel.cli import run; run()")
    code = ("import atexit, sys; atexit.register(lambda: print('teardown ran', flush=True)); "
            f"sys.argv = ['yosmodel', 'rates', {str(bad)!r}, '--by', 'yjs']; {start}")
    env = {k: v for k, v in os.environ.items() if k != "YOSMODEL_TRACEBACK"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=False, timeout=300, env=env)
    one_line_error(result, "reoffences")
    assert "teardown ran" not in result.stdout
    # A command that succeeds still prints all of its table before the process ends.
    bad.write_text("yjs,reoffences\n" + "".join(f"Y{i % 3},{i % 2}\n" for i in range(60)))
    ok = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                        check=False, timeout=300, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "Y2" in ok.stdout and "teardown ran" not in ok.stdout


@pytest.mark.parametrize("separator", [";", "\t", "|"])
def test_a_semicolon_or_tab_separated_export_is_read_like_a_comma_one(tmp_path, separator):
    """Spreadsheets where the comma is the decimal mark write semicolons: the file was one
    column named 'yjs;sex;reoffences', and every command refused it."""
    rows = [("A", "F", 1), ("A", "M", 0), ("B", "F", 2)] * 7
    comma = tmp_path / "comma.csv"
    other = tmp_path / "other.csv"
    for path, sep in ((comma, ","), (other, separator)):
        path.write_text("\ufeff" + sep.join(("yjs", "sex", "reoffences")) + "\n" + "".join(
            sep.join(map(str, r)) + "\n" for r in rows))
    want = run_cli("rates", comma, "--by", "yjs,sex", "--out", "-", "--quiet",
                   "--no-disclosure-control")
    got = run_cli("rates", other, "--by", "yjs,sex", "--out", "-", "--quiet",
                  "--no-disclosure-control")
    assert want.returncode == 0 and got.returncode == 0, (want.stderr, got.stderr)
    assert got.stdout == want.stdout and "offenders" in got.stdout
    # A ragged row is still found, with the file's own separator.
    other.write_text(other.read_text() + separator.join(("B", "M", "0", "x")) + "\n")
    one_line_error(run_cli("rates", other, "--by", "yjs", "--quiet"), "line 23 has 4 fields")


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_a_spreadsheet_separator_line_is_read_as_the_separator(tmp_path, separator):
    """Excel writes (and reads) a first line "sep=;" naming the separator: it was read as the
    header, and every command said the file has no such columns."""
    rows = [("A", "F", 1), ("A", "M", 0), ("B", "F", 2)] * 7
    comma = tmp_path / "comma.csv"
    stated = tmp_path / "stated.csv"
    comma.write_text("yjs,sex,reoffences\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    stated.write_text(f"sep={separator}\n" + separator.join(("yjs", "sex", "reoffences")) + "\n"
                      + "".join(separator.join(map(str, r)) + "\n" for r in rows))
    want = run_cli("rates", comma, "--by", "yjs,sex", "--out", "-", "--quiet",
                   "--no-disclosure-control")
    got = run_cli("rates", stated, "--by", "yjs,sex", "--out", "-", "--quiet",
                  "--no-disclosure-control")
    assert got.returncode == 0, got.stderr
    assert got.stdout == want.stdout and "offenders" in got.stdout
    # A ragged row's line number counts the separator line, as an editor shows it.
    stated.write_text(stated.read_text() + separator.join(("B", "M", "0", "x")) + "\n")
    one_line_error(run_cli("rates", stated, "--by", "yjs", "--quiet"), "line 24 has 4 fields")


def test_a_file_that_is_not_utf8_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "utf16.csv"
    path.write_text("yjs,reoffences\nA,1\n", encoding="utf-16")
    one_line_error(run_cli("rates", path, "--by", "yjs"), "utf16.csv", "UTF-8")


def test_dates_of_birth_no_age_comes_from_are_said_once_by_the_cohort_command(tmp_path):
    disposals = tmp_path / "disposals.csv"
    offences = tmp_path / "offences.csv"
    disposals.write_text("person_id,date,kind,date_of_birth\nSECRET1,2014-01-05,caution,"
                         "2020-01-01\nSECRET2,2014-02-01,caution,2000-01-01\n")
    offences.write_text("person_id,offence_date,proven_date\n")
    result = run_cli("cohort", disposals, offences, "--period", "2013-10-01", "2014-09-30")
    assert result.returncode == 0, result.stderr
    said = result.stdout + result.stderr
    assert said.count("date_of_birth: 1 after the index date") == 1, said
    assert "SECRET" not in said and "2020-01-01" not in said and "UserWarning" not in said


@pytest.mark.parametrize("by", [[], ["--by", "yjs"]])
def test_the_rates_title_does_not_publish_a_total_the_table_withholds(tmp_path, by):
    path = tmp_path / "small.csv"
    pd.DataFrame({"yjs": list("AABBBC"), "reoffences": [1, 0, 2, 0, 1, 0]}).to_csv(path,
                                                                                  index=False)
    done = run_cli("rates", str(path), *by)
    assert done.returncode == 0, done.stderr
    title = done.stdout.splitlines()[0]
    assert "6" not in title and "withheld" in title
    shown = run_cli("rates", str(path), *by, "--no-disclosure-control")
    assert "6 people" in shown.stdout.splitlines()[0]


def test_csv_person_ids_are_read_as_written(tmp_path):
    # "007" and "7" are two children; as numbers they were one, and the ids lost their zeros
    (tmp_path / "d.csv").write_text("person_id,date,kind\n007,2016-02-01,caution\n"
                                    "7,2016-03-01,caution\n0012,2016-04-01,caution\n")
    (tmp_path / "o.csv").write_text("person_id,offence_date,proven_date\n"
                                    "007,2016-05-01,2016-06-01\n")
    out = tmp_path / "cohort.csv"
    done = run_cli("cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.csv"), "--period",
                   "2016-01-01", "2016-12-31", "--out", str(out), "--quiet")
    assert done.returncode == 0, done.stderr
    cohort = pd.read_csv(out, dtype={"person_id": str}).set_index("person_id")
    assert sorted(cohort.index) == ["0012", "007", "7"]
    assert cohort.loc["007", "reoffences"] == 1 and cohort.loc["7", "reoffences"] == 0
    api = ym.build_cohort(str(tmp_path / "d.csv"), str(tmp_path / "o.csv"), "2016-01-01",
                          "2016-12-31")
    assert sorted(api["person_id"]) == ["0012", "007", "7"]
