"""QApplication + qasync loop; shows the window first, the camera and models follow in the background."""

from __future__ import annotations

import asyncio
import os
import sys

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


def run_gui(camera: str, settings: Settings) -> int:
    _choose_platform()
    import qasync
    from PySide6.QtWidgets import QApplication

    from ui.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    window = MainWindow(camera, settings)
    window.show()
    window.start_camera()
    closing = asyncio.Event()
    app.aboutToQuit.connect(closing.set)
    with loop:
        loop.run_until_complete(closing.wait())
    return 0
