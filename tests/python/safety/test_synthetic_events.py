"""ym.datasets.synthetic_events: labelled synthetic records in a case-management shape that
build a cohort as real exports do (own vocabulary, optionally UK dates)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
import yosmodel as ym

from .reference_cohort import comparable, reference_cohort


def test_shape_labels_and_reproducibility():
    d, o = ym.datasets.synthetic_events(300, seed=4)
    assert list(d.columns) == ["person_id", "date", "kind", "yjs", "sex", "date_of_birth"]
    assert list(o.columns) == ["person_id", "offence_date", "proven_date", "counts"]
    assert d.attrs["synthetic"] is True and "SYNTHETIC" in o.attrs["source"]
    assert d["person_id"].nunique() == 300
    again = ym.datasets.synthetic_events(300, seed=4)
    pd.testing.assert_frame_equal(d, again[0])
    pd.testing.assert_frame_equal(o, again[1])
    other = ym.datasets.synthetic_events(300, seed=5)[0]
    assert not d["date"].equals(other["date"])
    assert (o["proven_date"] >= o["offence_date"]).all()
    assert set(d["kind"]) <= {"caution", "court_conviction", "custody_sentence",
                              "custody_release"}


def test_case_management_vocabulary_and_uk_dates():
    d, o = ym.datasets.synthetic_events(300, seed=4, vocabulary="case_management",
                                        uk_dates=True)
    assert {"Youth Caution", "Referral Order"} <= set(d["kind"])
    assert d["date"].str.fullmatch(r"\d\d/\d\d/\d{4}").all()
    assert o["offence_date"].str.fullmatch(r"\d\d/\d\d/\d{4}").all()


def test_every_vocabulary_builds_the_same_cohort():
    plain = ym.build_cohort(*ym.datasets.synthetic_events(2000, seed=1), "2016-01-01",
                            "2016-12-31")
    d, o = ym.datasets.synthetic_events(2000, seed=1, vocabulary="case_management",
                                        uk_dates=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ym.RecordsSetAsideWarning)  # nothing is set aside
        uk = ym.build_cohort(d, o, "01/01/2016", "31/12/2016", dayfirst=True)
    pd.testing.assert_frame_equal(comparable(plain), comparable(uk))
    ref = reference_cohort(d, o, "2016-01-01", "2016-12-31")
    pd.testing.assert_frame_equal(comparable(uk), comparable(ref))


def test_rates_are_near_the_published_youth_figures():
    cohort = ym.build_cohort(*ym.datasets.synthetic_events(20_000, seed=0), "2016-01-01",
                             "2016-12-31")
    juveniles = cohort[cohort["juvenile"].fillna(False).astype(bool)]
    assert 0.6 < len(juveniles) / len(cohort) < 0.95
    assert 0.30 < juveniles["reoffended"].mean() < 0.45


def test_bad_arguments():
    with pytest.raises(ValueError, match="n_people"):
        ym.datasets.synthetic_events(-1)
    with pytest.raises(ValueError, match="vocabulary"):
        ym.datasets.synthetic_events(10, vocabulary="Youth")
