"""Person ids of numbers in one table and text in the other can never match: refused with a
message naming the column (never an id), where they used to give every person 0 reoffences.
Ids that differ only in width, nullability or layout still match."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from yosmodel import DtypeError

pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")

DISPOSALS = {"date": ["2014-01-05", "2014-02-01"], "kind": ["Youth Caution", "Referral Order"]}
OFFENCES = {"offence_date": ["2014-03-01"], "proven_date": ["2014-04-01"]}


def tables(disposal_ids, offence_ids):
    return (pd.DataFrame({"person_id": disposal_ids, **DISPOSALS}),
            pd.DataFrame({"person_id": offence_ids, **OFFENCES}))


@pytest.mark.parametrize("convert", ["pandas", "pyarrow", "polars", "dict"])
@pytest.mark.parametrize("disposal_ids, offence_ids", [
    ([1, 2], ["1"]), (["1", "2"], [1]), (["SECRET1", "SECRET2"], [1]),
    (pd.array([1, 2], dtype="Int64"), pd.Series(["1"], dtype="string"))])
def test_numbers_against_text_are_refused_naming_the_column(convert, disposal_ids, offence_ids):
    d, o = tables(disposal_ids, offence_ids)
    to = {"pandas": lambda f: f, "pyarrow": pa.Table.from_pandas, "polars": pl.from_pandas,
          "dict": lambda f: {c: f[c].to_numpy() for c in f.columns}}[convert]
    with pytest.raises(DtypeError, match="'person_id' holds .* in disposals but .* in offences")\
            as raised:
        ym.build_cohort(to(d), to(o), "2013-10-01", "2014-09-30")
    assert "SECRET" not in str(raised.value) and "'1'" not in str(raised.value)


@pytest.mark.parametrize("disposal_ids, offence_ids", [
    ([1, 2], [1.0]), ([1, 2], np.array([1], dtype=np.uint8)),
    (pd.array([1, 2], dtype="Int64"), [1]), (["1", "2"], pd.Categorical(["1"])),
    (["1", "2"], pd.Series(["1"], dtype="string[pyarrow]")),
    (pd.Categorical([1, 2]), [1])])
def test_ids_of_the_same_family_still_match(disposal_ids, offence_ids):
    d, o = tables(disposal_ids, offence_ids)
    got = ym.build_cohort(d, o, "2013-10-01", "2014-09-30")
    assert got["reoffences"].tolist() == [1, 0]


def test_an_empty_table_has_no_type_to_disagree_with():
    d, o = tables([1, 2], ["1"])
    got = ym.build_cohort(d, o.iloc[:0], "2013-10-01", "2014-09-30")
    assert got["reoffences"].tolist() == [0, 0]
