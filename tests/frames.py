"""Camera frames built in a test, never written anywhere (R10): a file-free camera over them, a
watcher that keeps what a capture reports, and one real frame per reason the quality gate gives
(R26), each made from the shared photos the way a camera would show the fault."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from station.capture import Frame, FrameSourceBase, read_image_rgb
from station.domain import QualityIssue
from station.domain.capture import CaptureProgress

Image = npt.NDArray[np.uint8]
FRONTAL = "Angelina_Jolie/deepface_img10.jpg"  # 594x408, eyes ~99 px apart: passes every gate


class ListSource(FrameSourceBase):
    """A file-free camera over frames built in the test (synthetic pixels, never written anywhere)."""

    description = "synthetic frames"

    def __init__(self, frames: list[np.ndarray[Any, Any]], repeat: bool = False) -> None:
        self.frames, self.repeat, self.position, self._open = frames, repeat, 0, False

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        self._open = True

    def read(self) -> Frame | None:
        if self.position >= len(self.frames) and not self.repeat:
            return None
        pixels = self.frames[self.position % len(self.frames)].copy()
        self.position += 1
        return Frame(pixels, self.position * 33, self.position)

    def close(self) -> None:
        self._open = False


class Watching:
    """A capture's task (TaskState) that is never cancelled and keeps every progress report, as the
    window's watcher receives them."""

    def __init__(self) -> None:
        self.seen: list[CaptureProgress] = []

    def cancelled(self) -> bool:
        return False

    def report(self, progress: CaptureProgress) -> None:
        self.seen.append(progress)


def photo(faces: Path, relative: str) -> Image:
    return read_image_rgb(faces / "photos" / relative)


def frontal(faces: Path) -> Image:
    return photo(faces, FRONTAL)


def _scene_without_a_face(faces: Path) -> Image:
    return read_image_rgb(faces / "negatives" / "skimage_coffee.png")  # a cup on a table


def _two_people(faces: Path) -> Image:
    first = frontal(faces)
    other = photo(faces, "Matt_Damon/deepface_img29.jpg")
    other = np.asarray(cv2.resize(other, (first.shape[1], first.shape[0])), dtype=np.uint8)
    return np.hstack([first, other])


def far_away(faces: Path) -> Image:
    """The frontal face at 45 %: eyes ~46 px apart in a 640x480 frame, short of enrollment's 60."""
    small = cv2.resize(frontal(faces), None, fx=0.45, fy=0.45, interpolation=cv2.INTER_AREA)
    canvas = np.full((480, 640, 3), 120, dtype=np.uint8)
    canvas[100 : 100 + small.shape[0], 200 : 200 + small.shape[1]] = small
    return canvas


def _cut_by_the_edge(faces: Path) -> Image:
    return np.ascontiguousarray(frontal(faces)[:, 120:])  # the face box now touches the left edge


def _turned_head(faces: Path) -> Image:
    # A real three-quarter view (the nose ~0.37 eye distances off the eyes' middle), as taken.
    return photo(faces, "kit_harington/face_recognition_john2.jpeg")


def _blurred(faces: Path) -> Image:
    return np.asarray(cv2.GaussianBlur(frontal(faces), (0, 0), 4), dtype=np.uint8)


def _dark(faces: Path) -> Image:
    return (frontal(faces).astype(np.float32) * 0.3).astype(np.uint8)


def _bright(faces: Path) -> Image:
    return np.clip(frontal(faces).astype(np.float32) * 0.4 + 170, 0, 255).astype(np.uint8)


def _beyond_any_camera(faces: Path) -> Image:
    # A 4600x3061 photo, as an image-folder camera delivers it: taller than any camera's frame.
    return photo(faces, "George_Clooney/deepface_img40.jpg")


# Every reason the gate can give, with a frame that has that fault and no earlier one (the gate
# names the first failed check). A reason added to QualityIssue without a frame here fails the tests
# that go through this table.
REASON_FRAMES: dict[QualityIssue, Callable[[Path], Image]] = {
    QualityIssue.NO_FACE: _scene_without_a_face,
    QualityIssue.MULTIPLE_FACES: _two_people,
    QualityIssue.TOO_SMALL: far_away,
    QualityIssue.TOO_CLOSE_TO_EDGE: _cut_by_the_edge,
    QualityIssue.NOT_FRONTAL: _turned_head,
    QualityIssue.BLURRED: _blurred,
    QualityIssue.TOO_DARK: _dark,
    QualityIssue.TOO_BRIGHT: _bright,
    QualityIssue.INVALID_FRAME: _beyond_any_camera,
}
