"""The template's descriptor from a BlazeFace detection: dlib's 5-point alignment + ResNet, then
SFace (sface.py) on the same frame; one 128-d part each, in model_sets.CURRENT's order."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from station.biometrics.assets import SFACE_RECOGNIZER, read_pinned_bytes
from station.biometrics.sface import SFaceDescriber, keypoints_for_crop
from station.domain.capture import LEFT_EYE, MOUTH, RIGHT_EYE, FaceDetection
from station.domain.models import Vector

Points = npt.NDArray[np.float64]

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


class DlibDescriber:
    def __init__(self, shape_predictor: Path, resnet: Path) -> None:
        import dlib

        self._dlib = dlib
        self._predictor = dlib.shape_predictor(str(shape_predictor))
        self._resnet = dlib.face_recognition_model_v1(str(resnet))

    def describe(self, rgb: npt.NDArray[np.uint8], box: tuple[int, int, int, int]) -> Vector:
        """An L2-normalised 128-d descriptor; the frame is only read, never kept."""
        shape = self._predictor(rgb, self._dlib.rectangle(*box))
        descriptor = self._resnet.compute_face_descriptor(rgb, shape)
        return l2_normalise(np.array(descriptor, dtype=np.float32))


class Embedder:
    """Both networks in this process: for the CLI and tests, which have no GUI to keep alive."""

    def __init__(self, paths: Mapping[str, Path]) -> None:
        """`paths`: the verified model files (assets.verify_assets)."""
        self._dlib = DlibDescriber(paths["shape_predictor_5"], paths["face_recognition_resnet"])
        model = paths[SFACE_RECOGNIZER.key]
        self._sface = SFaceDescriber(read_pinned_bytes(SFACE_RECOGNIZER, model))

    def embed(self, rgb: npt.NDArray[np.uint8], face: FaceDetection) -> Vector:
        return self.describe(rgb, alignment_box(face), keypoints_for_crop(face))

    def describe(
        self, rgb: npt.NDArray[np.uint8], box: tuple[int, int, int, int], points: Points
    ) -> Vector:
        """dlib's part then SFace's, each of unit length (CURRENT.parts)."""
        return np.concatenate([self._dlib.describe(rgb, box), self._sface.describe(rgb, points)])


class IsolatedEmbedder:
    """The same descriptor, computed in a child process.

    dlib holds the GIL for the whole ~100 ms of a descriptor (and ~70 ms to load its models), which
    freezes any GUI thread in the same process. The window uses this; the CLI and tests, with no GUI
    to keep alive, use Embedder directly. Only a crop around the face crosses the pipe (memory,
    never disk, R10) and both sides overwrite it after use.
    """

    def __init__(self, paths: Mapping[str, Path]) -> None:
        context = multiprocessing.get_context(
            "spawn"
        )  # no fork: the window's native threads (Qt's, OpenCV's) do not survive it
        self._connection, child = context.Pipe()
        self._process = context.Process(
            target=_serve_descriptors,
            args=(child, dict(paths)),
            daemon=True,
            name="face-station-embedder",
        )
        self._process.start()
        child.close()
        self._lock = threading.Lock()  # one request at a time on the pipe
        ready = self._connection.recv()
        if isinstance(ready, BaseException):
            raise ready

    def embed(self, rgb: npt.NDArray[np.uint8], face: FaceDetection) -> Vector:
        left, top, right, bottom = alignment_box(face)
        # Both aligned crops reach a little past the box: dlib's chip, and SFace's down to the chin.
        margin = (right - left + 1) // 2
        height, width = rgb.shape[:2]
        x0, y0 = max(left - margin, 0), max(top - margin, 0)
        x1, y1 = min(right + margin + 1, width), min(bottom + margin + 1, height)
        crop = np.ascontiguousarray(rgb[y0:y1, x0:x1])
        try:
            with self._lock:
                box = (left - x0, top - y0, right - x0, bottom - y0)
                self._connection.send((crop, box, keypoints_for_crop(face) - (x0, y0)))
                result = self._connection.recv()
        finally:
            crop.fill(0)
        if isinstance(result, BaseException):
            raise result
        return np.asarray(result, dtype=np.float32)

    def close(self) -> None:
        with self._lock:
            if self._process.is_alive():
                self._connection.send(None)
                self._process.join(timeout=5)
            self._connection.close()


def _serve_descriptors(connection: Connection, paths: Mapping[str, Path]) -> None:
    if hasattr(os, "nice"):
        os.nice(5)  # on a busy 2-core desk PC the window's threads should win the CPU
    try:
        embedder = Embedder(paths)
    except Exception as exc:  # reported to the parent, which raises it
        connection.send(exc)
        return
    connection.send("ready")
    while True:
        try:
            request = connection.recv()
        except EOFError:  # the station went away
            return
        if request is None:
            return
        crop, box, points = request
        try:
            connection.send(embedder.describe(crop, box, points))
        except Exception as exc:
            connection.send(exc)
        finally:
            crop.fill(0)
