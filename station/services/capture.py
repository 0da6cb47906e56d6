"""The one capture loop enrollment and verification share: models loaded before the camera opens
(R25: the camera is on no longer than needed), then every frame detected and gated, the good ones
described, each descriptor handed on until the caller has enough or a limit stops it (R10, R26)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from station.biometrics.pipeline import (
    CapturePlan,
    CaptureStats,
    SourceFactory,
    good_descriptors,
    live_descriptors,
)
from station.domain import QualityIssue
from station.domain.capture import TaskState
from station.domain.models import Vector
from station.settings import Settings

if TYPE_CHECKING:
    from station.services.station import Station


def capture_plan(settings: Settings, *, enrolling: bool) -> CapturePlan:
    """Enrollment takes the stricter gate, its frame count and a gap between good frames (a
    near-copy adds nothing to a template); verification lets every good frame count. Both run
    the liveness challenge unless an administrator switched it off (R23)."""
    capture = settings.capture
    return CapturePlan(
        settings.enroll_gate if enrolling else settings.verify_gate,
        capture.enroll_frames if enrolling else capture.verify_frames,
        capture.timeout_seconds,
        capture.max_frames_read,
        capture.min_frame_gap_ms if enrolling else 0,
        settings.liveness if settings.liveness.enabled else None,
    )


def capture_descriptors(
    station: Station,
    open_camera: SourceFactory,
    plan: CapturePlan,
    stats: CaptureStats,
    task: TaskState | None,
    take: Callable[[Vector], bool],
) -> None:
    """Hand each good frame's descriptor to `take` until it answers True (enough), the plan's
    limits stop the capture, the stream ends or `task` is cancelled; `stats` says which. The
    camera and the detector are closed on every path; a CameraError reaches the caller.

    With liveness (R23) the descriptors reach `take` only once the challenge passed, after the
    camera is closed (R25: on no longer than the frames need); `stats.liveness` holds the
    verdict, and a failed one hands nothing on."""
    models = station.models
    if plan.liveness is not None:
        with open_camera() as source:
            detector, landmarker = models.new_detector(), models.new_landmarker()
            try:
                held = live_descriptors(
                    source, detector, landmarker, models.embedder, plan, station.clock, stats, task
                )
            finally:
                landmarker.close()
                detector.close()
        try:
            for index, descriptor in enumerate(held):
                if take(descriptor):
                    wipe(held[index + 1 :])
                    break
        except BaseException:
            wipe(held)
            raise
        return
    with open_camera() as source:
        detector = models.new_detector()
        try:
            for descriptor in good_descriptors(
                source, detector, models.embedder, plan, station.clock, stats, task
            ):
                if take(descriptor):
                    break
        finally:
            detector.close()


def shortfall_message(stats: CaptureStats, needed: int) -> str:
    """Why a capture ended without enough good frames, in the operator's words."""
    if stats.cancelled:
        return "Cancelled by the operator; nothing was stored."
    common = _most_common_issue(stats)
    why = f" Most frames were refused: {common.hint}" if common else ""
    if stats.timed_out:
        return (
            f"Stopped after the time limit with {stats.good_frames} of {needed} good frames.{why}"
        )
    return f"The camera stream ended with {stats.good_frames} of {needed} good frames.{why}"


def _most_common_issue(stats: CaptureStats) -> QualityIssue | None:
    common = stats.rejections.most_common(1)
    return common[0][0] if common else None


def wipe(vectors: list[Any]) -> None:
    """Overwrite descriptors once used: they live no longer than the decision (R10)."""
    for vector in vectors:
        np.asarray(vector).fill(0)
