"""Proven reoffending measures over Dask DataFrames: one machine's cores or a whole cluster.

Each partition is counted by the C++ kernel into a partial table, shipped as its serialised bytes
(a few hundred bytes per group, never rows), a tree reduction adds the partials together, and the
rates are computed once from the merged counts. The result equals :func:`yosmodel.reoffending_rates`
on the same rows exactly: counts are integers and the rates come from the same finalising code.

Partials merge only when every partition encodes a key against the same categories, so each key
column needs categories known in advance. They come from, in this order: ``categories=`` given by
the caller; the column's own known categorical dtype (``ddf.categorize()``, ``astype`` with a
``pd.CategoricalDtype``, Parquet dictionary columns read with known categories); otherwise they
are collected in the counting pass itself (sorted values, as the in-memory function sorts them):
each partition codes the key into its own values, and its codes are recoded into the merged
categories before it is counted, so a lazy input is computed once. dask is imported inside the
functions, so ``import yosmodel`` never needs it.
"""

from __future__ import annotations

import functools
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import FrameType
from typing import Any

import numpy as np
import pandas as pd

from ._core import reoffending as _reoffending
from ._core import stats as _stats
from ._utils.columns import Key, Table, free_name
from ._utils.grouping import grouped_key, without_null_entries
from ._utils.options import (
    choice,
    flag,
    keys_of,
    level_of,
    margins_name_of,
    max_reoffences_of,
    threads_of,
    whole_number,
)
from ._utils.set_aside import (
    DEFAULT_MAX_SET_ASIDE,
    RecordsSetAsideWarning,
    check_max_set_aside,
    said_to,
)
from ._utils.set_aside import report as report_records_set_aside
from ._utils.spelling import caller_level, warn_of_spellings
from .errors import DtypeError, InputError, NotFoundError, YosmodelError
from .reoffending import rates_frame
from .reoffending.partials import DEFAULT_MAX_REOFFENCES, report_set_aside

__all__ = ["build_cohort", "reoffending_partial", "reoffending_rates"]

_ROW = "__yosmodel_row__"  # the input's row order, kept through a shuffle for the tie rule
_INCOMPLETE = "follow_up_incomplete"  # a partition's count of people past records_end
_NOTES = "notes"  # a partition's notes on its records set aside (the unknown kinds), by rule
_SAID = "said"  # the other warnings of a partition's build (ages), as text
#: More partitions than this is a mistake (10**12 was a MemoryError deep in the shuffle): the
#: graph alone takes minutes per 10**4 partitions, and partitions should hold millions of rows.
MAX_PARTITIONS = 100_000


@dataclass(frozen=True)
class _KeySpec:
    """How every partition encodes one key: codes into ``encoding``'s categories."""

    name: str
    encoding: pd.CategoricalDtype
    restore: pd.CategoricalDtype | None  # the result's categorical dtype; None: plain values

    def key(self) -> Key:
        return Key(self.name, np.empty(0, dtype=np.int64), self.encoding.categories, self.restore)


@dataclass(frozen=True)
class _LocalKey:
    """One key of a partition coded into the partition's own values (by _locally_coded)."""

    values: pd.Index  # the partition's categories or distinct values, which its codes index
    kind: str | None  # the kind of values its dtype holds; None: no rows, so of no kind
    column: str  # the coded partition's column of the codes


def _require_dask_frame(ddf: Any) -> None:
    import dask.dataframe as dd

    if not isinstance(ddf, dd.DataFrame):
        raise DtypeError(f"expected a dask DataFrame, got {type(ddf).__name__}; for data in memory "
                         "use yosmodel.reoffending_rates")


def _distinct_keys(part: pd.DataFrame, names: list[str]) -> dict[str, pd.Index]:
    """Per partition: a categorical's categories, or the distinct values of another column."""
    found = {}
    for name in names:
        column = part[name]
        if isinstance(column.dtype, pd.CategoricalDtype):
            found[name] = column.cat.categories
        elif _is_arrow_dictionary(column.dtype):
            found[name] = _dictionary_values(column)
        else:
            found[name] = pd.Index(column.drop_duplicates())
    return found


def _is_arrow_dictionary(dtype: Any) -> bool:
    if not isinstance(dtype, pd.ArrowDtype):
        return False
    import pyarrow as pa

    return bool(pa.types.is_dictionary(dtype.pyarrow_dtype))


def _dictionary_values(column: pd.Series) -> pd.Index:
    """An Arrow dictionary column's dictionaries, chunk by chunk, in their order: the in-memory
    grouper takes a dictionary column's groups in that order (a categorical's), not sorted."""
    import pyarrow as pa

    data = pa.chunked_array(pa.array(column.array) if len(column) else [],
                            type=column.dtype.pyarrow_dtype)
    # A null entry no row points at is no group in memory either (and no pandas category:
    # "Categorical categories cannot be null"); a row pointing at one is a missing key.
    data = without_null_entries(data)
    values = [value for chunk in data.chunks for value in chunk.dictionary.to_pylist()]
    return pd.Index(pd.array(list(dict.fromkeys(values)), dtype=column.dtype))


def _kind_of_values(dtype: Any) -> str:
    """What kind of values a key's dtype holds, in words: partitions whose keys hold different
    kinds cannot be merged into one set of groups the computed frame would have (True and 1,
    or a naive and a UTC time, are one value to some of pandas and two to the rest)."""
    if isinstance(dtype, pd.CategoricalDtype):
        return f"a categorical of {_kind_of_values(dtype.categories.dtype)}"
    if _is_arrow_dictionary(dtype):
        return "an Arrow dictionary"
    tz = getattr(dtype, "tz", None)
    if tz is None and isinstance(dtype, pd.ArrowDtype):
        tz = getattr(dtype.pyarrow_dtype, "tz", None)
    if tz is not None:
        return f"dates and times in time zone {tz}"
    if isinstance(dtype, (pd.PeriodDtype, pd.IntervalDtype)):
        return f"{dtype}"
    return {"b": "truth values (bool)", "i": "signed whole numbers",
            "u": "unsigned whole numbers", "f": "floating-point numbers",
            "c": "complex numbers", "M": "dates and times (no time zone)",
            "m": "durations"}.get(getattr(dtype, "kind", "O"), "text or other objects")


def _union_in_order(indexes: Sequence[pd.Index]) -> pd.Index:
    # First seen, partition by partition: for categoricals, the categories dask's compute() gives.
    return pd.Index(pd.concat([i.to_series() for i in indexes], ignore_index=True).unique())


def _given_specs(ddf: Any, names: list[str], categories: Mapping[str, Any] | None,
                 ) -> tuple[dict[str, _KeySpec], list[str]]:
    """The keys whose categories are known before any partition is read (given, or the
    column's known categorical dtype), and the names of the others, to collect from the data."""
    if categories is not None and not isinstance(categories, Mapping):
        # dict() of a list or a string failed as "dictionary update sequence element #0 ..."
        raise DtypeError("categories must map each key column to its categories, such as "
                         "{'sex': ['Female', 'Male']}, not a "
                         f"{type(categories).__name__}")
    given = dict(categories or {})
    unknown_names = sorted(set(given) - set(names))
    if unknown_names:
        raise InputError(f"categories= names {len(unknown_names)} column(s) that are not in by: "
                         f"{', '.join(map(str, unknown_names))}")
    specs: dict[str, _KeySpec] = {}
    discover: list[str] = []
    for name in names:
        dtype = ddf._meta[name].dtype
        if name in given:
            value = given[name]
            if isinstance(value, (str, bytes)) or not (
                    isinstance(value, pd.CategoricalDtype) or np.iterable(value)):
                raise DtypeError(f"categories for '{name}' must be a list of values or a "
                                 "pd.CategoricalDtype")
            listed = value.categories if isinstance(value, pd.CategoricalDtype) else \
                pd.Index(list(value))
            if listed is None or listed.hasnans:
                raise InputError(f"categories for '{name}' must be a list of values (no missing)")
            if listed.has_duplicates:
                raise InputError(f"categories for '{name}' name a value more than once")
            encoding = value if isinstance(value, pd.CategoricalDtype) else \
                pd.CategoricalDtype(listed)
            specs[name] = _KeySpec(name, encoding, encoding)
        elif isinstance(dtype, pd.CategoricalDtype) and ddf[name].cat.known:
            specs[name] = _KeySpec(name, dtype, dtype)
        else:
            discover.append(name)
    return specs, discover


def _collected_specs(found: list[dict[str, _LocalKey]], names: list[str],
                     known: dict[str, _KeySpec], dtypes: dict[str, Any]) -> list[_KeySpec]:
    """Every key's spec, the collected ones from the partitions' categories or distinct values
    (``found``, in partition order); runs as a task, in the same pass as the counting."""
    specs = dict(known)
    for name in dtypes:
        _refuse_kinds_that_disagree(name, [partition[name].kind for partition in found])
        # An empty partition holds no value, and its dtype (object, from some readers) would
        # make the union's dtype another than the computed frame's
        held = [p[name].values for p in found if p[name].kind is not None]
        distinct = _union_in_order(held or [found[0][name].values])
        dtype = dtypes[name]
        if isinstance(dtype, pd.CategoricalDtype):
            if dtype.ordered and not all(partition[name].values.equals(found[0][name].values)
                                         for partition in found):
                # Their union has no order the data states (pandas refuses to concatenate
                # them): the first-seen order would sort the result in a made-up order.
                raise InputError(
                    f"grouping column '{name}' is an ordered categorical whose partitions "
                    "have different categories or orders, so no one order of the groups "
                    f"holds; give it in categories={{'{name}': pd.CategoricalDtype(..., "
                    "ordered=True)}, or astype one CategoricalDtype")
            encoding = pd.CategoricalDtype(distinct, ordered=bool(dtype.ordered))
            specs[name] = _KeySpec(name, encoding, encoding)
        else:
            # The in-memory grouper itself, over the distinct values: the same order and the
            # same dtype (int8 keys come back as int64, as in memory). An Arrow dictionary's
            # groups come in its dictionaries' order, unsorted.
            categories = distinct if _is_arrow_dictionary(dtype) else \
                grouped_key("pandas", name, pd.Series(distinct), 1)[1]
            specs[name] = _KeySpec(name, pd.CategoricalDtype(categories), None)
    return [specs[name] for name in names]


def _refuse_kinds_that_disagree(name: str, kinds: list[str | None]) -> None:
    held = {kind: index for index, kind in reversed(list(enumerate(kinds))) if kind is not None}
    if len(held) > 1:
        (first, at), (other, where) = sorted(held.items(), key=lambda item: item[1])[:2]
        raise DtypeError(
            f"grouping column '{name}' holds {first} in partition {at + 1} of {len(kinds)} "
            f"and {other} in partition {where + 1}; give it one dtype in every partition "
            f"(ddf.astype({{'{name}': ...}}), or one schema for the files) so that its groups "
            "are the same in each")


def _missing_keys(name: str, missing: int, where: str) -> InputError:
    rows = "row has" if missing == 1 else "rows have"
    return InputError(f"grouping column '{name}': {missing} {rows} a missing value {where}; "
                      "fill or drop them before grouping (missing keys are never dropped "
                      "silently)")


def _locally_coded(part: pd.DataFrame, names: list[str], counted: list[str], index: int,
                   partitions: int) -> tuple[pd.DataFrame, dict[str, _LocalKey]]:
    """A partition whose keys ``names`` are coded into its own categories (or distinct values),
    and those categories: the counting recodes them once every partition's are merged, so the
    partition is read once (held as small integer codes in between). A key that is also a
    count column (by="reoffences") keeps its values for the counts: its codes go beside it."""
    where = f"(in partition {index + 1} of {partitions})"
    found = _distinct_keys(part, names)
    coded: dict[str, np.ndarray] = {}
    local = {}
    for name in names:
        column = part[name]
        missing = int(column.isna().sum())
        if missing:
            raise _missing_keys(name, missing, where)
        if isinstance(column.dtype, pd.CategoricalDtype):
            codes = column.array.codes
        else:
            codes = _narrow_codes(found[name].get_indexer(column), len(found[name]))
        # A row of an Arrow dictionary pointing at a null entry is missing (as in memory), but
        # not to isna(): code -1, which the recoding would read as the last category.
        missing = int(np.count_nonzero(codes < 0))
        if missing:
            raise _missing_keys(name, missing, where)
        into = free_name(name, {*part.columns, *coded}) if name in counted else name
        coded[into] = codes
        # (a categorical with no categories has categories of object dtype, whatever its kind)
        kind = _kind_of_values(column.dtype) if len(found[name]) else None
        local[name] = _LocalKey(found[name], kind, into)
    return part.assign(**coded), local


def _narrow_codes(codes: np.ndarray, categories: int) -> np.ndarray:
    # The codes a partition is held as while it waits: as small as pandas' own.
    for dtype in (np.int8, np.int16, np.int32):
        if categories < np.iinfo(dtype).max:
            return codes.astype(dtype, copy=False)
    return codes


def _recoded(local_codes: np.ndarray, local: pd.Index, spec: _KeySpec) -> np.ndarray:
    """A partition's own codes into the merged categories (each of its values is among them)."""
    into = spec.encoding.categories.get_indexer(local)
    if np.any(into < 0):  # the merged categories are the union of the local ones
        raise YosmodelError(f"grouping column '{spec.name}': a partition's category is not "
                            "among the merged categories, which cannot happen: this is a bug "
                            "in yosmodel.dask, please report it")
    into = _narrow_codes(into, len(spec.encoding.categories))
    return np.ascontiguousarray(into.take(np.asarray(local_codes)))


def _partition_codes(column: pd.Series, spec: _KeySpec, where: str) -> np.ndarray:
    # Unordered categorical dtypes compare equal whatever their order: compare the categories.
    if isinstance(column.dtype, pd.CategoricalDtype) and \
            column.cat.categories.equals(spec.encoding.categories):
        codes = column.array.codes
    else:
        # (pd.Categorical(column, dtype=...) warns, deprecated, of a value outside the
        # categories: such values are the InputError below)
        codes = spec.encoding.categories.get_indexer(column)
    unmatched = int(np.count_nonzero(codes < 0))
    if unmatched:
        # (among the rows unmatched, read as values: isna() misses the rows of an Arrow
        # dictionary that point at a null entry)
        missing = int(pd.isna(column[codes < 0].to_numpy(dtype=object)).sum())
        if missing:
            raise _missing_keys(spec.name, missing, where)
        rows = "row has a value" if unmatched == 1 else "rows have values"
        raise InputError(f"grouping column '{spec.name}': {unmatched} {rows} not among its "
                         f"{len(spec.encoding.categories)} categories {where}; give every value "
                         "in categories=, or make the column's categories known with "
                         "ddf.categorize()")
    return np.ascontiguousarray(codes)


# A partition's counts as they travel: the partial table's bytes, the rows the max_reoffences
# rule set aside and the rows read (so the share set aside is of the whole cohort).
_Counted = tuple[bytes, int, int]


def _partition_bytes(part: pd.DataFrame, index: int, partitions: int, specs: list[_KeySpec],
                     reoffences: str, previous_offences: str | None, threads: int,
                     max_reoffences: int, local: dict[str, _LocalKey] | None = None) -> _Counted:
    """One partition's partial table, serialised (runs on a worker). The keys named in
    ``local`` are coded into their partition's own values (by _locally_coded)."""
    where = f"(in partition {index + 1} of {partitions})"
    table = Table(part)
    local = local or {}
    keys = [_reoffending.key_from_codes(
        s.name, _recoded(part[local[s.name].column].to_numpy(), local[s.name].values, s)
        if s.name in local else _partition_codes(part[s.name], s, where),
        max(len(s.encoding.categories), 1)) for s in specs]
    try:
        # The count columns as the in-memory function reads them (nullable and Arrow columns
        # with their nulls, whole Arrow decimals as integers), so the rules and messages match.
        counts = table.count_column(reoffences, "reoffences")
        previous = None if previous_offences is None else table.count_column(
            previous_offences, "previous_offences")
        partial, set_aside = _reoffending.aggregate_grouped(keys, counts, previous, threads,
                                                            max_reoffences)
    except (ValueError, TypeError) as error:
        raise type(error)(f"{error} {where}") from None
    return partial.to_bytes(), int(set_aside), len(part)


def _merge_bytes(*partials: _Counted) -> _Counted:
    merged = _reoffending.PartialTable.from_bytes(partials[0][0])
    for other in partials[1:]:
        merged = merged + _reoffending.PartialTable.from_bytes(other[0])
    return (merged.to_bytes(), sum(p[1] for p in partials), sum(p[2] for p in partials))


def _outside_level() -> int:
    """The stacklevel of the first frame outside yosmodel and dask (and distributed): the
    user's line that computed, when a task runs in the calling thread."""
    import os

    skipped = tuple(os.path.dirname(os.path.abspath(path)) for path in (
        getattr(sys.modules.get(name), "__file__", None)
        for name in ("yosmodel", "dask", "distributed", "toolz", "tlz")) if path)
    frame: FrameType | None = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(skipped):
        frame, level = frame.f_back, level + 1
    return level


def _say_where_run(warning: Warning) -> None:
    """Raises ``warning`` in the process that runs this; on a ``dask.distributed`` worker in a
    process of its own, it is also sent to the clients (``distributed.warn``: it reaches them
    asynchronously, and shows in the worker's log)."""
    if "distributed" in sys.modules:
        import distributed

        try:
            distributed.get_worker()
            try:
                distributed.default_client()  # a worker thread of the caller's process
            except ValueError:
                distributed.warn(warning)
                return
        except ValueError:
            pass
    warnings.warn(warning, stacklevel=_outside_level())


def _warnings_of(merged: _Counted, specs: list[_KeySpec], max_reoffences: int,
                 max_set_aside: float) -> list[Warning]:
    """What the in-memory function would say of these keys and counts, as data (in that
    order: the keys' spellings, then the rows set aside), to be said in the calling process."""
    said: list[Warning] = []
    for spec in specs:
        warn_of_spellings(spec.name, spec.encoding.categories, say=said.append)
    _, set_aside, rows = merged
    report_set_aside(set_aside, rows, max_reoffences, max_set_aside, say=said.append)
    return said


def _said(merged: _Counted, max_reoffences: int, max_set_aside: float) -> bytes:
    """The merged bytes, once the rows set aside are said (and refused past the limit)."""
    data, set_aside, rows = merged
    # The warning names the first line outside the package (the caller's call): warnings.warn
    # is called two frames below this one (in report, from report_set_aside).
    report_set_aside(set_aside, rows, max_reoffences, max_set_aside,
                     stacklevel=caller_level() + 2)
    return data


def _finalize(merged: _Counted, specs: list[_KeySpec], level: float, method: str,
              with_previous: bool, margins_name: str | None, max_reoffences: int,
              max_set_aside: float, say: bool = True) -> pd.DataFrame:
    """The table of the merged counts. With ``say`` (in the calling process), the keys'
    spellings and the rows set aside are said first; without (in a task), past
    ``max_set_aside`` it is refused all the same, and _warnings_of says the rest."""
    if say:
        for spec in specs:
            warn_of_spellings(spec.name, spec.encoding.categories)
        data = _said(merged, max_reoffences, max_set_aside)
    else:
        data = merged[0]
        report_set_aside(merged[1], merged[2], max_reoffences, max_set_aside,
                         say=lambda warning: None)  # (refuses past the limit)
    partial = _reoffending.PartialTable.from_bytes(data)
    if margins_name is not None:
        partial = partial.with_margins()
    return rates_frame(partial, [s.key() for s in specs], level=level, method=method,
                       with_previous=with_previous, margins_name=margins_name)


def _merged_graph(ddf: Any, by: str | Sequence[str] | None, reoffences: str,
                  previous_offences: str | None, categories: Mapping[str, Any] | None,
                  split_every: int, threads: int | None,
                  max_reoffences: int) -> tuple[Any, Any]:
    """The lazy merged counts and the lazy keys' specs, of one pass over the partitions: a key
    whose categories are not known is coded per partition into that partition's own values,
    recoded once all of them are merged (so a lazy input, a cohort say, is computed once)."""
    import dask

    _require_dask_frame(ddf)
    if not isinstance(split_every, (int, np.integer)) or split_every < 2:
        raise InputError("split_every must be an integer of at least 2")
    names = keys_of(by)
    if not all(isinstance(c, str) for c in ddf.columns):
        # Columns are named by strings (by="0"), as in memory: labels of other types
        # (dd.read_csv with header=None numbers them) are read under their text.
        ddf = ddf.rename(columns=str)
    meta = Table(ddf._meta)
    for name in names:
        meta.require(name, "grouping")
    # The count columns' dtypes are refused from the meta, with the in-memory function's
    # message, before any partition is read.
    meta.count_column(reoffences, "reoffences")
    if previous_offences is not None:
        meta.count_column(previous_offences, "previous_offences")
    kernel_threads = 1 if threads is None else threads_of(threads)
    limit = max_reoffences_of(max_reoffences)
    columns = list(dict.fromkeys([*names, reoffences]
                                 + ([previous_offences] if previous_offences else [])))
    ddf = ddf[columns]  # read only these columns (Parquet column projection)
    known, discover = _given_specs(ddf, names, categories)
    parts = ddf.to_delayed()
    counting = (reoffences, previous_offences, kernel_threads, limit)
    if discover:
        counted = [reoffences] + ([previous_offences] if previous_offences else [])
        coded = [dask.delayed(_locally_coded, nout=2, pure=True)(part, discover, counted, i,
                                                                 len(parts))
                 for i, part in enumerate(parts)]
        specs = dask.delayed(_collected_specs, pure=True)(
            [c[1] for c in coded], names, known, {n: ddf._meta[n].dtype for n in discover})
        layer = [dask.delayed(_partition_bytes, pure=True)(c[0], i, len(parts), specs,
                                                           *counting, c[1])
                 for i, c in enumerate(coded)]
    else:
        # one task in the graph, not one per partition
        specs = dask.delayed([known[name] for name in names], pure=True)
        layer = [dask.delayed(_partition_bytes, pure=True)(part, i, len(parts), specs, *counting)
                 for i, part in enumerate(parts)]
    while len(layer) > 1:  # tree reduction: merge counts, never rates
        layer = [dask.delayed(_merge_bytes, pure=True)(*layer[i:i + split_every])
                 for i in range(0, len(layer), split_every)]
    return layer[0], specs


@functools.cache  # one class (dask is imported only when it is needed)
def _delayed_rates_class() -> type:
    from dask.delayed import Delayed
    from dask.highlevelgraph import HighLevelGraph

    class DelayedRates(Delayed):
        """A ``dask.delayed`` table of rates whose warnings (the keys' spellings, the rows set
        aside) come with it as data, to be said where it is computed: ``.compute()`` says them
        in the calling process under every scheduler; ``dask.compute(table, ...)`` where its
        finalising task runs. Passed to another delayed function, it is the table."""

        __slots__ = ("_said",)

        def __init__(self, key: Any, said: Any, dsk: Any, layer: Any = None) -> None:
            super().__init__(key, dsk, layer=layer)
            object.__setattr__(self, "_said", said)

        def __dask_keys__(self) -> list[Any]:
            return [self.key, self._said]

        def __dask_layers__(self) -> tuple[Any, ...]:
            return tuple(dict.fromkeys((self._layer, self._said_layer())))

        def _said_layer(self) -> Any:
            layers = getattr(self.dask, "layers", {})
            return self._said if self._said in layers else self._layer

        def __dask_postcompute__(self) -> tuple[Any, tuple[()]]:
            return _table_said_where_run, ()

        def __dask_postpersist__(self) -> tuple[Any, tuple[()]]:
            return self._rebuilt, ()

        def _rebuilt(self, dsk: Any, *, rename: Any = None) -> Any:
            from dask.base import replace_name_in_key

            key, said = ((replace_name_in_key(k, rename) if rename else k)
                         for k in (self.key, self._said))
            # (as Delayed._rebuild: a persisted graph comes as one layer of another name)
            layer = next(iter(dsk.layers)) if isinstance(dsk, HighLevelGraph) and \
                len(dsk.layers) == 1 else None
            return type(self)(key, said, dsk, layer)

        def compute(self, **kwargs: Any) -> pd.DataFrame:
            import dask

            table, said = dask.compute(Delayed(self.key, self.dask, layer=self._layer),
                                       Delayed(self._said, self.dask, layer=self._said_layer()),
                                       **kwargs)
            for warning in said:
                warnings.warn(warning, stacklevel=caller_level())
            return table

    return DelayedRates


def _table_said_where_run(results: list[Any]) -> pd.DataFrame:
    table, said = results
    for warning in said:
        _say_where_run(warning)
    return table


def reoffending_partial(ddf: Any, by: str | Sequence[str] | None = None,
                        reoffences: str = "reoffences", previous_offences: str | None = None,
                        categories: Mapping[str, Any] | None = None, split_every: int = 8,
                        threads: int | None = 1, max_reoffences: int = DEFAULT_MAX_REOFFENCES,
                        max_set_aside: float = DEFAULT_MAX_SET_ASIDE,
                        ) -> tuple[_reoffending.PartialTable, list[Key]]:
    """The merged partial table of a dask DataFrame and its keys, like
    :func:`yosmodel.reoffending_partial` (computed; merge it with other partials over the same
    categories, or finalise it with :func:`yosmodel.reoffending.rates_frame`)."""
    import dask

    max_set_aside = check_max_set_aside(max_set_aside)
    root, lazy_specs = _merged_graph(ddf, by, reoffences, previous_offences, categories,
                                     split_every, threads, max_reoffences)
    merged, specs = dask.compute(root, lazy_specs)
    for spec in specs:  # said here, in the caller's process, as in memory
        warn_of_spellings(spec.name, spec.encoding.categories)
    data = _said(merged, max_reoffences, max_set_aside)
    return _reoffending.PartialTable.from_bytes(data), [s.key() for s in specs]


def reoffending_rates(ddf: Any, by: str | Sequence[str] | None = None,
                      reoffences: str = "reoffences", previous_offences: str | None = None,
                      level: float = 0.95, method: str = "wilson",
                      categories: Mapping[str, Any] | None = None, split_every: int = 8,
                      threads: int | None = 1, compute: bool = True, margins: bool = False,
                      margins_name: str = "All", max_reoffences: int = DEFAULT_MAX_REOFFENCES,
                      max_set_aside: float = DEFAULT_MAX_SET_ASIDE) -> Any:
    """Proven reoffending measures per group of a person-level cohort held as a dask DataFrame.

    Takes the parameters of :func:`yosmodel.reoffending_rates` and returns the same table (one
    row per non-empty group, sorted by the keys), equal to it on the same rows.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
        One row per person, partitioned any way (rows of a person never need to be together).
        A key whose categories are collected from the data must hold one kind of values in
        every partition: bool beside int, or UTC times beside naive ones, are refused (a
        DtypeError naming the column and the partitions).
    categories : mapping of key name to a list of values or a ``pd.CategoricalDtype``, optional
        The values a key can take, when known in advance (otherwise each partition's values are
        collected in the same pass as the counts). A key given here comes back as a categorical
        column with these categories in this order; a value outside them is an error.
    split_every : int
        How many partials each step of the tree reduction merges.
    threads : int, optional
        Kernel threads per partition (default 1: Dask runs partitions in parallel). None is 1.
    margins, margins_name : as for :func:`yosmodel.reoffending_rates`: "All" totals along every
        key, from the merged counts (for :func:`yosmodel.suppress` before publishing).
    max_reoffences, max_set_aside : as for :func:`yosmodel.reoffending_rates`: rows above the
        plausible maximum are set aside, counted over every partition and said once.
    compute : bool
        False returns a ``dask.delayed`` object that computes to the table, to compute together
        with other work; nothing is read until then. Its warnings (GroupSpellingWarning,
        RecordsSetAsideWarning, with the counts over every partition) travel with the counts
        as data: ``.compute()`` on it says them in the calling process under every scheduler,
        ``dask.compute(table, ...)`` where its finalising task runs (under a
        ``dask.distributed`` client, on a worker, which sends them on to the clients with
        ``distributed.warn``, asynchronously). The refusal past ``max_set_aside`` reaches the
        caller under every scheduler.

    Returns
    -------
    pandas.DataFrame (or a Delayed when ``compute=False``)
    """
    import dask

    level_of(level)  # refuse a bad option before any work (the categories' pass included)
    choice(method, _stats.IntervalMethod, "method")
    max_set_aside = check_max_set_aside(max_set_aside)
    flag(margins, "margins")
    flag(compute, "compute")
    margins_name = margins_name_of(margins_name)  # as in memory (None was read as no totals)
    root, specs = _merged_graph(ddf, by, reoffences, previous_offences, categories, split_every,
                                threads, max_reoffences)
    with_margins = bool(margins) and bool(keys_of(by))
    finalizing = (level, method, previous_offences is not None,
                  margins_name if with_margins else None, max_reoffences, max_set_aside)
    if compute:  # the warnings are raised here, in the caller's process, not on a worker
        merged, computed_specs = dask.compute(root, specs)
        return _finalize(merged, computed_specs, *finalizing)
    from dask.highlevelgraph import HighLevelGraph

    table = dask.delayed(_finalize, pure=True)(root, specs, *finalizing, say=False)
    said = dask.delayed(_warnings_of, pure=True)(root, specs, max_reoffences, max_set_aside)
    graph = HighLevelGraph.merge(table.__dask_graph__(), said.__dask_graph__())
    return _delayed_rates_class()(table.key, said.key, graph)


def _numbered(ddf: Any) -> Any:
    """``ddf`` with a column of global row numbers, computed lazily (a length per partition)."""
    import dask
    import dask.dataframe as dd

    parts = ddf.to_delayed()
    lengths = [dask.delayed(len)(part) for part in parts]
    starts = dask.delayed(_starts)(*lengths)
    meta = ddf._meta.assign(**{_ROW: np.array([], dtype=np.int64)})
    return dd.from_delayed([dask.delayed(_number)(part, starts, i)
                            for i, part in enumerate(parts)], meta=meta)


def _starts(*lengths: int) -> list[int]:
    return np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64).tolist()


def _number(part: pd.DataFrame, starts: list[int], index: int) -> pd.DataFrame:
    first = starts[index]
    return part.assign(**{_ROW: np.arange(first, first + len(part), dtype=np.int64)})


def _cohort_partition(disposals: pd.DataFrame, offences: pd.DataFrame, index: int,
                      partitions: int, period_start: Any, period_end: Any,
                      options: dict[str, Any], dtypes: dict[str, Any],
                      records_end: int | None = None) -> pd.DataFrame:
    """One partition's cohort (runs on a worker): every person's records are in it."""
    from .reoffending import build_cohort as build_in_memory

    where = f"(in partition {index + 1} of {partitions})"
    if _ROW in disposals.columns:  # back into the input's order: the earlier row wins a tie
        disposals = disposals.sort_values(_ROW, kind="stable").drop(columns=_ROW)
    # The max_set_aside limit is a share of the whole input, not of one partition: a partition
    # never refuses, nor says its own share, and _whole_input_set_aside adds the partitions'
    # counts up, says them and refuses. Incomplete follow-up is counted here and said once
    # over the whole input, likewise.
    said: list[Warning] = []
    try:
        with said_to(said.append):
            cohort = build_in_memory(disposals, offences, period_start, period_end,
                                     **{**options, "max_set_aside": 1.0, "records_end": None,
                                        "strict": False})
    except (ValueError, TypeError) as error:
        raise type(error)(f"{error} {where}") from None
    diagnostics: dict[str, Any] = dict(cohort.attrs.get("diagnostics", {}))
    # What the counts alone cannot give: the notes on the records set aside (which unknown
    # kinds, with suggestions), and the other warnings; said with the whole input's counts.
    diagnostics[_NOTES] = {rule: note for warning in said
                           if isinstance(warning, RecordsSetAsideWarning)
                           for rule, note in warning.notes.items()}
    diagnostics[_SAID] = [str(warning) for warning in said
                          if not isinstance(warning, RecordsSetAsideWarning)]
    if records_end is not None:
        waiting_end = cohort["waiting_end"].to_numpy().astype("datetime64[D]").astype(np.int64)
        diagnostics[_INCOMPLETE] = int(np.count_nonzero(waiting_end > records_end))
    cohort.attrs = {}
    return cohort.astype(dtypes), diagnostics


def _whole_input_set_aside(max_set_aside: float, *diagnostics: dict[str, Any],
                           follow_up: tuple[int, int, int, int] | None = None,
                           strict: bool = False) -> dict[str, dict[str, int]]:
    """The records every partition set aside, added up: said once, refused past the limit;
    and, with ``follow_up`` (records_end, period_end, follow_up_months, waiting_months), the
    people whose waiting period ends after records_end, added up and said once. Said where
    this task runs (and, from a worker process of a dask.distributed cluster, sent on to the
    clients). With ``strict``, any record set aside is refused, naming the whole input's
    counts. Returns the whole input's diagnostics, as the in-memory cohort's attrs hold them."""
    from .reoffending.cohort import PROBLEMS, incomplete_message, rules_broken, unreadable_notes

    whole: dict[str, dict[str, int]] = {}
    for partition in diagnostics:
        for table, counts in partition.items():
            if table not in (_INCOMPLETE, _NOTES, _SAID):
                into = whole.setdefault(table, {})
                for rule, count in counts.items():
                    into[rule] = into.get(rule, 0) + int(count)

    def total(table: str, rule: str) -> int:
        return whole.get(table, {}).get(rule, 0)

    problems = {f"{table}.{rule}": total(table, rule)
                for table, rules in PROBLEMS.items() for rule in rules}
    notes = unreadable_notes(whole)  # (from the counts; other notes are each partition's)
    partitions = len(diagnostics)
    for rule in dict.fromkeys(r for d in diagnostics for r in d.get(_NOTES, {})):
        if rule not in notes:
            notes[rule] = _by_partition([d.get(_NOTES, {}).get(rule) for d in diagnostics])
    if strict and any(problems.values()):
        raise rules_broken(problems, notes)
    report_records_set_aside(problems, {t: total(t, "rows") for t in PROBLEMS}, max_set_aside,
                             notes, say=_say_where_run)
    for index, partition in enumerate(diagnostics):
        for line in partition.get(_SAID, []):
            _say_where_run(UserWarning(f"{line} (in partition {index + 1} of {partitions})"))
    late = sum(int(d.get(_INCOMPLETE, 0)) for d in diagnostics)
    if follow_up is not None and late:
        _say_where_run(UserWarning(incomplete_message(late, *follow_up)))
    return whole


def _by_partition(notes: list[str | None]) -> str:
    """One rule's notes from every partition: the note, when they all say the same; otherwise
    each with its partition (its counts are that partition's)."""
    given = [(i, note) for i, note in enumerate(notes) if note]
    if len({note for _, note in given}) == 1 and len(given) == len(notes):
        return given[0][1]
    return "; ".join(f"in partition {i + 1} of {len(notes)}, {note}" for i, note in given)


def _day_of(timestamp: pd.Timestamp) -> int:
    return int(np.datetime64(timestamp, "D").astype(np.int64))


def _released(counted: tuple[pd.DataFrame, Any], checked: dict[str, Any]) -> pd.DataFrame:
    """A partition's cohort once the whole input is checked, with the whole input's counts of
    records set aside in ``attrs["diagnostics"]``: the same in every partition, so the
    computed cohort keeps them (pandas keeps the attrs its pieces share)."""
    cohort = counted[0].copy(deep=False)
    cohort.attrs = {"diagnostics": checked}
    return cohort


def build_cohort(disposals: Any, offences: Any, period_start: Any, period_end: Any, *,
                 partitioned_by_person: bool = False, npartitions: int | None = None,
                 **options: Any) -> Any:
    """The proven reoffending cohort of a period from event records held as dask DataFrames:
    :func:`yosmodel.build_cohort` run partition by partition, one row per person.

    A person's cohort row needs all their disposals and offences, so both tables must be
    partitioned by person: partition *i* of the disposals and partition *i* of the offences hold
    every record of the same people. By default both are shuffled by ``person_id`` (a hash
    shuffle into ``npartitions``, default the larger of the two counts, at most 100,000),
    which needs ``person_id`` of the same dtype in both. Pass ``partitioned_by_person=True``
    when the data is already laid out that way (for example files written per group of people)
    to skip the shuffle; the two tables must then have the same number of partitions.

    The shuffle keeps the input's row order for the one rule that depends on it (of two
    qualifying disposals on the same date, the earlier row is the index disposal), so the rows
    equal ``yosmodel.build_cohort`` on the computed tables, in person order within each
    partition. ``options`` are those of :func:`yosmodel.build_cohort`.

    Returns
    -------
    dask.dataframe.DataFrame
        Lazy; compute it, or pass it straight to :func:`reoffending_rates` (which computes it
        once). A partition says nothing of its own records set aside: once every partition is
        built, their counts are added up and said once, over the whole input (a
        RecordsSetAsideWarning), and the computed cohort holds them in
        ``attrs["diagnostics"]``, as the in-memory result does (the definition and
        ``attrs["warnings"]`` of the in-memory result follow from the arguments).
        ``max_set_aside`` is a share of the whole input, as in memory, and ``strict=True``
        refuses any such record naming the whole input's counts; both refusals reach the
        caller under every scheduler (as the error of ``compute``). The warning is raised
        where the check runs: in the calling process with the threaded and synchronous
        schedulers; on a worker process of a ``dask.distributed`` cluster, which sends it on
        to the clients (``distributed.warn``: it reaches the caller asynchronously, usually
        before ``compute`` returns, and shows in the worker's log too).
        With ``records_end``, the people whose waiting period ends after it are counted over
        every partition and said once, in a UserWarning raised where that check runs (as
        above); a records_end before period_end is refused at once, before any work.
    """
    import dask
    import dask.dataframe as dd

    from .reoffending import build_cohort as build_in_memory

    for frame in (disposals, offences):
        _require_dask_frame(frame)
    # A truthy string ("False" from a config file) would skip the shuffle: refused, as is a
    # bool for npartitions (True is an int).
    partitioned_by_person = flag(partitioned_by_person, "partitioned_by_person")
    if npartitions is not None:  # (10**12 was a MemoryError inside the shuffle)
        npartitions = whole_number(npartitions, "npartitions", 1, MAX_PARTITIONS)
    for frame, role in ((disposals, "disposal"), (offences, "offence")):
        if "person_id" not in frame.columns:
            raise NotFoundError(f"{role} column 'person_id' is not in the data")
    # The empty cohort of the empty tables checks the arguments and gives the columns; passed
    # through from_pandas, it gets the dtypes dask itself gives text.
    empty = build_in_memory(disposals._meta, offences._meta, period_start, period_end,
                            **options)
    meta = dd.from_pandas(empty, npartitions=1)._meta
    definition = empty.attrs["definition"]
    records_end = None if definition["records_end"] is None else _day_of(
        definition["records_end"])
    follow_up = None if records_end is None else (
        records_end, _day_of(definition["period_end"]), definition["follow_up_months"],
        definition["waiting_months"])
    if partitioned_by_person:
        if disposals.npartitions != offences.npartitions:
            raise InputError("partitioned_by_person=True needs as many partitions of disposals "
                             f"as of offences (they have {disposals.npartitions} and "
                             f"{offences.npartitions})")
    else:
        d_type, o_type = disposals._meta["person_id"].dtype, offences._meta["person_id"].dtype
        if d_type != o_type:
            raise DtypeError(f"person_id has dtype {d_type} in the disposals and {o_type} in the "
                             "offences; give both the same dtype so that each person's records "
                             "meet in one partition")
        n = int(npartitions or max(disposals.npartitions, offences.npartitions))
        disposals = _numbered(disposals).shuffle(on="person_id", npartitions=n)
        offences = offences.shuffle(on="person_id", npartitions=n)
    disposal_parts, offence_parts = disposals.to_delayed(), offences.to_delayed()
    dtypes = meta.dtypes.to_dict()
    counted = [dask.delayed(_cohort_partition, nout=2)(d, o, i, len(disposal_parts),
                                                      period_start, period_end, options,
                                                      dtypes, records_end)
               for i, (d, o) in enumerate(zip(disposal_parts, offence_parts))]
    limit = check_max_set_aside(options.get("max_set_aside", DEFAULT_MAX_SET_ASIDE))
    checked = dask.delayed(_whole_input_set_aside)(limit, *[c[1] for c in counted],
                                                   follow_up=follow_up,
                                                   strict=bool(options.get("strict", False)))
    return dd.from_delayed([dask.delayed(_released)(c, checked) for c in counted], meta=meta)
