"""yosmodel.plot draws what the table says: bar heights, interval bars and comparator lines are
read back from the matplotlib artists (not pixels) and compared with the numbers."""

import numpy as np
import pandas as pd
import pytest

import yosmodel as ym

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture
def table():
    data = pd.DataFrame({"sex": ["F"] * 4 + ["M"] * 6,
                         "reoffences": [0, 0, 2, 0, 1, 3, 0, 0, 5, 1]})
    # Groups of 4 and 6: disclosure control would withhold both, so it is turned off explicitly
    # (the geometry is what these tests read).
    return ym.disclosure.apply_default(ym.reoffending_rates(data, by="sex"), "sex", None)


def bars_of(ax):
    return next(c for c in ax.containers if isinstance(c, BarContainer))


def whiskers_of(ax):
    """(lower, upper) of each interval bar, read from the error bar line segments."""
    errorbar = next(c for c in ax.containers if isinstance(c, ErrorbarContainer))
    segments = errorbar.lines[2][0].get_segments()
    return [(s[0][1], s[1][1]) for s in segments]


def test_bar_heights_and_interval_bars(table):
    ax = ym.plot.rates(table)
    heights = [p.get_height() for p in bars_of(ax).patches]
    assert heights == pytest.approx([1 / 4, 4 / 6], rel=1e-12)
    lower, upper = ym.proportion_interval([1, 4], [4, 6])  # computed independently
    whiskers = np.array(whiskers_of(ax))
    np.testing.assert_allclose(whiskers[:, 0], lower, rtol=1e-12)
    np.testing.assert_allclose(whiskers[:, 1], upper, rtol=1e-12)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["F", "M"]
    assert ax.get_xlabel() == "sex"
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"
    assert ym.plot.comparator_lines(ax) == []  # none asked for


def test_comparator_lines(table):
    ax = ym.plot.rates(table, comparator={"England and Wales": 0.378, "Last year": 0.439})
    lines = ym.plot.comparator_lines(ax)
    assert [line.get_label() for line in lines] == ["England and Wales", "Last year"]
    assert [tuple(line.get_ydata()) for line in lines] == [(0.378, 0.378), (0.439, 0.439)]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "confidence interval", "England and Wales", "Last year"]
    single = ym.plot.rates(table, comparator=0.4, comparator_label="national")
    assert [line.get_label() for line in ym.plot.comparator_lines(single)] == ["national"]


def test_frequency_rate_without_intervals_on_given_axes(table):
    fig, ax = plt.subplots()
    returned = ym.plot.rates(table, measure="frequency_rate", ax=ax, title="Frequency")
    assert returned is ax
    assert [p.get_height() for p in bars_of(ax).patches] == pytest.approx([2 / 4, 10 / 6])
    assert not any(isinstance(c, ErrorbarContainer) for c in ax.containers)
    assert "frequency" in ax.get_ylabel().lower()
    assert ax.get_title(loc="left") == "Frequency"


def test_several_keys_label_each_bar_and_whole_cohort_is_one_bar(random_cohort):
    df = random_cohort(500)
    ax = ym.plot.rates(ym.reoffending_rates(df, by=["quarter", "sex"]), orientation="vertical",
                       disclosure=None)
    labels = [t.get_text() for t in ax.get_xticklabels()]
    assert labels[0] == "Q1 / Female" and len(labels) == 8
    whole = ym.plot.rates(ym.reoffending_rates(df), disclosure=None)
    assert [t.get_text() for t in whole.get_xticklabels()] == ["All"]
    assert bars_of(whole).patches[0].get_height() == pytest.approx((df["reoffences"] > 0).mean())


def test_many_or_long_labels_lay_bars_horizontally(random_cohort):
    table = ym.reoffending_rates(random_cohort(2000), by=["yjs", "sex"])
    ax = ym.plot.rates(table, comparator=0.4, disclosure=None)
    bars = sorted(bars_of(ax).patches, key=lambda p: -p.get_y())  # top to bottom
    np.testing.assert_allclose([p.get_width() for p in bars], table["binary_rate"], rtol=1e-12)
    errorbar = next(c for c in ax.containers if isinstance(c, ErrorbarContainer))
    segments = sorted(errorbar.lines[2][0].get_segments(), key=lambda s: -s[0][1])
    np.testing.assert_allclose([s[0][0] for s in segments], table["binary_rate_lower"],
                               rtol=1e-12)
    np.testing.assert_allclose([s[1][0] for s in segments], table["binary_rate_upper"],
                               rtol=1e-12)
    ticks = sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda t: -t[0])
    assert [label.get_text() for _, label in ticks] == [
        f"{y} / {s}" for y, s in zip(table["yjs"], table["sex"])]
    (line,) = ym.plot.comparator_lines(ax)
    assert tuple(line.get_xdata()) == (0.4, 0.4)
    assert ax.xaxis.get_major_formatter()(0.25, 0) == "25%"


def test_small_groups_are_withheld_by_default(random_cohort):
    df = random_cohort(400)
    big = df.assign(service="Large")
    small = df.head(6).assign(service="Small")  # 6 children: below the threshold of 10
    table = ym.reoffending_rates(pd.concat([big, small]), by="service")
    ax = ym.plot.rates(table, orientation="vertical")
    heights = [p.get_height() for p in bars_of(ax).patches]
    assert heights[0] == pytest.approx(table["binary_rate"].iloc[0])
    assert heights[1] == 0.0  # no bar: its height would publish the small group's rate
    notes = [t for t in ax.texts if t.get_gid() == "withheld"]
    assert [t.get_text() for t in notes] == ["withheld"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Large", "Small"]
    # The caller's table is not changed, and turning control off draws the small bar.
    assert table["binary_rate"].notna().all()
    off = ym.plot.rates(table, orientation="vertical", disclosure=None)
    assert bars_of(off).patches[1].get_height() == pytest.approx(table["binary_rate"].iloc[1])
    # A table suppressed by the caller (a stricter policy) is drawn as it is.
    strict = ym.suppress(table, "service", threshold=500)
    drawn = ym.plot.rates(strict, orientation="vertical")
    assert [p.get_height() for p in bars_of(drawn).patches] == [0.0, 0.0]


def test_bad_requests(table):
    with pytest.raises(KeyError, match="measure 'rate'"):
        ym.plot.rates(table, measure="rate")
    with pytest.raises(ValueError, match="no rows"):
        ym.plot.rates(table.iloc[:0])
    with pytest.raises(KeyError, match="yjs"):
        ym.plot.rates(table, by="yjs")
    with pytest.raises(ValueError, match="orientation"):
        ym.plot.rates(table, orientation="diagonal")


@pytest.fixture(scope="module")
def lewisham():
    return ym.datasets.lewisham_2016()


def answer_counts(inspection, theme_id, cases=None):
    """yes / no / not applicable per question, counted with pandas from the tidy answers."""
    answers = inspection.answers
    if cases is not None:
        answers = answers[answers["case_id"].isin(cases)]
    questions = [q.id for q in inspection.framework.theme(theme_id).questions]
    table = pd.crosstab(answers["question_id"], answers["answer"]).reindex(
        index=questions, columns=["yes", "no", "not applicable"], fill_value=0)
    return table


@pytest.mark.parametrize("theme", ["reducing_reoffending", "Protecting the public",
                                   "interventions"])
def test_data_summary_bars_are_the_answer_counts(lewisham, theme):
    ax = ym.plot.data_summary(lewisham, theme, disclosure=None)
    chosen = next(t for t in lewisham.framework.themes if theme in (t.id, t.name))
    want = answer_counts(lewisham, chosen.id)
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [b.get_label() for b in bars] == ["Yes", "No", "Not applicable"]
    for container, column in zip(bars, want.columns):
        # bars run top to bottom in the framework's question order
        ordered = sorted(container.patches, key=lambda p: -p.get_y())
        assert [p.get_width() for p in ordered] == want[column].tolist()
    no_bars = sorted(bars[2].patches, key=lambda p: -p.get_y())
    assert [p.get_x() for p in no_bars] == (want["yes"] + want["no"]).tolist()
    ticks = sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda tick: -tick[0])
    labels = [label.get_text().replace("\n", " ") for _, label in ticks]
    assert labels == [q.text for q in chosen.questions]
    assert ax.get_title(loc="left") == chosen.name


def test_data_summary_of_a_subgroup(lewisham):
    girls = lewisham.cases.loc[lewisham.cases["sex"] == "female", "case_id"]
    ax = ym.plot.data_summary(lewisham, "protecting_the_child", where={"sex": "female"},
                              disclosure=None)
    want = answer_counts(lewisham, "protecting_the_child", cases=set(girls))
    yes = sorted(next(c for c in ax.containers if isinstance(c, BarContainer)).patches,
                 key=lambda p: -p.get_y())
    assert [p.get_width() for p in yes] == want["yes"].tolist()
    assert sum(want.sum(axis=1)) < len(lewisham.answers)


def test_data_summary_withholds_small_counts_by_default(lewisham):
    # As in the report: counts below 10 are not drawn, nor any count that could be worked
    # back from the others and the number of cases.
    want = answer_counts(lewisham, "protecting_the_public")
    ax = ym.plot.data_summary(lewisham, "protecting_the_public")
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert [b.get_label() for b in bars] == ["Yes", "No", "Not applicable", "Withheld"]
    widths = np.array([[p.get_width() for p in sorted(c.patches, key=lambda p: -p.get_y())]
                       for c in bars]).T
    shown, withheld = widths[:, :3], widths[:, 3]
    # The withheld part is hatched and fills each bar to the number of cases.
    assert (widths.sum(axis=1) == len(lewisham.cases)).all()
    assert all(p.get_hatch() == "///" for p in bars[3].patches)
    assert (withheld == (want.to_numpy() * (shown == 0)).sum(axis=1)).all()
    exact = want.to_numpy()
    assert ((shown == exact) | (shown == 0)).all()
    assert (exact[shown == 0] != 0).any()  # some small counts were withheld
    assert (exact[(shown == 0) & (exact > 0)] < 10).any()
    assert (shown[shown > 0] >= 10).all()


def test_data_summary_refuses_judged_and_unknown_themes(lewisham):
    with pytest.raises(ValueError, match="judged by inspectors"):
        ym.plot.data_summary(lewisham, "governance_and_partnerships")
    with pytest.raises(KeyError, match="no theme 'courts'"):
        ym.plot.data_summary(lewisham, "courts")


def test_theme_scores_with_intervals(lewisham):
    scores = lewisham.theme_scores(level=0.95).dropna(subset=["score"])
    ax = ym.plot.rates(scores, by="theme", measure="score", orientation="vertical",
                       comparator={"satisfactory": 0.65})
    done_well = scores["done_well"].to_numpy(dtype=np.int64)
    applicable = scores["applicable"].to_numpy(dtype=np.int64)
    np.testing.assert_allclose([p.get_height() for p in bars_of(ax).patches],
                               done_well / applicable, rtol=1e-12)
    lower, upper = ym.proportion_interval(done_well, applicable)
    whiskers = np.array(whiskers_of(ax))
    np.testing.assert_allclose(whiskers[:, 0], lower, rtol=1e-12)
    np.testing.assert_allclose(whiskers[:, 1], upper, rtol=1e-12)
    assert ax.get_ylabel() == "Case assessment score"
