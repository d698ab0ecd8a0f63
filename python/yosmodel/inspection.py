"""An inspection of a youth justice service: the framework, the sampled cases and the
inspectors' answers about each, the judgements, findings and recommendations.

Scores and validation run in the C++ core; this module reads and writes files, names things
and returns pandas DataFrames."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ._core import inspection as _core  # the inspection area of the compiled core
from .disclosure import DEFAULT
from .framework import Framework

INSPECTION_SCHEMA = "yosmodel.inspection"
INSPECTION_SCHEMA_VERSION = 1
FINDING_KINDS = ("key_finding", "explanation", "notable_practice", "quote")
FINDING_TONES = ("strength", "area_for_improvement", "neutral")
ANSWER_COLUMNS = ("case_id", "question_id", "answer")


@dataclass(frozen=True)
class Finding:
    """What inspectors found in a theme. ``kind``: key_finding, explanation, notable_practice
    or quote (from a young person or parent); ``tone``: strength, area_for_improvement or
    neutral."""

    theme: str
    text: str
    kind: str = "key_finding"
    tone: str = "neutral"


@dataclass(frozen=True)
class Recommendation:
    """A numbered recommendation, the person or body it is addressed to, and its themes."""

    number: int
    addressee: str
    text: str
    themes: tuple[str, ...] = field(default_factory=tuple)


def _read_table(data: Any, what: str) -> pd.DataFrame:
    if isinstance(data, (str, os.PathLike)):
        if not os.path.isfile(data):
            raise FileNotFoundError(f"no {what} file at {os.fspath(data)}")
        return pd.read_csv(data, dtype=str, keep_default_na=False, na_values=[""])
    if isinstance(data, pd.DataFrame):
        return data.copy()
    if isinstance(data, Mapping):
        return pd.DataFrame(dict(data))
    raise TypeError(f"{what} must be a pandas DataFrame, a dict of columns or a CSV path")


def _ids(column: pd.Series, what: str) -> list[str]:
    missing = int(column.isna().sum())
    if missing:
        raise ValueError(f"{what} is missing in {missing} row(s)")
    values = column.to_numpy()
    if column.dtype.kind == "f":
        if (values != np.floor(values)).any():
            raise ValueError(f"{what} must be text or whole numbers")
        values = values.astype(np.int64)
    return [str(v).strip() for v in values]


def _check_columns(table: pd.DataFrame, needed: Iterable[str], what: str) -> None:
    absent = [c for c in needed if c not in table.columns]
    if absent:
        raise ValueError(f"the {what} table has no column {', '.join(repr(c) for c in absent)} "
                         f"(it needs {', '.join(needed)})")


class Inspection:
    """An inspection. Build one with :meth:`from_answers` or :meth:`from_json`, or take the
    bundled reference: ``yosmodel.datasets.lewisham_2016()``."""

    def __init__(self, framework: Any, cases: pd.DataFrame, answers: pd.DataFrame, *,
                 service: str = "", published: str | None = None,
                 judgements: Mapping[str, str] | None = None,
                 findings: Iterable[Finding | Mapping[str, Any]] = (),
                 recommendations: Iterable[Recommendation | Mapping[str, Any]] = (),
                 figures: Mapping[str, Any] | None = None,
                 provenance: str | None = None) -> None:
        self.framework = Framework.load(framework)
        self.service = service
        self.published = published
        self.figures: dict[str, Any] = dict(figures or {})
        self.provenance = provenance
        cases = _read_table(cases, "cases")
        answers = _read_table(answers, "answers")
        _check_columns(cases, ["case_id"], "cases")
        _check_columns(answers, ANSWER_COLUMNS, "answers")
        case_ids = _ids(cases["case_id"], "case_id in the cases table")
        words = answers["answer"]
        blank = int(words.isna().sum())
        if blank:
            raise ValueError(f"the answer is missing in {blank} row(s); record 'not applicable' "
                             "where a question does not apply")
        words = [str(w).strip().lower() for w in words]
        answer_cases = _ids(answers["case_id"], "case_id in the answers table")
        answer_questions = _ids(answers["question_id"], "question_id in the answers table")
        self._sheet = _core.AnswerSheet(self.framework._core, case_ids, answer_cases,
                                        answer_questions, words)
        self.cases = cases.assign(case_id=case_ids).reset_index(drop=True)
        self.answers = pd.DataFrame({"case_id": answer_cases, "question_id": answer_questions,
                                     "answer": [_canonical(w) for w in words]})
        self.judgements = dict(judgements or {})
        self.framework._core.validate_judgements(self.judgements)
        self.findings: list[Finding] = [_finding(f) for f in findings]
        self.recommendations: list[Recommendation] = [_recommendation(r)
                                                      for r in recommendations]
        theme_ids = {t.id for t in self.framework.themes}
        stray = sum(f.theme not in theme_ids for f in self.findings) + sum(
            t not in theme_ids for r in self.recommendations for t in r.themes)
        if stray:
            raise ValueError(f"{stray} finding(s) or recommendation theme(s) name a theme the "
                             "framework does not have")

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

    def to_dict(self) -> dict[str, Any]:
        """The inspection as one JSON-ready document (framework included)."""
        # pandas writes numpy scalars, missing values (null) and dates (ISO) as JSON can hold them.
        cases = json.loads(self.cases.to_json(orient="records", date_format="iso"))
        return {
            "schema": INSPECTION_SCHEMA,
            "schema_version": INSPECTION_SCHEMA_VERSION,
            "service": self.service,
            "published": self.published,
            "provenance": self.provenance,
            "framework": self.framework.to_dict(),
            "judgements": dict(self.judgements),
            "cases": cases,
            "answers": self.answers[list(ANSWER_COLUMNS)].values.tolist(),
            "findings": [asdict(f) for f in self.findings],
            "recommendations": [dict(asdict(r), themes=list(r.themes))
                                for r in self.recommendations],
            "figures": self.figures,
        }

    def to_json(self, path: str | os.PathLike | None = None) -> str:
        """Writes the inspection to ``path`` (and returns the JSON text)."""
        text = json.dumps(self.to_dict(), indent=1, ensure_ascii=False)
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text + "\n")
        return text

    @classmethod
    def from_dict(cls, document: Mapping[str, Any]) -> Inspection:
        if not isinstance(document, Mapping) or document.get("schema") != INSPECTION_SCHEMA:
            raise ValueError(f"not an inspection document: 'schema' must be "
                             f"'{INSPECTION_SCHEMA}'")
        version = document.get("schema_version")
        if not isinstance(version, int) or version < 1:
            raise ValueError("an inspection document needs an integer schema_version")
        if version > INSPECTION_SCHEMA_VERSION:
            raise ValueError(f"the inspection uses schema version {version}; this yosmodel "
                             f"reads up to {INSPECTION_SCHEMA_VERSION}: upgrade yosmodel")
        for key in ("framework", "cases", "answers"):
            if key not in document:
                raise ValueError(f"the inspection document is missing the required key "
                                 f"'{key}'")
        rows = document["answers"]
        if not all(isinstance(r, (list, tuple)) and len(r) == 3 for r in rows):
            raise ValueError("each answer must be a [case_id, question_id, answer] triple")
        cases = pd.DataFrame.from_records(document["cases"])
        if cases.empty:
            cases = pd.DataFrame({"case_id": pd.Series([], dtype=str)})
        return cls(document["framework"], cases,
                   pd.DataFrame(rows, columns=list(ANSWER_COLUMNS), dtype=object),
                   service=document.get("service", ""), published=document.get("published"),
                   judgements=document.get("judgements"),
                   findings=document.get("findings", []),
                   recommendations=document.get("recommendations", []),
                   figures=document.get("figures"), provenance=document.get("provenance"))

    @classmethod
    def from_json(cls, path: str | os.PathLike) -> Inspection:
        """Reads an inspection written by :meth:`to_json`."""
        if not os.path.isfile(path):
            raise FileNotFoundError(f"no inspection file at {os.fspath(path)}")
        with open(path, encoding="utf-8") as f:
            try:
                document = json.load(f)
            except json.JSONDecodeError as e:
                raise ValueError(f"the inspection file is not valid JSON (line {e.lineno}, "
                                 f"column {e.colno}: {e.msg})") from None
        return cls.from_dict(document)

    # -- scores ------------------------------------------------------------------------------

    def _mask(self, where: Mapping[str, Any] | Sequence[bool] | pd.Series | None
              ) -> np.ndarray | None:
        if where is None:
            return None
        if isinstance(where, Mapping):
            mask = np.ones(len(self.cases), dtype=bool)
            for column, wanted in where.items():
                if column not in self.cases.columns:
                    raise ValueError(f"the cases have no attribute '{column}'")
                values = [wanted] if isinstance(wanted, (str, int, float, bool)) else list(wanted)
                mask &= self.cases[column].isin(values).to_numpy()
        else:
            mask = np.asarray(where)
            if mask.dtype != bool or mask.ndim != 1 or len(mask) != len(self.cases):
                raise ValueError("a subgroup mask must be booleans, one per case")
        return np.ascontiguousarray(mask, dtype=np.uint8)

    def _counts(self, where: Any) -> Mapping[str, np.ndarray]:
        return self._sheet.question_counts(self._mask(where))

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
        """One row per theme: theme, applicable, done_well, score, judgement. Judged themes
        (governance) carry the inspectors' judgement and no score. ``where`` scores a case
        subgroup; ``by`` names a case attribute and gives one block of rows per value (first
        column ``by``); ``level`` (e.g. 0.95) adds Wilson score_lower and score_upper."""
        if by is not None:
            if by not in self.cases.columns:
                raise ValueError(f"the cases have no attribute '{by}'")
            base = self._mask(where)
            parts = []
            for value in sorted(self.cases[by].dropna().unique(), key=str):
                mask = (self.cases[by] == value).to_numpy()
                if base is not None:
                    mask &= base.astype(bool)
                part = self.theme_scores(mask, level=level)
                part.insert(0, by, value)
                parts.append(part)
            return pd.concat(parts, ignore_index=True)
        counts = self._counts(where)
        fw = self.framework
        s = _core.score_themes(fw._core, counts["yes"], counts["no"], counts["not_applicable"])
        scored = s["scored"].astype(bool)
        judgement = [j if sc else self.judgements.get(t.id, "")
                     for j, sc, t in zip(s["judgement"], scored, fw.themes)]
        table = pd.DataFrame({
            "theme": [t.name for t in fw.themes],
            "applicable": pd.array(np.where(scored, s["applicable"], 0), dtype="Int64"),
            "done_well": pd.array(np.where(scored, s["done_well"], 0), dtype="Int64"),
            "score": s["score"],
            "judgement": [j if j else None for j in judgement],
        })
        table.loc[~scored, ["applicable", "done_well"]] = pd.NA
        if level is not None:
            from .stats import proportion_interval

            ok = scored & (s["applicable"] > 0)
            lower = np.full(len(table), np.nan)
            upper = np.full(len(table), np.nan)
            if ok.any():
                lo, hi = proportion_interval(s["done_well"][ok], s["applicable"][ok], level)
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

    def overall_rating(self) -> tuple[int, str]:
        """The overall rating from every theme's judgement (computed or set by inspectors),
        for frameworks with an overall rule (``hmip_youth_2018``): ``(points, rating)``."""
        from .framework import overall_rating

        judgements = self.theme_scores()["judgement"]
        unrated = int(judgements.isna().sum())
        if self.framework.overall is not None and unrated:
            raise ValueError(f"{unrated} standard(s) have no rating yet (no applicable answers, "
                             "or no inspectors' judgement)")
        return overall_rating(list(judgements), self.framework)

    # -- presentation ------------------------------------------------------------------------

    @property
    def is_reconstruction(self) -> bool:
        return bool(self.provenance)

    def __repr__(self) -> str:
        tag = " (RECONSTRUCTED case sample)" if self.is_reconstruction else ""
        return (f"<Inspection {self.service or 'unnamed service'}: {self.framework.id}, "
                f"{len(self.cases)} cases{tag}>")

    def _repr_html_(self) -> str:
        from .report import publish_table

        head = f"<strong>{_escape(self.service or 'Inspection')}</strong>"
        head += f" &middot; {_escape(self.framework.name)} &middot; {len(self.cases)} cases"
        if self.provenance:
            head += f"<br><em>{_escape(self.provenance)}</em>"
        return f"<div>{head}{publish_table(self.key_judgements(), 'Key judgements')}</div>"

    def report(self, path: str | os.PathLike, *, reoffending: pd.DataFrame | None = None,
               title: str | None = None, disclosure: Any = DEFAULT) -> str:
        """Writes a self-contained HTML report (key judgements, a section per theme with its
        data summary chart, recommendations, reoffending context) to ``path`` and returns the
        path. ``reoffending`` may be a table from :func:`yosmodel.reoffending_rates`.
        Tables of counts go through disclosure control (threshold 10) unless
        ``disclosure=None`` is passed explicitly; see docs/privacy.md."""
        from .report import write_report

        return write_report(self, path, reoffending=reoffending, title=title,
                            disclosure=disclosure)


def _percent(score: float) -> Any:
    # Half-up rounding to a whole percentage, as reports print scores.
    return pd.NA if np.isnan(score) else int(np.floor(score * 100 + 0.5))


def _canonical(word: str) -> str:
    return {"yes": "yes", "no": "no"}.get(word, "not applicable")


def _escape(text: str) -> str:
    import html

    return html.escape(str(text))


def _finding(f: Finding | Mapping[str, Any]) -> Finding:
    if isinstance(f, Finding):
        found = f
    elif isinstance(f, Mapping):
        try:
            found = Finding(**f)
        except TypeError:
            raise ValueError("a finding needs theme and text, and may have kind and tone") \
                from None
    else:
        raise TypeError("findings must be Finding objects or dicts")
    if found.kind not in FINDING_KINDS:
        raise ValueError(f"a finding's kind must be one of {', '.join(FINDING_KINDS)}")
    if found.tone not in FINDING_TONES:
        raise ValueError(f"a finding's tone must be one of {', '.join(FINDING_TONES)}")
    return found


def _recommendation(r: Recommendation | Mapping[str, Any]) -> Recommendation:
    if isinstance(r, Recommendation):
        return r
    if isinstance(r, Mapping):
        try:
            return Recommendation(int(r["number"]), str(r["addressee"]), str(r["text"]),
                                  tuple(r.get("themes", ())))
        except KeyError:
            raise ValueError("a recommendation needs number, addressee and text") from None
    raise TypeError("recommendations must be Recommendation objects or dicts")
