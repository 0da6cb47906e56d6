"""Small building blocks shared by the views."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from station.domain.capture import CaptureProgress


def action_button(text: str, name: str, parent: QWidget | None = None) -> QPushButton:
    """Large, equal-weight buttons (R5): every main action gets the same size and style."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text)
    button.setMinimumHeight(64)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return button


class PreviewLabel(QLabel):
    """The live picture with the face box of the latest assessed frame; never saved anywhere."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(480, 270)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._progress: CaptureProgress | None = None
        self.frames_shown = 0

    def set_progress(self, progress: CaptureProgress) -> None:
        self._progress = progress

    def show_frame(self, image: QImage) -> None:
        self.frames_shown += 1
        pixmap = QPixmap.fromImage(image)
        face = self._progress.face if self._progress else None
        if face is not None:
            painter = QPainter(pixmap)
            good = self._progress is not None and self._progress.issue is None
            painter.setPen(QPen(Qt.GlobalColor.green if good else Qt.GlobalColor.yellow, 3))
            painter.drawRect(int(face.x), int(face.y), int(face.width), int(face.height))
            painter.end()
        self.setPixmap(
            pixmap.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def clear_preview(self) -> None:
        self._progress = None
        self.clear()


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
