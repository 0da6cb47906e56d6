#!/usr/bin/env python3
"""Per-frame BlazeFace face detection and quality-gate time.

    python bench/bench_detection.py [--passes 7] [--photo-frames 300]

Two streams, each replayed for several passes with a fresh detector per pass (as the
station makes one per capture): the real video ../shared/faces/video/short_hamilton_clip.mp4
(640x360, 275 frames) and one real photo resized to 640x480 and fed as a still camera stream.
Decoding is outside the timed region. Per pass the median and p90 per frame are taken; the table
shows the median over passes (one untimed warm-up pass first).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
import numpy.typing as npt  # noqa: E402

from bench._common import emit, faces_dir, percentile, say, table  # noqa: E402
from station.biometrics.assets import verify_assets  # noqa: E402
from station.biometrics.detector import BlazeFaceDetector, load_detector_model  # noqa: E402
from station.biometrics.quality import assess  # noqa: E402
from station.capture import VideoFileSource  # noqa: E402
from station.settings import GateThresholds, Settings  # noqa: E402

VIDEO = Path("video") / "short_hamilton_clip.mp4"
# 1536x1152 (4:3): resizing to 640x480 keeps the aspect, so the face is not distorted.
PHOTO = Path("photos") / "Angelina_Jolie" / "deepface_img2.jpg"


class StreamStats:
    """Per-pass per-frame durations of detection and of the gate."""

    def __init__(self) -> None:
        self.detect_passes: list[list[float]] = []
        self.gate_passes: list[list[float]] = []
        self.accepted_gate_times: list[float] = []  # the gate's full path: every check ran
        self.frames = 0
        self.with_face = 0
        self.accepted = 0

    def row(self, name: str, size: str) -> list[list[object]]:
        accepted = self.accepted_gate_times
        return [
            [f"{name}: detect", size, self.frames, *_median_of_passes(self.detect_passes)],
            [
                f"{name}: quality gate, all frames",
                size,
                self.frames,
                *_median_of_passes(self.gate_passes),
            ],
            [
                f"{name}: quality gate, accepted frames",
                size,
                self.accepted,
                1000 * statistics.median(accepted) if accepted else "-",
                1000 * percentile(accepted, 90) if accepted else "-",
            ],
        ]

    def as_json(self) -> dict[str, object]:
        detect = _median_of_passes(self.detect_passes)
        gate = _median_of_passes(self.gate_passes)
        return {
            "frames_per_pass": self.frames,
            "passes": len(self.detect_passes),
            "frames_with_face": self.with_face,
            "frames_accepted_by_verify_gate": self.accepted,
            "detect_median_ms": detect[0],
            "detect_p90_ms": detect[1],
            "gate_median_ms": gate[0],
            "gate_p90_ms": gate[1],
            "gate_accepted_frames_median_ms": (
                1000 * statistics.median(self.accepted_gate_times)
                if self.accepted_gate_times
                else None
            ),
            "gate_ms_per_pass_median": [1000 * statistics.median(p) for p in self.gate_passes],
            "detect_ms_per_pass_median": [1000 * statistics.median(p) for p in self.detect_passes],
        }


def _median_of_passes(passes: list[list[float]]) -> tuple[float, float]:
    medians = [1000 * statistics.median(p) for p in passes]
    p90s = [1000 * percentile(p, 90) for p in passes]
    return statistics.median(medians), statistics.median(p90s)


def run_pass(
    model: bytes,
    frames: list[npt.NDArray[np.uint8]],
    limits: GateThresholds,
    stats: StreamStats | None,
) -> None:
    """One stream through a fresh detector; stats None means an untimed warm-up."""
    detector = BlazeFaceDetector(model)
    detect_times: list[float] = []
    gate_times: list[float] = []
    accepted_gate_times: list[float] = []
    with_face = accepted = 0
    try:
        for rgb in frames:
            started = time.perf_counter()
            faces = detector.detect(rgb)
            detected = time.perf_counter()
            verdict = assess(rgb, faces, limits)
            gated = time.perf_counter()
            detect_times.append(detected - started)
            gate_times.append(gated - detected)
            with_face += bool(faces)
            accepted += verdict.accepted
            if verdict.accepted:
                accepted_gate_times.append(gated - detected)
    finally:
        detector.close()
    if stats is not None:
        stats.detect_passes.append(detect_times)
        stats.gate_passes.append(gate_times)
        stats.accepted_gate_times.extend(accepted_gate_times)
        stats.frames, stats.with_face, stats.accepted = len(detect_times), with_face, accepted


def decode(video: Path) -> list[npt.NDArray[np.uint8]]:
    decoded = []
    with VideoFileSource(video) as source:
        while (frame := source.read()) is not None:
            decoded.append(frame.pixels)
    return decoded


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--passes", type=int, default=7, help="timed passes per stream (default 7)")
    parser.add_argument(
        "--photo-frames", type=int, default=300, help="frames per photo pass (default 300)"
    )
    args = parser.parse_args()

    faces = faces_dir()
    model = load_detector_model(verify_assets()["face_detector"])
    limits = Settings().verify_gate

    say("decoding the video once (decode time is not part of the figures)")
    video_frames = decode(faces / VIDEO)
    height, width = video_frames[0].shape[:2]
    bgr = cv2.imread(str(faces / PHOTO), cv2.IMREAD_COLOR)
    if bgr is None:
        sys.exit(f"cannot read {faces / PHOTO}")
    photo: npt.NDArray[np.uint8] = np.asarray(
        cv2.cvtColor(cv2.resize(bgr, (640, 480), interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2RGB),
        dtype=np.uint8,
    )
    photo_frames = [photo] * args.photo_frames

    video_stats, photo_stats = StreamStats(), StreamStats()
    for name, frames, stats in (
        ("video", video_frames, video_stats),
        ("photo", photo_frames, photo_stats),
    ):
        run_pass(model, frames, limits, None)
        for number in range(1, args.passes + 1):
            say(f"{name}: pass {number}/{args.passes}")
            run_pass(model, frames, limits, stats)

    rows = video_stats.row("video", f"{width}x{height}") + photo_stats.row("photo", "640x480")
    text = table(["stream: step", "frame", "frames/pass", "median ms", "p90 ms"], rows)
    text += (
        f"\n(median over {args.passes} passes of the per-pass median / p90; gate = verify gate, whose "
        "checks stop at the first failure, so 'all frames' is mostly early rejections on the video; "
        "'accepted frames' pools every pass. Frames with a face: "
        f"video {video_stats.with_face}/{video_stats.frames}, photo {photo_stats.with_face}/{photo_stats.frames})"
    )
    emit(
        "detection",
        text,
        {
            "video": {"path": str(faces / VIDEO), "size": [width, height], **video_stats.as_json()},
            "photo_640x480": {
                "path": str(faces / PHOTO),
                "size": [640, 480],
                **photo_stats.as_json(),
            },
        },
    )


if __name__ == "__main__":
    main()
