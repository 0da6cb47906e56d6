"""Distances between L2-normalised templates: one matrix-vector product, BLAS on one thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import ThreadpoolController

from station.biometrics.embedder import DESCRIPTOR_SIZE, l2_normalise
from station.domain.models import Vector


def template_from_descriptors(descriptors: Sequence[Vector]) -> Vector:
    """Averaging several frames' descriptors beats any single one (stack.md: FNMR 11 % -> 3.4 %)."""
    if not descriptors:
        raise ValueError("a template needs at least one descriptor")
    return l2_normalise(np.mean(np.stack(descriptors), axis=0))


_blas: ThreadpoolController | None = None


def _one_blas_thread() -> Any:
    """Scanning the loaded BLAS libraries costs ~0.3 ms, more than a 10k search: do it once."""
    global _blas
    if _blas is None:
        _blas = ThreadpoolController()
    return _blas.limit(limits=1, user_api="blas")


def distances(gallery: npt.NDArray[np.float32], probe: Vector) -> npt.NDArray[np.float32]:
    """Euclidean distances of unit vectors via |a-b|^2 = 2 - 2 a.b.

    One BLAS thread: with OpenBLAS's default two threads the product is ~2x slower at 100k rows
    (stack.md), and the GUI needs the other core.
    """
    with _one_blas_thread():
        similarity = gallery @ probe
    squared = np.maximum(np.float32(2.0) - np.float32(2.0) * similarity, np.float32(0.0))
    result: npt.NDArray[np.float32] = np.sqrt(squared, dtype=np.float32)
    return result


def distance(a: Vector, b: Vector) -> float:
    return float(distances(a.reshape(1, -1), b)[0])


@dataclass(frozen=True)
class Match:
    index: int
    distance: float


class Gallery:
    """All templates of one model in one float32 matrix, for 1:N identification (R21, off by default)."""

    def __init__(self, ids: Sequence[str], vectors: npt.NDArray[np.float32]) -> None:
        if vectors.shape != (len(ids), DESCRIPTOR_SIZE):
            raise ValueError(
                f"expected {len(ids)} x {DESCRIPTOR_SIZE} vectors, got {vectors.shape}"
            )
        self.ids = list(ids)
        self._matrix = np.ascontiguousarray(vectors, dtype=np.float32)

    def __len__(self) -> int:
        return len(self.ids)

    def best(self, probe: Vector) -> Match | None:
        if not self.ids:
            return None
        all_distances = distances(self._matrix, probe)
        index = int(np.argmin(all_distances))
        return Match(index, float(all_distances[index]))
