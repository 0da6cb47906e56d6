"""The start window under a real (offscreen) Qt event loop with a file camera."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pytestqt.qtbot import QtBot

from station.settings import Settings
from ui.views.main_window import MainWindow


@pytest.mark.usefixtures("models")  # fails with the fix-up command when model files are missing
def test_window_plays_the_video_camera_and_stops_cleanly(qtbot: QtBot, faces: Path) -> None:
    window = MainWindow(str(faces / "video" / "short_hamilton_clip.mp4"), Settings())
    qtbot.addWidget(window)
    window.show()
    window.start_camera()
    qtbot.waitUntil(lambda: window.frames_shown >= 5, timeout=20_000)
    assert window.preview.pixmap() is not None and not window.preview.pixmap().isNull()
    window.stop_camera()
    assert window._thread.isFinished()


def test_no_camera_is_shown_not_crashed(qtbot: QtBot) -> None:
    window = MainWindow("7", Settings())
    qtbot.addWidget(window)
    window.start_camera()
    qtbot.waitUntil(lambda: "No camera found at index 7" in window.status.text(), timeout=20_000)
    window.stop_camera()
