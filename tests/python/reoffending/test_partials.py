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


def _checksum(data: bytes) -> int:  # FNV-1a over the bytes, as the format's trailer is
    h = 14695981039346656037
    for byte in data:
        h = ((h ^ byte) * 1099511628211) & (2**64 - 1)
    return h


def _forged(cardinalities, groups, counts) -> bytes:
    # Bytes anyone can write: the checksum guards against damage, not against a forger.
    import struct

    body = b"YMPT" + struct.pack("<II", 2, len(cardinalities))
    body += b"".join(struct.pack("<Q", c) for c in cardinalities)
    body += struct.pack("<Q", len(groups)) + b"".join(struct.pack("<Q", g) for g in groups)
    body += b"".join(struct.pack("<QQQQ", *c) for c in counts)
    return body + struct.pack("<Q", _checksum(body))


def test_counts_past_int64_are_refused_not_shown_negative():
    from yosmodel.reoffending import rates_frame

    _, keys = ym.reoffending_partial(pd.DataFrame({"a": [1, 2, 3], "reoffences": [0, 0, 0]}),
                                     by="a")
    honest = ym.PartialTable.from_bytes(_forged([3], [0], [(5, 0, 0, 0)]))
    assert rates_frame(honest, keys, level=0.95, method="wilson",
                       with_previous=False)["offenders"].tolist() == [5]
    for counts in [(2**63 + 5, 0, 0, 0), (2**64 - 1,) * 4]:
        table = ym.PartialTable.from_bytes(_forged([3], [0], [counts]))
        with pytest.raises(ym.LimitError, match="pass 2\\^63 - 1"):
            rates_frame(table, keys, level=0.95, method="wilson", with_previous=True)
    widest = ym.PartialTable.from_bytes(_forged([2**64 - 1], [0], [(1, 0, 0, 0)]))
    with pytest.raises(ym.LimitError, match="no room for its total"):
        widest.with_margins()


def test_wrong_arguments_to_a_partial_table_echo_no_values():
    table, _ = ym.reoffending_partial(pd.DataFrame({"a": [1, 2], "reoffences": [0, 1]}),
                                      by="a")
    with pytest.raises(TypeError, match="unsupported operand") as caught:
        table + "ZZSECRET123"  # noqa: B018 - the addition is what is tested
    assert "ZZSECRET123" not in str(caught.value)
    for call in (lambda: table.merge(None),
                 lambda: ym.PartialTable.__new__(ym.PartialTable).__setstate__(
                     [table.to_bytes()])):
        with pytest.raises(ym.YosmodelError) as caught:
            call()
        assert "YMPT" not in str(caught.value) and "Invoked with" not in str(caught.value)
    assert ym.PartialTable.from_bytes(data=table.to_bytes()) == table
