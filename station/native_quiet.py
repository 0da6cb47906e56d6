"""Native libraries' own chatter kept off the terminal (issue 12): OpenCV's video I/O writes
`[ WARN:0@…]` and `[ERROR:0@…]` lines and FFmpeg writes `[mov,mp4,… @ 0x…] moov atom not found`
straight to file descriptor 2 when a camera or a video file cannot be opened, beside the station's
own sentence that says the same in the operator's words. `quiet_native()` points descriptor 2 at
/dev/null around such a call only, so a Python message, a traceback or the station's own error
printed before or after it still shows. `face-station --verbose` (or FACE_STATION_VERBOSE=1, which
spawned children such as the window's descriptor process inherit) leaves the descriptor alone.

Descriptor 2 is one per process, shared by every thread: nested and concurrent uses share a single
redirect, undone when the last one ends, so a thread can never restore another's /dev/null."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress

VERBOSE_ENV = "FACE_STATION_VERBOSE"
STDERR_FD = 2

_lock = threading.Lock()
_depth = 0
_saved: int | None = None  # a copy of the real descriptor 2 while redirected


def is_verbose() -> bool:
    return os.environ.get(VERBOSE_ENV, "") not in ("", "0")


@contextmanager
def verbosity(verbose: bool) -> Iterator[None]:
    """`--verbose` for the length of a command: through the environment, so spawned children (the
    window's descriptor process, `eval`'s workers) follow it; the previous value is put back."""
    previous = os.environ.get(VERBOSE_ENV)
    if verbose:
        os.environ[VERBOSE_ENV] = "1"
    else:
        os.environ.pop(VERBOSE_ENV, None)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(VERBOSE_ENV, None)
        else:
            os.environ[VERBOSE_ENV] = previous


@contextmanager
def quiet_native() -> Iterator[None]:
    """Descriptor 2 goes to /dev/null inside the block (not with --verbose), and back on every
    path out of it, an exception included. Wrap the native call only: whatever Python prints to
    standard error inside the block is lost too."""
    if is_verbose() or not _redirect():
        yield
        return
    try:
        yield
    finally:
        _restore()


def _redirect() -> bool:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            # Text Python already holds for descriptor 2 belongs to before the block: write it now.
            _flush(sys.stderr)
            try:
                saved = os.dup(STDERR_FD)
            except OSError:  # no descriptor 2 at all (a windowless start): nothing to quieten
                return False
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, STDERR_FD)
            finally:
                os.close(null)
            _saved = saved
        _depth += 1
        return True


def _restore() -> None:
    global _depth, _saved
    with _lock:
        _depth -= 1
        if _depth == 0 and _saved is not None:
            saved, _saved = _saved, None
            _flush(sys.stderr)  # Python's own text written inside the block: dropped, as promised
            os.dup2(saved, STDERR_FD)
            os.close(saved)


def _flush(stream: object) -> None:
    flush = getattr(stream, "flush", None)
    if flush is not None:
        with suppress(OSError, ValueError):  # closed or broken: nothing to keep
            flush()
