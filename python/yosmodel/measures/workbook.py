"""Excel workbooks of measures tables: one sheet per table with numbers stored as numbers,
withheld cells shown as the disclosure symbol (``~``), and a notes sheet stating each table's
definitions, periods, warnings and the disclosure rules applied. openpyxl (the ``excel`` extra)
is imported only here."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..disclosure import refuse_changed_since, refuse_identifiers
from ..errors import DtypeError, InputError

_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _plain(label: Any) -> Any:
    return label.item() if isinstance(label, np.generic) else label


def _cell(value: Any) -> Any:
    """A value openpyxl stores as a number, date or text; missing values as empty cells."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)) and np.isinf(value):
        return "inf" if value > 0 else "-inf"  # openpyxl wrote a file Excel cannot open
    if isinstance(value, np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        # Excel holds no time zones (openpyxl refused them): the local wall-clock time.
        return (value.tz_localize(None) if value.tzinfo is not None else value).to_pydatetime()
    if isinstance(value, (int, float, str, _dt.date, _dt.datetime)):
        return value
    return str(value)


def _append(sheet: Any, values: list[Any], where: str) -> None:
    """One row, every value as data: text beginning with '=' is kept as text (openpyxl made it
    a live formula in a published workbook), and text Excel cannot hold (control characters)
    is refused naming the table and column (openpyxl's error quoted the value)."""
    from openpyxl.utils.exceptions import IllegalCharacterError

    try:
        sheet.append(values)
        illegal = False
    except IllegalCharacterError:
        illegal = True
    if illegal:
        # Raised here, not in the except block: openpyxl's error, which quotes the whole
        # value, stayed on as __context__.
        raise InputError(f"{where} holds control characters that Excel cannot store; remove "
                         "them first")
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _has_control(text: str) -> bool:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.search(text) is not None


def _record_of(name: str, table: pd.DataFrame) -> Mapping[str, Any]:
    record = table.attrs.get("disclosure")
    if not isinstance(record, Mapping) or "applied" not in record:
        raise InputError(f"table '{name}' carries no disclosure record: pass it through "
                         "yosmodel.suppress first, or through "
                         "yosmodel.disclosure.apply_default(..., disclosure=None) to write it "
                         "unsuppressed on purpose")
    refuse_identifiers(record.get("by"), table)
    refuse_changed_since(table, record, f"table '{name}'")
    return record


def _note_lines(name: str, table: pd.DataFrame, record: Mapping[str, Any]) -> list[str]:
    lines = [f"Table '{name}': {len(table)} rows."]
    definition = table.attrs.get("definition")
    if isinstance(definition, Mapping):
        for key, value in definition.items():
            lines.append(f"  {key}: {value}")
    if record.get("applied"):
        lines.append(f"  disclosure control: {record.get('rules', 'applied')}")
        withheld = record.get("suppressed", {})
        if withheld:
            lines.append("  cells withheld: " + ", ".join(f"{k} {v}" for k, v in withheld.items()))
    else:
        lines.append(f"  disclosure control NOT applied: {record.get('reason', '')}")
    for warning in table.attrs.get("warnings", []):
        lines.append(f"  note: {warning}")
    return lines


def to_excel(tables: Mapping[str, pd.DataFrame], path: str | Path, *,
             title: str = "yosmodel measures", sources: str | None = None) -> Path:
    """Writes ``tables`` (sheet name -> table) to an .xlsx workbook and returns its path.

    Each table must carry a disclosure record (from :func:`yosmodel.suppress` or
    ``apply_default``, as for :func:`yosmodel.to_published`). Numbers stay numbers; a withheld
    cell holds the table's symbol (``~``) as text; the last sheet, ``notes``, lists each table's
    definition, warnings and the disclosure rules applied, then ``sources``."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if not isinstance(tables, Mapping):  # a list failed with "no attribute 'items'"
        raise DtypeError("tables must be a dict of sheet name -> table")
    if not tables:
        raise InputError("tables must hold at least one table")
    workbook = Workbook()
    workbook.remove(workbook.active)
    notes = [title, ""]
    used: set[str] = set()
    for name, table in tables.items():
        if not isinstance(table, pd.DataFrame):
            raise DtypeError(f"table '{name}' is not a pandas DataFrame")
        record = _record_of(name, table)
        sheet_name = _SHEET_NAME.sub("_", str(name))[:31] or "table"
        if sheet_name.lower() in used or sheet_name.lower() == "notes":
            raise InputError(f"sheet name '{sheet_name}' is used twice (or is 'notes')")
        used.add(sheet_name.lower())
        sheet = workbook.create_sheet(sheet_name)
        symbol = record.get("symbol", "~")
        cells = record.get("cells", ())
        withheld = cells.positions() if hasattr(cells, "positions") else \
            {(c["row"], c["column"]) for c in cells}
        _append(sheet, [str(c) for c in table.columns], f"table '{name}': a column name")
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for label, row in zip(table.index, table.itertuples(index=False, name=None)):
            plain = _plain(label)
            values = [symbol if (plain, column) in withheld else _cell(value)
                      for column, value in zip(table.columns, row)]
            try:
                _append(sheet, values, f"table '{name}'")
                bad = None
            except ValueError:
                bad = next(str(c) for c, v in zip(table.columns, values)
                           if isinstance(v, str) and _has_control(v))
            if bad is not None:  # raised outside the except block, as in _append
                raise InputError(f"table '{name}' column '{bad}' holds control characters that "
                                 "Excel cannot store; remove them first")
        notes.extend(_note_lines(str(name), table, record))
        notes.append("")
    notes.append("Withheld cells show the disclosure symbol; empty cells are values that do "
                 "not exist (a rate with no denominator).")
    if sources:
        notes.extend(["", "Sources: " + sources])
    sheet = workbook.create_sheet("notes")
    for line in notes:
        _append(sheet, [line], "the notes (title, definitions, warnings or sources)")
    out = Path(path)
    workbook.save(out)
    return out
