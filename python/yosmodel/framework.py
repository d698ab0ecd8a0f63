"""Inspection frameworks as data: themes (or standards), the questions asked of each case, the
judgement bands and, for HMI Probation's 2018 standards, the overall rating rule.

A framework is a JSON document (schema ``yosmodel.framework``, version 1, described in
docs/frameworks.md). Two ship with the package: ``fji_2016`` and ``hmip_youth_2018``; a user's
own file loads the same way, by path."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from ._core import inspection as _core  # the inspection area of the compiled core

SCHEMA = "yosmodel.framework"
SCHEMA_VERSION = 1
THEME_RULES = ("pooled", "lowest_question")


def shipped_frameworks() -> list[str]:
    """Names of the frameworks that ship with yosmodel."""
    folder = resources.files("yosmodel.frameworks")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Theme:
    """A theme (FJI 2016) or standard (HMIP 2018). ``scored`` themes are computed from case
    answers; judged ones (governance) are set by inspectors."""

    id: str
    name: str
    scored: bool
    expectations: str
    questions: tuple[Question, ...]
    domain: str | None = None


def _require(document: Mapping[str, Any], key: str, kind: type | tuple[type, ...],
             where: str = "the framework") -> Any:
    if key not in document:
        raise ValueError(f"{where} is missing the required key '{key}' (see docs/frameworks.md)")
    value = document[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ValueError(f"{where}: '{key}' must be a {names}")
    return value


class Framework:
    """A validated framework. Build one with :meth:`load` (a shipped name, a path or a dict)."""

    def __init__(self, document: Mapping[str, Any]):
        if not isinstance(document, Mapping):
            raise ValueError("a framework document must be a JSON object (a dict)")
        schema = document.get("schema")
        if schema != SCHEMA:
            raise ValueError(f"not a framework document: 'schema' must be '{SCHEMA}'")
        version = _require(document, "schema_version", int)
        if version > SCHEMA_VERSION:
            raise ValueError(f"the framework uses schema version {version}; this yosmodel reads "
                             f"up to version {SCHEMA_VERSION}: upgrade yosmodel")
        if version < 1:
            raise ValueError("schema_version must be 1 or more")
        self._document = copy.deepcopy(dict(document))
        self.id: str = _require(document, "id", str)
        self.name: str = document.get("name", self.id)
        self.source: str = document.get("source", "")
        self.theme_rule: str = document.get("theme_rule", "pooled")
        if self.theme_rule not in THEME_RULES:
            raise ValueError(f"theme_rule must be one of {', '.join(THEME_RULES)}")
        themes = []
        for i, t in enumerate(_require(document, "themes", list)):
            where = f"theme {i + 1} of the framework"
            if not isinstance(t, Mapping):
                raise ValueError(f"{where} must be an object")
            questions = []
            for j, q in enumerate(t.get("questions", [])):
                if not isinstance(q, Mapping):
                    raise ValueError(f"question {j + 1} of {where} must be an object")
                questions.append(Question(_require(q, "id", str, f"question {j + 1} of {where}"),
                                          q.get("text", "")))
            themes.append(Theme(_require(t, "id", str, where), t.get("name", t["id"]),
                                bool(t.get("scored", True)), t.get("expectations", ""),
                                tuple(questions), t.get("domain")))
        self.themes: tuple[Theme, ...] = tuple(themes)
        bands = []
        for i, b in enumerate(_require(document, "bands", list)):
            where = f"band {i + 1} of the framework"
            if not isinstance(b, Mapping):
                raise ValueError(f"{where} must be an object")
            bands.append((float(_require(b, "min_score", (int, float), where)),
                          _require(b, "judgement", str, where)))
        self.bands: tuple[tuple[float, str], ...] = tuple(bands)
        self.judged_scale: tuple[str, ...] = tuple(document.get("judged_scale", []))
        self.overall: dict[str, Any] | None = document.get("overall")
        if self.overall is not None:
            _require(self.overall, "standards", int, "the overall rule")
            _require(self.overall, "points", dict, "the overall rule")
            _require(self.overall, "bands", list, "the overall rule")
        # The core checks the rest (unique ids, bands in order, scored themes with questions).
        self._core = _core.InspectionFramework(
            self.id,
            [(t.id, t.name, t.scored, t.expectations, [(q.id, q.text) for q in t.questions])
             for t in self.themes],
            list(self.bands), self.theme_rule, list(self.judged_scale))
        self.question_theme: dict[str, Theme] = {q.id: t for t in self.themes for q in t.questions}
        self.questions: tuple[Question, ...] = tuple(q for t in self.themes for q in t.questions)

    @classmethod
    def load(cls, framework: str | os.PathLike | Mapping[str, Any] | Framework) -> Framework:
        """A framework from a shipped name (``"fji_2016"``), a JSON file path or a dict."""
        if isinstance(framework, Framework):
            return framework
        if isinstance(framework, Mapping):
            return cls(framework)
        if not isinstance(framework, (str, os.PathLike)):
            raise TypeError("framework must be a shipped name, a path to a JSON file or a dict")
        text_name = os.fspath(framework)
        if isinstance(framework, str) and os.sep not in text_name and "/" not in text_name \
                and not text_name.endswith(".json"):
            if text_name not in shipped_frameworks():
                raise ValueError("unknown framework name; shipped frameworks are "
                                 f"{', '.join(shipped_frameworks())} (or give a path to a file)")
            text = resources.files("yosmodel.frameworks").joinpath(f"{text_name}.json") \
                .read_text(encoding="utf-8")
        else:
            if not os.path.isfile(text_name):
                raise FileNotFoundError(f"no framework file at {text_name}")
            with open(text_name, encoding="utf-8") as f:
                text = f.read()
        try:
            document = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"the framework file is not valid JSON (line {e.lineno}, "
                             f"column {e.colno}: {e.msg})") from None
        return cls(document)

    def to_dict(self) -> dict[str, Any]:
        """The framework document, as it would be written to a file."""
        return copy.deepcopy(self._document)

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def judgement_for(self, score: float) -> str:
        """The judgement word for a score (a share in [0, 1])."""
        return self._core.judgement_for(float(score))

    def __repr__(self) -> str:
        scored = sum(t.scored for t in self.themes)
        return (f"<Framework {self.id}: {len(self.themes)} themes ({scored} scored), "
                f"{len(self.questions)} questions>")


def overall_rating(standard_ratings: Sequence[str] | Mapping[str, str],
                   framework: str | os.PathLike | Mapping[str, Any] | Framework
                   = "hmip_youth_2018") -> tuple[int, str]:
    """The overall rating from the rating word of each standard: ``(points, rating)``.

    With ``hmip_youth_2018``: Outstanding 3, Good 2, Requires improvement 1, Inadequate 0 points
    per standard, summed over 12 standards; 0-6 Inadequate, 7-18 Requires improvement, 19-30
    Good, 31-36 Outstanding. ``standard_ratings`` may be a list or a mapping (standard to
    rating)."""
    fw = Framework.load(framework)
    if fw.overall is None:
        raise ValueError("this framework has no overall rating rule")
    if isinstance(standard_ratings, str):
        raise TypeError("standard_ratings must be a list (or mapping) of rating words, one per "
                        "standard")
    ratings = list(standard_ratings.values()) if isinstance(standard_ratings, Mapping) \
        else list(standard_ratings)
    if not all(isinstance(r, str) for r in ratings):
        raise TypeError("each standard rating must be a word such as 'Good'")
    rule = fw.overall
    points, rating = _core.overall_rating(
        ratings, list(rule["points"].items()),
        [(int(b["min_points"]), b["rating"]) for b in rule["bands"]], int(rule["standards"]))
    return int(points), rating
