"""The camera step shared by enrollment and verification: explicit start (R25), live preview with the
face box, a plain hint for every rejected frame (R26), "frame 2 of 3", and cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station.domain.capture import CaptureProgress, TaskState
from station.services import SourceFactory
from ui.desk import Desk
from ui.views.texts import quality_hint
from ui.views.widgets import PreviewLabel, action_button
from ui.workers.camera import CaptureWatcher

Outcome = TypeVar("Outcome")


class CapturePanel(QWidget):
    start_requested = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.start = action_button(self.tr("Start camera"), "startCamera")
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setAccessibleName(self.tr("Cancel the capture"))
        self.cancel.setEnabled(False)
        self.preview = PreviewLabel()
        self.preview.setAccessibleName(self.tr("Camera preview"))
        self.hint = QLabel()
        self.hint.setAccessibleName(self.tr("Hint for the person"))
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Capture progress"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.start, 1)
        buttons.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.count)
        self.start.clicked.connect(self.start_requested)
        self._watcher: CaptureWatcher | None = None
        self._unavailable: str | None = None
        self.cancel.clicked.connect(self._cancel)
        desk.camera.preview.connect(self.preview.show_frame)

    def set_unavailable(self, reason: str | None) -> None:
        """Without a camera the start button is off and says why."""
        self._unavailable = reason
        self.start.setEnabled(reason is None and self._watcher is None)
        self.start.setToolTip(reason or "")
        if reason is not None:
            self.hint.setText(reason)

    async def run(self, capture: Callable[[SourceFactory, TaskState], Outcome]) -> Outcome:
        """Run a capturing service call on the store thread while this panel shows its progress."""
        watcher = CaptureWatcher()
        watcher.progress.connect(self._show_progress)
        self._watcher = watcher
        self.start.setEnabled(False)
        self.cancel.setEnabled(True)
        self.hint.setText(self.tr("Starting the camera…"))
        try:
            return await self._desk.executor.run(capture, self._desk.camera.source, watcher)
        finally:
            self._watcher = None
            self.start.setEnabled(self._unavailable is None)
            self.cancel.setEnabled(False)
            self.preview.clear_preview()
            self.hint.clear()
            self.count.clear()

    def _cancel(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()

    def _show_progress(self, progress: CaptureProgress) -> None:
        self.preview.set_progress(progress)
        self.hint.setText(
            quality_hint(progress.issue) if progress.issue else self.tr("Hold still…")
        )
        self.count.setText(
            self.tr("Frame {0} of {1}").format(progress.good_frames, progress.frames_needed)
        )
