"""Per-installation template protection (R15).

Each store holds a random secret; from it comes a random orthogonal 128 x 128 matrix that every
128-d part of a template and a probe is multiplied by. Rotation keeps every distance, so matching
is unchanged, but a
template copied out of one station cannot be compared with the same person's template from another
station, or with a descriptor computed from a photo, without that station's secret.
"""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from station.biometrics.model_sets import PART_SIZE
from station.domain.models import Vector

SECRET_BYTES = 32


class TemplateProtection:
    def __init__(self, secret: bytes) -> None:
        if len(secret) < SECRET_BYTES:
            raise ValueError("the template secret must be at least 32 bytes")
        seed = int.from_bytes(hashlib.sha256(b"face-station template rotation" + secret).digest())
        gaussian = np.random.default_rng(seed).standard_normal((PART_SIZE, PART_SIZE))
        q, r = np.linalg.qr(gaussian)
        # Sign fix makes the draw uniform over rotations (Mezzadri 2007), not biased by QR's convention.
        self._matrix: npt.NDArray[np.float32] = (q * np.sign(np.diag(r))).astype(np.float32)

    def protect(self, descriptor: Vector) -> Vector:
        return self._rotate(self._matrix, descriptor)

    def unprotect(self, template: Vector) -> Vector:
        """Back to the model's own space, for an export (R16) whose recipient has no secret of this
        station: the matrix is orthogonal, so its transpose is its inverse."""
        return self._rotate(self._matrix.T, template)

    @staticmethod
    def _rotate(matrix: npt.NDArray[np.float32], vector: Vector) -> Vector:
        """Each part turned alike (a version-1 template has one part, a current one two)."""
        parts = np.asarray(vector, dtype=np.float32).reshape(-1, PART_SIZE)
        return np.asarray(parts @ matrix.T, dtype=np.float32).reshape(-1)
