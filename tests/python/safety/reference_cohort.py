"""An independent reference for the cohort definition on records as they are exported: plain
pandas, its own date parsing (an explicit strptime layout) and its own table of words for kinds,
written from the definition and not from the library."""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Case-management words for each kind, as a test author reads the vocabularies (lower case,
#: spaces squeezed). Independent of the library's alias table on purpose.
WORDS = {
    "caution": "caution", "youth caution": "caution", "youth_caution": "caution",
    "youth conditional caution": "caution", "conditional caution": "caution",
    "referral order": "court_conviction", "youth rehabilitation order": "court_conviction",
    "yro": "court_conviction", "court conviction": "court_conviction",
    "court_conviction": "court_conviction",
    "detention and training order": "custody_sentence", "dto": "custody_sentence",
    "custody_sentence": "custody_sentence",
    "dto release": "custody_release", "custody release": "custody_release",
    "custody_release": "custody_release",
    "community resolution": "community_resolution", "community_resolution": "community_resolution",
    "remand": "remand",
}
QUALIFYING = ("custody_release", "court_conviction", "caution")


def normal_kind(word, extra: dict | None = None):
    if word is None or (isinstance(word, float) and np.isnan(word)):
        return None
    squeezed = " ".join(str(word).split()).lower()
    if extra:
        lowered = {" ".join(k.split()).lower(): v for k, v in extra.items()}
        if squeezed in lowered:
            return lowered[squeezed]
    return WORDS.get(squeezed)


def parse(values: pd.Series, layout: str) -> pd.Series:
    return pd.to_datetime(values, format=layout, errors="coerce")


def reference_cohort(disposals: pd.DataFrame, offences: pd.DataFrame, start, end, *,
                     layout: str = "%d/%m/%Y", kinds: dict | None = None, follow_up: int = 12,
                     waiting: int = 6) -> pd.DataFrame:
    """person_id, index_date, index_kind, follow_up_end, waiting_end, reoffences,
    days_to_first_reoffence (-1 for none), previous_offences; one row per person."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    d = disposals.reset_index(drop=True).assign(row=lambda f: np.arange(len(f)))
    d["date"] = parse(d["date"], layout)
    d["kind"] = [normal_kind(k, kinds) for k in d["kind"]]
    q = d[d["person_id"].notna() & d["date"].notna() & d["kind"].isin(QUALIFYING)]
    q = q[(q["date"] >= start) & (q["date"] <= end)]
    index = q.sort_values(["date", "row"]).groupby("person_id", sort=True).head(1)
    o = offences.copy()
    o["offence_date"] = parse(o["offence_date"], layout)
    o["proven_date"] = parse(o["proven_date"], layout)
    o = o.dropna(subset=["person_id", "offence_date", "proven_date"])
    o = o[o["proven_date"] >= o["offence_date"]].drop_duplicates()
    if "counts" in o:
        o = o[o["counts"].astype(str).str.strip().str.lower().isin(["true", "1"])]
    rows = []
    for _, idx in index.sort_values("person_id").iterrows():
        date = idx["date"]
        follow_up_end = date + pd.DateOffset(months=follow_up)
        waiting_end = follow_up_end + pd.DateOffset(months=waiting)
        own = o[o["person_id"] == idx["person_id"]]
        re = own[(own["offence_date"] > date) & (own["offence_date"] <= follow_up_end)
                 & (own["proven_date"] <= waiting_end)]
        rows.append({"person_id": idx["person_id"], "index_date": date,
                     "index_kind": idx["kind"], "follow_up_end": follow_up_end,
                     "waiting_end": waiting_end, "reoffences": len(re),
                     "days_to_first_reoffence":
                         (re["offence_date"].min() - date).days if len(re) else -1,
                     "previous_offences": int((own["proven_date"] < date).sum())})
    return pd.DataFrame(rows)


def comparable(cohort: pd.DataFrame) -> pd.DataFrame:
    """The columns the reference computes, in plain types, for assert_frame_equal."""
    out = cohort[["person_id", "index_date", "index_kind", "follow_up_end", "waiting_end",
                  "reoffences", "days_to_first_reoffence", "previous_offences"]].copy()
    out["person_id"] = out["person_id"].astype(str)
    out["index_kind"] = out["index_kind"].astype(str)
    out["days_to_first_reoffence"] = pd.to_numeric(out["days_to_first_reoffence"]).fillna(
        -1).astype(np.int64)
    for name in ("index_date", "follow_up_end", "waiting_end"):
        out[name] = pd.to_datetime(out[name]).dt.strftime("%Y-%m-%d")
    for name in ("reoffences", "previous_offences"):
        out[name] = out[name].astype(np.int64)
    return out.reset_index(drop=True)
