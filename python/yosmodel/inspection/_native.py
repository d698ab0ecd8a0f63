"""The compiled inspection area (``_core.inspection``) and the word lists Python derives from
its enums: the C++ enums are the only lists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import _core

if TYPE_CHECKING:
    from .. import _core as core
else:
    # module.cpp fills a `_core.inspection` submodule; builds from before the split register
    # the same names on `_core` itself.
    core = getattr(_core, "inspection", _core)

THEME_RULES: tuple[str, ...] = tuple(core.THEME_RULES)
ANSWER_WORDS: tuple[str, ...] = tuple(core.ANSWER_WORDS)
FINDING_KINDS: tuple[str, ...] = tuple(core.FINDING_KINDS)
FINDING_TONES: tuple[str, ...] = tuple(core.FINDING_TONES)
FRAMEWORK_SCHEMA: str = core.FRAMEWORK_SCHEMA
FRAMEWORK_SCHEMA_VERSION: int = int(core.FRAMEWORK_SCHEMA_VERSION)


def _framework_error() -> type[Exception]:
    # The package's exception hierarchy (yosmodel.FrameworkError, a ValueError) when the
    # bindings export it; a plain ValueError subclass until then.
    found = getattr(core, "FrameworkError", None) or getattr(_core, "FrameworkError", None)
    if isinstance(found, type) and issubclass(found, Exception):
        return found

    class FrameworkError(ValueError):
        """A framework document is malformed, or inspection data do not fit it."""

    return FrameworkError


FrameworkError = _framework_error()
