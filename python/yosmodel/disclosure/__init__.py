"""Disclosure control for published tables (small counts, and everything that would let a
reader work one back, are withheld), the audit of what was withheld, and keyed pseudonyms for
person identifiers.

Publishing functions take a ``disclosure=`` argument and pass it to :func:`apply_default`::

    def publish_table(table, by, disclosure=yosmodel.disclosure.DEFAULT):
        table = yosmodel.disclosure.apply_default(table, by, disclosure)
        ...
"""

from .audit import SuppressedCells, describe_rules
from .privacy import MINIMUM_KEY_BYTES, pseudonymise
from .suppression import (
    DEFAULT,
    IDENTIFIER_COLUMNS,
    MEASURES_DERIVED,
    MINIMUM_THRESHOLD,
    REOFFENDING_COUNTS,
    REOFFENDING_DERIVED,
    RULES,
    Disclosure,
    apply_default,
    charted_rows,
    refuse_changed_since,
    refuse_identifiers,
    resolve,
    suppress,
    to_published,
)

__all__ = [
    "DEFAULT",
    "IDENTIFIER_COLUMNS",
    "MEASURES_DERIVED",
    "MINIMUM_KEY_BYTES",
    "MINIMUM_THRESHOLD",
    "REOFFENDING_COUNTS",
    "REOFFENDING_DERIVED",
    "RULES",
    "Disclosure",
    "SuppressedCells",
    "apply_default",
    "charted_rows",
    "describe_rules",
    "pseudonymise",
    "refuse_changed_since",
    "refuse_identifiers",
    "resolve",
    "suppress",
    "to_published",
]
