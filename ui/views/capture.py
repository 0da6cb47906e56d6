"""The camera step shared by enrollment and verification: explicit start (R25), live preview with the
oval guide and the face box, a plain hint for every rejected frame in large type (R26), the
progress as a ring ("frame 2 of 3"), and cancel. While the liveness check runs (R23) it shows the
movement asked for in big words, its cue and the time left, and the ring counts the movements."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station.domain.capture import CaptureProgress, ChallengeProgress, TaskState
from station.domain.liveness import Action
from station.services import SourceFactory
from ui.desk import Desk
from ui.style import set_role
from ui.views.capture_progress import CaptureProgressRing
from ui.views.texts import challenge_countdown, challenge_prompt, quality_hint
from ui.views.widgets import ChallengeCue, PreviewLabel, action_button
from ui.workers.camera import CaptureWatcher

Outcome = TypeVar("Outcome")
SIDE_WIDTH = 340  # the words' column: a hint in large type wraps to three lines at most


class CapturePanel(QWidget):
    start_requested = Signal()
    # The movement the page now asks for (an Action, or None when none is): what the person in
    # front of the screen reads; tests' synthetic people learn the prompt from it and nothing else.
    prompt_shown = Signal(object)
    # Every CaptureProgress this panel shows, then None when the capture ends: the person-facing
    # screen draws the same guide, hint and progress.
    progress_shown = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.start = action_button(self.tr("Start camera"), "startCamera")
        self.cancel = QPushButton(self.tr("Cancel"))
        self.cancel.setAccessibleName(self.tr("Cancel the capture"))
        self.cancel.setEnabled(False)
        self.preview = PreviewLabel()
        self.preview.setAccessibleName(self.tr("Camera preview"))
        # Issue 12: what the person reads from a metre away sits in a column beside the picture,
        # the hint in large type and the progress as a ring with its words under it.
        self.hint = QLabel()
        self.hint.setAccessibleName(self.tr("Hint for the person"))
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.hint, "guidance")
        self.ring = CaptureProgressRing()
        self.count = QLabel()
        self.count.setAccessibleName(self.tr("Capture progress"))
        self.count.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.count, "hint")
        # R23: the movement asked for, what the person reads and follows (shown only meanwhile).
        self.prompt = QLabel()
        self.prompt.setAccessibleName(self.tr("Movement asked for"))
        self.prompt.setWordWrap(True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.prompt, "prompt")
        self.cue = ChallengeCue()
        self.cue.setAccessibleName(self.tr("Movement asked for"))
        self.countdown = QLabel()
        self.countdown.setAccessibleName(self.tr("Time left for the movement"))
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.countdown, "hint")
        self.challenge = QWidget()
        challenge = QVBoxLayout(self.challenge)
        challenge.setContentsMargins(0, 0, 0, 0)
        challenge.addWidget(self.cue, 0, Qt.AlignmentFlag.AlignHCenter)
        challenge.addWidget(self.prompt)
        challenge.addWidget(self.countdown)
        self.challenge.hide()
        self.shown_action: Action | None = None  # what the screen asks for right now
        self._challenged = False  # this capture has asked for a movement (R23)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start, 1)
        buttons.addWidget(self.cancel)
        side = QWidget()
        side.setObjectName("captureSide")
        side.setFixedWidth(SIDE_WIDTH)
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.count)
        column.addSpacing(8)
        column.addWidget(self.challenge)
        column.addWidget(self.hint)
        column.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.preview, 1)
        body.addWidget(side)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # the page around it has its margins already
        layout.addLayout(buttons)
        layout.addLayout(body, 1)
        self.start.clicked.connect(self.start_requested)
        self._watcher: CaptureWatcher | None = None
        self._unavailable: str | None = None
        self.cancel.clicked.connect(self._cancel)
        desk.camera.preview.connect(self.preview.show_frame)
        self.hint.setText(self._idle_hint())

    def _idle_hint(self) -> str:
        return self.tr("Place your face inside the oval.")

    def set_unavailable(self, reason: str | None) -> None:
        """Without a camera the start button is off and says why."""
        self._unavailable = reason
        self.start.setEnabled(reason is None and self._watcher is None)
        self.start.setToolTip(reason or "")
        if reason is not None:
            self.hint.setText(reason)
        elif self._watcher is None:  # a running capture's hint stays
            self.hint.setText(self._idle_hint())

    async def run(self, capture: Callable[[SourceFactory, TaskState], Outcome]) -> Outcome:
        """Run a capturing service call on the store thread while this panel shows its progress."""
        watcher = CaptureWatcher()
        watcher.progress.connect(self._show_progress)
        self._watcher = watcher
        self._challenged = False
        self.start.setEnabled(False)
        self.cancel.setEnabled(True)
        # Start is off now; left to Qt, the focus would wander to the header (R8): the one key
        # an operator may want meanwhile is Cancel.
        self.cancel.setFocus(Qt.FocusReason.OtherFocusReason)
        self.hint.setText(self.tr("Starting the camera…"))
        try:
            return await self._desk.executor.run(capture, self._desk.camera.source, watcher)
        finally:
            self._watcher = None
            self.start.setEnabled(self._unavailable is None)
            self.cancel.setEnabled(False)
            self.preview.clear_preview()
            self.ring.show_progress(None)
            self.hint.setText(self._unavailable or self._idle_hint())
            self.count.clear()
            self._show_challenge(None)
            self.progress_shown.emit(None)

    def _cancel(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()

    def _show_progress(self, progress: CaptureProgress) -> None:
        self.preview.set_progress(progress)
        self.ring.show_progress(progress)
        self.progress_shown.emit(progress)
        self._show_challenge(progress.challenge)
        if progress.issue is not None:
            self.hint.setText(quality_hint(progress.issue))
        elif progress.challenge is not None:  # "hold still" would contradict the movement asked
            self.hint.clear()
            self._challenged = True
        elif self._challenged:  # every movement seen: the end frames want the face frontal again
            self.hint.setText(self.tr("Now look straight at the camera"))
        else:
            self.hint.setText(self.tr("Hold still…"))
        self.count.setText(self.ring.text())

    def _show_challenge(self, challenge: ChallengeProgress | None) -> None:
        """The movement asked for now (R23), its cue and the time left; hidden when none is."""
        if challenge is None:
            if self.shown_action is not None:
                self.shown_action = None
                self.prompt_shown.emit(None)
            self.challenge.hide()
            self.cue.show_action(None, 0.0)
            return
        box = self._desk.station.settings.liveness.action_seconds
        if challenge.action is not self.shown_action:
            self.shown_action = challenge.action
            self.prompt.setText(challenge_prompt(challenge.action))
            self.cue.setAccessibleDescription(self.prompt.text())
            self.prompt_shown.emit(challenge.action)
        self.countdown.setText(challenge_countdown(challenge))
        self.cue.show_action(challenge.action, challenge.seconds_left / box)
        self.challenge.show()
