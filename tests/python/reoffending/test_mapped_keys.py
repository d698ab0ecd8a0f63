"""Keys the grouper reads in place through a code map (Parquet row groups with dictionaries of
their own, polars Categorical ids from a shared, polluted mapping): counts exact against pandas'
groupby, codes against pandas' own, no input buffer written."""

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym
from reference import pandas_rates
from yosmodel._core import reoffending as _core

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pl = pytest.importorskip("polars")

COUNTS = ["offenders", "reoffenders", "reoffences", "previous_offences_mean"]


def cohort(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "yjs": [f"YJS {i:03d}" for i in rng.integers(0, 155, n)],
        "sex": np.where(rng.random(n) < 0.2, "Female", "Male"),
        "cohort": [f"2019 Q{q}" for q in rng.integers(1, 9, n)],
        "reoffences": np.where(rng.random(n) < 0.3, rng.integers(1, 6, n), 0),
        "previous_offences": rng.integers(0, 9, n)})


def buffer_bytes(column) -> list[bytes]:
    """Every buffer of every chunk (indices, dictionaries, bitmaps) as bytes, to compare."""
    chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
    out = []
    for chunk in chunks:
        for array in (chunk.indices, chunk.dictionary) if pa.types.is_dictionary(chunk.type) \
                else (chunk,):
            out += [bytes(b) if b is not None else None for b in array.buffers()]
    return out


def assert_counts_equal(got: pd.DataFrame, want: pd.DataFrame, by: list[str]) -> None:
    got = got.assign(**{k: got[k].astype(str) for k in by}).sort_values(by).reset_index(drop=True)
    assert got[by].values.tolist() == want[by].values.tolist()
    for name in COUNTS:
        np.testing.assert_array_equal(got[name].to_numpy(), want[name].to_numpy(), err_msg=name)


@pytest.mark.parametrize("by", [["yjs"], ["yjs", "sex"], ["yjs", "sex", "cohort"]])
def test_parquet_row_groups_with_their_own_dictionaries(tmp_path, by):
    frame = cohort(40_000, seed=1)
    path = tmp_path / "cohort.parquet"
    # Small row groups: each writes a dictionary of its own, in its own first-seen order.
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path,
                   row_group_size=6_000)
    table = pq.read_table(path, read_dictionary=["yjs", "sex", "cohort"])
    assert table.column("sex").num_chunks > 1
    dictionaries = {tuple(c.dictionary.to_pylist()) for c in table.column("cohort").chunks}
    assert len(dictionaries) > 1  # the row groups disagree, so maps are needed
    before = {k: buffer_bytes(table.column(k)) for k in by}
    got = ym.reoffending_rates(table, by=by, previous_offences="previous_offences")
    want = pandas_rates(frame, by, previous="previous_offences")
    assert_counts_equal(got, want, by)
    for k in by:
        assert buffer_bytes(table.column(k)) == before[k]
        key = _core.group_key(k, table.column(k))
        assert key.borrowed  # read in place (through maps), not rewritten
    # A slice starts inside a row group: each chunk's map still applies from its offset.
    sliced = table.slice(4_321, 20_000)
    got = ym.reoffending_rates(sliced, by=by, previous_offences="previous_offences")
    want = pandas_rates(frame.iloc[4_321:24_321], by, previous="previous_offences")
    assert_counts_equal(got, want, by)


def test_dictionary_chunks_with_missing_rows_group_them_last():
    frame = cohort(9_000, seed=2)
    names = frame["yjs"].to_numpy(dtype=object).copy()
    names[::13] = None
    names[2_000:2_010] = frame["yjs"].iloc[2_000:2_010]  # a chunk with none: read in place
    pieces = [pa.array(names[a:b]).dictionary_encode() for a, b in
              [(0, 2_000), (2_000, 2_010), (2_010, 9_000)]]
    column = pa.chunked_array(pieces)
    key = _core.group_key("yjs", column, nulls="group")
    assert key.null_group and key.borrowed
    categories = list(key.categories())
    codes = key.codes()
    decoded = [categories[c] if c < len(categories) else None for c in codes]
    assert decoded == names.tolist()
    counts = _core.count_column("reoffences", frame["reoffences"].to_numpy())
    table, _ = _core.aggregate_grouped([key], counts, None)
    got = table.finalize()
    want = (pd.DataFrame({"yjs": pd.Series(names).fillna("(missing)"),
                          "r": frame["reoffences"]})
            .groupby("yjs", sort=False).r.agg(["size", "sum"]))
    labels = [categories[int(g)] if int(g) < len(categories) else "(missing)"
              for g in table.groups]
    offenders = np.asarray(got.offenders)
    reoffences = np.asarray(got.reoffences)
    for label, o, r in zip(labels, offenders, reoffences, strict=True):
        assert (o, r) == (want.loc[label, "size"], want.loc[label, "sum"]), label
    assert len(labels) == len(want)


def test_polars_categorical_with_a_polluted_global_mapping():
    # Half the names enter the shared mapping first, then thousands of strings this column
    # never holds, then the other half: its ids span more than the grouper reads as they are,
    # so they are read through a map from id to code, and only the names present are listed.
    frame = cohort(30_000, seed=3)
    names = sorted(set(frame["yjs"]))
    # (Held: polars may forget the strings of columns no longer alive.)
    earlier = [pl.Series(names[::2]).cast(pl.Categorical),
               pl.Series([f"pollution {i}" for i in range(6_000)]).cast(pl.Categorical)]
    data = pl.DataFrame({"yjs": pl.Series(frame["yjs"].tolist()).cast(pl.Categorical),
                         "sex": pl.Series(frame["sex"].tolist()).cast(pl.Categorical),
                         "reoffences": frame["reoffences"],
                         "previous_offences": frame["previous_offences"]})
    ids = data["yjs"].to_physical()
    assert int(ids.max()) - int(ids.min()) > 4_096
    key = _core.group_key("yjs", ids, span_categories=False)
    assert key.borrowed and key.cardinality == len(names)
    before = data["yjs"].to_physical().to_numpy().copy()
    got = ym.reoffending_rates(data, by=["yjs", "sex"], previous_offences="previous_offences")
    assert list(got["yjs"].cat.categories) == names
    want = pandas_rates(frame, ["yjs", "sex"], previous="previous_offences")
    assert_counts_equal(got, want, ["yjs", "sex"])
    np.testing.assert_array_equal(data["yjs"].to_physical().to_numpy(), before)
    assert len(earlier[1]) == 6_000
