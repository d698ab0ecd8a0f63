"""The commands: demo, rates, cohort and report (each takes the parsed arguments and returns
the exit code)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .common import _disclosure_policy, _progress_factory, _publish


def _demo(args: argparse.Namespace) -> int:
    import pandas as pd

    from .. import datasets

    insp = datasets.lewisham_2016()
    path = insp.report(args.output)
    print(f"{insp.figures['title']}\n"
          "Key judgements (scores computed from a RECONSTRUCTED 57-case sample that reproduces "
          "the published ones):\n")
    table = insp.key_judgements()
    table["score"] = [("-" if pd.isna(v) else f"{int(v)}%") for v in table["score"]]
    with pd.option_context("display.width", 160, "display.max_columns", 10):
        print(table.to_string(index=False))
    print(f"\nReport written to {os.path.abspath(path)}")
    return 0


def _rates(args: argparse.Namespace) -> int:
    from .._utils.files import read_table
    from ..disclosure import apply_default
    from ..reoffending.stepwise import reoffending_rates_in_steps

    by = args.by or []
    wanted = {"grouping": by, "reoffences": [args.reoffences]}
    if args.previous_offences:
        wanted["previous offences"] = [args.previous_offences]
    policy = _disclosure_policy(args)  # a bad threshold fails before any reading
    progress = _progress_factory(args)
    cohort = read_table(args.file, wanted, progress=progress)
    if len(cohort) == 0:
        raise ValueError(f"{args.file}: the file has a header but no rows (no one in the cohort)")
    with progress("counting", total=len(cohort), unit="rows") as bar:
        table = reoffending_rates_in_steps(
            cohort, by=by, reoffences=args.reoffences, previous_offences=args.previous_offences,
            level=args.level, method=args.method, threads=args.threads,
            margins=policy is not None, on_step=bar.advance)
    table = apply_default(table, by, policy)
    grouping = ", ".join(by) if by else "the whole cohort"
    title = (f"Proven reoffending by {grouping}: {len(cohort):,} people in "
             f"{Path(args.file).name}\n")
    _publish(table, args.out, title, args)
    return 0


def _cohort(args: argparse.Namespace) -> int:
    from .._utils.files import read_table
    from ..reoffending.cohort import build_cohort

    start, end = args.period
    progress = _progress_factory(args)
    disposals = read_table(args.disposals, progress=progress)
    offences = read_table(args.offences, progress=progress)
    with progress("building the cohort"):
        cohort = build_cohort(disposals, offences, start, end,
                              follow_up_months=args.follow_up_months,
                              waiting_months=args.waiting_months, strict=args.strict,
                              threads=args.threads)
    if args.out is not None:
        _write_person_level(cohort, args.out)
    summary = _cohort_summary(cohort, start, end)
    if args.out is None:
        print(summary)
    elif not args.quiet:
        print(f"wrote the cohort ({len(cohort):,} people, one row each) to {args.out}; it is "
              "person-level criminal offence data about children: keep it as such",
              file=sys.stderr)
        print(summary, file=sys.stderr)
    return 0


def _write_person_level(cohort: Any, out: str) -> None:
    from .._utils.files import write_table

    table = cohort.copy()
    table.attrs = {}  # the diagnostics stay in the summary; Parquet metadata must be JSON
    if out == "-":
        table.to_csv(sys.stdout, index=False)
    else:
        write_table(table, out)


def _cohort_summary(cohort: Any, start: str, end: str) -> str:
    """What a cohort holds, in aggregate only (no person's row)."""
    people = len(cohort)
    reoffenders = int(cohort["reoffended"].sum()) if people else 0
    lines = [f"Proven reoffending cohort {start} to {end}: {people:,} people, "
             f"{reoffenders:,} reoffended"
             + (f" (binary rate {reoffenders / people:.3f})" if people else "")]
    definition = cohort.attrs.get("definition", {})
    if definition:
        lines.append(f"follow-up {definition.get('follow_up_months')} months, waiting period "
                     f"{definition.get('waiting_months')} months")
    for table, rules in cohort.attrs.get("diagnostics", {}).items():
        counted = {rule: n for rule, n in rules.items() if n}
        if counted:
            lines.append(f"{table}: " + ", ".join(f"{rule.replace('_', ' ')} {n:,}"
                                                  for rule, n in counted.items()))
    lines.extend(f"warning: {w}" for w in cohort.attrs.get("warnings", []))
    if people:
        lines.append("(the person-level cohort is written only with --out FILE)")
    return "\n".join(lines)


def _report(args: argparse.Namespace) -> int:
    from .._utils.files import read_table
    from ..inspection import Inspection

    if not args.out.lower().endswith((".html", ".htm")):
        raise ValueError(f"--out {args.out}: the report is HTML; name a .html file")
    policy = _disclosure_policy(args)
    progress = _progress_factory(args)
    try:
        inspection = Inspection.from_json(args.inspection)
    except ValueError as error:
        raise ValueError(f"{args.inspection}: {error}") from None
    reoffending = None
    if args.reoffending:
        reoffending = read_table(args.reoffending, progress=progress)
    with progress(f"writing {Path(args.out).name}"):
        path = inspection.report(args.out, reoffending=reoffending, title=args.title,
                                 disclosure=policy)
    if not args.quiet:
        print(f"wrote the report on {inspection.service or 'the inspection'} "
              f"({len(inspection.cases)} cases) to {path}", file=sys.stderr)
    if policy is None:
        print("yosmodel: warning: disclosure control is OFF (--no-disclosure-control): the "
              "report shows small counts and says so; do not publish it", file=sys.stderr)
    return 0
