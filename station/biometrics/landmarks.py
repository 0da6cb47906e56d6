"""Face landmarks for liveness (R23): MediaPipe's 478-point face mesh (face_landmarks_detector.tflite,
taken out of the pinned landmarker bundle) run by OpenCV's DNN module, from the station's own face
detection, as MediaPipe 1.2.3's FaceLandmarker does it in IMAGE mode.

MediaPipe's runtime is not loaded (see detector.py, R11). Its steps, redone here:
- the region of interest: the detection box's centre, turned by the angle of the line between the
  two eye keypoints (DetectionsToRectsCalculator, keypoints 0 and 1, target angle 0), its longer
  side made square and scaled by 1.5 (RectTransformationCalculator, scale 1.5, square_long);
- that rotated square warped to 256 x 256 by OpenCV 4's warpPerspective (ImageToTensorCalculator
  on the CPU; detector.warp_tables reproduces its fixed-point sampling), black outside the frame,
  values scaled to [0, 1];
- the outputs: 'Identity' holds 478 x (x, y, z) in the input's 256-pixel units, 'Identity_1' the
  face-presence logit (sigmoid). The net's third output ('Identity_2', one value) is not used by
  MediaPipe's graph and is not read here;
- the points projected back: turned by the ROI's angle about its centre, scaled by its side / 256
  (z too, as MediaPipe scales z like x).

The model outputs geometry only: no expression or blendshape value is computed anywhere (R9); the
bundle's blendshape model is never written to disk (packaging/fetch_models.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from station.biometrics.detector import warp_tables
from station.domain.capture import FaceDetection

LANDMARK_COUNT: Final = 478
INPUT_SIZE: Final = 256
ROI_SCALE: Final = 1.5  # MediaPipe's RectTransformation around the detection box
MIN_PRESENCE: Final = 0.5  # MediaPipe's default min_face_presence_confidence
OUTPUT_NAMES: Final = ("Identity", "Identity_1")  # landmarks, face-presence logit

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class FaceLandmarks:
    """One face's mesh. ``points``: 478 x 3 float32, x and y in frame pixels, z in the same pixel
    scale (MediaPipe's relative depth, smaller = nearer the camera). MediaPipe's index conventions
    hold (nose tip 1, eye corners 33/133 and 362/263, eyelids 159/145 and 386/374...).
    ``presence``: the model's face-presence score, 0..1; below MIN_PRESENCE MediaPipe reports no
    face."""

    points: npt.NDArray[np.float32]
    presence: float


class FaceLandmarker(Protocol):
    def landmarks(self, rgb: Image, face: FaceDetection) -> FaceLandmarks | None: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class Roi:
    """The rotated square the mesh model looks at, in frame pixels (angle in radians, MediaPipe's
    sign: as cv2.RotatedRect's degrees)."""

    center_x: float
    center_y: float
    side: float
    angle: float


def roi_of(face: FaceDetection) -> Roi | None:
    """MediaPipe's region of interest for a detection; None when the box has no size."""
    side = max(face.width, face.height) * ROI_SCALE
    if not (side > 0 and math.isfinite(side)):
        return None
    (x0, y0), (x1, y1) = face.keypoints[0], face.keypoints[1]
    angle = -math.atan2(-(y1 - y0), x1 - x0)
    angle = angle - 2 * math.pi * math.floor((angle + math.pi) / (2 * math.pi))  # to [-pi, pi)
    if not math.isfinite(angle):
        return None
    # The station's box is MediaPipe's truncated to whole pixels; half a pixel puts its centre
    # back where MediaPipe's float box has it on average (halves the median gap to MediaPipe).
    centre_x = face.x + 0.5 + face.width / 2
    centre_y = face.y + 0.5 + face.height / 2
    return Roi(centre_x, centre_y, side, angle)


class MeshLandmarker:
    """One face at a time, from its detection; keeps nothing from one call to the next. Not
    thread-safe: one landmarker per capture."""

    def __init__(self, model: bytes) -> None:
        self._net = cv2.dnn.readNetFromTFLite(np.frombuffer(model, np.uint8))

    def output_shapes(self) -> dict[str, tuple[int, ...]]:
        """Every output the network has, by name, with its shape (run on a black input): what the
        net can compute at all (R9's tests read it)."""
        names = list(self._net.getUnconnectedOutLayersNames())
        self._net.setInput(np.zeros((1, 3, INPUT_SIZE, INPUT_SIZE), np.float32))
        outputs = self._net.forward(names)
        return {
            name: tuple(np.asarray(out).shape) for name, out in zip(names, outputs, strict=True)
        }

    def landmarks(self, rgb: Image, face: FaceDetection) -> FaceLandmarks | None:
        roi = roi_of(face)
        if roi is None:
            return None
        corners = cv2.boxPoints(
            ((roi.center_x, roi.center_y), (roi.side, roi.side), math.degrees(roi.angle))
        )
        crop = cv2.remap(
            rgb, *warp_tables(corners, INPUT_SIZE), cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT
        )
        blob = np.ascontiguousarray(crop.transpose(2, 0, 1)[None], dtype=np.float32)
        try:
            blob *= np.float32(1 / 255)  # pixel values to [0, 1]
            self._net.setInput(blob)
            raw, logit = (np.asarray(out, np.float32) for out in self._net.forward(OUTPUT_NAMES))
        finally:  # R10: no copy of the picture outlives the call
            crop.fill(0)
            blob.fill(0)
        presence = 1.0 / (1.0 + math.exp(-float(np.clip(logit.ravel()[0], -100, 100))))
        return FaceLandmarks(_in_frame(raw.reshape(LANDMARK_COUNT, 3), roi), presence)

    def close(self) -> None:
        """Drops the network; a closed landmarker is not used again."""
        del self._net


def _in_frame(raw: npt.NDArray[np.float32], roi: Roi) -> npt.NDArray[np.float32]:
    """From the model's 256-pixel input back to frame pixels (LandmarkProjectionCalculator)."""
    unit = raw.astype(np.float64) / INPUT_SIZE
    x, y = unit[:, 0] - 0.5, unit[:, 1] - 0.5
    cos, sin = math.cos(roi.angle), math.sin(roi.angle)
    points = np.empty_like(unit)
    points[:, 0] = (cos * x - sin * y) * roi.side + roi.center_x
    points[:, 1] = (sin * x + cos * y) * roi.side + roi.center_y
    points[:, 2] = unit[:, 2] * roi.side
    return points.astype(np.float32)
