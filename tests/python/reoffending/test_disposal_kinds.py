"""One list of disposal kinds: the bound C++ enum DisposalKind. The Python names, the qualifying
default and the published alias table derive from it, and every alias names one of its kinds."""

from __future__ import annotations

import pandas as pd
import pytest

import yosmodel as ym
from yosmodel._core import reoffending as core
from yosmodel._utils import kinds

# Written out by hand from the definition (docs/methodology.md, docs/cohort.md), to compare the
# derived lists with something that is not derived.
PUBLISHED_QUALIFYING = {"custody_release", "court_conviction", "caution"}
ALL_KINDS = {"custody_release", "court_conviction", "caution", "custody_sentence", "remand",
             "community_resolution", "other"}


def test_the_kinds_are_the_enums_in_its_order():
    names = tuple(core.DisposalKind.__members__)
    assert set(names) == ALL_KINDS
    assert kinds.KINDS == names
    assert [int(core.DisposalKind.__members__[n]) for n in names] == list(range(len(names)))
    assert tuple(ym.disposal_kinds()["kind"]) == names


def test_the_qualifying_default_is_the_cores_published_rule():
    assert {k for k in kinds.KINDS if core.qualifies_for_cohort(k)} == PUBLISHED_QUALIFYING
    assert set(kinds.QUALIFYING) == PUBLISHED_QUALIFYING
    assert set(kinds.OTHER_KINDS) == ALL_KINDS - PUBLISHED_QUALIFYING
    assert ym.reoffending.cohort.QUALIFYING == kinds.QUALIFYING
    table = ym.disposal_kinds()
    assert set(table.loc[table["qualifies"], "kind"]) == PUBLISHED_QUALIFYING


def test_every_alias_target_is_a_kind_of_the_enum():
    assert set(kinds.ALIASES) <= set(core.DisposalKind.__members__)
    # No word is read as two kinds, and a word that spells a kind's code means that kind.
    target = {}
    for kind, words in kinds.ALIASES.items():
        for word in words:
            assert target.setdefault(kinds.normal(word), kind) == kind, word
    for kind in kinds.KINDS:
        assert target.get(kinds.normal(kind), kind) == kind


def test_the_enum_takes_names_and_refuses_others_naming_the_kinds():
    assert core.qualifies_for_cohort("caution") is True
    assert core.qualifies_for_cohort(core.DisposalKind.remand) is False
    with pytest.raises(ym.InputError, match="unknown disposal kind 'cuation'; use "
                                            "custody_release, court_conviction, caution"):
        core.qualifies_for_cohort("cuation")


def test_build_cohort_with_the_defaults_applies_the_published_rule():
    # One person per kind, each with a disposal in the period: the qualifying three are the
    # cohort, each with its own index kind; the definition records the default.
    names = list(kinds.KINDS)
    d = pd.DataFrame({"person_id": [f"p{i}" for i in range(len(names))],
                      "date": "2016-03-01", "kind": names})
    o = pd.DataFrame({"person_id": ["p0"], "offence_date": ["2016-05-01"],
                      "proven_date": ["2016-06-01"], "counts": [True]})
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31")
    assert set(cohort["index_kind"].astype(str)) == PUBLISHED_QUALIFYING
    assert set(cohort.attrs["definition"]["qualifying"]) == PUBLISHED_QUALIFYING
    assert cohort.attrs["diagnostics"]["disposals"]["unknown_kind"] == 0


def test_a_listed_kind_that_is_no_kind_and_in_no_row_is_refused_as_a_typo():
    d = pd.DataFrame({"person_id": [1, 2], "date": ["2016-02-01", "2016-03-01"],
                      "kind": ["caution", "Reprimand"]})
    o = pd.DataFrame({"person_id": [1], "offence_date": ["2016-03-01"],
                      "proven_date": ["2016-04-01"]})
    with pytest.raises(ValueError, match="qualifying names 'cautoin'.*did you mean 'caution'"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", qualifying=["cautoin"])
    # a word of the data's own is a kind the caller may list
    cohort = ym.build_cohort(d, o, "2016-01-01", "2016-12-31",
                             qualifying=["caution", "reprimand"])
    assert len(cohort) == 2
    with pytest.raises(TypeError, match="strict must be True or False"):
        ym.build_cohort(d, o, "2016-01-01", "2016-12-31", strict="no")
    records = d.assign(date=pd.to_datetime(d["date"]),
                       date_of_birth=pd.to_datetime(["2001-01-01"] * 2))
    with pytest.raises(ValueError, match="outcome_kinds names 'cautoin'"):
        ym.first_time_entrants(records, 2016, outcome_kinds=["cautoin"])
    with pytest.raises(ValueError, match="custody_kinds names 'custdy'"):
        ym.use_of_custody(records, 2016, custody_kinds=["custdy"])


def test_a_kind_list_given_as_one_string_is_one_kind_in_the_measures():
    records = pd.DataFrame({"person_id": ["a", "b"], "kind": ["caution", "custody_sentence"],
                            "date": pd.to_datetime(["2015-06-01"] * 2),
                            "date_of_birth": pd.to_datetime(["2001-01-01"] * 2)})
    # its letters were the kinds: 'c', 'a', 'u', ...
    fte = ym.first_time_entrants(records, 2015, outcome_kinds="caution",
                                 history_start="2000-01-01")
    assert fte["first_time_entrants"].tolist() == [1]
    custody = ym.use_of_custody(records, 2015, custody_kinds="custody_sentence")
    assert custody["custodial_sentences"].tolist() == [1]
