"""Two qualifying disposals on the index date: the tie rule is a named parameter [assumed].

Hand-worked: child A was released from custody and convicted at court on 10 January 2022 (the
conviction the earlier row); child B was cautioned on 1 February 2022 and convicted on 3
February. By default the earlier row is the index disposal; with index_ties naming the release
first, A's index kind is the release. B has no tie. The index date, follow-up and counts are the
same either way.
"""

import warnings

import pandas as pd
import pytest

from yosmodel.reoffending import build_cohort, reoffending_rates

DISPOSALS = pd.DataFrame({
    "person_id": ["A", "A", "B", "B"],
    "date": ["2022-01-10", "2022-01-10", "2022-02-01", "2022-02-03"],
    "kind": ["court_conviction", "custody_release", "caution", "court_conviction"],
    "yjs": ["court row", "release row", "caution row", "conviction row"],
})
OFFENCES = pd.DataFrame({
    "person_id": ["A", "B"],
    "offence_date": ["2023-01-10", "2022-02-02"],   # A: on follow_up_end, a reoffence
    "proven_date": ["2023-07-10", "2022-03-01"],    # A: on waiting_end
})


def cohort(**options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return build_cohort(DISPOSALS, OFFENCES, "2022-01-01", "2022-03-31",
                            **options).set_index("person_id")


def test_a_tie_goes_to_the_earlier_row_by_default():
    c = cohort()
    assert c.loc["A", "index_kind"] == "court_conviction"
    assert c.loc["A", "yjs"] == "court row"
    assert c.attrs["definition"]["index_ties"] == "earlier row"


def test_index_ties_names_the_kind_that_wins_a_tie():
    c = cohort(index_ties=["custody_release", "court_conviction", "caution"])
    assert c.loc["A", "index_kind"] == "custody_release"
    assert c.loc["A", "yjs"] == "release row"
    # No tie for B: the first qualifying disposal in the period, whatever the order says.
    assert c.loc["B", "index_kind"] == "caution" and c.loc["B", "yjs"] == "caution row"
    assert str(c.loc["A", "index_date"].date()) == "2022-01-10"
    assert str(c.loc["A", "follow_up_end"].date()) == "2023-01-10"
    assert c.loc["A", "reoffences"] == 1 and c.loc["B", "reoffences"] == 1
    assert c.attrs["definition"]["index_ties"] == (
        "custody_release", "court_conviction", "caution")


def test_the_counts_do_not_depend_on_the_tie_rule():
    plain = reoffending_rates(cohort())
    ordered = reoffending_rates(cohort(index_ties=["custody_release"]))
    pd.testing.assert_frame_equal(plain, ordered)


def test_index_ties_refuses_a_word_that_is_no_kind():
    with pytest.raises(ValueError, match="index_ties"):
        cohort(index_ties=["custody_relase"])


def test_index_ties_naming_a_kind_twice_is_refused_naming_it():
    # was accepted silently: the first place counted, the second was ignored unsaid
    for ties in (["custody_release", "caution", "custody_release"],
                 ["custody_release", "Custody Release"]):  # kinds match in any case, spacing
        with pytest.raises(ValueError, match=r"^index_ties names '(custody_release|Custody "
                                             r"Release)' more than once"):
            cohort(index_ties=ties)


def test_index_ties_is_checked_even_when_the_cohort_is_empty():
    # a word that is no kind was refused only once somebody was in the cohort
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for ties in (["custody_relase"], ["caution", "caution"]):
            with pytest.raises(ValueError, match="index_ties names"):
                build_cohort(DISPOSALS, OFFENCES, "2019-01-01", "2019-03-31", index_ties=ties)


def test_a_kind_in_both_qualifying_and_other_kinds_is_refused_naming_it():
    # was accepted silently: the kind qualified, whatever other_kinds said
    with pytest.raises(ValueError, match=r"^'caution' is in both qualifying and other_kinds"):
        cohort(qualifying=["court_conviction", "custody_release", "caution"],
               other_kinds=["remand", "caution"])
    with pytest.raises(ValueError, match=r"^'Court Conviction' is in both qualifying and "):
        cohort(qualifying="court_conviction", other_kinds=["Court Conviction"])
    with pytest.raises(ValueError, match=r"^qualifying names 'caution' more than once"):
        cohort(qualifying=["caution", "court_conviction", "caution"])
    # The default other_kinds are the kinds that do not qualify by default: widening
    # qualifying to one of them is no contradiction.
    widened = cohort(qualifying=["court_conviction", "custody_release", "caution", "remand"])
    assert sorted(widened.index) == ["A", "B"]
