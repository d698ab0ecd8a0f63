"""compare_rates on a table through disclosure control leaves withheld rows empty; a comparator
given only as a rate works (treated as known) and is named; each row gets a plain-words summary."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import yosmodel as ym
from scipy import stats


def wilson(x: int, n: int, level: float = 0.95) -> tuple[float, float]:
    z = stats.norm.ppf(0.5 + level / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def table():
    return pd.DataFrame({"yjs": ["S1", "S2", "S3", "All"], "offenders": [100, 40, 50, 190],
                         "reoffenders": [40, 5, 20, 65], "reoffences": [90, 7, 30, 127]})


def test_suppressed_rows_stay_empty_and_the_rest_is_compared():
    national = {"offenders": 1000, "reoffenders": 378}
    suppressed = ym.suppress(table(), by="yjs")
    got = ym.compare_rates(suppressed, national)
    full = ym.compare_rates(table(), national)
    withheld = suppressed["reoffenders"].isna().to_numpy()
    assert withheld.tolist() == [False, True, True, False]
    for name in ("binary_rate_difference", "binary_rate_difference_lower", "z", "p_value"):
        assert got.loc[withheld, name].isna().all()
        np.testing.assert_allclose(got.loc[~withheld, name], full.loc[~withheld, name])
    assert not got.loc[withheld, "significant"].fillna(False).any()
    assert got.loc[withheld, "summary"].str.contains("withheld").all()


def test_a_comparator_given_as_a_rate_is_treated_as_known():
    rates = pd.DataFrame({"yjs": ["S1", "S2"], "offenders": [1000, 400],
                          "reoffenders": [288, 150]})
    for comparator in (0.378, {"binary_rate": 0.378}):
        got = ym.compare_rates(rates, comparator, comparator_name="national")
        for row, (x, n) in enumerate(((288, 1000), (150, 400))):
            lower, upper = wilson(x, n)
            z = (x / n - 0.378) / math.sqrt(0.378 * 0.622 / n)
            assert got["comparator_binary_rate"].iloc[row] == pytest.approx(0.378)
            assert got["binary_rate_difference"].iloc[row] == pytest.approx(x / n - 0.378)
            assert got["binary_rate_difference_lower"].iloc[row] == pytest.approx(lower - 0.378)
            assert got["binary_rate_difference_upper"].iloc[row] == pytest.approx(upper - 0.378)
            assert got["z"].iloc[row] == pytest.approx(z)
            assert got["p_value"].iloc[row] == pytest.approx(2 * stats.norm.sf(abs(z)))
            # the score test and the score interval agree about significance
            assert bool(got["significant"].iloc[row]) == (not lower <= 0.378 <= upper)
        assert got["comparator"].tolist() == ["national", "national"]
        assert got.attrs["comparison"]["comparator"] == "national"
        assert "known" in got.attrs["comparison"]["test"]


def test_the_plain_words_summary():
    rates = pd.DataFrame({"yjs": ["S1", "S2"], "offenders": [1000, 400],
                          "reoffenders": [288, 150]})
    got = ym.compare_rates(rates, 0.378, comparator_name="national")
    lower, upper = wilson(288, 1000)
    assert got["summary"].iloc[0] == (
        f"28.8% ({lower * 100:.1f}-{upper * 100:.1f}%) against 37.8% nationally: "
        "9.0 points lower, significant at 5%")
    lower, upper = wilson(150, 400)
    assert got["summary"].iloc[1] == (
        f"37.5% ({lower * 100:.1f}-{upper * 100:.1f}%) against 37.8% nationally: "
        "0.3 points lower, not significant at 5%")
    named = ym.compare_rates(rates, {"offenders": 2000, "reoffenders": 700},
                             comparator_name="last year")
    assert named["summary"].iloc[0].startswith("28.8% (")
    assert "against 35.0% for last year: 6.2 points lower, significant at 5%" in \
        named["summary"].iloc[0]
    assert named["comparator"].tolist() == ["last year", "last year"]


def test_bad_comparator_rates_are_refused():
    rates = pd.DataFrame({"offenders": [10], "reoffenders": [3]})
    for bad in (1.5, -0.1, float("nan"), {"binary_rate": 2}):
        with pytest.raises(ValueError, match="rate"):
            ym.compare_rates(rates, bad)
