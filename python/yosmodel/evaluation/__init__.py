"""Did an intervention reduce reoffending? Propensity score matching as the Justice Data Lab
does it (intervention.py), and the result with its plain-words summary (result.py)."""

from .intervention import (
    DEFAULT_OUTCOMES,
    MIN_PARTICIPANTS,
    MIN_REOFFENDERS_FOR_TIME,
    evaluate_intervention,
)
from .result import BALANCE_BAND, EFFECT_COLUMNS, Evaluation

__all__ = [
    "BALANCE_BAND",
    "DEFAULT_OUTCOMES",
    "EFFECT_COLUMNS",
    "MIN_PARTICIPANTS",
    "MIN_REOFFENDERS_FOR_TIME",
    "Evaluation",
    "evaluate_intervention",
]
