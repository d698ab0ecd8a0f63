"""Builds the RECONSTRUCTED case-level sample behind ``yosmodel.datasets.lewisham_2016()``.

The published report gives theme scores and statements about the case sample ("in all but one
case", "in one third", "in just over half" ...), not case records. This script makes 57
fictional cases whose answers reproduce all of them exactly:

* the theme scores (done well / applicable, rounded half up): reducing reoffending 60%,
  protecting the public 60%, protecting the child or young person 62%, making sure the sentence
  is served 76%, interventions 64%;
* every quantitative statement about the sample, each on the question of the ``fji_2016``
  framework that carries it (``details.json`` lists them with where they are in the report;
  ``tests/python/test_lewisham_report.py`` checks each one). The counts below are ours: the
  report gives proportions, and the data summary charts with the exact counts are not in its
  text.

Some questions apply only to some cases. Those cases are picked by role: the six custodial
sentences and two remands among the eight custody cases, the 28 cases with a pre-sentence
report (every custodial sentence among them) and the 14 of those in which custody was a
possible outcome, the 40 cases in which a review of the interventions was due, the ended
orders. The roles are not shipped as columns; they only decide which answers are "not
applicable".

Every case answers every scored question (yes, no or not applicable). Which case gets which
answer is decided by a seeded, version-stable generator (``random.Random``), with weaker
practice a little more likely in high risk of harm and high vulnerability cases, so subgroup
tables have something to show. No row describes a real child.

Run ``python -m yosmodel.datasets._build_lewisham`` to rewrite the shipped files; a test checks
that the shipped files are exactly what this script writes.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEED = 2016
CASES = 57

# Case attributes: exact counts, shuffled onto cases. The sample deliberately includes high
# risk of harm, particularly vulnerable, young women, and black and minority ethnic children.
ATTRIBUTES: dict[str, list[tuple[str, int]]] = {
    "sentence_type": [("community", 49), ("custody", 8)],
    "risk_of_harm": [("low", 17), ("medium", 26), ("high", 14)],
    "vulnerability": [("low", 15), ("medium", 27), ("high", 15)],
    "sex": [("male", 47), ("female", 10)],
    "ethnicity": [("white", 17), ("black", 28), ("mixed", 7), ("asian", 3), ("other", 2)],
    "age": [("13", 2), ("14", 6), ("15", 11), ("16", 18), ("17", 20)],
    "status": [("current", 30), ("ended", 27)],
}

REMANDS = 2             # custody cases on remand; the other custody cases are sentences
PRE_SENTENCE_REPORTS = 28
CUSTODY_POSSIBLE = 14   # pre-sentence reports in which custody was a possible outcome
INTERVENTION_REVIEWS_DUE = 40


@dataclass(frozen=True)
class Question:
    """The answers one question gets. ``pool``: the role whose cases it can apply to;
    ``include``: a role whose cases it always applies to; ``like``: another question whose
    applicable cases it shares; ``yes_among`` / ``no_among``: another question whose yes (no)
    answers this question's yes (no) answers must fall among; ``by``: counts per value of a
    case attribute instead of overall."""

    yes: int = 0
    no: int = 0
    pool: str = "all"
    include: str | None = None
    like: str | None = None
    yes_among: str | None = None
    no_among: str | None = None
    by: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_attribute: str = "sentence_type"


# Questions in framework order, each with its (yes, no); the rest of the 57 are not applicable.
# Comments name the report's statement a question carries (details.json has the full list).
QUESTIONS: dict[str, Question] = {
    # Reducing reoffending: 244 / 404 = 60.4%
    "rr_assessment": Question(46, 11),                       # most assessments sufficient
    "rr_psr_assessment": Question(26, 2, pool="psr"),        # almost all reports
    "rr_psr_custody": Question(13, 1, pool="custody_possible"),  # all but one
    "rr_plan": Question(25, 32),
    "rr_custody_plan": Question(4, 2, pool="custodial_sentence"),  # insufficient in a third
    "rr_custody_whole_sentence": Question(5, 1, like="rr_custody_plan",
                                          no_among="rr_custody_plan"),  # half of those
    "rr_review": Question(24, 21, include="ended"),          # just over half
    "rr_delivery": Question(28, 28),                         # only half
    "rr_ete": Question(29, 24),
    "rr_ete_end": Question(22, 5, pool="ended"),             # over 80%
    "rr_reduction": Question(22, 33),                        # two fifths
    # Protecting the public: 155 / 259 = 59.8%
    "pp_assessment": Question(54, 3),                        # almost all
    "pp_plan": Question(by={"community": (18, 30), "custody": (3, 5)}),  # under half in both
    "pp_plan_objectives": Question(24, 32),
    "pp_victims": Question(31, 9),
    "pp_interventions": Question(25, 25),                    # only half
    # Protecting the child or young person: 143 / 231 = 61.9%
    "pc_assessment": Question(44, 11),                       # four fifths
    "pc_plan": Question(26, 29),
    "pc_information_sharing": Question(33, 19),
    "pc_oversight": Question(30, 20),
    "pc_health_referral": Question(0, 9),                    # none referred
    "pc_secure_private": Question(8, 0, pool="custody"),     # always
    "pc_leaving_care": Question(2, 0, pool="remand"),        # every eligible remand
    # Making sure the sentence is served: 156 / 205 = 76.1%
    "ss_engagement": Question(41, 16),
    "ss_barriers": Question(52, 5),                          # almost all assessments
    "ss_psr_barriers": Question(21, 7, pool="psr"),          # three quarters of reports
    "ss_review_interventions": Question(22, 18, pool="review_due"),  # just over half
    "ss_compliance": Question(20, 3),                        # a small number not enforced
    # Interventions to reduce reoffending: 155 / 242 = 64.0%
    "int_suitability": Question(40, 17),                     # most
    "int_delivered": Question(35, 22),
    "int_quality": Question(29, 22),
    "int_review": Question(21, 19, like="ss_review_interventions",
                           yes_among="ss_review_interventions"),  # insufficient in almost half
    "int_health": Question(30, 7),
}


def build_cases(rng: random.Random) -> list[dict[str, str]]:
    cases = [{"case_id": f"L{i + 1:02d}"} for i in range(CASES)]
    for name, levels in ATTRIBUTES.items():
        values = [v for v, n in levels for _ in range(n)]
        assert len(values) == CASES, name
        rng.shuffle(values)
        for case, value in zip(cases, values):
            case[name] = value
    return cases


def build_roles(cases: list[dict[str, str]], rng: random.Random) -> dict[str, list[str]]:
    """Which cases each role covers (case ids in sample order)."""
    ids = [c["case_id"] for c in cases]
    custody = [c["case_id"] for c in cases if c["sentence_type"] == "custody"]
    remand = set(rng.sample(custody, REMANDS))
    sentenced = [i for i in custody if i not in remand]
    community = [c["case_id"] for c in cases if c["sentence_type"] == "community"]
    # A custodial sentence follows a pre-sentence report in which custody was an option.
    psr = set(sentenced) | set(rng.sample(community, PRE_SENTENCE_REPORTS - len(sentenced)))
    others = sorted(psr - set(sentenced))
    possible = set(sentenced) | set(rng.sample(others, CUSTODY_POSSIBLE - len(sentenced)))
    roles = {
        "all": set(ids), "custody": set(custody), "remand": remand,
        "custodial_sentence": set(sentenced), "psr": psr, "custody_possible": possible,
        "review_due": set(rng.sample(ids, INTERVENTION_REVIEWS_DUE)),
        "ended": {c["case_id"] for c in cases if c["status"] == "ended"},
    }
    return {name: [i for i in ids if i in members] for name, members in roles.items()}


def _applicable(q: Question, roles: dict[str, list[str]], chosen: dict[str, dict[str, str]],
                rng: random.Random, wanted: int) -> list[str]:
    if q.like:
        return [i for i, w in chosen[q.like].items() if w != "not applicable"]
    pool = roles[q.pool]
    if wanted == len(pool):
        return list(pool)
    must = [i for i in roles[q.include]] if q.include else []
    rest = [i for i in pool if i not in set(must)]
    picked = set(must) | set(rng.sample(rest, wanted - len(must)))
    return [i for i in pool if i in picked]


def _answer(applicable: list[str], yes: int, quality: dict[str, float], rng: random.Random,
            yes_from: set[str] | None, no_from: set[str] | None) -> dict[str, str]:
    """Yes for the ``yes`` best-ranked applicable cases, no for the rest; a yes (no) can only go
    to cases in ``yes_from`` (``no_from``) when given."""
    ranked = sorted(applicable, key=lambda i: quality[i] + rng.gauss(0, 0.25), reverse=True)
    if yes_from is not None:
        ranked = [i for i in ranked if i in yes_from] + [i for i in ranked if i not in yes_from]
    if no_from is not None:
        no = len(applicable) - yes
        ranked = [i for i in ranked if i not in no_from] + [i for i in ranked if i in no_from]
        assert all(i in no_from for i in ranked[len(ranked) - no:]), "no_among too small"
    if yes_from is not None:
        assert all(i in yes_from for i in ranked[:yes]), "yes_among too small"
    return {i: ("yes" if k < yes else "no") for k, i in enumerate(ranked)}


def build_answers(cases: list[dict[str, str]], roles: dict[str, list[str]],
                  rng: random.Random) -> list[tuple[str, str, str]]:
    weakness = {"high": 0.35, "medium": 0.1, "low": 0.0}
    quality = {c["case_id"]: rng.random() - weakness[c["risk_of_harm"]]
               - weakness[c["vulnerability"]] for c in cases}
    ids = [c["case_id"] for c in cases]
    chosen: dict[str, dict[str, str]] = {}
    for question, q in QUESTIONS.items():
        word = {i: "not applicable" for i in ids}
        yes_from = {i for i, w in chosen[q.yes_among].items() if w == "yes"} \
            if q.yes_among else None
        no_from = {i for i, w in chosen[q.no_among].items() if w == "no"} \
            if q.no_among else None
        if q.by:
            for value, (yes, no) in q.by.items():
                group = [c["case_id"] for c in cases if c[q.by_attribute] == value]
                applicable = sorted(rng.sample(group, yes + no), key=ids.index)
                word.update(_answer(applicable, yes, quality, rng, yes_from, no_from))
        else:
            applicable = _applicable(q, roles, chosen, rng, q.yes + q.no)
            assert len(applicable) == q.yes + q.no, question
            word.update(_answer(applicable, q.yes, quality, rng, yes_from, no_from))
        chosen[question] = word
    return [(i, question, chosen[question][i]) for question in QUESTIONS for i in ids]


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def build() -> dict[str, str]:
    """The shipped files' text: ``{"cases.csv": ..., "answers.csv": ...}``."""
    rng = random.Random(SEED)
    cases = build_cases(rng)
    roles = build_roles(cases, rng)
    answers = build_answers(cases, roles, rng)
    header = ["case_id", *ATTRIBUTES]
    return {
        "cases.csv": _csv([header] + [[c[h] for h in header] for c in cases]),
        "answers.csv": _csv([["case_id", "question_id", "answer"]] + [list(a) for a in answers]),
    }


def main(argv: list[str] | None = None) -> int:
    out = Path(argv[0]) if argv else Path(__file__).with_name("lewisham_2016_data")
    out.mkdir(parents=True, exist_ok=True)
    for name, text in build().items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote the reconstructed Lewisham 2016 sample to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
