"""Partial tables: splitting a cohort anywhere and merging the partials changes nothing, in any
order, and partials survive bytes and pickling."""

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import yosmodel as ym

CATEGORIES = pd.CategoricalDtype(["a", "b", "c", "d"])


def cohort(codes, reoffences):
    return pd.DataFrame({"key": pd.Categorical.from_codes(codes, dtype=CATEGORIES),
                         "reoffences": np.asarray(reoffences, dtype=np.int64)})


rows = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 6)), min_size=0, max_size=300)


@settings(max_examples=60, deadline=None)
@given(rows=rows, cuts=st.lists(st.integers(0, 300), max_size=4), order=st.randoms())
def test_split_and_merge_changes_nothing(rows, cuts, order):
    codes = [r[0] for r in rows]
    counts = [r[1] for r in rows]
    whole, _ = ym.reoffending_partial(cohort(codes, counts), by="key")
    bounds = sorted({0, len(rows), *[min(c, len(rows)) for c in cuts]})
    pieces = [ym.reoffending_partial(cohort(codes[a:b], counts[a:b]), by="key")[0]
              for a, b in zip(bounds, bounds[1:])]
    order.shuffle(pieces)
    merged = ym.PartialTable([4])
    for piece in pieces:
        merged = merged + piece
    assert merged == whole


def test_bytes_and_pickle_round_trip():
    partial, _ = ym.reoffending_partial(cohort([0, 1, 1, 3], [0, 2, 0, 1]), by="key")
    assert ym.PartialTable.from_bytes(partial.to_bytes()) == partial
    assert pickle.loads(pickle.dumps(partial)) == partial
    assert partial.cardinalities == [4]
    assert partial.groups.tolist() == [0, 1, 3]


def test_corrupt_bytes_are_refused():
    with pytest.raises(ValueError, match="not a yosmodel partial table"):
        ym.PartialTable.from_bytes(b"nonsense")


def test_merging_different_keys_is_refused():
    a, _ = ym.reoffending_partial(cohort([0], [1]), by="key")
    with pytest.raises(ValueError, match="different key spaces"):
        a + ym.PartialTable([2])
