"""Benchmarks against peer engines, run from `make bench`: each query lives in its own module
(peers_rates.py, peers_cohort.py, ...) with a main(argv) that prints its table and returns 0
when every engine agreed.

    python benchmarks/peers.py            # every query at full size
    python benchmarks/peers.py --small    # a quick run at small sizes
    python benchmarks/peers.py rates      # one query
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("queries", nargs="*", help="which queries (default: all)")
    parser.add_argument("--small", action="store_true", help="small sizes, for a quick check")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    available = sorted(p.stem.removeprefix("peers_") for p in HERE.glob("peers_*.py"))
    failed = []
    for name in args.queries or available:
        if name not in available:
            parser.error(f"unknown query {name!r}; choose from {', '.join(available)}")
        if importlib.import_module(f"peers_{name}").main(["--small"] if args.small else []):
            failed.append(name)
    if failed:
        print(f"engines disagreed in: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
