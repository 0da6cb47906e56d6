"""Pixel change in the face box between consecutive frames, for the still check (R23).

A repeated image or a frozen feed changes by exactly nothing; a camera looking at anything real
changes by at least its sensor noise. Only a 32 x 32 grey thumbnail of the last face is held, and
it is overwritten by the next one and wiped when the capture ends (R10)."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

from station.domain.capture import FaceDetection

THUMBNAIL = 32


class FaceMotion:
    def __init__(self) -> None:
        self._last: npt.NDArray[np.float32] | None = None

    def update(self, rgb: npt.NDArray[np.uint8], face: FaceDetection) -> float | None:
        """The mean absolute grey-level change in the face box since the last call (None on the
        first, or when the box lies outside the frame)."""
        height, width = rgb.shape[:2]
        x0, y0 = max(int(face.x), 0), max(int(face.y), 0)
        x1, y1 = min(int(face.x + face.width), width), min(int(face.y + face.height), height)
        if x1 - x0 < 2 or y1 - y0 < 2:
            return None
        grey = cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
        small = cv2.resize(grey, (THUMBNAIL, THUMBNAIL), interpolation=cv2.INTER_AREA)
        grey.fill(0)
        current = small.astype(np.float32)
        small.fill(0)
        change = None if self._last is None else float(np.mean(np.abs(current - self._last)))
        self.wipe()
        self._last = current
        return change

    def wipe(self) -> None:
        if self._last is not None:
            self._last.fill(0)
            self._last = None
