"""The fixture records, exported the way case-management systems do, give their known answer:
the hand-worked one in expected_cohort.csv and the independent pandas reference."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
import yosmodel as ym

from .conftest import PERIOD, UK_PERIOD, fixture, read_raw
from .reference_cohort import comparable, reference_cohort

MAPPING = {"Final Warning": "caution"}


def expected() -> pd.DataFrame:
    frame = pd.read_csv(fixture("expected_cohort.csv"), keep_default_na=False,
                        na_values=[""])
    return frame


def build(disposals, offences, **options):
    options = {"dayfirst": True, "kinds": MAPPING, "max_set_aside": 0.5, **options}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ym.RecordsSetAsideWarning)
        return ym.build_cohort(disposals, offences, *UK_PERIOD, **options)


def test_uk_export_gives_the_hand_worked_answer():
    cohort = build(read_raw("disposals_uk.csv"), read_raw("offences_uk.csv"))
    want = expected()
    assert cohort["person_id"].tolist() == want["person_id"].tolist()
    assert cohort["index_kind"].astype(str).tolist() == want["index_kind"].tolist()
    got = comparable(cohort)
    assert got["index_date"].tolist() == want["index_date"].tolist()
    assert got["follow_up_end"].tolist() == want["follow_up_end"].tolist()
    assert got["waiting_end"].tolist() == want["waiting_end"].tolist()
    assert got["reoffences"].tolist() == want["reoffences"].tolist()
    assert got["days_to_first_reoffence"].tolist() == \
        want["days_to_first_reoffence"].fillna(-1).astype(int).tolist()
    assert got["previous_offences"].tolist() == want["previous_offences"].tolist()
    assert cohort["age_at_index"].tolist() == want["age_at_index"].tolist()
    assert cohort["juvenile"].tolist() == want["juvenile"].tolist()
    assert cohort["yjs"].tolist() == want["yjs"].tolist()  # carried exactly as exported


def test_uk_export_agrees_with_the_independent_reference():
    d, o = read_raw("disposals_uk.csv"), read_raw("offences_uk.csv")
    got = comparable(build(d, o))
    ref = comparable(reference_cohort(d, o, *PERIOD, kinds=MAPPING))
    pd.testing.assert_frame_equal(got, ref)


def test_uk_export_agrees_with_the_iso_version_of_the_same_records():
    uk = build(read_raw("disposals_uk.csv"), read_raw("offences_uk.csv"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ym.RecordsSetAsideWarning)
        iso = ym.build_cohort(pd.read_csv(fixture("disposals_iso.csv")),
                              pd.read_csv(fixture("offences_iso.csv")), *PERIOD,
                              max_set_aside=0.5)
    pd.testing.assert_frame_equal(comparable(uk), comparable(iso))


def test_uk_export_counts_what_it_set_aside():
    cohort = build(read_raw("disposals_uk.csv"), read_raw("offences_uk.csv"))
    disposals = cohort.attrs["diagnostics"]["disposals"]
    offences = cohort.attrs["diagnostics"]["offences"]
    assert (disposals["rows"], disposals["missing_date"], disposals["duplicate_rows"],
            disposals["unknown_kind"]) == (12, 1, 1, 0)
    assert (offences["rows"], offences["duplicate_rows"], offences["proven_before_committed"],
            offences["not_counting"]) == (11, 1, 1, 1)


def test_unmapped_kind_is_set_aside_and_named():
    with pytest.warns(ym.RecordsSetAsideWarning) as caught:
        cohort = ym.build_cohort(read_raw("disposals_uk.csv"), read_raw("offences_uk.csv"),
                                 *UK_PERIOD, dayfirst=True, max_set_aside=0.5)
    assert "P08" not in cohort["person_id"].tolist()
    assert len(cohort) == 5
    text = " ".join(str(w.message) for w in caught)
    assert "unknown" in text and "Final Warning" in text and "kinds=" in text


def test_the_files_themselves_are_accepted_as_paths():
    cohort = build(str(fixture("disposals_uk.csv")), fixture("offences_uk.csv"))
    assert cohort["person_id"].tolist() == expected()["person_id"].tolist()
    assert comparable(cohort)["reoffences"].tolist() == expected()["reoffences"].tolist()


def test_without_a_stated_layout_uk_dates_are_refused_not_misread():
    with pytest.raises(ValueError) as error:
        ym.build_cohort(read_raw("disposals_uk.csv"), read_raw("offences_uk.csv"), *PERIOD,
                        kinds=MAPPING, max_set_aside=0.5)
    message = str(error.value)
    assert "date" in message and "dayfirst=True" in message and "date_format" in message
    assert "05/01/2016" not in message
