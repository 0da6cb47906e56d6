"""dlib 5-point alignment + ResNet descriptor, fed from a MediaPipe detection."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from station.biometrics.detector import LEFT_EYE, MOUTH, RIGHT_EYE, FaceDetection
from station.domain.models import Vector

DESCRIPTOR_SIZE = 128

# dlib's 5-point predictor was trained on its HOG detector's boxes; feeding it BlazeFace's box
# unchanged costs accuracy (stack.md). The rectangle is placed from the keypoints instead: with
# k = eye distance + eye-midpoint-to-mouth distance, its centre sits at the eye midpoint shifted by
# (DX, DY) * k and its side is SIDE * k. Fitted by bench/calibrate_box_mapping.py on LFW A-M; on
# the held-out N-Z identities EER fell from 2.23 % (box unchanged) to 1.25 % (dlib's own HOG box:
# 1.22 %).
KEYPOINT_CENTER_DX = -0.00647
KEYPOINT_CENTER_DY = 0.2137
KEYPOINT_SIDE = 1.1585


class FaceEmbedder(Protocol):
    def embed(self, rgb: npt.NDArray[np.uint8], face: FaceDetection) -> Vector: ...


def alignment_box(face: FaceDetection) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the rectangle handed to the 5-point predictor.

    dlib rectangles are inclusive, so a side of n pixels spans left .. left + n - 1 (as fitted).
    """
    eyes = (face.keypoints[LEFT_EYE] + face.keypoints[RIGHT_EYE]) / 2
    scale = face.eye_distance + float(np.linalg.norm(face.keypoints[MOUTH] - eyes))
    side = KEYPOINT_SIDE * scale
    left = round(eyes[0] + KEYPOINT_CENTER_DX * scale - side / 2)
    top = round(eyes[1] + KEYPOINT_CENTER_DY * scale - side / 2)
    return left, top, left + round(side) - 1, top + round(side) - 1


def l2_normalise(vector: npt.NDArray[np.floating]) -> Vector:
    norm = float(np.linalg.norm(vector))
    if norm == 0.0:
        raise ValueError("cannot normalise a zero vector")
    return (np.asarray(vector, dtype=np.float32) / np.float32(norm)).astype(np.float32)


class DlibEmbedder:
    def __init__(self, shape_predictor: Path, resnet: Path) -> None:
        import dlib

        self._dlib = dlib
        self._predictor = dlib.shape_predictor(str(shape_predictor))
        self._resnet = dlib.face_recognition_model_v1(str(resnet))

    def embed(self, rgb: npt.NDArray[np.uint8], face: FaceDetection) -> Vector:
        """An L2-normalised 128-d descriptor; the frame is only read, never kept."""
        left, top, right, bottom = alignment_box(face)
        shape = self._predictor(rgb, self._dlib.rectangle(left, top, right, bottom))
        descriptor = self._resnet.compute_face_descriptor(rgb, shape)
        return l2_normalise(np.array(descriptor, dtype=np.float32))
