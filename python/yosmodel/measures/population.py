"""Rates per head of population with exact (Garwood) Poisson limits, and the population table a
caller supplies (area, year, age or age band, sex, count) reduced to the denominator of a
measure: children of youth justice age in the measure's year, per group."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from .. import _core
from .._utils.options import holds_truth_values, level_of
from ..errors import DtypeError, InputError, NotFoundError
from ._inputs import pandas_frame

#: Columns of a population table that are not grouping keys.
YEAR, AGE, AGE_BAND, COUNT = "year", "age", "age_band", "count"
#: The largest count the compiled Poisson limits evaluate (Boost's incomplete gamma gives up
#: beyond about 2e10 at some levels); more events than people on Earth is no count anyway.
MAX_EVENTS = 10**10


class PopulationRate(NamedTuple):
    """A rate per ``per`` people with its exact limits (NaN where the population is zero)."""

    rate: Any
    lower: Any
    upper: Any


def population_rate(events: Any, population: Any, per: float = 100_000,
                    level: float = 0.95) -> PopulationRate:
    """Events per ``per`` head of population, with exact Poisson (Garwood) limits.

    ``events`` (whole numbers) and ``population`` broadcast together; scalars give floats,
    arrays give arrays. Where the population is zero the rate does not exist: rate and limits
    are NaN and a RuntimeWarning says in how many places (never a rate of 0).
    """
    if isinstance(per, (str, bytes, bool, np.bool_)) or not isinstance(per, (int, float,
                                                                            np.number)):
        raise DtypeError("per must be a number of people, such as 100000")
    level = level_of(level)  # a string '0.95' was read by float() in the call to the core
    # numpy reads True as 1: a flag where a count goes would be one event (or one person).
    for value, name in ((events, "events"), (population, "population")):
        if _truth_values(value):
            raise DtypeError(f"{name} must be numbers, not truth values (True/False)")
    e = np.asarray(events)
    try:
        p = np.asarray(population, dtype=float) if not isinstance(population, np.ndarray) \
            else population.astype(float, copy=False)
    except (TypeError, ValueError):  # numpy's message quotes the value it could not read
        raise DtypeError("population must be numbers (people in each place)") from None
    if e.dtype.kind == "f":
        if np.isnan(e).any():
            raise InputError("events has missing (NaN) values; counts must be present")
        if not np.isfinite(e).all():
            raise InputError("events must be finite whole numbers (counts), not infinite")
        if (e != np.floor(e)).any():
            raise InputError("events must be whole numbers (counts)")
    elif e.dtype.kind not in "iub":
        raise DtypeError(f"events must be counts (integers), not {e.dtype}")
    if np.isnan(p).any():
        raise InputError(f"population has {int(np.isnan(p).sum())} missing (NaN) value(s)")
    if (p < 0).any():
        raise InputError("population must be zero or more")
    if (e < 0).any():
        raise InputError("events must be zero or more")
    if e.size and e.dtype.kind in "uf" and e.max() > np.iinfo(np.int64).max:
        raise InputError("events are beyond 64-bit integers; no count is that large")
    if e.size and e.max() > MAX_EVENTS:
        raise InputError(f"events above {MAX_EVENTS:,} are beyond any count of people (and "
                         "beyond what the exact limits are computed for)")
    try:
        e_b, p_b = np.broadcast_arrays(e, p)
    except ValueError:
        raise InputError("events and population have shapes that do not broadcast together") \
            from None
    shape, scalar = e_b.shape, e.ndim == 0 and p.ndim == 0
    rate, lower, upper, defined = _core.measures.population_rate(
        np.ascontiguousarray(e_b.reshape(-1), dtype=np.int64),
        np.ascontiguousarray(p_b.reshape(-1), dtype=np.float64), float(per), float(level))
    if not defined.all():
        warnings.warn(f"the rate is undefined in {int((defined == 0).sum())} place(s) where the "
                      "population is zero; rate and limits are NaN there", RuntimeWarning,
                      stacklevel=2)

    def shaped(values: np.ndarray) -> Any:
        return float(values[0]) if scalar else values.reshape(shape)
    return PopulationRate(shaped(rate), shaped(lower), shaped(upper))


def _truth_values(value: Any) -> bool:
    """A truth value, a list holding one, or an array or Series of them."""
    if isinstance(value, (bool, np.bool_)) or holds_truth_values(value):
        return True
    dtype = getattr(value, "dtype", None)
    return dtype is not None and bool(pd.api.types.is_bool_dtype(dtype))


# "10-14", "10 – 14" (the en dash of published tables), "10 to 14", "aged 10-14", "12",
# "10-14 years"; "18+" is from 18 up.
_AGED = r"^\s*(?:aged?\s+)?"
_YEARS = r"\s*(?:years?(?:\s+old)?|yrs|year\s+olds)?\s*$"
_BAND = re.compile(_AGED + r"(\d+)\s*(?:-|\u2013|\u2014|\u2012|to)\s*(\d+)" + _YEARS,
                   re.IGNORECASE)
_ONE_AGE = re.compile(_AGED + r"(\d+)" + _YEARS, re.IGNORECASE)
_AND_OVER = re.compile(_AGED + r"(\d+)\s*(?:\+|and\s+over|or\s+over)" + _YEARS,
                       re.IGNORECASE)
#: Labels of a total over every age: never a band within youth justice ages.
_ALL_AGES = {"all ages", "all", "total", "all ages total"}
#: The oldest age a band "18+" reaches.
_OLDEST = 150


def _band_bounds(label: Any) -> tuple[int, int] | None:
    """(youngest, oldest) of a band written "10-17" or "10 to 17" (an en dash too, "aged" and
    "years" around it); a single age "12"; "18+" from 18 up; None for a total ("all ages").
    Anything else is refused by the caller (an en dash was not read, and the band was dropped
    with nothing said: a rate over a population of zero)."""
    text = str(label)
    for pattern in (_BAND, _ONE_AGE, _AND_OVER):
        match = pattern.match(text)
        if match:
            low = int(match.group(1))
            high = int(match.group(2)) if pattern is _BAND else \
                low if pattern is _ONE_AGE else _OLDEST
            return low, high
    if text.strip().casefold() in _ALL_AGES:
        return None
    raise InputError(f"population column '{AGE_BAND}' has a band that is not ages (write "
                     "bands as '10-14', '15-17' or '18+', or a total as 'all ages')")


def population_of(population: pd.DataFrame, by: Sequence[str], *, year: int | None,
                  ages: tuple[int, int], count: str = COUNT) -> pd.DataFrame:
    """The population of youth justice age per group of ``by``: a frame of the keys and
    ``population``.

    Rows are kept for ``year`` (when the table has a year column), for ages (or age bands wholly)
    within ``ages``; every other column not in ``by`` (sex, say) is summed over. Each key of
    ``by`` must be a column of the population table, named as in the measure's data.
    """
    population = pandas_frame(population, "population (area, year, age or age_band, sex, count)")
    if year is not None and (isinstance(year, (bool, np.bool_))
                             or not isinstance(year, (int, np.integer))):
        # population_year='2016' matched no row ('no rows for 2016') and True matched year 1.
        raise DtypeError("population_year must be a whole number (a year such as 2016)")
    if count not in population.columns:
        raise NotFoundError(f"the population table has no '{count}' column (the number of people)")
    for key in by:
        if key not in population.columns:
            raise NotFoundError(f"by column '{key}' is not in the population table, so no rate per "
                                "population can be formed for it; add it there (same name) or drop "
                                "it from by")
    table = population
    if pd.api.types.is_bool_dtype(table[count].dtype):
        # pd.to_numeric reads True as 1: a flag column would be one person per row.
        raise DtypeError(f"population column '{count}' holds truth values (True/False); it "
                         "must be the number of people")
    for key in by:
        missing = int(table[key].isna().sum())
        if missing:
            # An outer join would make them a group of their own, with a rate of 0.
            raise InputError(f"population column '{key}': {missing} row(s) have a missing "
                             "value; fill or drop them first")
    counts = pd.to_numeric(table[count], errors="coerce")
    if counts.isna().any():
        raise InputError(f"population column '{count}': {int(counts.isna().sum())} row(s) are "
                         "missing or not numbers")
    if (counts < 0).any():
        raise InputError(f"population column '{count}': {int((counts < 0).sum())} row(s) are "
                         "negative")
    keep = np.ones(len(table), dtype=bool)
    if YEAR in table.columns and YEAR not in by:
        if year is None:
            raise InputError("the population table has a year column: say which year to use")
        keep &= (pd.to_numeric(table[YEAR], errors="coerce") == year).to_numpy()
        if not keep.any():
            raise InputError(f"the population table has no rows for {year}")
    if AGE in table.columns and AGE_BAND in table.columns:
        raise InputError("the population table has both age and age_band; give one of them")
    if AGE in table.columns:
        age = pd.to_numeric(table[AGE], errors="coerce")
        if age.isna().any():
            raise InputError(f"population column 'age': {int(age.isna().sum())} row(s) are not "
                             "whole ages (use age_band for bands)")
        keep &= ((age >= ages[0]) & (age <= ages[1])).to_numpy()
    elif AGE_BAND in table.columns:
        bounds = [_band_bounds(b) for b in table[AGE_BAND]]
        inside = np.array([b is not None and ages[0] <= b[0] and b[1] <= ages[1]
                           for b in bounds], dtype=bool)
        straddles = [b for b in bounds if b is not None and b[0] <= ages[1] and b[1] >= ages[0]
                     and not (ages[0] <= b[0] and b[1] <= ages[1])]
        if straddles:
            raise InputError(f"the population table has {len(straddles)} row(s) of age bands "
                             f"that straddle ages {ages[0]}-{ages[1]}; give bands within them")
        _check_bands_do_not_overlap([b for b, i in zip(bounds, inside) if i and b is not None])
        keep &= inside
    _check_no_totals_beside_parts(table, keep, by, count)
    kept = table.loc[keep, list(by)].copy()
    kept["population"] = counts[keep].to_numpy(dtype=float)
    short = _groups_short_of_ages(table, keep, by, ages)
    if not by:
        out = pd.DataFrame({"population": [float(kept["population"].sum())]})
    else:
        out = kept.groupby(list(by), observed=True, sort=True, dropna=False)["population"] \
            .sum().reset_index()
    repeated = int(table[keep].duplicated().sum())
    notes = []
    if repeated:
        # Summed like any other rows: a table appended to itself doubled every rate's
        # denominator with nothing said. Not refused: without a column that told them apart
        # (sex dropped), two groups of the same size look the same. Warned, not only noted in
        # attrs (which a caller printing the rates never sees), as population_rate warns of a
        # population of zero; stacklevel 3 is the caller of the measure.
        notes.append(f"{repeated} row(s) of the population table repeat another row in every "
                     "column; they were added to it (a table given twice would halve the rates)")
        warnings.warn(notes[-1], UserWarning, stacklevel=3)
    if short:
        # A table of some ages only (10-14, or age 10) is a denominator too small: the rate
        # would be overstated with nothing said.
        notes.append(
            f"{short} group(s) of the population table do not hold every age {ages[0]}-"
            f"{ages[1]}; their denominator counts only the ages given, so the rate is too high "
            "if the others exist")
    if notes:
        out.attrs["warnings"] = notes
    return out


#: Values of a column summed over that label a total of the others (ONS tables give "All
#: persons" beside "Male" and "Female").
_TOTAL_WORDS = {"all", "total", "all persons", "persons", "all people", "people", "both",
                "all sexes", "both sexes", "all ethnic groups"}


def _check_no_totals_beside_parts(table: pd.DataFrame, keep: np.ndarray, by: Sequence[str],
                                  count: str) -> None:
    """A column summed over (sex, say) that holds a total beside its parts counted every child
    twice: the rate was half what it is, with nothing said."""
    for name in table.columns:
        if name in (*by, count, YEAR, AGE, AGE_BAND):
            continue
        values = pd.Series(table[name].to_numpy()[keep], dtype=object).dropna()
        words = {v.strip().casefold() for v in values if isinstance(v, str)}
        totals = words & _TOTAL_WORDS
        if totals and len(words - totals):
            raise InputError(f"population column '{name}' holds a total beside its parts (it "
                             "is summed over, so every child would count twice); keep the "
                             "total's rows or the parts', not both")


def _groups_short_of_ages(table: pd.DataFrame, keep: np.ndarray, by: Sequence[str],
                          ages: tuple[int, int]) -> int:
    """How many groups' kept rows (ages or age bands) leave out an age of ``ages``; 0 when
    the table has neither column (its counts are taken as the whole age range)."""
    spans: list[tuple[int, int] | None]
    if AGE in table.columns:
        age = pd.to_numeric(table[AGE], errors="coerce")[keep].to_numpy()
        spans = [(int(a), int(a)) for a in age]
    elif AGE_BAND in table.columns:
        spans = [_band_bounds(b) for b in table[AGE_BAND][keep]]
    else:
        return 0
    wanted = set(range(ages[0], ages[1] + 1))
    groups: dict[Any, set[int]] = {}
    labels = list(table.loc[keep, list(by)].itertuples(index=False, name=None)) if by \
        else [()] * len(spans)
    for label, span in zip(labels, spans):
        if span is not None:
            groups.setdefault(label, set()).update(range(int(span[0]), int(span[1]) + 1))
    return sum(1 for held in groups.values() if not wanted <= held)


def _check_bands_do_not_overlap(bands: list[tuple[int, int]]) -> None:
    covered: dict[int, tuple[int, int]] = {}
    for band in dict.fromkeys(bands):
        for age in range(band[0], band[1] + 1):
            if age in covered and covered[age] != band:
                raise InputError("the population table's age bands overlap (a total band beside "
                                 "its parts?); keep one set of bands")
            covered[age] = band


def with_population_rates(counts: pd.DataFrame, by: Sequence[str], events: str,
                          population: pd.DataFrame, *, per: float, level: float,
                          rate_name: str, other_counts: Sequence[str] = ()) -> pd.DataFrame:
    """``counts`` (keys and an event count) joined to the population per group, with the rate
    and its limits. Groups in the population without events get counts of 0 (``events`` and
    ``other_counts``); groups with events but no population row get NaN (said in
    attrs["warnings"])."""
    keys = list(by)
    if keys:
        try:
            frame = counts.merge(population, on=keys, how="outer", sort=True)
        except ValueError:  # pandas refuses to merge numbers with text
            raise DtypeError(f"by column(s) {', '.join(map(repr, keys))}: the data and the "
                             "population table hold different types (numbers in one, text "
                             "in the other?); give both the same type") from None
    else:
        frame = counts.assign(population=population["population"].to_numpy())
    for column in [events, *other_counts]:
        frame[column] = frame[column].fillna(0).astype(np.int64)
    missing = frame["population"].isna()
    rate = np.full(len(frame), np.nan)
    lower, upper = rate.copy(), rate.copy()
    present = ~missing.to_numpy()
    if present.any():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            r = population_rate(frame.loc[present, events].to_numpy(),
                                frame.loc[present, "population"].to_numpy(), per, level)
        rate[present], lower[present], upper[present] = r.rate, r.lower, r.upper
    frame[rate_name] = rate
    frame["rate_lower"] = lower
    frame["rate_upper"] = upper
    notes = list(population.attrs.get("warnings", []))
    if missing.any():
        notes.append(f"{int(missing.sum())} group(s) have no row in the population table; "
                     "their rate is missing")
    zero = (frame["population"] == 0).sum()
    if zero:
        notes.append(f"{int(zero)} group(s) have a population of zero; the rate is undefined "
                     "there (NaN), not zero")
    frame.attrs["warnings"] = notes
    return frame
