"""Starting and stopping the window as a process, the way an installed station is started and
stopped: `face-station gui --report-ready --screenshot` says when it is up and saves its first
screen, and SIGTERM (a shutdown, the package test) closes it like its close button, exit 0."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from bench.bench_launch import FROM_SOURCE, start_window

# The benchmark's own way of starting the window: the figure it reports and this check are about
# the same process.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_the_window_reports_ready_saves_its_first_screen_and_closes_on_a_signal(
    tmp_path: Path, stop: signal.Signals
) -> None:
    shot = tmp_path / "first-screen.png"
    ready, ended = start_window(FROM_SOURCE, tmp_path, "--screenshot", str(shot), stop=stop)
    assert ready.startswith("ready "), ended.stderr
    _, unix_time, pid_word, pid = ready.split()
    assert float(unix_time) > 0 and pid_word == "pid" and int(pid) > 0
    assert ended.returncode == 0, ended.stderr  # closed as by its close button, not killed
    assert "Traceback" not in ended.stderr
    assert shot.read_bytes().startswith(PNG_SIGNATURE)
    assert shot.stat().st_size > 5000  # the sign-in screen, not an empty grab
