"""Use of custody and the key performance indicators: hand-worked cases and pandas
cross-checks."""

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym


def _disposals(rows):
    frame = pd.DataFrame(rows, columns=["person_id", "date", "kind", "date_of_birth", "yjs"])
    for c in ("date", "date_of_birth"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


SENTENCES = _disposals([
    (1, "2015-03-01", "custody_sentence", "2000-01-01", "N"),
    (1, "2015-03-01", "custody_sentence", "2000-01-01", "N"),   # same day: one occasion
    (2, "2015-04-01", "court_conviction", "2001-01-01", "N"),
    (3, "2015-05-01", "court_conviction", "2001-01-01", "N"),
    (4, "2015-06-01", "custody_sentence", "1996-01-01", "N"),   # 19: not a child
    (5, "2015-07-01", "caution", "2002-01-01", "N"),            # not a court sentence
    (6, "2016-01-01", "custody_sentence", "2002-01-01", "S"),   # after the period
    (7, "2015-08-01", "court_conviction", "2002-01-01", "S"),
])


def test_custody_hand_worked():
    population = pd.DataFrame({"yjs": ["N", "S"], "count": [2000, 500]})
    table = ym.use_of_custody(SENTENCES, 2015, by="yjs", population=population).set_index("yjs")
    assert table.loc["N", "custodial_sentences"] == 1
    assert table.loc["N", "court_sentences"] == 3
    assert table.loc["N", "custody_share"] == pytest.approx(1 / 3)
    lower, _upper = ym.proportion_interval(1, 3)
    assert table.loc["N", "custody_share_lower"] == pytest.approx(lower)
    assert table.loc["N", "custody_per_1000"] == pytest.approx(0.5)
    assert table.loc["S", "custodial_sentences"] == 0
    assert table.loc["S", "custody_share"] == 0.0
    d = table.attrs["diagnostics"]
    assert d["same_day_repeats"] == 1
    assert d["outside_ages"] == 1


def test_custody_national_indicator_example():
    # The older indicator's published example: 22 custodial of 1,315 court sentences = 1.7%.
    rows = [(i, "2009-01-10", "custody_sentence" if i < 22 else "court_conviction",
             "1994-01-01", "X") for i in range(1315)]
    table = ym.use_of_custody(_disposals(rows), "2008-04-01")
    assert table["custody_share"].iloc[0] == pytest.approx(22 / 1315)
    assert round(100 * table["custody_share"].iloc[0], 1) == 1.7


def _statuses():
    return pd.DataFrame({
        "person_id": [1, 2, 3, 4, 5, 6, 6],
        "order_end": pd.to_datetime(["2024-05-01", "2024-06-01", "2024-07-01", "2024-08-01",
                                     "2023-01-01", "2024-02-01", "2024-09-01"]),
        "yjs": ["A"] * 7,
        "accommodation_suitable": [True, True, False, True, True, False, True],
        "ete_suitable": [True, False, False, None, True, True, True],
        "send_identified": [True, True, False, False, True, False, True],
        "send_formal_plan": [True, False, False, False, True, False, False],
        "mental_health_need": [True, False, True, False, False, False, True],
        "mental_health_offered": [True, False, True, False, False, False, False],
        "mental_health_attending": [False, False, True, False, False, False, False],
        "substance_misuse_need": [False] * 7,
        "substance_misuse_offered": [False] * 7,
        "substance_misuse_attending": [False] * 7,
    })


def test_kpis_hand_worked_without_disclosure_control():
    # Orders ended in 2024: children 1, 2, 3, 4 and 6 (child 6 twice: the later one counts).
    table = ym.kpis(_statuses(), 2024, disclosure=None).set_index(["kpi", "stage"])
    assert table.attrs["disclosure"]["applied"] is False
    acc = table.loc[(1, "suitable at end")]
    assert (acc["denominator"], acc["numerator"]) == (5, 4)
    lower, upper = ym.proportion_interval(4, 5)
    assert acc["lower"] == pytest.approx(lower) and acc["upper"] == pytest.approx(upper)
    ete = table.loc[(2, "suitable at end")]
    assert (ete["denominator"], ete["numerator"]) == (4, 2)  # child 4's status unknown
    assert table.attrs["diagnostics"]["status_unknown"] == {"kpi 2 suitable at end": 1}
    send = table.loc[(3, "formal plan")]
    assert (send["denominator"], send["numerator"]) == (3, 1)
    mh = table.loc[(4, "need at end")]
    assert (mh["denominator"], mh["numerator"]) == (5, 3)
    assert table.attrs["diagnostics"]["repeat_orders_in_period"] == 1


def test_kpis_2023_wording_is_a_funnel():
    table = ym.kpis(_statuses(), 2024, version="2023", disclosure=None)
    mh = table[table["kpi"] == 4].set_index("stage")
    assert list(mh.index) == ["need identified", "intervention offered", "attending"]
    assert list(mh["denominator"]) == [5, 3, 2]
    assert list(mh["numerator"]) == [3, 2, 1]


def test_kpis_are_suppressed_by_default():
    table = ym.kpis(_statuses(), 2024)
    assert table.attrs["disclosure"]["applied"] is True
    assert table["denominator"].isna().all()  # every count is below 10 here
    published = ym.to_published(table)
    assert (published["numerator"] == "~").all()


def test_kpis_definitions_are_data_and_none_is_invented():
    for version in ("2023", "2025"):
        assert [d["kpi"] for d in ym.measures.kpi_definitions(version)] == [1, 2, 3, 4, 5]
    with pytest.raises(ValueError, match="unknown KPI version"):
        ym.measures.kpi_definitions("2019")
    custom = [{"kpi": 9, "name": "local", "stages": [{"stage": "s",
                                                       "numerator": "ete_suitable"}]}]
    table = ym.kpis(_statuses(), 2024, definitions=custom, disclosure=None)
    assert list(table["kpi"]) == [9]
    assert table.attrs["definition"]["version"] == "custom"
    with pytest.raises(KeyError, match="status column 'nonexistent'"):
        ym.kpis(_statuses(), 2024, disclosure=None, definitions=[
            {"kpi": 6, "name": "x", "stages": [{"stage": "s", "numerator": "nonexistent"}]}])


def test_kpis_agree_with_pandas_on_synthetic_statuses():
    data = ym.datasets.synthetic_youth_justice(services=6, children=4000, seed=1)
    table = ym.kpis(data.statuses, 2016, by="yjs", disclosure=None)
    s = data.statuses
    s = s[(s["order_end"] >= "2016-01-01") & (s["order_end"] <= "2016-12-31")]
    s = s.sort_values("order_end", kind="stable").drop_duplicates("person_id", keep="last")
    reference = s.groupby("yjs").agg(n=("person_id", "size"),
                                     x=("accommodation_suitable", "sum"),
                                     send_n=("send_identified", "sum"),
                                     send_x=("send_formal_plan", "sum"))
    acc = table[table["kpi"] == 1].set_index("yjs")
    np.testing.assert_array_equal(acc["denominator"], reference["n"])
    np.testing.assert_array_equal(acc["numerator"], reference["x"])
    send = table[table["kpi"] == 3].set_index("yjs")
    np.testing.assert_array_equal(send["denominator"], reference["send_n"])
    np.testing.assert_array_equal(send["numerator"], reference["send_x"])


def test_kpi_statuses_written_as_words_are_read_and_what_is_left_out_is_said():
    words = {True: "Yes", False: "no ", None: None}
    statuses = _statuses()
    as_words = statuses.assign(**{c: [words[v] for v in statuses[c]] for c in
                                  ("accommodation_suitable", "ete_suitable")})
    with pytest.warns(ym.RecordsSetAsideWarning, match="statuses.status_unknown 1 row"):
        table = ym.kpis(as_words, 2024, disclosure=None).set_index(["kpi", "stage"])
    expected = ym.kpis(statuses, 2024, disclosure=None).set_index(["kpi", "stage"])
    for kpi in [(1, "suitable at end"), (2, "suitable at end")]:
        assert table.loc[kpi, "denominator"] == expected.loc[kpi, "denominator"]
        assert table.loc[kpi, "numerator"] == expected.loc[kpi, "numerator"]
    broken = statuses.assign(order_end=statuses["order_end"].astype(object))
    broken.loc[0, "order_end"] = None
    with pytest.warns(ym.RecordsSetAsideWarning, match="statuses.missing_order_end 1 row"):
        table = ym.kpis(broken, 2024, disclosure=None)
    assert table.attrs["diagnostics"]["missing_order_end"] == 1
