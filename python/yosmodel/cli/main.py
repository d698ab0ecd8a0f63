"""The ``yosmodel`` command line: proven reoffending measures from CSV and Parquet files."""

from __future__ import annotations

import argparse
import os
import sys

from .commands import _cohort, _demo, _rates, _report
from .common import (
    _EPILOG_TRACEBACK,
    TRACEBACK_VARIABLE,
    USAGE_ERROR,
    USER_ERRORS,
    _add_disclosure_options,
    _level,
    _output_path,
    _Parser,
    _positive_int,
    _split_columns,
)


def build_parser() -> argparse.ArgumentParser:
    from ..stats import METHODS

    parser = _Parser(prog="yosmodel", description=__doc__, epilog=_EPILOG_TRACEBACK,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                     parser_class=_Parser)

    demo = commands.add_parser(
        "demo", help="run the main job on the bundled data",
        description="Build the Lewisham 2016 inspection report from the bundled data and print "
        "its key judgements.",
        epilog="example:\n  yosmodel demo --output report.html",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    demo.add_argument("--output", default=os.path.join("build", "lewisham_2016_report.html"),
                      help="where to write the Lewisham 2016 report "
                      "(default: build/lewisham_2016_report.html)")
    demo.set_defaults(run=_demo)

    rates = commands.add_parser(
        "rates", help="proven reoffending measures per group of a person-level cohort file",
        description="Proven reoffending measures (offenders, reoffenders, reoffences, binary "
        "rate with its confidence interval, frequency rate, reoffences per reoffender) per "
        "group of a person-level cohort: one row per person, in a CSV or Parquet file.",
        epilog="examples:\n"
        "  yosmodel rates cohort.csv --by yjs,sex\n"
        "  yosmodel rates cohort.parquet --by cohort --previous-offences previous_offences "
        "--out rates.parquet\n"
        "  yosmodel rates cohort.csv --by sex --out - | head\n"
        "  yosmodel rates cohort.csv --by yjs --threshold 20 --zero-is-small",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    rates.add_argument("file", metavar="FILE", help="person-level cohort (.csv, .csv.gz, "
                       ".parquet)")
    rates.add_argument("--by", type=_split_columns, metavar="COL[,COL]",
                       help="grouping columns, comma-separated (default: the whole cohort)")
    rates.add_argument("--reoffences", default="reoffences", metavar="COL",
                       help="column of proven reoffences per person (default: reoffences)")
    rates.add_argument("--previous-offences", metavar="COL",
                       help="column of offences proven before the index date; adds "
                       "previous_offences_mean")
    rates.add_argument("--level", type=_level, default=0.95,
                       help="confidence level of the binary rate's interval (default 0.95)")
    rates.add_argument("--method", choices=METHODS, default="wilson",
                       help="interval method (default wilson)")
    rates.add_argument("--threads", type=_positive_int, default=None,
                       help="kernel threads (default: every core)")
    rates.add_argument("--out", type=_output_path, metavar="FILE",
                       help="write .csv or .parquet ('-' for CSV on stdout) instead of a table")
    _add_disclosure_options(rates)
    rates.set_defaults(run=_rates)

    cohort = commands.add_parser(
        "cohort", help="a proven reoffending cohort (one row per person) from event records",
        description="Build the proven reoffending cohort of a period from disposal records "
        "(person_id, date, kind, and any columns to carry, e.g. yjs, sex, date_of_birth) and "
        "offence records (person_id, offence_date, proven_date, optionally counts), as "
        "yosmodel.build_cohort does. Without --out, prints a summary only: the cohort is "
        "person-level data.",
        epilog="examples:\n"
        "  yosmodel cohort disposals.csv offences.csv --period 2015-10-01 2016-09-30\n"
        "  yosmodel cohort disposals.parquet offences.parquet --period 2016-01-01 2016-03-31 "
        "--out cohort.parquet\n"
        "  yosmodel rates cohort.parquet --by yjs --previous-offences previous_offences",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    cohort.add_argument("disposals", metavar="DISPOSALS", help="disposal records (.csv, "
                        ".parquet)")
    cohort.add_argument("offences", metavar="OFFENCES", help="offence records (.csv, .parquet)")
    cohort.add_argument("--period", nargs=2, required=True, metavar=("START", "END"),
                        help="the cohort period, both ends included (ISO dates)")
    cohort.add_argument("--follow-up-months", type=int, default=12,
                        help="follow-up after the index date (default 12)")
    cohort.add_argument("--waiting-months", type=int, default=6,
                        help="waiting period for offences to be proven (default 6)")
    cohort.add_argument("--strict", action="store_true",
                        help="fail on records that break the rules instead of setting them "
                        "aside")
    cohort.add_argument("--threads", type=_positive_int, default=None,
                        help="threads (default: every core)")
    cohort.add_argument("--out", type=_output_path, metavar="FILE",
                        help="write the cohort to .csv or .parquet ('-' for CSV on stdout)")
    cohort.set_defaults(run=_cohort)

    report = commands.add_parser(
        "report", help="an inspection report (self-contained HTML) from an inspection file",
        description="Write an inspection report: key judgements, a section per theme with its "
        "data summary chart, recommendations and reoffending context, as one self-contained "
        "HTML file. The inspection is a JSON file written by yosmodel.Inspection.to_json.",
        epilog="examples:\n"
        "  yosmodel report lewisham_2016.json --out report.html\n"
        "  yosmodel report inspection.json --out report.html --reoffending rates.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("inspection", metavar="INSPECTION.json",
                        help="an inspection written by Inspection.to_json")
    report.add_argument("--out", required=True, metavar="FILE.html", help="where to write it")
    report.add_argument("--reoffending", metavar="FILE",
                        help="a table of reoffending rates (.csv or .parquet, e.g. from "
                        "'yosmodel rates --out') to include")
    report.add_argument("--title", help="the report's title (default: from the inspection)")
    _add_disclosure_options(report)
    report.set_defaults(run=_report)

    for command in (demo, rates, cohort, report):
        command.add_argument("--quiet", action="store_true",
                             help="no progress bars or notes on stderr")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Runs the command line; returns the exit code (0, or 2 for a user's mistake)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, or a usage error already reported in one line
        return int(stop.code or 0)
    try:
        return args.run(args)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except USER_ERRORS as error:
        if os.environ.get(TRACEBACK_VARIABLE) == "1":
            raise
        message = error.args[0] if isinstance(error, KeyError) and error.args else str(error)
        print(f"yosmodel {args.command}: error: {message}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print(f"yosmodel {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
