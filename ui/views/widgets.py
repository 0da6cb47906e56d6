"""Small building blocks shared by the views."""

from __future__ import annotations

import math
from typing import NamedTuple

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from station.domain.capture import CaptureProgress
from station.domain.liveness import Action
from ui.style import current_theme
from ui.views.face_guide import GuideState, guide_state, paint_face_box, paint_guide
from ui.views.paint_cache import PaintCache

SCREEN_OFF = QColor("#2b3440")  # the preview's place with no picture: a dark, switched-off screen
TRACK_SHARE = (
    0.35  # a ring's empty part is this much thinner than its filled part: not colour alone
)


class Ink(NamedTuple):
    """The capture page's drawn colours in the theme in force (ui/palette.py, ≥ 3:1 on the
    window in every theme): the movement asked for in the accent, like the prompt's words; time
    left and good frames in the theme's "ok"; a ring's empty part in the divider colour."""

    theme: str
    cue: QColor
    good: QColor
    track: QColor


def ink() -> Ink:
    theme = current_theme()
    return Ink(theme.name, QColor(theme.accent), QColor(theme.ok), QColor(theme.divider))


def action_button(text: str, name: str, parent: QWidget | None = None) -> QPushButton:
    """Large, equal-weight buttons (R5): every main action gets the same size and style."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text)
    button.setMinimumHeight(64)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


class PreviewLabel(QLabel):
    """The live picture with the oval guide and the face box of the latest assessed frame
    (ui.views.face_guide); never saved anywhere. With no picture it shows the guide on a dark
    screen, so the place for the face is clear before the camera starts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 270)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._progress: CaptureProgress | None = None
        self._aspect = 4 / 3  # the last frame's width / height; a webcam's usual shape before one
        self._overlay = PaintCache()  # the dimmed surround and the oval, drawn once per state
        self.frames_shown = 0

    @property
    def guide(self) -> GuideState:
        return guide_state(self._progress)

    def set_progress(self, progress: CaptureProgress) -> None:
        self._progress = progress
        self.update()

    def show_frame(self, image: QImage) -> None:
        self.frames_shown += 1
        self._aspect = image.width() / max(image.height(), 1)
        ratio = self.devicePixelRatioF()  # scaled for the screen's pixels: sharp at 200 %
        pixmap = QPixmap.fromImage(image).scaled(
            self.size() * ratio,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)

    def clear_preview(self) -> None:
        self._progress = None
        self.clear()

    def picture_rect(self) -> QRect:
        """Where the picture is drawn (or would be, with none yet), in widget coordinates."""
        area = self.contentsRect()
        pixmap = self.pixmap()
        if not pixmap.isNull():
            size = pixmap.deviceIndependentSize().toSize()
        else:
            size = QSize(round(self._aspect * 1000), 1000).scaled(
                area.size(), Qt.AspectRatioMode.KeepAspectRatio
            )
        picture = QRect(QPoint(0, 0), size)
        picture.moveCenter(area.center())
        return picture

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)  # the picture, when there is one
        picture = self.picture_rect()
        showing = not self.pixmap().isNull()
        painter = QPainter(self)
        if not showing:
            painter.fillRect(picture, SCREEN_OFF)
        state, area = self.guide, QRectF(QPointF(0, 0), picture.size())
        overlay = self._overlay.pixmap(
            picture.size(),
            self.devicePixelRatioF(),
            state,
            lambda on: paint_guide(on, area, state),
        )
        painter.drawPixmap(picture.topLeft(), overlay)
        progress = self._progress
        if showing and progress is not None and progress.face is not None:
            face, scale = progress.face, picture.width() / max(progress.frame_size[0], 1)
            box = QRectF(face.x, face.y, face.width, face.height)
            paint_face_box(
                painter,
                QRectF(QPointF(picture.topLeft()) + box.topLeft() * scale, box.size() * scale),
                progress.issue is None,
            )
        painter.end()


class EqualRow(QWidget):
    """Buttons of equal size side by side; stacked one above the other when the row is too narrow
    for their texts (large text, 200 % scale), so no label is ever clipped (R8)."""

    def __init__(self, *buttons: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._buttons = buttons
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for button in buttons:
            self._layout.addWidget(button, 1)  # equal stretch: no option is favoured (R5)

    def resizeEvent(self, event: QResizeEvent) -> None:
        spacing = self._layout.spacing() * (len(self._buttons) - 1)
        widest = max(button.sizeHint().width() for button in self._buttons)
        fits = widest * len(self._buttons) + spacing <= event.size().width()
        direction = QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
        super().resizeEvent(event)


# Where each head movement's arrow points on the screen the person faces: their own left is the
# left of what they look at (R23's prompt; the words say "your left" too).
_ARROW_DEGREES = {Action.TURN_LEFT: 180.0, Action.TURN_RIGHT: 0.0, Action.LOOK_UP: 90.0}


class ChallengeCue(QWidget):
    """The liveness check's visual cue (R23), drawn with Qt: an arrow for a head movement, an eye
    for a blink, and a ring around it that empties as the action's time box runs out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(140, 140)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.action: Action | None = None
        self.time_left = 1.0  # the share of the time box still left, 0..1

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def show_action(self, action: Action | None, time_left: float) -> None:
        self.action = action
        self.time_left = min(max(time_left, 0.0), 1.0)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.action is None:
            return
        colours = ink()
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 12.0
        ring = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        painter.setPen(QPen(colours.track, 8 * TRACK_SHARE))
        painter.drawEllipse(ring)
        painter.setPen(QPen(colours.good, 8, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        # Qt angles are in 1/16 degree, counter-clockwise from 3 o'clock: start at 12 o'clock.
        painter.drawArc(ring, 90 * 16, int(-360 * 16 * self.time_left))
        centre = ring.center()
        radius = side * 0.32
        if self.action is Action.BLINK:
            _draw_eye(painter, centre, radius, colours.cue)
        else:
            _draw_arrow(painter, centre, radius, _ARROW_DEGREES[self.action], colours.cue)
        painter.end()


def _draw_arrow(
    painter: QPainter, centre: QPointF, radius: float, degrees: float, colour: QColor
) -> None:
    """A thick arrow through `centre`, pointing `degrees` counter-clockwise from the right."""
    shaft, head = radius * 0.28, radius * 0.62
    outline = [  # pointing right, then rotated
        (-radius, -shaft / 2),
        (radius - head, -shaft / 2),
        (radius - head, -head),
        (radius, 0.0),
        (radius - head, head),
        (radius - head, shaft / 2),
        (-radius, shaft / 2),
    ]
    angle = math.radians(degrees)
    cos, sin = math.cos(angle), math.sin(angle)
    polygon = QPolygonF(
        [
            QPointF(centre.x() + x * cos + y * sin, centre.y() - x * sin + y * cos)
            for x, y in outline
        ]
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(colour))
    painter.drawPolygon(polygon)


def _draw_eye(painter: QPainter, centre: QPointF, radius: float, colour: QColor) -> None:
    """An open eye (almond and iris) with a closing lid line across it: "blink"."""
    x, y = centre.x(), centre.y()
    almond = QPainterPath(QPointF(x - radius, y))
    almond.quadTo(QPointF(x, y - radius * 1.1), QPointF(x + radius, y))
    almond.quadTo(QPointF(x, y + radius * 1.1), QPointF(x - radius, y))
    painter.setPen(QPen(colour, 6))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(almond)
    painter.setBrush(QBrush(colour))
    painter.drawEllipse(centre, radius * 0.3, radius * 0.3)
    lashes = QPen(colour, 4)
    lashes.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(lashes)
    for step in (-1, 0, 1):  # lashes above the lid: the eye about to close
        base = QPointF(x + step * radius * 0.45, y - radius * (0.5 if step else 0.56))
        painter.drawLine(base, QPointF(base.x() + step * radius * 0.15, base.y() - radius * 0.3))
