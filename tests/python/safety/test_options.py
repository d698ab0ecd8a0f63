"""Options are validated before they reach the core, and no pybind11 argument dump can reach a
user: out-of-range integers get a message naming the option and its range, and uint64 person ids
at or above 2**63 are handled without any id in a message."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

from .conftest import run_limited

SECRET = 7_777_123_457
DUMP_MARKERS = ("incompatible function arguments", "Invoked with", "supported types",
                "array(", str(SECRET))


def cohort():
    return pd.DataFrame({"person_id": np.arange(SECRET, SECRET + 40),
                         "yjs": ["S1", "S2"] * 20, "reoffences": np.arange(40) % 3,
                         "treated": [0, 1] * 20, "age": np.arange(40) % 8 + 10,
                         "previous_offences": np.arange(40) % 5 + SECRET % 7})


def events():
    d = pd.DataFrame({"person_id": np.array([SECRET, SECRET + 1], dtype=np.int64),
                      "date": ["2016-02-01", "2016-03-01"], "kind": "caution"})
    o = pd.DataFrame({"person_id": np.array([SECRET], dtype=np.int64),
                      "offence_date": ["2016-04-01"], "proven_date": ["2016-05-01"]})
    return d, o


def assert_clean(error, *names):
    message = str(error.value)
    for marker in DUMP_MARKERS:
        assert marker not in message, message
    assert any(name in message for name in names), message
    assert isinstance(error.value, (ValueError, TypeError))


HUGE = [2**31, 2**32, 2**63, 2**64, 10**30]


@pytest.mark.parametrize("threads", HUGE)
def test_threads_out_of_range(threads):
    with pytest.raises(ValueError) as error:
        ym.reoffending_rates(cohort(), by="yjs", threads=threads)
    assert_clean(error, "threads")
    assert "between 1 and" in str(error.value)
    with pytest.raises(ValueError) as error:
        ym.build_cohort(*events(), "2016-01-01", "2016-12-31", threads=threads)
    assert_clean(error, "threads")
    with pytest.raises(ValueError) as error:
        ym.evaluate_intervention(cohort(), "treated", ["age"], outcomes=["reoffences"],
                                 time_outcome=None, threads=threads)
    assert_clean(error, "threads")


def test_threads_2_31_is_refused_before_any_allocation():
    result = run_limited(
        "import numpy as np, pandas as pd, yosmodel as ym\n"
        "frame = pd.DataFrame({'yjs': ['a', 'b'] * 10, 'reoffences': [0, 1] * 10})\n"
        "try:\n    ym.reoffending_rates(frame, by='yjs', threads=2**31)\n"
        "except Exception as e:\n    print(type(e).__name__, e)\n", 2 << 30)
    assert "MemoryError" not in result.stdout + result.stderr
    assert result.stdout.startswith(("ValueError", "InputError")), result.stdout + result.stderr


@pytest.mark.parametrize("months", [2**31, 2**63, 10**20, 1201])
@pytest.mark.parametrize("option", ["follow_up_months", "waiting_months"])
def test_months_out_of_range(option, months):
    with pytest.raises(ValueError) as error:
        ym.build_cohort(*events(), "2016-01-01", "2016-12-31", **{option: months})
    assert_clean(error, option)


@pytest.mark.parametrize("threshold", [2**63, 2**64, 10**30, 10.5, "10"])
def test_suppression_threshold_out_of_range(threshold):
    table = ym.reoffending_rates(cohort(), by="yjs", margins=True)
    with pytest.raises((TypeError, ValueError)) as error:
        ym.suppress(table, by="yjs", threshold=threshold)
    assert_clean(error, "threshold")


def test_uint64_person_ids_at_or_above_2_63():
    # compact (the direct-id path) and spread out (the dictionary path)
    for ids in (np.array([2**63, 2**63 + 5, 2**63 + 9], dtype=np.uint64),
                np.array([2**63, 2**63 + 5, 2**64 - 1], dtype=np.uint64)):
        uint64_ids_give_the_right_cohort(ids)


def uint64_ids_give_the_right_cohort(ids):
    d = pd.DataFrame({"person_id": ids, "date": ["2016-02-01", "2016-03-01", "2016-04-01"],
                      "kind": "caution"})
    o = pd.DataFrame({"person_id": ids[:1], "offence_date": ["2016-05-01"],
                      "proven_date": ["2016-06-01"]})
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert cohort["person_id"].tolist() == [int(i) for i in ids]
    assert cohort["reoffences"].tolist() == [1, 0, 0]
    bad = o.assign(proven_date=["2016-01-01"])   # proven before committed: set aside, no leak
    with pytest.raises(ValueError) as error:
        ym.build_cohort(d, bad, "2016-01-01", "2016-12-31", strict=True)
    for i in ids:
        assert str(int(i)) not in str(error.value)


def test_a_binding_type_error_never_shows_the_arguments():
    # A wrong type that the Python layer does not check on its own must still not reach the
    # user as pybind11's dump of every argument.
    for call in (lambda: ym.reoffending_rates(cohort(), by="yjs", threads=np.float64(2.0)),
                 lambda: ym.build_cohort(*events(), "2016-01-01", "2016-12-31",
                                         follow_up_months=np.uint64(2**63)),
                 lambda: ym.proportion_interval(SECRET, SECRET + 1, level=np.float32(2))):
        with pytest.raises((TypeError, ValueError)) as error:
            call()
        for marker in DUMP_MARKERS:
            assert marker not in str(error.value)


def _cohort_tables():
    d = pd.DataFrame({"person_id": ["a", "b"], "date": ["2016-06-01", "2016-07-01"],
                      "kind": ["caution", "remand"], "date_of_birth": ["2001-01-01",
                                                                       "2002-01-01"]})
    o = pd.DataFrame({"person_id": ["a"], "offence_date": ["2016-07-01"],
                      "proven_date": ["2016-08-01"]})
    return d, o


@pytest.mark.parametrize("option, value", [
    ("plausible_dates", ("1900-01-01",)), ("plausible_dates", "1900-01-01"),
    ("plausible_dates", None), ("juvenile_ages", (10,)), ("juvenile_ages", ("10", "17")),
    ("juvenile_ages", (float("nan"), 17)), ("juvenile_ages", (17, 10)),
    ("juvenile_ages", (-1, 17)), ("juvenile_ages", 17)])
def test_pairs_of_bounds_are_checked_naming_the_option(option, value):
    """A short tuple gave an IndexError, strings a numpy UFuncTypeError, reversed ages
    silently no juvenile at all; each is now one message naming the option."""
    d, o = _cohort_tables()
    with pytest.raises((ValueError, TypeError), match=option):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", **{option: value})


def test_a_narrower_qualifying_leaves_the_other_kinds_known_and_a_string_is_one_kind():
    """qualifying="caution" was read letter by letter (kinds 'c', 'a', 'u', ...), and with
    qualifying=["remand"] a caution became an unknown kind, set aside as a data error."""
    d, o = _cohort_tables()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nothing set aside, nothing unknown
        by_list = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", qualifying=["remand"])
        by_string = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", qualifying="remand")
        cautions = ym.build_cohort(d, o, "2016-01-01", "2016-12-31", qualifying="caution")
    for cohort in (by_list, by_string):
        assert cohort["person_id"].tolist() == ["b"]
        assert cohort.attrs["diagnostics"]["disposals"]["unknown_kind"] == 0
    assert cautions["person_id"].tolist() == ["a"]
    assert cautions["index_kind"].astype(str).tolist() == ["caution"]
    with pytest.raises(TypeError, match="other_kinds"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", other_kinds=[1])


def test_truth_value_options_refuse_strings_that_read_as_true():
    cohort = pd.DataFrame({"yjs": ["A", "B"], "reoffences": [1, 0]})
    with pytest.raises(TypeError, match="margins must be True or False"):
        ym.reoffending_rates(cohort, by="yjs", margins="no")
    records = pd.DataFrame({"person_id": ["p1"], "date": pd.to_datetime(["2015-06-01"]),
                            "kind": ["caution"], "date_of_birth": pd.to_datetime(["2001-01-01"])})
    # people="False" returned the person-level table (children's ids) instead of counts
    with pytest.raises(TypeError, match="people must be True or False"):
        ym.first_time_entrants(records, 2015, people="False")
    rates = pd.DataFrame({"yjs": ["A", "B"], "offenders": [100, 50], "reoffenders": [40, 20]})
    with pytest.raises(TypeError, match="include_service must be True or False"):
        ym.compare_with_comparators(rates, "A", {"others": ["B"]}, include_service="no")
