"""The ``yosmodel`` command line."""

from __future__ import annotations

import argparse
import sys


def _demo(args: argparse.Namespace) -> int:
    import pandas as pd

    from . import datasets, reoffending_rates

    cohort = datasets.synthetic_cohort(args.rows, seed=0)
    table = reoffending_rates(cohort, by=["cohort", "sex"], previous_offences="previous_offences")
    print(f"Proven reoffending by cohort quarter and sex: SYNTHETIC cohort of {args.rows:,} "
          "people (yosmodel.datasets.synthetic_cohort; no real person)\n")
    with pd.option_context("display.width", 160, "display.max_columns", 20,
                           "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="yosmodel", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="run the main job on the bundled data",
                               description="Run the main job on the bundled data. "
                               "Example: yosmodel demo")
    demo.add_argument("--rows", type=int, default=1_000_000, help="synthetic cohort size")
    demo.set_defaults(run=_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
