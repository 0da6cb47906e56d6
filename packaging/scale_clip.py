"""The package test's camera: a video scaled to a webcam's 1280x720.

    python packaging/scale_clip.py IN.mp4 OUT.mp4

The shared clip is 640x360: its face is too small for the capture gate's floor (R26: 60 px
between the eyes), which no settings file can lower. Played at 1280x720, a common webcam size, it
is the same person and motion at the size a desk camera would give.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2

WEBCAM_SIZE = (1280, 720)


def scale(source: Path, target: Path) -> int:
    """Writes every frame of `source` at WEBCAM_SIZE to `target`; returns how many."""
    reader = cv2.VideoCapture(str(source))
    if not reader.isOpened():
        raise SystemExit(f"error: cannot read {source}")
    fps = reader.get(cv2.CAP_PROP_FPS) or 30.0
    writer = cv2.VideoWriter(str(target), cv2.VideoWriter.fourcc(*"mp4v"), fps, WEBCAM_SIZE)
    frames = 0
    try:
        while True:
            ok, frame = reader.read()
            if not ok:
                break
            writer.write(cv2.resize(frame, WEBCAM_SIZE, interpolation=cv2.INTER_CUBIC))
            frames += 1
    finally:
        reader.release()
        writer.release()
    if frames == 0:
        raise SystemExit(f"error: {source} holds no frames")
    return frames


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    scale(args.source, args.target)


if __name__ == "__main__":
    main()
