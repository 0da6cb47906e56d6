"""QApplication + qasync loop; the window shows at once, models load in the background."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from station.services import StationOpener
from station.settings import Settings


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


def run_gui(camera: str, settings: Settings, store_path: Path) -> int:
    _choose_platform()
    import qasync
    from PySide6.QtWidgets import QApplication

    from ui.style import apply_style
    from ui.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    apply_style(app)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(camera, station_opener(settings, store_path))
    window.resize(960, 720)
    window.show()
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        loop.run_until_complete(closing.wait())
    return 0
