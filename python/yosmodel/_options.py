"""Options checked before they reach the core, with their ranges stated: an integer the core
cannot hold would otherwise fail inside the bindings, whose message lists every argument
(children's counts and ids among them)."""

from __future__ import annotations

from typing import Any

import numpy as np

#: Worker threads: more than this is a mistake on any machine the library runs on.
MAX_THREADS = 1024
#: Follow-up and waiting periods: a century of months covers any definition.
MAX_MONTHS = 1200


def whole_number(value: Any, name: str, low: int, high: int, what: str = "") -> int:
    """``value`` as an int in [low, high], or a ValueError (TypeError for a non-integer) that
    names the option and the range and never echoes the value."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a whole number{what} between {low:,} and {high:,}")
    number = int(value)
    if not low <= number <= high:
        raise ValueError(f"{name} must be a whole number{what} between {low:,} and {high:,}")
    return number


def threads(value: Any, name: str = "threads") -> int:
    """0 (every core) for None, else 1..MAX_THREADS."""
    if value is None:
        return 0
    # A ValueError either way: callers already catch it for threads=0.
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 1 <= int(value) <= MAX_THREADS:
        raise ValueError(f"{name} must be a whole number between 1 and {MAX_THREADS:,} (or None "
                         "for every core)")
    return int(value)


def months(value: Any, name: str) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) \
            or not 0 <= int(value) <= MAX_MONTHS:
        raise ValueError(f"{name} must be a whole number of months between 0 and {MAX_MONTHS:,}")
    return int(value)
