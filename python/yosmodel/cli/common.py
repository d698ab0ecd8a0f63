"""What the commands share: the user-error policy, argparse with one-line errors, argument
types, progress bars, the disclosure options and writing a result where the user asked."""

from __future__ import annotations

import argparse
import functools
import sys
from typing import IO, Any

from ..errors import YosmodelError

# Mistakes a user can make (a missing file or column, a bad value, a malformed file, data the
# model cannot fit). They end with a one-line message and exit code 2; anything else is a bug
# and keeps its traceback.
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


def _level(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0.0 < value < 1.0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a confidence level between 0 and 1")
    return value


def _output_path(text: str) -> str:
    from .._utils.files import file_format

    if text != "-":
        try:
            file_format(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    return text


def _progress_factory(args: argparse.Namespace, stream: IO[str] | None = None):
    from .._utils.progress import Progress

    return functools.partial(Progress, enabled=not args.quiet, stream=stream)


def _disclosure_policy(args: argparse.Namespace) -> Any:
    """The policy the options ask for; None only for --no-disclosure-control."""
    if args.no_disclosure_control:
        return None
    from ..disclosure import Disclosure

    try:
        return Disclosure(threshold=args.threshold, zero_is_small=args.zero_is_small,
                          allow_small_threshold=args.allow_small_threshold)
    except ValueError as error:
        raise ValueError(f"{error} (on the command line: --allow-small-threshold)") from None


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
    if out is not None and out != "-" and file_format(out) == "parquet":
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


_EPILOG_TRACEBACK = (f"Mistakes (a missing file or column, bad values) end with a one-line "
                     f"message and exit code 2; set {TRACEBACK_VARIABLE}=1 to see a traceback.")


def _add_disclosure_options(command: argparse.ArgumentParser) -> None:
    control = command.add_argument_group(
        "disclosure control (on by default: the output is fit to publish)",
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
