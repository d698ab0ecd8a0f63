"""An inspection of a youth justice service: the framework, the sampled cases and the
inspectors' answers about each, the judgements, findings and recommendations.

The model is the C++ ``Inspection`` (bound as ``_core.inspection.Inspection``): it validates
and scores; this module reads and writes files, names things and returns pandas DataFrames."""

from __future__ import annotations

import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NoReturn, cast

import numpy as np
import pandas as pd

from .._utils.plural import counted
from .._utils.text import raise_alone, text_column
from ..disclosure import DEFAULT
from ..errors import DtypeError, InputError
from ._html import escape as _escape
from ._html import group_values, publish_table, whole_percent
from ._native import ANSWER_WORDS, FINDING_KINDS, FINDING_TONES, core
from .framework import Framework, is_text, json_problem, shipped_frameworks
from .template import read_text_csv

INSPECTION_SCHEMA = "yosmodel.inspection"
INSPECTION_SCHEMA_VERSION = 1
ANSWER_COLUMNS = ("case_id", "question_id", "answer")
__all__ = ["ANSWER_WORDS", "FINDING_KINDS", "FINDING_TONES", "Finding", "Inspection",
           "Recommendation"]

Finding = core.Finding
Recommendation = core.Recommendation


def _finding_dict(f: Any) -> dict[str, Any]:
    return {"theme": f.theme, "text": f.text, "kind": f.kind, "tone": f.tone}


def _recommendation_dict(r: Any) -> dict[str, Any]:
    return {"number": r.number, "addressee": r.addressee, "text": r.text,
            "themes": list(r.themes)}


def _read_table(data: Any, what: str) -> pd.DataFrame:
    if isinstance(data, (str, os.PathLike)):
        if not os.path.isfile(data):
            raise FileNotFoundError(f"no {what} file at {os.fspath(data)}")
        return read_text_csv(os.fspath(data), what)
    if isinstance(data, pd.DataFrame):
        return data.copy()
    if isinstance(data, Mapping):
        from .._utils.columns import aligned_dict

        return pd.DataFrame(aligned_dict(dict(data)))
    raise DtypeError(f"{what} must be a pandas DataFrame, a dict of columns or a CSV path")


#: Beyond 2^53 neighbouring whole numbers share one float, so ids that differ would be one.
_EXACT_FLOAT_ID = 2.0**53

#: How the core's answer-table error begins: rules found here are listed in the same error.
_NOT_LOADED = "the answers were not loaded: "

#: A \ud800-\udfff escape in JSON text: json.loads makes a lone surrogate of one left unpaired.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _ids(column: pd.Series, table: str) -> list[str | None]:
    """The ids of ``table``'s ``column`` as text, None where one is missing (the caller reports
    that with the other broken rules). Floats (an id column with a blank, as pandas reads it)
    must be whole, finite and within 2^53: astype(int64) merged 1e20 and 2e20 into one id and
    renamed infinity -9223372036854775808."""
    name = str(column.name)
    present = column.notna().to_numpy()
    values = column.to_numpy()
    if column.dtype.kind == "f":
        given = values[present].astype(float)
        if not (np.isfinite(given) & (given == np.floor(given))
                & (np.abs(given) <= _EXACT_FLOAT_ID)).all():
            raise InputError(f"{name} in the {table} table must be text or whole numbers "
                             "(finite, and at most 2^53 in size: beyond it, ids that differ "
                             "are the same float); read the column as text")
        ids = [str(int(v)) if p else None for v, p in zip(values, present)]
    else:
        ids = [str(v).strip() if p else None for v, p in zip(values, present)]
    with text_column(name, f"the {table} table's column"):
        # The core could not take it, and pandas' error would quote the id.
        "".join(i for i in ids if i is not None).encode("utf-8")
    return ids


def _question_hint(written: Sequence[str], known: Sequence[str]) -> str:
    """The framework's question ids that unknown ones were plainly meant to be (another case,
    a typo): named, as the framework's code list; the text written is not echoed, and a value
    like no question id (a case id in the wrong column) gets no hint."""
    import difflib

    folded = {k.casefold(): k for k in reversed(known)}
    ids = set(known)
    meant: list[str] = []
    unknown = list(dict.fromkeys(w for w in written if w not in ids))
    for word in unknown[:200]:  # enough to point at every typo a person makes
        close = difflib.get_close_matches(word.casefold(), list(folded), n=1, cutoff=0.8)
        if close and folded[close[0]] not in meant:
            meant.append(folded[close[0]])
    if not meant:
        return ""
    more = f" and {len(meant) - 3} more" if len(meant) > 3 else ""
    return f" (did you mean {', '.join(repr(m) for m in meant[:3])}{more}?)"


def _check_kinds(column: pd.Series, values: list[Any], name: Any) -> None:
    """A number asked of a column of text (ages read from CSV), or text of a column of numbers,
    matches no case: refused, rather than every score coming back empty without a word."""
    numbers = [v for v in values if isinstance(v, (int, float, np.number))
               and not isinstance(v, (bool, np.bool_)) and not pd.isna(v)]
    texts = [v for v in values if isinstance(v, str)]
    if numbers and pd.api.types.is_string_dtype(column) and \
            pd.api.types.infer_dtype(column, skipna=True) == "string":
        raise InputError(f"where=: the cases' '{name}' holds text, and a number matches no "
                         "case; give the value as text")
    if texts and pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
        raise InputError(f"where=: the cases' '{name}' holds numbers, and text matches no "
                         "case; give the value as a number")


def _judgements(judgements: Mapping[str, Any] | None, framework: Framework) -> dict[str, Any]:
    """The inspectors' judgements with their words as the framework's scale spells them
    ("Ineffective" is ineffective); words of no scale are refused naming the scale."""
    from .framework import scale_words

    if judgements is not None and not isinstance(judgements, Mapping):
        raise DtypeError("judgements must map theme ids to judgement words")
    given = dict(judgements or {})
    if not all(isinstance(t, str) and isinstance(w, str) for t, w in given.items()):
        # Anything else would come back as the binding's dump of every argument, case ids too.
        raise DtypeError("judgements must map theme ids (text) to judgement words (text)")
    themes = [t.id for t in framework.themes]
    for theme in given:
        if theme not in themes:
            from .._utils.kinds import suggest
            from ..errors import InputError

            raise InputError(f"judgements name the theme {str(theme)[:60]!r}, which the "
                             f"framework does not have{suggest(str(theme), themes)}; its themes "
                             f"are {', '.join(themes)}")
    words = scale_words(list(given.values()), list(framework.judged_scale), "judgement")
    return dict(zip(given, words))


def _overall_word(overall: Any, framework: Framework) -> Any:
    """The inspectors' overall rating as the scale spells it ("good" is Good); a word of no
    scale goes on as given, for the framework's own check to refuse."""
    if not isinstance(overall, str) or not overall.strip():
        return overall or ""
    from .framework import _normal_word

    spelled = {_normal_word(w): w for w in framework.judged_scale}
    return spelled.get(_normal_word(overall), overall)


def _named_framework(framework: Any) -> Any:
    """An inspection document's framework: the framework itself (as to_json writes it) or a
    shipped framework's name. A path is not followed: an inspection file handed over from
    elsewhere would have had yosmodel open any file it named ("/etc/passwd")."""
    if isinstance(framework, (Mapping, Framework)) or (
            isinstance(framework, str) and framework in shipped_frameworks()):
        return framework
    raise InputError("an inspection document's framework must be the framework itself (an "
                     "object, as to_json writes it) or the name of a shipped framework "
                     f"({', '.join(shipped_frameworks())}); a file path is not followed")


def _check_columns(table: pd.DataFrame, needed: Iterable[str], what: str) -> None:
    needed = list(needed)
    repeated = [c for c in needed if list(table.columns).count(c) > 1]
    if repeated:  # which of them holds the values would be a guess
        raise InputError(f"the {what} table names column {repeated[0]!r} more than once; "
                         "rename or drop one of them")
    absent = [c for c in needed if c not in table.columns]
    if absent:
        raise InputError(f"the {what} table has no column {', '.join(repr(c) for c in absent)} "
                         f"(it needs {', '.join(needed)})")


def _typed_cases(cases: pd.DataFrame, dtypes: Any) -> pd.DataFrame:
    """The case attributes with the column types :meth:`Inspection.to_dict` recorded: JSON
    holds dates as ISO text, nullable integers and truth values as numbers and null; without
    this they came back as text, floats and objects. A document without the record (written by
    an older yosmodel) is read as it is."""
    if dtypes is None:
        return cases
    if not isinstance(dtypes, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in dtypes.items()):
        raise InputError("an inspection document's case_dtypes must map column names to "
                         "type names")
    for name, dtype in dtypes.items():
        if name not in cases.columns or str(cases[name].dtype) == dtype:
            continue
        if not _read_as(cases, name, dtype):
            # Raised here, not in the except block: there pandas' error ("invalid literal for
            # int() with base 10: '<a case's value>'") stayed on as __context__.
            raise InputError(f"the inspection document's case column '{name}' cannot be read "
                             f"as {dtype}, the type it records")
    return cases


def _read_as(cases: pd.DataFrame, name: str, dtype: str) -> bool:
    """Converts ``cases[name]`` to ``dtype`` in place; False when its values do not read as
    that type."""
    column = cases[name]
    written = column.notna()
    try:
        if not dtype.startswith(("datetime64", "timedelta64")):
            converted = column.astype(dtype)
            # astype truncates 0.5 to 0 as int8 without a word: the values must survive.
            if not converted.notna().equals(written) or (
                    converted[written].astype(object).to_numpy()
                    != column[written].astype(object).to_numpy()).any():
                raise InputError(name)
            cases[name] = converted
        elif not all(isinstance(v, str) for v in column[written]):
            raise InputError(name)  # dates and durations are written as text
        elif dtype.startswith("datetime64"):
            # ISO text with an offset (a time zone) is read as UTC, then put back in its zone.
            parsed = pd.to_datetime(column, format="ISO8601", utc="," in dtype)
            cases[name] = parsed.dt.tz_convert(pd.DatetimeTZDtype.construct_from_string(
                dtype).tz) if "," in dtype else parsed.astype(dtype)
        else:
            cases[name] = pd.to_timedelta(column).astype(dtype)
    except (TypeError, ValueError):
        return False
    return True


class Inspection:
    """An inspection. Build one with :meth:`from_answers` or :meth:`from_json`, or take the
    bundled reference: ``yosmodel.datasets.lewisham_2016()``."""

    def __init__(self, framework: Any, cases: pd.DataFrame, answers: pd.DataFrame, *,
                 service: str = "", published: str | None = None,
                 judgements: Mapping[str, str] | None = None,
                 findings: Iterable[Finding | Mapping[str, Any]] = (),
                 recommendations: Iterable[Recommendation | Mapping[str, Any]] = (),
                 figures: Mapping[str, Any] | None = None,
                 provenance: str | None = None, overall: str | None = None) -> None:
        for name, text in (("service", service), ("published", published),
                           ("overall", overall), ("provenance", provenance)):
            # The core takes text only; anything else would come back as the binding's dump
            # of every argument, the case ids among them.
            if text is not None and not isinstance(text, str):
                raise DtypeError(f"{name} must be text, got {type(text).__name__}")
            if text is not None and not is_text(text):  # the binding said "do not fit"
                raise InputError(f"{name} is not valid text (it holds a lone surrogate, which "
                                 "has no UTF-8 form)")
        if figures is not None and not isinstance(figures, Mapping):
            raise DtypeError("figures must be a dict of published figures")
        _check_figures(figures or {})
        # The files read, which nothing this inspection writes may replace.
        self._sources = {os.path.realpath(p) for p in (framework, cases, answers)
                         if isinstance(p, (str, os.PathLike)) and os.path.isfile(p)}
        self._read_from: str | None = None  # the JSON file, set by from_json
        self.framework = Framework.load(framework)
        self.service = service
        self.published = published
        self.figures: dict[str, Any] = dict(figures or {})
        self.provenance = provenance
        cases = _read_table(cases, "cases")
        answers = _read_table(answers, "answers")
        _check_columns(cases, ["case_id"], "cases")
        _check_columns(answers, ANSWER_COLUMNS, "answers")
        for at, (name, dtype) in enumerate(cases.dtypes.items()):
            if dtype.kind == "O":  # object, string and category columns hold text
                with text_column(str(name), "the cases table's column"):  # as _ids does
                    "".join(v for v in cases.iloc[:, at] if isinstance(v, str)).encode("utf-8")
        case_ids = _ids(cases["case_id"], "cases")
        blank = answers["answer"].isna().to_numpy()
        # A blank goes to the core's check as 'not applicable', so the other rules it breaks
        # (a repeat, an unknown case) are counted as they are, and not as a wrong word.
        words = ["not applicable" if b else " ".join(str(w).split()).lower()  # 'not  applicable'
                 for w, b in zip(answers["answer"], blank)]
        with text_column("answer", "the answers table's column"):
            "".join(words).encode("utf-8")
        answer_cases = _ids(answers["case_id"], "answers")
        answer_questions = _ids(answers["question_id"], "answers")
        # Rules broken here are reported with the core's, in one error (docs/inspection.md).
        unread = [f"{what} is missing in {n} row(s)" for what, n in (
            ("case_id in the cases table", case_ids.count(None)),
            ("case_id in the answers table", answer_cases.count(None)),
            ("question_id in the answers table", answer_questions.count(None))) if n]
        if blank.any():
            unread.append(f"the answer is missing in {int(blank.sum())} row(s) (record 'not "
                          "applicable' where a question does not apply)")
        listed = [c for c in case_ids if c is not None]
        rows = [r for r, (c, q) in enumerate(zip(answer_cases, answer_questions))
                if c is not None and q is not None] if unread else range(len(words))
        # Rows with a missing id are left out of the check, so every id passed is text.
        kept_cases = cast("list[str]", [answer_cases[r] for r in rows])
        written = cast("list[str]", [answer_questions[r] for r in rows])
        details: dict[str, Any] = {"judgements": _judgements(judgements, self.framework),
                   "findings": [_finding(f, i) for i, f in
                                enumerate(_listed(findings, "findings"))],
                   "recommendations": [_recommendation(r, i) for i, r in
                                       enumerate(_listed(recommendations, "recommendations"))]}
        try:
            self._core = core.Inspection(
                framework=self.framework, case_ids=listed,
                answer_case_ids=kept_cases, answer_question_ids=written,
                answers=[words[r] for r in rows], **details,
                service=service or "", published=published or "",
                overall=_overall_word(overall, self.framework))
        except InputError as e:
            message = str(e)
            if unread:
                message = _NOT_LOADED + "; ".join([*unread, message.removeprefix(_NOT_LOADED)])
            hint = _question_hint(written, [q.id for q in self.framework.questions])
            if not {"y", "n"}.isdisjoint(words):
                hint += ("; 'y' and 'n' are not read as answers (write yes, no or not "
                         "applicable in full)")
            if not hint and not unread:
                raise
            raise InputError(f"{message}{hint}") from None
        if unread:
            raise InputError(_NOT_LOADED + "; ".join(unread))
        # Private, in the core's case order: the scores and subgroup masks rely on both.
        self._cases = cases.assign(case_id=pd.Series(case_ids, index=cases.index, dtype="str")
                                   ).reset_index(drop=True)
        self._answers = pd.DataFrame({"case_id": answer_cases, "question_id": answer_questions,
                                      "answer": [_canonical(w) for w in words]})

    @property
    def cases(self) -> pd.DataFrame:
        """The inspected cases (case_id and attributes), one row per case, as a copy: sorting
        or editing it changes nothing in the inspection (a reordered frame made ``where=``
        masks pick other cases). Build a new Inspection to change the cases."""
        return self._cases.copy()

    @property
    def answers(self) -> pd.DataFrame:
        """The answers (case_id, question_id, answer: yes, no or not applicable), as a copy:
        the scores are the core's, so an edit here would change only what :meth:`to_dict`
        writes. Build a new Inspection to change an answer."""
        return self._answers.copy()

    @property
    def findings(self) -> list[Any]:
        """The findings (:class:`Finding`), in the order given."""
        return list(self._core.findings)

    @property
    def recommendations(self) -> list[Any]:
        """The recommendations (:class:`Recommendation`), in the order given."""
        return list(self._core.recommendations)

    @property
    def judgements(self) -> dict[str, str]:
        """The inspectors' judgements of judged themes (theme id to word)."""
        return dict(self._core.judgements)

    @property
    def overall(self) -> str | None:
        """The inspectors' overall rating, for a framework that publishes no rule."""
        return self._core.overall or None

    # -- loading and saving ------------------------------------------------------------------

    @classmethod
    def from_answers(cls, answers: Any, cases: Any, framework: Any = "fji_2016",
                     **details: Any) -> Inspection:
        """From tidy tables: ``answers`` (case_id, question_id, answer: yes, no or not
        applicable) and ``cases`` (case_id and any attributes), as DataFrames or CSV paths.
        Unknown questions or cases, repeated answers, other answer words and cases without
        answers are errors (ValueError naming the rule and the count); nothing loads in part.
        ``details`` are the other constructor arguments (service, judgements, findings, ...)."""
        return cls(framework, cases, answers, **details)

    @classmethod
    def from_folder(cls, path: str | os.PathLike, **details: Any) -> Inspection:
        """The inspection recorded in a folder written by :func:`yosmodel.inspection_template`
        (framework.json, cases.csv, answers.csv, judgements.csv) once filled in."""
        from .template import FILES, read_folder

        parts = read_folder(path)
        details.setdefault("judgements", parts.pop("judgements"))
        insp = cls.from_answers(parts["answers"], parts["cases"], parts["framework"], **details)
        insp._sources |= {os.path.realpath(os.path.join(path, name)) for name in FILES
                          if os.path.isfile(os.path.join(path, name))}
        return insp

    def to_dict(self) -> dict[str, Any]:
        """The inspection as one JSON-ready document (framework included)."""
        cases, case_dtypes = self._case_records()
        return {
            "schema": INSPECTION_SCHEMA,
            "schema_version": INSPECTION_SCHEMA_VERSION,
            "service": self.service,
            "published": self.published,
            "provenance": self.provenance,
            "framework": self.framework.to_dict(),
            "judgements": dict(self.judgements),
            "cases": cases,
            "case_dtypes": case_dtypes,
            "answers": self._answers[list(ANSWER_COLUMNS)].values.tolist(),
            "findings": [_finding_dict(f) for f in self.findings],
            "recommendations": [_recommendation_dict(r) for r in self.recommendations],
            "figures": self.figures,
            "overall": self.overall,
        }

    def _case_records(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """The cases as JSON records and their column types, checked to read back as they are:
        a column JSON cannot carry (dates as Python objects, decimals, bytes, complex numbers,
        intervals, periods) is refused naming it, never written changed or unreadable."""
        frame = self._cases
        dtypes = {str(name): str(dtype) for name, dtype in frame.dtypes.items()}

        def refuse(name: Any) -> InputError:
            return InputError(f"the case column '{name}' ({frame[name].dtype}) cannot be saved "
                              "as JSON and read back as it is; convert it (dates with "
                              "pandas.to_datetime, other values to text or numbers) or drop it")

        # pandas writes numpy scalars, missing values (null) and dates (ISO) as JSON holds them.
        # (pandas warns of deprecated attributes while it looks for a way to write a Period)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                cases = json.loads(frame.to_json(orient="records", date_format="iso"))
            except (ValueError, TypeError, OverflowError):
                for name in frame.columns:
                    try:
                        frame[[name]].to_json(orient="records", date_format="iso")
                    except (ValueError, TypeError, OverflowError):
                        raise refuse(name) from None
                raise
        for name in frame.columns[[t.kind == "f" for t in frame.dtypes]]:
            # pandas rounds floats to 10 digits; Python's repr writes the exact double.
            exact = [None if pd.isna(x) else float(x) for x in frame[name].to_numpy()]
            if any(x is not None and not np.isfinite(x) for x in exact):
                raise refuse(name)  # JSON has no infinity (Python would write 'Infinity')
            for row, value in zip(cases, exact):
                row[str(name)] = value
        if len(frame):
            written = pd.DataFrame.from_records(json.loads(json.dumps(cases)))
            for name in frame.columns:
                try:
                    back = _typed_cases(written[[str(name)]].copy(),
                                        {str(name): dtypes[str(name)]})[str(name)]
                except (InputError, KeyError):
                    raise refuse(name) from None
                if not back.equals(frame[name]):
                    raise refuse(name)
        return cases, dtypes

    def to_json(self, path: str | os.PathLike | None = None) -> str:
        """The inspection as JSON text; with ``path``, writes it there and returns the path
        (as :meth:`report` does)."""
        document = self.to_dict()
        try:  # JSON has no NaN or infinity: Python's 'Infinity' no other reader takes
            text: str | None = json.dumps(document, indent=1, ensure_ascii=False,
                                          allow_nan=False)
        except (TypeError, ValueError):  # a numpy number in the figures is a TypeError
            text = None
        if text is None or not is_text(text):
            problem = json_problem(document) or "a value JSON cannot carry"
            raise InputError(f"the inspection cannot be saved as JSON: {problem}; give such "
                             "figures as text or numbers, or leave them out")
        if path is None:
            return text
        self._refuse_overwrite(path, "the inspection", own_json=False)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text + "\n")
        return os.fspath(path)

    def _refuse_overwrite(self, path: str | os.PathLike, what: str, own_json: bool) -> None:
        """Refuses to write over a file the inspection was read from (its JSON file too, for
        ``own_json``): the inspectors' answers are never replaced by output."""
        if not isinstance(path, (str, os.PathLike)):
            raise DtypeError(f"the path to write {what} to must be text or a path")
        target = os.path.realpath(path)
        if target in self._sources or (own_json and target == self._read_from):
            raise InputError(f"will not write {what} to {os.fspath(path)}: the inspection was "
                             "read from that file; choose another path")

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Inspection:
        if not isinstance(document, Mapping) or document.get("schema") != INSPECTION_SCHEMA:
            raise InputError(f"not an inspection document: 'schema' must be "
                             f"'{INSPECTION_SCHEMA}'")
        version = document.get("schema_version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            # true is an int to Python; to_json writes 1, and the framework reader refuses it
            raise InputError("an inspection document needs an integer schema_version")
        if version > INSPECTION_SCHEMA_VERSION:
            raise InputError(f"the inspection uses schema version {version}; this yosmodel "
                             f"reads up to {INSPECTION_SCHEMA_VERSION}: upgrade yosmodel")
        for key in ("framework", "cases", "answers"):
            if key not in document:
                raise InputError(f"the inspection document is missing the required key "
                                 f"'{key}'")
        rows = document["answers"]
        if not isinstance(rows, list) or not isinstance(document["cases"], list):
            raise InputError("an inspection document's answers and cases must be lists")
        if not all(isinstance(r, (list, tuple)) and len(r) == 3 for r in rows):
            raise InputError("each answer must be a [case_id, question_id, answer] triple")
        for key in ("findings", "recommendations"):
            if document.get(key) is not None and not isinstance(document[key], list):
                raise InputError(f"an inspection document's {key} must be a list")
        framework = _named_framework(document["framework"])
        try:
            records = pd.DataFrame.from_records(document["cases"])
        except UnicodeError:  # pyarrow's error holds the value (a case id, an attribute)
            raise_alone(InputError("the inspection document is not valid: " + (json_problem(
                document["cases"], "cases", finite=False, types=False) or "its cases hold "
                "text with no UTF-8 form")))
        cases = _typed_cases(records, document.get("case_dtypes"))
        if cases.empty:  # no records to carry the columns: the recorded types name them
            dtypes = document.get("case_dtypes")
            columns = dict(dtypes) if isinstance(dtypes, Mapping) and "case_id" in dtypes \
                else {"case_id": "str"}
            try:
                cases = pd.DataFrame({k: pd.Series([], dtype=v) for k, v in columns.items()})
            except (TypeError, ValueError):
                raise InputError("an inspection document's case_dtypes must map column names "
                                 "to type names") from None
        return cls(framework, cases,
                   pd.DataFrame(rows, columns=list(ANSWER_COLUMNS), dtype=object),
                   service=document.get("service", ""), published=document.get("published"),
                   judgements=document.get("judgements"),
                   findings=document.get("findings") or [],
                   recommendations=document.get("recommendations") or [],
                   figures=document.get("figures"), provenance=document.get("provenance"),
                   overall=document.get("overall"))

    @classmethod
    def from_json(cls, path: str | os.PathLike) -> Inspection:
        """Reads an inspection written by :meth:`to_json`."""
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no inspection file at {os.fspath(path)}")
        with open(path, "rb") as f:
            data = f.read()
        try:
            text = data.decode("utf-8-sig")  # an editor's byte-order mark is dropped
            bad_byte = None
        except UnicodeDecodeError as e:
            bad_byte = e.start
        if bad_byte is not None:
            # Raised here, not in the except block: there the decode error, whose args hold the
            # file's bytes (every case in it), stayed on as __context__.
            raise InputError(f"the inspection file is not UTF-8 text (byte {bad_byte}): save "
                             "it as UTF-8")

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            seen: dict[str, Any] = {}
            for key, value in items:
                if key in seen:  # json keeps the last, silently; which was meant is a guess
                    raise InputError(f"the inspection file is not valid: the key {key[:60]!r} "
                                     "appears twice in one object")
                seen[key] = value
            return seen

        unwritable: list[str] = []  # NaN, Infinity or a number beyond a float: to_json writes none

        def constant(word: str) -> float:
            unwritable.append(word)
            return float(word)

        def number(word: str) -> float:
            value = float(word)
            if math.isinf(value):
                unwritable.append(word)
            return value

        try:
            document = json.loads(text, object_pairs_hook=pairs, parse_constant=constant,
                                  parse_float=number)
        except json.JSONDecodeError as e:
            raise InputError(f"the inspection file is not valid JSON (line {e.lineno}, "
                             f"column {e.colno}: {e.msg})") from None
        except RecursionError:  # json recurses per level: a hostile file is refused, plainly
            raise InputError("the inspection file is nested too deeply to be an "
                             "inspection") from None
        except InputError:
            raise
        except ValueError:  # Python reads integers of at most 4300 digits
            raise InputError("the inspection file is not valid: it holds an integer too long "
                             "to read") from None
        if unwritable or _SURROGATE_ESCAPE.search(text):
            # Named by field, before anything reads the value: a \ud800 in a finding was the
            # binding's RuntimeError, in a case id pandas' error holding the id.
            problem = json_problem(document)
            if problem:
                raise InputError(f"the inspection file is not valid: {problem}")
        insp = cls.from_dict(document)
        insp._read_from = os.path.realpath(path)
        return insp

    # -- scores ------------------------------------------------------------------------------

    def _mask(self, where: Mapping[str, Any] | Sequence[bool] | pd.Series | None
              ) -> np.ndarray | None:
        if where is None:
            return None
        if isinstance(where, Mapping):
            mask = np.ones(len(self._cases), dtype=bool)
            for column, wanted in where.items():
                if column not in self._cases.columns:
                    raise InputError(f"the cases have no attribute '{column}'")
                # One value (text, a number of any kind, None, a date) or a list of them.
                values = [wanted] if isinstance(wanted, (str, bytes)) or \
                    not np.iterable(wanted) else list(wanted)
                _check_kinds(self._cases[column], values, column)
                mask &= self._cases[column].isin(values).to_numpy()
        else:
            if isinstance(where, pd.Series):
                # By index, as pandas aligns: a sorted mask read by position picked other cases.
                index = self._cases.index
                if not (where.index.is_unique and len(where) == len(index)
                        and index.isin(where.index).all()):
                    raise InputError("a subgroup mask given as a Series must have the index of "
                                     "insp.cases (one entry per case)")
                where = where.reindex(index)
            mask = np.asarray(where)
            if mask.dtype != bool or mask.ndim != 1 or len(mask) != len(self._cases):
                raise InputError("a subgroup mask must be booleans, one per case")
        return np.ascontiguousarray(mask, dtype=np.uint8)

    def _counts(self, where: Any) -> dict[str, np.ndarray]:
        counts = self._core.question_counts(self._mask(where))
        return {"yes": np.array([c.yes for c in counts], dtype=np.int64),
                "no": np.array([c.no for c in counts], dtype=np.int64),
                "not_applicable": np.array([c.not_applicable for c in counts], dtype=np.int64)}

    def question_summary(self, where: Any = None) -> pd.DataFrame:
        """One row per scored question: theme, question (its text), yes, no, not_applicable,
        score (yes / (yes + no)) and question_id. ``where`` picks a case subgroup: a dict of
        attribute values (``{"sex": "female"}``) or a boolean mask over the cases."""
        counts = self._counts(where)
        fw = self.framework
        yes, no = counts["yes"], counts["no"]
        with np.errstate(invalid="ignore", divide="ignore"):
            score = np.where(yes + no > 0, yes / np.maximum(yes + no, 1), np.nan)
        return pd.DataFrame({
            "theme": [fw.question_theme[q.id].name for q in fw.questions],
            "question": [q.text for q in fw.questions],
            "yes": yes, "no": no, "not_applicable": counts["not_applicable"],
            "score": score,
            "question_id": [q.id for q in fw.questions],
        })

    def theme_scores(self, where: Any = None, by: str | None = None,
                     level: float | None = None) -> pd.DataFrame:
        """One row per theme: theme, applicable, done_well, score, judgement. applicable and
        done_well are the answers the score is made of (score = done_well / applicable): the
        yes + no and yes answers across the theme's questions under the pooled rule, those of
        the question that sets the score under the lowest_question rule (the first in
        framework order where two tie). Judged themes (governance) carry the inspectors'
        judgement and no score. ``where`` scores a case subgroup; ``by`` names a case
        attribute and gives one block of rows per value, in the values' order (first column
        ``by``); ``level`` (e.g. 0.95) adds Wilson score_lower and score_upper, over the same
        answers."""
        if by is not None:
            if by not in self._cases.columns:
                raise InputError(f"the cases have no attribute '{by}'")
            base = self._mask(where)
            unset = self._cases[by].isna().to_numpy()
            if base is not None:
                unset &= base.astype(bool)
            if unset.any():  # said, never dropped quietly
                warnings.warn(f"theme_scores(by='{by}'): {int(unset.sum())} case(s) with no "
                              f"'{by}' value are in no block", UserWarning, stacklevel=2)
            parts = []
            for value in group_values(self._cases[by]):
                mask = (self._cases[by] == value).to_numpy()
                if base is not None:
                    mask &= base.astype(bool)
                part = self.theme_scores(mask, level=level)
                part.insert(0, by, value)
                parts.append(part)
            if not parts:  # no case has a value: the columns, no rows
                part = self.theme_scores(np.zeros(len(self._cases), dtype=bool), level=level)
                part.insert(0, by, pd.Series([], dtype=self._cases[by].dtype))
                return part.iloc[:0]
            return pd.concat(parts, ignore_index=True)
        fw = self.framework
        scores = self._core.theme_scores(self._mask(where))
        scored = np.array([t.scored for t in scores], dtype=bool)
        table = pd.DataFrame({
            "theme": [t.name for t in fw.themes],
            "applicable": pd.array([t.applicable for t in scores], dtype="Int64"),
            "done_well": pd.array([t.done_well for t in scores], dtype="Int64"),
            "score": np.array([t.score for t in scores], dtype=float),
            "judgement": [t.judgement or None for t in scores],
        })
        table.loc[~scored, ["applicable", "done_well"]] = pd.NA
        if level is not None:
            from ..stats import proportion_interval

            applicable = np.array([t.applicable for t in scores], dtype=np.int64)
            done_well = np.array([t.done_well for t in scores], dtype=np.int64)
            ok = scored & (applicable > 0)
            lower = np.full(len(table), np.nan)
            upper = np.full(len(table), np.nan)
            if ok.any():
                lo, hi = proportion_interval(done_well[ok], applicable[ok], level)
                lower[ok], upper[ok] = lo, hi
            table["score_lower"] = lower
            table["score_upper"] = upper
        return table

    def key_judgements(self) -> pd.DataFrame:
        """The key judgements table: theme, score (a whole percentage, as published),
        judgement, and basis (computed from case answers, or set by inspectors)."""
        scores = self.theme_scores()
        scored = [t.scored for t in self.framework.themes]
        percent = pd.array([_percent(v) for v in scores["score"]], dtype="Int64")
        return pd.DataFrame({
            "theme": scores["theme"],
            "score": percent,
            "judgement": scores["judgement"],
            "basis": ["case assessment" if s else "set by inspectors" for s in scored],
        })

    def overall_rating(self) -> tuple[int | None, str]:
        """The overall rating, ``(points, rating)``: from the framework's rule over the counted
        standards (``hmip_youth_2018``; resettlement is rated separately and not counted), or,
        where the framework publishes no rule (``hmip_youth_2025``), the inspectors' word
        given as ``overall=`` (points None)."""
        points, rating = self._core.overall_rating()
        if self.framework.overall_basis == "inspectors":
            return None, rating
        return int(points), rating

    # -- presentation ------------------------------------------------------------------------

    @property
    def is_reconstruction(self) -> bool:
        return bool(self.provenance)

    def __repr__(self) -> str:
        tag = " (RECONSTRUCTED case sample)" if self.is_reconstruction else ""
        return (f"<Inspection {self.service or 'unnamed service'}: {self.framework.id}, "
                f"{counted(len(self._cases), 'case')}{tag}>")

    def _repr_html_(self) -> str:
        head = f"<strong>{_escape(self.service or 'Inspection')}</strong>"
        head += f" &middot; {_escape(self.framework.name)} &middot; "
        head += counted(len(self._cases), "case")
        if self.provenance:
            head += f"<br><em>{_escape(self.provenance)}</em>"
        from .report import key_judgements_table  # the report's own table: % and one case

        return f"<div>{head}{publish_table(key_judgements_table(self), 'Key judgements')}</div>"

    def report(self, path: str | os.PathLike, *, reoffending: pd.DataFrame | None = None,
               title: str | None = None, disclosure: Any = DEFAULT,
               subgroups: Sequence[str] | None = None) -> str:
        """Writes a self-contained HTML report (key judgements, a section per theme with its
        data summary chart, recommendations, reoffending context) to ``path`` and returns the
        path. ``reoffending`` may be a table from :func:`yosmodel.reoffending_rates`.
        ``subgroups``: the case attributes to break scores down by (default: those the
        framework declares); no other case column is published. Every table of counts,
        ``reoffending`` included, goes through disclosure control (threshold 10) unless
        ``disclosure=None`` is passed explicitly; see docs/privacy.md."""
        from .report import write_report

        self._refuse_overwrite(path, "the report", own_json=True)
        return write_report(self, path, reoffending=reoffending, title=title,
                            disclosure=disclosure, subgroups=subgroups)

    def readiness(self, sample_size: int | None = None, simulations: int = 10_000,
                  seed: int = 0) -> Any:
        """How likely each rating is, per standard and overall, if an inspection sampled
        ``sample_size`` cases like this audit's: see :mod:`yosmodel.inspection.readiness`."""
        from .readiness import readiness

        return readiness(self, sample_size=sample_size, simulations=simulations, seed=seed)


def _percent(score: float) -> Any:
    # Half-up rounding to a whole percentage, as reports print scores.
    return pd.NA if np.isnan(score) else whole_percent(score)


def _canonical(word: str) -> str:
    return {"yes": "yes", "no": "no"}.get(word, "not applicable")


def _listed(given: Any, what: str) -> list[Any]:
    # A number was "'int' object is not iterable"; a text would be one item per letter.
    if isinstance(given, (str, bytes, Mapping)) or not isinstance(given, Iterable):
        raise DtypeError(f"{what} must be a list of {what[:-1].capitalize()} objects or dicts")
    return list(given)


def _built(where: str, build: Any) -> Any:
    """``build()``, with the binding's error (which names the field) saying which item."""
    try:
        return build()
    except (InputError, DtypeError) as e:
        error = type(e)(f"{where}: {e}")
    raise error


def _check_text_fields(item: Mapping[str, Any], where: str) -> None:
    # The binding's cast of a lone surrogate was a bare RuntimeError ("Unable to cast").
    for key, value in item.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        if any(isinstance(v, str) and not is_text(v) for v in values):
            raise InputError(f"{where}.{key} is not valid text (it holds a lone surrogate, "
                             "which has no UTF-8 form)")


def _finding(f: Any, i: int = 0) -> Any:
    if isinstance(f, core.Finding):
        return f
    where = f"findings[{i}]"
    if isinstance(f, Mapping):
        extra = set(f) - {"theme", "text", "kind", "tone"}
        if extra or "theme" not in f or "text" not in f:
            raise InputError(f"{where}: a finding needs theme and text, and may have kind and "
                             "tone")
        _check_text_fields(f, where)
        # The binding refuses anything but text (None, a blank cell, was published as 'None').
        return _built(where, lambda: Finding(**f))
    raise DtypeError(f"{where}: findings must be Finding objects or dicts")


def _recommendation(r: Any, i: int = 0) -> Any:
    if isinstance(r, core.Recommendation):
        return r
    where = f"recommendations[{i}]"
    if isinstance(r, Mapping):
        if any(k not in r for k in ("number", "addressee", "text")):
            raise InputError(f"{where}: a recommendation needs number, addressee and text")
        _check_text_fields(r, where)
        # The binding checks each field's type (a bool or float number, a str of themes).
        return _built(where, lambda: Recommendation(r["number"], r["addressee"], r["text"],
                                                    r.get("themes", ())))
    raise DtypeError(f"{where}: recommendations must be Recommendation objects or dicts")


def _is_rate(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        return False
    try:
        return not math.isinf(float(value))  # NaN is a missing rate, shown as withheld
    except OverflowError:  # an integer no float holds
        return False


def _check_figures(figures: Mapping[str, Any]) -> None:
    """The published figures in the shapes the report reads: a hand-edited file's list for
    figures.reoffending was an AttributeError there, rows given as text pandas' "DataFrame
    constructor not properly called!". Other keys are kept as given."""
    def refuse(path: str, what: str) -> NoReturn:
        raise InputError(f"figures.{path} must be {what}")

    def text(path: str, value: Any) -> None:
        if value is not None and not isinstance(value, str):
            refuse(path, "text")

    def table(path: str, rows: Any) -> None:
        if rows is None:
            return
        if not isinstance(rows, list) or not all(isinstance(row, Mapping) for row in rows):
            refuse(path, "a list of rows, each an object of column values")
        for i, row in enumerate(rows):
            for column, value in row.items():
                where = f"{path}[{i}].{str(column)[:60]}"
                if isinstance(value, (Mapping, list, tuple)):
                    refuse(where, "one value (text, a number or null)")
                if str(column).startswith("binary_rate") and not _is_rate(value):
                    refuse(where, "a number (a rate from 0 to 1) or null")

    for key in ("title", "sample"):
        text(key, figures.get(key))
    context = figures.get("reoffending")
    if context is not None:
        if not isinstance(context, Mapping):
            refuse("reoffending", "an object (its rows, cohort, source and note)")
        for key in ("cohort", "source", "note"):
            text(f"reoffending.{key}", context.get(key))
        table("reoffending.rows", context.get("rows"))
    table("education_training_employment", figures.get("education_training_employment"))
    # Text with no UTF-8 form could be neither published nor saved.
    problem = json_problem(figures, "figures", finite=False, types=False)
    if problem:
        raise InputError(problem)
