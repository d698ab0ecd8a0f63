"""The one date reader: every date the library reads (record columns, cohort periods, plausible
bounds, command-line arguments) comes through here, as day numbers since 1970-01-01.

ISO 8601 is read by default, and so is the same year-first order with slashes or dots
(2014/06/01, 2014.06.01) or without zero padding (2014-6-1): no one writes year, day, month, so
reading it is no guess. Any other layout only when the caller states it (``date_format``,
a strptime layout, or ``dayfirst=True`` for dd/mm/yyyy), because 01/10/2013 is 1 October to a
UK case-management system and 10 January to a US parser: a guess is a silently wrong cohort.
Strings in another layout are refused with how to state it; integers are refused unless a
format says what they mean (20150101 is not a day count). Day numbers in int64 cover any
plausible record; nanosecond timestamps would wrap after 2262."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DtypeError, InputError

MISSING = np.iinfo(np.int64).min  # the day number of a missing date (NaT's bit pattern)
_EPOCH = dt.date(1970, 1, 1).toordinal()
_TICKS_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000,
                  "us": 86_400_000_000, "ns": 86_400_000_000_000}
# A date in some layout other than ISO: three groups of digits, or a month's name.
_OTHER_LAYOUT = re.compile(r"^\s*(\d{1,2})[/.\-\s](\d{1,2}|[A-Za-z]{3,9})[/.\-\s](\d{2,4})\b")
# A time of day after the date is read past (an Excel or SQL Server export writes midnight as
# "00:00" or "12:00:00 AM"): the day is the date's whatever the clock says.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s?[AaPp]\.?[Mm]\.?)?)?"
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})" + _TIME + r"\s*$")
# Year first (2014/06/01, 2014.6.1, 2014-6-1): the ISO order with another separator or no
# zero padding. Nobody writes year, day, month, so it is no guess and needs no stated layout.
_YEAR_FIRST = re.compile(r"^(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})" + _TIME + "$")
_MONTH_NAMES = ("%d %b %Y", "%d-%b-%Y", "%d %B %Y", "%d-%b-%y")


@dataclass(frozen=True)
class DateOptions:
    """How the caller said dates are written."""

    date_format: str | None = None
    dayfirst: bool = False

    def __post_init__(self) -> None:
        if self.date_format is not None and (not isinstance(self.date_format, str)
                                             or "%" not in self.date_format):
            raise InputError("date_format must be a strptime layout such as '%d/%m/%Y'")
        if not isinstance(self.dayfirst, (bool, np.bool_)):
            raise DtypeError("dayfirst must be True or False")

    @property
    def stated(self) -> bool:
        return self.date_format is not None or bool(self.dayfirst)


def how_to_state(cli: bool = False) -> str:
    if cli:
        return ("state the layout: --date-format '%d/%m/%Y' (any strptime layout) or "
                "--dayfirst for dd/mm/yyyy")
    return ("state the layout: date_format='%d/%m/%Y' (any strptime layout) or dayfirst=True "
            "for dd/mm/yyyy (on the command line --date-format or --dayfirst)")


class DateLayoutError(InputError):
    """Dates in a layout the caller has not stated (an InputError: the input is at fault)."""


class DateTypeError(DtypeError):
    """A date column of numbers or truth values with no format saying what they mean."""


def _iso(text: str) -> int | None:
    # The extended form only (yyyy-mm-dd...): 20150101 could as well be a serial or a count.
    if len(text) < 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return dt.datetime.fromisoformat(text).date().toordinal() - _EPOCH
    except ValueError:
        return None


def _year_first(text: str) -> int | None:
    match = _YEAR_FIRST.match(text)
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[3]), int(match[4])).toordinal() - _EPOCH
    except ValueError:
        return None


def _with_format(text: str, layout: str) -> int | None:
    try:
        return dt.datetime.strptime(text, layout).date().toordinal() - _EPOCH
    except ValueError:
        return None


def _day_first(text: str) -> int | None:
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day).toordinal() - _EPOCH
        except ValueError:
            return None
    for layout in _MONTH_NAMES:
        found = _with_format(text, layout)
        if found is not None:
            return found
    return None


def _one_string(text: str, options: DateOptions) -> int | None:
    """The day of one non-empty string, or None when it is not a date in an accepted layout."""
    if options.date_format is not None:
        found = _with_format(text, options.date_format)
        if found is not None:
            return found
    found = _iso(text)
    if found is None:
        found = _year_first(text)
    if found is not None or options.date_format is not None:
        return found
    if options.dayfirst:
        return _day_first(text)
    return None


@dataclass
class Days:
    days: np.ndarray    # int64 day numbers, MISSING where there is no date
    unparseable: int    # values that were present but not dates (they count as missing)


def _from_datetime64(values: np.ndarray) -> np.ndarray:
    unit, count = np.datetime_data(values.dtype)
    ticks = values.view(np.int64)
    if unit == "D" and count == 1:
        return np.ascontiguousarray(ticks)
    per_day = _TICKS_PER_DAY.get(unit)
    if per_day is None:  # months, years, weeks: let numpy say which day each starts on
        return np.ascontiguousarray(values.astype("datetime64[D]").view(np.int64))
    per_day //= count if per_day % count == 0 else 1
    missing = ticks == MISSING
    days = np.floor_divide(ticks, per_day)  # floor: 23:00 on 31 December 1969 is that day
    days[missing] = MISSING
    return days


def _refuse_numbers(name: str, cli: bool) -> DateTypeError:
    layout = "--date-format %Y%m%d" if cli else "date_format='%Y%m%d'"
    return DateTypeError(
        f"date column '{name}' holds numbers, which could be yyyymmdd dates, spreadsheet "
        f"serials or day counts; state what they mean ({layout} for yyyymmdd) or pass dates")


def read_dates(values: Any, name: str, options: DateOptions = DateOptions(),
               cli: bool = False) -> Days:
    """A date column (datetime64, Timestamps, dates, strings, or integers with a stated
    format) as day numbers; strings that are no date in an accepted layout are counted."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        categories = read_dates(values.cat.categories.to_numpy(dtype=object), name, options,
                                cli)
        codes = values.cat.codes.to_numpy()
        days = np.where(codes < 0, MISSING, categories.days[np.maximum(codes, 0)])
        bad_codes = np.flatnonzero(categories.days == MISSING)
        return Days(days.astype(np.int64), int(np.isin(codes, bad_codes).sum()))
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_localize(None)  # the local calendar date is the date
        if values.dtype.kind == "M":
            values = values.to_numpy()
        elif values.dtype.kind in "iu" and not pd.api.types.is_bool_dtype(values.dtype):
            values = values.to_numpy(dtype=object, na_value=None) \
                if pd.api.types.is_extension_array_dtype(values.dtype) else values.to_numpy()
        elif values.dtype.kind == "f":
            values = values.to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = values.to_numpy(dtype=object, na_value=None)
    values = np.asarray(values) if not isinstance(values, np.ndarray) else values
    if len(values) == 0:
        return Days(np.empty(0, dtype=np.int64), 0)
    kind = values.dtype.kind
    if kind == "M":
        return Days(_from_datetime64(values), 0)
    if kind == "f" and np.isnan(values).all():
        # A CSV column left blank in every row reads as floats, all NaN: no dates at all.
        return Days(np.full(len(values), MISSING, dtype=np.int64), 0)
    if kind == "f" and _whole_with_gaps(values):
        # An integer column with a blank reads from CSV as floats (20140105.0 and NaN): they
        # are integers with missing values, not numbers with decimals.
        present = ~np.isnan(values)
        integers = np.full(len(values), None, dtype=object)
        integers[present] = values[present].astype(np.int64)
        values, kind = integers, "i"
    if kind in "bfc":
        what = "truth values" if kind == "b" else "numbers with decimals"
        raise DateTypeError(f"date column '{name}' holds {what}, not dates")
    if kind in "iu":
        if options.date_format is None:
            raise _refuse_numbers(name, cli)
        values = values.astype(object)
    return _from_objects(values.astype(object, copy=False), name, options, cli)


def _whole_with_gaps(values: np.ndarray) -> bool:
    """Floats that are whole numbers where present: integers with gaps."""
    present = values[~np.isnan(values)]
    return (len(present) > 0 and bool(np.all(np.abs(present) < 2.0**53))
            and bool(np.all(np.mod(present, 1) == 0)))


def _from_objects(values: np.ndarray, name: str, options: DateOptions, cli: bool) -> Days:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = np.asarray(uniques, dtype=object)
    parsed = np.full(len(uniques), MISSING, dtype=np.int64)
    present = np.zeros(len(uniques), dtype=bool)
    other_layout = 0
    for i, value in enumerate(uniques):
        day = _one_value(value, name, options, cli)
        if day is _EMPTY:
            continue
        present[i] = True
        if day is None:
            if not options.stated and isinstance(value, str) and _OTHER_LAYOUT.match(value):
                other_layout += 1
            continue
        parsed[i] = day
    if options.dayfirst and options.date_format is None:
        _refuse_month_first(uniques, name, cli)
    if other_layout:
        raise DateLayoutError(
            f"date column '{name}' holds dates that are not ISO 8601 (yyyy-mm-dd) but written "
            f"another way (such as dd/mm/yyyy or mm/dd/yyyy, which cannot be told apart); "
            f"{how_to_state(cli)}")
    # The sentinel code -1 (no value) reads the MISSING put after the parsed values, which also
    # serves a column with no value at all (no uniques to index).
    days = np.append(parsed, MISSING)[codes]
    bad = present & (parsed == MISSING)
    unparseable = int(np.isin(codes, np.flatnonzero(bad)).sum()) if bad.any() else 0
    return Days(days.astype(np.int64), unparseable)


_EMPTY = object()


def _refuse_month_first(uniques: np.ndarray, name: str, cli: bool) -> None:
    """dayfirst=True on a column written month first (a US export): the dates whose day is
    12 or less would be read as other, wrong, dates and the rest set aside as no dates. Such a
    column has "months" above 12 and no "day" above 12: refused, saying what layout it has."""
    month_above_12 = day_above_12 = 0
    for value in uniques:
        if not isinstance(value, str):
            continue
        match = _DAY_FIRST.match(value.strip())
        if match:
            day, month = int(match.group(1)), int(match.group(2))
            month_above_12 += month > 12
            day_above_12 += day > 12
    if month_above_12 and not day_above_12:
        layout = "--date-format '%m/%d/%Y'" if cli else "date_format='%m/%d/%Y'"
        raise DateLayoutError(
            f"date column '{name}' is read day first (dayfirst), but {month_above_12:,} of its "
            "dates have a month above 12 and none a day above 12: it looks written month first "
            f"(mm/dd/yyyy); state that layout ({layout}), or the day-first one as a format if "
            "those are typing errors")


def _one_value(value: Any, name: str, options: DateOptions, cli: bool) -> Any:
    """The day of one value, None for a value that is not a date, _EMPTY for a missing one."""
    if value is None or value is pd.NaT or value is pd.NA or (
            isinstance(value, float) and np.isnan(value)):
        return _EMPTY
    if isinstance(value, str):
        text = value.strip()
        return _one_string(text, options) if text else _EMPTY
    if isinstance(value, (bool, np.bool_)):
        raise DateTypeError(f"date column '{name}' holds truth values, not dates")
    if isinstance(value, dt.datetime):  # Timestamps too; an aware one's local date is the date
        return value.date().toordinal() - _EPOCH
    if isinstance(value, dt.date):
        return value.toordinal() - _EPOCH
    if isinstance(value, np.datetime64):
        return _EMPTY if np.isnat(value) else int(_from_datetime64(np.array([value]))[0])
    if isinstance(value, (int, np.integer)):
        if options.date_format is None:
            raise _refuse_numbers(name, cli)
        return _with_format(str(int(value)), options.date_format)
    if isinstance(value, (float, np.floating)):
        raise DateTypeError(f"date column '{name}' holds numbers with decimals, not dates")
    return None


def read_date(value: Any, name: str, options: DateOptions = DateOptions(),
              cli: bool = False) -> int:
    """One date (a period end, a plausible bound) as a day number; anything that is not a date
    in an accepted layout is refused, naming ``name``."""
    if isinstance(value, (bool, np.bool_)):
        raise DtypeError(f"{name} is not a date (give a date, Timestamp or ISO 8601 string)")
    if isinstance(value, (int, np.integer)) and options.date_format is None:
        raise DateLayoutError(f"{name} is a number, not a date: write it as an ISO 8601 "
                              f"string (yyyy-mm-dd) or {how_to_state(cli)}")
    try:
        day = _one_value(value, name, options, cli)
    except (DateLayoutError, DateTypeError):
        raise DateLayoutError(f"{name} is not a date (give a date, Timestamp or ISO 8601 "
                              "string)") from None
    if day is _EMPTY:
        raise InputError(f"{name} is missing")
    if day is None:
        if isinstance(value, str) and value.strip().isdigit() and options.date_format is None:
            raise DateLayoutError(f"{name} is written as digits only, which could be yyyymmdd, "
                                  f"a serial or a count: write it as yyyy-mm-dd or "
                                  f"{how_to_state(cli)}")
        if isinstance(value, str) and not options.stated and _OTHER_LAYOUT.match(value):
            raise DateLayoutError(f"{name} is not written as ISO 8601 (yyyy-mm-dd), and "
                                  f"dd/mm/yyyy cannot be told from mm/dd/yyyy; "
                                  f"{how_to_state(cli)}")
        raise InputError(f"{name} is not a date (give a date, Timestamp or ISO 8601 string"
                         f"{', or one in the stated layout' if options.stated else ''})")
    return int(day)


def days_to_dates(days: np.ndarray) -> np.ndarray:
    """Day numbers as datetime64[s] (pandas keeps the unit, and seconds reach far past 2262).
    One multiplication into one new array: a chain of casts wrote three arrays of the cohort's
    size, and fresh memory costs more than the arithmetic."""
    return np.multiply(days, 86_400, dtype=np.int64).view("datetime64[s]")


def day_to_timestamp(day: int) -> pd.Timestamp:
    return pd.Timestamp(np.datetime64(int(day), "D").astype("datetime64[s]"))
