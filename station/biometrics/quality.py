"""The quality gate (R26): one verdict per frame, with the reason for every rejection."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TypeGuard

import cv2
import numpy as np
import numpy.typing as npt

from station.domain import QualityIssue
from station.domain.capture import LEFT_EYE, MOUTH, NOSE_TIP, RIGHT_EYE, FaceDetection
from station.settings import GateThresholds

# On frontal faces (nose - eye line) / (mouth - eye line) sits near this value; looking up or down
# moves it. Measured on the frontal frames of the shared video and photos.
FRONTAL_PITCH_RATIO = 0.55
ASSESS_SIZE = (
    128  # face crops are resized to this before sharpness/brightness, so limits are scale-free
)


@dataclass(frozen=True)
class GateVerdict:
    issue: QualityIssue | None
    face: FaceDetection | None = None

    @property
    def accepted(self) -> bool:
        return self.issue is None


def is_valid_frame(pixels: object) -> TypeGuard[npt.NDArray[np.uint8]]:
    """Only H x W x 3 uint8 frames of a sane size go further; garbage is rejected, not crashed on."""
    return (
        isinstance(pixels, np.ndarray)
        and pixels.dtype == np.uint8
        and pixels.ndim == 3
        and pixels.shape[2] == 3
        and 32 <= pixels.shape[0] <= 4320
        and 32 <= pixels.shape[1] <= 7680
    )


def head_pose(face: FaceDetection) -> tuple[float, float, float]:
    """(yaw, roll in degrees, pitch ratio) from the keypoints, in the eye line's own frame."""
    right, left = face.keypoints[RIGHT_EYE], face.keypoints[LEFT_EYE]
    eye_vector = left - right
    eye_distance = float(np.linalg.norm(eye_vector)) or 1.0
    roll = math.degrees(math.atan2(eye_vector[1], eye_vector[0]))
    axis = eye_vector / eye_distance
    normal = np.array([-axis[1], axis[0]])
    middle = (left + right) / 2
    nose = face.keypoints[NOSE_TIP] - middle
    mouth = face.keypoints[MOUTH] - middle
    yaw = float(nose @ axis) / eye_distance
    mouth_depth = float(mouth @ normal)
    pitch = float(nose @ normal) / mouth_depth if mouth_depth > 1e-6 else math.inf
    return yaw, roll, pitch


def face_crop_grey(rgb: npt.NDArray[np.uint8], face: FaceDetection) -> npt.NDArray[np.uint8]:
    height, width = rgb.shape[:2]
    x0, y0 = max(int(face.x), 0), max(int(face.y), 0)
    x1, y1 = min(int(face.x + face.width), width), min(int(face.y + face.height), height)
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros((ASSESS_SIZE, ASSESS_SIZE), dtype=np.uint8)
    grey = cv2.cvtColor(rgb[y0:y1, x0:x1], cv2.COLOR_RGB2GRAY)
    resized = cv2.resize(grey, (ASSESS_SIZE, ASSESS_SIZE), interpolation=cv2.INTER_AREA)
    return np.asarray(resized, dtype=np.uint8)


def sharpness(grey: npt.NDArray[np.uint8]) -> float:
    return float(cv2.Laplacian(grey, cv2.CV_64F).var())


def assess(
    rgb: npt.NDArray[np.uint8], faces: list[FaceDetection], limits: GateThresholds
) -> GateVerdict:
    """Checks run cheapest first; the first failed check is the reason given to the person."""
    present = [f for f in faces if f.score >= limits.min_detection_score]
    if not present:
        return GateVerdict(QualityIssue.NO_FACE)
    if len(present) > 1:
        return GateVerdict(QualityIssue.MULTIPLE_FACES)
    face = present[0]
    if face.eye_distance < limits.min_eye_distance_px:
        return GateVerdict(QualityIssue.TOO_SMALL, face)
    height, width = rgb.shape[:2]
    margin_x, margin_y = width * limits.edge_margin_fraction, height * limits.edge_margin_fraction
    if (
        face.x < margin_x
        or face.y < margin_y
        or face.x + face.width > width - margin_x
        or face.y + face.height > height - margin_y
    ):
        return GateVerdict(QualityIssue.TOO_CLOSE_TO_EDGE, face)
    yaw, roll, pitch = head_pose(face)
    if (
        abs(yaw) > limits.max_yaw
        or abs(roll) > limits.max_roll_degrees
        or abs(pitch - FRONTAL_PITCH_RATIO) > limits.max_pitch_deviation
    ):
        return GateVerdict(QualityIssue.NOT_FRONTAL, face)
    grey = face_crop_grey(rgb, face)
    brightness = float(grey.mean())
    if brightness < limits.min_brightness:
        return GateVerdict(QualityIssue.TOO_DARK, face)
    if brightness > limits.max_brightness:
        return GateVerdict(QualityIssue.TOO_BRIGHT, face)
    if sharpness(grey) < limits.min_sharpness:
        return GateVerdict(QualityIssue.BLURRED, face)
    return GateVerdict(None, face)
