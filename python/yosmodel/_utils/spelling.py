"""Grouping values that differ only in case, in spaces or in type ("Lewisham", "Lewisham " from
a padded database column, "LEWISHAM"; the number 1 beside the text "1"): each is counted as a
group of its own, which is rarely what the extract meant. It is said out loud, naming the column
and a count, never a value; the groups are kept as given, since which spelling is the right one
is the caller's to say."""

from __future__ import annotations

import os
import sys
import warnings
from types import FrameType

import pandas as pd


class GroupSpellingWarning(UserWarning):
    """Values of a grouping column differ only in case or in spaces, and are counted as
    separate groups; ``column`` names the column, ``variants`` how many values have another
    spelling among the column's values (no values)."""

    def __init__(self, message: str, column: str = "", variants: int = 0) -> None:
        super().__init__(message)
        self.column = column
        self.variants = variants


#: Past this many distinct values the check is skipped: such a key is an identifier-like column
#: (every person a group), not a grouping whose spellings a reader compares.
MAX_CHECKED = 1 << 16

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _caller_level() -> int:
    """The stacklevel of the first frame outside the package: the user's line that asked."""
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def warn_of_spellings(name: str, categories: pd.Index) -> None:
    """Warns when some of a grouping column's values are one value spelt two ways."""
    if not 2 <= len(categories) <= MAX_CHECKED or categories.dtype.kind not in "OUT":
        return
    # A column of text and numbers mixed (an object column built from two sources) holds the
    # number 1 beside the text "1": compared as text, they are one value spelt two ways too.
    text = pd.Series(categories, dtype=object, copy=False).map(str)
    spelt = text.str.replace(r"\s+", " ", regex=True).str.strip().str.casefold()
    variants = int(spelt.duplicated(keep=False).sum())
    if variants:
        warnings.warn(GroupSpellingWarning(
            f"grouping column '{name}': {variants:,} of its {len(categories):,} values differ "
            "from another only in case, in spaces or in type (a number beside the same digits "
            "as text), and each is counted as a group of its own; give each group one "
            "spelling (str.strip(), one case, one type) if they are the same",
            name, variants), stacklevel=_caller_level())
