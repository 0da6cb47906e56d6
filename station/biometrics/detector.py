"""Face detection: MediaPipe's BlazeFace (short range, the standalone face_detector.tflite) run by
OpenCV's DNN module, with MediaPipe's own pre- and post-processing.

MediaPipe's runtime is not loaded, because it reaches the network (R11): every task its native
library creates posts usage logs to https://play.googleapis.com/log (libcurl, from a worker thread,
when a detector closes and about once a minute while one runs), and loading the library opens an
internet socket; neither can be switched off. Importing its Python package also imports its audio
tasks, whose sounddevice import runs ldconfig, gcc and ld to look for PortAudio.

The steps are those of MediaPipe 1.2.3's face detector graph, in float32 as it computes them: the
frame letterboxed to 128 x 128 by OpenCV's fixed-point bilinear warp, SSD anchors, sigmoid scores,
weighted non-maximum suppression, the boxes projected back and truncated to whole pixels. On the
shared photos, negatives and clip frames its boxes are MediaPipe's to the pixel, its keypoints
within 0.001 px and its scores within 2e-6 (tests/station/test_detector.py pins MediaPipe's own).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from station.biometrics.assets import FACE_DETECTOR, read_pinned_bytes
from station.domain.capture import FaceDetection

INPUT_SIZE: Final = 128
KEYPOINTS: Final = 6
SCORE_CLIP: Final = np.float32(100)  # raw scores are clipped to +-100 before the sigmoid
MIN_SUPPRESSION: Final = np.float32(0.3)  # overlap (IoU) above which detections merge
# MediaPipe calls OpenCV 4's warpPerspective, which samples in 1/32 px steps and adds up source
# coordinates in blocks of 64 columns; OpenCV 5 samples differently, so that warp is redone here
# as a fixed-point remap table (the same roundings, hence the same thumbnail).
_SUBPIXELS: Final = 32
_BLOCK_COLUMNS: Final = 64

Floats = npt.NDArray[np.float32]
RemapTables = tuple[npt.NDArray[np.int16], npt.NDArray[np.uint16]]
# (score, (xmin, ymin, width, height), 6 x 2 keypoints), in the model input's unit square.
Candidate = tuple[np.float32, Floats, Floats]


class FaceDetector(Protocol):
    def detect(self, rgb: npt.NDArray[np.uint8]) -> list[FaceDetection]: ...

    def close(self) -> None: ...


def load_detector_model(model_file: Path) -> bytes:
    """The pinned detector's bytes (pass the path verify_assets() returned), for OpenCV's buffer.

    The bytes read are checked once more, so a file swapped after verification is never loaded.
    """
    return read_pinned_bytes(FACE_DETECTOR, model_file)


def _anchor_centres() -> Floats:
    """The short-range model's 896 SSD anchors (all of size 1, so only centres): a 16 x 16 grid
    with 2 anchors per cell (stride 8), then an 8 x 8 grid with 6 (three stride-16 layers of 2)."""
    centres = []
    for grid, per_cell in ((16, 2), (8, 6)):
        steps = (np.arange(grid, dtype=np.float32) + np.float32(0.5)) / np.float32(grid)
        y, x = np.meshgrid(steps, steps, indexing="ij")
        centres.append(np.repeat(np.stack([x.ravel(), y.ravel()], axis=1), per_cell, axis=0))
    return np.concatenate(centres)


ANCHORS: Final = _anchor_centres()


def _letterbox_tables(width: int, height: int) -> RemapTables:
    """Remap tables that put the square around the frame's centre (its longer side) onto the
    model's input, black outside the frame."""
    side = float(max(width, height))
    corners = cv2.boxPoints(((width / 2, height / 2), (side, side), 0.0))
    return warp_tables(corners, INPUT_SIZE)


def warp_tables(corners: npt.ArrayLike, size: int) -> RemapTables:
    """Remap tables that map the quadrilateral ``corners`` (cv2.boxPoints order: bottom-left,
    top-left, top-right, bottom-right) onto a ``size`` x ``size`` square, sampled as OpenCV 4's
    warpPerspective samples (MediaPipe's ImageToTensorCalculator on the CPU)."""
    target = np.array([[0, 1], [0, 0], [1, 0], [1, 1]], np.float32) * size
    m = cv2.invert(cv2.getPerspectiveTransform(np.asarray(corners, np.float32), target))[1].ravel()
    grid = np.arange(size, dtype=np.float64)
    column, row = np.meshgrid(grid, grid)
    block = np.floor(column / _BLOCK_COLUMNS) * _BLOCK_COLUMNS
    step = column - block
    depth = m[6] * block + m[7] * row + m[8] + m[6] * step
    scale = np.divide(_SUBPIXELS, depth, out=np.zeros_like(depth), where=depth != 0)
    x = np.rint((m[0] * block + m[1] * row + m[2] + m[0] * step) * scale).astype(np.int64)
    y = np.rint((m[3] * block + m[4] * row + m[5] + m[3] * step) * scale).astype(np.int64)
    whole = np.stack([x // _SUBPIXELS, y // _SUBPIXELS], axis=-1).astype(np.int16)
    fraction = (y % _SUBPIXELS * _SUBPIXELS + x % _SUBPIXELS).astype(np.uint16)
    return whole, fraction


def _candidates(raw: Floats, logits: Floats, min_score: np.float32) -> list[Candidate]:
    """Every anchor's face at or above `min_score`, best first; boxes of negative or NaN size are
    dropped, as MediaPipe drops them."""
    with np.errstate(over="ignore"):  # exp(100) is inf in float32: the score is then 0
        scores = np.float32(1) / (np.float32(1) + np.exp(-np.clip(logits, -SCORE_CLIP, SCORE_CLIP)))
    offsets = raw / np.float32(INPUT_SIZE)  # per anchor: x, y, w, h, then 6 keypoints' x, y
    centres = offsets[:, 0:2] + ANCHORS
    half = offsets[:, 2:4] / np.float32(2)
    low, high = centres - half, centres + half
    rects = np.concatenate([low, high - low], axis=1)
    points = offsets[:, 4:].reshape(-1, KEYPOINTS, 2) + ANCHORS[:, None, :]
    kept = (scores >= min_score) & np.all(rects[:, 2:] >= 0, axis=1)
    order = sorted(np.flatnonzero(kept), key=lambda i: -scores[i])
    return [(scores[i], rects[i], points[i]) for i in order]


def _overlap(a: Floats, b: Floats) -> np.float32:
    """Intersection over union of two (xmin, ymin, width, height) rectangles, in float32."""
    a_max, b_max = a[:2] + a[2:], b[:2] + b[2:]
    if np.any(b_max < a[:2]) or np.any(a_max < b[:2]):
        return np.float32(0)
    common = np.minimum(a_max, b_max) - np.maximum(a[:2], b[:2])
    shared = common[0] * common[1]
    union = (a_max[0] - a[0]) * (a_max[1] - a[1]) + (b_max[0] - b[0]) * (b_max[1] - b[1]) - shared
    return shared / union if union > 0 else np.float32(0)


def _weighted_suppression(pool: list[Candidate]) -> list[Candidate]:
    """Best first, each survivor becomes the score-weighted mean of the candidates that overlap it
    by more than MIN_SUPPRESSION (itself included), and those leave the pool."""
    merged: list[Candidate] = []
    while pool:
        score, rect, points = pool[0]
        group = [c for c in pool if _overlap(c[1], rect) > MIN_SUPPRESSION]
        if not group:  # a box of no area overlaps nothing, not even itself: it ends the search
            merged.append(pool[0])
            break
        total, low, high = np.float32(0), np.zeros(2, np.float32), np.zeros(2, np.float32)
        keypoints = np.zeros_like(points)
        for weight, box, marks in group:  # one by one, in score order, as MediaPipe sums
            total += weight
            low += box[:2] * weight
            high += (box[:2] + box[2:]) * weight
            keypoints += marks * weight
        mean_low = low / total
        merged.append(
            (score, np.concatenate([mean_low, high / total - mean_low]), keypoints / total)
        )
        pool = [c for c in pool if not any(c is g for g in group)]
    return merged


class BlazeFaceDetector:
    """One frame at a time: BlazeFace keeps nothing from one frame to the next, so a stream and
    unrelated stills are treated alike. Not thread-safe: one detector per capture."""

    def __init__(self, model: bytes, min_score: float = 0.5) -> None:
        self._net = cv2.dnn.readNetFromTFLite(np.frombuffer(model, np.uint8))
        # The gate applies the real threshold; a low one here lets it report "several faces"
        # even when the second face is weak.
        self._min_score = np.float32(min_score)
        self._size: tuple[int, int] | None = None
        self._tables: RemapTables | None = None

    def detect(self, rgb: npt.NDArray[np.uint8]) -> list[FaceDetection]:
        height, width = rgb.shape[:2]
        if self._tables is None or self._size != (width, height):  # a camera keeps its size
            self._size, self._tables = (width, height), _letterbox_tables(width, height)
        thumbnail = cv2.remap(rgb, *self._tables, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
        blob = np.ascontiguousarray(thumbnail.transpose(2, 0, 1)[None], dtype=np.float32)
        try:
            blob *= np.float32(2 / 255)  # pixel values to [-1, 1]
            blob -= np.float32(1)
            self._net.setInput(blob)
            outputs = self._net.forward(["regressors", "classificators"])
            raw, logits = (np.asarray(output, np.float32) for output in outputs)
        finally:  # R10: no copy of the picture outlives the call
            thumbnail.fill(0)
            blob.fill(0)
        found = _weighted_suppression(_candidates(raw[0], logits[0, :, 0], self._min_score))
        return [_in_frame(candidate, width, height) for candidate in found]

    def close(self) -> None:
        """Drops the network; a closed detector is not used again."""
        del self._net


def _in_frame(candidate: Candidate, width: int, height: int) -> FaceDetection:
    """From the model's letterboxed square back to the frame: the box truncated to whole pixels
    within the frame, the keypoints in pixels."""
    score, rect, points = candidate
    size = np.array([width, height], np.float32)
    scale = np.float32(max(width, height)) * (np.float32(1) / size)
    shift = (np.float32(-0.5) * np.float32(max(width, height)) + size / 2) * (np.float32(1) / size)
    low = rect[:2] * scale + shift
    extent = (rect[:2] + rect[2:]) * scale + shift - low
    x, y = np.clip((low * size).astype(np.int64), 0, size.astype(np.int64))
    w, h = np.clip((extent * size).astype(np.int64), 0, size.astype(np.int64))
    pixels = (points * scale + shift).astype(np.float64) * size.astype(np.float64)
    return FaceDetection(float(x), float(y), float(w), float(h), float(score), pixels)
