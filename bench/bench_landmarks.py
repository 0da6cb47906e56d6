#!/usr/bin/env python3
"""Per-frame face-mesh (MeshLandmarker) time, for the liveness challenge (R23).

    python bench/bench_landmarks.py [--runs 20]

The real clip ../shared/faces/video/short_hamilton_clip.mp4 (640x360) and one real photo resized
to 640x480: each frame is detected first (untimed), then the landmarker runs on that detection;
the median and p90 of --runs timed calls per stream (after one untimed warm-up call) are shown.
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
from station.biometrics.assets import FACE_LANDMARKS, read_pinned_bytes, verify_assets  # noqa: E402
from station.biometrics.detector import BlazeFaceDetector, load_detector_model  # noqa: E402
from station.biometrics.landmarks import MeshLandmarker  # noqa: E402
from station.capture import VideoFileSource, read_image_rgb  # noqa: E402
from station.domain.capture import FaceDetection  # noqa: E402

VIDEO = Path("video") / "short_hamilton_clip.mp4"
PHOTO = Path("photos") / "Angelina_Jolie" / "deepface_img2.jpg"

Image = npt.NDArray[np.uint8]


def _video_frames(path: Path, count: int) -> list[Image]:
    source = VideoFileSource(path)
    source.open()
    frames: list[Image] = []
    try:
        while len(frames) < count and (frame := source.read()) is not None:
            frames.append(np.array(frame.pixels, dtype=np.uint8))
    finally:
        source.close()
    return frames


def _timed(
    landmarker: MeshLandmarker, items: list[tuple[Image, FaceDetection]], runs: int
) -> list[float]:
    rgb, face = items[0]
    landmarker.landmarks(rgb, face)  # warm-up: OpenCV sets the network up on the first call
    times: list[float] = []
    for index in range(runs):
        rgb, face = items[index % len(items)]
        started = time.perf_counter()
        landmarker.landmarks(rgb, face)
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=20, help="timed calls per stream")
    args = parser.parse_args()
    paths = verify_assets()
    detector = BlazeFaceDetector(load_detector_model(paths["face_detector"]))
    landmarker = MeshLandmarker(read_pinned_bytes(FACE_LANDMARKS, paths[FACE_LANDMARKS.key]))
    faces = faces_dir()
    photo = np.asarray(cv2.resize(read_image_rgb(faces / PHOTO), (640, 480)), dtype=np.uint8)
    streams = {
        "clip 640x360": _video_frames(faces / VIDEO, args.runs),
        "photo 640x480": [photo],
    }
    rows: list[list[object]] = []
    results: dict[str, object] = {}
    try:
        for name, frames in streams.items():
            items = [(rgb, found[0]) for rgb in frames if (found := detector.detect(rgb))]
            if not items:
                sys.exit(f"{name}: no face detected")
            say(f"{name}: {len(items)} frame(s) with a face")
            times = _timed(landmarker, items, args.runs)
            median, p90 = 1000 * statistics.median(times), 1000 * percentile(times, 90)
            rows.append([name, len(times), median, p90])
            results[name] = {"runs": len(times), "median_ms": median, "p90_ms": p90}
    finally:
        landmarker.close()
        detector.close()
    emit(
        "landmarks",
        table(["stream", "calls", "median ms", "p90 ms"], rows),
        {"landmarks": results},
    )


if __name__ == "__main__":
    main()
