"""The sentinel test extended to issue 11's cases: a recognisable identifier and value pushed
through every new error path, every set-aside warning and every command of the command line,
and looked for in every message, warning and output."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

from .conftest import run_cli

PERSON = "SENTINEL-PERSON-8842"
NUMBER = 9_223_372_036_854_775_901          # a uint64 id above 2**63
VALUE = 987654
SENTINELS = (PERSON, "8842", str(VALUE), "987,654", str(NUMBER), "9223372036854775901")


def events(**changes):
    d = {"person_id": [PERSON, "P2", "P3"], "date": ["2016-02-01", "2016-03-01", "2016-04-01"],
         "kind": ["caution", "Referral Order", "youth caution"]}
    o = {"person_id": [PERSON, "P2"], "offence_date": ["2016-05-01", "2016-06-01"],
         "proven_date": ["2016-06-01", "2016-07-01"], "counts": [True, True]}
    for key, value in changes.items():
        table, column = key.split("__")
        (d if table == "d" else o)[column] = value
    return pd.DataFrame(d), pd.DataFrame(o)


def cohort(**changes):
    base = {"person_id": [PERSON, "P2", "P3"] * 10, "yjs": ["S1", "S2", "S2"] * 10,
            "reoffences": [VALUE % 7, 0, 1] * 10, "previous": [VALUE % 5, 1, 2] * 10,
            "treated": [1, 0, 0] * 10, "age": [15, 16, 17] * 10}
    base.update(changes)
    return pd.DataFrame(base)


def build(*tables, **options):
    return ym.build_cohort(*tables, "2016-01-01", "2016-12-31", **options)


U64 = np.array([NUMBER, NUMBER + 1, NUMBER + 2], dtype=np.uint64)

CASES = {
    "uk dates without a layout": lambda: build(*events(d__date=["01/02/2016"] * 3)),
    "uk offence dates without a layout": lambda: build(*events(
        o__offence_date=["01/05/2016", "01/06/2016"])),
    "integer dates": lambda: build(*events(d__date=[VALUE, VALUE, VALUE])),
    "integer period": lambda: ym.build_cohort(*events(), VALUE, "2016-12-31"),
    "period past the format": lambda: ym.build_cohort(*events(), "2016-01-01", "31/12/2016",
                                                      date_format="%Y-%m-%d"),
    "unparseable dates warn": lambda: build(*events(d__date=[PERSON, "2016-03-01", None]),
                                            max_set_aside=1.0),
    "unknown kinds warn": lambda: build(*events(d__kind=["Final Warning", "caution", "x"]),
                                        max_set_aside=1.0),
    "unknown kinds fail": lambda: build(*events(d__kind=["Final Warning", "caution", "x"])),
    "strict": lambda: build(*events(o__proven_date=["2016-04-01", "2016-07-01"]), strict=True),
    "bad kinds mapping": lambda: build(*events(), kinds={"caution": "cuation"}),
    "bad max_set_aside": lambda: build(*events(), max_set_aside=VALUE),
    "uint64 ids strict": lambda: build(*events(d__person_id=U64, o__person_id=U64[:2],
                                               o__proven_date=["2016-04-01", "2016-07-01"]),
                                       strict=True),
    "uint64 ids warn": lambda: build(*events(d__person_id=U64, o__person_id=U64[:2],
                                             o__proven_date=["2016-04-01", "2016-07-01"]),
                                     max_set_aside=1.0),
    "huge threads": lambda: ym.reoffending_rates(cohort(), by="yjs", threads=2**32),
    "huge threads 2**64": lambda: ym.reoffending_rates(cohort(), by="yjs", threads=2**64),
    "huge follow-up": lambda: build(*events(), follow_up_months=2**31),
    "huge waiting": lambda: build(*events(), waiting_months=2**63),
    "huge threshold": lambda: ym.suppress(
        ym.reoffending_rates(cohort(), by="yjs", margins=True), by="yjs", threshold=2**64),
    "huge evaluation threads": lambda: ym.evaluate_intervention(
        cohort(), "treated", ["age"], outcomes=["reoffences"], time_outcome=None,
        threads=2**32),
    "not a table": lambda: ym.reoffending_rates([PERSON, VALUE], by="yjs"),
    "compare suppressed": lambda: ym.compare_rates(ym.suppress(pd.DataFrame(
        {"yjs": [PERSON, "S2", "All"], "offenders": [40, 40, 80], "reoffenders": [5, 20, 25]}),
        by="yjs"), {"offenders": VALUE, "reoffenders": 3}),
    "bad comparator rate": lambda: ym.compare_rates(cohort().iloc[:0].assign(
        offenders=[], reoffenders=[]), VALUE),
    "merge overflow": lambda: _overflow(),
    "huge reoffences warn": lambda: ym.reoffending_rates(
        cohort(reoffences=[VALUE, 0, 1] * 10), by="yjs", max_set_aside=1.0),
    "huge reoffences fail": lambda: ym.reoffending_rates(
        cohort(reoffences=[VALUE, 0, 1] * 10), by="yjs", previous_offences="previous"),
    "huge reoffences partial": lambda: ym.reoffending_partial(
        cohort(reoffences=[VALUE, 0, 1] * 10), by="yjs"),
    "bad max_reoffences": lambda: ym.reoffending_rates(cohort(), by="yjs",
                                                       max_reoffences=NUMBER),
}


def _overflow():
    table, _ = ym.reoffending_partial(pd.DataFrame({"yjs": pd.Categorical(["S1"]),
                                                    "reoffences": [1]}), by="yjs")
    for _ in range(70):
        table = table + table


def messages(error):
    out, seen = [], set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        out += [str(error), repr(error), *map(str, error.args)]
        out += list(getattr(error, "__notes__", []))
        error = error.__cause__ or error.__context__
    return out


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_sentinel_in_errors_or_warnings(name):
    error = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            CASES[name]()
        except Exception as e:  # noqa: BLE001 - every error path is under test
            error = e
    texts = messages(error) + [str(w.message) for w in caught]
    assert texts, f"{name}: expected an error or a warning"
    for text in texts:
        assert "Invoked with" not in text and "incompatible function arguments" not in text
        for sentinel in SENTINELS:
            assert sentinel not in text, f"{name}: {text!r}"


def _files(tmp_path):
    d, o = events(d__date=["01/02/2016", "01/03/2016", "bad"], d__kind=[
        "caution", "Final Warning", "Referral Order"])
    d.to_csv(tmp_path / "d.csv", index=False)
    o.assign(offence_date=["01/05/2016", "01/06/2016"],
             proven_date=["01/04/2016", "01/07/2016"]).to_csv(tmp_path / "o.csv", index=False)
    cohort(reoffences=[VALUE, 0, 1] * 10).to_csv(tmp_path / "c.csv", index=False)
    (tmp_path / "ragged.csv").write_text(
        f"person_id,yjs,reoffences\n{PERSON},S1,1\nP2,S2,{VALUE},{PERSON}\n")
    return tmp_path


COMMANDS = {
    "cohort no layout": ["cohort", "d.csv", "o.csv", "--period", "2016-01-01", "2016-12-31"],
    "cohort dayfirst": ["cohort", "d.csv", "o.csv", "--period", "2016-01-01", "2016-12-31",
                        "--dayfirst"],
    "cohort allowed": ["cohort", "d.csv", "o.csv", "--period", "2016-01-01", "2016-12-31",
                       "--dayfirst", "--max-set-aside", "1"],
    "cohort strict": ["cohort", "d.csv", "o.csv", "--period", "2016-01-01", "2016-12-31",
                      "--dayfirst", "--strict"],
    "cohort huge threads": ["cohort", "d.csv", "o.csv", "--period", "2016-01-01", "2016-12-31",
                            "--threads", str(2**32)],
    "cohort overwrite": ["cohort", "d.csv", "o.csv", "--period", "2016-01-01", "2016-12-31",
                         "--dayfirst", "--max-set-aside", "1", "--out", "o.csv"],
    "rates huge reoffences": ["rates", "c.csv", "--by", "yjs"],
    "rates huge reoffences allowed": ["rates", "c.csv", "--by", "yjs", "--max-set-aside", "1"],
    "rates huge threads": ["rates", "c.csv", "--by", "yjs", "--threads", str(2**64)],
    "rates huge threshold": ["rates", "c.csv", "--by", "yjs", "--threshold", str(2**64)],
    "rates ragged": ["rates", "ragged.csv", "--by", "yjs"],
    "rates overwrite": ["rates", "c.csv", "--by", "yjs", "--out", "c.csv"],
}


# "rates huge reoffences": ten children with the same implausible count (987,654 reoffences
# each) would form a group whose mean prints the count; the max_reoffences rule sets them aside
# and, at 10 of 30 rows, fails the call naming the rule and the count.
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_no_sentinel_in_any_command_output(tmp_path, name):
    _files(tmp_path)
    result = run_cli(*COMMANDS[name], cwd=tmp_path)
    assert "Traceback" not in result.stderr
    for text in (result.stdout, result.stderr):
        assert "Invoked with" not in text
        for sentinel in SENTINELS:
            assert sentinel not in text, f"{name}: {text!r}"
