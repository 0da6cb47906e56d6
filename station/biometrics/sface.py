"""SFace (OpenCV Zoo, 2021dec, int8 block-quantised): the template's second part (issue 13).

The face is warped onto SFace's 112 x 112 crop by the similarity that best carries four of
BlazeFace's keypoints (both eye centres, the nose tip and the mouth centre) to where the network
was trained to see them: the ArcFace crop's five points, its two mouth corners taken as their
midpoint. The network reads RGB, unscaled (what OpenCV's FaceRecognizerSF feeds it after swapping
its BGR input). OpenCV 5's ONNX importer needs the input named: "data".
"""

from __future__ import annotations

from typing import Final

import cv2
import numpy as np
import numpy.typing as npt

from station.domain.capture import LEFT_EYE, MOUTH, NOSE_TIP, RIGHT_EYE, FaceDetection
from station.domain.models import Vector

CROP_SIZE: Final = 112
# The ArcFace crop's points (the person's right eye, left eye, nose tip, mouth centre), in pixels.
CROP_POINTS: Final = np.array(
    [[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366], [56.1396, 92.2848]],
    dtype=np.float64,
)
INPUT_NAME: Final = "data"


def keypoints_for_crop(face: FaceDetection) -> npt.NDArray[np.float64]:
    """The four detector keypoints CROP_POINTS names, in the same order."""
    return np.asarray(face.keypoints[[RIGHT_EYE, LEFT_EYE, NOSE_TIP, MOUTH]], dtype=np.float64)


def similarity_to_crop(points: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The 2 x 3 rotation + uniform scale + shift taking `points` nearest CROP_POINTS in the least
    squares sense (Umeyama 1991), computed exactly: no random sampling, so every run aligns alike."""
    source_mean, target_mean = points.mean(axis=0), CROP_POINTS.mean(axis=0)
    source, target = points - source_mean, CROP_POINTS - target_mean
    covariance = target.T @ source / len(points)
    u, singular, vt = np.linalg.svd(covariance)
    sign = np.diag([1.0, 1.0 if np.linalg.det(u) * np.linalg.det(vt) > 0 else -1.0])
    rotation = u @ sign @ vt
    variance = float((source**2).sum() / len(points))
    scale = float(np.trace(np.diag(singular) @ sign)) / variance if variance > 0 else 1.0
    shift = target_mean - scale * rotation @ source_mean
    return np.hstack([scale * rotation, shift[:, None]])


class SFaceDescriber:
    def __init__(self, model: bytes) -> None:
        """`model`: the pinned file's bytes (assets.read_pinned_bytes)."""
        self._net = cv2.dnn.readNetFromONNX(np.frombuffer(model, np.uint8))

    def describe(self, rgb: npt.NDArray[np.uint8], points: npt.NDArray[np.float64]) -> Vector:
        """An L2-normalised 128-d descriptor of the face whose keypoints_for_crop are `points`;
        the crop is overwritten once read (R10)."""
        crop = cv2.warpAffine(rgb, similarity_to_crop(points), (CROP_SIZE, CROP_SIZE))
        try:
            blob = cv2.dnn.blobFromImage(crop, 1.0, (CROP_SIZE, CROP_SIZE), (0, 0, 0), swapRB=False)
        finally:
            crop.fill(0)
        try:
            self._net.setInput(blob, INPUT_NAME)
            raw = np.asarray(self._net.forward(), dtype=np.float32).reshape(-1)
        finally:
            blob.fill(0)
        norm = float(np.linalg.norm(raw))
        if norm == 0.0 or not np.isfinite(norm):
            raise ValueError("SFace gave no usable descriptor for this face")
        return raw / np.float32(norm)
