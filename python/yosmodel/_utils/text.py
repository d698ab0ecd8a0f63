"""Text with no UTF-8 form in a column. A lone surrogate (from decoding with surrogateescape, or a
broken \\u escape) makes pandas and pyarrow raise UnicodeEncodeError quoting the character and
its position: part of a person's value. Here that becomes an error naming the column alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def text_column(name: str, role: str = "column") -> Iterator[None]:
    """Runs the body, turning a UnicodeError from the values of column ``name`` into a
    ValueError that names the column and the rule, never the value."""
    try:
        yield
    except UnicodeError:
        raise ValueError(f"{role} '{name}': a value is not valid text (it holds a lone "
                         "surrogate, which has no UTF-8 form); fix the column's encoding"
                         ) from None
