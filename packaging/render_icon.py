"""Render the SVG icon to a PNG of a given size (the .deb ships both: some desktops ignore SVG).

Usage: python packaging/render_icon.py packaging/icons/face-station.svg 256 out.png
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def render(svg: Path, size: int, out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # QPainter needs one
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"error: {svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out)):  # the format follows the .png suffix
        raise SystemExit(f"error: could not write {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("svg", type=Path)
    parser.add_argument("size", type=int)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    render(args.svg, args.size, args.out)


if __name__ == "__main__":
    main()
