# yosmodel._core.inspection (bindings/register_inspection.cpp).
from collections.abc import Mapping, Sequence
from typing import TypedDict

import numpy as np
import numpy.typing as npt

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
    def question_counts(self, mask: npt.ArrayLike | None = None
                        ) -> dict[str, npt.NDArray[np.int64]]: ...

_Counts = Sequence[int] | npt.NDArray[np.int64]

def score_themes(framework: InspectionFramework, yes: _Counts, no: _Counts,
                 not_applicable: _Counts) -> ThemeScores: ...
def overall_rating(ratings: Sequence[str], points: Sequence[tuple[str, int]],
                   bands: Sequence[tuple[int, str]], standards: int) -> tuple[int, str]: ...
