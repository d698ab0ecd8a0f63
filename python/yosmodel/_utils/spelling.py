"""Grouping values that differ only in case, in spaces or in type ("Lewisham", "Lewisham " from
a padded database column, "LEWISHAM"; the number 1 beside the text "1"): each is counted as a
group of its own, which is rarely what the extract meant. It is said out loud, naming the column
and a count, never a value; the groups are kept as given, since which spelling is the right one
is the caller's to say."""

from __future__ import annotations

import os
import re
import sys
import warnings
from collections import Counter
from collections.abc import Callable
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

_SEPARATOR = "\x00"  # between values in the joined text (a value that holds it: see below)
_SPACES = re.compile(r"\s+")
_AROUND = re.compile(" ?\x00 ?")
# What a value spelt with other spaces holds: a space beside the separator (a padded value),
# two spaces, or a space of another kind.
_UNEVEN_SPACE = (" \x00", "\x00 ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\xa0")

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def caller_level() -> int:
    """The stacklevel of the first frame outside the package: the user's line that asked."""
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level


def warn_of_spellings(name: str, categories: pd.Index,
                      say: Callable[[Warning], None] | None = None) -> None:
    """Warns when some of a grouping column's values are one value spelt two ways (``say``
    takes the warning instead of ``warnings.warn``)."""
    if not 2 <= len(categories) <= MAX_CHECKED or categories.dtype.kind not in "OUT":
        return
    # A column of text and numbers mixed (an object column built from two sources) holds the
    # number 1 beside the text "1": compared as text, they are one value spelt two ways too.
    # All the values as one text, folded and with runs of spaces as one by a single call each,
    # then split again: per-value Python work (or pandas' string methods) cost more than the
    # rest of a call's fixed overhead on a few hundred values.
    text = _SEPARATOR.join(map(str, categories.tolist())).casefold()
    if text.count(_SEPARATOR) != len(categories) - 1:
        # A value holds the separator itself (text with a NUL in it): one value at a time.
        spelt = [_SPACES.sub(" ", str(v).casefold()).strip() for v in categories.tolist()]
    else:
        if any(mark in text for mark in _UNEVEN_SPACE) or text[:1].isspace() or \
                text[-1:].isspace():  # (substring tests are far cheaper than the substitutions)
            text = _AROUND.sub(_SEPARATOR, _SPACES.sub(" ", text)).strip()
        spelt = text.split(_SEPARATOR)
    if len(set(spelt)) == len(spelt):  # the usual answer, without counting
        return
    variants = sum(count for count in Counter(spelt).values() if count > 1)
    if variants:
        warning = GroupSpellingWarning(
            f"grouping column '{name}': {variants:,} of its {len(categories):,} values differ "
            "from another only in case, in spaces or in type (a number beside the same digits "
            "as text), and each is counted as a group of its own; give each group one "
            "spelling (str.strip(), one case, one type) if they are the same",
            name, variants)
        if say is None:
            warnings.warn(warning, stacklevel=caller_level())
        else:
            say(warning)
