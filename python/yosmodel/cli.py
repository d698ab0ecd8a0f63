"""The ``yosmodel`` command line."""

from __future__ import annotations

import argparse
import os
import sys


def _demo(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import datasets

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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yosmodel", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the main job on the bundled data",
                               description="Build the Lewisham 2016 inspection report from "
                               "the bundled data and print its key judgements. "
                               "Example: yosmodel demo --output report.html")
    demo.add_argument("--output", default=os.path.join("build", "lewisham_2016_report.html"),
                      help="where to write the Lewisham 2016 report "
                      "(default: build/lewisham_2016_report.html)")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
