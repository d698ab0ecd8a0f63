"""Excel output: numbers come back as numbers, withheld cells as the symbol, and the notes sheet
states the rules; a table without a disclosure record is refused."""

import pandas as pd
import pytest
import yosmodel as ym

openpyxl = pytest.importorskip("openpyxl")


def _rates():
    cohort = pd.DataFrame({"yjs": ["A"] * 40 + ["B"] * 6,
                           "reoffences": [0, 1, 2, 0] * 10 + [1, 0, 0, 3, 0, 0]})
    return ym.reoffending_rates(cohort, by="yjs")


def test_round_trip_numbers_symbols_and_notes(tmp_path):
    suppressed = ym.suppress(_rates(), by="yjs")
    path = ym.to_excel({"reoffending": suppressed}, tmp_path / "measures.xlsx",
                       sources="SYNTHETIC test data")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["reoffending", "notes"]
    sheet = book["reoffending"]
    header = [c.value for c in sheet[1]]
    a, b = ([c.value for c in row] for row in sheet.iter_rows(min_row=2))
    column = dict(zip(header, range(len(header))))
    assert a[column["yjs"]] == "A"
    assert isinstance(a[column["offenders"]], int) and a[column["offenders"]] == 40
    assert isinstance(a[column["binary_rate"]], float)
    assert a[column["binary_rate"]] == pytest.approx(0.5)
    assert b[column["offenders"]] == "~"           # 6 offenders: withheld
    assert b[column["binary_rate"]] == "~"
    notes = "\n".join(str(r[0].value) for r in book["notes"].iter_rows())
    assert "disclosure control" in notes and "SYNTHETIC test data" in notes


def test_unsuppressed_tables_only_on_purpose(tmp_path):
    with pytest.raises(ValueError, match="no disclosure record"):
        ym.to_excel({"raw": _rates()}, tmp_path / "x.xlsx")
    table = ym.disclosure.apply_default(_rates(), "yjs", None)
    path = ym.to_excel({"raw": table}, tmp_path / "x.xlsx")
    book = openpyxl.load_workbook(path)
    assert book["raw"]["B3"].value == 6
    notes = "\n".join(str(r[0].value) for r in book["notes"].iter_rows())
    assert "NOT applied" in notes


def test_kpis_workbook(tmp_path):
    data = ym.datasets.synthetic_youth_justice(services=4, children=3000, seed=2)
    kpis = ym.kpis(data.statuses, 2016, by="yjs")
    path = ym.to_excel({"kpis": kpis}, tmp_path / "kpis.xlsx")
    values = [[c.value for c in row] for row in openpyxl.load_workbook(path)["kpis"].iter_rows(
        min_row=2)]
    assert len(values) == len(kpis)
    numbers = [v for row in values for v in row if isinstance(v, int)]
    assert numbers, "counts are stored as numbers"
