"""From a frame source to descriptors: detect every frame, describe only the chosen ones."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from station.biometrics.assets import (
    FACE_LANDMARKS,
    MODEL_ID,
    model_fingerprint,
    read_pinned_bytes,
    verify_assets,
)
from station.biometrics.detector import BlazeFaceDetector, FaceDetector, load_detector_model
from station.biometrics.embedder import Embedder, FaceEmbedder, IsolatedEmbedder
from station.biometrics.landmarks import MIN_PRESENCE, FaceLandmarker, MeshLandmarker
from station.biometrics.matching import same_face_distance
from station.biometrics.quality import GateVerdict, assess, is_valid_frame
from station.capture import CameraLostError, Frame, FrameSource, RGBImage
from station.clock import Clock
from station.domain import QualityIssue
from station.domain.capture import CaptureProgress, ChallengeProgress, FaceDetection, TaskState
from station.domain.liveness import LivenessVerdict
from station.domain.models import Vector
from station.liveness import EyeLikeness, FaceMotion, LivenessCheck, Phase, draw_challenge
from station.settings import GateThresholds, LivenessSettings


class Unwatched:
    def cancelled(self) -> bool:
        return False

    def report(self, progress: CaptureProgress) -> None:
        pass


@dataclass
class CaptureStats:
    frames_read: int = 0
    good_frames: int = 0
    rejections: Counter[QualityIssue] = field(default_factory=Counter)
    timed_out: bool = False
    cancelled: bool = False
    source_ended: bool = False
    # R23: the challenge's verdict (None: liveness off, or the capture ended before it began)
    liveness: LivenessVerdict | None = None


@dataclass(frozen=True)
class CapturePlan:
    limits: GateThresholds
    frames_needed: int
    timeout_seconds: float
    max_frames_read: int
    # Frames of a stream this soon after a good one are skipped: near-copies add nothing (R10).
    # A still (a photo of a folder, Frame.still) is its own moment and never skipped.
    min_frame_gap_ms: int = 0
    liveness: LivenessSettings | None = None  # None: no challenge (liveness switched off)


class BiometricModels:
    """The detector, landmarker and embedder, loaded once from hash-verified files (refuses on a
    mismatch)."""

    def __init__(self, models_dir: Path | None = None, isolated: bool = False) -> None:
        """`isolated`: describe faces in a child process, for a process that has a GUI to keep
        responsive (dlib holds the GIL while it works)."""
        paths = verify_assets(models_dir)
        self.model_id = MODEL_ID
        self.fingerprint = model_fingerprint(paths)
        self._detector_model = load_detector_model(paths["face_detector"])
        self._landmarker_model = read_pinned_bytes(FACE_LANDMARKS, paths[FACE_LANDMARKS.key])
        embedder_type = IsolatedEmbedder if isolated else Embedder
        self.embedder: FaceEmbedder = embedder_type(paths)

    def close(self) -> None:
        if isinstance(self.embedder, IsolatedEmbedder):
            self.embedder.close()

    def new_detector(self) -> FaceDetector:
        """A detector per capture: each holds its own network and letterbox tables."""
        return BlazeFaceDetector(self._detector_model)

    def new_landmarker(self) -> FaceLandmarker:
        """A landmarker per capture (liveness, R23), like the detector: its own network; close it
        when the capture ends."""
        return MeshLandmarker(self._landmarker_model)


def good_descriptors(
    source: FrameSource,
    detector: FaceDetector,
    embedder: FaceEmbedder,
    plan: CapturePlan,
    clock: Clock,
    stats: CaptureStats,
    task: TaskState | None = None,
) -> Iterator[Vector]:
    """Yield one descriptor per frame that passes the gate, until the consumer stops or limits hit.

    Each frame's pixels are overwritten as soon as it has been assessed (R10): nothing of the image
    outlives this loop, and the source keeps no reference of its own.
    """
    watcher = task or Unwatched()
    deadline = clock.monotonic() + plan.timeout_seconds
    skip_until_ms = -1
    while (frame := _next_frame(source, watcher, plan, clock, deadline, stats)) is not None:
        if frame.timestamp_ms < skip_until_ms and not frame.still:  # R10: photos are no near-copies
            _destroy(frame)
            continue
        descriptor: Vector | None = None
        try:
            verdict = assess_pixels(frame.pixels, detector, plan.limits)
            if verdict.accepted and verdict.face is not None:
                descriptor = _embed(embedder, frame.pixels, verdict.face)
                stats.good_frames += 1
                skip_until_ms = frame.timestamp_ms + plan.min_frame_gap_ms
            elif verdict.issue is not None:
                stats.rejections[verdict.issue] += 1
            size = _frame_size(frame)
        finally:
            _destroy(frame)
        _report(watcher, stats, plan, verdict.issue, verdict.face, size)
        if descriptor is not None:
            yield descriptor


def live_descriptors(
    source: FrameSource,
    detector: FaceDetector,
    landmarker: FaceLandmarker,
    embedder: FaceEmbedder,
    plan: CapturePlan,
    clock: Clock,
    stats: CaptureStats,
    task: TaskState | None = None,
    rng: random.Random | None = None,
) -> list[Vector]:
    """The capture with liveness (R23): the descriptors of a face that passed the challenge, or
    none; `stats.liveness` holds the verdict either way once the challenge began.

    The first good frame is the *start* (its landmarks the person's baseline, its descriptor
    kept); then the two actions drawn (`rng`: the CSPRNG unless pad-eval passes a seeded one;
    two head movements instead of a blink when the start's eyes are too narrow to see one),
    every frame detected, landmarked and judged, the action asked reported as
    `CaptureProgress.challenge`; then good frames again for the rest of the descriptors
    (`frames_needed - 1`, at least one: the *end*), with the plan's gap. Start and end must
    describe one face. Nothing is handed on before the verdict, and every frame's pixels are
    overwritten once judged (R10), the challenge's too.
    """
    if plan.liveness is None:
        raise ValueError("live_descriptors needs a plan with liveness settings")
    watcher = task or Unwatched()
    deadline = clock.monotonic() + plan.timeout_seconds
    check = LivenessCheck(
        draw_challenge(rng),
        plan.liveness.action_seconds,
        head_only=draw_challenge(rng, blink=False),
    )
    motion, eyes = FaceMotion(), EyeLikeness()
    start: Vector | None = None
    ends: list[Vector] = []
    wanted_ends = max(plan.frames_needed - 1, 1)
    skip_until_ms = -1
    try:
        while check.phase is not Phase.DONE:
            frame = _next_frame(source, watcher, plan, clock, deadline, stats)
            if frame is None:
                break
            timestamp = frame.timestamp_ms
            face: FaceDetection | None = None
            issue: QualityIssue | None = None
            try:
                pixels = frame.pixels
                detections = detector.detect(pixels) if is_valid_frame(pixels) else []
                verdict = (
                    assess(pixels, detections, plan.limits)
                    if is_valid_frame(pixels)
                    else GateVerdict(QualityIssue.INVALID_FRAME)
                )
                face, issue = verdict.face, verdict.issue
                spaced = frame.still or timestamp >= skip_until_ms  # R10, as in good_descriptors
                good = verdict.accepted and face is not None and spaced
                if check.phase is Phase.WAITING:
                    points = _points(landmarker, pixels, face) if good and face else None
                    if points is not None and face is not None:
                        start = _embed(embedder, pixels, face)
                        check.start(timestamp, points, face)
                        motion.update(pixels, face)
                        eyes.start(pixels, points)
                        stats.good_frames += 1
                        skip_until_ms = timestamp + plan.min_frame_gap_ms
                else:
                    present = [f for f in detections if f.score >= plan.limits.min_detection_score]
                    followed = check.follow(present)
                    points = _points(landmarker, pixels, followed) if followed else None
                    change = motion.update(pixels, followed) if followed else None
                    # The eyes' look costs four warps a frame: taken only while a blink is asked.
                    look = None
                    if points is not None and check.judging_blink:
                        look = eyes.look(pixels, points)
                    check.observe(timestamp, present, points, change, look)
                    if check.answered and good and face is not None and face is followed:
                        ends.append(_embed(embedder, pixels, face))
                        stats.good_frames += 1
                        skip_until_ms = timestamp + plan.min_frame_gap_ms
                    if check.phase is Phase.ASKING:
                        face, issue = followed, None  # turned on purpose: no gate hint now
                if issue is not None:
                    stats.rejections[issue] += 1
                size = _frame_size(frame)
            finally:
                _destroy(frame)
            _report(watcher, stats, plan, issue, face, size, check.progress(timestamp))
            if start is not None and len(ends) >= wanted_ends:
                stats.liveness = check.conclude([same_face_distance(start, end) for end in ends])
        if check.phase is not Phase.WAITING and not stats.cancelled:
            stats.liveness = check.abandon() if check.verdict is None else check.verdict
        if stats.liveness is not None and stats.liveness.passed and start is not None:
            kept, start, ends = [start, *ends], None, []
            return kept
        return []
    finally:
        motion.wipe()
        eyes.wipe()
        for vector in [start, *ends]:
            if vector is not None:
                vector.fill(0)


def _points(
    landmarker: FaceLandmarker, pixels: RGBImage, face: FaceDetection
) -> npt.NDArray[np.float32] | None:
    found = landmarker.landmarks(pixels, face)
    if found is None or found.presence < MIN_PRESENCE:
        return None
    return found.points


def _report(
    watcher: TaskState,
    stats: CaptureStats,
    plan: CapturePlan,
    issue: QualityIssue | None,
    face: FaceDetection | None,
    size: tuple[int, int],
    challenge: ChallengeProgress | None = None,
) -> None:
    """What a screen shows after each frame: the count, the gate's hint, the box, the movement."""
    watcher.report(
        CaptureProgress(
            stats.frames_read, stats.good_frames, plan.frames_needed, issue, face, size, challenge
        )
    )


def _next_frame(
    source: FrameSource,
    watcher: TaskState,
    plan: CapturePlan,
    clock: Clock,
    deadline: float,
    stats: CaptureStats,
) -> Frame | None:
    """The next frame to judge, or None once the capture must stop: cancelled, out of time, out
    of frames to read, or the stream ended (`stats` says which)."""
    if watcher.cancelled():
        stats.cancelled = True
        return None
    if stats.frames_read >= plan.max_frames_read:
        return None
    if clock.monotonic() > deadline:
        stats.timed_out = True
        return None
    frame = _read(source)
    if frame is None:
        stats.source_ended = True
        return None
    stats.frames_read += 1
    return frame


def _read(source: FrameSource) -> Frame | None:
    try:
        return source.read()
    except OSError as exc:
        # A device or disk failing mid-stream (EIO, ENODEV, a file on a pulled USB stick): the
        # services turn a CameraError into CAMERA_FAILED; a raw OSError would escape them.
        raise CameraLostError(
            f"{source.description} stopped working ({exc.strerror or exc}). Check the camera and "
            "its cable, then start again; nothing was stored."
        ) from exc


def assess_pixels(pixels: object, detector: FaceDetector, limits: GateThresholds) -> GateVerdict:
    """The gate on one frame's pixels; anything that is not a sane H x W x 3 uint8 image is
    INVALID_FRAME before it reaches the detector, whatever its shape, type or size."""
    if not is_valid_frame(pixels):
        return GateVerdict(QualityIssue.INVALID_FRAME)
    return assess(pixels, detector.detect(pixels), limits)


def _embed(embedder: FaceEmbedder, pixels: RGBImage, face: FaceDetection) -> Vector:
    # dlib takes only C-contiguous images; a strided frame (a view, a flip) gets a copy that is
    # wiped like the frame itself (R10).
    contiguous = np.ascontiguousarray(pixels)
    try:
        return embedder.embed(contiguous, face)
    finally:
        if contiguous is not pixels:
            contiguous.fill(0)


def _frame_size(frame: Frame) -> tuple[int, int]:
    shape = getattr(frame.pixels, "shape", (0, 0))
    return (int(shape[1]), int(shape[0])) if len(shape) >= 2 else (0, 0)


def _destroy(frame: Frame) -> None:
    """Overwrite the pixel buffer in place: a dropped reference alone leaves the image in memory."""
    pixels = frame.pixels
    if getattr(pixels, "flags", None) is not None and pixels.flags.writeable:
        pixels.fill(0)


SourceFactory = Callable[[], FrameSource]
