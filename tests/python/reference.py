"""Reference implementations used only by tests: plain pandas, written independently of the
kernel, to cross-check it."""

import numpy as np
import pandas as pd


def pandas_rates(df: pd.DataFrame, by: list[str], reoffences: str = "reoffences",
                 previous: str | None = None) -> pd.DataFrame:
    work = df.assign(_reoffender=(df[reoffences] > 0).astype(np.int64),
                     _reoffences=df[reoffences].astype(np.int64))
    aggregations = {"offenders": ("_reoffences", "size"), "reoffenders": ("_reoffender", "sum"),
                    "reoffences": ("_reoffences", "sum")}
    if previous is not None:
        work["_previous"] = df[previous].astype(np.int64)
        aggregations["previous_sum"] = ("_previous", "sum")
    if by:
        grouped = work.groupby(by, observed=True, sort=True).agg(**aggregations).reset_index()
    else:
        grouped = work.assign(_all=0).groupby("_all").agg(**aggregations).reset_index(drop=True)
    grouped["binary_rate"] = grouped["reoffenders"] / grouped["offenders"]
    grouped["frequency_rate"] = grouped["reoffences"] / grouped["offenders"]
    grouped["reoffences_per_reoffender"] = grouped["reoffences"] / grouped["reoffenders"].where(
        grouped["reoffenders"] > 0)
    if previous is not None:
        grouped["previous_offences_mean"] = grouped.pop("previous_sum") / grouped["offenders"]
    return grouped
