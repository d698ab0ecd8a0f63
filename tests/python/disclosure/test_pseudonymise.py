"""pseudonymise(): HMAC-SHA256 against the RFC 4231 test vectors, the Series contract, and keys
that never show."""

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

KEY = bytes(range(32))


def test_rfc_4231_vectors():
    # RFC 4231 test cases 1 and 3 (HMAC-SHA-256).
    got = ym.pseudonymise(pd.Series([b"Hi There"]), b"\x0b" * 20)
    assert got[0] == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    got = ym.pseudonymise(pd.Series([b"\xdd" * 50]), b"\xaa" * 20)
    assert got[0] == "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"


def test_series_contract_and_determinism():
    ids = pd.Series(["P-001", "P-002", "P-001", "P-003"], index=[10, 11, 12, 40], name="person")
    out = ym.pseudonymise(ids, KEY)
    assert out.index.equals(ids.index) and out.name == "person" and len(out) == 4
    assert out[10] == out[12] and out.nunique() == 3
    assert out.str.fullmatch("[0-9a-f]{64}").all()
    assert out.equals(ym.pseudonymise(ids, KEY))
    assert not (out == ym.pseudonymise(ids, KEY[::-1])).any()
    assert ym.pseudonymise(ids, KEY.hex()).equals(ym.pseudonymise(ids, KEY.hex().encode()))
    # An integer and its decimal text link to the same pseudonym.
    numbers = ym.pseudonymise(pd.Series([123456, 7], dtype=np.int64), KEY)
    texts = ym.pseudonymise(pd.Series(["123456", "7"]), KEY)
    assert numbers.tolist() == texts.tolist()
    assert ym.pseudonymise(["a", "b"], KEY).index.tolist() == [0, 1]
    assert len(ym.pseudonymise(pd.Series([], dtype=object), KEY)) == 0


def test_key_never_appears():
    key = "SENTINEL-KEY-0123456789abcdef"
    ids = pd.Series(["x", "y"])
    out = ym.pseudonymise(ids, key)
    for text in (repr(out), out.to_string(), str(out.to_dict()), out.to_csv()):
        assert key not in text and key.encode().hex() not in text
    for bad in (pd.Series(["x", None]), pd.Series([1.5]), pd.Series([object()])):
        with pytest.raises((ValueError, TypeError)) as error:
            ym.pseudonymise(bad, key)
        assert key not in str(error.value)


def test_bad_keys_and_ids():
    with pytest.raises(ValueError, match="key is empty"):
        ym.pseudonymise(pd.Series(["x"]), b"")
    with pytest.raises(ValueError, match="shorter than 16 bytes"):
        ym.pseudonymise(pd.Series(["x"]), "short")
    with pytest.raises(TypeError, match="key must be bytes or str, not int"):
        ym.pseudonymise(pd.Series(["x"]), 12345)
    with pytest.raises(ValueError, match="2 values are missing"):
        ym.pseudonymise(pd.Series(["x", None, np.nan]), KEY)
    with pytest.raises(TypeError, match="float64"):
        ym.pseudonymise(pd.Series([1.0, 2.0]), KEY)
    with pytest.raises(TypeError, match="1 value is neither"):
        ym.pseudonymise(pd.Series(["x", True]), KEY)


def test_empty_and_blank_ids_are_refused_like_missing_ones():
    with pytest.raises(ValueError, match="2 values are empty"):
        ym.pseudonymise(pd.Series(["a1", "", "  "]), KEY)
