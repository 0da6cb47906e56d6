"""How much the eyes still look as they did at the start, against the brows above them, for the
blink (R23).

The lid landmarks alone miss some blinks: behind glasses, in shadow or on low-detail eyes the
landmarker may keep drawing an open eye over a shut one (station/liveness/check.py). A shut
eye looks different, though: the iris and the white give way to lid skin. Each eye is cut out
along its corners (so a moved or scaled head gives the same patch), reduced to 32 x 16 grey, and
compared with the start's by normalised correlation, which ignores a change of exposure.

A picture shaken in front of the camera changes its look too (motion blur, moiré, glare), but all
over the face; a blink changes the eyes alone. So the brows above each eye are cut out and
compared the same way: a blink is eyes that changed much more than the brows above them.

Only the start's patches are held; they are overwritten and dropped when the capture ends
(`wipe`), like every frame (R10).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from station.liveness.geometry import LEFT_EYE, RIGHT_EYE, Points

PATCH_WIDTH, PATCH_HEIGHT = 32, 16
REACH = 0.65  # a patch runs this far either side of the eye's centre, in eye widths
HEIGHT = 0.4  # and this far above and below its own centre
BROWS = -0.8  # the brows' patch is centred this far above the eye's centre (just touching it)

Patch = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Look:
    """Correlations with the start, the lower of the two sides each (1: unchanged)."""

    eyes: float
    brows: float


def _patch(
    rgb: npt.NDArray[np.uint8], points: Points, eye: tuple[int, int, int, int], lift: float
) -> Patch:
    outer = np.asarray(points[eye[0], :2], dtype=np.float32)
    inner = np.asarray(points[eye[1], :2], dtype=np.float32)
    along = inner - outer
    across = np.array([-along[1], along[0]], dtype=np.float32)
    if across[1] < 0:  # pointing down the face, whichever eye this is
        across = -across
    centre = (outer + inner) / 2 + lift * across
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
        """The start frame's eyes and brows: what every later frame's are compared with."""
        self.wipe()
        self._start = self._patches(rgb, points)

    def look(self, rgb: npt.NDArray[np.uint8], points: Points) -> Look | None:
        """How the eyes and the brows compare with the start's; None before `start`."""
        if not self._start:
            return None
        patches = self._patches(rgb, points)
        value = [_correlation(now, then) for now, then in zip(patches, self._start, strict=True)]
        for patch in patches:
            patch.fill(0)
        return Look(eyes=min(value[0], value[1]), brows=min(value[2], value[3]))

    def wipe(self) -> None:
        for patch in self._start:
            patch.fill(0)
        self._start = []

    @staticmethod
    def _patches(rgb: npt.NDArray[np.uint8], points: Points) -> list[Patch]:
        return [
            _patch(rgb, points, eye, lift) for lift in (0.0, BROWS) for eye in (RIGHT_EYE, LEFT_EYE)
        ]
