"""First time entrants and rates per population: hand-worked cases for every rule, exact
Poisson limits against scipy, and the counts against an independent pandas reading of the
definition."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import yosmodel as ym


def _records(rows):
    frame = pd.DataFrame(rows, columns=["person_id", "date", "kind", "date_of_birth", "yjs"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["date_of_birth"] = pd.to_datetime(frame["date_of_birth"])
    return frame


HAND = _records([
    ("a", "2014-12-01", "caution", "2005-01-15", "North"),           # aged 9: set aside
    ("a", "2015-02-01", "court_conviction", "2005-01-15", "North"),  # aged 10: entrant
    ("b", "2015-01-01", "caution", "2000-06-01", "North"),           # 1 January
    ("c", "2015-12-31", "custody_sentence", "2001-06-01", "South"),  # 31 December
    ("d", "2014-12-31", "caution", "2001-06-01", "South"),           # first in 2014
    ("d", "2015-03-01", "court_conviction", "2001-06-01", "South"),
    ("e", "2015-09-01", "court_conviction", "2002-06-01", "South"),  # two in 2015
    ("e", "2015-04-01", "conditional_caution", "2002-06-01", "South"),
    ("f", "2015-05-01", "caution", "1997-01-01", "South"),           # 18: adult
    ("g", "2015-05-01", "community_resolution", "2002-01-01", "North"),  # not substantive
    ("h", "2016-01-01", "caution", "2002-01-01", "North"),           # after the period
])


def test_hand_worked_year():
    people = ym.first_time_entrants(HAND, 2015, people=True, history_start="2010-01-01")
    assert list(people["person_id"]) == ["a", "b", "c", "e"]
    assert list(people["first_outcome_kind"]) == ["court_conviction", "caution",
                                                  "custody_sentence", "conditional_caution"]
    assert list(people["age_at_first_outcome"]) == [10, 14, 14, 12]
    assert people.loc[3, "first_outcome_date"] == pd.Timestamp("2015-04-01")
    d = people.attrs["diagnostics"]
    assert d["outcome_below_youngest_age"] == 1
    assert d["first_outcome_older_than_oldest_age"] == 1
    assert d["unknown_kind"] == 0


def test_counts_by_group_and_the_default_year():
    table = ym.first_time_entrants(HAND, "2015-01-01", by="yjs")
    assert list(table["yjs"]) == ["North", "South"]
    assert list(table["first_time_entrants"]) == [2, 2]
    assert table.attrs["definition"]["period_end"] == pd.Timestamp("2015-12-31")
    total = ym.first_time_entrants(HAND, "2015-01-01", "2015-12-31")
    assert int(total["first_time_entrants"].iloc[0]) == 4


def test_history_start_defaults_to_the_records_and_is_reported():
    # The records kept start on 31 December 2014 (a's caution of 1 December, aged 9, is set
    # aside); b, c, e were 10 or older by then, a was not.
    table = ym.first_time_entrants(HAND, 2015)
    assert int(table["without_full_history"].iloc[0]) == 3
    assert table.attrs["without_full_history"] == 3
    assert table.attrs["definition"]["history_start"] == pd.Timestamp("2014-12-31")
    assert any("old enough for an earlier outcome" in w for w in table.attrs["warnings"])
    people = ym.first_time_entrants(HAND, 2015, people=True)
    assert list(people["without_full_history"]) == [False, True, True, True]


@pytest.mark.parametrize("typo", ["before birth", "unknown kind"])
def test_a_record_set_aside_does_not_move_the_default_history_start(typo):
    # One impossible record (dated before the child was born, or of no known kind) in 1999:
    # set aside, it must not say the records reach back 16 years and so trust every child.
    clean = _records([(f"p{i}", "2016-03-01" if i < 10 else "2015-06-01", "caution",
                       "2001-01-01", "A") for i in range(20)])
    row = {"before birth": ("q1", "1999-12-31", "caution", "2001-01-01", "A"),
           "unknown kind": ("q1", "1999-12-31", "mystery", "1985-01-01", "A")}[typo]
    with_typo = pd.concat([clean, _records([row])], ignore_index=True)
    want = ym.first_time_entrants(clean, 2016)
    got = ym.first_time_entrants(with_typo, 2016)
    assert int(want["without_full_history"].iloc[0]) == 10
    assert int(got["without_full_history"].iloc[0]) == 10
    assert got.attrs["definition"]["history_start"] == pd.Timestamp("2015-06-01")


def test_unknown_kinds_are_counted_not_named():
    records = HAND.copy()
    records.loc[0, "kind"] = "mystery"
    table = ym.first_time_entrants(records, 2015)
    assert table.attrs["diagnostics"]["unknown_kind"] == 1


def test_missing_date_of_birth_is_set_aside_and_counted():
    records = HAND.copy()
    records.loc[records["person_id"] == "b", "date_of_birth"] = pd.NaT
    table = ym.first_time_entrants(records, 2015)
    assert int(table["first_time_entrants"].iloc[0]) == 3
    assert table.attrs["diagnostics"]["missing_date_of_birth"] == 1


def test_older_data_kinds_are_in_the_default_list():
    records = _records([("x", "2010-05-01", "reprimand", "1996-01-01", "N"),
                        ("y", "2010-06-01", "final_warning", "1996-01-01", "N")])
    assert int(ym.first_time_entrants(records, 2010)["first_time_entrants"].iloc[0]) == 2
    only_cautions = ym.first_time_entrants(records, 2010, outcome_kinds=["caution"],
                                           other_kinds=["reprimand", "final_warning"])
    assert int(only_cautions["first_time_entrants"].iloc[0]) == 0


def test_errors_name_the_column_and_not_the_child():
    with pytest.raises(KeyError, match="date_of_birth"):
        ym.first_time_entrants(HAND.drop(columns="date_of_birth"), 2015)
    records = HAND.copy()
    records.loc[1, "yjs"] = None
    with pytest.raises(ValueError, match="'yjs': 1 counted row") as caught:
        ym.first_time_entrants(records, 2015, by="yjs")
    assert "a" not in str(caught.value).split("'yjs'")[0]
    with pytest.raises(ValueError, match="before period_start"):
        ym.first_time_entrants(HAND, "2015-06-01", "2015-01-01")


POPULATION = pd.DataFrame({
    "yjs": ["North", "North", "South", "South", "East", "North"],
    "year": [2015, 2015, 2015, 2015, 2015, 2014],
    "age": [12, 15, 12, 19, 12, 12],
    "sex": ["Male", "Female", "Male", "Male", "Male", "Male"],
    "count": [400, 600, 0, 500, 300, 999],
})


def test_rates_per_100k_with_population_and_zero_population():
    with pytest.warns(RuntimeWarning, match="undefined"):
        ym.population_rate(2, 0)
    table = ym.first_time_entrants(HAND, 2015, by="yjs", population=POPULATION)
    table = table.set_index("yjs")
    # East: in the population, no entrants: 0 per 100,000 (a real zero).
    assert table.loc["East", "first_time_entrants"] == 0
    assert table.loc["East", "rate_per_100k"] == 0.0
    # North: 2 entrants over 400 + 600 aged 10-17 in 2015 (the 2014 row is another year).
    assert table.loc["North", "population"] == 1000
    assert table.loc["North", "rate_per_100k"] == pytest.approx(200.0)
    lower, upper = stats.chi2.ppf([0.025, 0.975], [4, 6]) / 2
    assert table.loc["North", "rate_lower"] == pytest.approx(lower / 1000 * 1e5, rel=1e-9)
    assert table.loc["North", "rate_upper"] == pytest.approx(upper / 1000 * 1e5, rel=1e-9)
    # South: only an age-19 row, which is outside 10-17: population 0, rate undefined.
    assert table.loc["South", "population"] == 0
    assert np.isnan(table.loc["South", "rate_per_100k"])
    assert any("population of zero" in w for w in table.attrs["warnings"])


def test_population_bands_and_unmatched_keys():
    bands = pd.DataFrame({"yjs": ["North", "North", "North"], "age_band": ["0-9", "10-14",
                                                                             "15-17"],
                          "count": [5000, 700, 300]})
    table = ym.first_time_entrants(HAND, 2015, by="yjs", population=bands).set_index("yjs")
    assert table.loc["North", "population"] == 1000
    assert np.isnan(table.loc["South", "population"])
    overlapping = pd.concat([bands, pd.DataFrame({"yjs": ["North"], "age_band": ["10-17"],
                                                  "count": [1000]})])
    with pytest.raises(ValueError, match="overlap"):
        ym.first_time_entrants(HAND, 2015, by="yjs", population=overlapping)
    with pytest.raises(KeyError, match="'sex' is not in the population"):
        ym.first_time_entrants(HAND.assign(sex="Male"), 2015, by="sex",
                               population=bands.drop(columns="yjs"))


def test_population_rate_against_scipy():
    events = np.array([0, 1, 5, 17, 250, 4000])
    population = np.array([1000.0, 2500, 12000, 8000, 45000, 900000])
    for level in (0.95, 0.99):
        rate, lower, upper = ym.population_rate(events, population, level=level)
        alpha = 1 - level
        expected_lower = np.where(events == 0, 0.0,
                                  stats.chi2.ppf(alpha / 2, 2 * np.maximum(events, 1)) / 2)
        expected_upper = stats.chi2.ppf(1 - alpha / 2, 2 * events + 2) / 2
        np.testing.assert_allclose(rate, events / population * 1e5, rtol=1e-12)
        np.testing.assert_allclose(lower, expected_lower / population * 1e5, rtol=1e-9)
        np.testing.assert_allclose(upper, expected_upper / population * 1e5, rtol=1e-9)
    assert isinstance(ym.population_rate(3, 100).rate, float)
    with pytest.raises(ValueError, match="zero or more"):
        ym.population_rate(-1, 100)
    with pytest.raises(ValueError, match="whole numbers"):
        ym.population_rate(1.5, 100)


def _reference_entrants(disposals, start, end, kinds, by):
    """The definition read directly, in pandas: a child's earliest substantive outcome at 10 or
    over (ties: the earlier row) is in the period and at 17 or under."""
    d = disposals.reset_index(drop=True).copy()
    d["row"] = np.arange(len(d))
    d = d[d["kind"].isin(kinds)]
    dob, date = d["date_of_birth"], d["date"]
    d["age"] = date.dt.year - dob.dt.year - ((date.dt.month < dob.dt.month) | (
        (date.dt.month == dob.dt.month) & (date.dt.day < dob.dt.day))).astype(int)
    d = d[d["age"] >= 10].sort_values(["date", "row"])
    first = d.groupby("person_id", sort=False).head(1)
    first = first[(first["date"] >= start) & (first["date"] <= end) & (first["age"] <= 17)]
    return first.groupby(by).size().rename("first_time_entrants").reset_index()


def test_counts_agree_with_pandas_on_synthetic_records():
    data = ym.datasets.synthetic_youth_justice(services=8, children=3000, seed=3)
    for year in (2015, 2017):
        ours = ym.first_time_entrants(data.disposals, year, by=["yjs", "sex"])
        theirs = _reference_entrants(data.disposals, pd.Timestamp(f"{year}-01-01"),
                                     pd.Timestamp(f"{year}-12-31"), ym.measures.OUTCOME_KINDS,
                                     ["yjs", "sex"])
        merged = ours.merge(theirs, on=["yjs", "sex"], how="outer", suffixes=("", "_ref"))
        assert (merged["first_time_entrants"] == merged["first_time_entrants_ref"]).all()
        assert merged["first_time_entrants"].sum() > 100


@pytest.mark.parametrize("library", ["pyarrow", "polars"])
def test_arrow_and_polars_tables_give_the_same_counts(library):
    module = pytest.importorskip(library)
    data = ym.datasets.synthetic_youth_justice(services=4, children=1500, seed=2)
    other = module.Table.from_pandas(data.disposals) if library == "pyarrow" else \
        module.from_pandas(data.disposals)
    expected = ym.first_time_entrants(data.disposals, 2016, by="yjs")
    pd.testing.assert_frame_equal(ym.first_time_entrants(other, 2016, by="yjs"), expected)
    pd.testing.assert_frame_equal(ym.use_of_custody(other, 2016, by="yjs"),
                                  ym.use_of_custody(data.disposals, 2016, by="yjs"))


def test_population_that_is_not_numbers_is_refused_without_quoting_it():
    """numpy's "could not convert string to float: '...'" quoted the value."""
    for population in (["SECRET"], np.array(["12", "SECRET"]), [object()]):
        with pytest.raises(TypeError, match="population must be numbers") as raised:
            ym.population_rate([1] * len(population), population)
        assert "SECRET" not in str(raised.value)


def test_measures_read_uk_dates_when_told_as_the_error_says():
    uk = pd.DataFrame({"person_id": ["a", "b"], "date": ["01/10/2015", "02/10/2015"],
                       "kind": ["caution", "custody_sentence"],
                       "date_of_birth": ["01/01/2001", "01/01/2001"]})
    with pytest.raises(ValueError, match="dayfirst=True"):
        ym.first_time_entrants(uk, 2015)
    fte = ym.first_time_entrants(uk, 2015, dayfirst=True, history_start="01/01/2000")
    assert int(fte["first_time_entrants"].iloc[0]) == 2
    custody = ym.use_of_custody(uk, "01/01/2015", "31/12/2015", date_format="%d/%m/%Y")
    assert int(custody["custodial_sentences"].iloc[0]) == 1
    statuses = pd.DataFrame({"person_id": [1, 2], "order_end": ["01/05/2024", "02/06/2024"],
                             "accommodation_suitable": [True, False]})
    one = [{"kpi": 1, "name": "acc", "stages": [{"stage": "end",
                                                 "numerator": "accommodation_suitable"}]}]
    table = ym.kpis(statuses, 2024, disclosure=None, dayfirst=True, definitions=one)
    assert (table["denominator"].iloc[0], table["numerator"].iloc[0]) == (2, 1)


@pytest.mark.parametrize("ages", [(10, 17.5), (True, 17), (10.9, 17)])
def test_ages_that_are_not_whole_ages_are_refused_not_truncated(ages):
    with pytest.raises(TypeError, match="ages must be a whole number of years"):
        ym.first_time_entrants(HAND, 2015, ages=ages)
    with pytest.raises(TypeError, match="ages must be a whole number of years"):
        ym.use_of_custody(HAND, 2015, ages=ages)


@pytest.mark.parametrize("per", ["1000", True])
def test_per_must_be_a_number(per):
    with pytest.raises(TypeError, match="per must be a number"):
        ym.population_rate(1, 100, per=per)
