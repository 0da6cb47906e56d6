#!/usr/bin/env python3
"""Write the calibration table the station ships (resources/calibration.json, R22, issue 13).

    python bench/calibrate.py [--dir ../shared/faces/lfw] [--enroll-images 3] [--out FILE]
                              [--holdout A-M:N-Z]

Describes the set as `face-station eval` does (every identity with more than k images enrolled from
its first k, probed with the rest), then for each template version: each network's impostor
distances give its unit (mean, spread), and each operating point's threshold on the fused score is
the most permissive one whose FMR stays at or below the target. Prints the table's figures.

With --holdout, a second table is also fitted on the identities whose names start with the first
range of letters (not written) and the eval figures are printed for the second range with it: how
the method does on identities it was not fitted on. Slow (~8 minutes on 2 cores for all of LFW).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

from bench._common import faces_dir, say  # noqa: E402
from station.accuracy import fit_calibration  # noqa: E402
from station.biometrics.calibration import CALIBRATION_FILE, read_calibration  # noqa: E402
from station.evaluation import Described, compare_all, describe_dataset, report  # noqa: E402
from station.resources import resources_dir  # noqa: E402

METHOD = (
    "face-station eval's protocol: each identity with more than {k} images enrolled from its first "
    "{k} (descriptors averaged per part), probed with the rest; identities with {k} or fewer images "
    "are impostor probes only. Per network, the impostor distances' mean and standard deviation "
    "standardise its distance; the fused score is their average. Each operating point's threshold "
    "is the most permissive fused score whose FMR on these pairs stays at or below the target "
    "(bench/calibrate.py)."
)


def _in_range(name: str, letters: str) -> bool:
    first, last = letters.upper().split("-")
    return first <= name[:1].upper() <= last


def _subset(described: Described, letters: str) -> Described:
    kept = [i for i in described.identities if _in_range(i.name, letters)]
    return Described(
        described.directory,
        described.enroll_images,
        described.gate,
        kept,
        described.counters,
        described.seconds,
    )


def _headline(label: str, result: dict[str, Any]) -> None:
    for model, figures in result["models"].items():
        points = figures["fnmr_at_fmr"]
        say(
            f"{label} {model:6s}: EER {100 * figures['eer']:.2f} %, FNMR "
            + ", ".join(f"{100 * points[t]['fnmr']:.2f} % @ {float(t):.0e}" for t in points)
            + f" ({figures['genuine_pairs']:,} genuine, {figures['impostor_pairs']:,} impostor pairs)"
        )
    for name, row in result["at_operating_points"].items():
        say(f"{label} shipped point {name}: FMR {row['fmr']:.2e}, FNMR {100 * row['fnmr']:.2f} %")
    ident = result["identification"]
    say(f"{label} 1:N gallery {ident['gallery_size']}: rank-1 {ident['rank1']}")


def _fit(described: Described, args: argparse.Namespace, names: str | None) -> dict[str, Any]:
    return fit_calibration(
        compare_all(described.identities),
        data=(
            f"{args.dir.name} ({len(described.identities):,} identities"
            + (f" named {names}" if names else "")
            + f", {args.enroll_images}-image templates)"
        ),
        method=METHOD.format(k=args.enroll_images),
        measured_on=datetime.date.today().isoformat(),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dir", type=Path, default=faces_dir() / "lfw")
    parser.add_argument("--enroll-images", type=int, default=3)
    parser.add_argument("--out", type=Path, default=resources_dir() / CALIBRATION_FILE)
    parser.add_argument("--holdout", default=None, help="FIT:CHECK letter ranges, e.g. A-M:N-Z")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    described = describe_dataset(args.dir, args.enroll_images, jobs=args.jobs)
    args.out.write_text(json.dumps(_fit(described, args, None), indent=2) + "\n", encoding="utf-8")
    say(f"wrote {args.out}")
    result = report(described, read_calibration(args.out))
    _headline("all", result)
    print(json.dumps(result))
    if args.holdout:
        fit_names, check_names = args.holdout.split(":")
        with tempfile.TemporaryDirectory() as folder:
            fitted = Path(folder) / CALIBRATION_FILE
            table = _fit(_subset(described, fit_names), args, fit_names)
            fitted.write_text(json.dumps(table), encoding="utf-8")
            checked = _subset(described, check_names)
            held_out = report(checked, read_calibration(fitted))
        _headline(f"fit {fit_names}, check {check_names}", held_out)
        print(json.dumps(held_out))


if __name__ == "__main__":
    main()
