"""The bundled Lewisham 2016 inspection against the published report (HMI Probation, December
2016): its structure (6 + 6 + 6 + 5 + 5 + 4 key findings, the explanations with governance's
four numbered areas, the examples of notable practice, nine recommendations and who each is
addressed to), every statement it makes about proportions of its case sample, and the rule that
the wording is ours: no run of 8 words of the report appears in the dataset.

The report's text is not in the repository (its sentences must not be copied in). The copy check
uses ``data/lewisham_2016_report_shingles.txt``: a short hash of every run of 8 consecutive
words of the report, written by running this file on the report's text::

    python tests/python/test_lewisham_report.py path/to/lewisham_2016_inspection_report.md
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

import yosmodel as ym

RUN = 8  # words: a run this long copied from the report fails the check
SHINGLES = Path(__file__).with_name("data") / "lewisham_2016_report_shingles.txt"
SOURCE_NAME = "lewisham_2016_inspection_report.md"


# -- the wording is ours -----------------------------------------------------------------------

def _words(text: str) -> list[str]:
    # Case, punctuation, hyphens and apostrophes do not make a copied run different.
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def _runs(text: str) -> Iterator[tuple[str, ...]]:
    words = _words(text)
    for i in range(len(words) - RUN + 1):
        yield tuple(words[i:i + RUN])


def _digest(run: tuple[str, ...]) -> str:
    return hashlib.blake2b(" ".join(run).encode(), digest_size=5).hexdigest()


def _report_digests() -> set[str]:
    lines = SHINGLES.read_text(encoding="utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _dataset_texts() -> list[str]:
    """Every piece of text the dataset carries: details.json, the framework's expectations and
    questions, and the findings as an Inspection holds them."""
    details = ym.datasets.lewisham_2016_details()
    framework = ym.Framework.load(details["framework"])
    insp = ym.datasets.lewisham_2016()
    return [*_strings(details), *(t.expectations for t in framework.themes),
            *(q.text for q in framework.questions), *(f.text for f in insp.findings),
            *(r.text for r in insp.recommendations)]


def _copied(texts: list[str], digests: set[str]) -> list[str]:
    return [" ".join(run) for text in texts for run in _runs(text) if _digest(run) in digests]


def test_no_run_of_eight_words_of_the_report_is_in_the_dataset():
    digests = _report_digests()
    copied = _copied(_dataset_texts(), digests)
    assert not copied, f"{len(copied)} run(s) of {RUN} words copied from the report: {copied}"


def test_the_copy_check_catches_a_copied_run():
    digests = _report_digests()
    assert len(digests) > 8000  # the report is about 9,000 words long
    # The title of a document the report cites, as the report writes it: every 8-word run of
    # it is in the report, so pasting it into the dataset would fail the check above.
    title = ("Joint Strategic Needs Assessment 2014: Young People In Contact With The Criminal "
             "Justice System")
    assert len(_copied([title], digests)) == len(list(_runs(title))) == 7
    ours = ("the 2014 joint strategic needs assessment for young people in the criminal "
            "justice system")
    assert not _copied([ours], digests)


def _source() -> Path | None:
    candidates = [os.environ.get("YOSMODEL_LEWISHAM_SOURCE", "")]
    candidates += [str(p / "shared" / "sources" / SOURCE_NAME) for p in Path(__file__).parents]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def test_the_stored_hashes_are_the_reports_when_its_text_is_at_hand():
    source = _source()
    if source is None:
        pytest.skip("the report's text is not on this machine (the hashes are checked above)")
    text = source.read_text(encoding="utf-8")
    assert _report_digests() == {_digest(run) for run in _runs(text)}
    words = set(_runs(text))
    copied = [" ".join(r) for t in _dataset_texts() for r in _runs(t) if r in words]
    assert not copied, copied


# -- structure, order and addressees -----------------------------------------------------------

KEY_FINDINGS = {"reducing_reoffending": 6, "protecting_the_public": 6,
                "protecting_the_child": 6, "sentence_served": 5,
                "governance_and_partnerships": 5, "interventions": 4}
EXPLANATIONS = {"reducing_reoffending": 13, "protecting_the_public": 9,
                "protecting_the_child": 12, "sentence_served": 7, "interventions": 9}
GOVERNANCE_AREAS = [("Leadership and governance", 7), ("Partnerships", 10),
                    ("Workforce management", 4), ("Learning organisation", 3)]
# Examples of notable practice: theme -> the explanations each one follows in the report.
NOTABLE_PRACTICE = {"reducing_reoffending": ["2", "10"], "sentence_served": ["1"],
                    "interventions": ["2", "3"]}


@pytest.fixture(scope="module")
def details():
    return ym.datasets.lewisham_2016_details()


@pytest.fixture(scope="module")
def insp():
    return ym.datasets.lewisham_2016()


def test_thirty_two_key_findings_in_the_reports_order(details, insp):
    themes = [t.id for t in insp.framework.themes]
    assert list(KEY_FINDINGS) == themes
    for theme, n in KEY_FINDINGS.items():
        mine = [f for f in details["findings"] if f["theme"] == theme and f["kind"] ==
                "key_finding"]
        assert [f["number"] for f in mine] == [str(i) for i in range(1, n + 1)], theme
    assert sum(f.kind == "key_finding" for f in insp.findings) == 32
    # The Inspection holds them theme by theme in the report's order, each theme's key
    # findings first, then its explanations with the examples where the report puts them.
    order = [themes.index(f.theme) for f in insp.findings]
    assert order == sorted(order)
    for theme in themes:
        kinds = [f.kind for f in insp.findings if f.theme == theme]
        assert kinds[:KEY_FINDINGS[theme]] == ["key_finding"] * KEY_FINDINGS[theme]
        assert "key_finding" not in kinds[KEY_FINDINGS[theme]:]
    held = [f.text for f in insp.findings]
    assert len(held) == len(details["findings"])
    assert all(h.endswith(d["text"]) for h, d in zip(held, details["findings"]))


def test_explanations_numbered_as_in_the_report(details):
    for theme, n in EXPLANATIONS.items():
        numbers = [f["number"] for f in details["findings"]
                   if f["theme"] == theme and f["kind"] == "explanation"]
        assert numbers == [str(i) for i in range(1, n + 1)], theme


def test_governance_explanations_sit_in_four_numbered_areas(details, insp):
    rows = [f for f in details["findings"]
            if f["theme"] == "governance_and_partnerships" and f["kind"] == "explanation"]
    want = [(area, f"{k}.{i}") for k, (area, n) in enumerate(GOVERNANCE_AREAS, 1)
            for i in range(1, n + 1)]
    assert [(f["area"], f["number"]) for f in rows] == want
    held = [f.text for f in insp.findings
            if f.theme == "governance_and_partnerships" and f.kind == "explanation"]
    assert [t.split(":")[0] for t in held] == [f"{a} ({n})" for a, n in want]


def test_examples_of_notable_practice_follow_their_explanations(details):
    for theme in EXPLANATIONS:
        mine = [f for f in details["findings"] if f["theme"] == theme]
        after = []
        for previous, f in zip(mine, mine[1:]):
            if f["kind"] == "notable_practice":
                assert previous["kind"] == "explanation"
                assert previous["number"] == f["after"]
                after.append(f["after"])
        assert after == NOTABLE_PRACTICE.get(theme, []), theme
    assert sum(f["kind"] == "notable_practice" for f in details["findings"]) == 5


def test_nine_recommendations_with_their_addressees(insp):
    recs = insp.recommendations
    assert [r.number for r in recs] == list(range(1, 10))
    assert recs[0].addressee == "The local authority Chief Executive"
    assert {r.addressee for r in recs[1:]} == {"The YOS Head of Service"}
    theme_ids = {t.id for t in insp.framework.themes}
    assert all(r.themes and set(r.themes) <= theme_ids and r.text for r in recs)
    # The board's focus on outcomes, and its performance information, are governance.
    assert "governance_and_partnerships" in recs[0].themes
    assert "governance_and_partnerships" in recs[1].themes
    assert "interventions" in recs[3].themes  # interventions planned, delivered, evaluated
    assert "protecting_the_child" in recs[7].themes  # health services


def test_every_theme_says_what_is_expected(insp):
    assert all(len(t.expectations) > 80 for t in insp.framework.themes)


# Facts and figures that must survive the paraphrase: (theme, kind, number, substrings).
FACTS = [
    ("reducing_reoffending", "explanation", "5", ["third", "half of those"]),
    ("reducing_reoffending", "explanation", "6", ["just over half"]),
    ("reducing_reoffending", "explanation", "7", ["only half", "two cases in five"]),
    ("reducing_reoffending", "explanation", "8", ["80%"]),
    ("reducing_reoffending", "explanation", "12", ["no referrals", "2015/2016"]),
    ("protecting_the_public", "explanation", "2", ["Fewer than half"]),
    ("protecting_the_public", "explanation", "4", ["only half"]),
    ("protecting_the_child", "explanation", "1", ["four cases in five"]),
    ("protecting_the_child", "explanation", "4", ["Two of the three"]),
    ("sentence_served", "explanation", "1", ["three in four", "almost all"]),
    ("sentence_served", "explanation", "3", ["just over half"]),
    ("governance_and_partnerships", "explanation", "1.1",
     ["2016/2017", "four priority", "six performance measures", "nine operational"]),
    ("governance_and_partnerships", "explanation", "1.2", ["three months"]),
    ("governance_and_partnerships", "explanation", "2.5", ["54%"]),
    ("governance_and_partnerships", "explanation", "2.6", ["two meetings"]),
    ("interventions", "explanation", "4", ["only half"]),
    ("interventions", "explanation", "5", ["nearly half"]),
    ("reducing_reoffending", "key_finding", "4", ["only half"]),
    ("protecting_the_public", "key_finding", "2", ["more than half", "same share"]),
]


@pytest.mark.parametrize("theme, kind, number, words", FACTS)
def test_the_reports_figures_survive_the_paraphrase(details, theme, kind, number, words):
    (finding,) = [f for f in details["findings"] if (f["theme"], f["kind"], f.get("number"))
                  == (theme, kind, number)]
    for w in words:
        assert w in finding["text"], (theme, number, w)


def test_names_and_quotes_are_left_out_and_the_provenance_says_so(details):
    text = " ".join(_dataset_texts())
    assert "Yaneck" not in text and "Cynthia" not in text
    assert all(f["kind"] != "quote" for f in details["findings"])
    provenance = details["provenance"]
    for words in ("RECONSTRUCTION", "Taken from the report", "Paraphrased by yosmodel",
                  "order and structure", "addressee", "Left out", "names"):
        assert words in provenance, words


# -- every statement about the case sample -----------------------------------------------------

def _share(word: str):
    """What the report's word for a share means, as a test of (count, of)."""
    return {
        "all": lambda k, n: k == n > 0,
        "none": lambda k, n: k == 0 < n,
        "all but one": lambda k, n: n - k == 1,
        "almost all": lambda k, n: 0.9 <= k / n < 1,
        "most": lambda k, n: k / n > 0.5,
        "over 80%": lambda k, n: 0.8 < k / n < 0.85,
        "four fifths": lambda k, n: abs(k / n - 4 / 5) < 0.01,
        "three quarters": lambda k, n: abs(k / n - 3 / 4) < 0.01,
        "just over half": lambda k, n: 0.5 < k / n < 0.56,
        "half": lambda k, n: abs(k / n - 1 / 2) < 0.01,
        "almost half": lambda k, n: 0.45 <= k / n < 0.5,
        "fewer than half": lambda k, n: k / n < 0.5,
        "two fifths": lambda k, n: abs(k / n - 2 / 5) < 0.01,
        "one third": lambda k, n: abs(k / n - 1 / 3) < 0.01,
        "a small number": lambda k, n: 2 <= k <= 5,
    }[word]


# (where in the report, the statement in our words, question, case group, counted answer,
#  the report's word for the share, (count, of the applicable answers)).
STATEMENTS = [
    ("Summary; theme 1 key finding 2", "most likelihood-of-reoffending assessments sufficient",
     "rr_assessment", None, "yes", "most", (46, 57)),
    ("Theme 1 explanation 2", "almost all PSRs assess likelihood, harm and vulnerability",
     "rr_psr_assessment", None, "yes", "almost all", (26, 28)),
    ("Theme 2 key finding 1", "most PSRs assess the risk of harm to others well",
     "rr_psr_assessment", None, "yes", "most", (26, 28)),
    ("Theme 1 explanation 2", "alternatives to custody: every relevant report bar one",
     "rr_psr_custody", None, "yes", "all but one", (13, 14)),
    ("Theme 1 explanation 5", "custodial planning insufficient in a third",
     "rr_custody_plan", None, "no", "one third", (2, 6)),
    ("Theme 1 explanation 6", "reasons for offending reviewed well in just over half",
     "rr_review", None, "yes", "just over half", (24, 45)),
    ("Theme 1 KF 4, explanation 7; theme 6 explanation 4",
     "delivery matched the reasons for offending in half", "rr_delivery", None, "yes", "half",
     (28, 56)),
    ("Theme 1 explanation 7", "less frequent or less serious offending in two fifths",
     "rr_reduction", None, "yes", "two fifths", (22, 55)),
    ("Theme 1 explanation 8", "over 80% in education, training or employment at the end",
     "rr_ete_end", None, "yes", "over 80%", (22, 27)),
    ("Theme 2 explanation 1", "risk of harm assessed well in almost all cases",
     "pp_assessment", None, "yes", "almost all", (54, 57)),
    ("Theme 2 KF 2, explanation 2", "risk of harm plans sufficient in under half: community",
     "pp_plan", {"sentence_type": "community"}, "yes", "fewer than half", (18, 48)),
    ("Theme 2 KF 2, explanation 2", "risk of harm plans sufficient in under half: custody",
     "pp_plan", {"sentence_type": "custody"}, "yes", "fewer than half", (3, 8)),
    ("Theme 2 KF 3, explanation 4", "risk of harm interventions fit the need in half",
     "pp_interventions", None, "yes", "half", (25, 50)),
    ("Summary; theme 3 KF 1, explanation 1", "safeguarding needs assessed in four fifths",
     "pc_assessment", None, "yes", "four fifths", (44, 55)),
    ("Theme 3 explanation 11", "no referral to SLCN or physical health services",
     "pc_health_referral", None, "yes", "none", (0, 9)),
    ("Theme 3 explanation 6", "secure accommodation: always a private talk after reviews",
     "pc_secure_private", None, "yes", "all", (8, 8)),
    ("Theme 3 KF 4, explanation 10", "every eligible remand got the full leaving care service",
     "pc_leaving_care", None, "yes", "all", (2, 2)),
    ("Theme 4 explanation 1", "barriers to engagement addressed in almost all assessments",
     "ss_barriers", None, "yes", "almost all", (52, 57)),
    ("Theme 4 explanation 1", "barriers and diversity addressed in three quarters of PSRs",
     "ss_psr_barriers", None, "yes", "three quarters", (21, 28)),
    ("Theme 4 explanation 3", "delivery of interventions reviewed in just over half",
     "ss_review_interventions", None, "yes", "just over half", (22, 40)),
    ("Theme 4 explanation 5", "a small number not enforced when they should have been",
     "ss_compliance", None, "no", "a small number", (3, 23)),
    ("Theme 6 KF 1, explanation 4", "suitability for interventions considered well in most",
     "int_suitability", None, "yes", "most", (40, 57)),
    ("Theme 6 explanation 5", "reviews of interventions insufficient in almost half",
     "int_review", None, "no", "almost half", (19, 40)),
]


@pytest.fixture(scope="module")
def answers(insp):
    # Counted with pandas from the tidy answers, not through yosmodel's scoring.
    return insp.answers.merge(insp.cases, on="case_id", validate="many_to_one")


def _count(answers, question, where, measure) -> tuple[int, int]:
    rows = answers[answers["question_id"] == question]
    for column, value in (where or {}).items():
        rows = rows[rows[column] == value]
    applicable = rows[rows["answer"] != "not applicable"]
    return int((applicable["answer"] == measure).sum()), len(applicable)


@pytest.mark.parametrize("location, statement, question, where, measure, word, counts",
                         STATEMENTS, ids=[f"{s[2]}-{s[5]}" for s in STATEMENTS])
def test_each_statement_about_the_case_sample_holds(answers, insp, location, statement,
                                                    question, where, measure, word, counts):
    assert _count(answers, question, where, measure) == counts, (location, statement)
    assert _share(word)(*counts), (location, statement, word, counts)
    summary = insp.question_summary(where).set_index("question_id").loc[question]
    assert (int(summary[measure]), int(summary["yes"] + summary["no"])) == counts


def test_the_statements_that_relate_two_counts(answers, insp):
    def cases(question, answer):
        rows = answers[(answers["question_id"] == question) & (answers["answer"] == answer)]
        return set(rows["case_id"])

    def applicable(question):
        return cases(question, "yes") | cases(question, "no")

    # Theme 1 explanation 5: in half of the insufficient custodial plans, no plan covered the
    # whole sentence.
    short = cases("rr_custody_plan", "no")
    whole = cases("rr_custody_whole_sentence", "no")
    assert whole <= short and 2 * len(whole) == len(short) > 0
    # Theme 2 key finding 2: the same share of custody cases as of community cases.
    community = _count(answers, "pp_plan", {"sentence_type": "community"}, "yes")
    custody = _count(answers, "pp_plan", {"sentence_type": "custody"}, "yes")
    assert community[0] * custody[1] == custody[0] * community[1]
    # Theme 4 explanation 3: the reviews done were not always good enough (theme 6
    # explanation 5 counts the good ones).
    done, good = cases("ss_review_interventions", "yes"), cases("int_review", "yes")
    assert good < done and applicable("int_review") == applicable("ss_review_interventions")
    # The groups the statements are about.
    custody_cases = set(insp.cases.loc[insp.cases["sentence_type"] == "custody", "case_id"])
    ended = set(insp.cases.loc[insp.cases["status"] == "ended", "case_id"])
    assert applicable("pc_secure_private") == custody_cases
    assert applicable("pc_leaving_care") < custody_cases  # remands are custody
    assert applicable("rr_custody_plan") < custody_cases
    assert not applicable("pc_leaving_care") & applicable("rr_custody_plan")
    assert applicable("rr_ete_end") == ended  # "at the end of their order"
    # Custodial sentences follow a pre-sentence report in which custody was possible.
    assert applicable("rr_custody_plan") <= applicable("rr_psr_custody") \
        <= applicable("rr_psr_assessment") == applicable("ss_psr_barriers")


def test_details_list_the_same_statements(details):
    listed = {(s["question"], s["measure"], json.dumps(s.get("where"), sort_keys=True))
              for s in details["case_sample_statements"]}
    tested = {(s[2], s[4], json.dumps(s[3], sort_keys=True)) for s in STATEMENTS}
    # The two statements that relate counts (half of those; fewer than the reviews done) are
    # tested above, not in STATEMENTS.
    assert tested <= listed
    assert listed - tested == {("rr_custody_whole_sentence", "no", "null"),
                               ("int_review", "yes", "null")}
    assert all(s["location"] and s["statement"] for s in details["case_sample_statements"])


def test_statements_not_carried_say_why(details):
    # The report's other remarks about its sample that are not shares of work done well are
    # listed, each with the reason it has no question.
    left = details["case_sample_statements_not_carried"]
    assert len(left) == 7 and all(s["location"] and s["statement"] and s["why"] for s in left)


def test_the_reoffending_context(details):
    context = details["figures"]["reoffending"]
    rows = pd.DataFrame(context["rows"])
    assert rows["binary_rate"].tolist() == [0.46, 0.439, 0.378]
    assert rows["frequency_rate"].tolist() == [1.48, 1.24, 1.21]
    assert rows["area"].tolist() == ["Lewisham", "Lewisham", "England and Wales"]
    assert "October 2013 to September 2014" in context["cohort"]
    assert "12-month follow-up" in context["cohort"]
    # The ambiguity of the second figure is stated, with the arithmetic behind the reading.
    assert context["companion_figure"]["report_label"] == (
        "average number of previous offences per offender")
    assert "3.2" in context["note"] and "cannot be settled" in context["note"]
    assert round(1.48 / 0.46, 1) == 3.2
    table = ym.datasets.lewisham_2016_reoffending()
    assert table["binary_rate"].tolist() == rows["binary_rate"].tolist()
    assert table["frequency_rate"].tolist() == rows["frequency_rate"].tolist()
    assert "previous offences" in table.attrs["assumptions"]["frequency_rate"]


def _write_shingles(source: Path) -> None:
    digests = sorted({_digest(run) for run in _runs(source.read_text(encoding="utf-8"))})
    SHINGLES.parent.mkdir(exist_ok=True)
    header = (f"# blake2b (5 bytes) of every run of {RUN} consecutive words of HMI Probation's "
              "Lewisham report (December 2016), lower case, punctuation dropped; written by "
              "tests/python/test_lewisham_report.py\n")
    SHINGLES.write_text(header + "\n".join(digests) + "\n", encoding="utf-8")
    print(f"wrote {len(digests)} hashes to {SHINGLES}")


if __name__ == "__main__":
    _write_shingles(Path(sys.argv[1]))
