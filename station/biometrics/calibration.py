"""Operating points, not raw distances (R22): the calibration table the project ships.

`resources/calibration.json` is written by `bench/calibrate.py` from `face-station eval` on the
developers' LFW set. For every template version (model_sets.py) it holds the unit of each part's
distance (the mean and spread of impostor distances, see matching.score) and, for each named
operating point, the threshold on the fused score with the FMR and FNMR measured there. A site
chooses an operating point ([match] operating_point); the threshold follows from the template's
version, so a template of an older version is judged at the same false-match rate as a new one.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

from station.biometrics.model_sets import MODEL_SETS, ModelSet
from station.resources import resources_dir

CALIBRATION_FILE: Final = "calibration.json"
OPERATING_POINTS: Final = ("1e-3", "1e-4", "1e-5")
"""Named by the false-match rate they target: one in a thousand, ten thousand, a hundred thousand."""
DEFAULT_OPERATING_POINT: Final = "1e-4"  # R22: FMR <= 1e-4


class CalibrationError(RuntimeError):
    """The shipped calibration table is missing or damaged; the station cannot decide without it."""


@dataclass(frozen=True)
class PartScale:
    """One network's impostor distances on the calibration data: the unit of its score."""

    impostor_mean: float
    impostor_std: float


@dataclass(frozen=True)
class OperatingPoint:
    name: str  # "1e-4"
    threshold: float  # scores at or below it are accepted
    fmr: float  # measured at the threshold on the calibration data
    fnmr: float
    reliable: bool  # enough impostor pairs for the FMR to mean anything (>= 1 / target)

    @property
    def target_fmr(self) -> float:
        return float(self.name)


@dataclass(frozen=True)
class SetCalibration:
    model_set: ModelSet
    scales: tuple[PartScale, ...]
    points: dict[str, OperatingPoint]
    genuine_pairs: int
    impostor_pairs: int

    def threshold(self, operating_point: str) -> float:
        return self.points[operating_point].threshold


@dataclass(frozen=True)
class CalibrationTable:
    data: str  # what it was measured on
    method: str  # how
    measured_on: str  # ISO date
    sets: dict[int, SetCalibration]  # by template version

    def of(self, model_set: ModelSet) -> SetCalibration:
        return self.sets[model_set.version]


def read_calibration(path: Path) -> CalibrationTable:
    """The table at `path`, checked against the known template versions and operating points."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return _table(raw)
    except FileNotFoundError as exc:
        raise CalibrationError(
            f"The calibration table {path} is missing; reinstall the station."
        ) from exc
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CalibrationError(
            f"The calibration table {path} cannot be used ({exc}); reinstall the station."
        ) from exc


@cache
def shipped_calibration() -> CalibrationTable:
    """The table in resources/, read once per process."""
    return read_calibration(resources_dir() / CALIBRATION_FILE)


def _table(raw: dict[str, Any]) -> CalibrationTable:
    sets: dict[int, SetCalibration] = {}
    for model_set in MODEL_SETS:
        entry = raw["model_sets"][str(model_set.version)]
        if entry["model_id"] != model_set.model_id:
            raise ValueError(f"version {model_set.version} was calibrated for other models")
        scales = tuple(PartScale(float(m), float(s)) for m, s in entry["scales"])
        if len(scales) != len(model_set.parts) or not all(s.impostor_std > 0 for s in scales):
            raise ValueError(f"version {model_set.version} needs one scale per part")
        points = {
            name: OperatingPoint(
                name,
                float(point["threshold"]),
                float(point["fmr"]),
                float(point["fnmr"]),
                bool(point["reliable"]),
            )
            for name, point in entry["operating_points"].items()
        }
        if set(points) != set(OPERATING_POINTS) or not all(
            math.isfinite(p.threshold) for p in points.values()
        ):
            raise ValueError(f"version {model_set.version} lacks an operating point")
        sets[model_set.version] = SetCalibration(
            model_set, scales, points, int(entry["genuine_pairs"]), int(entry["impostor_pairs"])
        )
    return CalibrationTable(str(raw["data"]), str(raw["method"]), str(raw["measured_on"]), sets)
