"""Text with no UTF-8 form in a column. A lone surrogate (from decoding with surrogateescape, or a
broken \\u escape) makes pandas and pyarrow raise UnicodeEncodeError quoting the character and
its position: part of a person's value. Here that becomes an error naming the column alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from ..errors import InputError


@contextmanager
def text_column(name: str, role: str = "column") -> Iterator[None]:
    """Runs the body, turning a UnicodeError from the values of column ``name`` into a
    ValueError that names the column and the rule, never the value."""
    try:
        yield
    except UnicodeError:
        raise_alone(InputError(f"{role} '{name}': a value is not valid text (it holds a lone "
                               "surrogate, which has no UTF-8 form); fix the column's encoding"))


def raise_alone(error: BaseException) -> NoReturn:
    """Raises ``error`` with no exception behind it. ``raise ... from None`` in an except block
    only hides the one being handled from a printed traceback: it stays on as ``__context__``,
    where an error reporter or a logger walking the chain finds it, and a UnicodeError's args
    hold the whole value (a child's id), a decoder's the bytes read."""
    try:
        raise error from None
    except BaseException as raised:
        raised.__context__ = None
        raise
