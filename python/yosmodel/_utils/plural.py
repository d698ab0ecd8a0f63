"""A count with its noun: '1 case', '57 cases', '1 person', '2,000 people'. Every page and
summary writes its counts through here, so none says '1 cases'."""

from __future__ import annotations


def counted(count: int, one: str, many: str | None = None) -> str:
    """``count`` with thousands separators and ``one`` or its plural (``many``, else ``one``
    with an s)."""
    noun = one if count == 1 else (many if many is not None else one + "s")
    return f"{count:,} {noun}"
