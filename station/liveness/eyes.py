"""How much the eyes still look as they did at the start, for the blink (R23).

The lid landmarks alone miss many blinks on low-detail faces: on narrow, shadowed or bespectacled
eyes the landmarker keeps drawing an open eye over a shut one (9 of 82 development faces). A shut
eye looks different, though: the iris and the white give way to lid skin. Each eye is cut out
along its corners (so a moved or scaled head gives the same patch), reduced to 32 x 16 grey, and
compared with the start's patch by normalised correlation, which ignores a change of exposure.

Only the start's two patches are held; they are overwritten and dropped when the capture ends
(`wipe`), like every frame (R10).
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from station.liveness.geometry import LEFT_EYE, RIGHT_EYE, Points

PATCH_WIDTH, PATCH_HEIGHT = 32, 16
REACH = 0.65  # the patch runs this far either side of the eye's centre, in eye widths
HEIGHT = 0.4  # and this far above and below it

Patch = npt.NDArray[np.float32]


def _patch(rgb: npt.NDArray[np.uint8], points: Points, eye: tuple[int, int, int, int]) -> Patch:
    outer = np.asarray(points[eye[0], :2], dtype=np.float32)
    inner = np.asarray(points[eye[1], :2], dtype=np.float32)
    along = inner - outer
    across = np.array([-along[1], along[0]], dtype=np.float32)
    if across[1] < 0:  # pointing down the face, whichever eye this is
        across = -across
    centre = (outer + inner) / 2
    corners = np.array(
        [
            centre - REACH * along - HEIGHT * across,
            centre + REACH * along - HEIGHT * across,
            centre - REACH * along + HEIGHT * across,
        ],
        dtype=np.float32,
    )
    target = np.array([[0, 0], [PATCH_WIDTH, 0], [0, PATCH_HEIGHT]], dtype=np.float32)
    warp = cv2.getAffineTransform(corners, target)
    colour = cv2.warpAffine(rgb, warp, (PATCH_WIDTH, PATCH_HEIGHT), flags=cv2.INTER_LINEAR)
    grey = np.asarray(cv2.cvtColor(colour, cv2.COLOR_RGB2GRAY), dtype=np.float32)
    colour.fill(0)
    return grey


def _correlation(a: Patch, b: Patch) -> float:
    a, b = a - a.mean(), b - b.mean()
    scale = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum()) / scale if scale > 1e-6 else 1.0


class EyeLikeness:
    def __init__(self) -> None:
        self._start: list[Patch] = []

    def start(self, rgb: npt.NDArray[np.uint8], points: Points) -> None:
        """The start frame's eyes: what every later frame's eyes are compared with."""
        self.wipe()
        self._start = self._patches(rgb, points)

    def likeness(self, rgb: npt.NDArray[np.uint8], points: Points) -> float | None:
        """The lower of the two eyes' correlations with the start (1: unchanged; a shut eye
        measured 0.0-0.85 on the development faces, an open one 0.82-1.0, mostly above 0.9).
        None before `start`."""
        if not self._start:
            return None
        patches = self._patches(rgb, points)
        value = min(_correlation(now, then) for now, then in zip(patches, self._start, strict=True))
        for patch in patches:
            patch.fill(0)
        return value

    def wipe(self) -> None:
        for patch in self._start:
            patch.fill(0)
        self._start = []

    @staticmethod
    def _patches(rgb: npt.NDArray[np.uint8], points: Points) -> list[Patch]:
        return [_patch(rgb, points, RIGHT_EYE), _patch(rgb, points, LEFT_EYE)]
