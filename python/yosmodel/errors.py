"""The errors yosmodel raises: one hierarchy, made by the compiled core (so an error raised in
C++ arrives as its own class) and used by the Python layer too. Each class also derives from
the builtin a caller would expect, so ``except ValueError`` keeps working::

    YosmodelError(Exception)
    ├── InputError(ValueError)         the input broke a rule
    │   ├── NotFoundError(KeyError)    a column, service or theme named is not in the data
    │   ├── FrameworkError             an inspection framework is malformed
    │   ├── CorruptDataError           partial-table bytes are damaged
    │   ├── LimitError                 a request needs too much memory or work
    │   ├── SeparationError            the covariates predict participation perfectly
    │   └── RankDeficiencyError        covariates are constant or collinear
    ├── DtypeError(TypeError)          a column has a type the operation cannot use
    ├── ConvergenceError(RuntimeError) an iterative fit did not converge
    └── ResourceError(RuntimeError)    the system refused a thread or memory
"""

from ._core.core import (
    ConvergenceError,
    CorruptDataError,
    DtypeError,
    FrameworkError,
    InputError,
    LimitError,
    RankDeficiencyError,
    ResourceError,
    SeparationError,
    YosmodelError,
)


class NotFoundError(InputError, KeyError):
    """A column, service or theme the call names is not in the data it was given. Also a
    KeyError, as a missing column is in pandas, so ``except KeyError`` keeps working; its text
    is the message alone (a KeyError's own would show it in quotes)."""

    __str__ = Exception.__str__


NotFoundError.__module__ = "yosmodel"  # where the compiled classes say they live, as they do


__all__ = [
    "ConvergenceError",
    "CorruptDataError",
    "DtypeError",
    "FrameworkError",
    "InputError",
    "LimitError",
    "NotFoundError",
    "RankDeficiencyError",
    "ResourceError",
    "SeparationError",
    "YosmodelError",
]
