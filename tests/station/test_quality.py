"""The quality gate names the reason for every rejected frame (R26), on real photos made worse: each
reason the gate has is the verdict on a real frame with that fault, through the real detector."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.biometrics.detector import FaceDetector
from station.biometrics.pipeline import BiometricModels, assess_pixels
from station.biometrics.quality import is_valid_frame
from station.capture import read_image_rgb
from station.domain import QualityIssue
from station.settings import ENROLL_GATE, VERIFY_GATE
from tests.frames import REASON_FRAMES, Image, far_away
from tests.frames import frontal as frontal_photo


@pytest.fixture(scope="module")
def detector(models: BiometricModels) -> Iterator[FaceDetector]:
    detector = models.new_detector()
    yield detector
    detector.close()


def _issue(detector: FaceDetector, rgb: Image, enroll: bool = True) -> QualityIssue | None:
    return assess_pixels(rgb, detector, ENROLL_GATE if enroll else VERIFY_GATE).issue


@pytest.fixture(scope="module")
def frontal(faces: Path) -> Image:
    return frontal_photo(faces)


def test_a_good_frontal_photo_passes(detector: FaceDetector, frontal: Image) -> None:
    assert _issue(detector, frontal) is None


def test_scene_without_a_face(detector: FaceDetector, faces: Path) -> None:
    for path in sorted((faces / "negatives").iterdir())[:10]:
        assert _issue(detector, read_image_rgb(path)) is QualityIssue.NO_FACE, path.name


def test_too_far_away_for_enrollment_but_fine_to_verify(
    detector: FaceDetector, faces: Path
) -> None:
    """Enrollment is stricter than verification: eyes ~46 px apart fail one, pass the other."""
    canvas = far_away(faces)
    assert _issue(detector, canvas) is QualityIssue.TOO_SMALL
    assert _issue(detector, canvas, enroll=False) is None


def test_head_tilted(detector: FaceDetector, frontal: Image) -> None:
    height, width = frontal.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 30, 1.0)
    tilted = np.asarray(
        cv2.warpAffine(frontal, turn, (width, height), borderValue=(120, 120, 120)), dtype=np.uint8
    )
    assert _issue(detector, tilted) is QualityIssue.NOT_FRONTAL


def test_r26_every_reason_of_the_gate_has_a_real_frame_here() -> None:
    assert set(REASON_FRAMES) == set(QualityIssue)


@pytest.mark.parametrize("issue", list(QualityIssue), ids=lambda issue: issue.value)
def test_r26_each_reason_is_the_verdict_on_a_real_frame_with_that_fault(
    detector: FaceDetector, faces: Path, issue: QualityIssue
) -> None:
    """The photo with the fault is refused for that reason and no other, at enrollment; and the
    words the station gives for it (the command line's, the logs') are its own."""
    assert _issue(detector, REASON_FRAMES[issue](faces)) is issue
    hint = issue.hint
    assert hint[0].isupper() and hint.endswith(".")
    assert hint not in {other.hint for other in QualityIssue if other is not issue}


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
