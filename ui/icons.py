"""The window's line icons: SVG files in ``resources/icons`` (bundled by packaging/face_station.spec).

The files are drawn in black; ``icon_pixmap`` paints them in the colour of the text beside them
(the palette's, so a dark or high-contrast palette gets light icons) and at the screen's pixel
ratio, so they stay sharp at 200 %. The result icons are drawn in the light theme's colours;
``recoloured_svg`` gives them in another theme's (ui/views/result_card.py). An icon is never the
only carrier of meaning: each sits beside words (R8)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from station.resources import resources_dir

ICONS = (
    *("building", "camera", "chip", "enroll", "lock", "other-way", "person", "verify-face"),
    *("result-ok", "result-fail", "result-other-way"),  # the result cards' (drawn in colour)
)


def icon_path(name: str) -> Path:
    if name not in ICONS:
        raise ValueError(f"unknown icon {name!r}; known: {', '.join(ICONS)}")
    return resources_dir() / "icons" / f"{name}.svg"


def recoloured_svg(name: str, colours: Mapping[str, str]) -> QByteArray:
    """The SVG text of `name` with each colour written in it (a key, ``#rrggbb``) replaced by its
    value: the result icons, drawn in the light theme's colours, in another theme's. An empty
    array when the file is missing (the card's words still say it)."""
    try:
        text = icon_path(name).read_text(encoding="utf-8")
    except OSError:
        return QByteArray()
    if colours:  # in one pass, so a colour put in is never replaced again
        written = re.compile("|".join(re.escape(colour) for colour in colours), re.IGNORECASE)
        lower = {colour.lower(): wanted for colour, wanted in colours.items()}
        text = written.sub(lambda match: lower[match.group(0).lower()], text)
    return QByteArray(text.encode("utf-8"))


def icon_pixmap(name: str, size: int, colour: QColor, ratio: float = 1.0) -> QPixmap:
    """`name` drawn `size` logical pixels square in `colour`; an empty pixmap when the file is
    missing (a broken install still shows the words)."""
    renderer = QSvgRenderer(str(icon_path(name)))
    side = max(1, round(size * ratio))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    if not renderer.isValid():
        return pixmap
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.setCompositionMode(QPainter.CompositionMode.CompositionMode_SourceIn)
    painter.fillRect(pixmap.rect(), colour)
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def icon(name: str, size: int, colour: QColor, ratio: float = 1.0, gap: int = 0) -> QIcon:
    """A QIcon of `name`; `gap` logical pixels of space at its right keep a button's text from
    touching it (Qt puts the two side by side with almost no room)."""
    drawn = icon_pixmap(name, size, colour, ratio)
    if not gap:
        return QIcon(drawn)
    wide = QPixmap(max(1, round((size + gap) * ratio)), drawn.height())
    wide.fill(Qt.GlobalColor.transparent)
    # The ratio before painting: `drawn` (at `ratio`) then covers its full size, not a quarter of
    # it at 200 %.
    wide.setDevicePixelRatio(ratio)
    painter = QPainter(wide)
    painter.drawPixmap(0, 0, drawn)
    painter.end()
    return QIcon(wide)
