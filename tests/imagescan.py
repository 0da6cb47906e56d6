"""What R10 looks for on disk: an image file by its signature, and raw pixels by fragments of the
frames the camera delivered. Used by the station's scan (tests/station/test_guards.py, self-tested
there) and the window's (tests/ui/test_window_privacy.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import numpy.typing as npt

# Signatures specific enough that random ciphertext or text does not match them by chance.
IMAGE_SIGNATURES: dict[str, re.Pattern[bytes]] = {
    "JPEG": re.compile(rb"\xff\xd8\xff[\xc0-\xfe]"),
    "PNG": re.compile(rb"\x89PNG\r\n\x1a\n"),
    "GIF": re.compile(rb"GIF8[79]a"),
    "BMP": re.compile(rb"BM.{4}\x00\x00\x00\x00.\x00\x00\x00", re.DOTALL),
    "TIFF": re.compile(rb"II\*\x00|MM\x00\*"),
    "WebP": re.compile(rb"RIFF.{4}WEBP", re.DOTALL),
    "PPM/PGM/PBM": re.compile(rb"P[1-6][ \t\r\n]+(?:#[^\n]*\n\s*)?\d+\s+\d+\s"),
}


def image_signatures(data: bytes) -> list[str]:
    return [name for name, pattern in IMAGE_SIGNATURES.items() if pattern.search(data)]


def pixel_fragments(
    image: npt.NDArray[np.uint8], rows: int = 12, columns: int = 5, size: int = 48
) -> list[bytes]:
    """48-byte runs of pixel data at `rows` x `columns` places spread over the whole picture, as
    RGB and then as BGR, skipping runs of few values (a run of one colour could match anything).
    Spread out, they find detail in a dark frame too, such as a clip's first, fading in."""
    height, width = image.shape[:2]
    fragments: list[bytes] = []
    for order in (image, image[:, :, ::-1]):
        contiguous = np.ascontiguousarray(order)
        for row in np.linspace(0, height - 1, rows, dtype=int):
            line = contiguous[row].tobytes()
            for pixel in np.linspace(0, width - size // 3, columns, dtype=int):
                piece = line[3 * pixel : 3 * pixel + size]  # whole pixels: RGB and BGR alike
                if len(set(piece)) >= 12:
                    fragments.append(piece)
    return fragments


def fragments_found(data: bytes, fragments: Iterable[bytes]) -> list[int]:
    """The indexes of the fragments that occur in `data`."""
    return [i for i, piece in enumerate(fragments) if piece in data]


def files_under(*roots: Path) -> list[Path]:
    return sorted(p for root in roots for p in root.rglob("*") if p.is_file())
