"""A SYNTHETIC intervention evaluation: participants in a made-up programme and a pool of
non-participants, with selection into the programme on recorded characteristics and a known
effect on reoffending, for trying :func:`yosmodel.evaluate_intervention` out. No row describes
a real person."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError

SEXES = ["Female", "Male"]
ETHNICITIES = ["Asian", "Black", "Mixed", "Other", "White"]
DISPOSALS = ["Youth caution", "Youth conditional caution", "First-tier", "Community", "Custody"]
_DISPOSAL_RISK = np.array([-0.9, -0.45, -0.15, 0.25, 0.75])
_DISPOSAL_REFERRAL = np.array([-0.8, -0.3, 0.0, 0.6, 0.2])


def synthetic_programme(participants: int = 400, pool: int = 4000, effect: float = -0.35,
                        seed: int = 0) -> pd.DataFrame:
    """``participants`` people who took part and ``pool`` who did not, one row each.

    Columns: ``treated`` (bool), ``sex``, ``ethnicity``, ``disposal`` (categoricals), ``age``,
    ``previous_offences`` (integers), and the one-year outcomes ``reoffended`` (0/1),
    ``reoffences`` and ``days_to_first_reoffence`` (missing for people who did not reoffend).
    Referral favours boys, older children, more previous offences and community sentences, so
    participants differ from the pool before matching. Taking part changes the log-odds of
    reoffending by ``effect``; ``df.attrs["true_effect"]`` holds the resulting true difference in
    the participants' reoffending rate (the average over participants of the change in their
    probability), which a good evaluation's interval should cover.
    """
    for name, value in (("participants", participants), ("pool", pool)):
        if not isinstance(value, (int, np.integer)) or value < 1:
            raise InputError(f"{name} must be a positive integer")
    rng = np.random.default_rng([seed, 7])
    population = int(pool + 4 * participants)
    sex = (rng.random(population) < 0.82).astype(np.int64)
    ethnicity = np.searchsorted(np.cumsum([0.07, 0.13, 0.08, 0.03, 0.69]),
                                rng.random(population) * 0.999999, side="right")
    disposal = np.searchsorted(np.cumsum([0.22, 0.14, 0.30, 0.28, 0.06]),
                               rng.random(population) * 0.999999, side="right")
    age = rng.choice(np.arange(10, 18), population,
                     p=np.array([1, 2, 4, 7, 10, 13, 15, 16]) / 68)
    previous = np.minimum(rng.geometric(1 / (1.5 + disposal), population) - 1, 30)

    # Referral: Gumbel top-k draws exactly `participants` people with weights exp(score).
    referral = (0.4 * sex + 0.15 * (age - 14) + 0.12 * np.minimum(previous, 10)
                + _DISPOSAL_REFERRAL[disposal])
    keys = referral + rng.gumbel(size=population)
    chosen = np.argsort(-keys, kind="stable")[:participants]
    treated = np.zeros(population, dtype=bool)
    treated[chosen] = True
    others = rng.permutation(np.flatnonzero(~treated))[:pool]
    rows = np.sort(np.concatenate([chosen, others]))
    rows = rows[rng.permutation(len(rows))]

    sex, ethnicity, disposal, age, previous, treated = (
        a[rows] for a in (sex, ethnicity, disposal, age, previous, treated))
    base = (-0.75 + _DISPOSAL_RISK[disposal] + 0.2 * np.minimum(previous, 8) + 0.35 * sex
            - 0.05 * (age - 10) + 0.1 * (ethnicity == 1))
    p_without = 1 / (1 + np.exp(-base))
    p_with = 1 / (1 + np.exp(-(base + effect)))
    probability = np.where(treated, p_with, p_without)
    reoffended = rng.random(len(rows)) < probability
    reoffences = np.where(reoffended, rng.geometric(1 / 3.0, len(rows)), 0)
    days = np.ceil(365 * rng.beta(1.2, 2.2, len(rows)))
    days = np.where(reoffended, days, np.nan)

    frame = pd.DataFrame({
        "treated": treated,
        "sex": pd.Categorical.from_codes(sex, categories=SEXES),
        "ethnicity": pd.Categorical.from_codes(ethnicity, categories=ETHNICITIES),
        "disposal": pd.Categorical.from_codes(disposal, categories=DISPOSALS),
        "age": age.astype(np.int64),
        "previous_offences": previous.astype(np.int64),
        "reoffended": reoffended.astype(np.uint8),
        "reoffences": reoffences.astype(np.int64),
        "days_to_first_reoffence": days,
    })
    frame.attrs["synthetic"] = True
    frame.attrs["source"] = (f"SYNTHETIC programme from yosmodel.datasets.synthetic_programme("
                             f"seed={seed}); no row is a real person")
    frame.attrs["true_effect"] = {
        "reoffended": float((p_with - p_without)[treated].mean()),
        "log_odds": float(effect),
    }
    return frame
