"""The oval over the live preview that shows a person where to put their face (issue 12).

The oval is centred and sized for a head about 0.5-1 m from a desk webcam: 60 % of the picture's
height, three quarters as wide as high. Its look follows the latest assessed frame (R26), and never
by colour alone (R8): a thin dotted white line while no face is seen, a dashed amber line when the
frame was refused (the hint beside the picture says why), a thick solid green line when it passed
the gate. The picture outside the oval is dimmed a little so the oval reads on any background.

The face box is drawn as corner brackets in pure green (accepted) or pure yellow (refused):
ui.screenshots.face_box_pixels finds the capture shot by those two colours, which none of the
oval's colours can produce, even blended into the picture at an anti-aliased edge."""

from __future__ import annotations

import enum

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from station.domain import QualityIssue
from station.domain.capture import CaptureProgress

OVAL_HEIGHT = 0.6  # of the picture's height
OVAL_ASPECT = 0.75  # width / height, a head's outline with a little room around it
BOX_GOOD = QColor(0, 255, 0)
BOX_REFUSED = QColor(255, 255, 0)
_BOX_PENS = {
    accepted: QPen(colour, 4, Qt.PenStyle.SolidLine, Qt.PenCapStyle.SquareCap)
    for accepted, colour in ((True, BOX_GOOD), (False, BOX_REFUSED))
}
_DIM = QColor(0, 0, 0, 100)
_HALO = QColor(0, 0, 0, 130)  # under every stroke: the line stays visible on a light wall


class GuideState(enum.Enum):
    SEARCHING = "searching"  # no frame assessed yet, or no face in it
    GOOD = "good"  # the latest assessed frame passed the quality gate
    ADJUST = "adjust"  # it was refused: the hint says what to change

    @property
    def colour(self) -> QColor:
        # Green blue > 90 and amber green < 200: neither is a face-box colour (see the module doc).
        return QColor({"searching": "#ffffff", "good": "#4ade80", "adjust": "#f59e0b"}[self.value])

    @property
    def pen(self) -> QPen:
        width = {"searching": 3.0, "good": 6.0, "adjust": 5.0}[self.value]
        pen = QPen(self.colour, width)
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)  # gaps as long as drawn: a dashed line reads so
        if self is GuideState.SEARCHING:
            pen.setStyle(Qt.PenStyle.DotLine)
        elif self is GuideState.ADJUST:
            pen.setDashPattern([3.0, 2.0])  # in units of the pen's width: long, clear dashes
        return pen


def guide_state(progress: CaptureProgress | None) -> GuideState:
    """What the oval says about the latest assessed frame."""
    if progress is None:
        return GuideState.SEARCHING
    if progress.issue is None and progress.face is not None:
        return GuideState.GOOD
    if progress.issue in (None, QualityIssue.NO_FACE):  # no face seen (or lost mid-movement)
        return GuideState.SEARCHING
    return GuideState.ADJUST


def oval_rect(picture: QRectF) -> QRectF:
    """Where the face belongs in a picture shown in `picture` (widget coordinates)."""
    height = picture.height() * OVAL_HEIGHT
    width = min(height * OVAL_ASPECT, picture.width() * 0.9)
    return QRectF(
        picture.center().x() - width / 2, picture.center().y() - height / 2, width, height
    )


def paint_guide(painter: QPainter, picture: QRectF, state: GuideState) -> None:
    """Dim the picture around the oval, then draw the oval in the state's line over a dark halo."""
    oval = oval_rect(picture)
    outside = QPainterPath()
    outside.addRect(picture)
    outside.addEllipse(oval)  # odd-even fill: the rectangle minus the oval
    painter.fillPath(outside, _DIM)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    pen = state.pen
    painter.setPen(QPen(_HALO, pen.widthF() + 4))
    painter.drawEllipse(oval)
    painter.setPen(pen)
    painter.drawEllipse(oval)


def paint_face_box(painter: QPainter, box: QRectF, accepted: bool) -> None:
    """The detector's face box as four corner brackets, in the box colours of the module doc. Drawn
    with every frame, so in two calls (a set pen, one drawLines)."""
    painter.setPen(_BOX_PENS[accepted])
    arm = min(box.width(), box.height()) * 0.25
    strokes = []
    for corner, across, down in (
        (box.topLeft(), 1, 1),
        (box.topRight(), -1, 1),
        (box.bottomLeft(), 1, -1),
        (box.bottomRight(), -1, -1),
    ):
        strokes.append(QLineF(corner, corner + QPointF(across * arm, 0)))
        strokes.append(QLineF(corner, corner + QPointF(0, down * arm)))
    painter.drawLines(strokes)
