"""Records set aside are said out loud: every rule that sets records aside is counted, raised as
a RecordsSetAsideWarning naming the rule and the count, and a rule that sets aside more than
``max_set_aside`` of its table fails the call (a share that large means the data or the options
are wrong, not that a few records are)."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import numpy as np

from ..errors import DtypeError, InputError

DEFAULT_MAX_SET_ASIDE = 0.01

# Where report() and warn() send their warnings in this thread, when not warnings.warn.
_SAY: ContextVar[Callable[[Warning], None] | None] = ContextVar("set_aside_say", default=None)


@contextmanager
def said_to(say: Callable[[Warning], None]) -> Iterator[None]:
    """Within it, in this thread only, report() and warn() give their warnings to ``say``
    (a piece of a larger input, whose counts are added up and said once, says nothing of its
    own: yosmodel.dask.build_cohort's partitions)."""
    token = _SAY.set(say)
    try:
        yield
    finally:
        _SAY.reset(token)


def warn(warning: Warning, stacklevel: int = 2) -> None:
    """``warnings.warn(warning)`` at ``stacklevel`` (as from the caller), or to said_to's."""
    say = _SAY.get()
    if say is None:
        warnings.warn(warning, stacklevel=stacklevel + 1)
    else:
        say(warning)


class RecordsSetAsideWarning(UserWarning):
    """Records were set aside by a rule (missing or unreadable dates, unknown kinds, proven
    before committed, duplicates, out of range); the message names the rule and the count, and
    ``counts`` maps each "table.rule" to its count (no values, no identifiers), ``notes`` a
    rule to what more the message says of it (the unknown kinds, say)."""

    def __init__(self, message: str, counts: Mapping[str, int] | None = None,
                 notes: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.counts: dict[str, int] = dict(counts or {})
        self.notes: dict[str, str] = dict(notes or {})


def check_max_set_aside(value: Any) -> float:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer,
                                                                     np.floating)):
        raise DtypeError("max_set_aside must be a share between 0 and 1 (0.01 is 1%)")
    if not 0 <= float(value) <= 1:
        raise InputError("max_set_aside must be a share between 0 and 1 (0.01 is 1%)")
    return float(value)


def _rows(n: int) -> str:
    return f"{n:,} row{'s' if n != 1 else ''}"


def describe(rule: str, count: int, total: int) -> str:
    share = count / total if total else 0.0
    return f"{rule} {_rows(count)} of {total:,} ({share:.1%})"


def report(problems: Mapping[str, int], totals: Mapping[str, int], max_set_aside: float,
           notes: Mapping[str, str] | None = None, option: str = "max_set_aside",
           stacklevel: int = 3,
           hint: str = "fix the records or the options (a date layout, a kinds mapping)",
           say: Callable[[Warning], None] | None = None) -> list[str]:
    """Warns about every rule that set records aside, then fails if one set aside more than
    ``max_set_aside`` of its table. ``problems`` maps "table.rule" to a count, ``totals`` a
    table to its rows, ``notes`` a rule to more to say (the unknown kinds, say). Returns the
    lines said, for a command line to print. ``say`` takes the warning instead of
    ``warnings.warn`` (to carry it to another process, as yosmodel.dask does)."""
    notes = notes or {}
    lines = []
    for name, count in problems.items():
        if not count:
            continue
        table = name.split(".")[0]
        line = describe(name, count, totals.get(table, 0))
        if name in notes:
            line += f": {notes[name]}"
        lines.append(line)
    if not lines:
        return lines
    counted = {name: int(count) for name, count in problems.items() if count}
    warning = RecordsSetAsideWarning("records set aside: " + "; ".join(lines), counted,
                                     {name: notes[name] for name in counted if name in notes})
    say = say or _SAY.get()
    if say is None:
        warnings.warn(warning, stacklevel=stacklevel)
    else:
        say(warning)
    over = [(name, count) for name, count in problems.items()
            if count and count > max_set_aside * totals.get(name.split(".")[0], 0)]
    if over:
        said = "; ".join(describe(name, count, totals.get(name.split(".")[0], 0))
                         + (f": {notes[name]}" if name in notes else "")
                         for name, count in over)
        raise InputError(f"too many records set aside ({said}), more than {option}="
                         f"{max_set_aside:g} allows: {hint}, or raise {option} to accept them")
    return lines
