"""``yosmodel profile`` end to end on synthetic files, and its one-line errors."""

import pandas as pd
import pytest
import yosmodel as ym
from yosmodel.cli import main


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profile")
    data = ym.datasets.synthetic_youth_justice(services=6, children=3000, seed=9)
    paths = {}
    for name in ("disposals", "offences", "population", "statuses"):
        paths[name] = folder / f"{name}.csv"
        getattr(data, name).to_csv(paths[name], index=False)
    paths["comparators"] = folder / "comparators.csv"
    pd.DataFrame({"comparator": "neighbours", "yjs": data.neighbours["Service A"]}).to_csv(
        paths["comparators"], index=False)
    return folder, paths


def test_profile_writes_html_and_excel(files, capsys):
    pytest.importorskip("matplotlib")
    pytest.importorskip("openpyxl")
    folder, p = files
    base = [str(p["disposals"]), str(p["offences"]), str(p["population"]), "--service",
            "Service A", "--years", "2016,2017", "--comparators", str(p["comparators"]),
            "--statuses", str(p["statuses"])]
    assert main(["profile", *base, "--out", str(folder / "p.html")]) == 0
    page = (folder / "p.html").read_text(encoding="utf-8")
    assert "neighbours" in page and "England and Wales" in page and "~" in page
    assert main(["profile", *base, "--out", str(folder / "p.xlsx"), "--quiet"]) == 0
    assert (folder / "p.xlsx").stat().st_size > 0


def test_profile_errors_are_one_line(files, capsys):
    folder, p = files
    code = main(["profile", str(p["disposals"]), str(p["offences"]), str(p["population"]),
                 "--service", "Nowhere", "--years", "2017", "--out", str(folder / "x.html")])
    assert code == 2
    err = capsys.readouterr().err
    assert "not in column 'yjs'" in err and "Traceback" not in err
    assert main(["profile", str(p["disposals"]), str(p["offences"]), str(p["population"]),
                 "--service", "Service A", "--years", "2017", "--out",
                 str(folder / "x.pdf")]) == 2
    assert ".html or .xlsx" in capsys.readouterr().err


def test_rates_to_excel_keeps_numbers_and_withholds(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    cohort = pd.DataFrame({"yjs": ["A"] * 40 + ["B"] * 5,
                           "reoffences": [0, 1, 2, 0] * 10 + [1, 0, 0, 0, 0]})
    source = tmp_path / "cohort.csv"
    cohort.to_csv(source, index=False)
    out = tmp_path / "rates.xlsx"
    assert main(["rates", str(source), "--by", "yjs", "--out", str(out), "--quiet"]) == 0
    sheet = openpyxl.load_workbook(out)["table"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in sheet[1]]
    # B's 5 are withheld, and A with them (the total would give them away); the total stays.
    assert rows["B"][header.index("offenders")] == "~"
    assert rows["A"][header.index("offenders")] == "~"
    assert rows["All"][header.index("offenders")] == 45
    assert isinstance(rows["All"][header.index("binary_rate")], float)
