"""How far a capture has got, large enough to read from a metre (issue 12): a ring of segments
with the count in its middle. First one segment per good frame needed, filled in the theme's
"ok" green as frames pass the quality gate; while the liveness check asks for movements (R23)
the ring counts the movements instead, in the accent like the prompt. A filled segment is thick,
an empty one thin, the movement being asked in between: they differ by more than colour.
`text()` says the same in words ("Frame 2 of 3", "Movement 1 of 2"): the capture panel shows it
under the ring and it is the ring's accessible description, so the ring never tells anything the
words do not."""

from __future__ import annotations

import enum

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from station.domain.capture import CaptureProgress
from ui.views.paint_cache import PaintCache
from ui.views.widgets import TRACK_SHARE, Ink, ink

RING_SIZE = 150
_GAP_DEGREES = 10.0  # between segments, so each counts as one


class ProgressPhase(enum.Enum):
    FRAMES = "frames"
    MOVEMENTS = "movements"


class CaptureProgressRing(QWidget):
    """Takes every CaptureProgress a capture reports (`show_progress`), None when it ends."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(RING_SIZE, RING_SIZE)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Capture progress"))
        self.phase: ProgressPhase | None = None  # None: no capture running
        self.done = 0  # good frames taken, or movements answered
        self.total = 0  # good frames needed, or movements asked in all
        self._drawn = PaintCache()

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def show_progress(self, progress: CaptureProgress | None) -> None:
        shown: tuple[ProgressPhase | None, int, int]
        if progress is None:
            shown = None, 0, 0
        elif progress.challenge is not None:
            challenge = progress.challenge
            shown = ProgressPhase.MOVEMENTS, challenge.index - 1, challenge.of
        else:
            needed = progress.frames_needed
            shown = ProgressPhase.FRAMES, min(progress.good_frames, needed), needed
        # Reports come with every frame; the ring changes a few times a capture. Repainting only
        # then also keeps the per-frame Qt calls down (see ui.views.face_guide.paint_face_box).
        if shown == (self.phase, self.done, self.total):
            return
        self.phase, self.done, self.total = shown
        self.setAccessibleDescription(self.text())
        self.update()

    def text(self) -> str:
        """The progress in words; empty with no capture running."""
        if self.phase is ProgressPhase.FRAMES:
            return self.tr("Frame {0} of {1}").format(self.done, self.total)
        if self.phase is ProgressPhase.MOVEMENTS:
            return self.tr("Movement {0} of {1}").format(self.done + 1, self.total)
        return ""

    def paintEvent(self, event: QPaintEvent) -> None:
        colours = ink()
        self._drawn.paint_widget(
            self,
            (self.phase, self.done, self.total, colours.theme),
            lambda on: self._paint(on, colours),
        )

    def _paint(self, painter: QPainter, colours: Ink) -> None:
        stroke = RING_SIZE * 0.09
        side = min(self.width(), self.height()) - stroke - 2
        ring = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        if self.phase is None or self.total <= 0:  # the empty track: the ring keeps its place
            painter.setPen(QPen(colours.track, stroke * TRACK_SHARE))
            painter.drawEllipse(ring)
            return
        moving = self.phase is ProgressPhase.MOVEMENTS
        colour = colours.cue if moving else colours.good
        gap = _GAP_DEGREES if self.total > 1 else 0.0
        span = 360.0 / self.total
        for segment in range(self.total):
            if segment < self.done:
                fill, width = colour, stroke
            elif moving and segment == self.done:  # the one asked now: between the two
                fill, width = colour, stroke * (1 + TRACK_SHARE) / 2
            else:
                fill, width = colours.track, stroke * TRACK_SHARE
            painter.setPen(QPen(fill, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            # Qt angles: 1/16 degree, counter-clockwise from 3 o'clock; go clockwise from 12.
            start = 90.0 - segment * span - gap / 2
            painter.drawArc(ring, int(start * 16), int(-(span - gap) * 16))
        font = QFont(self.font())
        font.setPixelSize(int(RING_SIZE * 0.26))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        shown = self.done + 1 if moving else self.done
        painter.drawText(ring, Qt.AlignmentFlag.AlignCenter, f"{shown}/{self.total}")
