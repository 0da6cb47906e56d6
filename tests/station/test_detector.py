"""The station's BlazeFace (the pinned model on OpenCV's DNN) finds what MediaPipe found: the same
boxes to the pixel, keypoints and scores to float rounding (R11: MediaPipe's runtime is no longer
loaded, and the quality gate's limits were set on MediaPipe's detections)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from station.biometrics.assets import verify_assets
from station.biometrics.detector import BlazeFaceDetector, load_detector_model
from station.capture import read_image_rgb

Image = npt.NDArray[np.uint8]
Face = tuple[tuple[int, int, int, int], float, list[list[float]]]


def _frontal(faces: Path) -> Image:
    return read_image_rgb(faces / "photos" / "Angelina_Jolie" / "deepface_img10.jpg")  # 408x594


def _two_people(faces: Path) -> Image:
    frontal = _frontal(faces)
    other = read_image_rgb(faces / "photos" / "Matt_Damon" / "deepface_img29.jpg")
    other = np.asarray(cv2.resize(other, (frontal.shape[1], frontal.shape[0])), dtype=np.uint8)
    return np.hstack([frontal, other])  # wider than tall: letterboxed top and bottom


def _cut_at_the_left(faces: Path) -> Image:
    return np.ascontiguousarray(_frontal(faces)[:, 100:350])  # box and an ear outside the frame


def _cat(faces: Path) -> Image:
    return read_image_rgb(faces / "negatives" / "skimage_chelsea.png")


# MediaPipe 1.2.3's FaceDetector (IMAGE mode, this min_score) on each frame, recorded before the
# station stopped loading it: box (x, y, width, height) px, score, six keypoints px.
REFERENCE: dict[str, tuple[Callable[[Path], Image], float, list[Face]]] = {
    "frontal": (
        _frontal,
        0.5,
        [
            (
                (87, 158, 232, 232),
                0.957199,
                [
                    [146.999, 221.795],
                    [245.825, 217.833],
                    [194.232, 274.78],
                    [197.58, 323.334],
                    [100.251, 248.588],
                    [306.725, 241.815],
                ],
            )
        ],
    ),
    "two_people": (
        _two_people,
        0.5,
        [
            (
                (82, 157, 234, 234),
                0.973158,
                [
                    [148.422, 224.479],
                    [245.888, 221.745],
                    [196.778, 279.613],
                    [198.027, 323.805],
                    [96.947, 246.486],
                    [301.746, 243.57],
                ],
            ),
            (
                (512, 122, 188, 188),
                0.953309,
                [
                    [571.238, 179.437],
                    [647.852, 179.646],
                    [612.449, 228.456],
                    [612.477, 261.123],
                    [524.369, 188.024],
                    [688.246, 186.742],
                ],
            ),
        ],
    ),
    "cut_at_the_left": (
        _cut_at_the_left,
        0.5,
        [
            (
                (0, 156, 232, 232),
                0.978941,
                [
                    [48.979, 222.345],
                    [147.498, 220.875],
                    [97.823, 278.99],
                    [98.493, 324.809],
                    [-3.3, 242.006],
                    [202.486, 239.865],
                ],
            )
        ],
    ),
    "cat_low_threshold": (
        _cat,
        0.3,
        [
            (
                (0, 8, 328, 300),
                0.424512,
                [
                    [128.111, 106.24],
                    [241.698, 123.917],
                    [193.715, 176.462],
                    [176.229, 238.986],
                    [35.195, 121.297],
                    [268.091, 155.627],
                ],
            ),
            (
                (277, 25, 217, 217),
                0.406491,
                [
                    [317.829, 165.779],
                    [367.564, 93.686],
                    [373.866, 170.916],
                    [416.931, 186.823],
                    [323.505, 180.296],
                    [428.905, 30.149],
                ],
            ),
        ],
    ),
}


@pytest.fixture(scope="module")
def model() -> bytes:
    return load_detector_model(verify_assets()["face_detector"])


@pytest.mark.parametrize("case", sorted(REFERENCE))
def test_blazeface_on_opencv_finds_what_mediapipe_found(
    model: bytes, faces: Path, case: str
) -> None:
    make, min_score, expected = REFERENCE[case]
    detector = BlazeFaceDetector(model, min_score=min_score)
    try:
        found = detector.detect(make(faces))
    finally:
        detector.close()
    assert len(found) == len(expected)
    for face, (box, score, keypoints) in zip(found, expected, strict=True):
        assert (face.x, face.y, face.width, face.height) == box
        assert face.score == pytest.approx(score, abs=1e-5)
        np.testing.assert_allclose(face.keypoints, keypoints, atol=2e-3)


def test_r10_the_detector_leaves_no_copy_of_the_frame_in_its_buffers(
    model: bytes, faces: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letterboxed thumbnail and the network's input are zeroed once the network has run."""
    kept: list[Image] = []
    remap = cv2.remap

    def keeping_remap(*args: object, **kwargs: object) -> Image:
        thumbnail: Image = remap(*args, **kwargs)  # type: ignore[call-overload]
        kept.append(thumbnail)
        return thumbnail

    monkeypatch.setattr(cv2, "remap", keeping_remap)
    detector = BlazeFaceDetector(model)
    try:
        assert len(detector.detect(_frontal(faces))) == 1
    finally:
        detector.close()
    assert len(kept) == 1 and kept[0].shape == (128, 128, 3)
    assert not kept[0].any()
