"""The one progress display of the long commands (issue 12): backup, restore, eval and pad-eval.

When standard error is a terminal, a one-line bar redrawn in place with a carriage return, wiped
when the work ends, so the terminal keeps nothing but the answer. Anywhere else (a pipe, a log
file, a service) it prints nothing unless --verbose asks: then a plain line at each new step and
at every tenth of the way. Standard output carries the answer alone either way. No terminal escape
sequences: a redraw pads with spaces, which every console understands."""

from __future__ import annotations

import os
import sys
from types import TracebackType
from typing import TextIO

from station.native_quiet import is_verbose

BAR_CELLS = 24
DEFAULT_COLUMNS = 80


class ProgressPrinter:
    """A station.domain.progress.Progress for one command; use it as a context manager so the
    bar is wiped however the command ends. `counted` puts `done/total` before what is being done,
    for work counted in things a person counts (identities, presentations), not in bytes."""

    def __init__(self, label: str, *, counted: bool = False, stream: TextIO | None = None) -> None:
        self._label = label
        self._counted = counted
        self._stream = stream if stream is not None else sys.stderr
        self._terminal = _is_terminal(self._stream)
        self._lines = not self._terminal and is_verbose()
        self._cells = _bar_cells(self._stream)
        self._drawn = ""  # the bar as it stands on the terminal
        self._last_line: tuple[str, int] | None = None

    def __call__(self, done: int, total: int, what: str) -> None:
        if not (self._terminal or self._lines):
            return
        from station.domain.text import visible  # loads numpy: not at `face-station --help`

        percent = 100 * done // max(total, 1)
        # `what` may name a file of the operator's folder: no control character reaches the
        # terminal raw (issue 16).
        detail = visible(f"{done}/{total} {what}" if self._counted else what)
        if self._terminal:
            self._draw(percent, detail)
        elif self._last_line != (what, percent // 10):
            self._last_line = (what, percent // 10)
            self._write(f"{self._label}: {percent}% {detail}\n")

    def _draw(self, percent: int, detail: str) -> None:
        full, empty = self._cells
        filled = BAR_CELLS * percent // 100
        bar = full * filled + empty * (BAR_CELLS - filled)
        text = f"{self._label} {bar} {percent:3d}%  {detail}"[: _columns(self._stream) - 1]
        if text != self._drawn:
            self._write("\r" + text.ljust(len(self._drawn)))
            self._drawn = text

    def close(self) -> None:
        """Wipe the bar and leave the cursor where the bar began, for the answer."""
        if self._drawn:
            self._write("\r" + " " * len(self._drawn) + "\r")
            self._drawn = ""

    def _write(self, text: str) -> None:
        self._stream.write(text)
        self._stream.flush()

    def __enter__(self) -> ProgressPrinter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or the stream is closed
        return False


def _bar_cells(stream: TextIO) -> tuple[str, str]:
    """Block characters where the terminal's encoding has them, else plain ASCII."""
    try:
        "█░".encode(stream.encoding or "ascii")
    except (UnicodeEncodeError, LookupError, AttributeError):
        return "#", "-"
    return "█", "░"


def _columns(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns or DEFAULT_COLUMNS
    except (AttributeError, ValueError, OSError):
        return DEFAULT_COLUMNS
