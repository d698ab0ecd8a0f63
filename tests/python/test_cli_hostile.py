"""The command line against files and options as analysts' exports and typing give them:
every mistake ends in one line naming the file, column or option, exit code 2, no traceback
and no value from a row."""

import gzip

import pytest

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
