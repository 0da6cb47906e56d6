#!/usr/bin/env python3
"""Accuracy on LFW through `station.evaluation` (as `face-station eval`) (slow: ~4.5 minutes on the full set with 2 workers).

    python bench/eval_lfw.py [--dir ../shared/faces/lfw] [--max-images N] [--enroll-images 3]

Not named bench_*.py on purpose, so `make bench` stays quick. Run it in the background:

    nohup .venv/bin/python bench/eval_lfw.py > /tmp/bench_eval.out 2>&1 &

Prints the MediaPipe box -> dlib rectangle constants found in station/biometrics/embedder.py (they
decide the figures), a markdown table row of the headline numbers, then the full result as one JSON
line. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

from bench._common import box_mapping, describe_mapping, emit, faces_dir, say  # noqa: E402
from station.accuracy import FMR_TARGETS  # noqa: E402
from station.evaluation import describe_dataset, report  # noqa: E402

HEADER = (
    "| data, model | identities | templates | genuine pairs | impostor pairs | EER (threshold) | "
    + " | ".join(f"FNMR @ FMR {float(t):.0e} (threshold)" for t in FMR_TARGETS)
    + " | FTE | s / template | box mapping |"
)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.2f} %"


def markdown_row(label: str, result: dict[str, Any], mapping: dict[str, float | str]) -> str:
    cells = [
        label,
        str(result["identities"]),
        str(result["templates"]),
        f"{result['genuine_pairs']:,}",
        f"{result['impostor_pairs']:,}",
        f"{_pct(result['eer'])} ({result.get('eer_threshold', float('nan')):.3f})"
        if result["eer"] is not None
        else "-",
    ]
    for target in FMR_TARGETS:
        point = result["fnmr_at_fmr"].get(target)
        if point is None:
            cells.append("-")
            continue
        flag = "" if point["impostor_pairs_sufficient"] else " (too few impostor pairs)"
        cells.append(f"{_pct(point['fnmr'])} ({point['threshold']:.3f}){flag}")
    cells.append(_pct(result["failure_to_enroll"]))
    per_template = result["seconds_per_template"]
    cells.append("-" if per_template is None else f"{per_template:.3f}")
    cells.append(describe_mapping(mapping))
    return "| " + " | ".join(cells) + " |"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="one folder per identity (default: ../shared/faces/lfw)",
    )
    parser.add_argument(
        "--max-images", type=int, default=None, help="at most N images per identity"
    )
    parser.add_argument("--enroll-images", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes")
    args = parser.parse_args()

    directory = args.dir if args.dir is not None else faces_dir() / "lfw"
    mapping = (
        box_mapping()
    )  # read before the run: the file may be edited meanwhile, the module is not
    say(f"box mapping in station/biometrics/embedder.py at start: {describe_mapping(mapping)}")
    started = time.perf_counter()
    result = report(
        describe_dataset(
            directory,
            enroll_images=args.enroll_images,
            max_images=args.max_images,
            jobs=args.jobs,
            progress=_every_fiftieth,
        )
    )
    wall = time.perf_counter() - started
    label = directory.name + (f", <= {args.max_images} img/id" if args.max_images else "")
    text = (
        f"dataset {directory}, enroll {args.enroll_images} images per template, gate {result['gate']}, "
        f"{result['images']} images in {wall:.0f} s\n"
        f"box mapping used (station/biometrics/embedder.py): {describe_mapping(mapping)}\n"
        f"median detect {result['median_detect_ms']:.1f} ms, median descriptor {result['median_descriptor_ms']:.1f} ms, "
        f"FTA {_pct(result['failure_to_acquire'])}\n\n"
        + HEADER
        + "\n|"
        + "---|" * (HEADER.count("|") - 1)
        + "\n"
        # issue 13: each network alone, then the fused score the station decides on
        + "\n".join(
            markdown_row(f"{label}, {model}", {**result, **figures}, mapping)
            for model, figures in result["models"].items()
        )
    )
    emit("eval_lfw", text, {"box_mapping": mapping, "result": result})


def _every_fiftieth(done: int, total: int, what: str) -> None:
    if done % 50 == 0 or done == total:
        say(f"eval: {done}/{total} {what}")


if __name__ == "__main__":
    main()
