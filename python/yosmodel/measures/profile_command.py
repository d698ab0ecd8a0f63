"""``yosmodel profile``: a service's performance profile from record files, written as a
self-contained HTML page or an Excel workbook. Registered by yosmodel.cli."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from ..errors import InputError

ENGLAND_AND_WALES = "England and Wales"


def _comparators(path: str | None, area: str) -> dict[str, Any]:
    """Comparators from a file of (comparator, <area>) rows, with England and Wales (every
    service) added unless the file names it."""
    comparators: dict[str, Any] = {}
    if path is not None:
        from .._utils.files import read_table

        table = read_table(path, {"comparator": ["comparator", area]})
        if table["comparator"].isna().any() or table[area].isna().any():
            raise InputError(f"{path}: {int(table.isna().any(axis=1).sum())} row(s) lack a "
                             f"comparator or a {area}")
        for label, part in table.groupby("comparator", sort=False):
            comparators[str(label)] = list(part[area])
    comparators.setdefault(ENGLAND_AND_WALES, "all")
    return comparators


def _years(text: str) -> list[int]:
    try:
        years = [int(y) for y in text.replace(",", " ").split()]
    except ValueError:
        raise argparse.ArgumentTypeError("years must be whole years, e.g. 2016,2017,2018") \
            from None
    if not years:
        raise argparse.ArgumentTypeError("name at least one year")
    from .profile import _calendar_years

    try:
        return _calendar_years(years)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error).replace("[2016, 2017]", "2016,2017")) \
            from None


def _run(args: argparse.Namespace) -> int:
    from .._utils.files import read_table
    from ..cli.main import disclosure_policy, refuse_overwriting_inputs, require_excel
    from .kpis import STATUS_COLUMNS
    from .profile import performance_profile

    policy = disclosure_policy(args)
    if not args.out.lower().endswith((".html", ".htm", ".xlsx")):
        raise InputError(f"{args.out}: write the profile to a .html or .xlsx file")
    if args.out.lower().endswith(".xlsx"):
        require_excel(args.out)
    # .html is never an input's name, but a link or a second name of one can be
    refuse_overwriting_inputs(args.out, args.disposals, args.offences, args.population,
                               args.statuses, args.comparators, overwrite=args.overwrite)
    disposals = read_table(args.disposals,
                           required={"disposal": ["person_id", "date", "kind", args.area]})
    offences = read_table(args.offences,
                          required={"offence": ["person_id", "offence_date", "proven_date"]})
    population = read_table(args.population, required={"population": [args.area, "year",
                                                                       "count"]})
    statuses = read_table(args.statuses, required={"status": [*STATUS_COLUMNS, args.area]}) \
        if args.statuses else None
    profile = performance_profile(disposals, offences, population, args.service,
                                  _comparators(args.comparators, args.area), years=args.years,
                                  statuses=statuses, area=args.area, disclosure=policy)
    if args.out.lower().endswith(".xlsx"):
        profile.to_excel(args.out)
    else:
        profile.report(args.out)
    if not args.quiet:
        print(f"wrote the performance profile of the service to {args.out}", file=sys.stderr)
    if policy is None:
        print("yosmodel: warning: disclosure control is OFF (--no-disclosure-control): small "
              "counts about children are shown; do not publish this profile", file=sys.stderr)
    return 0


def add_profile_command(commands: Any,
                        add_disclosure_options: Callable[[argparse.ArgumentParser], None],
                        add_overwrite_option: Callable[[argparse.ArgumentParser], None]
                        ) -> argparse.ArgumentParser:
    profile = commands.add_parser(
        "profile", help="a service's performance profile (HTML or Excel) from record files",
        description="A service's performance profile: first time entrants, custody and proven "
        "reoffending over the years beside its comparators, its KPIs, a funnel plot across "
        "services and a disproportionality table, with disclosure control. See "
        "docs/measures.md.",
        epilog="example:\n"
        "  yosmodel profile disposals.csv offences.csv population.csv --service 'Service C' "
        "--years 2016,2017,2018 --comparators comparators.csv --statuses statuses.csv "
        "--out profile.html",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    profile.add_argument("disposals", metavar="DISPOSALS", help="disposal records")
    profile.add_argument("offences", metavar="OFFENCES", help="offence records")
    profile.add_argument("population", metavar="POPULATION",
                         help="population table (yjs, year, age or age_band, sex, count)")
    profile.add_argument("--service", required=True, help="the service to profile")
    profile.add_argument("--years", type=_years, required=True, metavar="YEAR[,YEAR]",
                         help="calendar years, comma-separated")
    profile.add_argument("--comparators", metavar="FILE",
                         help="rows of (comparator, yjs): the services each comparator pools; "
                         "England and Wales (every service) is added")
    profile.add_argument("--statuses", metavar="FILE",
                         help="end-of-order statuses, for the KPIs")
    profile.add_argument("--area", default="yjs", help="the service column (default yjs)")
    profile.add_argument("--out", required=True, metavar="FILE.html|FILE.xlsx")
    add_overwrite_option(profile)
    add_disclosure_options(profile)
    profile.set_defaults(run=_run)
    return profile
