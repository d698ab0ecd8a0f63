"""The performance profile: its headline counts equal the measures computed one by one (and
pooled by hand for comparators), every table is disclosure-controlled, and the HTML and Excel
renderings carry the withheld cells as the symbol."""

import warnings

import numpy as np
import pytest

import yosmodel as ym


@pytest.fixture(scope="module")
def profile_and_data():
    data = ym.datasets.synthetic_youth_justice(services=8, children=6000, seed=5)
    service = "Service B"
    comparators = {"neighbours": data.neighbours[service], "England and Wales": "all"}
    profile = ym.performance_profile(data.disposals, data.offences, data.population, service,
                                     comparators, years=[2016, 2017], statuses=data.statuses)
    return profile, data, service, comparators


def test_headline_counts_match_the_measures_one_by_one(profile_and_data):
    _profile, data, service, comparators = profile_and_data
    unsuppressed = ym.performance_profile(data.disposals, data.offences, data.population,
                                          service, comparators, years=[2017],
                                          disclosure=None).headline.set_index(["area", "measure"])
    fte = ym.first_time_entrants(data.disposals, 2017, by="yjs", population=data.population)
    others = [s for s in data.neighbours[service] if s != service]
    own = fte[fte["yjs"] == service].iloc[0]
    row = unsuppressed.loc[(service, "first time entrants per 100,000")]
    assert (row["numerator"], row["denominator"]) == (own["first_time_entrants"],
                                                      own["population"])
    pooled = fte[fte["yjs"].isin(others)]
    row = unsuppressed.loc[("neighbours", "first time entrants per 100,000")]
    assert row["numerator"] == pooled["first_time_entrants"].sum()
    assert row["value"] == pytest.approx(pooled["first_time_entrants"].sum()
                                         / pooled["population"].sum() * 1e5)
    cohorts = ym.build_cohort_series(data.disposals, data.offences,
                                     ym.cohort_periods("2017-01-01", "2017-12-31", months=3))
    everyone_else = cohorts[cohorts["yjs"] != service]
    row = unsuppressed.loc[("England and Wales", "binary reoffending rate")]
    assert row["denominator"] == len(everyone_else)
    assert row["numerator"] == int(everyone_else["reoffended"].sum())
    row = unsuppressed.loc[("England and Wales", "frequency of reoffending")]
    assert row["numerator"] == int(everyone_else["reoffences"].sum())
    assert unsuppressed.attrs["disclosure"]["applied"] is False


def test_every_table_is_disclosure_controlled(profile_and_data):
    profile = profile_and_data[0]
    for name, table in profile.tables().items():
        assert table.attrs["disclosure"]["applied"] is True, name
    headline = profile.headline
    small = headline["numerator"].isna()
    assert headline.loc[small, "value"].isna().all()
    assert set(profile.headline["year"]) == {2016, 2017}


def test_report_and_workbook(profile_and_data, tmp_path):
    pytest.importorskip("matplotlib")
    openpyxl = pytest.importorskip("openpyxl")
    profile = profile_and_data[0]
    page = profile.report(tmp_path / "profile.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Performance profile: Service B" in page
    assert "<script" not in page
    book = openpyxl.load_workbook(profile.to_excel(tmp_path / "profile.xlsx"))
    assert book.sheetnames[-1] == "notes"
    sheet = book["headline measures"]
    header = [c.value for c in sheet[1]]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    denominators = [row[header.index("denominator")] for row in values]
    assert all(isinstance(v, int) or v == "~" for v in denominators)
    withheld = profile.headline["numerator"].isna().sum()
    assert sum(row[header.index("numerator")] == "~" for row in values) == withheld


def test_unknown_service_is_refused(profile_and_data):
    _, data, _, comparators = profile_and_data
    with pytest.raises(KeyError, match="not in column 'yjs'"):
        ym.performance_profile(data.disposals, data.offences, data.population, "Nowhere",
                               comparators, years=[2017])


def test_a_profile_by_an_identifier_is_refused(profile_and_data):
    # --area person_id made each child a "service", labelled with the child's id.
    _, data, _, _ = profile_and_data
    child = data.disposals["person_id"].iloc[0]
    refused = "area cannot group on 'person_id': it identifies a child"
    with pytest.raises(ValueError, match=refused) as caught:
        ym.performance_profile(data.disposals, data.offences, data.population, child,
                               {"all": "all"}, years=[2017], area="person_id")
    assert str(child) not in str(caught.value)


def test_no_withheld_service_comes_back_from_the_headline_pools():
    data = ym.datasets.synthetic_youth_justice(services=8, children=6000, seed=5)
    service, small = "Service B", "Service E"
    kept = set(data.disposals.loc[data.disposals["yjs"] == small, "person_id"].unique()[:12])
    disposals = data.disposals[(data.disposals["yjs"] != small)
                               | data.disposals["person_id"].isin(kept)]
    comparators = {"neighbours": data.neighbours[service], "England and Wales": "all"}
    profile = ym.performance_profile(disposals, data.offences, data.population, service,
                                     comparators, years=[2017])
    by_service = profile.reoffending_by_service.set_index("yjs")
    assert by_service["offenders"].isna().any()  # the small service is withheld
    others = set(by_service.index) - {service}
    pools = {"neighbours": set(data.neighbours[service]) - {service}, "all": others}
    pools["all less neighbours"] = others - pools["neighbours"]
    for count in ("offenders", "reoffenders", "reoffences"):
        withheld = set(by_service.index[by_service[count].isna()])
        for name, members in pools.items():
            # the headline publishes these sums: one withheld member would be their difference
            assert len(withheld & members) != 1, (count, name)
    record = profile.reoffending_by_service.attrs["disclosure"]
    assert record["suppressed"]["secondary"] >= 1
    assert {(c["row"], c["column"]) for c in record["cells"]} >= {
        (i, "binary_rate") for i in np.flatnonzero(profile.reoffending_by_service[
            "offenders"].isna())}


def test_no_withheld_group_comes_back_from_the_services_headline_count():
    data = ym.datasets.synthetic_youth_justice(services=8, children=6000, seed=5)
    service = "Service C"  # Asian 6, Black 12, Mixed 11, Other 3, White 67 entrants in 2017
    disposals, population = data.disposals.copy(), data.population.copy()
    for table in (disposals, population):  # leave one small group: Asian
        table.loc[(table["yjs"] == service) & (table["ethnicity"] == "Other"),
                  "ethnicity"] = "White"
    profile = ym.performance_profile(disposals, data.offences, population, service,
                                     {"England and Wales": "all"}, years=[2017])
    dispro = profile.disproportionality
    unprotected = ym.performance_profile(disposals, data.offences, population,
                                         service, {"England and Wales": "all"}, years=[2017],
                                         disclosure=None).disproportionality
    assert dispro is not None and len(dispro) == len(unprotected)
    for count in ("first_time_entrants", "population"):
        # the groups add up to the service's headline count: one withheld would be the rest
        assert int(dispro[count].isna().sum()) != 1, count
    assert (unprotected["first_time_entrants"] < 10).sum() == 1  # the case this is about


def test_nested_pools_do_not_publish_a_small_service_by_their_difference():
    data = ym.datasets.synthetic_youth_justice(services=8, children=6000, seed=5)
    service, small = "Service B", "Service E"
    kept = set(data.disposals.loc[data.disposals["yjs"] == small, "person_id"].unique()[:12])
    disposals = data.disposals[(data.disposals["yjs"] != small)
                               | data.disposals["person_id"].isin(kept)]
    all_but_small = sorted(set(disposals["yjs"]) - {small})
    comparators = {"all but one": all_but_small, "England and Wales": "all"}
    headline = ym.performance_profile(disposals, data.offences, data.population, service,
                                      comparators, years=[2017]).headline
    raw = ym.performance_profile(disposals, data.offences, data.population, service,
                                 comparators, years=[2017], disclosure=None).headline
    for measure in raw["measure"].unique():
        big = raw[(raw["area"] == "England and Wales") & (raw["measure"] == measure)].iloc[0]
        part = raw[(raw["area"] == "all but one") & (raw["measure"] == measure)].iloc[0]
        shown = headline[(headline["measure"] == measure)
                         & headline["area"].isin(["England and Wales", "all but one"])]
        difference = big["numerator"] - part["numerator"]
        if 0 < difference < 10:  # the small service's own count, by subtraction
            assert shown["numerator"].isna().any(), measure
    assert headline["numerator"].isna().any()


def test_records_end_says_a_last_year_whose_follow_up_is_incomplete(profile_and_data):
    _profile, data, service, comparators = profile_and_data
    args = (data.disposals, data.offences, data.population, service, comparators)
    # The Oct-Dec 2017 cohort's waiting periods end in 2019: records to mid-2018 miss some.
    with pytest.warns(UserWarning, match="follow-up incomplete"):
        ym.performance_profile(*args, years=[2017], records_end="2018-06-30")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", "follow-up incomplete")
        ym.performance_profile(*args, years=[2017], records_end="2019-12-31")
    with pytest.raises(ValueError, match="records_end"):
        ym.performance_profile(*args, years=[2017], records_end="2017-06-30")
