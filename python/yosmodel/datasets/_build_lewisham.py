"""Builds the RECONSTRUCTED case-level sample behind ``yosmodel.datasets.lewisham_2016()``.

The published report gives theme scores and a few per-question facts, not case records. This
script makes a sample of 57 fictional cases whose answers reproduce them exactly:

* theme scores (done well / applicable, rounded half up): reducing reoffending 60%, protecting
  the public 60%, protecting the child 62%, making sure the sentence is served 76%,
  interventions 64%;
* per-question facts, placed on the questions they most plausibly describe (the placement is
  ours): "all but one case" (engagement, 56 of 57), "one-third" (measurable objectives in risk
  of harm plans, 19 of 57), "four-fifths" (vulnerability assessment, 44 of 55), "just over
  half" (plans addressing offending factors, 30 of 57).

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
from pathlib import Path

SEED = 2016
CASES = 57

# question id -> (yes, no, not applicable); each row adds to 57.
COUNTS: dict[str, tuple[int, int, int]] = {
    # Reducing reoffending: 128 / 212 = 60.4%
    "rr_assessment": (45, 12, 0),
    "rr_plan": (30, 27, 0),              # "just over half"
    "rr_review": (20, 25, 12),
    "rr_ete": (33, 20, 4),
    # Protecting the public: 122 / 204 = 59.8%
    "pp_assessment": (40, 17, 0),
    "pp_plan_objectives": (19, 38, 0),   # "one-third"
    "pp_victims": (28, 12, 17),
    "pp_interventions": (35, 15, 7),
    # Protecting the child or young person: 129 / 209 = 61.7%
    "pc_assessment": (44, 11, 2),        # "four-fifths"
    "pc_plan": (28, 24, 5),
    "pc_information_sharing": (30, 22, 5),
    "pc_oversight": (27, 23, 7),
    # Making sure the sentence is served: 113 / 149 = 75.8%
    "ss_engagement": (56, 1, 0),         # "all but one case"
    "ss_compliance": (27, 13, 17),
    "ss_barriers": (30, 22, 5),
    # Interventions to reduce reoffending: 93 / 145 = 64.1%
    "int_delivered": (37, 20, 0),
    "int_quality": (30, 21, 6),
    "int_health": (26, 11, 20),
}

# Published per-question facts: question id -> (words in the report, yes, applicable).
FACTS: dict[str, tuple[str, int, int]] = {
    "ss_engagement": ("all but one case", 56, 57),
    "pp_plan_objectives": ("one-third", 19, 57),
    "pc_assessment": ("four-fifths", 44, 55),
    "rr_plan": ("just over half", 30, 57),
}

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

# Questions whose not-applicable answers fall only on some cases: a review not yet due can only
# be in a current case.
NOT_APPLICABLE_AMONG = {"rr_review": ("status", "current")}


def build_cases(rng: random.Random) -> list[dict[str, str]]:
    cases = [{"case_id": f"L{i + 1:02d}"} for i in range(CASES)]
    for name, levels in ATTRIBUTES.items():
        values = [v for v, n in levels for _ in range(n)]
        assert len(values) == CASES, name
        rng.shuffle(values)
        for case, value in zip(cases, values):
            case[name] = value
    return cases


def build_answers(cases: list[dict[str, str]], rng: random.Random) -> list[tuple[str, str, str]]:
    weakness = {"high": 0.35, "medium": 0.1, "low": 0.0}
    quality = {c["case_id"]: rng.random() - weakness[c["risk_of_harm"]]
               - weakness[c["vulnerability"]] for c in cases}
    answers = []
    for question, (yes, no, na) in COUNTS.items():
        assert yes + no + na == CASES, question
        ids = [c["case_id"] for c in cases]
        eligible = ids
        if question in NOT_APPLICABLE_AMONG:
            attribute, value = NOT_APPLICABLE_AMONG[question]
            eligible = [c["case_id"] for c in cases if c[attribute] == value]
        not_applicable = set(rng.sample(eligible, na))
        applicable = [i for i in ids if i not in not_applicable]
        ranked = sorted(applicable, key=lambda i: quality[i] + rng.gauss(0, 0.25), reverse=True)
        word = {i: "not applicable" for i in not_applicable}
        word.update({i: "yes" for i in ranked[:yes]})
        word.update({i: "no" for i in ranked[yes:]})
        answers.extend((i, question, word[i]) for i in ids)
    return answers


def _csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def build() -> dict[str, str]:
    """The shipped files' text: ``{"cases.csv": ..., "answers.csv": ...}``."""
    rng = random.Random(SEED)
    cases = build_cases(rng)
    answers = build_answers(cases, rng)
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
