"""A deterministic, realistic SYNTHETIC person-level proven reoffending cohort.

No row describes a real person. The shape follows published youth figures: about 155 youth
justice services of very different sizes, ages 10-17 weighted to the older end, about 85% boys,
a binary reoffending rate near 40% and a frequency rate near 1.2 (about three reoffences per
reoffender), and reoffending that rises with previous offences and the severity of disposal."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError

SERVICES = 155
QUARTERS = [f"{year} Q{q}" for year in (2019, 2020) for q in (1, 2, 3, 4)]
SEXES = ["Female", "Male"]
ETHNICITIES = ["Asian", "Black", "Mixed", "Other", "White"]
DISPOSALS = ["Youth caution", "Youth conditional caution", "First-tier", "Community",
             "Custody"]

_CHUNK = 1 << 21
_AGE_WEIGHTS = np.array([1, 2, 4, 7, 10, 13, 15, 16], dtype=float)
_SEX_WEIGHTS = np.array([0.15, 0.85])
_ETHNICITY_WEIGHTS = np.array([0.07, 0.13, 0.08, 0.03, 0.69])
_DISPOSAL_WEIGHTS = np.array([0.22, 0.14, 0.30, 0.28, 0.06])
_DISPOSAL_EFFECT = np.array([-0.9, -0.45, -0.15, 0.25, 0.75])


def _categorical(codes: np.ndarray, categories: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=categories)


def _draw(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    cdf = np.cumsum(weights / weights.sum())
    return np.searchsorted(cdf, rng.random(size), side="right").astype(np.uint8)


def synthetic_cohort(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` synthetic people, one row each, reproducible by ``seed``.

    Columns: ``yjs`` (youth justice service), ``cohort`` (quarter), ``sex``, ``ethnicity``,
    ``disposal`` (categoricals), ``age`` (10-17), ``previous_offences`` and ``reoffences``
    (uint8). ``df.attrs["synthetic"]`` is True and ``df.attrs["source"]`` says so in words.
    """
    if not isinstance(n, (int, np.integer)) or n < 0:
        raise InputError("n must be a non-negative integer")
    n = int(n)
    service_sizes = np.random.default_rng([seed, 155]).lognormal(0.0, 0.8, SERVICES)
    columns = {name: np.empty(n, dtype=np.uint8) for name in
               ("yjs", "cohort", "sex", "ethnicity", "disposal", "age", "previous_offences",
                "reoffences")}
    streams = np.random.SeedSequence(seed).spawn(max(1, -(-n // _CHUNK)))
    for chunk, stream in enumerate(streams):
        lo, hi = chunk * _CHUNK, min(n, (chunk + 1) * _CHUNK)
        size = hi - lo
        if size <= 0:
            break
        rng = np.random.default_rng(stream)
        yjs = _draw(rng, service_sizes, size)
        quarter = rng.integers(0, len(QUARTERS), size, dtype=np.uint8)
        age_offset = _draw(rng, _AGE_WEIGHTS, size)
        sex = _draw(rng, _SEX_WEIGHTS, size)
        ethnicity = _draw(rng, _ETHNICITY_WEIGHTS, size)
        disposal = _draw(rng, _DISPOSAL_WEIGHTS, size)
        previous = np.minimum(rng.geometric(1 / (1.5 + disposal), size) - 1, 255)
        logit = (-0.62 + _DISPOSAL_EFFECT[disposal] + 0.18 * np.minimum(previous, 8)
                 + 0.35 * sex - 0.05 * age_offset + 0.3 * np.sin(yjs.astype(float)))
        reoffended = rng.random(size) < 1 / (1 + np.exp(-logit))
        counts = np.where(reoffended, rng.geometric(1 / 3.0, size), 0)
        for name, values in (("yjs", yjs), ("cohort", quarter), ("sex", sex),
                             ("ethnicity", ethnicity), ("disposal", disposal),
                             ("age", age_offset + 10), ("previous_offences", previous),
                             ("reoffences", np.minimum(counts, 255))):
            columns[name][lo:hi] = values
    frame = pd.DataFrame({
        "yjs": _categorical(columns["yjs"], [f"Service {i + 1:03d}" for i in range(SERVICES)]),
        "cohort": _categorical(columns["cohort"], QUARTERS),
        "sex": _categorical(columns["sex"], SEXES),
        "ethnicity": _categorical(columns["ethnicity"], ETHNICITIES),
        "disposal": _categorical(columns["disposal"], DISPOSALS),
        "age": columns["age"],
        "previous_offences": columns["previous_offences"],
        "reoffences": columns["reoffences"],
    }, copy=False)
    frame.attrs["synthetic"] = True
    frame.attrs["source"] = ("SYNTHETIC cohort from yosmodel.datasets.synthetic_cohort("
                             f"seed={seed}); no row is a real person")
    return frame
