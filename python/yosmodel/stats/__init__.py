"""Intervals and tests for proportions (binary reoffending rates), vectorised over arrays."""

from .intervals import METHODS, difference_interval, proportion_interval, two_proportion_ztest

__all__ = ["METHODS", "difference_interval", "proportion_interval", "two_proportion_ztest"]
