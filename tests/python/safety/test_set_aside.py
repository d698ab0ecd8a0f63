"""Records set aside are never silent: each rule is counted, raised as a
yosmodel.RecordsSetAsideWarning naming the rule and the count, and a rule that sets aside more
than max_set_aside of a table fails the call unless the caller raises the limit."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import yosmodel as ym


def clean(n: int = 400):
    d = pd.DataFrame({"person_id": [f"p{i}" for i in range(n)],
                      "date": pd.Timestamp("2016-02-01") + pd.to_timedelta(np.arange(n) % 200,
                                                                          unit="D"),
                      "kind": "caution"})
    o = pd.DataFrame({"person_id": [f"p{i}" for i in range(n)],
                      "offence_date": pd.Timestamp("2016-09-01"),
                      "proven_date": pd.Timestamp("2016-10-01"), "counts": True})
    return d, o


def spoil(rule: str, rows: int, d: pd.DataFrame, o: pd.DataFrame):
    d, o = d.copy(), o.copy()
    d["date"] = d["date"].astype(object)
    o["offence_date"] = o["offence_date"].astype(object)
    if rule == "disposals.missing_date":
        d.loc[: rows - 1, "date"] = None
    elif rule == "disposals.unparseable_date":
        d.loc[: rows - 1, "date"] = "not recorded"
    elif rule == "disposals.unknown_kind":
        d.loc[: rows - 1, "kind"] = "Reprimand"
    elif rule == "disposals.implausible_date":
        d.loc[: rows - 1, "date"] = pd.Timestamp("1850-01-01")
    elif rule == "disposals.duplicate_rows":
        d = pd.concat([d, d.iloc[:rows]], ignore_index=True)
    elif rule == "disposals.missing_person_id":
        d.loc[: rows - 1, "person_id"] = None
    elif rule == "offences.proven_before_committed":
        o.loc[: rows - 1, "offence_date"] = pd.Timestamp("2016-12-01")
    elif rule == "offences.missing_offence_date":
        o.loc[: rows - 1, "offence_date"] = None
    elif rule == "offences.duplicate_rows":
        o = pd.concat([o, o.iloc[:rows]], ignore_index=True)
    elif rule == "offences.invalid_counts_flag":
        o["counts"] = o["counts"].astype(object)
        o.loc[: rows - 1, "counts"] = "maybe"
    return d, o


RULES = ["disposals.missing_date", "disposals.unparseable_date", "disposals.unknown_kind",
         "disposals.implausible_date", "disposals.duplicate_rows", "disposals.missing_person_id",
         "offences.proven_before_committed", "offences.missing_offence_date",
         "offences.duplicate_rows", "offences.invalid_counts_flag"]


def set_aside_warnings(caught):
    return [str(w.message) for w in caught if issubclass(w.category, ym.RecordsSetAsideWarning)]


def test_the_warning_class_is_a_user_warning():
    assert issubclass(ym.RecordsSetAsideWarning, UserWarning)


def test_clean_records_raise_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error", ym.RecordsSetAsideWarning)
        cohort = ym.build_cohort(*clean(), "2016-01-01", "2016-12-31")
    assert len(cohort) == 400


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_warns_with_its_name_and_count(rule):
    d, o = spoil(rule, 3, *clean())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    texts = set_aside_warnings(caught)
    table, name = rule.split(".")
    assert any(name.replace("_", " ") in t or name in t for t in texts), texts
    assert any("3" in t and table in t for t in texts), texts


@pytest.mark.parametrize("rule", RULES)
def test_a_rule_above_the_limit_fails_unless_the_limit_is_raised(rule):
    d, o = spoil(rule, 20, *clean())        # 20 of 400 rows: 5%, above the default 1%
    with pytest.raises(ValueError) as error:
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    message = str(error.value)
    assert rule.split(".")[1] in message.replace(" ", "_") and "20" in message
    assert "max_set_aside" in message
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", max_set_aside=0.1)
    assert set_aside_warnings(caught)


def test_a_rule_at_or_below_the_limit_only_warns():
    d, o = spoil("disposals.unknown_kind", 4, *clean())     # 1%: at the limit
    with pytest.warns(ym.RecordsSetAsideWarning, match="unknown"):
        cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert len(cohort) == 396


def test_max_set_aside_is_validated():
    for bad in (-0.1, 1.5, "1%", None):
        with pytest.raises((TypeError, ValueError), match="max_set_aside must be a share"):
            ym.build_cohort(*clean(), "2016-01-01", "2016-12-31", max_set_aside=bad)


def test_strict_still_raises_on_any_set_aside_record():
    d, o = spoil("disposals.duplicate_rows", 1, *clean())
    with pytest.raises(ValueError, match="strict"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", strict=True)
    ym.build_cohort(*clean(), "2016-01-01", "2016-12-31", strict=True)


def test_warning_messages_carry_counts_not_identifiers():
    d, o = spoil("disposals.missing_date", 2, *clean())
    d.loc[0, "person_id"] = "SECRET-ID-4471"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert set_aside_warnings(caught)
    assert not any("SECRET" in t or "4471" in t for t in set_aside_warnings(caught))
