"""Progress of long work (issue 12): backup, restore, export, reports and the evaluations report
how far they are through one callable, and the command line and the window each show it their
own way (station/cli/progress.py, ui/views/work_progress.py).

A `Progress` is called as `progress(done, total, what)` from the thread doing the work: `done`
grows from 0 to `total`, in the job's own units (bytes read and written, records counted,
identities described); `what` says in a few plain English words what is being done now. For the
work the window shows, `what` is a `ProgressStep`, which the window puts in the operator's
language. Calls come at a coarse grain (a megabyte, a batch of pages, one record or identity), so
reporting costs nothing next to the work itself.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

Progress = Callable[[int, int, str], None]


class ProgressStep(enum.StrEnum):
    """The steps of the long work the window runs; each has a text in both languages."""

    UNLOCKING = "unlocking the data key"
    CHECKING_STORE = "checking the store"
    COPYING_STORE = "copying the store"
    CHECKING_COPY = "checking the copy"
    WRITING_BACKUP = "writing the backup file"
    READING_BACK = "reading the backup file back"
    CHECKING_BACKUP = "checking the backup file"
    OPENING_RESTORED = "opening the restored store"
    ENCRYPTING_EXPORT = "encrypting and writing the export"
    RECORDING_EXPORT = "recording the export in the audit trail"
    COUNTING = "counting the records"


class Tally:
    """Work towards a known total, reported as it is done: never backwards, never past the total.
    Without a Progress it only counts, so a caller that wants none passes None."""

    def __init__(self, progress: Progress | None, total: int) -> None:
        self._progress = progress
        self.total = max(total, 1)
        self.done = 0

    def add(self, amount: int, what: str) -> None:
        self.done = min(self.total, self.done + max(amount, 0))
        if self._progress is not None:
            self._progress(self.done, self.total, what)

    def now(self, what: str) -> None:
        """Say what starts now, before any of its work is done."""
        self.add(0, what)

    def counter(self, what: str) -> Callable[[int], None]:
        """`add` for one step, for code that reports amounts only (bytes of each chunk)."""
        return lambda amount: self.add(amount, what)

    def finish(self, what: str) -> None:
        self.add(self.total - self.done, what)
