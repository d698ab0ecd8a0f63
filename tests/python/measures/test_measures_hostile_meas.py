"""Hostile inputs to the measures found by the hostile-measures pass: each test is a bug that
was (a silent wrong answer, or a crash that named nothing), with the refusal or the note it now
gets."""

import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

RECORDS = pd.DataFrame({
    "person_id": ["a", "b", "c", "d"],
    "date": pd.to_datetime(["2015-03-01", "2015-04-01", "2015-05-01", "2015-06-01"]),
    "kind": ["caution", "court_conviction", "caution", "caution"],
    "date_of_birth": pd.to_datetime(["2002-01-01"] * 4),
    "yjs": ["N", "N", "S", "S"],
})
POPULATION = pd.DataFrame({"yjs": ["N", "S"], "count": [1000, 2000]})


def _fte(**options):
    return ym.first_time_entrants(RECORDS, 2015, by="yjs", history_start="2000-01-01",
                                  **options)


def test_population_rate_refuses_truth_values():
    # numpy read True as one event (or one person): a flag gave a rate, silently.
    for events, population in [(np.array([True, False]), 1000), ([True, 3], 1000),
                               (True, 1000), (3, True), (pd.Series([True]), 1000)]:
        with pytest.raises(ym.DtypeError, match="truth values"):
            ym.population_rate(events, population)


def test_population_rate_level_must_be_a_number():
    with pytest.raises(ym.InputError, match="level"):
        ym.population_rate(3, 1000, level="0.9")  # float() read the text


def test_population_rate_beyond_the_limits_range_is_refused_plainly():
    # 10^11 events failed inside Boost ("core failed unexpectedly ... please report this").
    with pytest.raises(ValueError, match="beyond any count"):
        ym.population_rate(10**11, 1e20)
    assert ym.population_rate(10**10, 1e20).rate == pytest.approx(1e-5)


def test_population_count_of_truth_values_is_refused():
    with pytest.raises(ym.DtypeError, match="'count' holds truth values"):
        _fte(population=POPULATION.assign(count=[True, True]))


def test_population_row_without_a_key_is_refused():
    # It became a group of its own (yjs NaN) with a rate of 0.
    with pytest.raises(ym.InputError, match="population column 'yjs': 1 row"):
        _fte(population=pd.DataFrame({"yjs": ["N", None], "count": [100, 100]}))


def test_population_keys_of_another_type_name_the_column():
    with pytest.raises(ym.DtypeError, match="'yjs'"):
        ym.first_time_entrants(RECORDS.assign(yjs=[1, 1, 2, 2]), 2015, by="yjs",
                               population=POPULATION.assign(yjs=["1", "2"]))


def test_population_year_must_be_a_year():
    population = pd.DataFrame({"count": [1000], "year": [1]})
    for year in (True, "2015", 2015.5):
        with pytest.raises(ym.DtypeError, match="population_year"):
            ym.first_time_entrants(RECORDS, 2015, population=population, population_year=year)


def test_population_short_of_some_ages_is_said():
    # Only the 10-14s for S: the rate was 2.3 times too high with nothing said.
    population = pd.DataFrame({"yjs": ["N", "N", "S"], "age_band": ["10-14", "15-17", "10-14"],
                               "count": [100, 100, 100]})
    table = _fte(population=population)
    assert any("1 group(s) of the population table do not hold every age 10-17" in w
               for w in table.attrs["warnings"])
    full = _fte(population=population.iloc[:2].assign(yjs="S"))
    assert not any("do not hold every age" in w for w in full.attrs["warnings"])


def test_population_as_polars_or_pyarrow():
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    expected = _fte(population=POPULATION)
    for population in (pl.from_pandas(POPULATION), pa.Table.from_pandas(POPULATION)):
        pd.testing.assert_frame_equal(_fte(population=population), expected)


def test_by_that_is_no_column_name_is_refused_plainly():
    for function in (ym.first_time_entrants, ym.use_of_custody):
        with pytest.raises(ym.DtypeError, match="by must be a column name"):
            function(RECORDS, 2015, by=3)  # was "'int' object is not iterable"


def test_use_of_custody_refuses_grouping_on_the_child_date_or_kind():
    # by='person_id' failed with "int() argument must be ... not 'Series'"; a table per child
    # is no measure (first_time_entrants refused it already).
    for key in ("person_id", "date", "kind"):
        with pytest.raises(ValueError, match=f"by cannot group on '{key}'"):
            ym.use_of_custody(RECORDS, 2015, by=key)


def _statuses(n=30, seed=1):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "person_id": [f"p{i}" for i in range(n)],
        "order_end": pd.date_range("2016-01-01", periods=n, freq="7D"),
        "yjs": rng.choice(["N", "S"], n),
        **{name: rng.random(n) < 0.5 for name in (
            "accommodation_suitable", "ete_suitable", "send_identified", "send_formal_plan",
            "mental_health_need", "substance_misuse_need")}})


def test_kpis_say_children_whose_denominator_status_is_unknown():
    # KPI 3's base is send_identified: a child with it unknown was left out of the KPI with
    # nothing counted and no warning.
    statuses = _statuses()
    statuses["send_identified"] = statuses["send_identified"].astype(object)
    statuses.loc[:9, "send_identified"] = None
    with pytest.warns(ym.RecordsSetAsideWarning, match="kpi 3 formal plan 10"):
        table = ym.kpis(statuses, 2016, disclosure=None)
    assert table.attrs["diagnostics"]["status_unknown"] == {"kpi 3 formal plan": 10}
    known = statuses.iloc[10:]
    row = table[table["kpi"] == 3].iloc[0]
    assert row["denominator"] == int((known["send_identified"] == True).sum())  # noqa: E712


def test_kpis_refuse_grouping_on_the_child_or_the_order_end():
    # by='person_id' published a row per child labelled with the child's id.
    for key in ("person_id", "order_end"):
        with pytest.raises(ValueError, match=f"by cannot group on '{key}'"):
            ym.kpis(_statuses(), 2016, by=key)


def test_kpi_version_and_definitions_of_the_wrong_type_are_refused_plainly():
    with pytest.raises(ym.DtypeError, match="version must be"):
        ym.kpis(_statuses(), 2016, version=2025)  # was "unknown KPI version '2025'"
    for definitions in ("abc", {"kpi": 1}, [["kpi", 1]]):
        with pytest.raises(ym.DtypeError, match="definition"):
            ym.kpis(_statuses(), 2016, definitions=definitions)
    bad = [{"kpi": "6a", "name": "x", "stages": [{"stage": "s", "numerator": "ete_suitable"}]}]
    with pytest.raises(ym.DtypeError, match="'kpi' must be its number"):
        ym.kpis(_statuses(), 2016, definitions=bad)  # was int()'s "invalid literal"


SERVICES = pd.DataFrame({"yjs": ["A", "B", "C", "D"], "reoffenders": [10, 20, 30, 40],
                         "offenders": [50, 60, 70, 80],
                         "binary_rate": [0.2, 0.3, 0.4, 0.5]})


def test_comparator_naming_a_service_twice_is_refused():
    # ["B", "B"] pooled B twice: 40 of 120, 'services 2'.
    with pytest.raises(ValueError, match="names a service more than once"):
        ym.compare_with_comparators(SERVICES, "A", {"neighbours": ["B", "B"]})


def test_comparators_refuse_truth_counts_rows_without_a_service_and_bad_options():
    with pytest.raises(TypeError, match="'reoffenders' holds truth values"):
        ym.compare_with_comparators(SERVICES.assign(reoffenders=[True, False, True, True]),
                                    "A", {"n": ["B", "C"]})
    with pytest.raises(ValueError, match="1 row\\(s\\) name no service"):
        ym.compare_with_comparators(SERVICES.assign(yjs=["A", None, "C", "D"]), "A",
                                    {"England and Wales": "all"})  # pooled in, unnamed
    with pytest.raises(ym.InputError, match="level"):
        ym.compare_with_comparators(SERVICES, "A", {"n": ["B"]}, kind="rate", level="0.9")
    with pytest.raises(ym.DtypeError, match="comparators must be a dict"):
        ym.compare_with_comparators(SERVICES, "A", ["B", "C"])  # was AttributeError


def test_summary_tables_may_be_polars():
    pl = pytest.importorskip("polars")
    frame = pl.from_pandas(SERVICES)
    expected = ym.compare_with_comparators(SERVICES, "A", {"n": ["B", "C"]})
    pd.testing.assert_frame_equal(ym.compare_with_comparators(frame, "A", {"n": ["B", "C"]}),
                                  expected)
    assert ym.measures.quartile_among(frame, "A", ["B"]) == \
        ym.measures.quartile_among(SERVICES, "A", ["B"])
    groups = pd.DataFrame({"eth": ["White", "Black"], "events": [100, 30],
                           "population": [10000, 1000]})
    pd.testing.assert_frame_equal(ym.relative_rate_index(pl.from_pandas(groups), "eth", "White"),
                                  ym.relative_rate_index(groups, "eth", "White"))


def test_quartile_among_hostile_neighbours():
    quartile = ym.measures.quartile_among
    assert quartile(SERVICES, "A", ["B", "C", "D"]) == {"rank": 1, "of": 4, "quartile": 1,
                                                        "value": 0.2}
    with pytest.raises(ValueError, match="more than once"):
        quartile(SERVICES, "B", ["A", "A", "A", "C"])  # was rank 4 of 5
    with pytest.raises(KeyError):
        quartile(SERVICES, "A", "BCD")  # one name, not the services B, C and D
    with pytest.raises(TypeError, match="lower_is_better"):
        quartile(SERVICES, "A", ["B"], lower_is_better="no")
    with pytest.raises(ValueError, match="repeats"):
        quartile(pd.concat([SERVICES, SERVICES]), "A", ["B", "C", "D"])
    with pytest.raises(ValueError, match="at least one neighbour"):
        quartile(SERVICES, "A", [])  # was 'rank 1 of 1, quartile 4'
    with pytest.raises(TypeError, match="truth values"):
        quartile(SERVICES.assign(binary_rate=[True, False, True, True]), "A", ["B"])


def test_mark_definition_break_reads_dates_as_the_package_does():
    trend = pd.DataFrame({"period_start": ["01/07/2015", "01/10/2015", "01/01/2016"]})
    # pd.to_datetime read 01/10/2015 as 10 January and put the break at 2016.
    with pytest.raises(ValueError, match="dayfirst"):
        ym.measures.mark_definition_break(trend)
    marked = ym.measures.mark_definition_break(trend, dayfirst=True)
    assert marked["comparable_with_previous"].tolist() == [True, False, True]
    unsorted = pd.DataFrame({"period_start": pd.to_datetime(
        ["2016-01-01", "2015-07-01", "2015-10-01"])})
    with pytest.raises(ValueError, match="in order"):
        ym.measures.mark_definition_break(unsorted)
    for bad in ([pd.NaT, "2016-01-01"], ["a child's name", "2016-01-01"]):
        with pytest.raises(ValueError, match="1 row\\(s\\) are missing or not dates") as info:
            ym.measures.mark_definition_break(pd.DataFrame({"period_start": bad}))
        assert "child" not in str(info.value)  # pandas quoted the value


def test_relative_rate_index_hostile_columns():
    groups = pd.DataFrame({"eth": ["White", "Black", "Asian"], "events": [100, 30, 5],
                           "population": [10000, 1000, 2000]})
    with pytest.raises(ym.InputError, match="level"):
        ym.relative_rate_index(groups, "eth", "White", level="0.95")
    with pytest.raises(ValueError, match="different columns"):
        ym.relative_rate_index(groups, "events", 100)  # was AttributeError inside pandas
    with pytest.raises(ValueError, match="column 'eth': 1 row"):
        ym.relative_rate_index(groups.assign(eth=["White", "Black", None]), "eth", "White")


def test_funnel_levels_and_target_of_the_wrong_kind():
    with pytest.raises(TypeError, match="target"):
        ym.funnel_limits(True, [10])  # float(True): a target of 1
    with pytest.raises(ym.InputError, match="level"):
        ym.funnel_limits(0.3, [10], levels=["0.95"])  # "Unknown format code 'g'"
    with pytest.raises(ValueError, match="levels must differ"):
        ym.funnel_limits(0.3, [10], levels=[0.95, 0.95])  # its columns were overwritten
    with pytest.raises(ValueError, match="levels must differ"):
        ym.funnel_limits(0.3, [10], levels=[0.9999999, 0.99999999])  # both 'lower_100'
    one = ym.funnel_limits(0.3, [10, 57], levels=0.95)  # was "'float' is not iterable"
    pd.testing.assert_frame_equal(one, ym.funnel_limits(0.3, [10, 57], levels=[0.95]))


def test_profile_withholds_what_is_computed_from_a_withheld_reference_group():
    # Service C's 'Other' children had 2 first time entrants in 2016: withheld, but every
    # row's reference_rate (0.002193) times the published population (912) gave 2 back, and
    # a group's rate over its index gave the reference rate.
    data = ym.datasets.synthetic_youth_justice()
    profile = ym.performance_profile(data.disposals, data.offences, data.population,
                                     "Service C", {"England and Wales": "all"},
                                     years=[2016], reference="Other")
    table = profile.disproportionality
    other = table[table["ethnicity"] == "Other"].iloc[0]
    assert pd.isna(other["first_time_entrants"]) and other["population"] > 0
    for name in ("reference_rate", "relative_rate_index", "lower", "upper", "significant"):
        assert table[name].isna().all(), name
    cells = table.attrs["disclosure"]["cells"]
    assert sum(1 for c in cells if c["column"] == "reference_rate") == len(table)
    # a group whose own count is withheld showed whether it differed significantly
    assert table.loc[table["first_time_entrants"].isna(), "significant"].isna().all()


def test_profile_refuses_bad_years_and_comparators_plainly():
    data = ym.datasets.synthetic_youth_justice()

    def profile(comparators=None, **options):
        return ym.performance_profile(data.disposals, data.offences, data.population,
                                      "Service C", comparators or {"E&W": "all"}, **options)

    # int() made True year 1 and 2016.7 year 2016; a repeat failed inside disclosure control
    for years in ([True], [2016.7], ["2016"]):
        with pytest.raises(ym.DtypeError, match="years must be"):
            profile(years=years)
    with pytest.raises(ValueError, match="more than once"):
        profile(years=[2016, 2016])
    with pytest.raises(ym.DtypeError, match="comparators must be a dict"):
        profile(comparators=["Service A"], years=[2016])  # was AttributeError
    with pytest.raises(ValueError, match="holds only the service itself"):
        profile(comparators={"n": ["Service C"]}, years=[2016])  # a row of 0 over 0
    with pytest.raises(KeyError, match="statuses have no 'yjs' column"):
        profile(years=[2016], statuses=data.statuses.drop(columns=["yjs"]))
    pl = pytest.importorskip("polars")
    one = profile(years=2016)  # one year alone; was "'int' object is not iterable"
    other = ym.performance_profile(pl.from_pandas(data.disposals), data.offences,
                                   data.population, "Service C", {"E&W": "all"}, years=[2016])
    pd.testing.assert_frame_equal(one.headline, other.headline)  # polars: AttributeError


def _random_sentences(n, seed):
    rng = np.random.default_rng(seed)
    born = pd.Timestamp("1996-01-01") + pd.to_timedelta(rng.integers(0, 12 * 365, n), "D")
    dates = pd.Timestamp("2014-06-01") + pd.to_timedelta(rng.integers(0, 900, n), "D")
    return pd.DataFrame({
        "person_id": rng.integers(0, n // 3, n).astype(str),
        "date": dates,
        "kind": rng.choice(["custody_sentence", "court_conviction", "caution", "remand"], n),
        "date_of_birth": born,
        "yjs": pd.Categorical(rng.choice(["N", "S", "E"], n)),
    })


def _age(date, born):
    before_birthday = (date.dt.month * 100 + date.dt.day) < (born.dt.month * 100 + born.dt.day)
    return date.dt.year - born.dt.year - before_birthday.astype(int)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_use_of_custody_agrees_with_pandas_on_random_records(seed):
    records = _random_sentences(3000, seed)
    table = ym.use_of_custody(records, 2015, by="yjs")
    # The definition read independently: court sentences of children 10-17 in 2015, one per
    # child, day and kind.
    ages = _age(records["date"], records["date_of_birth"])
    court = records[records["kind"].isin(["custody_sentence", "court_conviction"])
                    & (records["date"].dt.year == 2015) & ages.between(10, 17)]
    court = court.drop_duplicates(["person_id", "date", "kind"])
    expected = court.assign(custodial=court["kind"] == "custody_sentence").groupby(
        "yjs", observed=True).agg(custodial=("custodial", "sum"), court=("kind", "size"))
    assert table["yjs"].astype(str).tolist() == [str(k) for k in expected.index]
    assert table["custodial_sentences"].tolist() == expected["custodial"].tolist()
    assert table["court_sentences"].tolist() == expected["court"].tolist()
    np.testing.assert_allclose(table["custody_share"], expected["custodial"] / expected["court"])
    pl = pytest.importorskip("polars")
    pa = pytest.importorskip("pyarrow")
    # The same table, in the same order, from polars and pyarrow: a polars Categorical key
    # gave its groups in the order its values were stored (N, E, S), and custody in another
    # order than first time entrants.
    for frame in (pl.from_pandas(records), pa.Table.from_pandas(records)):
        other = ym.use_of_custody(frame, 2015, by="yjs")
        assert other["yjs"].astype(str).tolist() == table["yjs"].astype(str).tolist()
        pd.testing.assert_frame_equal(other.drop(columns="yjs"), table.drop(columns="yjs"))
        entrants = ym.first_time_entrants(frame, 2015, by="yjs")
        assert entrants["yjs"].astype(str).tolist() == sorted(entrants["yjs"].astype(str))


@pytest.mark.parametrize("seed", [0, 1])
def test_relative_rate_index_agrees_with_numpy_on_random_tables(seed):
    from scipy import stats

    rng = np.random.default_rng(seed)
    groups = pd.DataFrame({"eth": ["W", "B", "A", "M", "O"],
                           "population": rng.integers(500, 20000, 5)})
    groups["events"] = rng.binomial(groups["population"], 0.01) + 1
    z = stats.norm.ppf(0.975)
    for variance in ("proportion", "poisson"):
        table = ym.relative_rate_index(groups, "eth", "W", variance=variance)
        a, n = groups["events"].to_numpy(float), groups["population"].to_numpy(float)
        b, m = a[0], n[0]
        rri = (a / n) / (b / m)
        se = np.sqrt(1 / a - 1 / n + 1 / b - 1 / m) if variance == "proportion" \
            else np.sqrt(1 / a + 1 / b)
        np.testing.assert_allclose(table["relative_rate_index"], rri)
        np.testing.assert_allclose(table["lower"][1:], (rri * np.exp(-z * se))[1:])
        np.testing.assert_allclose(table["upper"][1:], (rri * np.exp(z * se))[1:])


def test_tracked_status_counts_name_a_missing_grouping_column():
    data = ym.datasets.synthetic_youth_justice()
    tracked = ym.track_cohort(data.disposals, data.offences, "2016-01-01", "2016-03-31",
                              "2016-09-01")
    with pytest.raises(KeyError, match="grouping column 'nope'"):
        tracked.status_counts(by="nope")  # was KeyError: 'nope'
    assert tracked.status_counts(by="yjs")[list(ym.measures.STATUSES)].to_numpy().sum() == \
        len(tracked.children)


def _rates_table(**columns):
    table = pd.DataFrame({"yjs": ["A", "B"], "offenders": [100, 8], "reoffenders": [40, 3],
                          "reoffences": [90, 5]}).assign(**columns)
    return ym.suppress(table, "yjs")


def test_workbook_keeps_text_as_text_and_refuses_what_excel_cannot_hold(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "x.xlsx"
    # Text beginning with '=' became a live formula in the published workbook.
    ym.to_excel({"x": _rates_table(yjs=["=HYPERLINK(\"http://x\")", "B"])}, path,
                title="=1+1")
    book = openpyxl.load_workbook(path)
    cell = book["x"]["A2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    assert book["notes"]["A1"].data_type == "s"
    # openpyxl refused time zones, and its control-character error quoted the value.
    ym.to_excel({"x": _rates_table(when=pd.Timestamp("2016-06-01 12:00", tz="Europe/London"),
                                   ratio=[np.inf, 1.0])}, path)
    book = openpyxl.load_workbook(path)
    assert book["x"]["E2"].value == pd.Timestamp("2016-06-01 12:00").to_pydatetime()
    assert book["x"]["F2"].value == "inf"
    with pytest.raises(ValueError, match="column 'yjs' holds control characters") as info:
        ym.to_excel({"x": _rates_table(yjs=["Child\x01Name", "B"])}, path)
    assert "Child" not in str(info.value)
    with pytest.raises(TypeError, match="tables must be a dict"):
        ym.to_excel([_rates_table()], path)  # was AttributeError


def test_kpi_funnel_stages_do_not_count_not_applicable_statuses_as_unknown():
    # 2023 wording: 'offered' is blank for children with no need; they are not in the stage,
    # and not unknown (only KPI 3's send_identified, a base status of its own, is).
    statuses = _statuses()
    need = statuses["mental_health_need"]
    statuses["mental_health_offered"] = need.where(need, None).astype(object)
    statuses["mental_health_attending"] = need.where(need, None).astype(object)
    for name in ("substance_misuse_offered", "substance_misuse_attending"):
        statuses[name] = statuses["substance_misuse_need"].where(
            statuses["substance_misuse_need"], None).astype(object)
    table = ym.kpis(statuses, 2016, version="2023", disclosure=None)
    assert table.attrs["diagnostics"]["status_unknown"] == {}
    attending = table[(table["kpi"] == 4) & (table["stage"] == "attending")].iloc[0]
    assert attending["denominator"] == int(need.sum())


def test_rate_comparison_refuses_fractional_events():
    # The events were truncated to whole numbers: 10.7 and 20.2 per 1,000 and 2,000 gave a
    # rate ratio of exactly 1.
    table = pd.DataFrame({"yjs": ["A", "B"], "e": [10.7, 20.2], "p": [1000, 2000]})
    with pytest.raises(ValueError, match="whole numbers"):
        ym.compare_with_comparators(table, "A", {"n": ["B"]}, events="e", base="p",
                                    kind="rate")
    table["e"] = [10.0, 20.0]
    out = ym.compare_with_comparators(table, "A", {"n": ["B"]}, events="e", base="p",
                                      kind="rate")
    assert out["rate_ratio"].iloc[0] == pytest.approx(1.0)


def test_suppressing_a_relative_rate_index_table_withholds_what_gives_counts_back():
    # ym.suppress knew the columns of relative_rate_index by no name: a withheld count of 4
    # came back as rate 0.002 x population 2,000, and a withheld reference count as every
    # row's reference_rate x the reference's population.
    groups = pd.DataFrame({"eth": ["White", "Black", "Asian"], "events": [100, 30, 4],
                           "population": [10000, 1000, 2000]})
    safe = ym.suppress(ym.relative_rate_index(groups, "eth", "White"), "eth",
                       counts=["population", "events"])
    asian = safe.iloc[2]
    assert pd.isna(asian["events"])
    for name in ("rate", "relative_rate_index", "lower", "upper", "significant"):
        assert pd.isna(asian[name]), name
    assert safe.attrs["disclosure"]["uncontrolled"] == []
    assert safe["significant"].iloc[1] == True  # noqa: E712 - a truth value, not 1.0
    small_reference = groups.assign(events=[4, 30, 40])
    safe = ym.suppress(ym.relative_rate_index(small_reference, "eth", "White"), "eth",
                       counts=["population", "events"])
    for name in ("reference_rate", "relative_rate_index", "lower", "upper"):
        assert safe[name].isna().all(), name
    assert safe["rate"].notna().tolist() == [False, True, True]
    by_stage = pd.concat([groups.assign(stage="a"), small_reference.assign(stage="b")],
                         ignore_index=True)
    safe = ym.suppress(ym.relative_rate_index(by_stage, "eth", "White", stage="stage"),
                       ["stage", "eth"], counts=["population", "events"])
    assert safe["reference_rate"].notna().tolist() == [True] * 3 + [False] * 3
    # The table names its own counts, so the defaults (privacy.md) cover it with no counts=.
    plain = ym.suppress(ym.relative_rate_index(groups, "eth", "White"), "eth")
    pd.testing.assert_frame_equal(plain, ym.suppress(ym.relative_rate_index(
        groups, "eth", "White"), "eth", counts=["population", "events"]))


def test_suppressing_a_comparison_withholds_the_rates_of_withheld_counts():
    # service_rate beside service_base gave a withheld service_events back.
    table = pd.DataFrame({"yjs": ["A", "B", "C"], "reoffenders": [4, 200, 300],
                          "offenders": [20, 600, 700]})
    out = ym.compare_with_comparators(table, "A", {"neighbours": ["B"], "all": "all"})
    safe = ym.suppress(out, "comparator", counts=["service_base", "service_events",
                                                  "comparator_base", "comparator_events"],
                       nested=False)
    assert safe["service_events"].isna().all()
    for name in ("service_rate", "difference", "difference_lower", "p_value", "significant"):
        assert safe[name].isna().all(), name
    assert safe["comparator_rate"].notna().all()
    assert safe.attrs["disclosure"]["uncontrolled"] == ["services"]


@pytest.mark.parametrize("bands", [["10–14", "15–17"], ["Aged 10-14", "Aged 15-17"],
                                   ["10-14 years", "15-17 years"], ["10 to 14", "15 to 17"]])
def test_population_bands_as_published_tables_write_them(bands):
    # The en dash (and 'aged', 'years') were not read: the bands were dropped as if '18+',
    # and the rate was over a population of zero.
    population = pd.DataFrame({"age_band": [*bands, "18+", "All ages"],
                               "count": [100, 100, 50, 250]})
    table = ym.first_time_entrants(RECORDS, 2015, population=population,
                                   history_start="2000-01-01")
    assert table["population"].iloc[0] == 200


def test_population_band_that_is_no_ages_is_refused():
    population = pd.DataFrame({"age_band": ["10-17", "unknown"], "count": [100, 5]})
    with pytest.raises(ValueError, match="band that is not ages"):
        ym.first_time_entrants(RECORDS, 2015, population=population)


def test_population_total_beside_its_parts_is_refused():
    # 'All persons' beside Male and Female was summed with them: every child counted twice.
    population = pd.DataFrame({"yjs": ["N"] * 3 + ["S"] * 3,
                               "sex": ["Male", "Female", "All persons"] * 2,
                               "count": [500, 500, 1000, 1000, 1000, 2000]})
    with pytest.raises(ValueError, match="'sex' holds a total beside its parts"):
        _fte(population=population)
    parts = _fte(population=population[population["sex"] != "All persons"])
    assert parts["population"].tolist() == [1000, 2000]


def test_population_rows_given_twice_are_said():
    with pytest.warns(UserWarning, match="2 row.s. of the population table repeat another row"):
        table = _fte(population=pd.concat([POPULATION, POPULATION]))
    assert any("2 row(s) of the population table repeat another row" in w
               for w in table.attrs["warnings"])
    assert not any("repeat another row" in w for w in _fte(population=POPULATION)
                   .attrs["warnings"])


def test_population_rows_given_twice_warn_in_use_of_custody():
    # Only attrs["warnings"] said it: a table appended to itself halved every rate silently.
    with pytest.warns(UserWarning, match="repeat another row"):
        ym.use_of_custody(RECORDS, 2015, by="yjs",
                          population=pd.concat([POPULATION, POPULATION]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ym.use_of_custody(RECORDS, 2015, by="yjs", population=POPULATION)
    assert not any("repeat another row" in str(w.message) for w in caught)


def test_profile_refuses_to_pool_services_without_a_population_row():
    # Service A's entrants were pooled into England and Wales without its children: 400 per
    # 100,000 instead of 382, with nothing said.
    data = ym.datasets.synthetic_youth_justice()
    population = data.population[data.population["yjs"] != "Service A"]
    with pytest.raises(ValueError, match="1 of its services have no row in the population"):
        ym.performance_profile(data.disposals, data.offences, population, "Service C",
                               {"England and Wales": "all"}, years=[2016])


def test_first_time_entrants_and_custody_are_unchanged_by_how_the_records_are_written():
    # The same synthetic records written as a case-management export would write them: kinds
    # in capitals with spaces, dates as dd/mm/yyyy text, the service as a categorical, the
    # ids as numbers: the same counts.
    data = ym.datasets.synthetic_youth_justice(services=6, children=2500, seed=5)
    clean = data.disposals
    codes = {pid: i for i, pid in enumerate(pd.unique(clean["person_id"]))}
    export = pd.DataFrame({
        "person_id": clean["person_id"].map(codes).astype("int64"),
        "date": clean["date"].dt.strftime("%d/%m/%Y"),
        "kind": clean["kind"].str.upper().str.replace("_", " ").map(lambda k: f" {k} "),
        "date_of_birth": clean["date_of_birth"].dt.strftime("%d/%m/%Y"),
        "yjs": pd.Categorical(clean["yjs"]),
    })
    snapshot = export.copy()
    for function in (ym.first_time_entrants, ym.use_of_custody):
        expected = function(clean, 2016, by="yjs", population=data.population)
        got = function(export, 2016, by="yjs", population=data.population, dayfirst=True)
        pd.testing.assert_frame_equal(got.assign(yjs=got["yjs"].astype(str)),
                                      expected.assign(yjs=expected["yjs"].astype(str)))
    pd.testing.assert_frame_equal(export, snapshot)  # the caller's table is not modified


def test_tracker_update_refuses_a_batch_unlike_its_records():
    data = ym.datasets.synthetic_youth_justice(services=4, children=2000, seed=1)
    cut = pd.Timestamp("2016-06-01")
    disposals, offences = data.disposals, data.offences
    tracked = ym.track_cohort(disposals[disposals["date"] < cut],
                              offences[offences["proven_date"] < cut],
                              "2016-01-01", "2016-03-31", "2016-05-31")
    later = disposals[disposals["date"] >= cut]
    # Without 'kind', every new row was set aside as an unknown kind ("too many records set
    # aside"); with another column, it was carried for the rebuilt children only.
    with pytest.raises(KeyError, match="without 'kind'"):
        tracked.update("2018-01-01", disposals=later.drop(columns=["kind"]))
    with pytest.raises(KeyError, match="with 'extra' as well"):
        tracked.update("2018-01-01", disposals=later.assign(extra=1))
    # Ids as text beside the tracker's numbers are never the same children.
    with pytest.raises(ym.DtypeError, match="person_id"):
        tracked.update("2018-01-01", disposals=later.assign(
            person_id=later["person_id"].astype(str)))
    assert tracked.update("2018-01-01", disposals=later).rebuilt > 0


@pytest.mark.parametrize("huge", [np.inf, float(2**64)])
def test_concentration_refuses_counts_no_one_has(huge):
    # Cast to int64 they became negative and the child vanished (2 reoffenders of 3).
    cohort = pd.DataFrame({"reoffences": [huge, 5.0, 3.0]})
    with pytest.raises(ValueError, match="infinite or beyond 64-bit"):
        ym.reoffending_concentration(cohort)
    with pytest.raises(ValueError, match="infinite or beyond 64-bit"):
        ym.lorenz_curve(cohort)


@pytest.mark.parametrize("huge", [np.inf, 1e19])
def test_comparisons_say_a_count_no_one_has(huge):
    # Cast to int64 it became negative: 'events must be zero or more', 'must be whole numbers'.
    table = pd.DataFrame({"yjs": ["A", "B"], "e": [huge, 20.0], "p": [1e30, 2000.0]})
    for kind in ("proportion", "rate"):
        with pytest.raises(ValueError, match="infinite or beyond 64-bit"):
            ym.compare_with_comparators(table, "A", {"n": ["B"]}, events="e", base="p",
                                        kind=kind)
    groups = pd.DataFrame({"eth": ["W", "B"], "events": [huge, 20.0],
                           "population": [1e30, 2000.0]})
    with pytest.raises(ValueError, match="infinite or beyond 64-bit"):
        ym.relative_rate_index(groups, "eth", "W", variance="poisson")


@pytest.mark.parametrize("sizes", [[np.inf], [1e19], [10**17],
                                   np.array([2**64 - 1], dtype=np.uint64)])
def test_funnel_sizes_beyond_any_group_are_refused_plainly(sizes):
    # 10**17 never returned (the compiled quantile search); inf and 1e19 were cast negative
    # and refused as 'sizes must be zero or more'.
    with pytest.raises(ValueError, match="at most"):
        ym.funnel_limits(0.3, sizes)


def test_relative_rate_index_of_a_table_with_repeated_index_labels_suppresses():
    # pd.concat of two stages repeats the labels 0, 1, 2: the reference rows were looked up
    # by label, and suppress failed on the arrays it found ('unhashable type').
    groups = pd.DataFrame({"eth": ["White", "Black", "Asian"], "events": [100, 30, 4],
                           "population": [10000, 1000, 2000]})
    stages = pd.concat([groups.assign(stage="a"),
                        groups.assign(stage="b", events=[4, 30, 40])])
    table = ym.relative_rate_index(stages, "eth", "White", stage="stage")
    safe = ym.suppress(table, ["stage", "eth"], counts=["population", "events"])
    assert safe["reference_rate"].notna().tolist() == [True] * 3 + [False] * 3


@pytest.mark.parametrize("measure, options, named", [
    # The outcome list won silently: a caution was counted although other_kinds said not to.
    ("fte", {"outcome_kinds": ["caution"], "other_kinds": ["Caution"]},
     "outcome_kinds and other_kinds"),
    ("custody", {"court_kinds": ["court_conviction", "caution"], "other_kinds": ["caution"]},
     "court_kinds and other_kinds"),
    # Spelled apart, the old set check let a kind be custodial and non-custodial at once.
    ("custody", {"custody_kinds": ["Custody Sentence"], "court_kinds": ["custody_sentence"]},
     "custody_kinds and court_kinds"),
])
def test_a_kind_in_two_lists_is_refused_in_any_spelling(measure, options, named):
    call = _fte if measure == "fte" else (
        lambda **o: ym.use_of_custody(RECORDS, 2015, by="yjs", **o))
    with pytest.raises(ValueError, match=f"in both {named}"):
        call(**options)


def test_a_widened_list_may_overlap_the_default_other_kinds():
    # The default other_kinds are what the default lists leave out: widening a list is no clash.
    records = RECORDS.assign(kind=["community_resolution", "court_conviction", "caution",
                                   "caution"])
    table = ym.first_time_entrants(records, 2015, by="yjs", history_start="2000-01-01",
                                   outcome_kinds=["caution", "community_resolution",
                                                  "court_conviction"])
    assert table["first_time_entrants"].tolist() == [2, 2]
    custody = ym.use_of_custody(records, 2015, by="yjs", court_kinds=["court_conviction",
                                                                     "caution"])
    assert custody["court_sentences"].tolist() == [1, 2]
