"""Proven reoffending figures quoted in HMI Probation's full joint inspection of youth offending
work in Lewisham (December 2016), from the Ministry of Justice statistics published in July 2016:
the binary rate after a 12-month follow-up for the October 2013 to September 2014 cohort, for
Lewisham, for Lewisham the year before, and for England and Wales.

Each rate comes with a second figure that the report labels "average number of previous offences
per offender". 1.48 / 0.46 = 3.2 reoffences per reoffender, which fits a frequency rate
(reoffences per offender), so it is shown as ``frequency_rate``; the report alone cannot settle
which it is, and ``attrs["assumptions"]`` says so.

The report gives rates, not cohort sizes. The sizes here are ASSUMPTIONS (parameters), so that
the rates can be compared with intervals and tests; how sure one can be that Lewisham's rate was
above the national one depends on them (see docs/comparing.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import InputError

#: Published figures: (area, cohort, binary rate, companion figure). The report labels the
#: companion figure "average number of previous offences per offender"; 1.48 / 0.46 = 3.2
#: reoffences per reoffender, so it reads as the frequency rate (reoffences per offender) and is
#: used as one. The report calls the second row "the previous year"; its cohort label here is
#: inferred (one year before the first).
PUBLISHED = [
    ("Lewisham", "Oct 2013 - Sep 2014", 0.460, 1.48),
    ("Lewisham", "Oct 2012 - Sep 2013", 0.439, 1.24),
    ("England and Wales", "Oct 2013 - Sep 2014", 0.378, 1.21),
]

#: Assumed cohort sizes (not published in the report): a London borough's youth cohort of a few
#: hundred, and a national juvenile cohort of the order of 10^4 a year (methodology.md, section 3).
ASSUMED_OFFENDERS = {"lewisham": 250, "lewisham_previous_year": 250, "england_and_wales": 30_000}


def lewisham_2016_reoffending(lewisham: int = ASSUMED_OFFENDERS["lewisham"],
                              lewisham_previous_year: int =
                              ASSUMED_OFFENDERS["lewisham_previous_year"],
                              england_and_wales: int = ASSUMED_OFFENDERS["england_and_wales"]
                              ) -> pd.DataFrame:
    """The report's reoffending figures as a :func:`reoffending_rates`-shaped table.

    Columns: ``area``, ``cohort``, ``offenders`` (the ASSUMED cohort size given here),
    ``reoffenders`` and ``reoffences`` (the published rates times the assumed size, rounded),
    ``binary_rate`` and ``frequency_rate`` (as published), ``offenders_assumed`` (True).
    ``attrs["source"]`` cites the report and ``attrs["assumptions"]`` lists the sizes used.

        >>> import yosmodel as ym
        >>> figures = ym.datasets.lewisham_2016_reoffending()
        >>> ym.compare_rates(figures.iloc[[0]], figures.iloc[2])  # doctest: +SKIP
    """
    sizes = [lewisham, lewisham_previous_year, england_and_wales]
    for name, size in zip(("lewisham", "lewisham_previous_year", "england_and_wales"), sizes):
        if not isinstance(size, (int, np.integer)) or isinstance(size, bool) or size < 1:
            raise InputError(f"{name} must be a positive whole number of offenders")
    offenders = np.array(sizes, dtype=np.int64)
    binary = np.array([row[2] for row in PUBLISHED])
    frequency = np.array([row[3] for row in PUBLISHED])
    frame = pd.DataFrame({
        "area": [row[0] for row in PUBLISHED],
        "cohort": [row[1] for row in PUBLISHED],
        "offenders": offenders,
        "reoffenders": np.rint(binary * offenders).astype(np.int64),
        "reoffences": np.rint(frequency * offenders).astype(np.int64),
        "binary_rate": binary,
        "frequency_rate": frequency,
        "offenders_assumed": True,
    })
    frame.attrs["source"] = ("HMI Probation, full joint inspection of youth offending work in "
                             "Lewisham (December 2016), citing Ministry of Justice proven "
                             "reoffending statistics published July 2016; binary rate, "
                             "12-month follow-up, October 2013 to September 2014 cohort")
    frame.attrs["assumptions"] = {
        "offenders": dict(zip(("lewisham", "lewisham_previous_year", "england_and_wales"),
                              map(int, sizes))),
        "note": "cohort sizes are not in the report; reoffenders and reoffences are the "
                "published rates times the assumed sizes, rounded",
        "frequency_rate": "the report's companion figure (1.48 / 1.24 / 1.21), labelled there "
                          "'average number of previous offences per offender'; read as "
                          "reoffences per offender because 1.48 / 0.46 = 3.2 reoffences per "
                          "reoffender; the report alone cannot settle which it is",
        "cohort": "the second row is 'the previous year' in the report; its label "
                  "Oct 2012 - Sep 2013 is inferred",
    }
    return frame
