"""The accuracy arithmetic of `eval` and of the calibration table (R21, R22, issue 13).

Everything here works on *scores* where lower is more alike: a part's distance, or the fused score
(matching.py). A comparison of probes with templates is held as a `Comparisons`: one probes x
templates matrix per part, and for each probe the index of its own template (-1: its identity has
none, so every comparison it makes is an impostor one, and its 1:N searches are non-mated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from station.biometrics.calibration import OPERATING_POINTS, PartScale, SetCalibration
from station.biometrics.matching import fuse
from station.biometrics.model_sets import MODEL_SETS, ModelSet

Floats = npt.NDArray[np.float32]
FMR_TARGETS = ("0.01", "0.001", "0.0001", "0.00001")


def rates_at(genuine: Floats, impostor: Floats, threshold: float) -> tuple[float, float]:
    """(FMR, FNMR) when scores <= threshold are accepted."""
    fmr = float(np.mean(impostor <= threshold)) if impostor.size else math.nan
    fnmr = float(np.mean(genuine > threshold)) if genuine.size else math.nan
    return fmr, fnmr


def equal_error_rate(genuine: Floats, impostor: Floats) -> tuple[float, float]:
    """(EER, threshold) at the crossing of FMR and FNMR over every observed score."""
    candidates = np.unique(np.concatenate([genuine, impostor]))
    impostor_sorted, genuine_sorted = np.sort(impostor), np.sort(genuine)
    fmr = np.searchsorted(impostor_sorted, candidates, side="right") / impostor.size
    fnmr = 1.0 - np.searchsorted(genuine_sorted, candidates, side="right") / genuine.size
    index = int(np.argmin(np.abs(fmr - fnmr)))
    return float((fmr[index] + fnmr[index]) / 2), float(candidates[index])


def fnmr_at_fmr(genuine: Floats, impostor: Floats, target: float) -> dict[str, Any]:
    """The most permissive threshold whose FMR stays at or below the target, and its FNMR;
    `impostor_pairs_sufficient`: at least 1 / target impostor pairs, else the figure means little."""
    impostor_sorted = np.sort(impostor)
    allowed = math.floor(target * impostor.size)  # impostor accepts we may tolerate
    if allowed >= impostor.size:
        threshold = float(impostor_sorted[-1])
    else:
        # Accept nothing at or beyond the first impostor past the allowance: stop just below it.
        threshold = float(np.nextafter(impostor_sorted[allowed], np.float32(-np.inf)))
    _, fnmr = rates_at(genuine, impostor, threshold)
    reliable = impostor.size >= 1 / target
    return {"fnmr": fnmr, "threshold": threshold, "impostor_pairs_sufficient": reliable}


@dataclass(frozen=True)
class Comparisons:
    parts: dict[str, Floats]  # part name -> probes x templates distances
    owner: npt.NDArray[np.intp]  # per probe: its own template's column, or -1

    @property
    def mated(self) -> npt.NDArray[np.bool_]:
        """probes x templates: True where the probe's own template is."""
        columns = next(iter(self.parts.values())).shape[1]
        mated: npt.NDArray[np.bool_] = self.owner[:, None] == np.arange(columns)[None, :]
        return mated

    def scale_of(self, part: str) -> PartScale:
        """The part's impostor distances' mean and spread: its unit in the fused score."""
        impostor = self.parts[part][~self.mated]
        return PartScale(float(impostor.mean()), float(impostor.std()))

    def scores(self, model_set: ModelSet, scales: tuple[PartScale, ...]) -> Floats:
        """probes x templates fused scores of `model_set`'s parts, as the station fuses them."""
        return fuse([self.parts[part] for part in model_set.parts], scales)


def verification_figures(scores: Floats, mated: npt.NDArray[np.bool_]) -> dict[str, Any]:
    """1:1: every probe against its own template (genuine) and every other (impostor)."""
    genuine, impostor = scores[mated], scores[~mated]
    result: dict[str, Any] = {
        "genuine_pairs": int(genuine.size),
        "impostor_pairs": int(impostor.size),
        "eer": None,
        "fnmr_at_fmr": {},
    }
    if genuine.size and impostor.size:
        eer, eer_threshold = equal_error_rate(genuine, impostor)
        result.update(
            eer=eer,
            eer_threshold=eer_threshold,
            fnmr_at_fmr={t: fnmr_at_fmr(genuine, impostor, float(t)) for t in FMR_TARGETS},
            genuine_mean=float(genuine.mean()),
            impostor_mean=float(impostor.mean()),
        )
    return result


def at_thresholds(
    scores: Floats, mated: npt.NDArray[np.bool_], thresholds: dict[str, float]
) -> dict[str, dict[str, float]]:
    """FMR and FNMR at each named threshold (the shipped operating points)."""
    genuine, impostor = scores[mated], scores[~mated]
    rows = {}
    for name, threshold in thresholds.items():
        fmr, fnmr = rates_at(genuine, impostor, threshold)
        rows[name] = {"threshold": threshold, "fmr": fmr, "fnmr": fnmr}
    return rows


def identification_figures(
    scores: Floats, owner: npt.NDArray[np.intp], thresholds: dict[str, float]
) -> dict[str, Any]:
    """1:N against a gallery of every template (R21): rank-1 of the mated searches, and at each
    threshold FNIR (the mate is not the best candidate within the threshold) and FPIR (a
    non-mated search, by an identity with no template, finds anyone within it)."""
    mated_rows = owner >= 0
    best = np.argmin(scores, axis=1) if scores.shape[1] else np.zeros(len(scores), np.intp)
    best_score = scores[np.arange(len(scores)), best] if scores.shape[1] else np.full(0, np.inf)
    hit = mated_rows & (best == owner)
    result: dict[str, Any] = {
        "gallery_size": int(scores.shape[1]),
        "mated_searches": int(mated_rows.sum()),
        "non_mated_searches": int((~mated_rows).sum()),
        "rank1": float(hit[mated_rows].mean()) if mated_rows.any() else None,
        "at_operating_points": {},
    }
    for name, threshold in thresholds.items():
        found = hit & (best_score <= threshold)
        false_positive = ~mated_rows & (best_score <= threshold)
        result["at_operating_points"][name] = {
            "threshold": threshold,
            "fnir": float(1 - found[mated_rows].mean()) if mated_rows.any() else None,
            "fpir": float(false_positive[~mated_rows].mean()) if (~mated_rows).any() else None,
        }
    return result


def fit_calibration(
    comparisons: Comparisons, data: str, method: str, measured_on: str
) -> dict[str, Any]:
    """The calibration table (calibration.py's JSON) from these comparisons: each part's scale,
    then, per template version, the threshold of each operating point on its fused score."""
    mated = comparisons.mated
    sets: dict[str, Any] = {}
    for model_set in MODEL_SETS:
        scales = tuple(comparisons.scale_of(part) for part in model_set.parts)
        scores = comparisons.scores(model_set, scales)
        genuine, impostor = scores[mated], scores[~mated]
        points = {}
        for name in OPERATING_POINTS:
            row = fnmr_at_fmr(genuine, impostor, float(name))
            fmr, fnmr = rates_at(genuine, impostor, row["threshold"])
            points[name] = {
                "threshold": row["threshold"],
                "fmr": fmr,
                "fnmr": fnmr,
                "reliable": row["impostor_pairs_sufficient"],
            }
        sets[str(model_set.version)] = {
            "model_id": model_set.model_id,
            "parts": list(model_set.parts),
            "scales": [[s.impostor_mean, s.impostor_std] for s in scales],
            "genuine_pairs": int(genuine.size),
            "impostor_pairs": int(impostor.size),
            "operating_points": points,
        }
    return {"data": data, "method": method, "measured_on": measured_on, "model_sets": sets}


def thresholds_of(calibration: SetCalibration) -> dict[str, float]:
    return {name: point.threshold for name, point in calibration.points.items()}
