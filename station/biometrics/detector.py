"""MediaPipe Tasks face detection (BlazeFace short range, the standalone face_detector.tflite)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from station.biometrics.assets import FACE_DETECTOR, ModelAssetError
from station.domain.capture import FaceDetection

# Keep MediaPipe's native INFO/WARNING lines off the operator's terminal.
os.environ.setdefault("GLOG_minloglevel", "2")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


class FaceDetector(Protocol):
    def detect(self, rgb: npt.NDArray[np.uint8], timestamp_ms: int) -> list[FaceDetection]: ...

    def close(self) -> None: ...


def load_detector_model(model_file: Path) -> bytes:
    """The pinned detector's bytes (pass the path verify_assets() returned), for MediaPipe's buffer.

    The bytes read are checked once more, so a file swapped after verification is never loaded.
    """
    data = model_file.read_bytes()
    if len(data) != FACE_DETECTOR.size or hashlib.sha256(data).hexdigest() != FACE_DETECTOR.sha256:
        raise ModelAssetError(
            model_file.parent,
            (f"{model_file.name} changed after it was verified; it was not loaded.",),
        )
    return data


def import_mediapipe() -> Any:
    """Import mediapipe (slow, ~0.8 s) and undo the Qt plugin path its cv2 import sets."""
    import mediapipe

    os.environ.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    return mediapipe


class MediaPipeFaceDetector:
    """VIDEO mode for camera streams (strictly increasing timestamps), IMAGE mode for unrelated stills."""

    def __init__(
        self,
        model: bytes,
        mode: Literal["video", "image"] = "video",
        min_score: float = 0.5,
    ) -> None:
        mp = import_mediapipe()
        from mediapipe.tasks.python import BaseOptions, vision

        self._mp = mp
        self._mode = mode
        options = vision.FaceDetectorOptions(
            base_options=BaseOptions(model_asset_buffer=model),
            running_mode=vision.RunningMode.VIDEO if mode == "video" else vision.RunningMode.IMAGE,
            # The gate applies the real threshold; a low one here lets it report "several faces"
            # even when the second face is weak.
            min_detection_confidence=min_score,
        )
        self._detector = vision.FaceDetector.create_from_options(options)
        self._last_timestamp = -1

    def detect(self, rgb: npt.NDArray[np.uint8], timestamp_ms: int) -> list[FaceDetection]:
        image = self._mp.Image(
            image_format=self._mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb)
        )
        if self._mode == "video":
            # MediaPipe aborts the graph on a non-increasing timestamp; never let a source cause that.
            timestamp_ms = max(timestamp_ms, self._last_timestamp + 1)
            self._last_timestamp = timestamp_ms
            result = self._detector.detect_for_video(image, timestamp_ms)
        else:
            result = self._detector.detect(image)
        height, width = rgb.shape[:2]
        faces = []
        for detection in result.detections:
            box = detection.bounding_box
            points = np.array(
                [[k.x * width, k.y * height] for k in detection.keypoints], dtype=np.float64
            )
            faces.append(
                FaceDetection(
                    x=float(box.origin_x),
                    y=float(box.origin_y),
                    width=float(box.width),
                    height=float(box.height),
                    score=float(detection.categories[0].score),
                    keypoints=points,
                )
            )
        return faces

    def close(self) -> None:
        self._detector.close()
