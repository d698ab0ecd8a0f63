"""The result of an intervention evaluation: the tables, the Justice Data Lab's plain words,
an HTML view for notebooks and a plot. Made by :func:`yosmodel.evaluate_intervention`."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

#: |standardised difference| below this (in percent) counts as balanced.
BALANCE_BAND = 10.0

EFFECT_COLUMNS = ["outcome", "treated_n", "treated_mean", "comparison_n", "comparison_mean",
                  "difference", "difference_lower", "difference_upper", "p_value", "significant",
                  "treated_lower", "treated_upper", "comparison_lower", "comparison_upper",
                  "standard_error"]



@dataclass(repr=False)
class Evaluation:
    """The result of :func:`evaluate_intervention`.

    Attributes
    ----------
    effects : DataFrame
        One row per outcome: ``outcome, treated_n, treated_mean, comparison_n, comparison_mean,
        difference, difference_lower, difference_upper, p_value, significant`` and then the
        groups' own intervals (``treated_lower`` ...) and the difference's ``standard_error``.
        ``comparison_mean`` is weighted by how often each comparison person was matched;
        ``comparison_n`` counts distinct comparison people.
    balance : DataFrame
        ``covariate, std_diff_before, std_diff_after, balanced``: standardised differences in
        percent (100 x difference in means / pooled SD before matching); ``balanced`` is
        ``|std_diff_after| < 10``. A categorical covariate has one row per category.
    matched : DataFrame
        One row per matched participant: ``participant_row, comparison_row`` (0-based positions
        in the input), ``distance`` (|difference in logit of the propensity score|) and
        ``comparison_weight`` (how many participants that comparison person is matched to: its
        weight in the comparison group's means).
    unmatched : ndarray
        Positions of participants with nobody in the comparison pool within the caliper.
    propensity : Series
        The fitted propensity score of every input row, in input order.
    model : DataFrame
        The propensity model: ``term, coefficient, standard_error`` (log-odds).
    """

    effects: pd.DataFrame
    balance: pd.DataFrame
    matched: pd.DataFrame
    unmatched: np.ndarray
    propensity: pd.Series
    model: pd.DataFrame
    participants: int
    pool: int
    caliper: float | None
    caliper_width: float
    replacement: bool
    exact: list[str]
    level: float
    seed: int
    outcome_kinds: dict[str, str] = field(default_factory=dict)

    @property
    def matched_participants(self) -> int:
        return len(self.matched)

    @property
    def comparison_people(self) -> int:
        return int(self.matched["comparison_row"].nunique())

    @property
    def unbalanced(self) -> list[str]:
        """Covariates whose standardised difference after matching is 10% or more."""
        return self.balance.loc[~self.balance["balanced"], "covariate"].tolist()

    # -- words --

    def _method_lines(self) -> list[str]:
        caliper = ("no caliper" if self.caliper is None else
                   f"a caliper of {self.caliper:g} standard deviations of the logit of the "
                   "propensity score")
        exact = f", matched exactly on {', '.join(self.exact)}" if self.exact else ""
        unmatched = len(self.unmatched)
        return [
            f"{self.participants} participants were compared with a pool of {self.pool} "
            "non-participants.",
            f"{self.matched_participants} participants were matched to {self.comparison_people} "
            f"similar non-participants (nearest neighbour "
            f"{'with' if self.replacement else 'without'} replacement, {caliper}{exact}); "
            + ("every participant found a match." if unmatched == 0 else
               f"{unmatched} participant{' was' if unmatched == 1 else 's were'} left unmatched "
               f"(nobody similar enough in the pool) and {'is' if unmatched == 1 else 'are'} not "
               "in the results."),
        ]

    def _balance_line(self) -> str:
        unbalanced = self.unbalanced
        if not unbalanced:
            return (f"After matching, every covariate ({len(self.balance)} in all) is within the "
                    f"accepted band (standardised difference under {BALANCE_BAND:g}%): the groups "
                    "are similar on everything that was measured.")
        return (f"After matching, {len(unbalanced)} of {len(self.balance)} covariates are outside "
                f"the accepted band (standardised difference of {BALANCE_BAND:g}% or more): "
                f"{', '.join(unbalanced)}. The groups still differ on these, so treat the results "
                "with caution.")

    def summary(self) -> str:
        """The result in the Justice Data Lab's plain words."""
        # not :.0%, which called a 99.9% interval a "100% interval" and 97.5% "98%"
        percent = f"{100 * self.level:g}%"
        lines = ["Evaluation of an intervention by propensity score matching "
                 "(Justice Data Lab method)", ""]
        lines += self._method_lines()
        lines += [self._balance_line(), ""]
        for row in self.effects.itertuples(index=False):
            kind = self.outcome_kinds.get(row.outcome, "mean")
            lines.append(_headline(row, kind, percent))
            lines.append(_in_words(row, kind))
            lines.append("")
        lines.append("What this cannot tell you: matching balances only what was recorded. If "
                     "participants differ from the comparison group in ways the data do not show "
                     "(motivation, family support, who chose to refer them), those differences, "
                     "not the intervention, may explain some or all of any difference.")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __repr__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        effects = self.effects[EFFECT_COLUMNS[:10]]
        parts = ["<div class='yosmodel-evaluation'>",
                 "<h4>Evaluation of an intervention (Justice Data Lab method)</h4>"]
        parts += [f"<p>{html.escape(line)}</p>" for line in self._method_lines()]
        parts.append(f"<p>{html.escape(self._balance_line())}</p>")
        parts.append("<h5>Effects</h5>")
        parts.append(effects.to_html(index=False, float_format=lambda v: f"{v:.4g}"))
        parts.append("<ul>")
        parts += [f"<li>{html.escape(_in_words(row, self.outcome_kinds.get(row.outcome, 'mean')))}"
                  "</li>" for row in self.effects.itertuples(index=False)]
        parts.append("</ul>")
        parts.append("<h5>Balance (standardised differences, %)</h5>")
        parts.append(self.balance.to_html(index=False, float_format=lambda v: f"{v:.1f}"))
        parts.append("</div>")
        return "\n".join(parts)

    def plot(self, figsize: tuple[float, float] | None = None) -> Any:
        """Balance before and after matching (left) and each outcome's difference with its
        interval (right). Returns the matplotlib Figure."""
        import matplotlib.pyplot as plt
        from matplotlib.gridspec import GridSpec

        n_cov, n_out = len(self.balance), len(self.effects)
        fig = plt.figure(figsize=figsize or (11, max(3.5, 0.28 * n_cov + 1.5)),
                         constrained_layout=True)
        grid = GridSpec(max(n_out, 1), 2, figure=fig, width_ratios=[3, 2])
        ax = fig.add_subplot(grid[:, 0])
        y = np.arange(n_cov)[::-1]
        ax.axvspan(-BALANCE_BAND, BALANCE_BAND, color="0.9", label=f"|d| < {BALANCE_BAND:g}%")
        ax.axvline(0, color="0.5", lw=0.8)
        ax.scatter(self.balance["std_diff_before"], y, marker="o", facecolors="none",
                   edgecolors="C3", label="before matching")
        ax.scatter(self.balance["std_diff_after"], y, marker="o", color="C0",
                   label="after matching")
        ax.set_yticks(y, self.balance["covariate"])
        ax.set_xlabel("standardised difference (%)")
        ax.set_title("Balance")
        ax.legend(loc="best", fontsize="small")
        for k, row in enumerate(self.effects.itertuples(index=False)):
            axe = fig.add_subplot(grid[k, 1])
            scale, unit = _scale_and_unit(self.outcome_kinds.get(row.outcome, "mean"))
            centre = row.difference * scale
            axe.errorbar([centre], [0], xerr=[[centre - row.difference_lower * scale],
                                              [row.difference_upper * scale - centre]],
                         fmt="o", color="C0" if row.significant else "0.4", capsize=4)
            axe.axvline(0, color="0.5", lw=0.8)
            axe.set_yticks([])
            axe.set_title(f"{row.outcome}: difference ({unit})", fontsize="medium")
        fig.suptitle("Participants against matched comparison group")
        return fig


def _scale_and_unit(kind: str) -> tuple[float, str]:
    if kind == "binary":
        return 100.0, "percentage points"
    if kind == "count":
        return 100.0, "per 100 people"
    if kind == "days":
        return 1.0, "days"
    return 1.0, "mean"


def _numbers(a: float, b: float) -> tuple[str, str]:
    """Two magnitudes at one precision: whole numbers from 10 up, else one decimal place."""
    a, b = abs(a), abs(b)
    digits = 0 if max(a, b) >= 9.5 else 1
    return f"{a:.{digits}f}", f"{b:.{digits}f}"


def _headline(row: Any, kind: str, percent: str) -> str:
    if kind == "binary":
        def fmt(v: float) -> str:
            return f"{100 * v:.1f}%"
        diff = (f"{100 * row.difference:+.1f} percentage points ({percent} interval "
                f"{100 * row.difference_lower:+.1f} to {100 * row.difference_upper:+.1f})")
    else:
        def fmt(v: float) -> str:
            return f"{v:.3g}"
        diff = (f"{row.difference:+.3g} ({percent} interval {row.difference_lower:+.3g} to "
                f"{row.difference_upper:+.3g})")
    p = "undefined" if math.isnan(row.p_value) else (
        "< 0.001" if row.p_value < 0.001 else f"{row.p_value:.3f}")
    verdict = "statistically significant" if row.significant else "not statistically significant"
    return (f"{row.outcome}: participants {fmt(row.treated_mean)} (n = {row.treated_n}), "
            f"matched comparison {fmt(row.comparison_mean)} (n = {row.comparison_n}); "
            f"difference {diff}, p = {p}: {verdict}.")


def _in_words(row: Any, kind: str) -> str:
    lower, upper = row.difference_lower, row.difference_upper
    if math.isnan(row.p_value) and row.standard_error == 0:
        # the interval collapses to the difference itself: no range to word, and no test
        return (f"There is no variation in '{row.outcome}' within either group (everyone in a "
                "group has the same value), so the uncertainty of the difference, and whether "
                "it is more than chance, cannot be estimated.")
    if math.isnan(lower) or math.isnan(upper):
        return f"There is not enough information to estimate an effect on '{row.outcome}'."
    if kind == "days":
        if row.significant:
            a, b = _numbers(*sorted((abs(lower), abs(upper))))
            direction = "later" if lower > 0 else "sooner"
            return (f"Participants who reoffended committed their first proven reoffence between "
                    f"{a} and {b} days {direction}, on average, than similar people who did not "
                    "take part.")
        a, b = _numbers(lower, upper)
        return ("The analysis cannot say whether the intervention changes the time to a first "
                f"proven reoffence: the difference runs from {a} days "
                f"{'sooner' if lower < 0 else 'later'} to {b} days "
                f"{'later' if upper > 0 else 'sooner'}, a range that includes no change.")
    if kind in ("binary", "count"):
        if kind == "binary":
            unit = "people"
            measure = ("the number of people who commit a proven reoffence within a year"
                       if row.outcome == "reoffended"
                       else f"the number of people with '{row.outcome}'")
        else:
            unit = ("proven reoffences" if row.outcome == "reoffences"
                    else f"'{row.outcome}'")
            measure = ("the number of proven reoffences committed within a year"
                       if row.outcome == "reoffences" else f"the total of '{row.outcome}'")
        if row.significant:
            a, b = _numbers(*sorted((abs(100 * lower), abs(100 * upper))))
            word = "higher" if lower > 0 else "lower"
            return (f"For 100 typical participants, compared with 100 similar people who did not "
                    f"take part, {measure} is {word} by between {a} and {b} {unit}.")
        a, b = _numbers(100 * lower, 100 * upper)
        return (f"The analysis cannot say whether the intervention increases or reduces "
                f"{measure}: for 100 typical participants the difference runs from {a} "
                f"{'fewer' if lower < 0 else 'more'} to {b} {'more' if upper > 0 else 'fewer'} "
                f"{unit}, a range that includes no change.")
    if row.significant:
        word = "higher" if lower > 0 else "lower"
        a, b = sorted((abs(lower), abs(upper)))
        return (f"The mean of '{row.outcome}' is between {a:.3g} and {b:.3g} {word} for "
                "participants than for similar people who did not take part.")
    return (f"The analysis cannot say whether the intervention changes the mean of "
            f"'{row.outcome}': the difference runs from {lower:+.3g} to {upper:+.3g}.")
