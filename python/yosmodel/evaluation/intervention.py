"""Did an intervention reduce reoffending? Propensity score matching as the Ministry of Justice's
Justice Data Lab does it: participants are matched to similar non-participants on the estimated
probability of taking part, balance is checked with standardised differences, and the matched
groups' one-year outcomes are compared.

The numerical work (the logistic regression, the matching, balance and effects) runs in the C++
core; this module turns an analyst's table into columns and applies the method's rules; the result
object and its plain words are in result.py. See docs/evaluation.md for the method, its
assumptions and what it cannot tell you.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._core import evaluation as _evaluation
from .._utils import options as _options
from .._utils.columns import Table
from .._utils.inputs import as_table
from ..errors import DtypeError, InputError, NotFoundError, RankDeficiencyError, SeparationError
from .result import BALANCE_BAND, EFFECT_COLUMNS, Evaluation

__all__ = ["BALANCE_BAND", "DEFAULT_OUTCOMES", "EFFECT_COLUMNS", "MIN_PARTICIPANTS",
           "MIN_REOFFENDERS_FOR_TIME", "Evaluation", "evaluate_intervention"]

DEFAULT_OUTCOMES = ("reoffended", "reoffences", "days_to_first_reoffence")
#: The Justice Data Lab's minimum number of (matched) participants for any analysis.
MIN_PARTICIPANTS = 60
#: Fewer matched participants who reoffended than this: no time-to-reoffence headline.
MIN_REOFFENDERS_FOR_TIME = 30
#: Largest outcome magnitude: far beyond any count, number of days or cost, and small enough
#: that the variance's squares (and the Welch degrees of freedom, squares of those) stay finite.
MAX_OUTCOME = 1e15


# ---- inputs ------------------------------------------------------------------------------------

def _names(value: str | Sequence[str] | None, role: str, allow_empty: bool = False) -> list[str]:
    if value is None:
        names: list[str] = []
    elif isinstance(value, str):
        names = [value]
    else:
        names = list(value)
    if not all(isinstance(n, str) for n in names):
        raise DtypeError(f"{role} must be column names (strings)")
    if not names and not allow_empty:
        raise InputError(f"{role} must name at least one column")
    if len(set(names)) != len(names):
        raise InputError(f"{role} names a column more than once")
    return names


def _frame(data: Any, columns: list[str]) -> pd.DataFrame:
    """The named columns as a pandas DataFrame (pandas input is not copied)."""
    data = as_table(data)
    table = Table(data)
    for name in columns:
        table.require(name, "evaluation")
    len(table)  # a dict's columns of different lengths are refused here, saying so
    _check_unique_columns(table.names, columns)
    if table.kind == "pandas":
        for name in columns:
            if name not in data.columns:  # found only as str(label): a label 3, not '3'
                raise NotFoundError(f"column '{name}' has a non-text label (a number?), not the "
                                    f"text '{name}'; give the frame text column names "
                                    "(frame.columns = frame.columns.astype(str))")
        return data
    if table.kind == "dict":
        return pd.DataFrame({name: table._data[name] for name in columns})
    return data.select(columns).to_pandas()


def _check_unique_columns(names: list[str], columns: list[str]) -> None:
    """A pandas frame or a pyarrow table may hold two columns of one name (pd.concat of two
    extracts); which of them is the covariate or the flag would be a guess, and reading it
    failed inside pandas or pyarrow."""
    for name in columns:
        if names.count(name) > 1:
            raise InputError(f"column '{name}' appears more than once in the data; rename or "
                             "drop the copies so that each name means one column")


def _is_categorical(column: pd.Series) -> bool:
    dtype = column.dtype
    return (isinstance(dtype, pd.CategoricalDtype) or pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype))


def _numeric(column: pd.Series, name: str, role: str) -> np.ndarray:
    if pd.api.types.is_bool_dtype(column.dtype) and not pd.api.types.is_extension_array_dtype(
            column.dtype):
        return column.to_numpy().astype(np.float64)
    if not (pd.api.types.is_numeric_dtype(column.dtype) or pd.api.types.is_bool_dtype(
            column.dtype)):
        raise DtypeError(f"{role} column '{name}' has dtype {column.dtype}; it must be numeric, "
                         "boolean or categorical")
    if pd.api.types.is_extension_array_dtype(column.dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan)
    return column.to_numpy(dtype=np.float64)


def _missing_error(name: str, role: str, count: int) -> InputError:
    rows = "row has" if count == 1 else "rows have"
    return InputError(f"{role} column '{name}': {count} {rows} a missing value; fill or drop them "
                      "first (rows are never dropped silently)")


def _participation(frame: pd.DataFrame, name: str) -> np.ndarray:
    column = frame[name]
    if int(column.isna().sum()):
        raise _missing_error(name, "treated", int(column.isna().sum()))
    if _is_categorical(column):
        raise DtypeError(f"treated column '{name}' must be boolean or 0/1, not {column.dtype}")
    values = _numeric(column, name, "treated")
    bad = int(((values != 0) & (values != 1)).sum())
    if bad:
        raise InputError(f"treated column '{name}' must be true/false or 1/0; {bad} row(s) hold "
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
            if len(levels) == 1:
                # its only indicator is the reference: it would leave the model unseen, while a
                # constant numeric covariate is refused by the fit
                raise RankDeficiencyError(
                    f"covariate '{name}' holds one category only, so it is constant and "
                    "cannot explain participation; drop it")
            _check_categories(name, codes, len(levels), participation)
            parts.append(("categorical", (codes, levels)))
        else:
            values = _numeric(column, name, "covariate")
            missing = int(np.isnan(values).sum())
            if missing:
                raise _missing_error(name, "covariate", missing)
            if not np.isfinite(values).all():
                raise InputError(f"covariate column '{name}': "
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
        raise SeparationError(
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
        raise DtypeError(f"outcome column '{name}' has dtype {column.dtype}; outcomes must be "
                         "numeric or boolean")
    values = np.ascontiguousarray(_numeric(column, name, "outcome"))
    _check_outcome_size(values, name)
    missing = int(np.isnan(values).sum())
    if is_time:
        negative = int((values < 0).sum())
        if negative:
            raise InputError(f"outcome column '{name}': {negative} row(s) are negative; a time to "
                             "first reoffence is zero or more days (missing for non-reoffenders)")
        return values, "days"
    if missing:
        raise InputError(f"outcome column '{name}': {missing} row(s) have a missing value; only "
                         "the time-to-reoffence outcome may be missing (for non-reoffenders)")
    if np.isin(values, (0.0, 1.0)).all():
        return values, "binary"
    if (values >= 0).all() and (values == np.floor(values)).all():
        return values, "count"
    return values, "mean"


def _check_outcome_size(values: np.ndarray, name: str) -> None:
    """Infinite or enormous outcomes (a sentinel, a corrupt export) make the variance overflow;
    the core refused them without naming the outcome, or failed unexpectedly."""
    present = values[~np.isnan(values)]
    infinite = int(np.isinf(present).sum())
    if infinite:
        raise InputError(f"outcome column '{name}': {infinite} row(s) are infinite")
    too_large = int((np.abs(present) > MAX_OUTCOME).sum())
    if too_large:
        raise InputError(f"outcome column '{name}': {too_large} row(s) are too large "
                         f"(beyond {MAX_OUTCOME:g} in size) to be an outcome")


def _check_proven_reoffending_outcomes(values: dict[str, tuple[np.ndarray, str]]) -> None:
    """'reoffended' is a flag and 'reoffences' a count: a code for "unknown" in them (-1, 9)
    turned them into a mean (or a count) of whatever the codes were, and was worded so, with
    nothing said."""
    flag, count = DEFAULT_OUTCOMES[0], DEFAULT_OUTCOMES[1]
    if flag in values and values[flag][1] != "binary":
        bad = int((~np.isin(values[flag][0], (0.0, 1.0))).sum())
        raise InputError(f"outcome '{flag}' must be true/false or 1/0; {bad} row(s) hold "
                         "another value (a code for unknown?)")
    if count in values and values[count][1] not in ("binary", "count"):
        numbers = values[count][0]
        bad = int(((numbers < 0) | (numbers != np.floor(numbers))).sum())
        raise InputError(f"outcome '{count}' must be whole numbers, zero or more; {bad} row(s) "
                         "hold another value (a code for unknown?)")


def _check_time_against_reoffended(values: dict[str, tuple[np.ndarray, str]],
                                   time_outcome: str | None) -> None:
    """The time to a first reoffence is missing for people who did not reoffend. A time given
    to non-reoffenders (365 for "never", say) made every one of them a reoffender in the time
    headline and in its 30-reoffender rule, with nothing said; with the binary outcome beside
    it, that is refused."""
    reoffended = values.get(DEFAULT_OUTCOMES[0])
    if time_outcome is None or time_outcome not in values or reoffended is None \
            or reoffended[1] != "binary":
        return
    days = values[time_outcome][0]
    contradicting = int(((reoffended[0] == 0) & ~np.isnan(days)).sum())
    if contradicting:
        raise InputError(
            f"outcome '{time_outcome}': {contradicting} row(s) did not reoffend "
            f"('{DEFAULT_OUTCOMES[0]}' is 0) but have a time to first reoffence; it must be "
            "missing for people who did not reoffend")
    # the other way round: a reoffender without a time fell out of the time headline unsaid
    untimed = int(((reoffended[0] == 1) & np.isnan(days)).sum())
    if untimed:
        raise InputError(
            f"outcome '{time_outcome}': {untimed} row(s) reoffended ('{DEFAULT_OUTCOMES[0]}' is "
            "1) but have no time to first reoffence; fill in their times, or leave "
            f"'{time_outcome}' out of outcomes")


# ---- the method --------------------------------------------------------------------------------

def _warn_if_one_group_is_uniform(name: str, e: Any) -> None:
    """The difference's standard error adds the two groups' variances; a group whose matched
    people all have one value adds none, as if its mean were known exactly. With few such
    people (80 participants matched to 2 comparison people who both reoffended) the interval
    and p-value are then far too narrow: said, naming the outcome and the group."""
    import warnings

    for group, this, other in (("comparison", e.comparison, e.participants),
                               ("participant", e.participants, e.comparison)):
        if this.n >= 2 and this.standard_error == 0 and other.standard_error > 0:
            warnings.warn(
                f"outcome '{name}': all {this.n:,} matched {group} people have the same value, "
                "so the interval and p-value count only the other group's variation, as if "
                f"this group's mean were known exactly; with so few {group} people they are "
                "too narrow (widen the pool or the caliper, or report the means alone)",
                UserWarning, stacklevel=3)


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
    InputError
        Fewer than 60 participants (or matched participants); fewer than 30 matched participants
        who reoffended when the time outcome is asked for; missing values. Its subclasses
        SeparationError and RankDeficiencyError: a propensity model that cannot be estimated
        (a covariate or category that predicts participation exactly; collinear covariates).
    NotFoundError
        A named column is not in the data (also a KeyError).
    """
    covariate_names = _names(covariates, "covariates")
    outcome_names = _names(outcomes, "outcomes")
    exact_names = _names(exact, "exact", allow_empty=True)
    if not isinstance(treated, str):
        raise DtypeError("treated must be a column name (a string)")
    for name in outcome_names:
        if name in covariate_names or name == treated:
            raise InputError(f"outcome '{name}' is also the treated flag or a covariate; an "
                             "outcome cannot explain participation")
    if treated in covariate_names:
        raise InputError(f"treated column '{treated}' cannot also be a covariate")
    for name in exact_names:
        # Matching exactly on an outcome made the groups equal on it by construction (a
        # difference of exactly 0); on the flag, nobody could be matched.
        if name in outcome_names or name == treated:
            raise InputError(f"exact column '{name}' is the treated flag or an outcome; match "
                             "exactly only on what participation may depend on")
    if time_outcome is not None and not isinstance(time_outcome, str):
        raise DtypeError("time_outcome must be a column name (a string) or None")
    # numpy scalars (np.float32, np.int64) are numbers too; bools are not
    if caliper is not None and not (isinstance(caliper, numbers.Real)
                                    and not isinstance(caliper, (bool, np.bool_))
                                    and math.isfinite(caliper) and caliper > 0):
        raise InputError("caliper must be a positive number of standard deviations, or None")
    if not isinstance(replacement, (bool, np.bool_)):
        raise DtypeError("replacement must be True or False")
    level = _options.level_of(level)
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool) or seed < 0 \
            or seed > np.iinfo(np.uint64).max:
        # above 2**64 - 1 the binding refused it with a dump of every argument
        raise InputError("seed must be a non-negative integer below 2**64")
    n_threads = _options.threads(threads)

    needed = list(dict.fromkeys([treated, *covariate_names, *outcome_names, *exact_names]))
    frame = _frame(data, needed)
    participation = _participation(frame, treated)
    participants = int(participation.sum())
    pool = len(participation) - participants
    if participants < MIN_PARTICIPANTS:
        raise InputError(f"there are {participants} participants; the Justice Data Lab method "
                         f"needs at least {MIN_PARTICIPANTS} for an analysis")
    if pool == 0:
        raise InputError("there is no comparison pool: every row is a participant")
    values = {name: _outcome_values(frame, name, name == time_outcome) for name in outcome_names}
    _check_proven_reoffending_outcomes(values)
    _check_time_against_reoffended(values, time_outcome)
    cov = _covariates(frame, covariate_names, participation)

    fit = _evaluation.fit_logistic(cov.design, participation, cov.model_names, threads=n_threads)
    logits = fit.logits
    is_participant = participation.astype(bool)
    participant_rows = np.flatnonzero(is_participant)
    pool_rows = np.flatnonzero(~is_participant)
    participant_logits = np.ascontiguousarray(logits[participant_rows])
    pool_logits = np.ascontiguousarray(logits[pool_rows])
    width = math.inf
    if caliper is not None:
        width = float(caliper) * _evaluation.pooled_standard_deviation(participant_logits,
                                                                       pool_logits)
        if width <= 0:  # every logit equal: only identical scores match
            width = float(np.finfo(float).tiny)
    strata = _strata(frame, exact_names)
    matches = _evaluation.match_nearest(
        participant_logits, pool_logits, caliper=width, replacement=bool(replacement),
        seed=int(seed),
        treated_strata=None if strata is None else np.ascontiguousarray(strata[participant_rows]),
        pool_strata=None if strata is None else np.ascontiguousarray(strata[pool_rows]),
        threads=n_threads)
    comparison, distance = matches.comparison, matches.distance

    found = comparison >= 0
    matched_count = int(found.sum())
    if matched_count < MIN_PARTICIPANTS:
        raise InputError(f"only {matched_count} of {participants} participants have a comparison "
                         f"within the caliper; the method needs at least {MIN_PARTICIPANTS} "
                         "matched participants (widen the caliper or match exactly on fewer "
                         "columns)")
    uses = np.bincount(comparison[found], minlength=pool).astype(np.float64)
    weights = np.zeros(len(participation), dtype=np.float64)
    weights[participant_rows[found]] = 1.0
    weights[pool_rows] = uses

    balance = _evaluation.standardised_differences(cov.balance, participation, weights,
                                             cov.balance_names)
    balance_frame = pd.DataFrame({
        "covariate": cov.balance_names,
        "std_diff_before": 100 * balance.before,
        "std_diff_after": 100 * balance.after,
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
                raise InputError(
                    f"outcome '{name}': {reoffenders} matched participants reoffended; the method "
                    f"gives no time-to-reoffence headline below {MIN_REOFFENDERS_FOR_TIME} "
                    f"reoffenders (leave '{name}' out of outcomes)")
        e = _evaluation.weighted_difference(outcome, participation, weights, float(level))
        _warn_if_one_group_is_uniform(name, e)
        p = e.p_value
        rows.append({
            "outcome": name,
            "treated_n": int(e.participants.n),
            "treated_mean": e.participants.mean,
            "comparison_n": int(e.comparison.n),
            "comparison_mean": e.comparison.mean,
            "difference": e.difference,
            "difference_lower": e.lower,
            "difference_upper": e.upper,
            "p_value": p,
            "significant": bool(not math.isnan(p) and p <= 1 - level),
            "treated_lower": e.participants.lower,
            "treated_upper": e.participants.upper,
            "comparison_lower": e.comparison.lower,
            "comparison_upper": e.comparison.upper,
            "standard_error": e.standard_error,
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
                          "coefficient": fit.coefficients,
                          "standard_error": fit.standard_errors})
    return Evaluation(
        effects=pd.DataFrame(rows, columns=EFFECT_COLUMNS), balance=balance_frame,
        matched=matched, unmatched=participant_rows[~found], propensity=propensity, model=model,
        participants=participants, pool=pool, caliper=None if caliper is None else float(caliper),
        caliper_width=width, replacement=bool(replacement), exact=exact_names, level=float(level),
        seed=int(seed), outcome_kinds=kinds)
