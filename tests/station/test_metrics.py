"""The accuracy arithmetic of `eval` on distributions whose answers are known."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.accuracy import (
    Comparisons,
    equal_error_rate,
    fit_calibration,
    fnmr_at_fmr,
    identification_figures,
    rates_at,
)


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


def _comparisons() -> Comparisons:
    """Three probes against two templates: probe 0 is template 0's, probe 1 template 1's, probe 2
    has no template. Both parts alike, so every fused score is a plain standardised distance."""
    distances = np.array([[0.2, 0.9], [0.8, 0.7], [0.5, 1.0]], np.float32)
    return Comparisons(
        {"dlib": distances, "sface": distances.copy()}, np.array([0, 1, -1], np.intp)
    )


def test_r21_identification_counts_rank1_fnir_and_fpir() -> None:
    """Both mated probes find their own template first (0.2, 0.7); the non-mated probe's best
    score is 0.5, so a threshold above it lets a stranger in."""
    comparisons = _comparisons()
    figures = identification_figures(
        comparisons.parts["dlib"], comparisons.owner, {"strict": 0.3, "loose": 0.75}
    )
    assert figures["gallery_size"] == 2
    assert figures["mated_searches"] == 2 and figures["non_mated_searches"] == 1
    assert figures["rank1"] == 1.0
    strict, loose = (
        figures["at_operating_points"]["strict"],
        figures["at_operating_points"]["loose"],
    )
    assert strict["fnir"] == 0.5 and strict["fpir"] == 0.0  # 0.7 > 0.3; 0.5 > 0.3
    assert loose["fnir"] == 0.0 and loose["fpir"] == 1.0  # both mates in; 0.5 <= 0.75


def test_r22_calibration_thresholds_come_from_the_impostor_scores() -> None:
    """Each version's parts are standardised by their own impostor mean and spread; each operating
    point's threshold keeps the measured FMR at or below its target."""
    comparisons = _comparisons()
    table = fit_calibration(comparisons, "toy", "toy", "2026-11-29")
    impostor = np.array([0.9, 0.8, 0.5, 1.0])
    for version in ("1", "2"):
        entry = table["model_sets"][version]
        mean, spread = entry["scales"][0]
        assert mean == pytest.approx(impostor.mean()) and spread == pytest.approx(impostor.std())
        assert entry["genuine_pairs"] == 2 and entry["impostor_pairs"] == 4
        for name, point in entry["operating_points"].items():
            assert point["fmr"] <= float(name)
            # 4 impostor pairs are too few to measure 1 in a thousand
            assert point["reliable"] is False
            # lowest impostor 0.5, standardised: nothing at or above it is accepted
            assert point["threshold"] < (0.5 - mean) / spread
