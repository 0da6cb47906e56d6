#!/usr/bin/env python3
"""dlib descriptor time per face (DlibEmbedder.embed), against detection time in the same run.

    python bench/bench_descriptor.py [--passes 3] [--full-size-passes 1]

Every photo under ../shared/faces/photos is letterboxed into a 640x480 camera-size frame. Each pass
runs a fresh detector and the embedder over all frames, timing both per frame; the ratio
descriptor / detection is taken per pass (medians) and the median over passes is reported. A second
measure times the descriptor on the original full-size photos (decoding and detection untimed).
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

from bench._common import box_mapping, describe_mapping, emit, faces_dir, percentile, say, table  # noqa: E402
from station.biometrics.pipeline import BiometricModels  # noqa: E402
from station.capture import IMAGE_SUFFIXES  # noqa: E402
from station.domain.capture import FaceDetection  # noqa: E402
from station.settings import Settings  # noqa: E402

FRAME_W, FRAME_H = 640, 480

RGB = npt.NDArray[np.uint8]


def photo_paths(photos: Path) -> list[Path]:
    return sorted(p for p in photos.glob("*/*") if p.suffix.lower() in IMAGE_SUFFIXES)


def read_rgb(path: Path) -> RGB | None:
    bgr = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if bgr is None:
        return None
    return np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB), dtype=np.uint8)


def letterbox(rgb: RGB) -> RGB:
    """Scaled to fit 640x480 with its aspect kept, centred on black: a camera-size frame."""
    height, width = rgb.shape[:2]
    scale = min(FRAME_W / width, FRAME_H / height)
    new_w, new_h = max(1, round(width * scale)), max(1, round(height * scale))
    resized = cv2.resize(rgb, (new_w, new_h), interpolation=cv2.INTER_AREA)
    canvas = np.zeros((FRAME_H, FRAME_W, 3), dtype=np.uint8)
    top, left = (FRAME_H - new_h) // 2, (FRAME_W - new_w) // 2
    canvas[top : top + new_h, left : left + new_w] = resized
    return canvas


def best_face(faces: list[FaceDetection], min_score: float) -> FaceDetection | None:
    present = [f for f in faces if f.score >= min_score]
    return max(present, key=lambda f: f.width * f.height) if present else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--passes", type=int, default=3, help="timed passes over the 640x480 frames"
    )
    parser.add_argument(
        "--full-size-passes", type=int, default=1, help="timed passes over full-size photos"
    )
    args = parser.parse_args()

    photos = photo_paths(faces_dir() / "photos")
    mapping = box_mapping()  # read first: embedder.py may be edited while this runs
    min_score = Settings().verify_gate.min_detection_score
    say("loading models")
    models = BiometricModels()
    embedder = models.embedder

    frames: list[RGB] = []
    for path in photos:
        rgb = read_rgb(path)
        if rgb is not None:
            frames.append(letterbox(rgb))
    say(f"{len(frames)} photos letterboxed to {FRAME_W}x{FRAME_H}")

    detect_medians: list[float] = []
    embed_medians: list[float] = []
    ratios: list[float] = []
    all_embed: list[float] = []
    all_detect: list[float] = []
    faces_described = 0
    for number in range(args.passes + 1):  # pass 0 is an untimed warm-up
        detector = models.new_detector()
        detect_times: list[float] = []
        embed_times: list[float] = []
        try:
            for frame in frames:
                started = time.perf_counter()
                faces = detector.detect(frame)
                detected = time.perf_counter()
                face = best_face(faces, min_score)
                if face is None:
                    continue
                started_embed = time.perf_counter()
                embedder.embed(frame, face)
                embedded = time.perf_counter()
                detect_times.append(detected - started)
                embed_times.append(embedded - started_embed)
        finally:
            detector.close()
        if number == 0:
            faces_described = len(embed_times)
            continue
        say(f"640x480 pass {number}/{args.passes}: {len(embed_times)} faces")
        detect_medians.append(statistics.median(detect_times))
        embed_medians.append(statistics.median(embed_times))
        ratios.append(embed_medians[-1] / detect_medians[-1])
        all_embed.extend(embed_times)
        all_detect.extend(detect_times)

    # Full-size photos: the descriptor only (dlib's chip extraction reads the original pixels).
    full_embed_medians: list[float] = []
    full_all: list[float] = []
    if args.full_size_passes > 0:
        image_detector = models.new_detector()
        try:
            located: list[tuple[Path, FaceDetection]] = []
            for path in photos:
                rgb = read_rgb(path)
                face = best_face(image_detector.detect(rgb), min_score) if rgb is not None else None
                if face is not None:
                    located.append((path, face))
        finally:
            image_detector.close()
        for number in range(1, args.full_size_passes + 1):
            times: list[float] = []
            for path, face in located:
                rgb = read_rgb(path)
                assert rgb is not None
                started = time.perf_counter()
                embedder.embed(rgb, face)
                times.append(time.perf_counter() - started)
            say(f"full-size pass {number}/{args.full_size_passes}: {len(times)} faces")
            full_embed_medians.append(statistics.median(times))
            full_all.extend(times)

    detect_ms = 1000 * statistics.median(detect_medians)
    embed_ms = 1000 * statistics.median(embed_medians)
    ratio = statistics.median(ratios)
    rows: list[list[object]] = [
        [
            "detect",
            f"{FRAME_W}x{FRAME_H}",
            len(all_detect),
            detect_ms,
            1000 * percentile(all_detect, 90),
        ],
        [
            "descriptor (DlibEmbedder.embed)",
            f"{FRAME_W}x{FRAME_H}",
            len(all_embed),
            embed_ms,
            1000 * percentile(all_embed, 90),
        ],
    ]
    if full_all:
        rows.append(
            [
                "descriptor (DlibEmbedder.embed)",
                "full-size photos",
                len(full_all),
                1000 * statistics.median(full_embed_medians),
                1000 * percentile(full_all, 90),
            ]
        )
    text = table(["step", "frames", "samples", "median ms", "p90 ms"], rows)
    text += (
        f"\nratio descriptor / detection (same frames, same run): {ratio:.1f}x "
        f"(per-pass ratios: {', '.join(f'{r:.1f}' for r in ratios)})"
        f"\n{faces_described} faces from {len(photos)} photos; medians over {args.passes} passes; "
        f"box mapping in embedder.py: {describe_mapping(mapping)}"
    )
    emit(
        "descriptor",
        text,
        {
            "photos": len(photos),
            "faces_described": faces_described,
            "passes": args.passes,
            "detect_median_ms": detect_ms,
            "detect_p90_ms": 1000 * percentile(all_detect, 90),
            "descriptor_median_ms": embed_ms,
            "descriptor_p90_ms": 1000 * percentile(all_embed, 90),
            "ratio_descriptor_over_detection": ratio,
            "ratio_per_pass": ratios,
            "descriptor_full_size_median_ms": 1000 * statistics.median(full_embed_medians)
            if full_embed_medians
            else None,
            "descriptor_full_size_p90_ms": 1000 * percentile(full_all, 90) if full_all else None,
            "box_mapping": mapping,
        },
    )


if __name__ == "__main__":
    main()
