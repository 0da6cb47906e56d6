"""A drawing kept as a pixmap until what it shows changes.

The capture page repaints with every camera frame (the preview, and with it whatever a relayout
touches), while the oval guide, the progress ring and the step indicator change a few times a
capture. Drawing each of them once per state and blitting the pixmap otherwise keeps the GUI
thread's work per frame small (the stall bench, bench/bench_gui_stall.py, wants it under 50 ms)."""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QWidget


class PaintCache:
    def __init__(self) -> None:
        self._key: Hashable = None
        self._pixmap = QPixmap()

    def pixmap(
        self, size: QSize, ratio: float, shows: Hashable, paint: Callable[[QPainter], None]
    ) -> QPixmap:
        """The drawing of `shows` at `size` (device-independent pixels) for a screen of pixel
        ratio `ratio`; `paint` draws it afresh only when one of the three has changed."""
        key = (size.width(), size.height(), ratio, shows)
        if key != self._key:
            pixmap = QPixmap(size * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            paint(painter)
            painter.end()
            self._key, self._pixmap = key, pixmap
        return self._pixmap

    def paint_widget(
        self, widget: QWidget, shows: Hashable, paint: Callable[[QPainter], None]
    ) -> None:
        """A widget's whole paintEvent: its drawing of `shows` (redrawn only when that, its size,
        its palette's text colour or its font changed), blitted onto it."""
        text = widget.palette().color(QPalette.ColorRole.WindowText)
        drawn = self.pixmap(
            widget.size(),
            widget.devicePixelRatioF(),
            (shows, text.rgba(), widget.font().key()),
            paint,
        )
        painter = QPainter(widget)
        painter.drawPixmap(0, 0, drawn)
        painter.end()
