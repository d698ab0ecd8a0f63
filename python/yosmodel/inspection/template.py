"""A way in for a real inspection: empty files to fill in for a framework, and reading the
filled-in folder back as an :class:`~yosmodel.Inspection`.

    >>> ym.inspection_template("hmip_youth_2018", "my_inspection")   # doctest: +SKIP
    >>> insp = ym.Inspection.from_folder("my_inspection")             # doctest: +SKIP
    >>> insp.report("my_inspection/report.html")                      # doctest: +SKIP
"""

from __future__ import annotations

import csv
import json
import os
from typing import Any

import pandas as pd

from .._utils.files import clean_header
from ..errors import InputError
from ._native import FrameworkError
from .framework import Framework

FILES = ("framework.json", "cases.csv", "answers.csv", "questions.csv", "judgements.csv")

_WORKBOOKS = (".xlsx", ".xlsm", ".xls", ".ods")


def read_text_csv(path: str, what: str) -> pd.DataFrame:
    """A CSV file as text, every field as written. The header is read as a row (pandas would
    rename a repeated name 'answer.1' and take a long first row's leading fields as an index);
    a header of one name holding ';', a tab or '|' is read again with that separator. Failures
    name the file and never quote its contents."""
    if path.lower().endswith(_WORKBOOKS):
        raise InputError(f"the {what} file {path} is a spreadsheet workbook: save the sheet as "
                         "CSV UTF-8, or pass pandas.read_excel(path, dtype=str)")

    def read(separator: str) -> pd.DataFrame:
        return pd.read_csv(path, sep=separator, header=None, index_col=False, dtype=str,
                           keep_default_na=False, na_values=[""], encoding="utf-8-sig")

    failure: str | None = None
    try:
        raw = read(",")
        if raw.shape[1] == 1 and isinstance(raw.iat[0, 0], str):
            found = max(";\t|", key=raw.iat[0, 0].count)
            if raw.iat[0, 0].count(found):
                raw = read(found)
    except pd.errors.EmptyDataError:
        failure = "is empty (no header row)"
    except UnicodeDecodeError as e:
        failure = f"is not UTF-8 text (byte {e.start}): save it as CSV UTF-8"
    except pd.errors.ParserError as e:
        # The parser's message gives a line number and field counts, never field contents.
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else "bad CSV"
        failure = f"is not a readable CSV file ({first_line})"
    if failure is not None:
        # Raised here, not in the except block: there the reader's error stayed on as
        # __context__, and a UnicodeDecodeError's args hold the bytes read (case ids).
        raise InputError(f"the {what} file {path} {failure}")
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = clean_header(list(raw.iloc[0]), path)
    return frame


def inspection_template(framework: Any, path: str | os.PathLike) -> str:
    """Writes, into the folder ``path`` (created if need be), the files an inspection is
    recorded in, and returns the folder:

    - ``framework.json``: the framework, so the folder says what it was answered against;
    - ``cases.csv``: a header of ``case_id`` and the framework's subgroup attributes
      (sentence type, sex, risk of harm): one row per inspected case goes under it;
    - ``answers.csv``: a header of ``case_id, question_id, answer``: one row per case and
      question, the answer yes, no or not applicable;
    - ``questions.csv``: every question the framework asks (theme, question id, text), to
      copy ids from;
    - ``judgements.csv``: one row per theme judged by inspectors, the judgement left blank.

    Existing files are never overwritten: the call fails, naming the first it finds."""
    fw = Framework.load(framework)
    folder = os.fspath(path)
    # makedirs said only "[Errno 17] File exists" of a file given as the folder.
    if os.path.exists(folder) and not os.path.isdir(folder):
        raise FileExistsError(f"{folder} exists and is a file, not a folder: the template is "
                              "a folder of files; name a new or empty folder")
    try:
        os.makedirs(folder, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        failed = True  # a part of the path above the folder is a file
    else:
        failed = False
    if failed:
        raise NotADirectoryError(f"cannot make the folder {folder}: a part of its path is a "
                                 "file; name a folder under an existing folder")
    present = [name for name in FILES if os.path.exists(os.path.join(folder, name))]
    if present:
        raise FileExistsError(f"{os.path.join(folder, present[0])} exists: the template never "
                              "overwrites a file (choose an empty folder)")
    with open(os.path.join(folder, "framework.json"), "w", encoding="utf-8") as f:
        json.dump(fw.to_dict(), f, indent=2, ensure_ascii=False)
        f.write("\n")

    def write(name: str, header: list[str], rows: list[list[str]]) -> None:
        with open(os.path.join(folder, name), "w", encoding="utf-8", newline="") as f:
            out = csv.writer(f)
            out.writerow(header)
            out.writerows(rows)

    write("cases.csv", ["case_id", *fw.subgroups], [])
    write("answers.csv", ["case_id", "question_id", "answer"], [])
    write("questions.csv", ["theme_id", "theme", "question_id", "question"],
          [[t.id, t.name, q.id, q.text] for t in fw.themes for q in t.questions])
    write("judgements.csv", ["theme_id", "theme", "judgement", "allowed"],
          [[t.id, t.name, "", "; ".join(fw.judged_scale)] for t in fw.themes if not t.scored])
    return folder


def read_folder(path: str | os.PathLike) -> dict[str, Any]:
    """What a folder written by :func:`inspection_template` and filled in holds, as the
    arguments of :meth:`Inspection.from_answers` (``Inspection.from_folder`` passes them on):
    the answers and cases paths, the framework, and the judgements (blank ones left unset)."""
    folder = os.fspath(path)
    for name in ("framework.json", "cases.csv", "answers.csv"):
        if not os.path.isfile(os.path.join(folder, name)):
            raise FileNotFoundError(f"no {name} in {folder} (write the files with "
                                    "yosmodel.inspection_template)")
    judgements: dict[str, str] = {}
    judged_file = os.path.join(folder, "judgements.csv")
    if os.path.isfile(judged_file):
        table = read_text_csv(judged_file, "judgements").fillna("")
        for column in ("theme_id", "judgement"):
            if column not in table.columns:
                raise FrameworkError(f"judgements.csv has no column '{column}'")
        for theme, word in zip(table["theme_id"], table["judgement"]):
            if not word.strip():
                continue
            if theme.strip() in judgements:  # which word the inspectors meant is a guess
                raise InputError(f"judgements.csv judges the theme {theme.strip()!r} more "
                                 "than once; keep one row per theme")
            judgements[theme.strip()] = word.strip()
    return {"answers": os.path.join(folder, "answers.csv"),
            "cases": os.path.join(folder, "cases.csv"),
            "framework": Framework.load(os.path.join(folder, "framework.json")),
            "judgements": judgements}
