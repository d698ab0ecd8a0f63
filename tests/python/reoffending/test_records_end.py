"""records_end: people whose waiting period ends after the date the offence records are complete
to are counted and said (their reoffending is undercounted), hand-worked at every boundary, in
build_cohort, build_cohort_series, yosmodel.dask.build_cohort and the command line."""

from __future__ import annotations

import datetime as dt
import re
import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel import cli

# Hand-worked waiting_end (index + 12 months + 6 months, a missing day the month's last):
#   P1 index 2016-02-29 -> follow_up_end 2017-02-28 -> waiting_end 2017-08-28
#   P2 index 2016-06-30 -> 2017-06-30 -> 2017-12-30
#   P3 index 2016-12-31 -> 2017-12-31 -> 2018-06-30
#   P4 index 2016-12-30 -> 2017-12-30 -> 2018-06-30
#   P5 index 2016-08-31 -> 2017-08-31 -> 2018-02-28
DISPOSALS = pd.DataFrame({
    "person_id": ["P1", "P2", "P3", "P4", "P5"],
    "date": ["2016-02-29", "2016-06-30", "2016-12-31", "2016-12-30", "2016-08-31"],
    "kind": ["caution", "court_conviction", "caution", "custody_release", "caution"]})
OFFENCES = pd.DataFrame({"person_id": ["P1"], "offence_date": ["2016-05-01"],
                         "proven_date": ["2016-06-01"]})
START, END = "2016-01-01", "2016-12-31"
IDS = ["P1", "P2", "P3", "P4", "P5"]


def build(records_end, disposals=DISPOSALS, **options):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cohort = ym.build_cohort(disposals, OFFENCES, START, END, records_end=records_end,
                                 **options)
    said = [str(w.message) for w in caught if "follow-up incomplete" in str(w.message)]
    assert all(issubclass(w.category, UserWarning) for w in caught)
    return cohort, said


def test_hand_worked_waiting_ends():
    cohort, said = build(None)
    got = dict(zip(cohort["person_id"], cohort["waiting_end"].dt.strftime("%Y-%m-%d")))
    assert got == {"P1": "2017-08-28", "P2": "2017-12-30", "P3": "2018-06-30",
                   "P4": "2018-06-30", "P5": "2018-02-28"}
    assert said == []  # None: nothing checked, nothing said
    assert cohort.attrs["definition"]["records_end"] is None
    assert not any("follow-up" in w for w in cohort.attrs["warnings"])


@pytest.mark.parametrize("records_end, late, latest", [
    ("2018-06-30", 0, None),          # waiting_end == records_end is complete
    ("2018-06-29", 2, "2016-12-29"),  # one day before the last waiting_end: P3 and P4
    ("2018-02-28", 2, "2016-08-31"),  # P5 on the day: complete
    ("2018-02-27", 3, "2016-08-27"),  # P5 a day after: 27 Aug + 18 months = 27 Feb
    ("2017-12-30", 3, "2016-06-30"),
    ("2017-08-28", 4, "2016-02-29"),  # the leap-day index: 28 Aug is complete for 29 Feb
    ("2017-08-27", 5, "2016-02-27"),  # ... and 28 Feb 2016 (waiting_end 28 Aug too) is not
    ("2016-12-31", 5, "2015-06-30"),  # records_end on period_end is allowed
])
def test_boundaries_and_the_count(records_end, late, latest):
    cohort, said = build(records_end)
    assert cohort.attrs["definition"]["records_end"] == pd.Timestamp(records_end)
    mine = [w for w in cohort.attrs["warnings"] if w.startswith("follow-up incomplete")]
    assert mine == said
    if not late:
        assert said == []
        return
    assert len(said) == 1
    people = "1 person in the cohort has" if late == 1 else f"{late} people in the cohort have"
    assert said[0].startswith(f"follow-up incomplete: {people} a waiting period ending after "
                              f"records_end ({records_end})")
    assert f"period_end is {latest} or earlier" in said[0]
    assert "needs records complete to 2018-06-30" in said[0]
    # The count is exactly the people past records_end (the output says who; the message not).
    assert late == int((cohort["waiting_end"] > pd.Timestamp(records_end)).sum())
    assert not any(person in said[0] for person in IDS)


def test_latest_complete_period_end_is_the_edge():
    """The period_end the message gives is complete, and the day after it is not."""
    cohort, said = build("2017-08-28")
    latest = re.search(r"period_end is (\S+) or earlier", said[0]).group(1)
    one = DISPOSALS.iloc[[0]]
    for index, complete in ((latest, True),
                            (str((pd.Timestamp(latest) + pd.Timedelta(days=1)).date()), False)):
        row = one.assign(date=index)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ym.build_cohort(row, OFFENCES, START, index, records_end="2017-08-28")
        assert any("follow-up incomplete" in str(w.message) for w in caught) is not complete


def test_leap_day_index_with_other_months():
    """29 February with a 6-month follow-up and 3-month wait: 29 Aug 2016 -> 29 Nov 2016."""
    one = DISPOSALS.iloc[[0]]
    options = {"follow_up_months": 6, "waiting_months": 3}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning on the day itself
        cohort = ym.build_cohort(one, OFFENCES, START, "2016-02-29", records_end="2016-11-29",
                                 **options)
    assert cohort["waiting_end"].iloc[0] == pd.Timestamp("2016-11-29")
    with pytest.warns(UserWarning, match="1 person .*period_end is 2016-02-28 or earlier"):
        ym.build_cohort(one, OFFENCES, START, "2016-02-29", records_end="2016-11-28", **options)


def test_date_forms_and_stated_layouts():
    day = dt.date(2018, 6, 29)
    for value in (day, pd.Timestamp(day), np.datetime64("2018-06-29"), "2018-06-29"):
        cohort, said = build(value)
        assert cohort.attrs["definition"]["records_end"] == pd.Timestamp(day)
        assert len(said) == 1 and "2 people" in said[0]
    cohort, said = build("29/06/2018", dayfirst=True)
    assert cohort.attrs["definition"]["records_end"] == pd.Timestamp(day) and len(said) == 1
    cohort, said = build(20180629, date_format="%Y%m%d")
    assert cohort.attrs["definition"]["records_end"] == pd.Timestamp(day) and len(said) == 1


@pytest.mark.parametrize("value, error, message", [
    ("2016-12-30", ValueError, r"records_end \(2016-12-30\) is before period_end \(2016-12-31\)"),
    ("2015-01-01", ValueError, "records_end .* is before period_end"),
    ("not a date", ValueError, "records_end is not a date"),
    ("2018-02-30", ValueError, "records_end is not a date"),
    ("30/06/2018", ValueError, "records_end is not written as ISO 8601"),
    (20180630, ValueError, "records_end is a number"),
    (3.5, TypeError, "records_end must be a date"),
    (True, TypeError, "records_end must be a date"),
    (["2018-06-30"], TypeError, "records_end must be a date"),
    (pd.NaT, ValueError, "records_end"),
])
def test_silly_values_are_refused(value, error, message):
    with pytest.raises(error, match=message) as caught:
        ym.build_cohort(DISPOSALS, OFFENCES, START, END, records_end=value)
    assert not any(person in str(caught.value) for person in IDS)


def test_strict_does_not_refuse_and_a_filter_can():
    cohort, said = build("2018-06-29", strict=True)
    assert len(cohort) == 5 and len(said) == 1
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "follow-up incomplete")
        with pytest.raises(UserWarning, match="2 people"):
            ym.build_cohort(DISPOSALS, OFFENCES, START, END, records_end="2018-06-29")


def test_series_checks_each_period():
    periods = ym.cohort_periods("2016-01-01", "2016-12-31", months=3)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        series = ym.build_cohort_series(DISPOSALS, OFFENCES, periods, records_end="2018-02-27")
    said = [w for w in series.attrs["warnings"] if "follow-up incomplete" in w]
    # Jan-Mar: P1 complete (2017-08-28); Apr-Jun: P2 complete; Jul-Sep: P5 (2018-02-28) late;
    # Oct-Dec: P3 and P4 late.
    assert said == [s for s in said if s.startswith(("Jul-Sep 2016: ", "Oct-Dec 2016: "))]
    assert len(said) == 2 and "1 person" in said[0] and "2 people" in said[1]
    assert sum("follow-up incomplete" in str(w.message) for w in caught) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # refused before any period is built (or warns)
        with pytest.raises(ValueError, match="records_end .* is before period_end"):
            ym.build_cohort_series(DISPOSALS, OFFENCES, periods, records_end="2016-09-30")
    series = ym.build_cohort_series(DISPOSALS, OFFENCES, [("01/01/2016", "31/12/2016")],
                                    dayfirst=True, records_end="30/06/2018")
    assert not any("follow-up incomplete" in w for w in series.attrs["warnings"])


def test_dask_counts_over_every_partition_and_says_it_once():
    dd = pytest.importorskip("dask.dataframe")
    import dask

    import yosmodel.dask as ymd

    disposals = dd.from_pandas(DISPOSALS, npartitions=3)
    offences = dd.from_pandas(OFFENCES, npartitions=1)
    with dask.config.set(scheduler="synchronous"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = ymd.build_cohort(disposals, offences, START, END, records_end="2017-12-30",
                               npartitions=3).compute()
    said = [str(w.message) for w in caught if "follow-up incomplete" in str(w.message)]
    want, in_memory = build("2017-12-30")
    assert said == in_memory  # one warning, the whole input's count (3 people)
    assert sorted(got["person_id"]) == sorted(want["person_id"])
    with pytest.raises(ValueError, match="records_end .* is before period_end"):
        ymd.build_cohort(disposals, offences, START, END, records_end="2016-06-30")
    with dask.config.set(scheduler="synchronous"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ymd.build_cohort(disposals, offences, START, END, records_end="2018-06-30").compute()
    assert not any("follow-up incomplete" in str(w.message) for w in caught)


@pytest.fixture
def event_files(tmp_path):
    DISPOSALS.to_csv(tmp_path / "disposals.csv", index=False)
    OFFENCES.to_csv(tmp_path / "offences.csv", index=False)
    return [str(tmp_path / "disposals.csv"), str(tmp_path / "offences.csv"), "--period", START,
            END]


def test_cli_says_incomplete_follow_up_in_its_option_names(event_files, capsys):
    assert cli.main(["cohort", *event_files, "--records-end", "2018-06-29"]) == 0
    out = capsys.readouterr().out
    assert "warning: follow-up incomplete: 2 people in the cohort have a waiting period ending " \
        "after --records-end (2018-06-29)" in out
    assert "records_end" not in out and "period_end" not in out
    assert "offence records complete to 2018-06-29" in out
    assert not any(person in out for person in IDS)
    assert cli.main(["cohort", *event_files, "--records-end", "2018-06-30", "--quiet"]) == 0
    assert "follow-up incomplete" not in capsys.readouterr().out
    assert cli.main(["cohort", *event_files, "--records-end", "2018-06-29", "--quiet",
                     "--out", event_files[0] + ".cohort.csv"]) == 0
    err = capsys.readouterr().err
    assert "yosmodel cohort: warning: follow-up incomplete: 2 people" in err
    assert not any(person in err for person in IDS)


@pytest.mark.parametrize("value, message", [
    ("2016-12-30", "--records-end 2016-12-30 is before --period END 2016-12-31"),
    ("30/06/2018", "--records-end is not written as ISO 8601"),
    ("nope", "--records-end is not a date"),
    ("20180630", "--records-end is written as digits only"),
])
def test_cli_refuses_silly_records_ends_in_one_line(event_files, value, message, capsys):
    assert cli.main(["cohort", *event_files, "--records-end", value]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert "Traceback" not in err and "records_end" not in err


def test_cli_records_end_in_the_stated_layout(event_files, capsys):
    files = event_files[:3]
    assert cli.main(["cohort", *files, "01/01/2016", "31/12/2016", "--dayfirst",
                     "--records-end", "29/06/2018"]) == 0
    assert "2 people" in capsys.readouterr().out
