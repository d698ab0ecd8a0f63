"""The ``yosmodel`` command line: proven reoffending measures from CSV and Parquet files."""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
from pathlib import Path
from typing import IO, Any

from .._utils.plural import counted
from ..errors import InputError, NotFoundError, YosmodelError

# Mistakes a user can make (a missing file or column, a bad value, a malformed file). They end
# with a one-line message and exit code 2; anything else is a bug and keeps its traceback.
USER_ERRORS = (OSError, ValueError, TypeError, KeyError, YosmodelError)
USAGE_ERROR = 2
TRACEBACK_VARIABLE = "YOSMODEL_TRACEBACK"  # set to 1 to see the traceback behind a message


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: the message and where to find help, no usage dump."""

    def error(self, message: str) -> Any:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _split_columns(text: str) -> list[str]:
    names = [name.strip() for name in text.split(",")]
    if any(not name for name in names):
        raise argparse.ArgumentTypeError(f"'{text}' is not a comma-separated list of column names")
    return names


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive whole number")
    return value


def _max_reoffences(text: str) -> int:
    from .._core.reoffending import highest_max_reoffences

    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= highest_max_reoffences:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number between 1 and "
                                         f"{highest_max_reoffences:,}")
    return value


def _pairs(form: str) -> Any:
    """A parser of 'A=B[,A=B]' into a dict, refusing other text with the form expected."""
    def parse(text: str) -> dict[str, str]:
        pairs = {}
        for part in text.split(","):
            left, sep, right = part.partition("=")
            if not sep or not left.strip() or not right.strip():
                raise argparse.ArgumentTypeError(f"'{text}' is not {form}")
            pairs[left.strip()] = right.strip()
        return pairs
    return parse


_kinds_mapping = _pairs("WORD=KIND[,WORD=KIND]")
_columns_mapping = _pairs("HEADER=NAME[,HEADER=NAME]")


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a share between 0 and 1 (0.01 is 1%)")
    return value


def refuse_overwriting_inputs(out: str | None, *inputs: str | None,
                              overwrite: bool = False) -> None:
    """The output must not be one of the inputs: writing over an extract would destroy the
    only copy of the records (a typo away: `--out x.csv` for `x.csv`). Nor, unless
    ``overwrite`` (--overwrite), any other file that exists: last year's figures, say."""
    if out is None or out == "-":
        return
    target = Path(out)
    for given in inputs:
        if given is None:
            continue
        source = Path(given)
        same = target.resolve() == source.resolve()
        if not same and target.exists() and source.exists():
            same = os.path.samefile(target, source)
        if same:
            raise InputError(f"--out {out} is an input of this command; write the output to "
                             "another file")
    if target.exists() and not overwrite:
        raise InputError(f"--out {out} exists; name another file, or give --overwrite to "
                         "replace it")


def add_overwrite_option(command: argparse.ArgumentParser) -> None:
    command.add_argument("--overwrite", action="store_true",
                         help="replace the --out file if it exists (refused otherwise)")


def _cli_words(message: str) -> str:
    """An API message in the command line's words."""
    for api, cli in (("max_set_aside=", "--max-set-aside "), ("raise max_set_aside",
                                                             "raise --max-set-aside"),
                     ("max_reoffences=", "--max-reoffences "),
                     ("raise max_reoffences", "raise --max-reoffences"),
                     ("kinds={'word': 'code'}", "--kinds 'word=kind'"),
                     ("kinds maps", "--kinds maps"), ("(strict=True)", "(--strict)"),
                     (" (on the command line --date-format or --dayfirst)", ""),
                     ("date_format='", "--date-format '"), ("date_format must",
                                                            "--date-format must"),
                     ("dayfirst=True", "--dayfirst"), ("(dayfirst)", "(--dayfirst)"),
                     ("period_start", "--period START"), ("period_end", "--period END"),
                     ("threads must", "--threads must"), ("by names", "--by names"),
                     ("by cannot group", "--by cannot group"),
                     ("area cannot group", "--area cannot group"),
                     (" or pass another margins_name", ""),
                     ("follow_up_months", "--follow-up-months"),
                     ("waiting_months", "--waiting-months"),
                     ("records_end", "--records-end")):
        # Not after a hyphen or a letter: a message said twice (by the command, then by main)
        # must not become '----threads must'.
        guard = r"(?<![-\w])" if api[0].isalnum() else ""
        message = re.sub(guard + re.escape(api), cli.replace("\\", r"\\"), message)
    return message


def _level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a confidence level between 0 and 1")
    return value


def require_excel(path: str) -> None:
    """An .xlsx output needs openpyxl (the optional 'excel' extra): said before any work,
    not as an ImportError traceback once the table is ready."""
    import importlib.util

    if importlib.util.find_spec("openpyxl") is None:
        raise InputError(f"{path}: writing an Excel workbook needs openpyxl: pip install "
                         "'yosmodel[excel]' (or write .csv or .parquet)")


def _output_path(text: str) -> str:
    from .._utils.files import output_format

    if text.lower().endswith(".xlsx"):
        try:
            require_excel(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    if text != "-" and not text.lower().endswith(".xlsx"):
        try:
            output_format(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    if text != "-":
        # Said now, not once a large file has been read and counted.
        target = Path(text)
        if target.is_dir():
            raise argparse.ArgumentTypeError(f"{text} is a folder; name a file in it")
        if not target.parent.is_dir():
            raise argparse.ArgumentTypeError(f"{text}: cannot write into a non-existent "
                                             f"directory '{target.parent}'")
    return text


def _cohort_output_path(text: str) -> str:
    """The cohort is written as CSV or Parquet only: refused here, not after building it."""
    if text.lower().endswith(".xlsx"):
        raise argparse.ArgumentTypeError(f"{text}: the cohort is written to .csv or .parquet "
                                         "(a workbook is for tables of rates)")
    return _output_path(text)


def _progress_factory(args: argparse.Namespace, stream: IO[str] | None = None):
    from .._utils.progress import Progress

    return functools.partial(Progress, enabled=not args.quiet, stream=stream)


def disclosure_policy(args: argparse.Namespace) -> Any:
    """The policy the options ask for; None only for --no-disclosure-control."""
    if args.no_disclosure_control:
        return None
    from ..disclosure import Disclosure

    try:
        return Disclosure(threshold=args.threshold, zero_is_small=args.zero_is_small,
                          allow_small_threshold=args.allow_small_threshold)
    except ValueError as error:
        if "below" not in str(error):
            raise InputError(f"--{error}") from None
        raise InputError(f"{error} (on the command line: --allow-small-threshold)") from None


def _json_safe_record(table: Any) -> dict[str, Any]:
    """The disclosure record as plain JSON values, to travel in a Parquet file's metadata."""
    record = dict(table.attrs.get("disclosure", {}))
    cells = record.get("cells")
    if cells is not None:
        record["cells"] = cells.to_frame().astype(str).to_dict(orient="records")
    return {"disclosure": {k: (list(v) if isinstance(v, tuple) else v)
                           for k, v in record.items()}}


def _publish(table: Any, out: str | None, title: str, args: argparse.Namespace) -> None:
    """Writes a result to a file, to stdout as CSV (``--out -``) or as a table for people.
    A table through disclosure control is written as published: withheld cells show the
    symbol (CSV, terminal) or are missing with the record of rules in the metadata (Parquet)."""
    from .._utils.files import file_format, terminal_table, write_table
    from ..disclosure import to_published

    controlled = bool(table.attrs.get("disclosure", {}).get("applied"))
    if out is not None and out.lower().endswith(".xlsx"):
        from ..measures.workbook import to_excel

        to_excel({"table": table}, out, title=title.strip())
    elif out is not None and out != "-" and file_format(out) == "parquet":
        if controlled:
            table = table.copy()
            table.attrs = _json_safe_record(table)
        write_table(table, out)
    elif out is not None:
        text = to_published(table, decimals=6) if controlled else table
        if out == "-":
            text.to_csv(sys.stdout, index=False)
        else:
            write_table(text, out)
    else:
        print(title)
        if controlled:
            print(to_published(table, decimals=3).to_string(index=False))
        else:
            print(terminal_table(table))
    if out not in (None, "-") and not args.quiet:
        print(f"wrote {len(table):,} rows to {out}", file=sys.stderr)
    if controlled and not args.quiet:
        record = table.attrs.get("disclosure", {})
        withheld = sum(record.get("suppressed", {}).values())
        print(f"disclosure control: counts below {record.get('threshold')} withheld"
              f"{' (zeros too)' if record.get('zero_is_small') else ''}, with secondary "
              f"suppression against the totals; {withheld:,} values withheld "
              f"(shown as {record.get('symbol')!r})", file=sys.stderr)
    if not controlled:
        # A safety warning, not a note: --quiet does not silence it.
        print("yosmodel: warning: disclosure control is OFF (--no-disclosure-control): small "
              "counts about children are shown; do not publish this table", file=sys.stderr)


def _demo(args: argparse.Namespace) -> int:
    import pandas as pd

    from .. import datasets

    if not args.output.lower().endswith((".html", ".htm")):
        # as for `report`: `--output cohort.csv` would write HTML over a data file
        raise InputError(f"--output {args.output}: the report is HTML; name a .html file")
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


def _say_set_aside(command: str, caught: list[Any]) -> None:
    """Records set aside are said even with --quiet (a silent table is a wrong one); other
    warnings go on as warnings."""
    import warnings

    from .._utils.set_aside import RecordsSetAsideWarning

    for warning in caught:
        if issubclass(warning.category, RecordsSetAsideWarning):
            print(f"yosmodel {command}: {_cli_words(str(warning.message))}", file=sys.stderr)
        else:
            warnings.warn_explicit(warning.message, warning.category, warning.filename,
                                   warning.lineno)


def _rates(args: argparse.Namespace) -> int:
    import warnings

    from .._utils.files import read_table
    from .._utils.set_aside import RecordsSetAsideWarning
    from ..disclosure import apply_default, refuse_identifiers
    from ..reoffending.stepwise import reoffending_rates_in_steps

    refuse_overwriting_inputs(args.out, args.file, overwrite=args.overwrite)

    by = args.by or []
    refuse_identifiers(by)  # before any reading; apply_default would refuse it after counting
    wanted = {"grouping": by, "reoffences": [args.reoffences]}
    if args.previous_offences:
        wanted["previous offences"] = [args.previous_offences]
    policy = disclosure_policy(args)  # a bad threshold fails before any reading
    progress = _progress_factory(args)
    cohort = read_table(args.file, wanted, progress=progress)
    if len(cohort) == 0:
        raise InputError(f"{args.file}: the file has a header but no rows (no one in the cohort)")
    with progress("counting", total=len(cohort), unit="rows") as bar, \
            warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RecordsSetAsideWarning)
        try:
            table = reoffending_rates_in_steps(
                cohort, by=by, reoffences=args.reoffences,
                previous_offences=args.previous_offences, level=args.level, method=args.method,
                threads=args.threads, margins=policy is not None, on_step=bar.advance,
                max_reoffences=args.max_reoffences, max_set_aside=args.max_set_aside)
        finally:
            _say_set_aside("rates", caught)
    table = apply_default(table, by, policy)
    grouping = ", ".join(by) if by else "the whole cohort"
    # The people counted, not the rows read: a row set aside by a rule is no one in the table.
    aside = sum(count for w in caught if issubclass(w.category, RecordsSetAsideWarning)
                for name, count in getattr(w.message, "counts", {}).items()
                if name.startswith("cohort."))
    counted = _people(len(cohort) - aside)
    withheld_total = policy is not None and _total_withheld(table, by)
    if withheld_total:
        # The title must not publish the total the table withholds (a cohort of 6).
        counted = "people (their number withheld by disclosure control)"
    if aside and withheld_total:
        # "1 of 5 rows set aside" gave the withheld total back (5 - 1); the rule's line on
        # stderr says what was set aside.
        counted += " (some rows set aside, as said above)"
    elif aside:
        counted += f" ({aside:,} of {len(cohort):,} rows set aside)"
    title = f"Proven reoffending by {grouping}: {counted} in {Path(args.file).name}\n"
    _publish(table, args.out, title, args)
    return 0


def _people(count: int) -> str:
    """'1 person', '2,000 people' (the summaries said '1 people')."""
    return counted(count, "person", "people")


def _total_withheld(table: Any, by: list[str], margins_name: str = "All") -> bool:
    """Whether the table's count of everyone (its total row) is withheld."""
    total = table
    for key in by:
        total = total[total[key].astype(object) == margins_name]
    return len(total) != 1 or bool(total["offenders"].isna().iloc[0])


def _cohort(args: argparse.Namespace) -> int:
    import warnings

    from .._utils.dates import DateOptions, read_date
    from .._utils.files import read_table
    from .._utils.set_aside import RecordsSetAsideWarning
    from ..reoffending.cohort import DISPOSAL_COLUMNS, OFFENCE_COLUMNS, build_cohort

    refuse_overwriting_inputs(args.out, args.disposals, args.offences, overwrite=args.overwrite)
    policy = disclosure_policy(args)  # a bad threshold fails before any reading
    start, end = args.period
    dates = DateOptions(args.date_format, args.dayfirst)
    for value, name in ((start, "--period START"), (end, "--period END")) + (
            ((args.records_end, "--records-end"),) if args.records_end is not None else ()):
        read_date(value, name, dates, cli=True)  # a bad period fails before any reading
    if args.records_end is not None and read_date(args.records_end, "--records-end", dates) \
            < read_date(end, "--period END", dates):
        raise InputError(f"--records-end {args.records_end} is before --period END {end}: give "
                         "the date the offence records are complete to, on or after the "
                         "period's end")
    progress = _progress_factory(args)
    rename = _renamed_columns(args.columns, args.disposals, args.offences)
    disposals = read_table(args.disposals, progress=progress,
                           required={"disposal": DISPOSAL_COLUMNS}, rename=rename)
    offences = read_table(args.offences, progress=progress,
                          required={"offence": OFFENCE_COLUMNS[:3]}, rename=rename)
    with progress("building the cohort"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RecordsSetAsideWarning)
        try:
            cohort = build_cohort(disposals, offences, start, end,
                                  follow_up_months=args.follow_up_months,
                                  waiting_months=args.waiting_months, strict=args.strict,
                                  threads=args.threads, date_format=args.date_format,
                                  dayfirst=args.dayfirst, kinds=args.kinds,
                                  max_set_aside=args.max_set_aside,
                                  records_end=args.records_end)
        except (ValueError, TypeError) as error:
            raise type(error)(_cli_words(str(error))) from None
    # What the summary prints from attrs["warnings"] (dates of birth no age comes from) is
    # said there once, not again as a Python warning with a source line.
    summarised = set(cohort.attrs.get("warnings", []))
    _say_set_aside("cohort", [w for w in caught if str(w.message) not in summarised])
    if args.out is not None:
        _write_person_level(cohort, args.out)
    summary = _cohort_summary(cohort, start, end, policy, written=args.out is not None)
    if policy is None:  # a safety warning, not a note: --quiet does not silence it
        print("yosmodel: warning: disclosure control is OFF (--no-disclosure-control): the "
              "summary shows small counts about children; do not publish it", file=sys.stderr)
    if args.out is None:
        print(summary)
    elif not args.quiet:
        print(f"wrote the cohort ({_people(len(cohort))}, one row each) to {args.out}; it is "
              "person-level criminal offence data about children: keep it as such",
              file=sys.stderr)
        print(summary, file=sys.stderr)
    else:
        # --quiet hides notes and progress, never what the summary would have warned of
        # (dates of birth no age comes from, a period unlike the published ones).
        for line in cohort.attrs.get("warnings", []):
            print(f"yosmodel cohort: warning: {_cli_words(line)}", file=sys.stderr)
    return 0


def _renamed_columns(columns: dict[str, str] | None, *paths: str) -> dict[str, str] | None:
    """--columns as given, once each header name it renames is in one of the files (a name
    in neither is a typo, which would otherwise surface as a missing person_id)."""
    if not columns:
        return None
    from .._utils.files import header_names

    present = {name for path in paths for name in header_names(path)}
    absent = [name for name in columns if name not in present]
    if absent:
        raise NotFoundError(f"--columns renames {', '.join(map(repr, absent))}, which neither "
                            "file's header has (names are matched exactly, without the spaces "
                            "around them)")
    return columns


def _write_person_level(cohort: Any, out: str) -> None:
    from .._utils.files import write_table

    table = cohort.copy()
    table.attrs = {}  # the diagnostics stay in the summary; Parquet metadata must be JSON
    if out == "-":
        table.to_csv(sys.stdout, index=False)
    else:
        write_table(table, out)


def _cohort_summary(cohort: Any, start: str, end: str, policy: Any,
                    written: bool = False) -> str:
    """What a cohort holds, in aggregate only (no person's row). The people and reoffenders
    go through disclosure control as a published table's would (a cohort of 4 with 2
    reoffenders was printed so), and so do the counts of rows read and set aside, unless it
    was turned off."""
    import pandas as pd

    from ..disclosure import apply_default

    size = len(cohort)
    reoffenders = int(cohort["reoffended"].sum()) if size else 0
    counts = apply_default(pd.DataFrame({"offenders": [size], "reoffenders": [reoffenders],
                                         "reoffences": [int(cohort["reoffences"].sum())]}),
                           [], policy).iloc[0]
    if pd.isna(counts["offenders"]):
        said = "people and reoffenders withheld by disclosure control (too few to publish)"
    elif pd.isna(counts["reoffenders"]):
        said = f"{_people(size)}, reoffenders withheld by disclosure control"
    else:
        said = f"{_people(size)}, {reoffenders:,} reoffended" + (
            f" (binary rate {reoffenders / size:.3f})" if size else "")
    lines = [f"Proven reoffending cohort {start} to {end}: {said}"]
    definition = cohort.attrs.get("definition", {})
    if definition:
        lines.append(f"follow-up {definition.get('follow_up_months')} months, waiting period "
                     f"{definition.get('waiting_months')} months")
    # Row counts too are small counts: with one qualifying disposal a child, "qualifying in
    # period 4" was the cohort of 4 withheld above.
    def rows(n: int) -> str:
        return f"fewer than {policy.threshold}" if policy is not None and \
            n < policy.threshold else f"{n:,}"

    for table, rules in cohort.attrs.get("diagnostics", {}).items():
        counted = {rule: n for rule, n in rules.items() if n}
        if counted:
            lines.append(f"{table}: " + ", ".join(f"{rule.replace('_', ' ')} {rows(n)}"
                                                  for rule, n in counted.items()))
    if definition.get("records_end") is not None:
        lines.append(f"offence records complete to {definition['records_end']:%Y-%m-%d}")
    lines.extend(f"warning: {_cli_words(w)}" for w in cohort.attrs.get("warnings", []))
    if size and not written:  # with --out it was written: the hint would say it was not
        lines.append("(the person-level cohort is written only with --out FILE)")
    return "\n".join(lines)


def _report(args: argparse.Namespace) -> int:
    from .._utils.files import read_table
    from ..inspection import Inspection

    if not args.out.lower().endswith((".html", ".htm")):
        raise InputError(f"--out {args.out}: the report is HTML; name a .html file")
    refuse_overwriting_inputs(args.out, args.inspection, args.reoffending,
                              overwrite=args.overwrite)
    policy = disclosure_policy(args)
    progress = _progress_factory(args)
    failure: InputError | None = None
    try:
        inspection = Inspection.from_json(args.inspection)
    except (ValueError, TypeError) as error:  # a field of the wrong type too: name the file
        failure = InputError(f"{args.inspection}: {error}")
    if failure is not None:
        raise failure  # out of the except block: no error behind it to hold a value
    reoffending = None
    if args.reoffending:
        reoffending = read_table(args.reoffending, progress=progress)
        _refuse_published_csv(reoffending, args.reoffending)
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


def _refuse_published_csv(table: Any, path: str) -> None:
    """A rates CSV written with disclosure control shows withheld values as '~' and cannot
    carry the record of its rules, so the report could neither check it nor control it again
    (it failed on 'count column 'offenders' has dtype str')."""
    from ..reoffending.partials import MEASURES

    for name in [*MEASURES, "previous_offences_mean"]:
        if name in table.columns and table[name].dtype.kind not in "iufb" \
                and table[name].astype(str).str.strip().eq("~").any():
            raise InputError(f"{path}: column '{name}' holds values withheld by disclosure "
                             "control ('~'), and a CSV cannot carry the record of its rules; "
                             "write the rates with --out FILE.parquet (which keeps it), or "
                             "with --no-disclosure-control so the report applies its own")


_EPILOG_TRACEBACK = (f"Mistakes (a missing file or column, bad values) end with a one-line "
                     f"message and exit code 2; set {TRACEBACK_VARIABLE}=1 to see a traceback.")


def _add_disclosure_options(command: argparse.ArgumentParser, output: str = "the output") -> None:
    control = command.add_argument_group(
        f"disclosure control (on by default: {output} is fit to publish)",
        "Counts below the threshold are withheld, with everything derived from them, and "
        "further cells are withheld so none can be worked back from the totals. See "
        "docs/privacy.md.")
    control.add_argument("--threshold", type=_positive_int, default=10,
                         help="withhold counts below this (default 10; below 10 needs "
                         "--allow-small-threshold)")
    control.add_argument("--zero-is-small", action="store_true",
                         help="withhold zero counts too")
    control.add_argument("--allow-small-threshold", action="store_true",
                         help="allow a threshold below 10 (a deliberate, recorded choice)")
    control.add_argument("--no-disclosure-control", action="store_true",
                         help="turn disclosure control off: exact counts and a warning on "
                         "stderr; for working data that will not be published")


def build_parser() -> argparse.ArgumentParser:
    from .._core.reoffending import default_max_reoffences, highest_max_reoffences
    from ..stats import METHODS

    parser = _Parser(prog="yosmodel", description=__doc__, epilog=_EPILOG_TRACEBACK,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"yosmodel {__version__}")
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
    rates.add_argument("--max-reoffences", type=_max_reoffences,
                       default=default_max_reoffences, metavar="N",
                       help="a row with more reoffences than this is a data error and is set "
                       f"aside, said on stderr (default {default_max_reoffences:,}; 1 to "
                       f"{highest_max_reoffences:,}; a plausible maximum, not a sourced figure)")
    rates.add_argument("--max-set-aside", type=_share, default=0.01, metavar="SHARE",
                       help="fail when the rule sets aside more than this share of the rows "
                       "(default 0.01, 1%%)")
    rates.add_argument("--out", type=_output_path, metavar="FILE",
                       help="write .csv, .parquet or .xlsx ('-' for CSV on stdout) instead of a "
                       "table")
    add_overwrite_option(rates)
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
                        help="the cohort period, both ends included (ISO dates, or in the "
                        "layout --date-format or --dayfirst states)")
    cohort.add_argument("--date-format", metavar="LAYOUT",
                        help="strptime layout of dates not written ISO 8601, e.g. '%%d/%%m/%%Y' "
                        "or '%%Y%%m%%d' (ISO dates are read too)")
    cohort.add_argument("--dayfirst", action="store_true",
                        help="read dd/mm/yyyy dates (as UK case-management exports write them)")
    cohort.add_argument("--kinds", type=_kinds_mapping, metavar="WORD=KIND[,WORD=KIND]",
                        help="map words in the kind column to kind codes, for words the alias "
                        "table does not know, e.g. 'Final Warning=caution'")
    cohort.add_argument("--columns", type=_columns_mapping, metavar="HEADER=NAME[,HEADER=NAME]",
                        help="read columns whose header says otherwise under the names the "
                        "command reads, in both files, e.g. 'Person ID=person_id,Disposal "
                        "Date=date,Disposal Type=kind,Offence Date=offence_date,Proven "
                        "Date=proven_date'")
    cohort.add_argument("--max-set-aside", type=_share, default=0.01, metavar="SHARE",
                        help="fail when one rule sets aside more than this share of a file "
                        "(default 0.01, 1%%)")
    cohort.add_argument("--follow-up-months", type=int, default=12,
                        help="follow-up after the index date (default 12)")
    cohort.add_argument("--waiting-months", type=int, default=6,
                        help="waiting period for offences to be proven (default 6)")
    cohort.add_argument("--records-end", metavar="DATE",
                        help="the last date the offence records are complete to (the "
                        "extract's date): people whose waiting period ends after it are "
                        "counted and warned of, as their reoffending is undercounted")
    cohort.add_argument("--strict", action="store_true",
                        help="fail on records that break the rules instead of setting them "
                        "aside")
    cohort.add_argument("--threads", type=_positive_int, default=None,
                        help="threads (default: every core)")
    cohort.add_argument("--out", type=_cohort_output_path, metavar="FILE",
                        help="write the cohort to .csv or .parquet ('-' for CSV on stdout)")
    add_overwrite_option(cohort)
    _add_disclosure_options(cohort, "the summary printed")
    cohort.set_defaults(run=_cohort)

    report = commands.add_parser(
        "report", help="an inspection report (self-contained HTML) from an inspection file",
        description="Write an inspection report: key judgements, a section per theme with its "
        "data summary chart, recommendations and reoffending context, as one self-contained "
        "HTML file. The inspection is a JSON file written by yosmodel.Inspection.to_json.",
        epilog="examples:\n"
        "  yosmodel report lewisham_2016.json --out report.html\n"
        "  yosmodel report inspection.json --out report.html --reoffending rates.parquet",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("inspection", metavar="INSPECTION.json",
                        help="an inspection written by Inspection.to_json")
    report.add_argument("--out", required=True, metavar="FILE.html", help="where to write it")
    report.add_argument("--reoffending", metavar="FILE",
                        help="a table of reoffending rates (.csv or .parquet, e.g. from "
                        "'yosmodel rates --out') to include")
    report.add_argument("--title", help="the report's title (default: from the inspection)")
    add_overwrite_option(report)
    _add_disclosure_options(report)
    report.set_defaults(run=_report)

    from ..measures.profile_command import add_profile_command

    profile = add_profile_command(commands, _add_disclosure_options, add_overwrite_option)

    for command in (demo, rates, cohort, report, profile):
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
        message = _cli_words(str(message))
        print(f"yosmodel {args.command}: error: {message}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print(f"yosmodel {args.command}: interrupted", file=sys.stderr)
        return 130


def run() -> None:
    """The ``yosmodel`` command and ``python -m yosmodel``: main(), then the process ends with
    its exit code once stdout and stderr are flushed, without the interpreter's teardown.
    Background threads of pyarrow (behind pandas' str columns and the CSV readers) can abort
    the process in that teardown ("terminate called without an active exception",
    apache/arrow#34314), turning a finished command's exit code 0 or 2 into 134 now and then.
    Every file the command writes is closed before main() returns."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed or broken pipe: nothing more can be said
            pass
    os._exit(code)


if __name__ == "__main__":
    run()
