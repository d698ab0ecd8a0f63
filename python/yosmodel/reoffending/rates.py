"""Grouped proven reoffending measures over a person-level cohort (one row per person)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .._utils.options import flag, margins_name_of
from .._utils.set_aside import DEFAULT_MAX_SET_ASIDE, check_max_set_aside
from .partials import DEFAULT_MAX_REOFFENCES, count_partial, rates_frame, report_set_aside


def reoffending_rates(data: Any, by: str | Sequence[str] | None = None,
                      reoffences: str = "reoffences", previous_offences: str | None = None,
                      level: float = 0.95, method: str = "wilson",
                      threads: int | None = None, margins: bool = False,
                      margins_name: str = "All", max_reoffences: int = DEFAULT_MAX_REOFFENCES,
                      max_set_aside: float = DEFAULT_MAX_SET_ASIDE) -> pd.DataFrame:
    """Proven reoffending measures per group of a person-level cohort.

    Parameters
    ----------
    data : pandas or polars DataFrame, pyarrow Table, any table speaking the Arrow PyCapsule
        interface (``__arrow_c_stream__``), or dict of columns (numpy arrays, pandas or polars
        Series, pyarrow or other Arrow-speaking arrays)
        One row per person in the cohort. pandas Series in a dict are paired by index label,
        as ``pd.DataFrame(data)`` pairs them (the same labels in another order are aligned);
        Series whose labels differ are refused, naming the columns.
    by : column name or list of names, optional
        Grouping keys (categorical, string or integer). None or [] gives one row for the cohort.
        Missing key values are an error, never dropped silently.
    reoffences : str
        Column of proven reoffences per person (non-negative whole numbers).
    previous_offences : str, optional
        Column of offences proven before the index date; adds ``previous_offences_mean``.
    level, method : the binary rate's confidence interval (see :func:`proportion_interval`).
    threads : int, optional
        Worker threads for the kernel (default: every core). Results do not depend on it.
    margins : bool
        Add the totals along every key, labelled ``margins_name``: with by=["yjs", "sex"], the
        rows (yjs, "All") for each service, ("All", sex) for each sex and ("All", "All"). Totals
        are computed by merging counts, never by averaging rates, and each sorts after the
        categories it totals. Tables meant for publication go through :func:`suppress`, whose
        secondary suppression uses these totals.
    margins_name : str
        The label of the totals (default "All").
    max_reoffences : int
        The plausible maximum of reoffences for one person (default 1,000; 1 to 1,000,000). A
        row above it is a data error, not a person: it is set aside (left out of every count)
        under the rule ``reoffences_above_maximum`` and said in a
        :class:`yosmodel.RecordsSetAsideWarning`. The default is a parameter, not a sourced
        figure (docs/measures.md); raise it if such counts are real.
    max_set_aside : float
        The largest share of the rows the rule may set aside (default 0.01, 1%); above it the
        call fails, as :func:`build_cohort` does.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty group, sorted by the keys: the keys, then ``offenders``,
        ``reoffenders``, ``reoffences``, ``binary_rate`` (reoffenders / offenders) with
        ``binary_rate_lower`` and ``binary_rate_upper``, ``frequency_rate`` (reoffences /
        offenders), ``reoffences_per_reoffender`` (NaN where a group has no reoffenders) and,
        with previous_offences, ``previous_offences_mean``.
    """
    # by="person_id" is not refused here, unlike kpis and first_time_entrants: this is the
    # grouping step, its result is an unsuppressed analytic table (grouped by person_id, the
    # cohort again), and every publishing path (suppress, apply_default, to_published,
    # to_excel, charts, the command line) refuses an identifier (docs/privacy.md).
    max_set_aside = check_max_set_aside(max_set_aside)
    flag(margins, "margins")
    margins_name = margins_name_of(margins_name)
    partial, keys, set_aside, rows = count_partial(data, by, reoffences, previous_offences,
                                                   threads, max_reoffences)
    report_set_aside(set_aside, rows, max_reoffences, max_set_aside)
    with_margins = bool(margins) and len(keys) > 0
    if with_margins:
        partial = partial.with_margins()
    return rates_frame(partial, keys, level=level, method=method,
                       with_previous=previous_offences is not None,
                       margins_name=margins_name if with_margins else None)
