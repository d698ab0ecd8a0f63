"""The yosmodel command line, as a user runs it (a subprocess, `python -m yosmodel`) and
in-process (`cli.main`): results agree with plain pandas, files round-trip, every mistake ends
in one line and exit code 2, and progress reporting behaves."""

import io
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from reference import pandas_rates
from yosmodel import cli
from yosmodel._utils.progress import Progress
from yosmodel.reoffending import stepwise as _stepwise


def run_cli(*args, cwd=None):
    """`python -m yosmodel ARGS` in a fresh process, with the environment ctest gives us."""
    return subprocess.run([sys.executable, "-m", "yosmodel", *map(str, args)], cwd=cwd,
                          env=dict(os.environ), capture_output=True, text=True, timeout=300)


@pytest.fixture
def cohort_csv(tmp_path, random_cohort):
    frame = random_cohort(3000, seed=5)
    path = tmp_path / "cohort.csv"
    frame.to_csv(path, index=False)
    return path, pd.read_csv(path)


def assert_matches_pandas(got: pd.DataFrame, frame: pd.DataFrame, keys, previous=None):
    want = pandas_rates(frame, keys, previous=previous)
    for name in ["offenders", "reoffenders", "reoffences"]:
        np.testing.assert_array_equal(got[name].to_numpy(), want[name].to_numpy())
    for name in ["binary_rate", "frequency_rate", "reoffences_per_reoffender"]:
        np.testing.assert_allclose(got[name].to_numpy(), want[name].to_numpy(), rtol=1e-12)
    for key in keys:
        assert got[key].astype(str).tolist() == want[key].astype(str).tolist()


def test_rates_csv_to_csv_in_a_subprocess(cohort_csv, tmp_path):
    path, frame = cohort_csv
    out = tmp_path / "rates.csv"
    done = run_cli("rates", path, "--by", "yjs,sex", "--previous-offences", "previous_offences",
                   "--out", out, "--quiet", "--no-disclosure-control")
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    # --quiet silences notes, never the warning that the output is not fit to publish
    assert done.stderr.startswith("yosmodel: warning: disclosure control is OFF")
    assert done.stderr.count("\n") == 1
    got = pd.read_csv(out)
    assert_matches_pandas(got, frame, ["yjs", "sex"], previous="previous_offences")
    np.testing.assert_allclose(got["previous_offences_mean"],
                               pandas_rates(frame, ["yjs", "sex"],
                                            previous="previous_offences")["previous_offences_mean"],
                               rtol=1e-12)
    lower, upper = ym.proportion_interval(got["reoffenders"], got["offenders"])
    np.testing.assert_allclose(got["binary_rate_lower"], lower, rtol=1e-12)
    np.testing.assert_allclose(got["binary_rate_upper"], upper, rtol=1e-12)


def test_rates_terminal_table_in_a_subprocess(cohort_csv):
    path, frame = cohort_csv
    done = run_cli("rates", path, "--by", "sex")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"Proven reoffending by sex: {len(frame):,} people in cohort.csv"
    header = lines[2].split()
    assert header[:4] == ["sex", "offenders", "reoffenders", "reoffences"]
    want = pandas_rates(frame, ["sex"])
    total = frame.assign(sex="All")
    want = pd.concat([want, pandas_rates(total, ["sex"])], ignore_index=True)
    assert len(lines) == 3 + len(want)
    for line, (_, row) in zip(lines[3:], want.iterrows()):
        cells = line.split()
        assert cells[0] == row["sex"]
        assert cells[1] == str(row["offenders"])  # every count here is large: none withheld
        assert cells[4] == f"{row['binary_rate']:.3f}"
    assert "disclosure control: counts below 10 withheld" in done.stderr


def test_published_output_withholds_small_counts_by_default(tmp_path):
    rng = np.random.default_rng(4)
    sizes = {"Big": 400, "Mid": 60, "Tiny": 6}  # the tiny service must not be published
    frame = pd.DataFrame({"yjs": np.repeat(list(sizes), list(sizes.values())),
                          "reoffences": rng.poisson(0.8, sum(sizes.values()))})
    frame.to_csv(tmp_path / "cohort.csv", index=False)
    out = tmp_path / "rates.csv"
    assert cli.main(["rates", str(tmp_path / "cohort.csv"), "--by", "yjs", "--out", str(out),
                     "--quiet"]) == 0
    got = pd.read_csv(out, dtype=str, keep_default_na=False).set_index("yjs")
    want = pd.concat([pandas_rates(frame, ["yjs"]),
                      pandas_rates(frame.assign(yjs="All"), ["yjs"])]).set_index("yjs")
    assert list(got.index) == ["Big", "Mid", "Tiny", "All"]
    for service, row in want.iterrows():
        for count in ("offenders", "reoffenders", "reoffences"):
            shown = got.loc[service, count]
            if shown != "~":
                assert int(shown) == row[count] and row[count] >= 10
    assert got.loc["Tiny", "offenders"] == "~" and got.loc["Tiny", "binary_rate"] == "~"
    # with one cell withheld, another must be too, or the total would give it away
    assert (got["offenders"] == "~").sum() >= 2
    parquet = tmp_path / "rates.parquet"
    assert cli.main(["rates", str(tmp_path / "cohort.csv"), "--by", "yjs", "--out",
                     str(parquet), "--quiet"]) == 0
    typed = pd.read_parquet(parquet)
    assert typed["offenders"].isna().sum() == (got["offenders"] == "~").sum()
    record = typed.attrs["disclosure"]
    assert record["applied"] and record["threshold"] == 10
    assert {c["column"] for c in record["cells"]} >= {"offenders", "binary_rate"}


def test_parquet_and_compressed_csv_round_trip(tmp_path, random_cohort):
    frame = random_cohort(2000, seed=9)
    frame.to_parquet(tmp_path / "cohort.parquet", index=False, row_group_size=300)
    frame.to_csv(tmp_path / "cohort.csv.gz", index=False)
    for source in ("cohort.parquet", "cohort.csv.gz"):
        out = tmp_path / f"rates-{source}.parquet"
        assert cli.main(["rates", str(tmp_path / source), "--by", "quarter,age", "--out",
                         str(out), "--quiet", "--no-disclosure-control"]) == 0
        got = pd.read_parquet(out)
        assert_matches_pandas(got, frame, ["quarter", "age"])
        # Parquet keeps the categorical key as it was stored
        if source.endswith("parquet"):
            assert isinstance(got["quarter"].dtype, pd.CategoricalDtype)


def test_csv_on_stdout_and_the_whole_cohort(cohort_csv, capsys):
    path, frame = cohort_csv
    assert cli.main(["rates", str(path), "--out", "-", "--level", "0.9", "--method",
                     "clopper_pearson", "--no-disclosure-control"]) == 0
    got = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert len(got) == 1 and got["offenders"][0] == len(frame)
    lower, upper = ym.proportion_interval(got["reoffenders"][0], len(frame), level=0.9,
                                          method="clopper_pearson")
    assert got["binary_rate_lower"][0] == pytest.approx(lower, rel=1e-12)
    assert got["binary_rate_upper"][0] == pytest.approx(upper, rel=1e-12)


@pytest.mark.parametrize("args, message", [
    (["rates", "{dir}/absent.csv"], "absent.csv: no such file"),
    (["rates", "{csv}", "--by", "sexx"], "no grouping column 'sexx' (the file has 6 columns"),
    (["rates", "{csv}", "--reoffences", "reoffended"], "no reoffences column 'reoffended'"),
    (["rates", "{csv}", "--out", "{dir}/rates.ods"], "cannot tell the format"),
    (["rates", "{dir}/cohort.json"], "cannot tell the format"),
    (["rates", "{csv}", "--level", "95"], "not a confidence level between 0 and 1"),
    (["rates", "{csv}", "--method", "bayes"], "invalid choice: 'bayes'"),
    (["rates", "{csv}", "--by", "sex,,yjs"], "not a comma-separated list"),
    (["rates", "{csv}", "--threads", "0"], "not a positive whole number"),
    (["rates", "{csv}", "--threshold", "5"], "a threshold below 10 is refused"),
    (["rates", "{bad}"], "fields where the header has"),
    (["rates", "{negative}", "--by", "sex"], "'reoffences': 1 row negative"),
    (["rates", "{missing}", "--by", "sex"], "'sex': 1 row has a missing value"),
    (["rates", "{empty}"], "the file is empty"),
    (["rates", "{header}", "--by", "sex"], "the file has a header but no rows"),
    (["rates", "{notparquet}"], "not a readable Parquet file"),
    (["rates", "{dir}", "--by", "sex"], "cannot tell the format"),
    (["rates", "{csv}", "--out", "{dir}/no/such/folder/rates.csv"], "non-existent directory"),
    (["ratez", "{csv}"], "invalid choice: 'ratez'"),
    (["rates"], "the following arguments are required: FILE"),
])
def test_mistakes_end_in_one_line_and_exit_code_2(tmp_path, cohort_csv, args, message, capsys):
    csv, _ = cohort_csv
    (tmp_path / "bad.csv").write_text('sex,reoffences\nM,1\n"F,0\n')  # unclosed quote
    (tmp_path / "negative.csv").write_text("sex,reoffences\nSENTINEL_M,1\nSENTINEL_F,-3\n")
    (tmp_path / "missing.csv").write_text("sex,reoffences\nSENTINEL_M,1\n,0\n")
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "header.csv").write_text("sex,reoffences\n")
    (tmp_path / "notparquet.parquet").write_text("sex,reoffences\n")
    paths = {"dir": tmp_path, "csv": csv, "bad": tmp_path / "bad.csv",
             "negative": tmp_path / "negative.csv", "missing": tmp_path / "missing.csv",
             "empty": tmp_path / "empty.csv", "header": tmp_path / "header.csv",
             "notparquet": tmp_path / "notparquet.parquet"}
    argv = [a.format(**paths) for a in args]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("yosmodel"), err
    assert message in err
    assert "SENTINEL" not in err and "Traceback" not in err


def test_a_mistake_in_a_subprocess_has_no_traceback(tmp_path):
    done = run_cli("rates", tmp_path / "absent.parquet", "--by", "sex")
    assert done.returncode == 2
    absent = tmp_path / "absent.parquet"
    assert done.stderr.strip() == f"yosmodel rates: error: {absent}: no such file"
    assert done.stdout == ""


@pytest.fixture(scope="module")
def lewisham_json(tmp_path_factory):
    path = tmp_path_factory.mktemp("inspection") / "lewisham_2016.json"
    ym.datasets.lewisham_2016().to_json(path)
    return path


def test_report_in_a_subprocess_is_the_api_report(lewisham_json, tmp_path):
    out = tmp_path / "report.html"
    done = run_cli("report", lewisham_json, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "wrote the report on Lewisham" in done.stderr and "(57 cases)" in done.stderr
    direct = ym.Inspection.from_json(lewisham_json).report(tmp_path / "direct.html")
    assert out.read_text() == open(direct).read()


def test_report_disclosure_options(lewisham_json, tmp_path, capsys):
    default, off = tmp_path / "default.html", tmp_path / "off.html"
    assert cli.main(["report", str(lewisham_json), "--out", str(default), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    assert cli.main(["report", str(lewisham_json), "--out", str(off), "--quiet",
                     "--no-disclosure-control"]) == 0
    assert "disclosure control is OFF" in capsys.readouterr().err
    insp = ym.Inspection.from_json(lewisham_json)
    assert default.read_text() == open(insp.report(tmp_path / "a.html")).read()
    assert off.read_text() == open(insp.report(tmp_path / "b.html", disclosure=None)).read()
    assert default.read_text() != off.read_text()


def test_report_with_a_reoffending_table(lewisham_json, tmp_path, random_cohort):
    rates = ym.reoffending_rates(random_cohort(500), by="sex")
    rates.to_csv(tmp_path / "rates.csv", index=False)
    out = tmp_path / "report.html"
    assert cli.main(["report", str(lewisham_json), "--out", str(out), "--reoffending",
                     str(tmp_path / "rates.csv"), "--title", "Test title", "--quiet"]) == 0
    text = out.read_text()
    assert "Proven reoffending with 95% intervals" in text and "Test title" in text
    for count in rates["offenders"]:
        assert f">{count}<" in text


@pytest.mark.parametrize("args, message", [
    (["report", "{json}", "--out", "{dir}/report.pdf"], "the report is HTML"),
    (["report", "{dir}/absent.json", "--out", "{dir}/r.html"], "no inspection file"),
    (["report", "{notjson}", "--out", "{dir}/r.html"], "notjson.json: the inspection file is "
                                                      "not valid JSON"),
    (["report", "{json}"], "the following arguments are required: --out"),
])
def test_report_mistakes(lewisham_json, tmp_path, args, message, capsys):
    (tmp_path / "notjson.json").write_text("sex,reoffences\n")
    argv = [a.format(json=lewisham_json, dir=tmp_path, notjson=tmp_path / "notjson.json")
            for a in args]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


@pytest.mark.parametrize("command", ["demo", "rates", "cohort", "report"])
def test_help_on_every_command_has_an_example(command, capsys):
    assert cli.main([command, "--help"]) == 0
    text = capsys.readouterr().out
    assert "example" in text and f"yosmodel {command}" in text.split("example")[1]
    assert "--quiet" in text


def test_top_level_help_lists_the_commands(capsys):
    assert cli.main(["--help"]) == 0
    text = capsys.readouterr().out
    assert all(command in text for command in ("demo", "rates", "cohort", "report"))


def test_demo_still_runs(capsys, tmp_path):
    assert cli.main(["demo", "--output", str(tmp_path / "demo.html")]) == 0
    assert "Report written to" in capsys.readouterr().out
    assert (tmp_path / "demo.html").stat().st_size > 0


def test_counting_in_steps_gives_the_same_table(monkeypatch, random_cohort):
    frame = random_cohort(1000, seed=2).assign(sex=lambda d: d["sex"].astype(object))
    monkeypatch.setattr(_stepwise, "_MIN_ROWS_PER_STEP", 7)
    steps = []
    got = _stepwise.reoffending_rates_in_steps(frame, by=["sex", "yjs"],
                                               previous_offences="previous_offences",
                                               on_step=steps.append)
    want = ym.reoffending_rates(frame, by=["sex", "yjs"], previous_offences="previous_offences")
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert len(steps) == 20 and sum(steps) == 1000
    with_totals = _stepwise.reoffending_rates_in_steps(frame, by=["sex", "yjs"], margins=True)
    pd.testing.assert_frame_equal(with_totals, ym.reoffending_rates(frame, by=["sex", "yjs"],
                                                                    margins=True),
                                  check_exact=True)
    empty = _stepwise.reoffending_rates_in_steps(frame.iloc[:0], by="sex")
    pd.testing.assert_frame_equal(empty, ym.reoffending_rates(frame.iloc[:0], by="sex"))


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_bar_on_a_terminal_appears_after_the_delay():
    stream, clock = FakeTerminal(), FakeClock()
    with Progress("reading x.csv", total=2_000_000, unit="B", stream=stream, clock=clock,
                  delay=0.5) as bar:
        bar.update(100)
        assert stream.getvalue() == ""  # quick work shows nothing
        clock.now = 1.0
        bar.update(1_000_000)
        clock.now = 1.05
        bar.update(1_500_000)  # too soon to redraw
        clock.now = 2.0
    text = stream.getvalue()
    frames = text.split("\r")[1:]
    assert len(frames) == 2 and text.endswith("\n")
    assert "[##############--------------]  50% 1.0 MB of 2.0 MB 1.0 s" in frames[0]
    assert "100% 2.0 MB of 2.0 MB 2.0 s" in frames[1]


def test_progress_in_a_log_is_one_line_and_quiet_is_silent():
    log, clock = io.StringIO(), FakeClock()
    with Progress("counting", total=10, unit="rows", stream=log, clock=clock) as bar:
        bar.update(10)
        clock.now = 3.0
    assert log.getvalue() == "counting: done (10 rows) in 3.0 s\n"
    quiet, clock = FakeTerminal(), FakeClock()
    with Progress("counting", total=10, stream=quiet, clock=clock, enabled=False) as bar:
        clock.now = 3.0
        bar.update(5)
    assert quiet.getvalue() == ""
    fast, clock = io.StringIO(), FakeClock()
    with Progress("counting", stream=fast, clock=clock):
        clock.now = 0.1
    assert fast.getvalue() == ""


@pytest.fixture
def event_files(tmp_path):
    rng = np.random.default_rng(12)
    people = np.array([f"P{i:03d}" for i in range(150)], dtype=object)
    base = np.datetime64("2015-01-01")
    disposals = pd.DataFrame({
        "person_id": people[rng.integers(0, 150, 400)],
        "date": base + rng.integers(0, 730, 400).astype("timedelta64[D]"),
        "kind": np.array(["caution", "court_conviction", "custody_release", "remand"],
                         dtype=object)[rng.integers(0, 4, 400)],
        "yjs": np.array(["North", "South"], dtype=object)[rng.integers(0, 2, 400)]})
    committed = base + rng.integers(-100, 900, 1500).astype("timedelta64[D]")
    offences = pd.DataFrame({
        "person_id": people[rng.integers(0, 150, 1500)], "offence_date": committed,
        "proven_date": committed + rng.integers(0, 300, 1500).astype("timedelta64[D]")})
    disposals.to_csv(tmp_path / "disposals.csv", index=False, date_format="%Y-%m-%d")
    offences.to_parquet(tmp_path / "offences.parquet", index=False)
    return tmp_path / "disposals.csv", tmp_path / "offences.parquet", disposals, offences


def test_cohort_in_a_subprocess_equals_build_cohort(event_files, tmp_path):
    disposals_file, offences_file, disposals, offences = event_files
    out = tmp_path / "cohort.parquet"
    done = run_cli("cohort", disposals_file, offences_file, "--period", "2015-07-01",
                   "2016-06-30", "--out", out)
    assert done.returncode == 0, done.stderr
    want = ym.build_cohort(disposals, offences, "2015-07-01", "2016-06-30")
    got = pd.read_parquet(out)
    assert len(got) == len(want) > 30
    for name in ["person_id", "index_kind", "yjs", "reoffences", "previous_offences"]:
        assert got[name].astype(str).tolist() == want[name].astype(str).tolist()
    assert (got["index_date"].to_numpy() == want["index_date"].to_numpy()).all()
    assert f"{len(want):,} people, {int(want['reoffended'].sum()):,} reoffended" in done.stderr
    assert "person-level criminal offence data" in done.stderr


def test_cohort_without_out_prints_a_summary_only(event_files, capsys):
    disposals_file, offences_file, disposals, offences = event_files
    assert cli.main(["cohort", str(disposals_file), str(offences_file), "--period",
                     "2016-01-01", "2016-03-31", "--follow-up-months", "9"]) == 0
    printed = capsys.readouterr().out
    want = ym.build_cohort(disposals, offences, "2016-01-01", "2016-03-31", follow_up_months=9)
    assert printed.startswith(f"Proven reoffending cohort 2016-01-01 to 2016-03-31: "
                              f"{len(want):,} people")
    assert "follow-up 9 months" in printed
    assert not any(person in printed for person in want["person_id"])  # no person's row


@pytest.mark.parametrize("args, message", [
    (["--period", "2016-13-01", "2016-12-31"], "--period START is not a date"),
    (["--period", "2016-01-01"], "argument --period: expected 2 arguments"),
    ([], "the following arguments are required: --period"),
])
def test_cohort_mistakes(event_files, args, message, capsys):
    disposals_file, offences_file, _, _ = event_files
    assert cli.main(["cohort", str(disposals_file), str(offences_file), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_cohort_missing_column(event_files, tmp_path, capsys):
    _, offences_file, disposals, _ = event_files
    disposals.drop(columns="kind").to_csv(tmp_path / "no_kind.csv", index=False)
    assert cli.main(["cohort", str(tmp_path / "no_kind.csv"), str(offences_file), "--period",
                     "2016-01-01", "2016-12-31"]) == 2
    assert "'kind'" in capsys.readouterr().err


def test_cohort_reads_an_extracts_own_headers_with_columns(event_files, tmp_path, capsys):
    """A case-management extract heads its columns "Person ID", "Disposal Date", ...: the
    command could not read it without editing the file. Ids with leading zeros stay text under
    their new name (read as numbers, 007 and 7 were one person)."""
    _, offences_file, disposals, offences = event_files
    disposals = disposals.assign(person_id="0" + disposals["person_id"].str[1:])
    offences = offences.assign(person_id="0" + offences["person_id"].str[1:])
    headers = {"person_id": "Person ID", "date": "Disposal Date", "kind": "Disposal Type",
               "offence_date": "Offence Date", "proven_date": "Proven Date"}
    disposals.rename(columns=headers).to_csv(tmp_path / "d.csv", index=False,
                                             date_format="%Y-%m-%d")
    offences.rename(columns=headers).to_parquet(tmp_path / "o.parquet", index=False)
    mapping = ",".join(f"{header}={name}" for name, header in headers.items())
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.parquet"), "--period",
                     "2015-07-01", "2016-06-30", "--columns", mapping, "--out", str(out)]) == 0
    want = ym.build_cohort(disposals, offences, "2015-07-01", "2016-06-30")
    got = pd.read_csv(out, dtype={"person_id": str})
    assert got["person_id"].tolist() == want["person_id"].tolist()
    assert got["reoffences"].tolist() == want["reoffences"].tolist()
    capsys.readouterr()
    # A header in neither file is said, as is a rename onto a name the file already has.
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.parquet"), "--period",
                     "2015-07-01", "2016-06-30", "--columns", "Person Id=person_id"]) == 2
    assert "--columns renames 'Person Id', which neither file" in capsys.readouterr().err
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.parquet"), "--period",
                     "2015-07-01", "2016-06-30", "--columns", mapping + ",yjs=kind"]) == 2
    assert "'kind' more than once" in capsys.readouterr().err
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.parquet"), "--period",
                     "2015-07-01", "2016-06-30", "--columns", "Person ID"]) == 2
    assert "is not HEADER=NAME" in capsys.readouterr().err


@pytest.mark.parametrize("flags", [[], ["--no-disclosure-control"]])
def test_rates_by_person_id_is_refused_without_printing_ids(tmp_path, capsys, flags):
    # The counts were withheld, but every row was labelled with a child's id.
    path = tmp_path / "cohort.csv"
    pd.DataFrame({"person_id": ["SENTINEL_1", "SENTINEL_2"], "yjs": ["A", "B"],
                  "reoffences": [1, 0]}).to_csv(path, index=False)
    assert cli.main(["rates", str(path), "--by", "yjs,person_id", *flags]) == 2
    out, err = capsys.readouterr()
    assert "'person_id'" in err and "identifies a child" in err
    assert "SENTINEL" not in out + err


def test_one_child_is_one_person_not_one_people(tmp_path, capsys):
    disposals, offences = tmp_path / "d.csv", tmp_path / "o.csv"
    disposals.write_text("person_id,date,kind\nSENTINEL_1,2014-01-05,caution\n")
    offences.write_text("person_id,offence_date,proven_date\nSENTINEL_1,2014-02-07,2014-03-09\n")
    assert cli.main(["cohort", str(disposals), str(offences), "--period", "2014-01-01",
                     "2014-12-31", "--quiet", "--no-disclosure-control"]) == 0
    out = capsys.readouterr().out
    assert "1 person, 1 reoffended" in out and "1 people" not in out
    cohort = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(disposals), str(offences), "--period", "2014-01-01",
                     "2014-12-31", "--out", str(cohort)]) == 0
    err = capsys.readouterr().err
    assert "(1 person, one row each)" in err and "1 people" not in err
    assert cli.main(["rates", str(cohort), "--no-disclosure-control", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 person in cohort.csv" in out and "1 people" not in out


def test_version(capsys):
    assert cli.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"yosmodel {ym.__version__}"
