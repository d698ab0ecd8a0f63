"""Partial-table bytes carry a checksum and are validated before use (counts consistent,
lengths in bounds); merges use checked additions and refuse to wrap past 2**64."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yosmodel as ym


def partial():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"yjs": pd.Categorical(rng.choice(["S1", "S2", "S3"], 500)),
                          "sex": rng.choice(["F", "M"], 500),
                          "reoffences": rng.integers(0, 4, 500),
                          "previous": rng.integers(0, 6, 500)})
    table, _ = ym.reoffending_partial(frame, by=["yjs", "sex"], previous_offences="previous")
    return table


def test_every_single_byte_change_is_refused():
    good = partial().to_bytes()
    accepted = []
    for position in range(len(good)):
        for flip in (0x01, 0x80, 0xFF):
            bad = bytearray(good)
            bad[position] ^= flip
            try:
                ym.PartialTable.from_bytes(bytes(bad))
            except ValueError:
                continue
            accepted.append((position, flip))
    assert not accepted, f"{len(accepted)} corrupted byte strings were accepted"


def test_random_corruption_is_refused():
    good = partial().to_bytes()
    rng = np.random.default_rng(9)
    accepted = 0
    for _ in range(2000):
        bad = bytearray(good)
        for position in rng.integers(0, len(bad), rng.integers(1, 6)):
            bad[position] = rng.integers(0, 256)
        if bytes(bad) == good:
            continue
        try:
            ym.PartialTable.from_bytes(bytes(bad))
        except ValueError:
            continue
        accepted += 1
    assert accepted == 0


def test_truncated_and_extended_bytes_are_refused():
    good = partial().to_bytes()
    for cut in range(len(good)):
        with pytest.raises(ValueError):
            ym.PartialTable.from_bytes(good[:cut])
    with pytest.raises(ValueError):
        ym.PartialTable.from_bytes(good + b"\x00")


def test_corrupt_data_error_is_what_is_raised():
    with pytest.raises(ym.CorruptDataError):
        ym.PartialTable.from_bytes(b"\x00" * 64)


def offenders(table) -> int:
    finalized = table.finalize()
    values = finalized["offenders"] if isinstance(finalized, dict) else finalized.offenders
    return int(values[0])


def test_merging_refuses_to_wrap_past_2_64():
    frame = pd.DataFrame({"yjs": pd.Categorical(["S1"]), "reoffences": [1]})
    table, _ = ym.reoffending_partial(frame, by="yjs")
    for _ in range(63):
        table = table + table
    assert offenders(table) == 2**63
    with pytest.raises((OverflowError, ValueError)) as error:
        table + table
    assert "2^64" in str(error.value) or "overflow" in str(error.value).lower()
    assert offenders(table) == 2**63   # the operands are untouched
