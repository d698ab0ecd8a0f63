"""Inspection frameworks as data: themes (or standards), the questions asked of each case, the
judgement bands and the overall rating rule, if the framework publishes one.

A framework is a JSON document (schema ``yosmodel.framework``, described in
docs/frameworks.md). Three ship with the package: ``fji_2016``, ``hmip_youth_2018`` and
``hmip_youth_2025``; a user's own file loads the same way, by path. Every check (types, required
fields, unique ids, bands, the overall rule) runs once, in the C++ reader; this module finds the
text and adds the Python conveniences."""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from ..errors import DtypeError, InputError, NotFoundError
from ._native import FRAMEWORK_SCHEMA, FRAMEWORK_SCHEMA_VERSION, THEME_RULES, FrameworkError, core

SCHEMA = FRAMEWORK_SCHEMA
SCHEMA_VERSION = FRAMEWORK_SCHEMA_VERSION
__all__ = ["Framework", "FrameworkError", "overall_rating", "shipped_frameworks", "THEME_RULES"]

Theme = core.Theme
Question = core.Question


def shipped_frameworks() -> list[str]:
    """Names of the frameworks that ship with yosmodel."""
    folder = resources.files("yosmodel.inspection.frameworks")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


_LONE_SURROGATE = "it holds a lone surrogate, which has no UTF-8 form"

#: The framework reader holds numbers as doubles, which keep every whole number up to 2^53 and
#: only some beyond: 2^53 + 1 was read as 2^53 while to_dict wrote it back unchanged.
_EXACT_WHOLE = 2**53


def is_text(value: str) -> bool:
    """Whether ``value`` has a UTF-8 form. A lone surrogate (a broken \\u escape in JSON, or
    text decoded with surrogateescape) has none: the native code and every writer refuse it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_problem(value: Any, path: str = "", *, finite: bool = True,
                 types: bool = True) -> str | None:
    """The first field of ``value`` that JSON text cannot carry, and why ("bands[0].min_score
    is not a finite number"), named as the native reader names fields; None if there is none.
    ``finite=False`` lets NaN and infinity by, ``types=False`` values of other types (numpy
    numbers). The value itself is never quoted: it may be a child's. Iterative, so depth is
    no limit."""
    stack: list[tuple[str, Any]] = [(path, value)]
    seen: set[int] = set()  # a container met again (shared, or a cycle) was walked already
    while stack:
        where, item = stack.pop()
        name = where or "the document"
        if isinstance(item, str):
            if not is_text(item):
                return f"{name} is not valid text ({_LONE_SURROGATE})"
        elif item is None or isinstance(item, (bool, int)):
            continue
        elif isinstance(item, float):
            if finite and not math.isfinite(item):
                return f"{name} is not a finite number (JSON has no NaN or infinity)"
        elif isinstance(item, (Mapping, list, tuple)):
            if id(item) in seen:
                continue
            seen.add(id(item))
            pairs = item.items() if isinstance(item, Mapping) else enumerate(item)
            children = []
            for key, child in pairs:
                if isinstance(key, str) and not is_text(key):
                    return f"{name} has a key that is not valid text ({_LONE_SURROGATE})"
                label = f"[{key}]" if isinstance(item, (list, tuple)) else \
                    f"{'.' if where else ''}{str(key)[:60]}"
                children.append((where + label, child))
            stack.extend(reversed(children))
        elif types:
            return f"{name} is of type {type(item).__name__}, which JSON cannot hold"
    return None


def _document_text(document: Mapping[str, Any]) -> str:
    try:
        text: str | None = json.dumps(document, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError):
        text = None
    except RecursionError:
        raise FrameworkError("the framework document is nested too deeply") from None
    if text is None or not is_text(text):
        # Named by field: the line and column of yosmodel's own re-serialisation (where the
        # native reader met a NaN) or a character's place in it were of no use to anyone.
        problem = json_problem(document)
        raise FrameworkError(f"the framework is not valid: {problem}" if problem else
                             "a framework document may hold only JSON values (text, numbers, "
                             "true/false, null, lists and objects)")
    return text


def _python_reading(text: str) -> Any:
    """The text as json.loads reads it (integers exact), or None where it does not: the
    native reader then says what is wrong, with the line and column."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def _whole_numbers(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The fields the native reader reads as whole numbers, by path."""
    found: list[tuple[str, Any]] = [("schema_version", document.get("schema_version"))]
    overall = document.get("overall")
    if isinstance(overall, Mapping):
        found.append(("overall.standards", overall.get("standards")))
        points = overall.get("points")
        if isinstance(points, Mapping):
            found += [(f"overall.points.{word}", p) for word, p in points.items()]
        bands = overall.get("bands")
        if isinstance(bands, list):
            found += [(f"overall.bands[{i}].min_points", b.get("min_points"))
                      for i, b in enumerate(bands) if isinstance(b, Mapping)]
    return found


def _check_whole_numbers(document: Mapping[str, Any]) -> None:
    """Refuses a whole number the native reader would hold as another (beyond 2^53), rather
    than rate with a number the file does not say."""
    for path, value in _whole_numbers(document):
        if isinstance(value, int) and not isinstance(value, bool) and \
                abs(value) > _EXACT_WHOLE:
            raise FrameworkError(f"the framework is not valid: {path} would not fit: a "
                                 "framework's whole numbers are read exactly, so they must "
                                 "lie within 2^53 (9007199254740992) of 0")


class Framework(core.Framework):
    """A validated framework. Build one with :meth:`load` (a shipped name, a path or a dict).

    Attributes come from the C++ model: ``id``, ``name``, ``source``, ``theme_rule``,
    ``themes`` (each with ``id``, ``name``, ``scored``, ``counted``, ``expectations``,
    ``domain``, ``questions``), ``bands`` (``(min_score, judgement)`` pairs), ``judged_scale``,
    ``overall`` (the rule as a dict, or None) and ``overall_basis`` ("rule", "inspectors" or
    "none")."""

    def __init__(self, document: Mapping[str, Any] | str):
        text = document if isinstance(document, str) else None
        if text is None:
            if not isinstance(document, Mapping):
                raise FrameworkError("a framework document must be a JSON object (a dict)")
            text = _document_text(document)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as e:
            # A lone surrogate (from surrogateescape or a broken \u escape) has no UTF-8 form,
            # and the native reader would refuse the argument with a dump of the whole text.
            raise FrameworkError(f"the framework text is not Unicode text (character {e.start} "
                                 "is a lone surrogate)") from None
        reading = _python_reading(text)
        if isinstance(reading, Mapping):
            _check_whole_numbers(reading)  # before the native reader rounds them
        super().__init__(text)
        # The reader accepted it, so it is JSON nested no deeper than its limit.
        self._document: dict[str, Any] = reading if reading is not None else json.loads(text)
        self.questions: tuple[Any, ...] = tuple(q for t in self.themes for q in t.questions)
        self.question_theme: dict[str, Any] = {q.id: t for t in self.themes
                                               for q in t.questions}

    @classmethod
    def load(cls, framework: str | os.PathLike | Mapping[str, Any] | Framework) -> Framework:
        """A framework from a shipped name (``"fji_2016"``), a JSON file path or a dict."""
        if isinstance(framework, Framework):
            return framework
        if isinstance(framework, Mapping):
            return cls(framework)
        if not isinstance(framework, (str, os.PathLike)):
            raise DtypeError("framework must be a shipped name, a path to a JSON file or a dict")
        name = os.fspath(framework)
        if isinstance(framework, str) and os.sep not in name and "/" not in name \
                and not name.endswith(".json"):
            if name not in shipped_frameworks():
                raise FrameworkError("unknown framework name; shipped frameworks are "
                                     f"{', '.join(shipped_frameworks())} (or give a path to a "
                                     "file)")
            text = resources.files("yosmodel.inspection.frameworks") \
                .joinpath(f"{name}.json").read_text(encoding="utf-8")
        else:
            if not os.path.isfile(name):
                raise FileNotFoundError(f"no framework file at {name}")
            with open(name, "rb") as f:
                data = f.read()
            try:
                text = data.decode("utf-8-sig")  # whole, so the position is the file's
            except UnicodeDecodeError as e:
                # JSON is UTF-8: a file saved in another encoding (Windows-1252, Latin-1) is
                # refused with where, rather than a decoding traceback.
                raise FrameworkError(f"the framework file is not UTF-8 text (byte {e.start}): "
                                     "save it as UTF-8") from None
        return cls(text)

    def to_dict(self) -> dict[str, Any]:
        """The framework document, as it would be written to a file."""
        return copy.deepcopy(self._document)

    def theme(self, theme_id: str) -> Any:
        for t in self.themes:
            if t.id == theme_id:
                return t
        known = ", ".join(t.id for t in self.themes)
        raise NotFoundError(f"the framework has no theme '{theme_id}' (its themes: {known})")

    @property
    def counted_themes(self) -> tuple[Any, ...]:
        """The themes counted in the overall rating (all but those rated separately)."""
        return tuple(t for t in self.themes if t.counted)

    def __repr__(self) -> str:
        scored = sum(t.scored for t in self.themes)
        return (f"<Framework {self.id}: {len(self.themes)} themes ({scored} scored), "
                f"{len(self.questions)} questions>")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Framework, (self._document,))


def _normal_word(word: str) -> str:
    return " ".join(word.replace("_", " ").split()).casefold()


def scale_words(words: Sequence[Any], scale: Sequence[str], what: str) -> list[Any]:
    """Rating or judgement words as the framework spells them: matched in any case and
    spacing ("requires  Improvement" is "Requires improvement"); a word of no scale is refused
    naming the scale and the closest word (the words are the framework's code list, not a
    child's data). Values that are not strings are passed on for the caller's type check."""
    import difflib

    by_normal = {_normal_word(w): w for w in scale}
    out: list[Any] = []
    unknown: list[str] = []
    for word in words:
        found = by_normal.get(_normal_word(word)) if isinstance(word, str) else None
        if isinstance(word, str) and found is None:
            unknown.append(word)
        out.append(found if found is not None else word)
    if unknown:
        close = difflib.get_close_matches(_normal_word(unknown[0]), list(by_normal), n=1,
                                          cutoff=0.75)
        hint = f" (did you mean {by_normal[close[0]]!r}?)" if close else ""
        others = " and others" if len(set(unknown)) > 1 else ""
        shown = unknown[0] if len(unknown[0]) <= 40 else unknown[0][:40] + "..."
        raise InputError(f"{len(unknown)} {what}(s) are not words of the framework's scale: "
                         f"{shown!r}{hint}{others}; the words are {', '.join(scale)}")
    return out


def overall_rating(standard_ratings: Sequence[str] | Mapping[str, str],
                   framework: str | os.PathLike | Mapping[str, Any] | Framework
                   = "hmip_youth_2018") -> tuple[int, str]:
    """The overall rating from the rating word of each standard: ``(points, rating)``.

    With ``hmip_youth_2018``: Outstanding 3, Good 2, Requires improvement 1, Inadequate 0 points
    per standard, summed over the 12 counted standards; 0-6 Inadequate, 7-18 Requires
    improvement, 19-30 Good, 31-36 Outstanding. The resettlement standard is rated separately:
    give the 12 counted ratings alone, or all 13 in framework order (resettlement is then left
    out). ``standard_ratings`` may be a list or a mapping from standard id to rating; a mapping
    may leave out standards that are not counted. Frameworks whose overall rating is set by
    inspectors (``hmip_youth_2025``) have no rule, and this raises FrameworkError."""
    fw = Framework.load(framework)
    if isinstance(standard_ratings, str):
        raise DtypeError("standard_ratings must be a list (or mapping) of rating words, one per "
                         "standard")
    if isinstance(standard_ratings, Mapping):
        known = {t.id for t in fw.themes}
        named = [k for k in standard_ratings if k in known]
        if named and len(named) != len(standard_ratings):
            raise FrameworkError(f"{len(standard_ratings) - len(named)} rating(s) name a "
                                 "standard the framework does not have")
        if named:  # by standard id: the standards rated separately may be left out
            missing = [t.id for t in fw.counted_themes if t.id not in standard_ratings]
            if missing:
                raise InputError(f"{len(missing)} counted standard(s) have no rating: "
                                 f"{', '.join(missing[:5])}")
            ratings = [standard_ratings[t.id] for t in fw.counted_themes]
        else:  # labels of the caller's own: the ratings in the order given
            ratings = list(standard_ratings.values())
    else:
        ratings = list(standard_ratings)
    if not all(isinstance(r, str) for r in ratings):
        raise DtypeError("each standard rating must be a word such as 'Good'")
    rule = fw.overall
    if rule and rule.get("points"):
        ratings = scale_words(ratings, list(rule["points"]), "standard rating")
    points, rating = fw.rate_overall(ratings)
    return int(points), rating
