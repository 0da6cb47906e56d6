"""R11 at the system-call level for the window: the real MainWindow, offscreen, walks every main
screen under strace (the screenshot tool's walk: create the station, enroll from a file camera,
verify, the PIN path, administration) without one network socket, network address, name lookup or
other program. Its descriptor child, the same interpreter re-run by multiprocessing, is the one
child allowed (tests/syscalls.py has the rules). The enroll and verify flow's own run, whose disk
writes are checked too (R10), is tests/ui/test_window_privacy.py."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.syscalls import run_traced
from ui.screenshots import SCREENS

ROOT = Path(__file__).resolve().parents[2]


def test_r11_the_window_enrolls_and_verifies_with_no_network_socket_and_no_other_program(
    tmp_path: Path, faces: Path
) -> None:
    shots = tmp_path / "shots"
    command = [
        *(sys.executable, "-m", "ui.screenshots", "--languages", "en", "--out", str(shots)),
        *("--camera", str(faces / "video" / "short_hamilton_clip.mp4")),
    ]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(tmp_path)}
    trace = run_traced(command, tmp_path / "trace", cwd=ROOT, env=env, timeout=240)
    assert trace.returncode == 0, f"{trace.stdout}\n{trace.stderr[-4000:]}"
    written = {path.name for path in shots.glob("*.png")}
    assert {f"{screen}.en.png" for screen in SCREENS} <= written  # enrolled, verified and the rest
    assert [str(finding) for finding in trace.findings] == []
    # The trace followed the window into its descriptor process (spawned, so it was exec'd).
    assert any("--multiprocessing-fork" in argv for argv in trace.own_children), trace.log[-4000:]
