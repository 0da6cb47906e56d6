"""The accuracy arithmetic of `eval` on distributions whose answers are known."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from station.accuracy import equal_error_rate, fnmr_at_fmr, rates_at


def test_separated_distributions_have_zero_error() -> None:
    genuine = np.array([0.1, 0.2, 0.3], np.float32)
    impostor = np.array([0.6, 0.7, 0.8, 0.9], np.float32)
    eer, threshold = equal_error_rate(genuine, impostor)
    assert eer == 0.0 and 0.3 <= threshold < 0.6
    row = fnmr_at_fmr(genuine, impostor, 0.01)
    assert row["fnmr"] == 0.0 and row["threshold"] is not None and row["threshold"] < 0.6


def test_known_overlap() -> None:
    genuine = np.linspace(0.0, 1.0, 101, dtype=np.float32)
    impostor = np.linspace(0.5, 1.5, 1001, dtype=np.float32)
    # accept <= 0.6: impostors 0.5..0.6 accepted (101/1001), genuine above 0.6 rejected (40/101)
    fmr, fnmr = rates_at(genuine, impostor, 0.6)
    assert abs(fmr - 101 / 1001) < 1e-6 and abs(fnmr - 40 / 101) < 1e-6


@given(
    st.lists(st.floats(0, 2, width=32), min_size=1, max_size=50),
    st.lists(st.floats(0, 2, width=32), min_size=1, max_size=300),
    st.sampled_from([0.01, 0.001, 0.0001]),
)
def test_threshold_never_exceeds_the_target_fmr(
    genuine: list[float], impostor: list[float], target: float
) -> None:
    g, i = np.array(genuine, np.float32), np.array(impostor, np.float32)
    row = fnmr_at_fmr(g, i, target)
    threshold = row["threshold"]
    assert threshold is not None
    fmr, fnmr = rates_at(g, i, threshold)
    assert fmr <= target
    assert fnmr == row["fnmr"]
