"""No identifier or value from the data comes back in an error message or a warning: feed
recognisable sentinels through every error path we can reach and look for them in the text.
Other areas add their error paths to CASES."""

import warnings

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

PERSON = "SENTINEL-PERSON-8842"
VALUE = 987654
SENTINELS = (PERSON, "8842", str(VALUE), "987,654", "9.87654")
KEY = "SENTINEL-KEY-8842-secret-value"


def cohort(**columns) -> pd.DataFrame:
    base = {"person_id": [PERSON, PERSON + "-B", "P3"], "yjs": [PERSON, "S2", "S2"],
            "reoffences": [VALUE, 0, 1], "previous": [VALUE, 1, 2]}
    base.update(columns)
    return pd.DataFrame(base)


def table(**columns) -> pd.DataFrame:
    base = {"yjs": [PERSON, "S2", "All"], "offenders": [VALUE, 20, VALUE + 20],
            "reoffenders": [3, 10, 13], "reoffences": [VALUE, 30, VALUE + 30]}
    base.update(columns)
    return pd.DataFrame(base)


CASES = {
    # reoffending_rates
    "missing key": lambda: ym.reoffending_rates(cohort(yjs=[PERSON, None, "S2"]), by="yjs"),
    "missing categorical key": lambda: ym.reoffending_rates(
        cohort(yjs=pd.Categorical([PERSON, None, "S2"])), by="yjs"),
    "negative reoffences": lambda: ym.reoffending_rates(cohort(reoffences=[-VALUE, 0, 1]),
                                                        by="yjs"),
    "missing reoffences": lambda: ym.reoffending_rates(cohort(reoffences=[np.nan, 0, 1]),
                                                       by="yjs"),
    "fractional reoffences": lambda: ym.reoffending_rates(
        cohort(reoffences=[VALUE + 0.5, 0, 1]), by="yjs"),
    "huge reoffences": lambda: ym.reoffending_rates(cohort(reoffences=[VALUE * 1e9, 0, 1]),
                                                    by="yjs"),
    "text reoffences": lambda: ym.reoffending_rates(cohort(reoffences=[PERSON, "0", "1"]),
                                                    by="yjs"),
    "negative previous": lambda: ym.reoffending_rates(cohort(previous=[-VALUE, 0, 1]),
                                                      previous_offences="previous"),
    "unknown column": lambda: ym.reoffending_rates(cohort(), by="district"),
    "ragged dict": lambda: ym.reoffending_rates(
        {"yjs": np.array([PERSON, "S2"]), "reoffences": np.array([VALUE])}, by="yjs"),
    "bad threads": lambda: ym.reoffending_rates(cohort(), by="yjs", threads=-VALUE),
    "margins name clash": lambda: ym.reoffending_rates(cohort(yjs=["All", "S2", "S2"]),
                                                       by="yjs", margins=True),
    "partial from bytes": lambda: ym.PartialTable.from_bytes(PERSON.encode() * 3),
    # intervals and tests
    "successes above trials": lambda: ym.proportion_interval(VALUE, 3),
    "negative trials": lambda: ym.proportion_interval(3, -VALUE),
    "nan successes": lambda: ym.proportion_interval([np.nan, VALUE], [VALUE, VALUE]),
    "fractional successes": lambda: ym.proportion_interval(VALUE + 0.5, VALUE * 2),
    "text successes": lambda: ym.proportion_interval([PERSON], [VALUE]),
    "shapes": lambda: ym.proportion_interval([VALUE, 1], [VALUE, 2, 3]),
    "bad level": lambda: ym.proportion_interval(1, VALUE, level=1.5),
    "difference negative": lambda: ym.difference_interval(-VALUE, 10, 3, 10),
    "undefined z-test": lambda: ym.two_proportion_ztest(0, VALUE, 0, VALUE),
    # suppression
    "suppress negative": lambda: ym.suppress(table(offenders=[-VALUE, 20, 20]), by="yjs"),
    "suppress missing count": lambda: ym.suppress(table(offenders=[np.nan, 20.0, VALUE]),
                                                  by="yjs"),
    "suppress fractional": lambda: ym.suppress(table(offenders=[VALUE + 0.5, 20, 30]), by="yjs"),
    "suppress text count": lambda: ym.suppress(table(offenders=[PERSON, "20", "30"]), by="yjs"),
    "suppress missing key": lambda: ym.suppress(table(yjs=[PERSON, None, "All"]), by="yjs"),
    "suppress repeated key": lambda: ym.suppress(table(yjs=[PERSON, PERSON, "All"]), by="yjs"),
    "suppress small threshold": lambda: ym.suppress(table(), by="yjs", threshold=5),
    "suppress unknown derived": lambda: ym.suppress(table(), by="yjs",
                                                    derived={"rate": ["offenders", "yjs"]}),
    "suppress twice": lambda: ym.suppress(ym.suppress(table(), by="yjs"), by="yjs"),
    "publish unsuppressed": lambda: ym.to_published(table()),
    "policy symbol": lambda: ym.Disclosure(symbol=VALUE),
    "policy threshold type": lambda: ym.disclosure.resolve({"threshold": PERSON}),
    "policy small threshold": lambda: ym.disclosure.apply_default(table(), "yjs", {"threshold": 3}),
    # pseudonymisation
    "pseudonymise missing id": lambda: ym.pseudonymise(pd.Series([PERSON, None]), KEY),
    "pseudonymise float ids": lambda: ym.pseudonymise(pd.Series([float(VALUE)]), KEY),
    "pseudonymise odd ids": lambda: ym.pseudonymise(pd.Series([PERSON, 1.5]), KEY),
    "pseudonymise short key": lambda: ym.pseudonymise(pd.Series([PERSON]), "8842"),
    "pseudonymise empty key": lambda: ym.pseudonymise(pd.Series([PERSON]), b""),
    "pseudonymise key type": lambda: ym.pseudonymise(pd.Series([PERSON]), VALUE),
}


def messages(error: BaseException | None) -> list[str]:
    out = []
    seen = set()
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
        for sentinel in SENTINELS + (KEY,):
            assert sentinel not in text, f"{name}: {text!r}"
