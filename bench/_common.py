"""Shared helpers for the benchmarks: where the real faces are, statistics, and the output format.

Every benchmark prints a short human-readable table and then exactly one JSON line to stdout;
progress goes to stderr. Figures are medians of several runs, never asserted.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# The shared real-face set lives beside the checkout; it is read in place, never copied.
FACES_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "faces"


def faces_dir() -> Path:
    if not FACES_DIR.is_dir():
        sys.exit(
            f"real face data not found at {FACES_DIR} (expected ../shared/faces beside the checkout)"
        )
    return FACES_DIR


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def percentile(values: Sequence[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=np.float64), q))


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int]:
    """Median / p90 / min / max in milliseconds of a list of durations in seconds."""
    ms = [1000.0 * s for s in seconds]
    return {
        "median_ms": statistics.median(ms),
        "p90_ms": percentile(ms, 90),
        "min_ms": min(ms),
        "max_ms": max(ms),
        "n": len(ms),
    }


def time_calls(call: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Durations (seconds) of `repeats` calls after `warmup` untimed ones."""
    for _ in range(warmup):
        call()
    durations = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        durations.append(time.perf_counter() - started)
    return durations


def blas_threads() -> list[dict[str, Any]]:
    from threadpoolctl import threadpool_info

    return [
        {"api": info.get("internal_api"), "threads": info.get("num_threads")}
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]


def environment() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
        "blas": blas_threads(),
        # Other work on the machine skews timings; the 1-minute load average says how busy it was.
        "load_average_1min": os.getloadavg()[0],
    }


@functools.cache
def _box_mapping() -> tuple[tuple[str, float | str], ...]:
    from station.biometrics import embedder

    constants: list[tuple[str, float | str]] = [
        (name, float(value))
        for name, value in sorted(vars(embedder).items())
        if name.startswith(("BOX_", "KEYPOINT_")) and isinstance(value, int | float)
    ]
    source = Path(embedder.__file__).read_bytes()
    constants.append(("embedder_py_sha256", hashlib.sha256(source).hexdigest()[:12]))
    return tuple(constants)


def box_mapping() -> dict[str, float | str]:
    """The MediaPipe box -> dlib rectangle constants in the embedder as loaded in this run.

    Found by name (BOX_* or KEYPOINT_* numbers), since the mapping's form may change, plus a short
    hash of embedder.py so a figure can be traced to the exact code that produced it. Read once
    (call it early): the file may be edited while a long run goes on, the loaded module is not.
    """
    return dict(_box_mapping())


def describe_mapping(mapping: dict[str, float | str]) -> str:
    return ", ".join(f"{name}={value}" for name, value in mapping.items())


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain fixed-width table; floats get 2 decimals unless already formatted."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return f"{value:.2f}"
        return str(value)

    text_rows = [[cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in text_rows)) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in text_rows:
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


def emit(name: str, text: str, results: dict[str, Any]) -> None:
    """The table, then one JSON line (the machine-readable record of this run)."""
    print(text)
    record = {"benchmark": name, "environment": environment(), **results}
    print(json.dumps(record, sort_keys=False, default=_jsonable))


def _jsonable(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
