"""SYNTHETIC disposal and offence records in the shape a youth justice case-management system
exports, to try :func:`yosmodel.build_cohort` as an analyst would.

No row describes a real person. Each person's proven offences each end in a disposal on the day
they are proven (a caution, a conditional caution, a referral order, a youth rehabilitation order
or a detention and training order, whose release follows part-way through the term). Ages at the
first disposal run from 10 to 20, so some people are adults and "keep the juveniles" is a real
step; about 85% are boys; reoffending is near the published youth rate (about 38% within a
year) and rises with the severity of the disposal."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError

#: The words each vocabulary uses for the six kinds of disposal the generator writes, in the
#: generator's order: youth caution, youth conditional caution, referral order, youth
#: rehabilitation order, detention and training order (the sentence), and release from it.
VOCABULARIES = {
    "yosmodel": ("caution", "caution", "court_conviction", "court_conviction",
                 "custody_sentence", "custody_release"),
    "case_management": ("Youth Caution", "Youth Conditional Caution", "Referral Order",
                        "Youth Rehabilitation Order", "Detention and Training Order",
                        "DTO Release"),
}
SERVICES = [f"YJS {name}" for name in ("North", "South", "East", "West", "Central", "Coast",
                                       "Valley", "Borough")]
UK_DATE_FORMAT = "%d/%m/%Y"

_FIRST_DAY = np.datetime64("2014-01-01")
_SPAN_DAYS = 5 * 365
# caution, conditional caution, referral order, YRO, DTO (sentence); release is derived.
_SENTENCE_WEIGHTS = np.array([0.30, 0.17, 0.28, 0.19, 0.06])
_SENTENCE_EFFECT = np.array([-0.75, -0.45, -0.1, 0.3, 0.7])
_AGE_WEIGHTS = np.array([1, 2, 4, 7, 10, 13, 15, 16, 6, 4, 3], dtype=float)  # ages 10..20
_MAX_OFFENCES = 12


def _draw(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    cdf = np.cumsum(weights / weights.sum())
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), len(weights) - 1)


def synthetic_events(n_people: int, seed: int = 0, vocabulary: str = "yosmodel",
                     uk_dates: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(disposals, offences)`` for ``n_people`` synthetic people, reproducible by ``seed``.

    Parameters
    ----------
    n_people : how many people (each has at least one proven offence and disposal).
    seed : the random seed; the same seed gives the same records.
    vocabulary : ``"yosmodel"`` writes the library's kind codes (``caution``,
        ``court_conviction``, ``custody_sentence``, ``custody_release``); ``"case_management"``
        writes the words a case-management system uses ("Youth Caution", "Referral Order",
        "DTO Release", ...), which :func:`yosmodel.build_cohort` reads through its alias table.
    uk_dates : write every date as a ``dd/mm/yyyy`` string, as exports opened in a spreadsheet
        are (read them with ``build_cohort(..., dayfirst=True)``); otherwise datetime64 columns.

    Returns
    -------
    disposals : ``person_id, date, kind, yjs, sex, date_of_birth``, ordered by date.
    offences : ``person_id, offence_date, proven_date, counts`` (False for breaches, which do
        not count as proven reoffences), ordered by proven date.

    Both carry ``attrs["synthetic"] = True`` and ``attrs["source"]`` saying so in words.
    """
    if not isinstance(n_people, (int, np.integer)) or isinstance(n_people, bool) \
            or n_people < 0:
        raise InputError("n_people must be a whole number, zero or more")
    if vocabulary not in VOCABULARIES:
        raise InputError(f"vocabulary must be one of {', '.join(map(repr, VOCABULARIES))}")
    n = int(n_people)
    rng = np.random.default_rng([seed, 11])

    born_offset = rng.integers(0, 365, n)
    age = 10 + _draw(rng, _AGE_WEIGHTS, n)
    first_day = rng.integers(0, _SPAN_DAYS - 400, n)
    sex = np.where(rng.random(n) < 0.85, "Male", "Female")
    yjs = np.array(SERVICES)[_draw(rng, np.linspace(3.0, 1.0, len(SERVICES)), n)]
    first_sentence = _draw(rng, _SENTENCE_WEIGHTS, n)
    logit = 0.15 + _SENTENCE_EFFECT[first_sentence] + 0.25 * (sex == "Male") \
        - 0.04 * (age - 15)
    reoffends = rng.random(n) < 1 / (1 + np.exp(-logit))
    further = np.where(reoffends, np.minimum(rng.geometric(0.45, n), _MAX_OFFENCES - 1), 0)

    # Offences: the first, then the further ones at exponential gaps after it.
    per_person = 1 + further
    person = np.repeat(np.arange(n), per_person)
    order = np.arange(len(person)) - np.repeat(np.cumsum(per_person) - per_person, per_person)
    gaps = np.where(order == 0, 0, rng.exponential(130.0, len(person)).astype(np.int64) + 1)
    group_start = np.cumsum(per_person) - per_person
    committed = first_day[person] + _cumsum_within(gaps, group_start, per_person)
    delay = rng.integers(7, 120, len(person))
    proven = committed + delay
    counts = (order == 0) | (rng.random(len(person)) >= 0.06)  # about 6% later ones are breaches
    sentence = np.where(order == 0, first_sentence[person],
                        np.maximum(first_sentence[person], _draw(rng, _SENTENCE_WEIGHTS,
                                                                 len(person))))

    # Disposals: one on each proven date; a detention and training order adds its release,
    # half-way through a term of 4 to 24 months.
    custody = sentence == 4
    release = proven[custody] + rng.integers(2, 13, int(custody.sum())) * 30
    d_person = np.concatenate([person, person[custody]])
    d_day = np.concatenate([proven, release])
    d_kind = np.concatenate([sentence, np.full(int(custody.sum()), 5)])

    ids = np.char.add(f"YJ{seed % 100:02d}-", np.char.zfill(np.arange(n).astype(str), 6)) \
        .astype(object)
    born = _FIRST_DAY + (first_day - age * 365 - born_offset).astype("timedelta64[D]")
    words = np.array(VOCABULARIES[vocabulary], dtype=object)
    codes = np.array(VOCABULARIES["yosmodel"], dtype=object)
    disposals = pd.DataFrame({
        "person_id": ids[d_person],
        "date": _FIRST_DAY + d_day.astype("timedelta64[D]"),
        "kind": codes[d_kind],
        "yjs": yjs[d_person],
        "sex": sex[d_person],
        "date_of_birth": born[d_person],
        "_word": words[d_kind],
    })
    # Offences proven on one day end in one disposal of each kind (a caution and a conditional
    # caution on one day are one caution), in whichever vocabulary the records are written.
    disposals = disposals.drop_duplicates(subset=["person_id", "date", "kind"])
    disposals["kind"] = disposals.pop("_word")
    disposals = disposals.sort_values(["date", "person_id"], kind="stable").reset_index(drop=True)
    offences = pd.DataFrame({
        "person_id": ids[person],
        "offence_date": _FIRST_DAY + committed.astype("timedelta64[D]"),
        "proven_date": _FIRST_DAY + proven.astype("timedelta64[D]"),
        "counts": counts,
    }).sort_values(["proven_date", "person_id"], kind="stable").reset_index(drop=True)
    if uk_dates:
        for frame, columns in ((disposals, ("date", "date_of_birth")),
                               (offences, ("offence_date", "proven_date"))):
            for name in columns:
                frame[name] = frame[name].dt.strftime(UK_DATE_FORMAT).astype(object)
    for frame in (disposals, offences):
        frame.attrs["synthetic"] = True
        frame.attrs["source"] = ("SYNTHETIC records from yosmodel.datasets.synthetic_events: no "
                                 "row describes a real person")
    return disposals, offences


def _cumsum_within(values: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The running sum of ``values`` restarting at each group (groups are consecutive)."""
    total = np.cumsum(values)
    before = np.repeat(total[starts] - values[starts], lengths)
    return total - before
