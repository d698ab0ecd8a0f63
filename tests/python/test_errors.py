"""The exception hierarchy: every core error arrives as its own class (which is also the
builtin a caller expects), and no mistake of type or option reaches the user as pybind11's dump
of the arguments ("incompatible function arguments ... Invoked with: <the values>")."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel._core import evaluation as core_evaluation
from yosmodel._core import reoffending as core_reoffending
from yosmodel._core import stats as core_stats

HIERARCHY = {
    "YosmodelError": (Exception,),
    "InputError": (ym.YosmodelError, ValueError),
    "DtypeError": (ym.YosmodelError, TypeError),
    "NotFoundError": (ym.InputError, KeyError),
    "FrameworkError": (ym.InputError,),
    "CorruptDataError": (ym.InputError,),
    "LimitError": (ym.InputError,),
    "SeparationError": (ym.InputError,),
    "RankDeficiencyError": (ym.InputError,),
    "ConvergenceError": (ym.YosmodelError, RuntimeError),
    "ResourceError": (ym.YosmodelError, RuntimeError),
}


@pytest.mark.parametrize("name", sorted(HIERARCHY))
def test_hierarchy_is_exported_with_its_builtin_bases(name):
    cls = getattr(ym, name)
    assert cls is getattr(ym.errors, name)
    assert cls.__bases__ == HIERARCHY[name]
    assert cls.__module__ == "yosmodel" and name in ym.__all__
    assert issubclass(cls, ym.YosmodelError) or cls is ym.YosmodelError


def test_a_core_input_error_is_an_input_error():
    with pytest.raises(ym.InputError, match="level must be strictly between 0 and 1"):
        core_stats.proportion_interval(np.array([1]), np.array([2]), 1.5, "wilson")


def test_damaged_partial_bytes_are_refused_as_input():
    data = ym.reoffending_partial({"reoffences": np.array([1, 2])})[0].to_bytes()
    with pytest.raises(ym.InputError, match="damaged|corrupt") as caught:
        ym.PartialTable.from_bytes(data[: len(data) // 2])
    assert isinstance(caught.value, ValueError)
    with pytest.raises(ym.DtypeError, match="read from bytes"):
        ym.PartialTable.from_bytes("not bytes")


def test_a_pickle_of_another_shape_is_corrupt_data():
    table = ym.PartialTable.__new__(ym.PartialTable)  # what unpickling does first
    with pytest.raises(ym.CorruptDataError, match="not a pickled PartialTable"):
        table.__setstate__((b"", b""))


def test_separation_is_its_own_class():
    # The covariate predicts the outcome perfectly: no maximum likelihood estimate.
    x = np.ascontiguousarray(np.arange(40, dtype=np.float64).reshape(-1, 1))
    y = (x[:, 0] >= 20).astype(np.uint8)
    with pytest.raises(ym.SeparationError) as caught:
        core_evaluation.fit_logistic(x, y, ["x"])
    assert isinstance(caught.value, ValueError)


def test_collinear_covariates_are_rank_deficient():
    rng = np.random.default_rng(3)
    a = rng.normal(size=200)
    x = np.ascontiguousarray(np.column_stack([a, 2 * a]))
    y = (rng.random(200) < 0.5).astype(np.uint8)
    with pytest.raises(ym.RankDeficiencyError):
        core_evaluation.fit_logistic(x, y, ["a", "b"])


def test_a_wrong_dtype_reaching_the_core_is_a_dtype_error():
    with pytest.raises(ym.DtypeError, match="expected int64") as caught:
        core_reoffending.add_months(np.array([1.0]), 1)
    assert isinstance(caught.value, TypeError)


def test_an_unknown_enum_name_lists_the_core_choices():
    with pytest.raises(ym.InputError) as caught:
        core_stats.proportion_interval(np.array([1]), np.array([2]), 0.95, "exact")
    assert str(caught.value) == ("unknown interval method 'exact'; use wilson, clopper_pearson, "
                                 "jeffreys, agresti_coull or wald")
    # Names, numbers and values of the bound enum are all accepted.
    by_name = core_stats.proportion_interval(np.array([1]), np.array([2]), 0.95, "jeffreys")
    by_value = core_stats.proportion_interval(np.array([1]), np.array([2]), 0.95,
                                              core_stats.IntervalMethod.jeffreys)
    by_number = core_stats.proportion_interval(np.array([1]), np.array([2]), 0.95,
                                               int(core_stats.IntervalMethod.jeffreys))
    assert by_name == by_value == by_number


def test_python_choices_are_the_bound_enum():
    assert ym.stats.METHODS == tuple(core_stats.IntervalMethod.__members__)
    from yosmodel._core import disclosure as core_disclosure
    assert ym.disclosure.RULES[:-1] == tuple(
        n for n in core_disclosure.Suppression.__members__ if n != "published")
    from yosmodel.cli import build_parser
    rates = build_parser()._subparsers._group_actions[0].choices["rates"]
    method = next(a for a in rates._actions if a.dest == "method")
    assert tuple(method.choices) == ym.stats.METHODS


SECRET = "Z9-SECRET-PERSON-ID"
COHORT = pd.DataFrame({"sex": ["F", "M", "M"], "reoffences": [0, 1, 3]})

WRONG_CALLS = [
    lambda: ym.reoffending_rates(COHORT, by="sex", method=3),
    lambda: ym.reoffending_rates(COHORT, by="sex", method=SECRET),
    lambda: ym.reoffending_rates(COHORT, by="sex", level="high"),
    lambda: ym.reoffending_rates(COHORT, by="sex", threads="many"),
    lambda: ym.reoffending_rates(COHORT, by=[("sex", SECRET)]),
    lambda: ym.proportion_interval([SECRET], [10]),
    lambda: ym.proportion_interval(3, 10, method=None),
    lambda: ym.difference_interval(3, 10, 4, 10, level=None),
    lambda: ym.PartialTable([1]).finalize(level="x"),
    lambda: ym.suppress(pd.DataFrame({"g": ["a"], "offenders": [SECRET]}), "g",
                        counts=["offenders"]),
]


@pytest.mark.parametrize("call", WRONG_CALLS)
def test_a_wrong_type_gives_a_clean_message(call):
    with pytest.raises(Exception) as caught:
        call()
    message = str(caught.value)
    assert isinstance(caught.value, (ValueError, TypeError))
    assert "incompatible function arguments" not in message
    assert "Invoked with" not in message
    assert "Z9-SECRET" not in message.replace("'Z9-SECRET-PERSON-ID'", "") or "unknown" in message


def test_the_last_resort_names_the_signature_not_the_values():
    # A call the Python layer should never make: pybind11 would list the arguments' values.
    ids = np.array([770011, 770012, 770013])
    with pytest.raises(ym.DtypeError) as caught:
        core_reoffending.aggregate([("person", ids.tolist(), 2)], ("reoffences", ids))
    message = str(caught.value)
    assert message.startswith("arguments of the wrong type for aggregate(keys: ")
    assert "7700" not in message and "Invoked with" not in message
    with pytest.raises(ym.DtypeError, match="proportion_interval"):
        core_stats.proportion_interval(np.array([1]), np.array([2]), "high", "wilson")


PACKAGE = Path(ym.__file__).parent


def test_the_python_layer_raises_the_hierarchy_not_bare_builtins():
    # `except ym.YosmodelError` must catch every mistake the Python layer refuses, as errors.md
    # says; a bare ValueError, TypeError or KeyError made by the package escapes it.
    bare = re.compile(r"\b(?:raise|return|raise_alone\()\s*"
                      r"(?:ValueError|TypeError|KeyError)\(f?[\"']")
    found = [f"{path.relative_to(PACKAGE)}:{number}"
             for path in sorted(PACKAGE.rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1)
             if bare.search(line)]
    assert found == []


def _cohort_inputs():
    disposals = pd.DataFrame({"person_id": ["a"], "date": ["2016-01-01"], "kind": ["caution"]})
    offences = pd.DataFrame({"person_id": ["a"], "offence_date": ["2016-02-01"],
                             "proven_date": ["2016-03-01"]})
    return disposals, offences


PERIOD = ("2015-10-01", "2016-09-30")
CALLER_MISTAKES = {
    "threads=0": lambda d, o: ym.build_cohort(d, o, *PERIOD, threads=0),
    "negative months": lambda d, o: ym.build_cohort(d, o, *PERIOD, follow_up_months=-1),
    "strict='yes'": lambda d, o: ym.build_cohort(d, o, *PERIOD, strict="yes"),
    "unknown qualifying kind": lambda d, o: ym.build_cohort(d, o, *PERIOD, qualifying=["foo"]),
    "dd/mm dates with no layout": lambda d, o: ym.build_cohort(d.assign(date=["01/01/2016"]), o,
                                                               *PERIOD),
    "yyyymmdd numbers": lambda d, o: ym.build_cohort(d.assign(date=[20160101]), o, *PERIOD),
    "a table that is not one": lambda d, o: ym.build_cohort(5, o, *PERIOD),
    "a missing column": lambda d, o: ym.build_cohort(d.drop(columns="kind"), o, *PERIOD),
    "rates threads=0": lambda d, o: ym.reoffending_rates(pd.DataFrame({"reoffences": [1]}),
                                                         threads=0),
    "suppress threshold=True": lambda d, o: ym.suppress(
        pd.DataFrame({"sex": ["f"], "people": [1]}), by="sex", threshold=True),
    "cohort_periods months=-3": lambda d, o: ym.cohort_periods("2015-01-01", "2016-12-31",
                                                               months=-3),
}


@pytest.mark.parametrize("mistake", sorted(CALLER_MISTAKES))
def test_a_callers_mistake_is_a_yosmodel_error(mistake):
    with pytest.raises(ym.YosmodelError):
        CALLER_MISTAKES[mistake](*_cohort_inputs())


def test_a_missing_column_is_not_found_and_still_a_key_error_with_a_plain_message():
    disposals, offences = _cohort_inputs()
    with pytest.raises(ym.NotFoundError) as caught:
        ym.build_cohort(disposals.drop(columns="kind"), offences, *PERIOD)
    assert isinstance(caught.value, KeyError)
    assert str(caught.value).startswith("disposal column 'kind'")  # no quotes around it


def test_a_category_held_only_by_participants_is_separation():
    # Checked before the fit (evaluation.md), and refused as the fit's own refusal would be.
    programme = ym.datasets.synthetic_programme(seed=1)
    treated = programme["treated"].to_numpy(bool)
    group = np.where(treated, "a", "b").astype(object)
    group[np.flatnonzero(~treated)[:5]] = "a"  # both groups in "a" ...
    group[np.flatnonzero(treated)[:3]] = "c"  # ... and "c" is participants alone
    with pytest.raises(ym.SeparationError, match="separation"):
        ym.evaluate_intervention(programme.assign(group=group), treated="treated",
                                 covariates=["age", "group"])
