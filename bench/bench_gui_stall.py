#!/usr/bin/env python3
"""How long the operator's window takes to become usable, and the longest GUI-thread stall during a
whole enroll + verify from a file camera.

    python bench/bench_gui_stall.py [--runs 3]

Launch → usable window: a fresh interpreter per run, timed from just before it starts to the first
turn of the Qt event loop with the window shown (`QT_QPA_PLATFORM=offscreen`; bench_launch.py, which
also times the frozen program). Stall: a 5 ms
precise timer on the GUI thread records how late each tick comes while the real window (real store,
real models, qasync loop) creates a station, enrolls a person and verifies him and a stranger.
Target < 50 ms.

With the liveness check on (the default, R23), the camera shows a synthetic live head rendered from
a shared photo (station.liveness.presentations.LiveHead, i10-streams), who reads each movement off
the window's capture page and does it: the check, its landmarks and its prompt all run as they do
at a desk. The head is rendered in a child process, so the renderer's own Python does not compete
with the window for the GIL (a real camera costs the process nothing of the kind). A challenge the
head fails is tried again, as a person would; the tries are reported. `--no-liveness` measures the
shared clip and two photos with the check off, as before issue 10.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import emit, faces_dir, say, table  # noqa: E402
from bench.bench_launch import FROM_SOURCE, launch_seconds  # noqa: E402


async def _until(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)


LIVE_PHOTO = "lin_manuel_miranda/face_recognition_lin-manuel-miranda.png"
STRANGER_PHOTO = "obama/face_recognition_obama.jpg"
TRIES = 4  # a challenge the rendered head fails is tried again, as a person would


def _render(conn: Any, photo: str) -> None:
    """The child process: one live head per visit (a new seed), a frame per request."""
    import cv2

    from station.biometrics.pipeline import BiometricModels
    from station.domain.liveness import Action
    from station.liveness.presentations import LiveHead, Portrait

    models = BiometricModels()
    import numpy as np

    found = cv2.imread(photo)
    if found is None:
        raise SystemExit(f"cannot read {photo}")
    image = np.asarray(cv2.cvtColor(found, cv2.COLOR_BGR2RGB), dtype=np.uint8)
    portrait = Portrait.from_photo(image, models.new_detector(), models.new_landmarker())
    head: LiveHead | None = None
    conn.send("ready")
    while (request := conn.recv()) is not None:
        if request[0] == "visit":
            head = LiveHead(portrait, request[1])
            continue
        _, stamp, asked = request
        assert head is not None
        conn.send_bytes(head.frame(stamp, Action(asked) if asked else None).tobytes())


class RemoteHead:
    """A live head rendered in a child process; `asked` is what the person last read on screen."""

    def __init__(self, photo: Path) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_render, args=(child, str(photo)), daemon=True)
        self._process.start()
        if self._conn.recv() != "ready":
            raise SystemExit("the head renderer did not start")
        self.asked: str | None = None
        self.visits = 0

    def read_screen(self, action: object) -> None:
        self.asked = getattr(action, "value", None)

    def source(self, _spec: str, _paced: bool) -> Any:
        """A CameraSession opener: a new visit of the head, paced like a webcam at 15 fps."""
        import numpy as np

        from station.capture import Frame, FrameSourceBase, PacedSource

        self.visits += 1
        self.asked = None
        self._conn.send(("visit", 1000 + self.visits))
        conn = self._conn
        person = self

        class Source(FrameSourceBase):
            description = "a rendered live head"

            def __init__(self) -> None:
                self._index: int | None = None

            @property
            def is_open(self) -> bool:
                return self._index is not None

            def open(self) -> None:
                self._index = 0

            def read(self) -> Frame | None:
                assert self._index is not None
                if self._index >= 40 * 15:
                    return None
                stamp = round(self._index * 1000 / 15)
                conn.send(("frame", stamp, person.asked))
                pixels = np.frombuffer(conn.recv_bytes(), np.uint8).reshape(480, 640, 3)
                frame = Frame(pixels.copy(), stamp, self._index)
                self._index += 1
                return frame

            def close(self) -> None:
                self._index = None

        return PacedSource(Source())

    def close(self) -> None:
        self._conn.send(None)
        self._process.join(10)


def stall_run(faces: Path, liveness: bool = True) -> dict[str, float]:
    import qasync
    from PySide6.QtWidgets import QApplication

    from ui.app import station_opener
    from ui.screenshots import screenshot_settings
    from ui.stall import StallMeter
    from ui.views.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    # The clip's face is small (eyes ~30-45 px apart): the screenshot walk's lowered size limits.
    settings = screenshot_settings()
    if not liveness:
        settings = replace(settings, liveness=replace(settings.liveness, enabled=False))
    heads = (
        {name: RemoteHead(faces / "photos" / name) for name in (LIVE_PHOTO, STRANGER_PHOTO)}
        if liveness
        else {}
    )
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    meter = StallMeter()
    decisions: list[str] = []
    tries = {"enroll": 0, "verify": 0}

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
        for head in heads.values():
            window.enroll.capture.prompt_shown.connect(head.read_screen)
            window.verify.capture.prompt_shown.connect(head.read_screen)
        if heads:
            window.camera.open_frames = heads[LIVE_PHOTO].source
        window.home.search.setText("LMM")
        window.home.enroll.click()
        window.enroll.name.setText("Lin-Manuel Miranda")
        window.enroll.birth.setText("1980-01-16")
        window.enroll.to_notice.click()
        await _until(lambda: window.enroll.pages.currentIndex() == 1, "the notice")
        window.enroll.accept.click()
        await _until(lambda: window.enroll.pages.currentIndex() == 2, "the camera step")
        for _ in range(TRIES):
            tries["enroll"] += 1
            window.enroll.capture.start.click()
            await _until(lambda: window.enroll.pages.currentIndex() == 4, "the enrollment", 120)
            await _until(lambda: not window.camera.running, "the camera to stop")
            if window.enroll.result.text().startswith("Enrolled") or not heads:
                break
            window.enroll.retry.click()
        window.enroll.finish.click()
        window.verify.decided.connect(lambda outcome: decisions.append(outcome.status.value))
        for photo in (LIVE_PHOTO, STRANGER_PHOTO):
            if heads:
                window.camera.open_frames = heads[photo].source
            else:
                window.set_camera(str(faces / "photos" / photo))
            window.home.search.setText("LMM")
            window.home.verify_face.click()
            for _ in range(TRIES):
                tries["verify"] += 1
                expected = len(decisions) + 1
                window.verify.capture.start.click()
                await _until(lambda n=expected: len(decisions) >= n, "a decision", 120)  # type: ignore[misc]
                await _until(lambda: not window.camera.running, "the camera to stop")
                if decisions[-1] != "not_live":
                    break
                decisions.pop()
                window.verify.again.click()
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
    for head in heads.values():
        head.close()
    if decisions != ["accepted", "rejected"]:
        raise SystemExit(f"unexpected decisions {decisions}")
    late = sorted(meter.lateness)
    return {
        "worst_stall_ms": meter.worst_ms,
        "p99_lateness_ms": 1000 * late[int(0.99 * (len(late) - 1))],
        "ticks": len(late),
        "flow_seconds": seconds,
        "liveness": liveness,
        "enroll_tries": tries["enroll"],
        "verify_tries": tries["verify"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-liveness", action="store_true", help="the check off: the clip and two photos"
    )
    args = parser.parse_args()
    faces = faces_dir()
    launches = []
    for run in range(args.runs):
        launches.append(launch_seconds(FROM_SOURCE))
        say(f"launch {run + 1}: {launches[-1]:.2f} s")
    stalls = []
    for run in range(args.runs):
        stalls.append(stall_run(faces, liveness=not args.no_liveness))
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
