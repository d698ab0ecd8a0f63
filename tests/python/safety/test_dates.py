"""One date reader for every entry point: ISO 8601 by default, other layouts only when stated,
ambiguous strings and bare integers refused, day numbers inside (dates after 2262 right)."""

from __future__ import annotations

import datetime as dt
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yosmodel as ym


def events(dates, kind="caution", offence=None):
    d = pd.DataFrame({"person_id": [f"p{i}" for i in range(len(dates))], "date": dates,
                      "kind": kind})
    o = pd.DataFrame({"person_id": ["p0"] if offence else [],
                      "offence_date": [offence[0]] if offence else [],
                      "proven_date": [offence[1]] if offence else []})
    return d, o


def index_dates(cohort):
    return [str(v)[:10] for v in cohort["index_date"].to_numpy().astype("datetime64[D]")]


def test_uk_period_is_refused_without_a_layout():
    d, o = events(["2013-10-05"])
    with pytest.raises(ValueError) as error:
        ym.build_cohort(d, o, "01/10/2013", "30/09/2014")
    message = str(error.value)
    assert "period_start" in message and "dayfirst=True" in message


def test_uk_period_with_dayfirst_or_a_format_is_read_day_first():
    d, o = events(["2013-01-05", "2013-10-05", "2014-09-30"])
    for options in ({"dayfirst": True}, {"date_format": "%d/%m/%Y"}):
        # the records' dates are ISO; a stated layout still reads them (ISO is always read)
        cohort = ym.build_cohort(d, o, "01/10/2013", "30/09/2014", **options)
        assert index_dates(cohort) == ["2013-10-05", "2014-09-30"]
        assert cohort.attrs["definition"]["period_start"] == pd.Timestamp("2013-10-01")


def test_uk_record_dates_are_refused_without_a_layout():
    d, o = events(["05/01/2016"])
    with pytest.raises(ValueError) as error:
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    message = str(error.value)
    assert "'date'" in message and "date_format" in message and "dayfirst" in message
    assert "05/01/2016" not in message


def test_uk_offence_dates_are_refused_without_a_layout_not_counted_as_missing():
    d, o = events(["2016-01-05"], offence=("10/02/2016", "20/02/2016"))
    with pytest.raises(ValueError, match="offence_date"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31")


def test_uk_record_dates_with_dayfirst():
    d, o = events(["05/01/2016", "5/2/2016", "31/03/2016"], offence=("10/02/2016", "20/02/2016"))
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", dayfirst=True)
    assert index_dates(cohort) == ["2016-01-05", "2016-02-05", "2016-03-31"]
    assert cohort["reoffences"].tolist() == [1, 0, 0]


def test_dates_with_a_time_of_day_read_as_their_day():
    """Excel writes "01/10/2013 00:00", SQL Server and .NET exports "01/10/2013 12:00:00 AM":
    the clock with AM/PM set every such date aside as unparseable."""
    d, o = events(["01/10/2013 12:00:00 AM", "02/10/2013 00:00", "3/10/2013 1:05 p.m.",
                   "04/10/2013 11:59:59 PM"],
                  offence=("05/11/2013 10:30:00 PM", "05/12/2013 12:00:00 AM"))
    cohort = ym.build_cohort(d, o, "2013-10-01", "2013-12-31", dayfirst=True)
    assert index_dates(cohort) == ["2013-10-01", "2013-10-02", "2013-10-03", "2013-10-04"]
    assert cohort["reoffences"].tolist() == [1, 0, 0, 0]
    d, o = events(["2013-10-01 12:00:00 AM", "2013/10/02 11:00PM"])
    assert index_dates(ym.build_cohort(d, o, "2013-10-01", "2013-12-31")) == \
        ["2013-10-01", "2013-10-02"]
    # A time is no licence to guess the order: still refused without a stated layout.
    d, o = events(["01/10/2013 12:00:00 AM"])
    with pytest.raises(ValueError, match="state the layout"):
        ym.build_cohort(d, o, "2013-10-01", "2013-12-31")


def test_a_stated_format_is_used_exactly():
    # the stated layout and ISO 8601 (never ambiguous) are read; anything else is set aside
    d, o = events(["05.01.2016", "31/03/2016", "2016-03-07"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", date_format="%d.%m.%Y",
                                 max_set_aside=0.6)
    assert index_dates(cohort) == ["2016-01-05", "2016-03-07"]
    assert cohort.attrs["diagnostics"]["disposals"]["unparseable_date"] == 1
    assert any(issubclass(w.category, ym.RecordsSetAsideWarning) for w in caught)


def test_integer_dates_are_refused_unless_a_format_says_what_they_mean():
    d, o = events(["2015-03-01"])
    with pytest.raises(ValueError) as error:
        ym.build_cohort(d, o, 20150101, "2015-12-31")
    assert "period_start" in str(error.value) and "date_format" in str(error.value)
    cohort = ym.build_cohort(d, o, 20150101, 20151231, date_format="%Y%m%d")
    assert cohort.attrs["definition"]["period_start"] == pd.Timestamp("2015-01-01")
    assert index_dates(cohort) == ["2015-03-01"]
    numbers = d.assign(date=[20150301])
    with pytest.raises((TypeError, ValueError), match="date_format"):
        ym.build_cohort(numbers, o, "2015-01-01", "2015-12-31")
    cohort = ym.build_cohort(numbers, o, "2015-01-01", "2015-12-31", date_format="%Y%m%d")
    assert index_dates(cohort) == ["2015-03-01"]


def test_dates_after_2262_are_right():
    d = pd.DataFrame({"person_id": ["a"], "date": ["2298-01-10"], "kind": ["caution"]})
    o = pd.DataFrame({"person_id": ["a"], "offence_date": ["2298-06-01"],
                      "proven_date": ["2299-03-01"]})
    cohort = ym.build_cohort(d, o, "2298-01-01", "2298-12-31",
                             plausible_dates=("1900-01-01", "2400-12-31"))
    row = cohort.iloc[0]
    assert str(np.datetime64(row["index_date"], "D")) == "2298-01-10"
    assert str(np.datetime64(row["follow_up_end"], "D")) == "2299-01-10"
    assert str(np.datetime64(row["waiting_end"], "D")) == "2299-07-10"
    assert row["reoffences"] == 1
    assert cohort.attrs["definition"]["period_end"].year == 2298


def test_datetime64_columns_beyond_nanoseconds_are_right():
    d = pd.DataFrame({"person_id": ["a"],
                      "date": np.array(["2290-05-05"], dtype="datetime64[D]"),
                      "kind": ["caution"]})
    o = pd.DataFrame({"person_id": pd.Series([], dtype=object),
                      "offence_date": np.array([], dtype="datetime64[s]"),
                      "proven_date": np.array([], dtype="datetime64[s]")})
    cohort = ym.build_cohort(d, o, dt.date(2290, 1, 1), dt.date(2290, 12, 31),
                             plausible_dates=("1900-01-01", "2400-12-31"))
    assert index_dates(cohort) == ["2290-05-05"]


def test_cohort_periods_read_dates_the_same_way():
    with pytest.raises(ValueError, match="dayfirst"):
        ym.cohort_periods("01/10/2015", "30/09/2016")
    periods = ym.cohort_periods("01/10/2015", "30/09/2016", dayfirst=True)
    assert periods["period_start"].iloc[0] == pd.Timestamp("2015-10-01")
    assert len(periods) == 4


# ---------------------------------------------------------------- properties

days = st.integers(min_value=0, max_value=(dt.date(2399, 12, 31) - dt.date(1900, 1, 1)).days)


def day(n: int) -> dt.date:
    return dt.date(1900, 1, 1) + dt.timedelta(days=n)


@settings(max_examples=60, deadline=None)
@given(n=days, layout=st.sampled_from(["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y%m%d", "%m/%d/%Y"]))
def test_any_date_in_any_stated_layout_is_read_as_itself(n, layout):
    date = day(n)
    d, o = events([date.strftime(layout)])
    cohort = ym.build_cohort(d, o, date, date, date_format=layout,
                             plausible_dates=("1900-01-01", "2400-12-31"))
    assert index_dates(cohort) == [date.isoformat()]


@settings(max_examples=60, deadline=None)
@given(n=days)
def test_dayfirst_reads_day_first_and_iso_is_the_default(n):
    date = day(n)
    d, o = events([date.strftime("%d/%m/%Y")])
    cohort = ym.build_cohort(d, o, date.isoformat(), date.isoformat(), dayfirst=True,
                             plausible_dates=("1900-01-01", "2400-12-31"))
    assert index_dates(cohort) == [date.isoformat()]
    iso = ym.build_cohort(events([date.isoformat()])[0], o, date.isoformat(), date.isoformat(),
                          plausible_dates=("1900-01-01", "2400-12-31"))
    assert index_dates(iso) == [date.isoformat()]


@settings(max_examples=40, deadline=None)
@given(n=days)
def test_slashed_dates_are_never_silently_guessed(n):
    date = day(n)
    d, o = events([date.strftime("%d/%m/%Y")])
    with pytest.raises(ValueError, match="dayfirst"):
        ym.build_cohort(d, o, "1900-01-01", "2399-12-31",
                        plausible_dates=("1900-01-01", "2400-12-31"))


@pytest.mark.parametrize("kind", ["pandas", "pyarrow", "polars"])
def test_a_time_zones_local_calendar_date_is_the_date_in_every_table_kind(kind):
    """Midnight in London in summer is 23:00 UTC the day before: the record's date is the local
    one whichever library holds the column (pyarrow and polars once gave the UTC day, so a
    disposal on the period's first day fell out of the cohort and reoffences moved a day)."""
    pa = pytest.importorskip("pyarrow")
    pl = pytest.importorskip("polars")
    local = pd.to_datetime(["2014-06-01", "2014-06-01", "2014-06-15"]).tz_localize(
        "Europe/London")
    d = pd.DataFrame({"person_id": ["p0", "p1", "p2"], "date": local,
                      "kind": ["caution", "caution", "caution"]})
    # p0's offence is on its index date (not a reoffence); p1's the day after (one).
    offence = pd.to_datetime(["2014-06-01", "2014-06-02"]).tz_localize("Europe/London")
    o = pd.DataFrame({"person_id": ["p0", "p1"], "offence_date": offence,
                      "proven_date": offence + pd.Timedelta(days=30)})
    convert = {"pandas": lambda f: f, "pyarrow": pa.Table.from_pandas,
               "polars": pl.from_pandas}[kind]
    got = ym.build_cohort(convert(d), convert(o), "2014-06-01", "2014-06-30")
    assert got["person_id"].tolist() == ["p0", "p1", "p2"]
    assert index_dates(got) == ["2014-06-01", "2014-06-01", "2014-06-15"]
    assert got["reoffences"].tolist() == [0, 1, 0]
    assert got["days_to_first_reoffence"].fillna(-1).tolist() == [-1, 1, -1]


def test_dayfirst_on_a_month_first_column_is_refused_not_read_wrongly():
    # 03/04/2016 would be 3 April, 12/31/2016 no date: the column is a US export
    d = pd.DataFrame({"person_id": [1, 2, 3], "kind": ["caution"] * 3,
                      "date": ["03/04/2016", "12/31/2016", "06/07/2016"]})
    o = pd.DataFrame({"person_id": [1], "offence_date": ["2016-05-01"],
                      "proven_date": ["2016-06-01"]})
    with pytest.raises(ValueError, match="date column 'date'.*month above 12.*%m/%d/%Y"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", dayfirst=True)
    us = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", date_format="%m/%d/%Y")
    assert us["index_date"].tolist() == list(pd.to_datetime(["2016-03-04", "2016-12-31",
                                                             "2016-06-07"]))
    uk = ym.build_cohort(d.assign(date=["03/04/2016", "31/12/2016", "06/07/2016"]), o,
                         "2016-01-01", "2016-12-31", dayfirst=True)
    assert uk["index_date"].tolist() == list(pd.to_datetime(["2016-04-03", "2016-12-31",
                                                             "2016-07-06"]))


def _no_values(form, n):
    import pyarrow as pa

    return {"objects": pd.Series([None] * n, dtype=object),
            "pandas string": pd.Series([None] * n, dtype="string"),
            "arrow null": pd.Series(pa.nulls(n), dtype=pd.ArrowDtype(pa.null()))}[form]


@pytest.mark.parametrize("form", ["objects", "pandas string", "arrow null"])
def test_a_date_column_with_no_value_at_all_is_every_row_missing(form):
    # An extract in which nothing is proven yet: every offence is set aside as having no
    # proven date and counted, not a crash on the empty list of distinct dates.
    d, _ = events(["2016-01-01", "2016-02-01"])
    o = pd.DataFrame({"person_id": ["p0", "p1"], "offence_date": ["2016-03-01", "2016-03-02"],
                      "proven_date": ["2016-04-01", "2016-04-02"]})
    with pytest.warns(ym.RecordsSetAsideWarning):
        cohort = ym.build_cohort(d, o.assign(proven_date=_no_values(form, 2)),
                                 "2015-10-01", "2016-09-30", max_set_aside=1.0)
    assert cohort.attrs["diagnostics"]["offences"]["missing_proven_date"] == 2
    assert list(cohort["reoffences"]) == [0, 0]
    with pytest.warns(ym.RecordsSetAsideWarning):
        none = ym.build_cohort(d.assign(date=_no_values(form, 2)), o, "2015-10-01",
                               "2016-09-30", max_set_aside=1.0)
    assert len(none) == 0 and none.attrs["diagnostics"]["disposals"]["missing_date"] == 2
    born = ym.build_cohort(d.assign(date_of_birth=_no_values(form, 2)), o, "2015-10-01",
                           "2016-09-30")
    assert born["age_at_index"].isna().all()
