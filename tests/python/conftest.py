"""Shared fixtures. Tests import the package from python/ and the compiled module from the build
tree (ctest sets PYTHONPATH); running pytest by hand needs the same PYTHONPATH."""

import numpy as np
import pandas as pd
import pytest


@pytest.fixture
def random_cohort():
    """A small random person-level cohort with keys of several dtypes."""
    def make(n: int = 5000, seed: int = 0) -> pd.DataFrame:
        rng = np.random.default_rng(seed)
        reoffended = rng.random(n) < 0.4
        return pd.DataFrame({
            "yjs": pd.Categorical(rng.choice([f"S{i:02d}" for i in range(12)], n)),
            "sex": rng.choice(["Female", "Male"], n, p=[0.2, 0.8]),
            "age": rng.integers(10, 18, n),
            "quarter": pd.Categorical.from_codes(rng.integers(0, 4, n), ["Q1", "Q2", "Q3", "Q4"]),
            "reoffences": np.where(reoffended, rng.geometric(0.35, n), 0).astype(np.int64),
            "previous_offences": rng.poisson(2.0, n).astype(np.int32),
        })
    return make
