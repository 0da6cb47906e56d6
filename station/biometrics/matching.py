"""Comparing templates and probes: per-part distances, fused into one score (issue 13, R22).

A template of any version (model_sets.py) is compared with a probe of the current models through
the template's own parts: the probe's first parts are those an older version holds. Each part's
Euclidean distance is standardised by that network's impostor distances (calibration.PartScale)
and the standardised distances are averaged: two networks trained apart make different mistakes,
so the average separates people better than either alone (figures in the README). Lower is more
alike; the operating point's threshold on this score decides.

Distances of unit vectors come from one matrix-vector product per part, BLAS on one thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import ThreadpoolController

from station.biometrics.calibration import PartScale, SetCalibration
from station.biometrics.embedder import l2_normalise
from station.biometrics.model_sets import PART_SIZE
from station.domain.models import Vector

Floats = npt.NDArray[np.float32]


def unit_parts(vector: npt.NDArray[np.floating]) -> Vector:
    """Each 128-d part scaled to unit length on its own."""
    parts = np.asarray(vector, dtype=np.float32).reshape(-1, PART_SIZE)
    return np.concatenate([l2_normalise(part) for part in parts])


def template_from_descriptors(descriptors: Sequence[Vector]) -> Vector:
    """Averaging several frames' descriptors beats any single one (stack.md: FNMR 11 % -> 3.4 %);
    each part is averaged on its own. The same serves a probe of several frames (issue 13)."""
    if not descriptors:
        raise ValueError("a template needs at least one descriptor")
    return unit_parts(np.mean(np.stack(descriptors), axis=0))


_blas: ThreadpoolController | None = None


def _one_blas_thread() -> Any:
    """Scanning the loaded BLAS libraries costs ~0.3 ms, more than a 10k search: do it once."""
    global _blas
    if _blas is None:
        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


def distances(gallery: Floats, probe: Vector) -> Floats:
    """Euclidean distances of unit vectors via |a-b|^2 = 2 - 2 a.b.

    One BLAS thread: with OpenBLAS's default two threads the product is ~2x slower at 100k rows
    (stack.md), and the GUI needs the other core.
    """
    with _one_blas_thread():
        similarity = gallery @ probe
    squared = np.maximum(np.float32(2.0) - np.float32(2.0) * similarity, np.float32(0.0))
    result: Floats = np.sqrt(squared, dtype=np.float32)
    return result


def distance(a: Vector, b: Vector) -> float:
    return float(distances(a.reshape(1, -1), b)[0])


def same_face_distance(a: Vector, b: Vector) -> float:
    """The first (dlib) part's distance: what liveness's continuity limit was measured on."""
    return distance(a[:PART_SIZE], b[:PART_SIZE])


def split_parts(vectors: Floats, parts: int) -> list[Floats]:
    """N x (parts x 128) rows as one contiguous N x 128 matrix per part."""
    rows = np.asarray(vectors, dtype=np.float32).reshape(len(vectors), parts, PART_SIZE)
    return [np.ascontiguousarray(rows[:, part]) for part in range(parts)]


def fuse(part_distances: Sequence[Floats], scales: Sequence[PartScale]) -> Floats:
    """Scores from each part's distances (arrays of one shape): standardised, then averaged."""
    total = np.zeros_like(part_distances[0], dtype=np.float32)
    for gaps, scale in zip(part_distances, scales, strict=True):
        total += (gaps - np.float32(scale.impostor_mean)) / np.float32(scale.impostor_std)
    result: Floats = total / np.float32(len(part_distances))
    return result


def fused_scores(
    part_matrices: Sequence[Floats], probe: Vector, calibration: SetCalibration
) -> Floats:
    """One score per row: each part's distance to the probe's same part, fused."""
    gaps = [
        distances(matrix, probe[part * PART_SIZE : (part + 1) * PART_SIZE])
        for part, matrix in enumerate(part_matrices)
    ]
    return fuse(gaps, calibration.scales)


def score(template: Vector, probe: Vector, calibration: SetCalibration) -> float:
    """The fused score of one template (of `calibration`'s version) against a current probe."""
    parts = len(calibration.scales)
    return float(fused_scores(split_parts(template.reshape(1, -1), parts), probe, calibration)[0])


@dataclass(frozen=True)
class Match:
    index: int
    score: float  # the fused score; the operating point's threshold decides


class Gallery:
    """The templates of one version, one float32 matrix per part, for 1:N identification (R21,
    off by default)."""

    def __init__(self, ids: Sequence[str], vectors: Floats, calibration: SetCalibration) -> None:
        size = calibration.model_set.size
        if vectors.shape != (len(ids), size):
            raise ValueError(f"expected {len(ids)} x {size} vectors, got {vectors.shape}")
        self.ids = list(ids)
        self.calibration = calibration
        self._parts = split_parts(vectors, len(calibration.model_set.parts))

    def __len__(self) -> int:
        return len(self.ids)

    def best(self, probe: Vector) -> Match | None:
        if not self.ids:
            return None
        scores = fused_scores(self._parts, probe, self.calibration)
        index = int(np.argmin(scores))
        return Match(index, float(scores[index]))
