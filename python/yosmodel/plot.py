"""Charts for notebooks and reports (matplotlib, imported only when a chart is drawn).

Each function draws on ``ax`` when given (or on a new figure) and returns the Axes, so charts can
be arranged, restyled and saved with matplotlib as usual."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .disclosure import DEFAULT, REOFFENDING_COUNTS, REOFFENDING_DERIVED, charted_rows, resolve
from .errors import InputError, NotFoundError

# What each measure is called on an axis, and whether it is a proportion (shown as a percentage).
MEASURES = {
    "binary_rate": ("Binary reoffending rate", True),
    "frequency_rate": ("Reoffences per offender (frequency rate)", False),
    "reoffences_per_reoffender": ("Reoffences per reoffender", False),
    "previous_offences_mean": ("Previous offences per offender", False),
    "score": ("Case assessment score", True),  # Inspection.theme_scores(level=...)
}
_COMPARATOR_STYLES = ["--", ":", "-."]


def _key_columns(table: pd.DataFrame, by: str | Sequence[str] | None) -> list[str]:
    if by is not None:
        names = [by] if isinstance(by, str) else list(by)
        missing = [n for n in names if n not in table.columns]
        if missing:
            raise NotFoundError(f"by names column(s) not in the table: {', '.join(missing)}")
        return names
    if "offenders" not in table.columns:
        raise InputError("table must be a reoffending_rates result (it has no 'offenders' "
                         "column); pass by= to name the group columns")
    return list(table.columns[:list(table.columns).index("offenders")])


def _group_labels(table: pd.DataFrame, keys: list[str]) -> list[str]:
    if not keys:
        return ["All"] * len(table)
    return [" / ".join(str(v) for v in row) for row in
            zip(*(table[k].astype(object).tolist() for k in keys))]


def _comparators(comparator: Any, label: str) -> list[tuple[str, float]]:
    if comparator is None:
        return []
    if isinstance(comparator, Mapping):
        return [(str(name), float(value)) for name, value in comparator.items()]
    return [(label, float(comparator))]


def comparator_lines(ax: Any) -> list[Any]:
    """The comparator lines :func:`rates` drew on ``ax`` (matplotlib Line2D objects)."""
    return [line for line in ax.get_lines() if line.get_gid() == "comparator"]


def rates(table: pd.DataFrame, by: str | Sequence[str] | None = None,
          measure: str = "binary_rate", comparator: float | Mapping[str, float] | None = None,
          ax: Any = None, *, comparator_label: str = "comparator", title: str | None = None,
          color: Any = None, orientation: str | None = None,
          disclosure: Any = DEFAULT) -> Any:
    """Bars of a reoffending measure per group, with interval whiskers and comparator lines.

    Parameters
    ----------
    table : pandas.DataFrame
        A :func:`yosmodel.reoffending_rates` result (or any table with the measure's column).
    by : column name or names, optional
        The group columns to label bars with (default: the key columns, those before
        ``offenders``); several keys are joined with " / ".
    measure : str
        ``binary_rate`` (default), ``frequency_rate``, ``reoffences_per_reoffender`` or
        ``previous_offences_mean``; or ``score`` for :meth:`Inspection.theme_scores` with
        ``level=``. Whiskers are drawn when the table has ``<measure>_lower`` and
        ``<measure>_upper`` (the binary rate always does).
    comparator : number or mapping of label to number, optional
        Reference lines across the bars, e.g. ``0.378`` (England and Wales) or
        ``{"England and Wales": 0.378, "Last year": 0.439}``.
    ax : matplotlib Axes, optional
    orientation : "vertical", "horizontal" or None
        None (default) lays bars horizontally when there are many groups or long labels, so
        every label stays readable; groups then run top to bottom in the table's order.
    disclosure : optional
        A chart is a publication: a table with reoffending counts (``offenders``...) that has
        not been through disclosure control goes through it first (by default counts below 10,
        and what could be worked back from totals, are withheld; ``None`` turns it off
        explicitly). A group with a withheld count keeps its label, with no bar and the word
        "withheld". A table that has been through :func:`yosmodel.suppress` (or
        ``disclosure=None``) is drawn as it is; tables without reoffending counts (inspection
        scores) are drawn as given, except a reoffending measure without its counts (a
        ``binary_rate`` column alone), which is refused: nothing could withhold its small
        groups.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    if measure not in table.columns:
        raise NotFoundError(f"measure '{measure}' is not a column of the table")
    if len(table) == 0:
        raise InputError("the table has no rows to plot")
    if orientation not in (None, "vertical", "horizontal"):
        raise InputError("orientation must be 'vertical', 'horizontal' or None")
    keys = _key_columns(table, by)
    counts = [c for c in REOFFENDING_COUNTS if c in table.columns]
    withheld = np.zeros(len(table), dtype=bool)
    if counts:
        table, withheld_rows = charted_rows(table, keys, counts, disclosure)
        withheld = withheld_rows.to_numpy(dtype=bool)
    elif measure in REOFFENDING_DERIVED and disclosure is not None \
            and "applied" not in (table.attrs.get("disclosure") or {}):
        # Without its counts a table cannot be controlled: the rates of a group of three were
        # drawn as they were.
        raise InputError(f"the table has the reoffending measure '{measure}' but none of its "
                         f"counts ({', '.join(REOFFENDING_COUNTS)}), so disclosure control "
                         "cannot tell which rates rest on small counts; chart the table with "
                         "its counts, or one through yosmodel.suppress (disclosure=None turns "
                         "the control off explicitly)")
    labels = _group_labels(table, keys)
    values = np.array(table[measure].to_numpy(dtype=float, na_value=np.nan))  # a copy
    values[withheld] = 0.0
    lower_name, upper_name = f"{measure}_lower", f"{measure}_upper"
    errors = None
    if lower_name in table.columns and upper_name in table.columns:
        lower = table[lower_name].to_numpy(dtype=float, na_value=np.nan)
        upper = table[upper_name].to_numpy(dtype=float, na_value=np.nan)
        errors = np.vstack([np.clip(values - lower, 0, None), np.clip(upper - values, 0, None)])
        errors[:, withheld] = 0.0
    axis_label, proportion = MEASURES.get(measure, (measure.replace("_", " "), False))
    if orientation is None:
        crowded = len(table) > 12 or sum(len(label) + 2 for label in labels) > 60
        orientation = "horizontal" if crowded else "vertical"
    horizontal = orientation == "horizontal"

    if ax is None:
        size = (7.0, 0.42 * len(table) + 1.6) if horizontal else \
            (max(4.0, 0.6 * len(table) + 2.0), 3.6)
        _, ax = plt.subplots(figsize=size, layout="constrained")
    style = {"color": color if color is not None else "#4c72b0", "label": axis_label,
             "capsize": 3 if errors is not None else 0,
             "error_kw": {"ecolor": "#333333", "elinewidth": 1, "label": "confidence interval"}}
    if horizontal:
        positions = np.arange(len(table))[::-1]  # the first group at the top
        bars = ax.barh(positions, values, xerr=errors, height=0.7, **style)
        ax.set_yticks(positions, labels)
        value_axis, draw_line = ax.xaxis, ax.axvline
        ax.set_xlabel(axis_label)
        if keys:
            ax.set_ylabel(" / ".join(keys))
    else:
        positions = np.arange(len(table))
        bars = ax.bar(positions, values, yerr=errors, **style)
        ax.set_xticks(positions, labels)
        value_axis, draw_line = ax.yaxis, ax.axhline
        ax.set_ylabel(axis_label)
        if keys:
            ax.set_xlabel(" / ".join(keys))
    for position in positions[withheld]:
        ax.annotate("withheld", (position, 0) if not horizontal else (0, position),
                    xytext=(0, 3) if not horizontal else (3, 0), textcoords="offset points",
                    ha="center" if not horizontal else "left",
                    va="bottom" if not horizontal else "center", fontsize=8, gid="withheld")
    for line_style, (name, value) in zip(_COMPARATOR_STYLES * 4,
                                         _comparators(comparator, comparator_label)):
        draw_line(value, color="#c44e52", linestyle=line_style, linewidth=1.5, label=name,
                  gid="comparator")
    handles = ([bars.errorbar] if errors is not None else []) + comparator_lines(ax)
    if handles:  # above the plot, where it never hides a bar
        ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0),
                  ncol=min(len(handles), 2), frameon=False, fontsize="small")
    if proportion:
        value_axis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if title:
        legend_rows = -(-len(handles) // 2)
        ax.set_title(title, loc="left", pad=6 + 16 * legend_rows)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


def _theme_of(inspection: Any, theme: str) -> Any:
    for candidate in inspection.framework.themes:
        if theme in (candidate.id, candidate.name):
            return candidate
    known = ", ".join(t.id for t in inspection.framework.themes)
    raise NotFoundError(f"the framework has no theme '{theme}' (its themes: {known})")


def data_summary(inspection: Any, theme: str, ax: Any = None, *, where: Any = None,
                 wrap: int = 48, disclosure: Any = DEFAULT) -> Any:
    """The per-question chart of an inspection report, drawn with matplotlib: for each of a
    theme's questions, one horizontal bar of the cases answered yes, no and not applicable (a
    published report's "data summary"), with the counts written on the bars. The bars are the
    report's own (:func:`yosmodel.inspection.charts.data_summary_layout`): a withheld part is
    hatched and labelled "withheld", so every bar reaches its total.

    Parameters
    ----------
    inspection : yosmodel.Inspection
    theme : str
        The theme's id (``"reducing_reoffending"``) or name (``"Reducing reoffending"``).
    where : optional
        A case subgroup, as for :meth:`Inspection.question_summary` (``{"sex": "female"}``).
        A group whose size disclosure control withholds is not charted (the axis would give
        its size): one smaller than the threshold, or one whose size would give back a small
        one's (the rest of the sample, another value of the same attribute), as the report
        withholds them. The chart says it is withheld.
    wrap : int
        Question texts are wrapped to this many characters.
    disclosure : optional
        As in :meth:`Inspection.report`: by default counts below 10 (and any count that could
        be worked back from the others and the number of cases) are withheld; ``None`` turns
        disclosure control off explicitly.
    """
    import textwrap

    import matplotlib.pyplot as plt

    from .inspection.charts import (
        ANSWERS,
        WITHHELD,
        data_summary_layout,
        question_table,
        size_withheld,
    )

    chosen = _theme_of(inspection, theme)
    if not chosen.questions:
        raise InputError(f"theme '{chosen.name}' is judged by inspectors and has no questions "
                         "to chart")
    table, cases = question_table(inspection, chosen, where, disclosure)
    bars = data_summary_layout(table, cases)
    if ax is None:
        _, ax = plt.subplots(figsize=(8.0, 0.6 * len(bars) + 1.4), layout="constrained")
    policy = resolve(disclosure)
    small = where is not None and policy is not None and \
        (0 < cases < policy.threshold or (cases == 0 and policy.zero_is_small)
         or size_withheld(inspection, where, disclosure))
    if cases == 0 or small:
        # A small group's size is a count of children: the axis and every bar reaching it
        # showed it (a group of 8 cases drew an axis to 8, and one of the other 49 an axis
        # that gave the 8 by subtraction).
        text = ("This group is not charted: its size is withheld by disclosure control (it is "
                "small, or would give back a small group's size)." if small
                else "No cases in this group: nothing to show.")
        ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(chosen.name, loc="left")
        return ax
    positions = np.arange(len(bars))[::-1]  # first question at the top
    kinds = [*ANSWERS, WITHHELD]
    left = np.zeros(len(bars))
    for kind, name, colour in kinds:
        found = [next((s for s in b.segments if s.kind == kind), None) for b in bars]
        if kind == WITHHELD[0] and not any(found):
            break  # nothing withheld: no empty legend entry
        widths = np.array([s.count if s else 0.0 for s in found])
        hatched = kind == WITHHELD[0]
        container = ax.barh(positions, widths, left=left, height=0.6,
                            color="white" if hatched else colour, label=name,
                            hatch="///" if hatched else None,
                            edgecolor=colour if hatched else "white")
        ax.bar_label(container, labels=[s.text if s else "" for s in found],
                     label_type="center", color="black" if hatched else "white", fontsize=8)
        left = left + widths
    for position, bar in zip(positions, bars):
        if bar.withheld_all:
            ax.text(cases / 2, position, "all counts withheld", ha="center", va="center",
                    fontsize=8, fontweight="bold")
    ax.set_yticks(positions, ["\n".join(textwrap.wrap(b.label, wrap)) or b.label for b in bars])
    ax.set_xlabel("cases")
    ax.set_xlim(0, max(float(cases), 1.0))
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=4, frameon=False)
    ax.set_title(chosen.name, loc="left", pad=24)
    ax.spines[["top", "right"]].set_visible(False)
    return ax
