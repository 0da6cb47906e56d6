"""The quality gate names the reason for every rejected frame (R26), on real photos made worse."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from station.biometrics.detector import FaceDetector
from station.biometrics.pipeline import BiometricModels
from station.biometrics.quality import assess, is_valid_frame
from station.capture import read_image_rgb
from station.domain import QualityIssue
from station.settings import ENROLL_GATE, VERIFY_GATE

Image = npt.NDArray[np.uint8]


@pytest.fixture(scope="module")
def detector(models: BiometricModels) -> Iterator[FaceDetector]:
    detector = models.new_detector()
    yield detector
    detector.close()


def _photo(faces: Path, relative: str) -> Image:
    return read_image_rgb(faces / "photos" / relative)


def _issue(detector: FaceDetector, rgb: Image, enroll: bool = True) -> QualityIssue | None:
    return assess(rgb, detector.detect(rgb), ENROLL_GATE if enroll else VERIFY_GATE).issue


@pytest.fixture(scope="module")
def frontal(faces: Path) -> Image:
    return _photo(faces, "Angelina_Jolie/deepface_img10.jpg")  # 594x408, eyes ~99 px apart


def test_a_good_frontal_photo_passes(detector: FaceDetector, frontal: Image) -> None:
    assert _issue(detector, frontal) is None


def test_scene_without_a_face(detector: FaceDetector, faces: Path) -> None:
    for path in sorted((faces / "negatives").iterdir())[:10]:
        assert _issue(detector, read_image_rgb(path)) is QualityIssue.NO_FACE, path.name


def test_two_people(detector: FaceDetector, faces: Path, frontal: Image) -> None:
    other = _photo(faces, "Matt_Damon/deepface_img29.jpg")
    other = np.asarray(cv2.resize(other, (frontal.shape[1], frontal.shape[0])), dtype=np.uint8)
    assert _issue(detector, np.hstack([frontal, other])) is QualityIssue.MULTIPLE_FACES


def test_too_far_away_for_enrollment_but_fine_to_verify(
    detector: FaceDetector, frontal: Image
) -> None:
    """Enrollment is stricter than verification: eyes ~46 px apart fail one, pass the other."""
    small = cv2.resize(frontal, None, fx=0.45, fy=0.45, interpolation=cv2.INTER_AREA)
    canvas = np.full((480, 640, 3), 120, dtype=np.uint8)
    canvas[100 : 100 + small.shape[0], 200 : 200 + small.shape[1]] = small
    assert _issue(detector, canvas) is QualityIssue.TOO_SMALL
    assert _issue(detector, canvas, enroll=False) is None


def test_face_cut_by_the_frame_edge(detector: FaceDetector, frontal: Image) -> None:
    cropped = np.ascontiguousarray(frontal[:, 120:])  # the box now touches the left edge
    assert _issue(detector, cropped) is QualityIssue.TOO_CLOSE_TO_EDGE


def test_head_tilted(detector: FaceDetector, frontal: Image) -> None:
    height, width = frontal.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 30, 1.0)
    tilted = np.asarray(
        cv2.warpAffine(frontal, turn, (width, height), borderValue=(120, 120, 120)), dtype=np.uint8
    )
    assert _issue(detector, tilted) is QualityIssue.NOT_FRONTAL


def test_blurred(detector: FaceDetector, frontal: Image) -> None:
    blurred = np.asarray(cv2.GaussianBlur(frontal, (0, 0), 4), dtype=np.uint8)
    assert _issue(detector, blurred) is QualityIssue.BLURRED


def test_too_dark_and_too_bright(detector: FaceDetector, frontal: Image) -> None:
    dark = (frontal.astype(np.float32) * 0.3).astype(np.uint8)
    assert _issue(detector, dark) is QualityIssue.TOO_DARK
    bright = np.clip(frontal.astype(np.float32) * 0.4 + 170, 0, 255).astype(np.uint8)
    assert _issue(detector, bright) is QualityIssue.TOO_BRIGHT


@pytest.mark.parametrize(
    "frame",
    [
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((480, 640), np.uint8),
        np.zeros((480, 640, 3), np.float32),
        np.zeros((480, 640, 4), np.uint8),
        np.zeros((10_000, 10, 3), np.uint8),
        "not an image",
    ],
    ids=["empty", "grey", "float", "rgba", "huge", "str"],
)
def test_garbage_frames_are_invalid_not_crashes(frame: object) -> None:
    assert not is_valid_frame(frame)


def test_r26_every_reason_has_a_plain_hint() -> None:
    for issue in QualityIssue:
        assert issue.hint and issue.hint[0].isupper() and issue.hint.endswith(".")
