"""QApplication + qasync loop; the window shows at once, models load in the background."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from station.cli.common import WindowRequest
from station.services import StationOpener
from station.settings import Settings

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def _choose_platform() -> None:
    # A station PC has a display; a set-up check over SSH does not. Run offscreen there rather than
    # abort, and say so.
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    ):
        print(
            "No display found: the window runs offscreen (set DISPLAY to see it).", file=sys.stderr
        )
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def station_opener(settings: Settings, store_path: Path) -> StationOpener:
    """The window's door to the store. Its stations describe faces in a child process: dlib
    holds the GIL ~100 ms per face, which would freeze the window (bench_gui_stall)."""
    from station.biometrics.pipeline import BiometricModels

    def isolated_models() -> BiometricModels:
        return BiometricModels(isolated=True)

    return StationOpener(store_path, settings, isolated_models)


def run_gui(request: WindowRequest) -> int:
    _choose_platform()
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from ui.style import apply_style
    from ui.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_style(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(request.camera, station_opener(request.settings, request.store_path))
    window.resize(960, 720)
    window.show()
    _close_on_termination(window)
    if request.report_ready or request.screenshot is not None:
        # The first turn of the event loop: the window is painted and answers input.
        QTimer.singleShot(0, lambda: _report_ready(window, request))
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        loop.run_until_complete(closing.wait())
    return 0


def _report_ready(window: QWidget, request: WindowRequest) -> None:
    if request.screenshot is not None and not window.grab().save(str(request.screenshot), "PNG"):
        print(f"error: could not save the screenshot to {request.screenshot}", file=sys.stderr)
    if request.report_ready:
        print(f"ready {time.time():.3f} pid {os.getpid()}", flush=True)


def _close_on_termination(window: QWidget) -> None:
    """SIGTERM (a shutdown, a service manager, the package test) and Ctrl+C close the window as
    its close button does, so the store is closed cleanly. Python runs a signal handler only when
    the interpreter next gets control, which an idle Qt loop may not give it for a long time: the
    wake-up pipe makes Qt call back into Python at once."""
    from PySide6.QtCore import QSocketNotifier, QTimer

    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    os.set_blocking(write_end, False)
    signal.set_wakeup_fd(write_end)
    notifier = QSocketNotifier(read_end, QSocketNotifier.Type.Read, window)

    def drain() -> None:
        with contextlib.suppress(BlockingIOError):
            os.read(read_end, 512)

    notifier.activated.connect(drain)

    def close(_number: int, _frame: object) -> None:
        QTimer.singleShot(0, window.close)

    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, close)
