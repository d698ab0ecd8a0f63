"""Live tracking: each status on a hand-worked cohort, and the tracker's final state equal to
build_cohort child by child once every follow-up and waiting period is over."""

import pandas as pd
import pandas.testing as pdt
import pytest

import yosmodel as ym


def _hand():
    disposals = pd.DataFrame({
        "person_id": [1, 2, 3, 4],
        "date": pd.to_datetime(["2016-01-10", "2016-02-01", "2016-03-01", "2016-03-20"]),
        "kind": ["caution", "court_conviction", "caution", "caution"],
        "yjs": ["A", "A", "B", "B"],
    })
    offences = pd.DataFrame({
        "person_id": [1, 3, 3],
        # 1: offends in June 2016, proven in August. 3: offends in February 2017 (in follow-up),
        # proven in July 2017, inside the waiting period.
        "offence_date": pd.to_datetime(["2016-06-01", "2017-02-01", "2015-12-01"]),
        "proven_date": pd.to_datetime(["2016-08-01", "2017-07-01", "2016-01-05"]),
    })
    return disposals, offences


def _status(tracked):
    return dict(zip(tracked.children["person_id"], tracked.children["status"].astype(str)))


def test_statuses_move_as_the_date_moves():
    d, o = _hand()
    early = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2016-07-01")
    assert _status(early) == {1: "in_follow_up", 2: "in_follow_up", 3: "in_follow_up",
                              4: "in_follow_up"}
    assert early.children.set_index("person_id").loc[1, "days_left"] == \
        (pd.Timestamp("2017-01-10") - pd.Timestamp("2016-07-01")).days
    mid = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2016-09-01")
    assert _status(mid)[1] == "reoffended"
    late = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2017-04-01")
    # 1 reoffended; 2 and 3 ended follow-up (Feb / Mar 2017) and await proof; 4 (20 March)
    # is still in follow-up until 20 March 2017... which has passed: awaiting proof too.
    assert _status(late) == {1: "reoffended", 2: "awaiting_proof", 3: "awaiting_proof",
                             4: "awaiting_proof"}
    after = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2017-07-01")
    assert _status(after)[3] == "reoffended"
    final = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2018-01-01")
    assert _status(final) == {1: "reoffended", 2: "not_reoffended", 3: "reoffended",
                              4: "not_reoffended"}
    assert final.complete and not late.complete


def test_rates_are_labelled_provisional_until_complete():
    d, o = _hand()
    late = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2017-04-01").rates(by="yjs")
    assert late["provisional"].all()
    assert late.attrs["label"].startswith("provisional")
    assert list(late["awaiting_proof"]) == [1, 2]
    final = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2018-01-01").rates()
    assert not final["provisional"].any()
    assert final["binary_rate"].iloc[0] == pytest.approx(0.5)


def test_a_cohort_period_still_running_is_provisional():
    d, o = _hand()
    running = ym.track_cohort(d, o, "2016-01-01", "2016-03-31", "2016-02-15")
    assert sorted(running.children["person_id"]) == [1, 2]
    assert any("not ended" in w for w in running.warnings)
    assert running.rates()["provisional"].all()


def test_final_state_equals_build_cohort_child_by_child():
    data = ym.datasets.synthetic_youth_justice(services=5, children=2500, seed=7)
    disposals, offences = data.disposals, data.offences
    tracked = ym.track_cohort(disposals, offences, "2016-01-01", "2016-03-31", "2030-01-01")
    assert tracked.complete
    published = ym.build_cohort(disposals, offences, "2016-01-01", "2016-03-31")
    assert len(published) > 50
    pdt.assert_frame_equal(tracked.children.drop(columns=["status", "days_left"]), published)
    assert set(tracked.children["status"].astype(str)) == {"reoffended", "not_reoffended"}
    assert ((tracked.children["status"] == "reoffended") == published["reoffended"]).all()
    pdt.assert_frame_equal(tracked.rates(by="yjs").drop(
        columns=["in_follow_up", "awaiting_proof", "provisional"]),
        ym.reoffending_rates(published, by="yjs"))


def test_interim_reoffenders_never_exceed_the_final_count():
    data = ym.datasets.synthetic_youth_justice(services=5, children=2500, seed=7)
    final = ym.track_cohort(data.disposals, data.offences, "2016-01-01", "2016-03-31",
                            "2030-01-01").children.set_index("person_id")
    for as_of in ("2016-06-30", "2016-12-31", "2017-05-31"):
        interim = ym.track_cohort(data.disposals, data.offences, "2016-01-01", "2016-03-31",
                                  as_of).children.set_index("person_id")
        reoffended = interim.index[interim["status"] == "reoffended"]
        assert final.loc[reoffended, "reoffended"].all()
        assert (interim["status"] != "not_reoffended").all()


def test_updates_rebuild_only_changed_children_and_end_at_the_published_cohort():
    data = ym.datasets.synthetic_youth_justice(services=5, children=2500, seed=11)
    d, o = data.disposals, data.offences
    # Records arrive in three batches, in their table order; the second batch holds a late
    # record dated before the first tracker's date.
    d1, d2, d3 = d.iloc[: len(d) // 2], d.iloc[len(d) // 2: 3 * len(d) // 4], \
        d.iloc[3 * len(d) // 4:]
    o1, o2, o3 = o.iloc[: len(o) // 3], o.iloc[len(o) // 3: 2 * len(o) // 3], \
        o.iloc[2 * len(o) // 3:]
    start, end = "2016-01-01", "2016-03-31"
    first = ym.track_cohort(d1, o1, start, end, "2016-09-30")
    second = first.update("2017-03-31", d2, o2)
    assert 0 < second.rebuilt < len(second.children)
    fresh = ym.track_cohort(pd.concat([d1, d2]), pd.concat([o1, o2]), start, end, "2017-03-31")
    pdt.assert_frame_equal(second.children, fresh.children, check_dtype=False)
    quiet = second.update("2017-04-30")           # no new records: only statuses move on
    pdt.assert_frame_equal(quiet.children.drop(columns=["status", "days_left"]),
                           ym.track_cohort(pd.concat([d1, d2]), pd.concat([o1, o2]), start,
                                           end, "2017-04-30").children.drop(
                               columns=["status", "days_left"]), check_dtype=False)
    final = quiet.update("2030-01-01", d3, o3)
    assert final.complete
    published = ym.build_cohort(pd.concat([d1, d2, d3]), pd.concat([o1, o2, o3]), start, end)
    pdt.assert_frame_equal(final.children.drop(columns=["status", "days_left"]), published,
                           check_dtype=False)
    with pytest.raises(ValueError, match="before the tracker's date"):
        final.update("2020-01-01")


def test_tracking_reads_the_date_layout_given_for_the_cohort():
    d = pd.DataFrame({"person_id": ["a", "b"], "date": ["01/10/2015", "02/10/2015"],
                      "kind": ["caution", "caution"]})
    o = pd.DataFrame({"person_id": ["a"], "offence_date": ["05/11/2015"],
                      "proven_date": ["01/12/2015"]})
    tracked = ym.track_cohort(d, o, "01/01/2015", "31/12/2015", "01/01/2016", dayfirst=True)
    statuses = dict(zip(tracked.children["person_id"], tracked.children["status"]))
    assert statuses == {"a": "reoffended", "b": "in_follow_up"}
    later = tracked.update("01/06/2017")
    assert set(later.children["status"]) == {"reoffended", "not_reoffended"}


def _one_service_nearly_done():
    """40 children of two services; at 2017-03-20 two of service A's are still in follow-up
    (disposals of 25 and 28 March 2016), every other child awaits proof."""
    ids = list(range(1, 41))
    dates = ["2016-01-15"] * 38 + ["2016-03-25", "2016-03-28"]
    disposals = pd.DataFrame({"person_id": ids, "date": pd.to_datetime(dates),
                              "kind": "caution", "yjs": ["B"] * 15 + ["A"] * 25})
    offences = pd.DataFrame({"person_id": pd.Series([], dtype="int64"),
                             "offence_date": pd.to_datetime(pd.Series([], dtype="object")),
                             "proven_date": pd.to_datetime(pd.Series([], dtype="object"))})
    return ym.track_cohort(disposals, offences, "2016-01-01", "2016-03-31", "2017-03-20")


def test_suppress_controls_the_children_still_in_follow_up():
    """The tracker's in_follow_up and awaiting_proof count children: suppress withheld the
    offenders of a small group but published its 2 children in follow-up beside them."""
    tracked = _one_service_nearly_done()
    rates = tracked.rates(by="yjs")
    assert list(rates["in_follow_up"]) == [2, 0]
    safe = ym.suppress(rates, by="yjs")
    a = safe.set_index("yjs").loc["A"]
    # 2 in follow-up is small; the 23 awaiting proof go with it (linked): beside 25 offenders,
    # none reoffended and none yet past waiting, they would give the 2 back.
    assert pd.isna(a["in_follow_up"]) and pd.isna(a["awaiting_proof"])
    assert pd.isna(a["provisional"])  # derived from both
    b = safe.set_index("yjs").loc["B"]
    assert (b["in_follow_up"], b["awaiting_proof"], bool(b["provisional"])) == (0, 15, True)
    assert "in_follow_up" in safe.attrs["disclosure"]["counts"]
    assert "in_follow_up" not in safe.attrs["disclosure"]["uncontrolled"]
    # Asked for the reoffending counts only, the declared counts are controlled all the same.
    named = ym.suppress(rates, by="yjs", counts=["offenders", "reoffenders", "reoffences"])
    assert pd.isna(named.set_index("yjs").loc["A", "in_follow_up"])


def test_suppress_takes_the_status_counts_as_counts():
    counts = _one_service_nearly_done().status_counts(by="yjs")
    safe = ym.suppress(counts, by="yjs")
    a = safe.set_index("yjs").loc["A"]
    assert pd.isna(a["in_follow_up"]) and pd.isna(a["awaiting_proof"])
    assert safe.set_index("yjs").loc["B", "awaiting_proof"] == 15
    whole = ym.suppress(_one_service_nearly_done().status_counts(), by="status")
    assert pd.isna(whole.set_index("status").loc["in_follow_up", "children"])
