"""Did an intervention reduce reoffending? Propensity score matching as the Ministry of Justice's
Justice Data Lab does it: participants are matched to similar non-participants on the estimated
probability of taking part, balance is checked with standardised differences, and the matched
groups' one-year outcomes are compared.

The numerical work (the logistic regression, the matching, balance and effects) runs in the C++
core; this module turns an analyst's table into columns, applies the method's rules and words the
result. See docs/evaluation.md for the method, its assumptions and what it cannot tell you.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import _core
from ._columns import Table

DEFAULT_OUTCOMES = ("reoffended", "reoffences", "days_to_first_reoffence")
#: The Justice Data Lab's minimum number of (matched) participants for any analysis.
MIN_PARTICIPANTS = 60
#: Fewer matched participants who reoffended than this: no time-to-reoffence headline.
MIN_REOFFENDERS_FOR_TIME = 30
#: |standardised difference| below this (in percent) counts as balanced.
BALANCE_BAND = 10.0

EFFECT_COLUMNS = ["outcome", "treated_n", "treated_mean", "comparison_n", "comparison_mean",
                  "difference", "difference_lower", "difference_upper", "p_value", "significant",
                  "treated_lower", "treated_upper", "comparison_lower", "comparison_upper",
                  "standard_error"]


# ---- the result --------------------------------------------------------------------------------

@dataclass(repr=False)
class Evaluation:
    """The result of :func:`evaluate_intervention`.

    Attributes
    ----------
    effects : DataFrame
        One row per outcome: ``outcome, treated_n, treated_mean, comparison_n, comparison_mean,
        difference, difference_lower, difference_upper, p_value, significant`` and then the
        groups' own intervals (``treated_lower`` ...) and the difference's ``standard_error``.
        ``comparison_mean`` is weighted by how often each comparison person was matched;
        ``comparison_n`` counts distinct comparison people.
    balance : DataFrame
        ``covariate, std_diff_before, std_diff_after, balanced``: standardised differences in
        percent (100 x difference in means / pooled SD before matching); ``balanced`` is
        ``|std_diff_after| < 10``. A categorical covariate has one row per category.
    matched : DataFrame
        One row per matched participant: ``participant_row, comparison_row`` (0-based positions
        in the input), ``distance`` (|difference in logit of the propensity score|) and
        ``comparison_weight`` (how many participants that comparison person is matched to: its
        weight in the comparison group's means).
    unmatched : ndarray
        Positions of participants with nobody in the comparison pool within the caliper.
    propensity : Series
        The fitted propensity score of every input row, in input order.
    model : DataFrame
        The propensity model: ``term, coefficient, standard_error`` (log-odds).
    """

    effects: pd.DataFrame
    balance: pd.DataFrame
    matched: pd.DataFrame
    unmatched: np.ndarray
    propensity: pd.Series
    model: pd.DataFrame
    participants: int
    pool: int
    caliper: float | None
    caliper_width: float
    replacement: bool
    exact: list[str]
    level: float
    seed: int
    outcome_kinds: dict[str, str] = field(default_factory=dict)

    @property
    def matched_participants(self) -> int:
        return len(self.matched)

    @property
    def comparison_people(self) -> int:
        return int(self.matched["comparison_row"].nunique())

    @property
    def unbalanced(self) -> list[str]:
        """Covariates whose standardised difference after matching is 10% or more."""
        return self.balance.loc[~self.balance["balanced"], "covariate"].tolist()

    # -- words --

    def _method_lines(self) -> list[str]:
        caliper = ("no caliper" if self.caliper is None else
                   f"a caliper of {self.caliper:g} standard deviations of the logit of the "
                   "propensity score")
        exact = f", matched exactly on {', '.join(self.exact)}" if self.exact else ""
        unmatched = len(self.unmatched)
        return [
            f"{self.participants} participants were compared with a pool of {self.pool} "
            "non-participants.",
            f"{self.matched_participants} participants were matched to {self.comparison_people} "
            f"similar non-participants (nearest neighbour "
            f"{'with' if self.replacement else 'without'} replacement, {caliper}{exact}); "
            + ("every participant found a match." if unmatched == 0 else
               f"{unmatched} participant{' was' if unmatched == 1 else 's were'} left unmatched "
               f"(nobody similar enough in the pool) and {'is' if unmatched == 1 else 'are'} not "
               "in the results."),
        ]

    def _balance_line(self) -> str:
        unbalanced = self.unbalanced
        if not unbalanced:
            return (f"After matching, every covariate ({len(self.balance)} in all) is within the "
                    f"accepted band (standardised difference under {BALANCE_BAND:g}%): the groups "
                    "are similar on everything that was measured.")
        return (f"After matching, {len(unbalanced)} of {len(self.balance)} covariates are outside "
                f"the accepted band (standardised difference of {BALANCE_BAND:g}% or more): "
                f"{', '.join(unbalanced)}. The groups still differ on these, so treat the results "
                "with caution.")

    def summary(self) -> str:
        """The result in the Justice Data Lab's plain words."""
        percent = f"{self.level:.0%}"
        lines = ["Evaluation of an intervention by propensity score matching "
                 "(Justice Data Lab method)", ""]
        lines += self._method_lines()
        lines += [self._balance_line(), ""]
        for row in self.effects.itertuples(index=False):
            kind = self.outcome_kinds.get(row.outcome, "mean")
            lines.append(_headline(row, kind, percent))
            lines.append(_in_words(row, kind))
            lines.append("")
        lines.append("What this cannot tell you: matching balances only what was recorded. If "
                     "participants differ from the comparison group in ways the data do not show "
                     "(motivation, family support, who chose to refer them), those differences, "
                     "not the intervention, may explain some or all of any difference.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        effects = self.effects[EFFECT_COLUMNS[:10]]
        parts = ["<div class='yosmodel-evaluation'>",
                 "<h4>Evaluation of an intervention (Justice Data Lab method)</h4>"]
        parts += [f"<p>{html.escape(line)}</p>" for line in self._method_lines()]
        parts.append(f"<p>{html.escape(self._balance_line())}</p>")
        parts.append("<h5>Effects</h5>")
        parts.append(effects.to_html(index=False, float_format=lambda v: f"{v:.4g}"))
        parts.append("<ul>")
        parts += [f"<li>{html.escape(_in_words(row, self.outcome_kinds.get(row.outcome, 'mean')))}"
                  "</li>" for row in self.effects.itertuples(index=False)]
        parts.append("</ul>")
        parts.append("<h5>Balance (standardised differences, %)</h5>")
        parts.append(self.balance.to_html(index=False, float_format=lambda v: f"{v:.1f}"))
        parts.append("</div>")
        return "\n".join(parts)

    def plot(self, figsize: tuple[float, float] | None = None) -> Any:
        """Balance before and after matching (left) and each outcome's difference with its
        interval (right). Returns the matplotlib Figure."""
        import matplotlib.pyplot as plt
        from matplotlib.gridspec import GridSpec

        n_cov, n_out = len(self.balance), len(self.effects)
        fig = plt.figure(figsize=figsize or (11, max(3.5, 0.28 * n_cov + 1.5)),
                         constrained_layout=True)
        grid = GridSpec(max(n_out, 1), 2, figure=fig, width_ratios=[3, 2])
        ax = fig.add_subplot(grid[:, 0])
        y = np.arange(n_cov)[::-1]
        ax.axvspan(-BALANCE_BAND, BALANCE_BAND, color="0.9", label=f"|d| < {BALANCE_BAND:g}%")
        ax.axvline(0, color="0.5", lw=0.8)
        ax.scatter(self.balance["std_diff_before"], y, marker="o", facecolors="none",
                   edgecolors="C3", label="before matching")
        ax.scatter(self.balance["std_diff_after"], y, marker="o", color="C0",
                   label="after matching")
        ax.set_yticks(y, self.balance["covariate"])
        ax.set_xlabel("standardised difference (%)")
        ax.set_title("Balance")
        ax.legend(loc="best", fontsize="small")
        for k, row in enumerate(self.effects.itertuples(index=False)):
            axe = fig.add_subplot(grid[k, 1])
            scale, unit = _scale_and_unit(self.outcome_kinds.get(row.outcome, "mean"))
            centre = row.difference * scale
            axe.errorbar([centre], [0], xerr=[[centre - row.difference_lower * scale],
                                              [row.difference_upper * scale - centre]],
                         fmt="o", color="C0" if row.significant else "0.4", capsize=4)
            axe.axvline(0, color="0.5", lw=0.8)
            axe.set_yticks([])
            axe.set_title(f"{row.outcome}: difference ({unit})", fontsize="medium")
        fig.suptitle("Participants against matched comparison group")
        return fig


def _scale_and_unit(kind: str) -> tuple[float, str]:
    if kind == "binary":
        return 100.0, "percentage points"
    if kind == "count":
        return 100.0, "per 100 people"
    if kind == "days":
        return 1.0, "days"
    return 1.0, "mean"


def _numbers(a: float, b: float) -> tuple[str, str]:
    """Two magnitudes at one precision: whole numbers from 10 up, else one decimal place."""
    a, b = abs(a), abs(b)
    digits = 0 if max(a, b) >= 9.5 else 1
    return f"{a:.{digits}f}", f"{b:.{digits}f}"


def _headline(row: Any, kind: str, percent: str) -> str:
    if kind == "binary":
        def fmt(v: float) -> str:
            return f"{100 * v:.1f}%"
        diff = (f"{100 * row.difference:+.1f} percentage points ({percent} interval "
                f"{100 * row.difference_lower:+.1f} to {100 * row.difference_upper:+.1f})")
    else:
        def fmt(v: float) -> str:
            return f"{v:.3g}"
        diff = (f"{row.difference:+.3g} ({percent} interval {row.difference_lower:+.3g} to "
                f"{row.difference_upper:+.3g})")
    p = "undefined" if math.isnan(row.p_value) else (
        "< 0.001" if row.p_value < 0.001 else f"{row.p_value:.3f}")
    verdict = "statistically significant" if row.significant else "not statistically significant"
    return (f"{row.outcome}: participants {fmt(row.treated_mean)} (n = {row.treated_n}), "
            f"matched comparison {fmt(row.comparison_mean)} (n = {row.comparison_n}); "
            f"difference {diff}, p = {p}: {verdict}.")


def _in_words(row: Any, kind: str) -> str:
    lower, upper = row.difference_lower, row.difference_upper
    if math.isnan(lower) or math.isnan(upper):
        return f"There is not enough information to estimate an effect on '{row.outcome}'."
    if kind == "days":
        if row.significant:
            a, b = _numbers(*sorted((abs(lower), abs(upper))))
            direction = "later" if lower > 0 else "sooner"
            return (f"Participants who reoffended committed their first proven reoffence between "
                    f"{a} and {b} days {direction}, on average, than similar people who did not "
                    "take part.")
        a, b = _numbers(lower, upper)
        return ("The analysis cannot say whether the intervention changes the time to a first "
                f"proven reoffence: the difference runs from {a} days "
                f"{'sooner' if lower < 0 else 'later'} to {b} days "
                f"{'later' if upper > 0 else 'sooner'}, a range that includes no change.")
    if kind in ("binary", "count"):
        if kind == "binary":
            unit = "people"
            measure = ("the number of people who commit a proven reoffence within a year"
                       if row.outcome == "reoffended"
                       else f"the number of people with '{row.outcome}'")
        else:
            unit = ("proven reoffences" if row.outcome == "reoffences"
                    else f"'{row.outcome}'")
            measure = ("the number of proven reoffences committed within a year"
                       if row.outcome == "reoffences" else f"the total of '{row.outcome}'")
        if row.significant:
            a, b = _numbers(*sorted((abs(100 * lower), abs(100 * upper))))
            word = "higher" if lower > 0 else "lower"
            return (f"For 100 typical participants, compared with 100 similar people who did not "
                    f"take part, {measure} is {word} by between {a} and {b} {unit}.")
        a, b = _numbers(100 * lower, 100 * upper)
        return (f"The analysis cannot say whether the intervention increases or reduces "
                f"{measure}: for 100 typical participants the difference runs from {a} "
                f"{'fewer' if lower < 0 else 'more'} to {b} {'more' if upper > 0 else 'fewer'} "
                f"{unit}, a range that includes no change.")
    if row.significant:
        word = "higher" if lower > 0 else "lower"
        a, b = sorted((abs(lower), abs(upper)))
        return (f"The mean of '{row.outcome}' is between {a:.3g} and {b:.3g} {word} for "
                "participants than for similar people who did not take part.")
    return (f"The analysis cannot say whether the intervention changes the mean of "
            f"'{row.outcome}': the difference runs from {lower:+.3g} to {upper:+.3g}.")


# ---- inputs ------------------------------------------------------------------------------------

def _names(value: str | Sequence[str] | None, role: str, allow_empty: bool = False) -> list[str]:
    if value is None:
        names: list[str] = []
    elif isinstance(value, str):
        names = [value]
    else:
        names = list(value)
    if not all(isinstance(n, str) for n in names):
        raise TypeError(f"{role} must be column names (strings)")
    if not names and not allow_empty:
        raise ValueError(f"{role} must name at least one column")
    if len(set(names)) != len(names):
        raise ValueError(f"{role} names a column more than once")
    return names


def _frame(data: Any, columns: list[str]) -> pd.DataFrame:
    """The named columns as a pandas DataFrame (pandas input is not copied)."""
    table = Table(data)
    for name in columns:
        table.require(name, "evaluation")
    if table.kind == "pandas":
        return data
    if table.kind == "dict":
        return pd.DataFrame({name: data[name] for name in columns})
    return data.select(columns).to_pandas()


def _is_categorical(column: pd.Series) -> bool:
    dtype = column.dtype
    return (isinstance(dtype, pd.CategoricalDtype) or dtype == object
            or pd.api.types.is_string_dtype(dtype))


def _numeric(column: pd.Series, name: str, role: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(column.dtype) and not pd.api.types.is_extension_array_dtype(
            column.dtype):
        return column.to_numpy().astype(np.float64)
    if not (pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(
            column.dtype)):
        raise TypeError(f"{role} column '{name}' has dtype {column.dtype}; it must be numeric, "
                        "boolean or categorical")
    if pd.api.types.is_extension_array_dtype(column.dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    return column.to_numpy(dtype=np.float64)


def _missing_error(name: str, role: str, count: int) -> ValueError:
    rows = "row has" if count == 1 else "rows have"
    return ValueError(f"{role} column '{name}': {count} {rows} a missing value; fill or drop them "
                      "first (rows are never dropped silently)")


def _participation(frame: pd.DataFrame, name: str) -> np.ndarray:
    column = frame[name]
    if int(column.isna().sum()):
        raise _missing_error(name, "treated", int(column.isna().sum()))
    if _is_categorical(column):
        raise TypeError(f"treated column '{name}' must be boolean or 0/1, not {column.dtype}")
    values = _numeric(column, name, "treated")
    bad = int(((values != 0) & (values != 1)).sum())
    if bad:
        raise ValueError(f"treated column '{name}' must be true/false or 1/0; {bad} row(s) hold "
                         "another value")
    return values.astype(np.uint8)


@dataclass
class _Covariates:
    design: np.ndarray          # float64, rows x columns, drop-first indicators
    model_names: list[str]      # safe names for the core's messages (no category labels)
    terms: list[str]            # readable names of the design columns
    balance: np.ndarray         # every category's indicator (not only drop-first)
    balance_names: list[str]


def _covariates(frame: pd.DataFrame, names: list[str], participation: np.ndarray) -> _Covariates:
    rows = len(frame)
    parts: list[tuple[str, Any]] = []  # ("numeric", values) or ("categorical", (codes, levels))
    for name in names:
        column = frame[name]
        if _is_categorical(column):
            missing = int(column.isna().sum())
            if missing:
                raise _missing_error(name, "covariate", missing)
            if isinstance(column.dtype, pd.CategoricalDtype):
                used = column.cat.remove_unused_categories()
                codes, levels = used.cat.codes.to_numpy(), list(used.cat.categories)
            else:
                codes, uniques = pd.factorize(column, sort=True)
                levels = list(uniques)
            codes = np.asarray(codes, dtype=np.int64)
            _check_categories(name, codes, len(levels), participation)
            parts.append(("categorical", (codes, levels)))
        else:
            values = _numeric(column, name, "covariate")
            missing = int(np.isnan(values).sum())
            if missing:
                raise _missing_error(name, "covariate", missing)
            if not np.isfinite(values).all():
                raise ValueError(f"covariate column '{name}': "
                                 f"{int((~np.isfinite(values)).sum())} row(s) are infinite")
            parts.append(("numeric", values))

    model_names, terms, balance_names = [], [], []
    design_columns, balance_columns = [], []
    for name, (kind, payload) in zip(names, parts):
        if kind == "numeric":
            model_names.append(name)
            terms.append(name)
            balance_names.append(name)
            design_columns.append(payload)
            balance_columns.append(payload)
            continue
        codes, levels = payload
        for k, level in enumerate(levels):
            indicator = codes == k
            balance_names.append(f"{name}={level}")
            balance_columns.append(indicator)
            if k == 0:
                continue  # the first category is the reference
            model_names.append(f"{name} (category {k + 1} of {len(levels)})")
            terms.append(f"{name}={level}")
            design_columns.append(indicator)
    design = np.empty((rows, len(design_columns)), dtype=np.float64)
    for j, values in enumerate(design_columns):
        design[:, j] = values
    if len(balance_columns) == len(design_columns):
        balance = design
    else:
        balance = np.empty((rows, len(balance_columns)), dtype=np.float64)
        for j, values in enumerate(balance_columns):
            balance[:, j] = values
    return _Covariates(design, model_names, terms, balance, balance_names)


def _check_categories(name: str, codes: np.ndarray, levels: int,
                      participation: np.ndarray) -> None:
    """A category held only by participants or only by non-participants predicts participation
    exactly (separation): the propensity model would have no finite estimate."""
    treated = np.bincount(codes, weights=participation, minlength=levels)
    total = np.bincount(codes, minlength=levels)
    only_pool = int(((treated == 0) & (total > 0)).sum())
    only_participants = int(((treated == total) & (total > 0)).sum())
    if only_pool or only_participants:
        raise ValueError(
            f"covariate '{name}': {only_pool} categor{'y has' if only_pool == 1 else 'ies have'} "
            f"no participants and {only_participants} "
            f"{'has' if only_participants == 1 else 'have'} no non-participants, so the "
            "propensity model cannot be estimated (separation); drop the rows in those "
            "categories (nobody in them can be matched) or merge categories")


def _strata(frame: pd.DataFrame, exact: list[str]) -> np.ndarray | None:
    if not exact:
        return None
    for name in exact:
        missing = int(frame[name].isna().sum())
        if missing:
            raise _missing_error(name, "exact", missing)
    if len(exact) == 1:
        codes, _ = pd.factorize(frame[exact[0]], sort=True)
    else:
        codes = frame.groupby(exact, sort=True, observed=True).ngroup().to_numpy()
    return np.ascontiguousarray(codes, dtype=np.int64)


def _outcome_values(frame: pd.DataFrame, name: str, is_time: bool) -> tuple[np.ndarray, str]:
    column = frame[name]
    if _is_categorical(column):
        raise TypeError(f"outcome column '{name}' has dtype {column.dtype}; outcomes must be "
                        "numeric or boolean")
    values = np.ascontiguousarray(_numeric(column, name, "outcome"))
    missing = int(np.isnan(values).sum())
    if is_time:
        negative = int((values < 0).sum())
        if negative:
            raise ValueError(f"outcome column '{name}': {negative} row(s) are negative; a time to "
                             "first reoffence is zero or more days (missing for non-reoffenders)")
        return values, "days"
    if missing:
        raise ValueError(f"outcome column '{name}': {missing} row(s) have a missing value; only "
                         "the time-to-reoffence outcome may be missing (for non-reoffenders)")
    if np.isin(values, (0.0, 1.0)).all():
        return values, "binary"
    if (values >= 0).all() and (values == np.floor(values)).all():
        return values, "count"
    return values, "mean"


# ---- the method --------------------------------------------------------------------------------

def evaluate_intervention(data: Any, treated: str, covariates: str | Sequence[str],
                          outcomes: str | Sequence[str] = DEFAULT_OUTCOMES,
                          caliper: float | None = 0.2, replacement: bool = True,
                          exact: str | Sequence[str] | None = None, level: float = 0.95,
                          seed: int = 0, *,
                          time_outcome: str | None = "days_to_first_reoffence",
                          threads: int | None = None) -> Evaluation:
    """Estimate whether an intervention changed reoffending, by propensity score matching.

    Parameters
    ----------
    data : pandas or polars DataFrame, pyarrow Table or dict of arrays
        One row per person: the participants and a pool of non-participants.
    treated : str
        Column that is true (1) for participants and false (0) for the pool.
    covariates : str or list of str
        What participation may depend on (demographics, criminal history, needs). Numeric and
        boolean columns enter the propensity model as they are; categorical, string and object
        columns are one-hot encoded with their first category as the reference.
    outcomes : list of str
        Outcome columns. A 0/1 column is a proportion (``reoffended``), a whole-number column a
        count (``reoffences``), and ``time_outcome`` a number of days that is missing for people
        who did not reoffend.
    caliper : float or None
        Largest allowed distance between matched people, in standard deviations of the logit of
        the propensity score (pooled over participants and pool); ``None`` for no caliper.
    replacement : bool
        Whether a non-participant may be matched to several participants.
    exact : str or list of str, optional
        Columns to match on exactly (for example ``sex`` or ``yjs``).
    level : float
        Confidence level of the intervals; ``significant`` is ``p_value <= 1 - level`` (p <= 0.05
        at the default), which agrees with the interval excluding zero.
    seed : int
        Fixes how ties (equal scores) are broken and, without replacement, the matching order.
    time_outcome : str or None
        Which outcome is a time to first reoffence (its headline needs 30 reoffenders).
    threads : int, optional
        Threads for the model fit and matching (default every core); results do not depend on it.

    Raises
    ------
    ValueError
        Fewer than 60 participants (or matched participants); fewer than 30 matched participants
        who reoffended when the time outcome is asked for; missing values; a propensity model that
        cannot be estimated (separation, collinear covariates).
    KeyError
        A named column is not in the data.
    """
    covariate_names = _names(covariates, "covariates")
    outcome_names = _names(outcomes, "outcomes")
    exact_names = _names(exact, "exact", allow_empty=True)
    if not isinstance(treated, str):
        raise TypeError("treated must be a column name (a string)")
    for name in outcome_names:
        if name in covariate_names or name == treated:
            raise ValueError(f"outcome '{name}' is also the treated flag or a covariate; an "
                             "outcome cannot explain participation")
    if treated in covariate_names:
        raise ValueError(f"treated column '{treated}' cannot also be a covariate")
    if caliper is not None and not (isinstance(caliper, (int, float)) and math.isfinite(caliper)
                                    and caliper > 0):
        raise ValueError("caliper must be a positive number of standard deviations, or None")
    if not (isinstance(level, (int, float)) and 0 < level < 1):
        raise ValueError("level must be strictly between 0 and 1 (for example 0.95)")
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0:
        raise ValueError("seed must be a non-negative integer")
    if threads is not None and (not isinstance(threads, (int, np.integer)) or threads < 1):
        raise ValueError("threads must be a positive integer (or None for every core)")
    n_threads = 0 if threads is None else int(threads)

    needed = list(dict.fromkeys([treated, *covariate_names, *outcome_names, *exact_names]))
    frame = _frame(data, needed)
    participation = _participation(frame, treated)
    participants = int(participation.sum())
    pool = len(participation) - participants
    if participants < MIN_PARTICIPANTS:
        raise ValueError(f"there are {participants} participants; the Justice Data Lab method "
                         f"needs at least {MIN_PARTICIPANTS} for an analysis")
    if pool == 0:
        raise ValueError("there is no comparison pool: every row is a participant")
    values = {name: _outcome_values(frame, name, name == time_outcome) for name in outcome_names}
    cov = _covariates(frame, covariate_names, participation)

    fit = _core.fit_logistic(cov.design, participation, cov.model_names, threads=n_threads)
    logits = fit["logits"]
    is_participant = participation.astype(bool)
    participant_rows = np.flatnonzero(is_participant)
    pool_rows = np.flatnonzero(~is_participant)
    participant_logits = np.ascontiguousarray(logits[participant_rows])
    pool_logits = np.ascontiguousarray(logits[pool_rows])
    width = math.inf
    if caliper is not None:
        width = float(caliper) * _core.pooled_standard_deviation(participant_logits, pool_logits)
        if width <= 0:  # every logit equal: only identical scores match
            width = float(np.finfo(float).tiny)
    strata = _strata(frame, exact_names)
    comparison, distance = _core.match_nearest(
        participant_logits, pool_logits, width, bool(replacement), int(seed),
        None if strata is None else np.ascontiguousarray(strata[participant_rows]),
        None if strata is None else np.ascontiguousarray(strata[pool_rows]), n_threads)

    found = comparison >= 0
    matched_count = int(found.sum())
    if matched_count < MIN_PARTICIPANTS:
        raise ValueError(f"only {matched_count} of {participants} participants have a comparison "
                         f"within the caliper; the method needs at least {MIN_PARTICIPANTS} "
                         "matched participants (widen the caliper or match exactly on fewer "
                         "columns)")
    uses = np.bincount(comparison[found], minlength=pool).astype(np.float64)
    weights = np.zeros(len(participation), dtype=np.float64)
    weights[participant_rows[found]] = 1.0
    weights[pool_rows] = uses

    balance = _core.standardised_differences(cov.balance, participation, weights,
                                             cov.balance_names)
    balance_frame = pd.DataFrame({
        "covariate": cov.balance_names,
        "std_diff_before": 100 * balance["before"],
        "std_diff_after": 100 * balance["after"],
    })
    balance_frame["balanced"] = balance_frame["std_diff_after"].abs() < BALANCE_BAND

    rows, kinds = [], {}
    for name in outcome_names:
        outcome, kind = values[name]
        kinds[name] = kind
        if kind == "days":
            reoffenders = int(((weights[participant_rows] > 0)
                               & ~np.isnan(outcome[participant_rows])).sum())
            if reoffenders < MIN_REOFFENDERS_FOR_TIME:
                raise ValueError(
                    f"outcome '{name}': {reoffenders} matched participants reoffended; the method "
                    f"gives no time-to-reoffence headline below {MIN_REOFFENDERS_FOR_TIME} "
                    f"reoffenders (leave '{name}' out of outcomes)")
        e = _core.weighted_difference(outcome, participation, weights, float(level))
        p = e["p_value"]
        rows.append({
            "outcome": name,
            "treated_n": int(e["participants"]["n"]),
            "treated_mean": e["participants"]["mean"],
            "comparison_n": int(e["comparison"]["n"]),
            "comparison_mean": e["comparison"]["mean"],
            "difference": e["difference"],
            "difference_lower": e["lower"],
            "difference_upper": e["upper"],
            "p_value": p,
            "significant": bool(not math.isnan(p) and p <= 1 - level),
            "treated_lower": e["participants"]["lower"],
            "treated_upper": e["participants"]["upper"],
            "comparison_lower": e["comparison"]["lower"],
            "comparison_upper": e["comparison"]["upper"],
            "standard_error": e["standard_error"],
        })

    matched = pd.DataFrame({
        "participant_row": participant_rows[found],
        "comparison_row": pool_rows[comparison[found]],
        "distance": distance[found],
        "comparison_weight": uses[comparison[found]],
    })
    index = frame.index if isinstance(data, pd.DataFrame) else pd.RangeIndex(len(frame))
    propensity = pd.Series(np.exp(-np.logaddexp(0.0, -logits)), index=index, name="propensity")
    model = pd.DataFrame({"term": ["(intercept)", *cov.terms],
                          "coefficient": fit["coefficients"],
                          "standard_error": fit["standard_errors"]})
    return Evaluation(
        effects=pd.DataFrame(rows, columns=EFFECT_COLUMNS), balance=balance_frame,
        matched=matched, unmatched=participant_rows[~found], propensity=propensity, model=model,
        participants=participants, pool=pool, caliper=None if caliper is None else float(caliper),
        caliper_width=width, replacement=bool(replacement), exact=exact_names, level=float(level),
        seed=int(seed), outcome_kinds=kinds)
