# Type stubs for yosmodel._core, the compiled half of the package (bindings/). Keep in step with
# bindings/register_*.cpp: tests/python/test_typing.py compares these names and parameters with
# the compiled module's own signatures.
import enum
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import numpy as np
import numpy.typing as npt

__version__: str

_Counts = npt.ArrayLike  # whole, non-negative counts; converted to int64

class Finalized(TypedDict):
    """What :meth:`PartialTable.finalize` returns: one array entry per non-empty group."""

    key_codes: list[npt.NDArray[np.uint64]]
    offenders: npt.NDArray[np.uint64]
    reoffenders: npt.NDArray[np.uint64]
    reoffences: npt.NDArray[np.uint64]
    previous_offences: npt.NDArray[np.uint64]
    binary_rate: npt.NDArray[np.float64]
    binary_rate_lower: npt.NDArray[np.float64]
    binary_rate_upper: npt.NDArray[np.float64]
    frequency_rate: npt.NDArray[np.float64]
    reoffences_per_reoffender: npt.NDArray[np.float64]
    previous_offences_mean: npt.NDArray[np.float64]

class PartialTable:
    """Counts per non-empty group; merges by addition, pickles as versioned bytes."""

    def __init__(self, cardinalities: Sequence[int]) -> None: ...
    @property
    def cardinalities(self) -> list[int]: ...
    @property
    def groups(self) -> npt.NDArray[np.uint64]: ...
    def __len__(self) -> int: ...
    def merge(self, other: PartialTable, /) -> PartialTable: ...
    def __add__(self, other: PartialTable, /) -> PartialTable: ...
    def __eq__(self, other: object, /) -> bool: ...
    def finalize(self, level: float = 0.95, method: str = "wilson") -> Finalized: ...
    def with_margins(self) -> PartialTable: ...
    def to_bytes(self) -> bytes: ...
    @staticmethod
    def from_bytes(data: bytes, /) -> PartialTable: ...
    def __getstate__(self) -> tuple[bytes]: ...
    def __setstate__(self, state: tuple[Any, ...], /) -> None: ...

class QuestionCounts(TypedDict):
    """What :meth:`AnswerSheet.question_counts` returns: one entry per question."""

    yes: npt.NDArray[np.int64]
    no: npt.NDArray[np.int64]
    not_applicable: npt.NDArray[np.int64]

class ThemeScores(TypedDict):
    """What :func:`score_themes` returns: one entry per theme."""

    scored: npt.NDArray[np.uint8]
    applicable: npt.NDArray[np.int64]
    done_well: npt.NDArray[np.int64]
    score: npt.NDArray[np.float64]
    judgement: list[str]

class InspectionFramework:
    """Themes, questions and judgement bands of an inspection framework."""

    def __init__(self, id: str,
                 themes: Sequence[tuple[str, str, bool, str, Sequence[tuple[str, str]]]],
                 bands: Sequence[tuple[float, str]], rule: str,
                 judged_scale: Sequence[str]) -> None: ...
    @property
    def id(self) -> str: ...
    @property
    def question_ids(self) -> list[str]: ...
    def judgement_for(self, score: float, /) -> str: ...
    def validate_judgements(self, judgements: Mapping[str, str], /) -> None: ...

class AnswerSheet:
    """Inspected cases' answers (yes / no / not applicable) to a framework's questions."""

    def __init__(self, framework: InspectionFramework, case_ids: Sequence[str],
                 answer_case_ids: Sequence[str], answer_question_ids: Sequence[str],
                 answers: Sequence[str]) -> None: ...
    @property
    def case_count(self) -> int: ...
    def question_counts(self, mask: npt.ArrayLike | None = None) -> QuestionCounts: ...

def score_themes(framework: InspectionFramework, yes: Sequence[int], no: Sequence[int],
                 not_applicable: Sequence[int]) -> ThemeScores: ...
def overall_rating(ratings: Sequence[str], points: Sequence[tuple[str, int]],
                   bands: Sequence[tuple[int, str]], standards: int) -> tuple[int, str]: ...
def aggregate(keys: Sequence[tuple[str, npt.NDArray[Any], int]],
              reoffences: tuple[str, npt.NDArray[Any]],
              previous_offences: tuple[str, npt.NDArray[Any]] | None = None,
              threads: int = 0) -> PartialTable: ...
def proportion_interval(successes: _Counts, trials: _Counts, level: float,
                        method: str) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
def difference_interval(x1: _Counts, n1: _Counts, x2: _Counts, n2: _Counts, level: float
                        ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                                   npt.NDArray[np.float64]]: ...
def two_proportion_ztest(x1: _Counts, n1: _Counts, x2: _Counts, n2: _Counts
                         ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64],
                                    npt.NDArray[np.uint8]]: ...
def normal_critical_value(level: float) -> float: ...
def suppress(dimensions: Sequence[tuple[str, npt.NDArray[Any], int]],
             counts: Sequence[tuple[str, npt.NDArray[Any]]], threshold: int,
             zero_is_small: bool, nested: bool, secondary: bool
             ) -> list[npt.NDArray[np.uint8]]: ...

# -- cohorts (bindings/register_cohort.cpp) --------------------------------------------------

_Named = tuple[str, npt.NDArray[Any]]
_NamedDates = tuple[str, npt.NDArray[np.int64], int]  # (name, ticks, ticks per day)

def build_cohort(disposal_person: _Named, disposal_date: _NamedDates, disposal_kind: _Named,
                 disposal_identity: _Named | None, offence_person: _Named,
                 offence_date: _NamedDates, proven_date: _NamedDates, counts: _Named | None,
                 offence_identity: _Named | None, person_first: int, persons: int,
                 missing_id: int | None, period_start: int, period_end: int,
                 follow_up_months: int, waiting_months: int, qualifying: Sequence[bool],
                 earliest_plausible: int, latest_plausible: int, threads: int
                 ) -> dict[str, Any]: ...
def age_in_years(born: npt.ArrayLike, on: npt.ArrayLike) -> npt.NDArray[np.int64]: ...
def add_months(days: npt.ArrayLike, months: int) -> npt.NDArray[np.int64]: ...

# -- evaluation (bindings/register_evaluation.cpp) -------------------------------------------

def fit_logistic(design: npt.ArrayLike, outcome: npt.ArrayLike, names: Sequence[str],
                 intercept: bool = True, max_iterations: int = 50, tolerance: float = 1e-10,
                 threads: int = 0) -> dict[str, Any]: ...
def match_nearest(treated_logits: npt.ArrayLike, pool_logits: npt.ArrayLike, caliper: float,
                  replacement: bool, seed: int, treated_strata: npt.ArrayLike | None = None,
                  pool_strata: npt.ArrayLike | None = None, threads: int = 0
                  ) -> tuple[Any, ...]: ...
def pooled_standard_deviation(first: npt.ArrayLike, second: npt.ArrayLike) -> float: ...
def standardised_differences(design: npt.ArrayLike, treated: npt.ArrayLike,
                             weights: npt.ArrayLike, names: Sequence[str]
                             ) -> dict[str, Any]: ...
def weighted_difference(values: npt.ArrayLike, treated: npt.ArrayLike, weights: npt.ArrayLike,
                        level: float) -> dict[str, Any]: ...

# -- measures (bindings/register_measures.cpp): the submodule _core.measures ------------------

class _RateVariance(enum.Enum):
    proportion = 0
    poisson = 1

class _ChildStatus(enum.Enum):
    reoffended = 0
    in_follow_up = 1
    awaiting_proof = 2
    not_reoffended = 3

class _Measures:
    RateVariance: type[_RateVariance]
    ChildStatus: type[_ChildStatus]
    @staticmethod
    def poisson_limits(events: npt.NDArray[np.int64], level: float) -> tuple[Any, Any]: ...
    @staticmethod
    def population_rate(events: npt.NDArray[np.int64], population: npt.NDArray[np.float64],
                        per: float, level: float) -> tuple[Any, Any, Any, Any]: ...
    @staticmethod
    def first_time_entrants(person: npt.NDArray[np.int64], date: npt.NDArray[np.int64],
                            substantive: npt.NDArray[np.uint8], born: npt.NDArray[np.int64],
                            persons: int, *, period_start: int, period_end: int,
                            history_start: int, youngest: int, oldest: int
                            ) -> dict[str, Any]: ...
    @staticmethod
    def outcomes_in_period(date: npt.NDArray[np.int64], kind_class: npt.NDArray[np.uint8],
                           born: npt.NDArray[np.int64], *, period_start: int, period_end: int,
                           youngest: int, oldest: int) -> dict[str, Any]: ...
    @staticmethod
    def funnel_limits(target: float, sizes: npt.NDArray[np.int64], level: float
                      ) -> tuple[Any, Any]: ...
    @staticmethod
    def relative_rate_index(events: npt.NDArray[np.int64], base: npt.NDArray[np.float64],
                            reference_events: npt.NDArray[np.int64],
                            reference_base: npt.NDArray[np.float64], level: float,
                            variance: _RateVariance) -> dict[str, Any]: ...
    @staticmethod
    def concentration(reoffences: npt.NDArray[np.int64], shares: Sequence[float]
                      ) -> dict[str, Any]: ...
    @staticmethod
    def live_statuses(follow_up_end: npt.NDArray[np.int64], waiting_end: npt.NDArray[np.int64],
                      reoffences: npt.NDArray[np.int64], as_of: int) -> tuple[Any, Any]: ...

measures: _Measures
