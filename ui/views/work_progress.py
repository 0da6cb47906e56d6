"""A progress bar for long work on the store thread (issue 12): backup, export, reports.

The core reports through a station.domain.progress.Progress, called on the store thread; `report`
turns each call into a queued signal, so the bar is only ever touched on the GUI thread. While the
work runs the bar says what is being done, in the operator's language, and the controls that
started it are disabled; when it ends, however it ends, the bar hides and they come back (with the
keyboard focus, R8)."""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import QApplication, QProgressBar, QScrollArea, QWidget

from station.domain.progress import ProgressStep

T = TypeVar("T")
STEPS = 1000  # the bar's range: a per-mille, since byte totals overflow Qt's int


def step_text(step: ProgressStep) -> str:
    texts = {
        ProgressStep.UNLOCKING: QCoreApplication.translate(
            "WorkProgress", "Unlocking the data key"
        ),
        ProgressStep.CHECKING_STORE: QCoreApplication.translate(
            "WorkProgress", "Checking the store"
        ),
        ProgressStep.COPYING_STORE: QCoreApplication.translate("WorkProgress", "Copying the store"),
        ProgressStep.CHECKING_COPY: QCoreApplication.translate("WorkProgress", "Checking the copy"),
        ProgressStep.WRITING_BACKUP: QCoreApplication.translate(
            "WorkProgress", "Writing the backup file"
        ),
        ProgressStep.READING_BACK: QCoreApplication.translate(
            "WorkProgress", "Reading the backup file back"
        ),
        ProgressStep.CHECKING_BACKUP: QCoreApplication.translate(
            "WorkProgress", "Checking the backup file"
        ),
        ProgressStep.OPENING_RESTORED: QCoreApplication.translate(
            "WorkProgress", "Opening the restored store"
        ),
        ProgressStep.ENCRYPTING_EXPORT: QCoreApplication.translate(
            "WorkProgress", "Encrypting and writing the export"
        ),
        ProgressStep.RECORDING_EXPORT: QCoreApplication.translate(
            "WorkProgress", "Recording the export in the audit trail"
        ),
        ProgressStep.COUNTING: QCoreApplication.translate("WorkProgress", "Counting the records"),
    }
    return texts[step]


class WorkProgress(QProgressBar):
    _heard = Signal(int, str)  # per-mille done, step

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setRange(0, STEPS)
        self.setTextVisible(True)
        self.setObjectName("workProgress")
        # Its place is kept while hidden: nothing on the page moves when the work starts or ends,
        # and the bar can be scrolled into view at once.
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.hide()
        self._heard.connect(self._show_step)  # queued: `report` is called on the store thread

    def report(self, done: int, total: int, what: str) -> None:
        """A station.domain.progress.Progress; safe to call from any thread."""
        self._heard.emit(STEPS * done // max(total, 1), what)

    async def run(self, controls: Sequence[QWidget], work: Awaitable[T]) -> T:
        """Await `work` with the bar shown and `controls` disabled."""
        focused = QApplication.focusWidget()
        enabled = [control.isEnabled() for control in controls]
        for control in controls:
            control.setEnabled(False)
        self.show()
        self._scroll_into_view()
        self.setValue(0)
        self.setFormat("%p%")
        try:
            return await work
        finally:
            self.hide()
            for control, was_enabled in zip(controls, enabled, strict=True):
                control.setEnabled(was_enabled)
            if focused in controls and focused is not None and focused.isEnabled():
                focused.setFocus()

    def _scroll_into_view(self) -> None:
        """The administration tabs scroll: the bar may sit below what the operator sees."""
        holder = self.parentWidget()
        while holder is not None and not isinstance(holder, QScrollArea):
            holder = holder.parentWidget()
        if holder is not None:
            holder.ensureWidgetVisible(self)

    @Slot(int, str)
    def _show_step(self, per_mille: int, what: str) -> None:
        # "%p%" is Qt's placeholder for the percentage.
        self.setFormat(self.tr("{0}: %p%").format(step_text(ProgressStep(what))))
        self.setValue(per_mille)
