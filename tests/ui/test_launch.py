"""Starting and stopping the window as a process, the way an installed station is started and
stopped: `face-station gui --report-ready --screenshot` says when it is up and saves its first
screen, and SIGTERM (a shutdown, the package test) closes it like its close button, exit 0."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_window_reports_ready_saves_its_first_screen_and_closes_on_a_signal(
    tmp_path: Path, stop: signal.Signals
) -> None:
    shot = tmp_path / "first-screen.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FACE_STATION_HOME": str(tmp_path)}
    window = subprocess.Popen(
        [sys.executable, "-m", "ui.launcher", "gui", "--report-ready", "--screenshot", str(shot)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert window.stdout is not None
        first_line = window.stdout.readline()
        assert first_line.startswith("ready "), window.stderr.read() if window.stderr else ""
        float(first_line.split()[1])  # a Unix time, for the start-up benchmark
        window.send_signal(stop)
        _, errors = window.communicate(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
    assert window.returncode == 0, errors
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    assert shot.stat().st_size > 5000  # the sign-in screen, not an empty grab
    assert "Traceback" not in errors
