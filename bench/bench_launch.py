#!/usr/bin/env python3
"""How long `face-station` takes from being started to a usable window, from source and frozen.

    python bench/bench_launch.py [--runs 7] [--frozen build/package/dist/face-station/face-station]

Each run starts a fresh process on an empty data folder (`FACE_STATION_HOME`), offscreen, with
`gui --report-ready`: the window prints `ready <unix time>` on the first turn of its event loop
with the window shown, and the run is that time minus the moment just before the process started.
The window is then closed with SIGTERM, as a shutdown would. Runs alternate between the source
interpreter (the baseline, same machine, same moment) and the frozen program, so a busy machine
slows both alike. Budget (issue 11): frozen <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from bench._common import emit, say, table  # noqa: E402

FROM_SOURCE = (sys.executable, "-m", "ui.launcher")
DEFAULT_FROZEN = _ROOT / "build" / "package" / "dist" / "face-station" / "face-station"


def start_window(
    program: Sequence[str], home: Path, *options: str, stop: signal.Signals = signal.SIGTERM
) -> tuple[str, subprocess.CompletedProcess[str]]:
    """Starts `program gui --report-ready [options]` offscreen on the data folder `home`, waits
    for its ready line, sends `stop` and waits for it to end: (the ready line, how it ended)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FACE_STATION_HOME": str(home)}
    command = [*program, "gui", "--report-ready", *options]
    window = subprocess.Popen(
        command, cwd=_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert window.stdout is not None
        ready = window.stdout.readline()
        if ready.startswith("ready "):
            window.send_signal(stop)
        out, errors = window.communicate(timeout=60)
    finally:
        if window.poll() is None:
            window.kill()
    return ready, subprocess.CompletedProcess(command, window.returncode, ready + out, errors)


def launch_seconds(program: Sequence[str]) -> float:
    """Seconds from starting the window to its ready line."""
    with tempfile.TemporaryDirectory() as home:
        started = time.time()
        ready, ended = start_window(program, Path(home))
    if not ready.startswith("ready "):
        raise SystemExit(f"{program[0]} did not report ready: {ended.stderr[-2000:]}")
    return float(ready.split()[1]) - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--frozen", type=Path, default=DEFAULT_FROZEN, help="the frozen program")
    args = parser.parse_args()
    if not args.frozen.is_file():
        raise SystemExit(f"no frozen program at {args.frozen}: run `make package` first")
    programs = {"source (python -m ui.launcher)": FROM_SOURCE, "frozen": (str(args.frozen),)}
    times: dict[str, list[float]] = {name: [] for name in programs}
    for program in programs.values():  # a first, unmeasured start warms the disk cache
        launch_seconds(program)
    for run in range(args.runs):
        for name, program in programs.items():
            times[name].append(launch_seconds(program))
            say(f"run {run + 1} {name}: {times[name][-1]:.2f} s")
    baseline = statistics.median(times["source (python -m ui.launcher)"])
    rows = [
        [
            name,
            args.runs,
            f"{statistics.median(values):.2f}",
            f"{max(values):.2f}",
            f"{statistics.median(values) / baseline:.2f}",
        ]
        for name, values in times.items()
    ]
    emit(
        "launch",
        table(["start -> usable window", "runs", "median s", "max s", "x source"], rows),
        {"launch_seconds": times},
    )


if __name__ == "__main__":
    main()
