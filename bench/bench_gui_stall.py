#!/usr/bin/env python3
"""How long the operator's window takes to become usable, and the longest GUI-thread stall during a
whole enroll + verify from a file camera.

    python bench/bench_gui_stall.py [--runs 3]

Launch → usable window: a fresh interpreter per run, timed from just before it starts to the first
turn of the Qt event loop with the window shown (`QT_QPA_PLATFORM=offscreen`). Stall: a 5 ms
precise timer on the GUI thread records how late each tick comes while the real window (real store,
real models, qasync loop) creates a station, enrolls the person in the shared clip (consent, Start
camera, three frames) and verifies him with one photo and a stranger with another. Target < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import emit, faces_dir, say, table  # noqa: E402

LAUNCH_PROBE = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from station.settings import Settings
from ui.app import station_opener
from ui.views.main_window import MainWindow
app = QApplication(sys.argv)
window = MainWindow("0", station_opener(Settings(), Path(sys.argv[1])))
window.show()
QTimer.singleShot(0, lambda: (print(time.time(), flush=True), app.quit()))
app.exec()
"""


def launch_seconds() -> float:
    with tempfile.TemporaryDirectory() as home:
        started = time.time()
        out = subprocess.run(
            [sys.executable, "-c", LAUNCH_PROBE, str(Path(home) / "station.db")],
            capture_output=True,
            text=True,
            check=True,
            cwd=_ROOT,
        ).stdout
    return float(out.strip().splitlines()[-1]) - started


async def _until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


def stall_run(faces: Path) -> dict[str, float]:
    import qasync
    from PySide6.QtWidgets import QApplication

    from ui.app import station_opener
    from ui.screenshots import screenshot_settings
    from ui.stall import StallMeter
    from ui.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    # The clip's face is small (eyes ~30-45 px apart): the screenshot walk's lowered size limits.
    settings = screenshot_settings()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    meter = StallMeter()
    decisions: list[str] = []

    async def scenario(window: MainWindow) -> None:
        window.start.operator.setText("Bench")
        window.start.password.setText("bench secret")
        window.start.repeat.setText("bench secret")
        meter.start()
        window.start.go.click()
        await _until(lambda: bool(window.start.recovery_key.text()), "the new store")
        window.start.written_down.click()
        await _until(lambda: window.models_ready, "the store and the models")
        window.set_camera(str(faces / "video" / "short_hamilton_clip.mp4"))
        window.home.search.setText("LMM")
        window.home.enroll.click()
        window.enroll.name.setText("Lin-Manuel Miranda")
        window.enroll.birth.setText("1980-01-16")
        window.enroll.to_notice.click()
        await _until(lambda: window.enroll.pages.currentIndex() == 1, "the notice")
        window.enroll.accept.click()
        await _until(lambda: window.enroll.pages.currentIndex() == 2, "the camera step")
        window.enroll.capture.start.click()
        await _until(lambda: window.enroll.pages.currentIndex() == 4, "the enrollment")
        await _until(lambda: not window.camera.running, "the camera to stop")
        window.enroll.finish.click()
        window.verify.decided.connect(lambda outcome: decisions.append(outcome.status.value))
        for photo in (
            "lin_manuel_miranda/face_recognition_lin-manuel-miranda.png",
            "obama/face_recognition_obama.jpg",
        ):
            window.set_camera(str(faces / "photos" / photo))
            window.home.search.setText("LMM")
            window.home.verify_face.click()
            expected = len(decisions) + 1
            window.verify.capture.start.click()
            await _until(lambda n=expected: len(decisions) >= n, "a decision")  # type: ignore[misc]
            await _until(lambda: not window.camera.running, "the camera to stop")
            window.verify.finish.click()
        meter.stop()

    with tempfile.TemporaryDirectory() as home:
        window = MainWindow("0", station_opener(settings, Path(home) / "station.db"))
        window.show()
        started = time.perf_counter()
        loop.run_until_complete(scenario(window))
        seconds = time.perf_counter() - started
        window.close()
    loop.close()
    if decisions != ["accepted", "rejected"]:
        raise SystemExit(f"unexpected decisions {decisions}")
    late = sorted(meter.lateness)
    return {
        "worst_stall_ms": meter.worst_ms,
        "p99_lateness_ms": 1000 * late[int(0.99 * (len(late) - 1))],
        "ticks": len(late),
        "flow_seconds": seconds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    faces = faces_dir()
    launches = []
    for run in range(args.runs):
        launches.append(launch_seconds())
        say(f"launch {run + 1}: {launches[-1]:.2f} s")
    stalls = []
    for run in range(args.runs):
        stalls.append(stall_run(faces))
        say(f"flow {run + 1}: worst stall {stalls[-1]['worst_stall_ms']:.1f} ms")
    worst = [s["worst_stall_ms"] for s in stalls]
    p99 = [s["p99_lateness_ms"] for s in stalls]
    rows = [
        [
            "launch -> usable window (s)",
            args.runs,
            f"{statistics.median(launches):.2f}",
            f"{max(launches):.2f}",
        ],
        [
            "worst GUI stall per flow (ms)",
            args.runs,
            f"{statistics.median(worst):.1f}",
            f"{max(worst):.1f}",
        ],
        [
            "p99 timer lateness per flow (ms)",
            args.runs,
            f"{statistics.median(p99):.1f}",
            f"{max(p99):.1f}",
        ],
        [
            "enroll + 2 verifications (s)",
            args.runs,
            f"{statistics.median(s['flow_seconds'] for s in stalls):.1f}",
            f"{max(s['flow_seconds'] for s in stalls):.1f}",
        ],
    ]
    emit(
        "gui_stall",
        table(["measure", "runs", "median", "max"], rows),
        {"launch_seconds": launches, "flows": stalls},
    )


if __name__ == "__main__":
    main()
