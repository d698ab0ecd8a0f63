"""The command line against files and options as analysts' exports and typing give them:
every mistake ends in one line naming the file, column or option, exit code 2, no traceback
and no value from a row."""

import functools
import gzip

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel import cli


def one_line_error(capsys, argv):
    assert cli.main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("yosmodel"), err
    assert "Traceback" not in err and "SENTINEL" not in err, err
    return err


@pytest.mark.parametrize("suffix", [".gz", ".bz2", ".xz", ".zip", ".zst"])
def test_a_file_that_is_not_compressed_as_named_is_refused_naming_it(tmp_path, capsys, suffix):
    path = tmp_path / f"cohort.csv{suffix}"
    path.write_text("SENTINEL_7,1\nSENTINEL_8,0\n")  # no header: the first bytes are a row
    err = one_line_error(capsys, ["rates", path, "--quiet"])
    assert path.name in err


def test_a_cut_gzip_file_is_refused_naming_it(tmp_path, capsys):
    rows = "".join(f"SENTINEL_{i},{i % 3}\n" for i in range(20_000))
    whole = gzip.compress(("sex,reoffences\n" + rows).encode())
    path = tmp_path / "cohort.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    err = one_line_error(capsys, ["rates", path, "--by", "sex", "--quiet"])
    assert path.name in err and "cut short" in err


def yyyymmdd_events(tmp_path, blank_births=False):
    """A yyyymmdd export with a blank date (pandas reads the column as floats) and, if asked,
    a date_of_birth column left blank in every row (all NaN floats)."""
    disposals = tmp_path / "disposals.csv"
    offences = tmp_path / "offences.csv"
    births = ",date_of_birth" if blank_births else ""
    blank = "," if blank_births else ""
    disposals.write_text(f"person_id,date,kind{births}\n"
                         f"SENTINEL_1,20140105,Referral Order{blank}\n"
                         f"SENTINEL_2,20140301,Youth Caution{blank}\n"
                         f"SENTINEL_3,,Youth Caution{blank}\n")
    offences.write_text("person_id,offence_date,proven_date\n"
                        "SENTINEL_1,20140207,20140309\nSENTINEL_2,20140401,\n"
                        "SENTINEL_2,20140402,20140420\n")
    return disposals, offences


@pytest.mark.parametrize("blank_births", [False, True])
def test_yyyymmdd_dates_with_a_blank_are_read_with_the_stated_layout(tmp_path, capsys,
                                                                     blank_births):
    disposals, offences = yyyymmdd_events(tmp_path, blank_births)
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(disposals), str(offences), "--period", "2014-01-01",
                     "2014-12-31", "--date-format", "%Y%m%d", "--max-set-aside", "0.5",
                     "--out", str(out), "--quiet"]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "disposals.missing_date 1 row of 3" in err and "missing_proven_date 1 row" in err
    got = pd.read_csv(out, dtype={"person_id": str}).sort_values("person_id")
    # by hand: each is in the cohort from its one disposal, one proven reoffence each
    assert got["person_id"].tolist() == ["SENTINEL_1", "SENTINEL_2"]
    assert got["index_date"].tolist() == ["2014-01-05", "2014-03-01"]
    assert got["reoffences"].tolist() == [1, 1]


def test_yyyymmdd_dates_with_a_blank_and_no_layout_are_refused_as_numbers(tmp_path, capsys):
    disposals, offences = yyyymmdd_events(tmp_path)
    err = one_line_error(capsys, ["cohort", disposals, offences, "--period", "2014-01-01",
                                  "2014-12-31"])
    assert "holds numbers, which could be yyyymmdd dates" in err


def test_a_date_of_birth_column_left_blank_is_no_date_of_birth(tmp_path, capsys):
    disposals, offences = yyyymmdd_events(tmp_path, blank_births=True)
    code = cli.main(["cohort", str(disposals), str(offences), "--period", "2014-01-01",
                     "2014-12-31", "--date-format", "%Y%m%d", "--max-set-aside", "0.5",
                     "--no-disclosure-control"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "2 people, 2 reoffended" in out.out


@pytest.fixture
def uk_events(tmp_path):
    disposals = tmp_path / "disposals.csv"
    offences = tmp_path / "offences.csv"
    disposals.write_text("person_id,date,kind\nSENTINEL_1,05/01/2014,Referral Order\n"
                         "SENTINEL_2,06/01/2014,Referal Order\n")
    offences.write_text("person_id,offence_date,proven_date\nSENTINEL_1,07/02/2014,09/03/2014\n")
    return disposals, offences


def test_a_kinds_code_written_with_a_space_is_pointed_to_the_code(uk_events, capsys):
    # 'court conviction' is the code court_conviction as people write it: the suggestion must be
    # the code to type, not the same words back ("did you mean 'court conviction'?")
    err = one_line_error(capsys, ["cohort", *uk_events, "--period", "2014-01-01", "2014-12-31",
                                  "--dayfirst", "--kinds", "Referal Order=court conviction"])
    assert "--kinds maps to 'court conviction'" in err
    assert "did you mean 'court_conviction'?" in err


def test_an_unknown_kind_word_is_pointed_to_a_word_that_is_read(uk_events, capsys):
    err = one_line_error(capsys, ["cohort", *uk_events, "--period", "2014-01-01", "2014-12-31",
                                  "--dayfirst", "--strict"])
    assert "'Referal Order'" in err and "did you mean 'referral order'?" in err


@pytest.mark.parametrize("extra, said, unsaid", [
    ([], "--date-format '%Y%m%d'", "date_format="),
    (["--date-format", "dd/mm/yyyy"], "--date-format must be a strptime layout", "date_format"),
])
def test_cohort_messages_name_the_options_of_the_command_line(tmp_path, capsys, extra, said,
                                                              unsaid):
    disposals = tmp_path / "disposals.csv"
    offences = tmp_path / "offences.csv"
    disposals.write_text("person_id,date,kind\nSENTINEL_1,20140105,Referral Order\n")
    offences.write_text("person_id,offence_date,proven_date\nSENTINEL_1,20140207,20140309\n")
    err = one_line_error(capsys, ["cohort", disposals, offences, "--period", "2014-01-01",
                                  "2014-12-31", *extra])
    assert said in err and unsaid not in err


def test_the_strict_refusal_names_the_option_of_the_command_line(uk_events, capsys):
    err = one_line_error(capsys, ["cohort", *uk_events, "--period", "2014-01-01", "2014-12-31",
                                  "--dayfirst", "--strict"])
    assert "(--strict)" in err and "strict=True" not in err


@pytest.mark.parametrize("extra, said", [
    (["--threads", "99999999999"], "error: --threads must be a whole number"),
    (["--kinds", "x=Custody Release"], "error: --kinds maps to 'Custody Release'"),
])
def test_a_message_translated_twice_names_the_option_once(uk_events, capsys, extra, said):
    err = one_line_error(capsys, ["cohort", *uk_events, "--period", "2014-01-01", "2014-12-31",
                                  "--dayfirst", *extra])
    assert said in err and "----" not in err


@pytest.mark.parametrize("categorical", [False, True])
def test_rates_by_an_integer_key_are_written_to_parquet_with_their_total_row(tmp_path, capsys,
                                                                             categorical):
    # Service codes and years are integers; the total row's key is 'All': a column of both
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"yjs": rng.choice([101, 202, 303], 600),
                          "reoffences": rng.integers(0, 3, 600)})
    source = tmp_path / "cohort.parquet"
    (frame.astype({"yjs": "category"}) if categorical else frame).to_parquet(source)
    out = tmp_path / "rates.parquet"
    assert cli.main(["rates", str(source), "--by", "yjs", "--out", str(out), "--quiet"]) == 0, \
        capsys.readouterr().err
    got = pd.read_parquet(out)
    assert got["yjs"].astype(str).tolist() == ["101", "202", "303", "All"]
    want = frame.groupby("yjs")["reoffences"].agg(offenders="size", reoffences="sum")
    assert got["offenders"].tolist()[:3] == want["offenders"].tolist()
    assert got["reoffences"].tolist()[:3] == want["reoffences"].tolist()
    assert got["offenders"].iloc[3] == len(frame)


@pytest.fixture(scope="module")
def profile_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profile")
    data = ym.datasets.synthetic_youth_justice(services=4, children=800, seed=2)
    for name in ("disposals", "offences", "population"):
        getattr(data, name).to_csv(folder / f"{name}.csv", index=False)
    return folder


@pytest.mark.parametrize("years, said", [
    ("0", "whole calendar years from 1900 to 2099"),
    ("-5", "whole calendar years from 1900 to 2099"),
    ("99999", "whole calendar years from 1900 to 2099"),
    ("2017,2017", "names a year more than once"),
])
def test_profile_years_out_of_range_or_repeated_are_refused_naming_years(profile_files, capsys,
                                                                         years, said):
    folder = profile_files
    err = one_line_error(capsys, ["profile", folder / "disposals.csv", folder / "offences.csv",
                                  folder / "population.csv", "--service", "Service A",
                                  f"--years={years}", "--out", folder / "p.html"])
    assert "argument --years" in err and said in err and "--period" not in err


@pytest.mark.parametrize("years", [[2017, 2017], [0], [True], [2017.5], "2017"])
def test_performance_profile_refuses_years_that_are_not_calendar_years(years):
    with pytest.raises((ValueError, TypeError), match="years"):
        ym.measures.profile._calendar_years(years)


def test_profile_never_writes_through_a_link_to_an_input(profile_files, capsys):
    folder = profile_files
    link = folder / "profile.html"
    link.symlink_to(folder / "disposals.csv")
    before = (folder / "disposals.csv").read_bytes()
    err = one_line_error(capsys, ["profile", folder / "disposals.csv", folder / "offences.csv",
                                  folder / "population.csv", "--service", "Service A",
                                  "--years", "2017", "--out", link])
    assert "is an input of this command" in err
    assert (folder / "disposals.csv").read_bytes() == before


def test_csv_person_ids_padded_with_spaces_are_the_same_person(tmp_path, capsys):
    (tmp_path / "d.csv").write_text("person_id,date,kind\nSENTINEL_1,2014-01-05,caution\n"
                                    "  SENTINEL_2  ,2014-01-06,caution\n007,2014-01-07,caution\n")
    (tmp_path / "o.csv").write_text("person_id,offence_date,proven_date\n"
                                    "SENTINEL_1   ,2014-02-07,2014-03-09\n"
                                    "SENTINEL_2,2014-02-07,2014-03-09\n"
                                    " 7,2014-02-07,2014-03-09\n")
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.csv"), "--period",
                     "2014-01-01", "2014-12-31", "--out", str(out), "--quiet"]) == 0
    got = pd.read_csv(out, dtype={"person_id": str}).set_index("person_id")["reoffences"]
    # by hand: the two padded ids are the people of the other file; ' 7' is still not '007'
    assert got.to_dict() == {"SENTINEL_1": 1, "SENTINEL_2": 1, "007": 0}


def test_rates_by_the_previous_offences_column_with_its_mean(tmp_path, capsys):
    # the count column as a key too: the command read the counts as the key's categories
    rng = np.random.default_rng(4)
    frame = pd.DataFrame({"previous_offences": rng.integers(0, 3, 900),
                          "reoffences": rng.integers(0, 4, 900)})
    source = tmp_path / "cohort.csv"
    frame.to_csv(source, index=False)
    out = tmp_path / "rates.csv"
    assert cli.main(["rates", str(source), "--by", "previous_offences", "--previous-offences",
                     "previous_offences", "--out", str(out), "--quiet",
                     "--no-disclosure-control"]) == 0, capsys.readouterr().err
    got = pd.read_csv(out)
    want = frame.groupby("previous_offences").agg(offenders=("reoffences", "size"),
                                                  reoffences=("reoffences", "sum"))
    assert got["previous_offences"].tolist() == [0, 1, 2]
    assert got["offenders"].tolist() == want["offenders"].tolist()
    assert got["reoffences"].tolist() == want["reoffences"].tolist()
    assert got["previous_offences_mean"].tolist() == [0.0, 1.0, 2.0]
    api = ym.reoffending_rates(frame, by=["previous_offences"],
                               previous_offences="previous_offences")
    assert got["offenders"].tolist() == api["offenders"].tolist()


@pytest.mark.parametrize("key", ["reoffences", "offenders", "binary_rate"])
def test_a_grouping_column_named_like_a_measure_is_refused_not_overwritten(tmp_path, capsys,
                                                                           key):
    frame = pd.DataFrame({"reoffences": [0, 1, 2, 1] * 10})
    if key != "reoffences":
        frame[key] = ["a", "b"] * 20
    source = tmp_path / "cohort.csv"
    frame.to_csv(source, index=False)
    err = one_line_error(capsys, ["rates", source, "--by", key, "--quiet"])
    assert f"grouping column '{key}' has the name of a measure" in err
    with pytest.raises(ValueError, match="has the name of a measure"):
        ym.reoffending_rates(frame, by=[key])


def test_the_cohort_summary_says_the_cohort_was_written_when_it_was(uk_events, tmp_path, capsys):
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", *map(str, uk_events), "--period", "2014-01-01", "2014-12-31",
                     "--dayfirst", "--kinds", "Referal Order=court_conviction",
                     "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert f"wrote the cohort (2 people, one row each) to {out}" in err
    assert "written only with --out" not in err


@pytest.mark.parametrize("by, said, unsaid", [
    ("sex,sex", "--by names a column more than once", "error: by names"),
    ("yjs", "already has a category named 'All'; rename it", "margins_name"),
])
def test_rates_grouping_mistakes_in_the_command_lines_words(tmp_path, capsys, by, said, unsaid):
    source = tmp_path / "cohort.csv"
    pd.DataFrame({"yjs": ["All", "North"] * 10, "sex": "F",
                  "reoffences": [0, 1] * 10}).to_csv(source, index=False)
    err = one_line_error(capsys, ["rates", source, "--by", by, "--quiet"])
    assert said in err and unsaid not in err


def test_the_layout_hint_is_said_once_in_the_command_lines_words(uk_events, capsys):
    err = one_line_error(capsys, ["cohort", *uk_events, "--period", "2014-01-01", "2014-12-31"])
    assert err.rstrip().endswith("state the layout: --date-format '%d/%m/%Y' (any strptime "
                                 "layout) or --dayfirst for dd/mm/yyyy"), err


def test_a_null_in_a_parquet_dictionary_key_is_a_missing_value(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "cohort.parquet"
    pq.write_table(pa.table({"reoffences": [1, 2, 3, 0],
                             "sex": pa.array(["F", None, "M", None]).dictionary_encode()}), path)
    err = one_line_error(capsys, ["rates", path, "--by", "sex", "--quiet"])
    assert "grouping column 'sex': 2 rows have a missing value" in err


def test_parquet_counts_stored_as_whole_decimals_are_counted(tmp_path, capsys):
    # DECIMAL(p, 0) is how databases export integer columns; too large for int64 stays Decimal
    pa = pytest.importorskip("pyarrow")
    import decimal

    import pyarrow.parquet as pq

    path = tmp_path / "cohort.parquet"
    pq.write_table(pa.table({
        "reoffences": pa.array([decimal.Decimal(v) for v in (0, 2, 3, 1) * 5],
                               pa.decimal128(38, 0)),
        "sex": ["F", "M"] * 10}), path)
    out = tmp_path / "rates.csv"
    assert cli.main(["rates", str(path), "--by", "sex", "--out", str(out), "--quiet",
                     "--no-disclosure-control"]) == 0, \
        capsys.readouterr().err
    got = pd.read_csv(out)
    assert got["reoffences"].tolist() == [5 * 3, 5 * 3]  # F: 0+3, M: 2+1, five times
    from yosmodel._utils.files import _whole_decimals_as_integers

    huge = pa.table({"n": pa.array([decimal.Decimal(10) ** 30], pa.decimal128(38, 0))})
    assert pa.types.is_decimal(_whole_decimals_as_integers(huge).schema.field("n").type)


def test_demo_never_writes_its_html_over_a_data_file(tmp_path, capsys):
    data = tmp_path / "cohort.csv"
    data.write_text("sex,reoffences\nF,1\n")
    err = one_line_error(capsys, ["demo", "--output", data])
    assert "name a .html file" in err
    assert data.read_text() == "sex,reoffences\nF,1\n"


@pytest.mark.parametrize("command", ["rates", "cohort"])
def test_a_zstd_output_without_zstandard_is_refused_before_any_work(tmp_path, capsys, command,
                                                                    uk_events, monkeypatch):
    import importlib.util

    find_spec = importlib.util.find_spec  # zstandard missing whether or not it is installed
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "zstandard" else find_spec(name, *a))
    source = tmp_path / "cohort.csv"
    source.write_text("sex,reoffences\nF,1\n")
    argv = (["rates", source] if command == "rates" else
            ["cohort", *uk_events, "--period", "2014-01-01", "2014-12-31", "--dayfirst"])
    err = one_line_error(capsys, [*argv, "--out", tmp_path / "out.csv.zst"])
    assert "argument --out" in err and "needs the zstandard package" in err
    assert not (tmp_path / "out.csv.zst").exists()


def test_a_damaged_parquet_file_is_refused_naming_it(tmp_path, capsys):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rng = np.random.default_rng(5)
    path = tmp_path / "cohort.parquet"
    pq.write_table(pa.table({"sex": rng.choice(["F", "M"], 100_000),
                             "reoffences": rng.integers(0, 3, 100_000)}), path,
                   row_group_size=25_000)
    damaged = bytearray(path.read_bytes())
    for i in range(1000, len(damaged) - 2000, 997):  # the footer (the schema) intact
        damaged[i] ^= 0xFF
    path.write_bytes(bytes(damaged))
    err = one_line_error(capsys, ["rates", path, "--by", "sex", "--quiet"])
    assert f"{path}: not a readable Parquet file" in err and "damaged" in err


def test_a_key_that_is_numbers_early_and_text_later_is_one_key(tmp_path, capsys, monkeypatch):
    # Files past a million rows are read in chunks, each typing its columns on its own rows:
    # service 101 was the number 101 in the first chunk and the text '101' in a later one
    from yosmodel._utils import files

    monkeypatch.setattr(files, "_CSV_ROWS_PER_CHUNK", 4)
    rng = np.random.default_rng(6)
    codes = ["101", "102"] * 8 + ["Y12", "101", "102", "101"] * 5
    frame = pd.DataFrame({"yjs": codes, "flag": [True, False] * 18,
                          "reoffences": rng.integers(0, 3, len(codes))})
    source = tmp_path / "cohort.csv"
    frame.to_csv(source, index=False)
    out = tmp_path / "rates.csv"
    assert cli.main(["rates", str(source), "--by", "yjs", "--out", str(out), "--quiet",
                     "--no-disclosure-control"]) == 0, capsys.readouterr().err
    got = pd.read_csv(out, dtype={"yjs": str})
    want = pd.read_csv(source, dtype={"yjs": str}).groupby("yjs")["reoffences"].agg(
        offenders="size", reoffences="sum")
    assert got["yjs"].tolist() == ["101", "102", "Y12"]
    assert got["offenders"].tolist() == want["offenders"].tolist()
    assert got["reoffences"].tolist() == want["reoffences"].tolist()
    read = files.read_table(source, progress=functools.partial(files.Progress, enabled=False))
    assert read["flag"].dtype == bool  # a column typed alike in every chunk is left alone


def test_a_key_that_is_numbers_early_and_text_later_in_one_chunk_is_one_key(tmp_path, capsys):
    # pandas' low_memory parser types each quarter million rows of a chunk on its own (with a
    # DtypeWarning only): 101 and '101' again
    rows = 300_000
    rng = np.random.default_rng(7)
    late = np.arange(rows) >= 270_000
    frame = pd.DataFrame({"yjs": np.where(late, rng.choice(["101", "Y12"], rows),
                                          rng.choice(["101", "102"], rows)),
                          "reoffences": rng.integers(0, 3, rows)})
    source = tmp_path / "cohort.csv"
    frame.to_csv(source, index=False)
    out = tmp_path / "rates.csv"
    assert cli.main(["rates", str(source), "--by", "yjs", "--out", str(out), "--quiet",
                     "--no-disclosure-control"]) == 0, capsys.readouterr().err
    got = pd.read_csv(out, dtype={"yjs": str})
    want = frame.groupby("yjs")["reoffences"].agg(offenders="size", reoffences="sum")
    assert got["yjs"].tolist() == ["101", "102", "Y12"]
    assert got["offenders"].tolist() == want["offenders"].tolist()
    assert got["reoffences"].tolist() == want["reoffences"].tolist()


def test_cohort_out_to_a_workbook_is_refused_before_building(uk_events, tmp_path, capsys):
    err = one_line_error(capsys, ["cohort", *uk_events, "--period", "2014-01-01", "2014-12-31",
                                  "--dayfirst", "--out", tmp_path / "cohort.xlsx"])
    assert "argument --out" in err and "written to .csv or .parquet" in err


@pytest.mark.parametrize("command", ["rates", "cohort", "profile"])
def test_a_file_without_a_header_row_never_has_its_first_record_echoed(tmp_path, capsys,
                                                                       command, profile_files):
    headless = tmp_path / "records.csv"
    headless.write_text("SENTINEL_7,2014-01-05,Referral Order\n"
                        "SENTINEL_8,2014-01-06,Youth Caution\n")
    folder = profile_files
    argv = {"rates": ["rates", headless, "--by", "sex"],
            "cohort": ["cohort", headless, folder / "offences.csv", "--period", "2014-01-01",
                       "2014-12-31"],
            "profile": ["profile", headless, folder / "offences.csv",
                        folder / "population.csv", "--service", "Service A", "--years",
                        "2017", "--out", tmp_path / "p.html"]}[command]
    err = one_line_error(capsys, argv)
    assert "does the file start with a header row?" in err
    assert "2014-01-05" not in err and "Referral" not in err


def test_a_missing_column_of_a_file_with_a_header_still_lists_its_columns(tmp_path, capsys,
                                                                          profile_files):
    disposals = tmp_path / "disposals.csv"
    disposals.write_text("person_id,date,kinds\nSENTINEL_1,2014-01-05,caution\n")
    err = one_line_error(capsys, ["cohort", disposals, profile_files / "offences.csv",
                                  "--period", "2014-01-01", "2014-12-31"])
    assert "no disposal column 'kind' (the file has 3 columns: person_id, date, kinds)" in err


def test_a_headless_file_whose_first_record_repeats_a_date_does_not_echo_it(tmp_path, capsys,
                                                                            profile_files):
    offences = tmp_path / "offences.csv"
    offences.write_text("SENTINEL_7,2014-03-09,2014-03-09\n")  # committed and proven one day
    err = one_line_error(capsys, ["cohort", profile_files / "disposals.csv", offences,
                                  "--period", "2014-01-01", "2014-12-31"])
    assert "does the file start with a header row?" in err and "2014-03-09" not in err


def test_profile_statuses_without_their_columns_name_the_column(tmp_path, capsys,
                                                                profile_files):
    statuses = tmp_path / "statuses.csv"
    statuses.write_text("person_id,order_end,ete_suitable\n1,2017-05-01,True\n")
    folder = profile_files
    err = one_line_error(capsys, ["profile", folder / "disposals.csv", folder / "offences.csv",
                                  folder / "population.csv", "--service", "Service A",
                                  "--years", "2017", "--statuses", statuses,
                                  "--out", tmp_path / "p.html"])
    assert "no status column 'yjs' (the file has 3 columns" in err


@pytest.fixture(scope="module")
def lewisham_json(tmp_path_factory):
    path = tmp_path_factory.mktemp("inspection") / "lewisham_2016.json"
    ym.datasets.lewisham_2016().to_json(path)
    return path


def small_services_cohort(tmp_path):
    rng = np.random.default_rng(8)
    frame = pd.DataFrame({"yjs": rng.choice(["North", "South", "Tiny"], 300, p=[.5, .48, .02]),
                          "reoffences": rng.integers(0, 3, 300)})
    source = tmp_path / "cohort.csv"
    frame.to_csv(source, index=False)
    return source


def test_report_refuses_a_published_rates_csv_with_withheld_values(tmp_path, capsys,
                                                                   lewisham_json):
    rates = tmp_path / "rates.csv"
    assert cli.main(["rates", str(small_services_cohort(tmp_path)), "--by", "yjs", "--out",
                     str(rates), "--quiet"]) == 0
    assert "~" in rates.read_text()
    err = one_line_error(capsys, ["report", lewisham_json, "--out", tmp_path / "r.html",
                                  "--reoffending", rates, "--quiet"])
    assert "holds values withheld by disclosure control" in err and "FILE.parquet" in err


def test_report_takes_published_rates_as_parquet(tmp_path, capsys, lewisham_json):
    rates = tmp_path / "rates.parquet"
    assert cli.main(["rates", str(small_services_cohort(tmp_path)), "--by", "yjs", "--out",
                     str(rates), "--quiet"]) == 0
    assert cli.main(["report", str(lewisham_json), "--out", str(tmp_path / "r.html"),
                     "--reoffending", str(rates), "--quiet"]) == 0, capsys.readouterr().err
    assert "Tiny" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_parquet_file_saved_with_its_ids_as_the_index_is_read_by_its_columns(tmp_path,
                                                                                capsys):
    pytest.importorskip("pyarrow")
    disposals = pd.DataFrame({"person_id": ["SENTINEL_1", "SENTINEL_2"],
                              "date": pd.to_datetime(["2014-01-05", "2014-01-06"]),
                              "kind": ["caution", "caution"]})
    offences = pd.DataFrame({"person_id": ["SENTINEL_1"],
                             "offence_date": pd.to_datetime(["2014-02-07"]),
                             "proven_date": pd.to_datetime(["2014-03-09"])})
    disposals.set_index("person_id").to_parquet(tmp_path / "d.parquet")
    offences.set_index("person_id").to_parquet(tmp_path / "o.parquet")
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(tmp_path / "d.parquet"), str(tmp_path / "o.parquet"),
                     "--period", "2014-01-01", "2014-12-31", "--out", str(out),
                     "--quiet"]) == 0, capsys.readouterr().err
    got = pd.read_csv(out).set_index("person_id")["reoffences"]
    assert got.to_dict() == {"SENTINEL_1": 1, "SENTINEL_2": 0}
    rates = pd.DataFrame({"yjs": ["N", "S"] * 10, "reoffences": [1, 0] * 10}).set_index("yjs")
    rates.to_parquet(tmp_path / "c.parquet")
    assert cli.main(["rates", str(tmp_path / "c.parquet"), "--by", "yjs", "--quiet",
                     "--no-disclosure-control"]) == 0, capsys.readouterr().err


def test_int96_timestamps_past_2262_are_not_wrapped(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import datetime as dt

    import pyarrow.parquet as pq

    from yosmodel._utils import files

    path = tmp_path / "disposals.parquet"
    pq.write_table(pa.table({"date_of_birth": pa.array(
        [dt.datetime(2001, 5, 1), dt.datetime(9999, 12, 31)], pa.timestamp("us"))}), path,
        use_deprecated_int96_timestamps=True)  # as Spark and Hive write them
    read = files.read_table(path, progress=functools.partial(files.Progress, enabled=False))
    assert [str(d.date()) for d in read["date_of_birth"]] == ["2001-05-01", "9999-12-31"]


@pytest.mark.parametrize("where, said", [("folder.csv", "is a folder"),
                                         ("no/such/rates.csv", "non-existent directory")])
def test_an_output_that_cannot_be_written_is_refused_before_reading(tmp_path, capsys,
                                                                    monkeypatch, where, said):
    from yosmodel._utils import files

    (tmp_path / "folder.csv").mkdir()
    source = tmp_path / "cohort.csv"
    source.write_text("sex,reoffences\nF,1\n")
    monkeypatch.setattr(files, "read_table", lambda *a, **k: pytest.fail("read before refusing"))
    err = one_line_error(capsys, ["rates", source, "--out", tmp_path / where])
    assert "argument --out" in err and said in err


@pytest.mark.parametrize("column", ["index_date", "reoffences", "age_at_index"])
def test_a_carried_column_named_like_a_cohort_column_is_refused(tmp_path, capsys, column):
    disposals = tmp_path / "disposals.csv"
    disposals.write_text(f"person_id,date,kind,{column}\nSENTINEL_1,2014-01-05,caution,"
                         "1999-01-01\n")
    offences = tmp_path / "offences.csv"
    offences.write_text("person_id,offence_date,proven_date\nSENTINEL_1,2014-02-07,2014-03-09\n")
    err = one_line_error(capsys, ["cohort", disposals, offences, "--period", "2014-01-01",
                                  "2014-12-31"])
    assert f"disposal column '{column}' has the name of a column the cohort computes" in err


def test_the_cohort_columns_listed_are_the_cohorts(tmp_path):
    from yosmodel.reoffending.cohort import COHORT_COLUMNS

    disposals = pd.DataFrame({"person_id": ["a"], "date": ["2014-01-05"], "kind": ["caution"],
                              "date_of_birth": ["2000-01-01"]})
    offences = pd.DataFrame({"person_id": ["a"], "offence_date": ["2014-02-07"],
                             "proven_date": ["2014-03-09"]})
    cohort = ym.build_cohort(disposals, offences, "2014-01-01", "2014-12-31")
    assert set(cohort.columns) == {"person_id", "date_of_birth", *COHORT_COLUMNS}


def test_a_carried_cohort_column_is_refused_by_a_cohort_series():
    from yosmodel.reoffending.cohort import build_cohort_series, cohort_periods

    disposals = pd.DataFrame({"person_id": ["a"], "date": ["2014-01-05"], "kind": ["caution"],
                              "cohort": ["2013 Q4"]})
    offences = pd.DataFrame({"person_id": ["a"], "offence_date": ["2014-02-07"],
                             "proven_date": ["2014-03-09"]})
    with pytest.raises(ValueError, match="disposal column 'cohort' has the name"):
        build_cohort_series(disposals, offences, cohort_periods("2014-01-01", "2014-06-30"))


@pytest.mark.parametrize("command", ["rates", "profile"])
def test_a_workbook_without_openpyxl_is_refused_before_any_work(tmp_path, capsys, monkeypatch,
                                                                command, profile_files):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "openpyxl" else real(name, *a))
    source = tmp_path / "cohort.csv"
    source.write_text("sex,reoffences\nF,1\n")
    folder = profile_files
    argv = (["rates", source] if command == "rates" else
            ["profile", folder / "disposals.csv", folder / "offences.csv",
             folder / "population.csv", "--service", "Service A", "--years", "2017"])
    err = one_line_error(capsys, [*argv, "--out", tmp_path / "out.xlsx"])
    assert "needs openpyxl: pip install 'yosmodel[excel]'" in err
    assert not (tmp_path / "out.xlsx").exists()


def test_a_parquet_output_without_pyarrow_is_refused_before_any_work(tmp_path, capsys,
                                                                     monkeypatch):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else real(name, *a))
    source = tmp_path / "cohort.csv"
    source.write_text("sex,reoffences\nF,1\n")
    err = one_line_error(capsys, ["rates", source, "--out", tmp_path / "rates.parquet"])
    assert "argument --out" in err and "writing Parquet needs pyarrow" in err


def test_parquet_person_ids_padded_with_spaces_are_the_same_person(tmp_path, capsys):
    pytest.importorskip("pyarrow")
    (tmp_path / "d.csv").write_text("person_id,date,kind\nSENTINEL_1,2014-01-05,caution\n")
    pd.DataFrame({"person_id": ["SENTINEL_1    "], "offence_date": ["2014-02-07"],
                  "proven_date": ["2014-03-09"]}).to_parquet(tmp_path / "o.parquet")
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.parquet"),
                     "--period", "2014-01-01", "2014-12-31", "--out", str(out),
                     "--quiet"]) == 0
    got = pd.read_csv(out).set_index("person_id")["reoffences"]
    assert got.to_dict() == {"SENTINEL_1": 1}


def test_a_messy_uk_export_gives_the_reference_cohort(tmp_path, capsys):
    # Semicolons, a byte-order mark, CRLF, kinds in lower case and with a typo mapped by
    # --kinds, ids padded in one file only: the cohort of the clean records, by the reference.
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).parent / "safety"))
    from reference_cohort import comparable, reference_cohort

    disposals, offences = ym.datasets.synthetic_events(1500, vocabulary="case_management",
                                                       uk_dates=True)
    disposals = disposals.astype({"person_id": str, "kind": str, "date": str})
    offences = offences.astype({"person_id": str})
    messy_d = disposals.copy()
    messy_d.loc[::7, "kind"] = messy_d.loc[::7, "kind"].str.lower()
    messy_d.loc[messy_d["kind"] == "Referral Order", "kind"] = "Referal Order"
    messy_o = offences.copy()
    messy_o.loc[::3, "person_id"] = messy_o.loc[::3, "person_id"] + "   "
    for frame, name in ((messy_d, "d.csv"), (messy_o, "o.csv")):
        with open(tmp_path / name, "w", encoding="utf-8-sig", newline="") as handle:
            frame.to_csv(handle, sep=";", index=False, lineterminator="\r\n")
    out = tmp_path / "cohort.csv"
    assert cli.main(["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.csv"), "--period",
                     "01/01/2015", "31/12/2015", "--dayfirst", "--kinds",
                     "Referal Order=court_conviction", "--out", str(out), "--quiet"]) == 0, \
        capsys.readouterr().err
    got = comparable(pd.read_csv(out, dtype={"person_id": str}))
    want = comparable(reference_cohort(disposals, offences, "2015-01-01", "2015-12-31"))
    assert len(want) > 100
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("swapped", ["ids", "dates"])
def test_a_kind_column_swapped_with_ids_or_dates_never_echoes_them(tmp_path, capsys, swapped):
    disposals = tmp_path / "disposals.csv"
    if swapped == "ids":  # the header names the columns in the wrong order
        disposals.write_text("kind,date,person_id\nSENTINEL_1,2014-01-05,caution\n"
                             "SENTINEL_2,2014-01-06,Reprimand\n")
    else:
        disposals.write_text("person_id,date,kind\nSENTINEL_1,2014-01-05,2014-01-05\n"
                             "SENTINEL_2,2014-01-06,2014-01-06\n")
    offences = tmp_path / "offences.csv"
    offences.write_text("person_id,offence_date,proven_date\nSENTINEL_1,2014-02-07,2014-03-09\n")
    err = one_line_error(capsys, ["cohort", disposals, offences, "--period", "2014-01-01",
                                  "2014-12-31"])
    assert "not shown: numbers, dates or person ids" in err and "2014-01-0" not in err


def test_a_real_unknown_kind_beside_hidden_ones_is_still_named():
    from yosmodel._utils.kinds import KINDS, Lookup, describe_unknown

    text = describe_unknown({"Reprimand": 3, "SENTINEL_9": 1, "2014-01-05": 2},
                            Lookup(KINDS, None), ids=pd.Series(["SENTINEL_9", "x"]))
    assert "'Reprimand' (in 3 rows" in text
    assert "2 unknown words in 3 rows not shown" in text and "SENTINEL" not in text


@pytest.mark.parametrize("command", ["rates", "cohort"])
def test_an_out_file_that_exists_is_refused_unless_overwrite_is_given(tmp_path, capsys, command):
    # The caller's last year's figures, say: replaced only when asked for.
    cohort = tmp_path / "cohort.csv"
    pd.DataFrame({"yjs": ["A"] * 40, "reoffences": np.arange(40) % 3}).to_csv(cohort,
                                                                             index=False)
    pd.DataFrame({"person_id": ["p1"], "date": ["2016-01-05"], "kind": ["caution"]}).to_csv(
        tmp_path / "d.csv", index=False)
    pd.DataFrame({"person_id": [], "offence_date": [], "proven_date": []}).to_csv(
        tmp_path / "o.csv", index=False)
    out = tmp_path / "last_year.csv"
    out.write_text("the only copy\n")
    run = {"rates": ["rates", str(cohort), "--by", "yjs"],
           "cohort": ["cohort", str(tmp_path / "d.csv"), str(tmp_path / "o.csv"), "--period",
                      "2016-01-01", "2016-03-31"]}[command]
    assert cli.main([*run, "--out", str(out), "--quiet"]) == 2
    assert "exists; name another file, or give --overwrite" in capsys.readouterr().err
    assert out.read_text() == "the only copy\n"
    assert cli.main([*run, "--out", str(out), "--quiet", "--overwrite"]) == 0
    assert out.read_text() != "the only copy\n"


@pytest.fixture(scope="module")
def lewisham_document():
    import json

    return json.loads(ym.datasets.lewisham_2016().to_json())


def _edited(tmp_path, document, edit, escape=None):
    import copy
    import json

    changed = copy.deepcopy(document)
    edit(changed)
    text = json.dumps(changed)
    if escape:  # a JSON escape json.dumps would not write (a lone surrogate's)
        text = text.replace('"PLACE"', escape, 1)
    path = tmp_path / "inspection.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize(("edit", "escape", "field"), [
    (lambda d: d["figures"].__setitem__("reoffending", [1, 2]), None, "figures.reoffending"),
    (lambda d: d["findings"][0].__setitem__("text", "PLACE"), '"SENTINEL_4\\ud800"',
     "findings[0].text"),
    (lambda d: d.__setitem__("findings", 5), None, "findings must be a list"),
    (lambda d: d["figures"]["reoffending"].__setitem__("rows", "abc"), None,
     "figures.reoffending.rows"),
    (lambda d: d["figures"]["reoffending"]["rows"][0].__setitem__("binary_rate", "high"), None,
     "figures.reoffending.rows[0].binary_rate"),
    (lambda d: d.__setitem__("service", 5), None, "service must be text"),
    (lambda d: d.__setitem__("framework", "/etc/passwd"), None, "a file path is not followed"),
], ids=["reoffending list", "surrogate in a finding", "findings a number", "rows as text",
        "a rate as text", "service a number", "framework a path"])
def test_a_hand_edited_inspection_file_is_one_line_naming_file_and_field(
        tmp_path, capsys, lewisham_document, edit, escape, field):
    """Before: an AttributeError or pybind11's RuntimeError traceback (exit 1), or one line
    with pandas' or Python's words ("'int' object is not iterable", "DataFrame constructor not
    properly called!", "could not convert string to float: 'high'")."""
    path = _edited(tmp_path, lewisham_document, edit, escape)
    err = one_line_error(capsys, ["report", path, "--out", tmp_path / "r.html", "--quiet"])
    assert field in err and path.name in err, err
    assert not (tmp_path / "r.html").exists()
