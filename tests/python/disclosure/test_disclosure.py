"""suppress(): hand-worked tables, the audit record, policies, rendering, and an attacker who
solves the linear system of published cells and totals and must recover no withheld count."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yosmodel as ym
from yosmodel import disclosure

COUNTS = ["offenders", "reoffenders", "reoffences"]


def one_way() -> pd.DataFrame:
    # Service A has 5 offenders (small): withheld with its reoffenders and reoffences. Alone on
    # its line it would be 55 - 20 - 30, so the smallest other service (B) is withheld too.
    table = pd.DataFrame({"yjs": ["A", "B", "C", "All"], "offenders": [5, 20, 30, 55],
                          "reoffenders": [2, 11, 12, 25], "reoffences": [4, 30, 30, 64]})
    table["binary_rate"] = table["reoffenders"] / table["offenders"]
    table["frequency_rate"] = table["reoffences"] / table["offenders"]
    table["reoffences_per_reoffender"] = table["reoffences"] / table["reoffenders"]
    return table


def test_hand_worked_one_way():
    out = ym.suppress(one_way(), by="yjs")
    assert out["offenders"].isna().tolist() == [True, True, False, False]
    assert out["reoffenders"].isna().tolist() == [True, True, False, False]
    assert out["reoffences"].isna().tolist() == [True, True, False, False]
    for name in ["binary_rate", "frequency_rate", "reoffences_per_reoffender"]:
        assert out[name].isna().tolist() == [True, True, False, False]
    assert out["offenders"].dtype == "Int64"
    assert out["offenders"][2] == 30
    rules = {(c["row"], c["column"]): c["rule"] for c in out.attrs["disclosure"]["cells"]}
    assert rules[(0, "offenders")] == "primary"
    assert rules[(0, "reoffenders")] == "primary"
    assert rules[(0, "reoffences")] == "primary"
    assert rules[(1, "offenders")] == "secondary"
    assert rules[(0, "binary_rate")] == "derived"
    assert out.attrs["disclosure"]["suppressed"] == {"primary": 3, "linked": 0, "secondary": 3,
                                                     "derived": 6}


def test_linked_counts_and_natural_missing_values():
    table = pd.DataFrame({"sex": ["F", "M"], "offenders": [50, 40], "reoffenders": [3, 0],
                          "reoffences": [12, 0]})
    table["reoffences_per_reoffender"] = table["reoffences"] / table["reoffenders"].where(
        table["reoffenders"] > 0)
    out = ym.suppress(table, by="sex")
    assert out["offenders"].tolist() == [50, 40]
    assert out["reoffenders"].isna().tolist() == [True, False]
    assert out["reoffences"].isna().tolist() == [True, False]  # 12 reoffences by 3 children
    rules = {(c["row"], c["column"]): c["rule"] for c in out.attrs["disclosure"]["cells"]}
    assert rules[(0, "reoffences")] == "linked"
    published = ym.to_published(out)
    assert published["reoffenders"].tolist() == ["~", "0"]
    # M has no reoffenders: its reoffences per reoffender is undefined, not withheld.
    assert published["reoffences_per_reoffender"].tolist() == ["~", ""]
    assert ym.to_published(out, symbol="*")["reoffences"].tolist() == ["*", "0"]
    unnested = ym.suppress(table, by="sex", nested=False)
    assert unnested["reoffences"].tolist() == [12, 0]
    zero = ym.suppress(table, by="sex", zero_is_small=True)
    assert zero["reoffenders"].isna().all()


def test_nothing_small_nothing_withheld():
    df = pd.DataFrame({"sex": ["F", "M", "All"], "offenders": [20, 30, 50],
                       "reoffenders": [10, 12, 22], "reoffences": [15, 20, 35]})
    out = ym.suppress(df, by="sex")
    assert out.attrs["disclosure"]["cells"] == []
    assert out["offenders"].tolist() == [20, 30, 50]


def test_thresholds_and_policies():
    table = one_way()
    with pytest.raises(ValueError, match="below 10 is refused"):
        ym.suppress(table, by="yjs", threshold=5)
    assert ym.suppress(table, by="yjs", threshold=5, allow_small_threshold=True)[
        "offenders"].notna().all()
    assert ym.suppress(table, by="yjs", threshold=25)["offenders"].isna().sum() >= 2
    with pytest.raises(ValueError, match="below 10"):
        ym.Disclosure(threshold=3)
    with pytest.raises(TypeError):
        ym.Disclosure(threshold=10.5)
    assert ym.Disclosure(threshold=3, allow_small_threshold=True).threshold == 3
    assert disclosure.resolve({"threshold": 20}) == ym.Disclosure(threshold=20)
    with pytest.raises(TypeError, match="unknown disclosure setting"):
        disclosure.resolve({"treshold": 20})
    with pytest.raises(TypeError):
        disclosure.resolve("off")
    assert disclosure.resolve(None) is None
    assert disclosure.DEFAULT == ym.Disclosure()


def test_apply_default_is_on_unless_turned_off():
    table = one_way()
    on = disclosure.apply_default(table, "yjs")
    assert on["offenders"].isna().sum() == 2 and on.attrs["disclosure"]["applied"]
    strict = disclosure.apply_default(table, "yjs", {"threshold": 25})
    assert strict.attrs["disclosure"]["threshold"] == 25
    off = disclosure.apply_default(table, "yjs", None)
    assert off["offenders"].tolist() == table["offenders"].tolist()
    assert off.attrs["disclosure"]["applied"] is False
    assert ym.to_published(off)["offenders"].tolist() == ["5", "20", "30", "55"]
    with pytest.raises(ValueError, match="no disclosure record"):
        ym.to_published(table)
    with pytest.raises(ValueError, match="already"):
        ym.suppress(on, by="yjs")


def test_bad_input():
    table = one_way()
    with pytest.raises(KeyError, match="'nope'"):
        ym.suppress(table, by="nope")
    with pytest.raises(TypeError, match="count column 'yjs'"):
        ym.suppress(table.assign(sex="x"), by="sex", counts=["yjs"])
    with pytest.raises(ValueError, match="2 rows have a missing value"):
        ym.suppress(table.assign(yjs=[None, None, "C", "All"]), by="yjs")
    with pytest.raises(ValueError, match="repeat"):
        ym.suppress(table.assign(yjs=["A", "A", "C", "All"]), by="yjs")
    with pytest.raises(ValueError, match="negative"):
        ym.suppress(table.assign(offenders=[-5, 20, 30, 55]), by="yjs")
    with pytest.raises(TypeError):
        ym.suppress(table.to_dict(), by="yjs")


# --- the attacker ---------------------------------------------------------------------------

def equations(table: pd.DataFrame, by: list[str], total: str = "All") -> np.ndarray:
    """Rows: one equation per line (cells sharing every other key) whose total is published
    in the table, +1 for each part and -1 for the total. Built from the labels alone."""
    rows = []
    keys = table[by].astype(str).reset_index(drop=True)
    for name in by:
        others = [k for k in by if k != name]
        line = keys[others].agg("\x1f".join, axis=1) if others else pd.Series("", keys.index)
        for _, members in line.groupby(line).groups.items():
            members = list(members)
            totals = [m for m in members if keys.at[m, name] == total]
            if not totals:
                continue
            row = np.zeros(len(table))
            for m in members:
                row[m] = -1.0 if m == totals[0] else 1.0
            rows.append(row)
    return np.array(rows).reshape(len(rows), len(table))


def recoverable(system: np.ndarray, withheld: np.ndarray) -> list[int]:
    """Withheld cells whose value follows from the published ones: e_j lies in the row space
    of the equations restricted to the withheld cells, i.e. every vector of their null space
    (from numpy's SVD, independent of the core's LU) is zero at j."""
    unknown = np.flatnonzero(withheld)
    if len(unknown) == 0 or system.shape[0] == 0:
        return []
    a = system[:, unknown]
    _, singular, vt = np.linalg.svd(a, full_matrices=True)
    tol = singular.max(initial=0.0) * max(a.shape) * np.finfo(float).eps
    rank = int((singular > tol).sum())
    null = vt[rank:].T  # columns span the null space
    if null.shape[1] == 0:
        return [int(c) for c in unknown]
    return [int(c) for c in unknown[np.abs(null).max(axis=1) < 1e-9]]


def random_cohort(rng: np.random.Generator, n: int, cards: list[int]) -> pd.DataFrame:
    data = {f"k{i}": rng.choice([f"c{j}" for j in range(c)], n,
                                p=rng.dirichlet(np.ones(c))) for i, c in enumerate(cards)}
    reoffended = rng.random(n) < rng.uniform(0.1, 0.6)
    data["reoffences"] = np.where(reoffended, rng.geometric(0.5, n), 0)
    return pd.DataFrame(data)


def attack(table: pd.DataFrame, out: pd.DataFrame, by: list[str], threshold: int = 10,
           zero_is_small: bool = False, total: str = "All") -> None:
    system = equations(out, by, total)
    # The equations hold on the true table (so the attacker's model is exact).
    for name in COUNTS:
        assert np.allclose(system @ table[name].to_numpy(float), 0)
    for name in COUNTS:
        withheld = out[name].isna().to_numpy()
        values = table[name].to_numpy()
        small = (values < threshold) & ((values > 0) | zero_is_small)
        assert withheld[small].all(), name  # primary
        assert recoverable(system, withheld) == [], name
    # No measure is published where a count it is computed from is withheld.
    for measure, inputs in disclosure.REOFFENDING_DERIVED.items():
        if measure in out:
            hidden = np.any([out[c].isna().to_numpy() for c in inputs], axis=0)
            assert out[measure][hidden].isna().all(), measure


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1),
       cards=st.lists(st.integers(1, 4), min_size=1, max_size=3),
       n=st.integers(5, 400), threshold=st.sampled_from([10, 15]), zero_is_small=st.booleans())
def test_attacker_recovers_nothing(seed, cards, n, threshold, zero_is_small):
    rng = np.random.default_rng(seed)
    df = random_cohort(rng, n, cards)
    by = [f"k{i}" for i in range(len(cards))]
    table = ym.reoffending_rates(df, by=by, margins=True)
    out = ym.suppress(table, by=by, threshold=threshold, zero_is_small=zero_is_small)
    attack(table, out, by, threshold, zero_is_small)


@pytest.mark.parametrize("seed", range(6))
def test_attacker_on_wider_three_way_tables(seed):
    rng = np.random.default_rng(100 + seed)
    df = random_cohort(rng, 600, [5, 2, 4])
    by = ["k0", "k1", "k2"]
    table = ym.reoffending_rates(df, by=by, margins=True)
    out = ym.suppress(table, by=by)
    attack(table, out, by)
    assert out.attrs["disclosure"]["suppressed"]["secondary"] > 0


def test_attacker_finds_what_primary_alone_leaves():
    # The attack itself works: without secondary suppression a lone small cell falls out.
    out = ym.suppress(one_way(), by="yjs", secondary=False)
    system = equations(out, ["yjs"])
    assert recoverable(system, out["offenders"].isna().to_numpy()) == [0]


def test_partial_margins_tables_are_protected_too():
    # Totals along the first key only (a pivot with row totals): lines along k1 have no total.
    rng = np.random.default_rng(5)
    df = random_cohort(rng, 300, [4, 3])
    full = ym.reoffending_rates(df, by=["k0", "k1"], margins=True)
    table = full[(full["k1"] != "All")].reset_index(drop=True)
    out = ym.suppress(table, by=["k0", "k1"])
    attack(table, out, ["k0", "k1"])


def test_deterministic_and_no_more_than_needed():
    rng = np.random.default_rng(9)
    df = random_cohort(rng, 800, [4, 3])
    table = ym.reoffending_rates(df, by=["k0", "k1"], margins=True)
    a = ym.suppress(table, by=["k0", "k1"])
    b = ym.suppress(table, by=["k0", "k1"])
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["disclosure"] == b.attrs["disclosure"]
    # Every secondary count is needed: publishing any one of them back lets the attacker in.
    system = equations(a, ["k0", "k1"])
    for cell in a.attrs["disclosure"]["cells"]:
        if cell["rule"] != "secondary":
            continue
        withheld = a[cell["column"]].isna().to_numpy().copy()
        withheld[cell["row"]] = False
        # Not a strict minimality proof (another choice might withhold fewer), but each
        # secondary count is load-bearing for the pattern the method chose.
        assert recoverable(system, withheld), cell


def test_audit_cells_are_shared_not_copied():
    import copy

    out = ym.suppress(one_way(), by="yjs")
    cells = out.attrs["disclosure"]["cells"]
    assert copy.deepcopy(out.attrs)["disclosure"]["cells"] is cells
    assert out[["yjs"]].attrs["disclosure"]["cells"] is cells  # pandas propagates attrs
    frame = cells.to_frame()
    assert list(frame.columns) == ["row", "column", "rule"] and len(frame) == len(cells) == 12
    counts = {k: v for k, v in out.attrs["disclosure"]["suppressed"].items() if v}
    assert frame.groupby("rule").size().to_dict() == counts
    assert "3 primary" in repr(cells) and "3 secondary" in repr(cells)
    assert cells[0] == {"row": 0, "column": "offenders", "rule": "primary"}


def test_edge_tables():
    empty = one_way().iloc[0:0]
    out = ym.suppress(empty, by="yjs")
    assert len(out) == 0 and out.attrs["disclosure"]["suppressed"]["primary"] == 0
    single = pd.DataFrame({"offenders": [7], "reoffenders": [2], "reoffences": [3]})
    assert ym.suppress(single, by=None)["offenders"].isna().all()
    with pytest.raises(ValueError, match="index repeats labels"):
        ym.suppress(one_way().set_index(pd.Index([0, 0, 1, 2])), by="yjs")
    # Integer keys with margins (ages), and a custom margins name.
    table = ym.reoffending_rates(pd.DataFrame({"age": [10, 11, 11, 12] * 5,
                                               "reoffences": [0, 1, 2, 0] * 5}),
                                 by="age", margins=True, margins_name="Total")
    out = ym.suppress(table, by="age", margins_name="Total")
    assert out["offenders"].isna().sum() == 2  # age 10 (5 people) and its partner
    attack(table, out, ["age"], total="Total")


def test_inspection_style_table():
    # Answers by case subgroup: yes / no are not nested, and the score is built from both.
    answers = pd.DataFrame({"question": ["q1"] * 3 + ["q2"] * 3,
                            "group": ["girls", "boys", "All"] * 2,
                            "yes": [3, 20, 23, 12, 15, 27], "no": [2, 14, 16, 11, 18, 29]})
    answers["score"] = answers["yes"] / (answers["yes"] + answers["no"])
    out = disclosure.apply_default(answers, ["question", "group"], counts=["yes", "no"],
                                   nested=False, derived={"score": ["yes", "no"]})
    assert out["yes"].isna().tolist() == [True, True, False, False, False, False]
    assert out["no"].isna().tolist() == [True, True, False, False, False, False]
    assert out["score"].isna().tolist() == [True, True, False, False, False, False]
    assert out.attrs["disclosure"]["uncontrolled"] == []
    assert ym.to_published(out)["score"].tolist() == ["~", "~", "0.590", "0.522", "0.455",
                                                      "0.482"]
    with pytest.raises(ValueError, match="not among the counts"):
        ym.suppress(answers, by=["question", "group"], counts=["yes"], nested=False,
                    derived={"score": ["yes", "no"]})


@pytest.mark.parametrize("table", [None, "table", [1, 2], np.array([1])])
def test_to_published_refuses_what_is_not_a_table(table):
    """Anything but a DataFrame gave AttributeError: '...' object has no attribute 'attrs'."""
    with pytest.raises(TypeError, match="to_published takes a table"):
        ym.to_published(table)


def test_first_time_entrant_and_custody_rates_are_withheld_with_their_counts():
    n = 43
    records = pd.DataFrame({"person_id": [f"p{i}" for i in range(n)],
                            "date": pd.to_datetime(["2015-06-01"] * n),
                            "kind": ["caution"] * 40 + ["custody_sentence"] * 3,
                            "date_of_birth": pd.to_datetime(["2001-01-01"] * n),
                            "yjs": ["A"] * 40 + ["B"] * 3})
    population = pd.DataFrame({"yjs": ["A", "B"], "count": [10_000, 2_000]})
    fte = ym.first_time_entrants(records, 2015, by="yjs", population=population,
                                 history_start="2000-01-01")
    safe = ym.suppress(fte, "yjs", counts=["first_time_entrants"]).set_index("yjs")
    # B's 3 entrants would come back as rate_per_100k * population / 100,000
    assert safe.loc["B", ["rate_per_100k", "rate_lower", "rate_upper",
                          "without_full_history"]].isna().all()
    assert safe.loc["A", "rate_per_100k"] == pytest.approx(400.0)
    assert str(safe["without_full_history"].dtype) == "Int64"  # a count stays whole
    custody = ym.use_of_custody(records.assign(kind=["court_conviction"] * 37
                                               + ["custody_sentence"] * 6),
                                2015, by="yjs", population=population)
    safe = ym.suppress(custody, "yjs", counts=["court_sentences", "custodial_sentences"])
    withheld = safe["custodial_sentences"].isna()
    assert withheld.any()
    for column in ("custody_per_1000", "custody_share", "custody_share_lower", "rate_upper"):
        assert safe.loc[withheld, column].isna().all()


def test_a_group_named_like_the_totals_is_refused_not_read_as_a_total():
    table = pd.DataFrame({"yjs": ["All", "B", "C"], "offenders": [30, 40, 5],
                          "reoffenders": [12, 20, 2], "reoffences": [20, 30, 3]})
    with pytest.raises(ValueError, match="rows labelled 'All' in 'yjs' are read as totals, but "
                                         "they are below the sums"):
        ym.suppress(table, "yjs")
    safe = ym.suppress(table, "yjs", margins_name="Total")  # the group is a group
    assert safe["offenders"].isna().tolist() == [False, False, True]


def test_counts_beyond_64_bit_integers_are_refused_plainly():
    table = pd.DataFrame({"yjs": ["A", "B"], "offenders": np.array([2**64 - 1, 30], np.uint64)})
    with pytest.raises(ym.InputError, match="count column 'offenders' holds counts beyond"):
        ym.suppress(table, "yjs", counts=["offenders"])


@pytest.mark.parametrize("symbol", ["0", "5", "1,000", " "])
def test_a_withheld_mark_that_reads_as_a_count_is_refused(symbol):
    table = pd.DataFrame({"yjs": ["A", "B", "C"], "offenders": [50, 30, 5]})
    with pytest.raises(ValueError, match="symbol must"):
        ym.suppress(table, "yjs", counts=["offenders"], symbol=symbol)
    with pytest.raises(ValueError, match="symbol must"):
        ym.Disclosure(symbol=symbol)
    safe = ym.suppress(table, "yjs", counts=["offenders"])
    with pytest.raises(ValueError, match="symbol must"):
        ym.to_published(safe, symbol=symbol)


def test_suppress_and_to_published_refuse_options_of_the_wrong_type_plainly():
    # hostile-measures: derived=[...] failed with AttributeError ('list' has no 'items') and
    # decimals=True (an Integral) inside format ('Format specifier missing precision').
    table = pd.DataFrame({"yjs": ["A", "B"], "offenders": [100, 8], "reoffenders": [40, 3],
                          "reoffences": [90, 5]})
    with pytest.raises(TypeError, match="derived must be a dict"):
        ym.suppress(table, "yjs", derived=["binary_rate"])
    with pytest.raises(ValueError, match="decimals"):
        ym.to_published(ym.suppress(table, "yjs"), decimals=True)


# --- identifiers: no published table carries a child's id (docs/privacy.md) -------------------

def person_table() -> pd.DataFrame:
    table = pd.DataFrame({"person_id": ["SENTINEL_1", "SENTINEL_2"], "offenders": [1, 1],
                          "reoffenders": [1, 0], "reoffences": [2, 0]})
    table["binary_rate"] = table["reoffenders"] / table["offenders"]
    return table


@pytest.mark.parametrize("key", disclosure.IDENTIFIER_COLUMNS)
@pytest.mark.parametrize("policy", [disclosure.DEFAULT, None])
def test_publishing_grouped_by_an_identifier_is_refused(key, policy):
    table = person_table().rename(columns={"person_id": key})
    with pytest.raises(ValueError, match=f"'{key}'.*identifies a child") as caught:
        disclosure.apply_default(table, key, policy)
    assert "SENTINEL" not in str(caught.value)
    with pytest.raises(ValueError, match=f"'{key}'.*identifies a child"):
        ym.suppress(table, by=key)


@pytest.mark.parametrize("key", ["Person ID", "PERSON_ID", "person-id", "Child ID", "UPN",
                                 "PNC id"])
def test_an_identifier_written_another_way_is_still_an_identifier(key):
    table = person_table().rename(columns={"person_id": key})
    with pytest.raises(ValueError, match="identifies a child") as caught:
        ym.suppress(table, by=key)
    assert "SENTINEL" not in str(caught.value)
    with pytest.raises(ValueError, match="identifies a child"):
        ym.suppress(table.assign(yjs=["A", "A"]), by="yjs")


def test_columns_that_only_look_like_identifiers_are_not_refused():
    table = person_table().drop(columns="person_id").assign(person_type=["a", "b"],
                                                            cases=["x", "y"])
    assert len(ym.suppress(table, by="person_type")) == 2


def test_an_identifier_column_beside_the_keys_is_refused():
    table = person_table().assign(yjs=["A", "A"])
    with pytest.raises(ValueError, match="'person_id'.*identifies a child"):
        ym.suppress(table, by="yjs")
    with pytest.raises(ValueError, match="'person_id'.*identifies a child"):
        disclosure.apply_default(table.set_index("person_id"), "yjs", None)


def test_to_published_charts_and_workbooks_refuse_an_identifier_column(tmp_path):
    table = disclosure.apply_default(person_table().drop(columns="person_id"), None, None)
    table["person_id"] = ["SENTINEL_1", "SENTINEL_2"]  # added after disclosure control
    with pytest.raises(ValueError, match="'person_id'.*identifies a child"):
        ym.to_published(table)
    with pytest.raises(ValueError, match="'person_id'.*identifies a child"):
        disclosure.charted_rows(table, None, ["offenders"])
    with pytest.raises(ValueError, match="'person_id'.*identifies a child"):
        ym.to_excel({"rates": table}, tmp_path / "rates.xlsx")
    assert not (tmp_path / "rates.xlsx").exists()
