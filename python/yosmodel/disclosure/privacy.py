"""Keyed pseudonyms for person identifiers, so cohorts can be shared and re-linked only by
whoever holds the key. Pseudonymised data is still personal data (UK GDPR recital 26): this
reduces risk, it does not anonymise."""

from __future__ import annotations

import hashlib
import hmac
import numbers
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DtypeError, InputError

#: Keys shorter than this are refused: identifiers are guessable, so the key is the only secret.
MINIMUM_KEY_BYTES = 16


def pseudonymise(ids: Any, key: bytes | str) -> pd.Series:
    """HMAC-SHA256 pseudonyms of person identifiers.

    Parameters
    ----------
    ids : pandas Series (or anything a Series can be made from)
        Identifiers: strings, integers or bytes. An integer and its decimal string get the same
        pseudonym (sources that store an identifier as a number and as text still link).
        Strings are used exactly as given (no trimming or case folding). Missing values and
        empty (or all-space) strings are an error.
    key : bytes or str
        The secret key, at least 16 bytes (32 random bytes recommended, e.g.
        ``secrets.token_bytes(32)``); a str is encoded as UTF-8. Keep it apart from the data:
        with the key, anyone can test a guessed identifier against a pseudonym.

    Returns
    -------
    pandas.Series
        64-character lowercase hex digests, same length, index and name as ``ids``. The same
        key always gives the same pseudonym; the key itself is never stored or shown.
    """
    secret = _key_bytes(key)
    series = ids if isinstance(ids, pd.Series) else pd.Series(ids)
    missing = int(series.isna().sum())
    if missing:
        rows = "value is" if missing == 1 else "values are"
        raise InputError(f"ids: {missing} {rows} missing; every person needs an identifier "
                         "(fill or drop them first)")
    blank = int(sum(1 for v in series.tolist() if isinstance(v, str) and not v.strip()))
    if blank:
        rows = "value is" if blank == 1 else "values are"
        raise InputError(f"ids: {blank} {rows} empty (or only spaces), which is no identifier: "
                         "all such rows would share one pseudonym, as one person (fill or drop "
                         "them first)")
    if series.dtype.kind == "f":
        raise DtypeError(f"ids have dtype {series.dtype}; identifiers must be strings or integers "
                         "(floating point can silently change long identifiers)")
    base = hmac.new(secret, digestmod=hashlib.sha256)
    digests = []
    bad = 0
    broken = 0
    for value in series.tolist():
        try:
            data = _id_bytes(value)
        except UnicodeEncodeError:  # its args hold the whole identifier
            broken += 1
            continue
        if data is None:
            bad += 1
            continue
        h = base.copy()
        h.update(data)
        digests.append(h.hexdigest())
    if broken:
        rows = "value is" if broken == 1 else "values are"
        raise InputError(f"ids: {broken} {rows} not valid text (a lone surrogate, which has no "
                         "UTF-8 form); fix the identifiers' encoding")
    if bad:
        rows = "value is" if bad == 1 else "values are"
        raise DtypeError(f"ids: {bad} {rows} neither a string, an integer nor bytes; "
                         "identifiers must be one of these")
    return pd.Series(digests, index=series.index, name=series.name, dtype=object)


def _key_bytes(key: Any) -> bytes:
    if isinstance(key, str):
        secret = key.encode("utf-8")
    elif isinstance(key, (bytes, bytearray, memoryview)):
        secret = bytes(key)
    else:
        raise DtypeError(f"key must be bytes or str, not {type(key).__name__}")
    if not secret:
        raise InputError("key is empty; pass a secret key (e.g. secrets.token_bytes(32))")
    if len(secret) < MINIMUM_KEY_BYTES:
        raise InputError(f"key is shorter than {MINIMUM_KEY_BYTES} bytes; a short key can be "
                         "guessed, which would undo the pseudonyms (use secrets.token_bytes(32))")
    return secret


def _id_bytes(value: Any) -> bytes | None:
    if isinstance(value, str):
        return value.encode("utf-8")
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, numbers.Integral):
        return str(int(value)).encode("ascii")
    return None
