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

from ._native import FrameworkError
from .framework import Framework

FILES = ("framework.json", "cases.csv", "answers.csv", "questions.csv", "judgements.csv")


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
    os.makedirs(folder, exist_ok=True)
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
        table = pd.read_csv(judged_file, dtype=str, keep_default_na=False)
        for column in ("theme_id", "judgement"):
            if column not in table.columns:
                raise FrameworkError(f"judgements.csv has no column '{column}'")
        judgements = {t.strip(): j.strip() for t, j in zip(table["theme_id"], table["judgement"])
                      if j.strip()}
    return {"answers": os.path.join(folder, "answers.csv"),
            "cases": os.path.join(folder, "cases.csv"),
            "framework": Framework.load(os.path.join(folder, "framework.json")),
            "judgements": judgements}
