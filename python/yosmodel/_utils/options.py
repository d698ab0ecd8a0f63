"""Checks of the options every area takes (grouping keys, thread counts, choices from a bound
C++ enum), made before anything reaches the compiled core, so a wrong type gives a clear
message rather than a dump of the arguments."""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import DtypeError, InputError


def keys_of(by: str | Sequence[str] | None) -> list[str]:
    """The grouping keys ``by`` names: None gives none, a string one."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    if isinstance(by, (set, frozenset)) and len(by) > 1:
        # the keys' order makes the result's columns and its sort: a set has none (it changes
        # with the interpreter's string hashing, from one run to the next)
        raise DtypeError("by must be a column name or a list of column names; a set has no "
                         "order, and the keys' order sets the result's columns and sort")
    try:
        keys = list(by)
    except TypeError:
        raise DtypeError("by must be a column name or a list of column names") from None
    if not all(isinstance(k, str) for k in keys):
        raise DtypeError("by must be a column name or a list of column names")
    if len(set(keys)) != len(keys):
        raise InputError("by names a column more than once")
    return keys


def threads_of(value: int | None) -> int:
    """The core's thread count: 0 (every core) for None."""
    return threads(value)


def choices(enum_type: Any) -> tuple[str, ...]:
    """The names of a bound C++ enum's values, in the core's order."""
    return tuple(enum_type.__members__)


def choice(value: Any, enum_type: Any, option: str) -> Any:
    """The bound enum value ``value`` names (a name, or a value of the enum itself). The
    messages are the compiled core's own for the same mistake."""
    if isinstance(value, enum_type):
        return value
    what = getattr(enum_type, "_yosmodel_what", option)
    names = choices(enum_type)
    listed = ", ".join(names[:-1]) + " or " + names[-1]
    if not isinstance(value, str):
        raise DtypeError(f"{option} must name a {what} ({listed}), not a "
                         f"{type(value).__name__}")
    if value not in names:
        raise InputError(f"unknown {what} '{value}'; use {listed}")
    return enum_type.__members__[value]


def level_of(level: Any) -> float:
    """A confidence level strictly between 0 and 1."""
    if (isinstance(level, bool) or not isinstance(level, numbers.Real)
            or not 0 < float(level) < 1):
        raise InputError("level must be strictly between 0 and 1 (for example 0.95)")
    return float(level)


# -- ranges (an integer the core cannot hold would otherwise fail inside the bindings) --

#: Worker threads: more than this is a mistake on any machine the library runs on.
MAX_THREADS = 1024
#: Follow-up and waiting periods: a century of months covers any definition.
MAX_MONTHS = 1200


def whole_number(value: Any, name: str, low: int, high: int, what: str = "") -> int:
    """``value`` as an int in [low, high], or a ValueError (TypeError for a non-integer) that
    names the option and the range and never echoes the value."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise DtypeError(f"{name} must be a whole number{what} between {low:,} and {high:,}")
    number = int(value)
    if not low <= number <= high:
        raise InputError(f"{name} must be a whole number{what} between {low:,} and {high:,}")
    return number


def threads(value: Any, name: str = "threads") -> int:
    """0 (every core) for None, else 1..MAX_THREADS."""
    if value is None:
        return 0
    # A ValueError either way: callers already catch it for threads=0.
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 1 <= int(value) <= MAX_THREADS:
        raise InputError(f"{name} must be a whole number between 1 and {MAX_THREADS:,} (or None "
                         "for every core)")
    return int(value)


def months(value: Any, name: str, lowest: int = 0) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not lowest <= int(value) <= MAX_MONTHS:
        raise InputError(f"{name} must be a whole number of months between {lowest} and "
                         f"{MAX_MONTHS:,}")
    return int(value)


def max_reoffences_of(value: Any) -> int:
    """The max_reoffences rule's limit, 1..highest_max_reoffences (the core's own range)."""
    from .._core import reoffending as _reoffending

    return whole_number(value, "max_reoffences", 1, _reoffending.highest_max_reoffences,
                        " of reoffences per person")


#: Ages in years: above this an age bound is a mistake (a date of birth a century out).
MAX_AGE = 150


def pair(value: Any, name: str, example: str) -> tuple[Any, Any]:
    """``value`` as a (low, high) pair: anything else (one value, three, a string) is a
    ValueError that names the option, not an IndexError from deep inside."""
    if isinstance(value, (str, bytes)):
        raise InputError(f"{name} must be a pair (low, high), such as {example}")
    try:
        items = tuple(value)
    except TypeError:
        raise InputError(f"{name} must be a pair (low, high), such as {example}") from None
    if len(items) != 2:
        raise InputError(f"{name} must be a pair (low, high), such as {example}")
    return items[0], items[1]


def age_range(value: Any, name: str) -> tuple[int, int]:
    """Two whole ages 0..MAX_AGE, low <= high (reversed bounds would match nobody silently)."""
    low, high = pair(value, name, "(10, 17)")
    low = whole_number(low, name, 0, MAX_AGE, " of years")
    high = whole_number(high, name, 0, MAX_AGE, " of years")
    if low > high:
        raise InputError(f"{name} must be (low, high) with low at most high, such as (10, 17)")
    return low, high


def kind_names(value: Any, name: str) -> list[str]:
    """Disposal kinds an option names: a string is one kind (not its letters), else a list of
    strings."""
    if isinstance(value, str):
        return [value]
    try:
        kinds = list(value)
    except TypeError:
        raise DtypeError(f"{name} must be a kind or a list of kinds (strings)") from None
    if not all(isinstance(k, str) for k in kinds):
        raise DtypeError(f"{name} must be a kind or a list of kinds (strings)")
    return kinds


def flag(value: Any, name: str) -> bool:
    """A True/False option; anything else (the string 'no' is truthy) is refused."""
    if not isinstance(value, (bool, np.bool_)):
        raise DtypeError(f"{name} must be True or False")
    return bool(value)


def margins_name_of(value: Any) -> str:
    """The label of the totals: a string (None reached pandas as a label and failed as "out of
    bounds value in 'indices'") with a character that is not a space (a total labelled "" or
    " " printed as a blank group)."""
    if not isinstance(value, str):
        raise DtypeError(f"margins_name must be a string (the label of the totals, such as "
                         f"'All'), not {type(value).__name__}")
    if not value.strip():
        raise InputError("margins_name must not be empty or only spaces: the totals would read "
                         "as a group with no name (use 'All', say)")
    return value


def holds_truth_values(value: Any) -> bool:
    """A list or tuple with a bool among numbers (numpy makes [True, 3] an int64 array, so a
    truth value would be read as the count 1)."""
    if isinstance(value, (list, tuple)):
        return any(holds_truth_values(v) if isinstance(v, (list, tuple))
                   else isinstance(v, (bool, np.bool_)) for v in value)
    return False
