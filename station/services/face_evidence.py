"""What a verification capture decides on: the good frames' descriptors averaged into one probe
(issue 13), compared at the site's operating point with every template through its own version's
models (R15, R22).

More than one frame: the person stands before the camera for the liveness challenge anyway, and
its start and end frames describe the face twice; their average is a better probe than either
(as three frames make a better template than one). With liveness every descriptor is known
before anything is compared, so the decision is taken once, on their average. Without liveness
the average so far is compared after each good frame, until it matches or `verify_frames` were
taken.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from station.biometrics.calibration import shipped_calibration
from station.biometrics.matching import Gallery, score, template_from_descriptors
from station.biometrics.model_sets import MODEL_SETS, model_set_of
from station.biometrics.pipeline import CaptureStats, SourceFactory
from station.domain import Subject, Template
from station.domain.capture import TaskState
from station.domain.models import Vector
from station.services.capture import capture_descriptors, capture_plan, wipe

if TYPE_CHECKING:
    from station.services.station import Station

# A protected probe -> who it matches best, and the score's margin past the threshold (<= 0: a match)
Comparison = Callable[[Vector], tuple[Subject | None, float]]


@dataclass
class Evidence:
    subject: Subject | None = None
    margin: float = float("inf")  # nothing compared yet

    @property
    def matched(self) -> bool:
        return self.subject is not None and self.margin <= 0


def usable(template: Template | None) -> bool:
    """R15: a template of models this station knows; any other is never compared."""
    return template is not None and model_set_of(template.model_fingerprint) is not None


def compare_with(station: Station, subject: Subject, template: Template) -> Comparison:
    """1:1: the claimed person's template, at the operating point, through its version's parts."""
    model_set = model_set_of(template.model_fingerprint)
    if model_set is None:
        raise ValueError("a template of unknown models is never compared (R15)")
    calibration = shipped_calibration().of(model_set)
    threshold = calibration.threshold(station.settings.match.operating_point)
    return lambda probe: (subject, score(template.vector, probe, calibration) - threshold)


def galleries(station: Station) -> list[Gallery]:
    """1:N: one gallery per template version."""
    table = shipped_calibration()
    return [
        Gallery(*station.repos.templates.of_model(model_set), table.of(model_set))
        for model_set in MODEL_SETS
    ]


def search_all(station: Station) -> Comparison:
    """1:N: the nearest template of any version, judged by its own version's threshold at the
    site's operating point."""
    searched = station.galleries()
    point = station.settings.match.operating_point

    def best(probe: Vector) -> tuple[Subject | None, float]:
        margins = [
            (match.score - gallery.calibration.threshold(point), gallery, match.index)
            for gallery in searched
            if (match := gallery.best(probe)) is not None
        ]
        if not margins:
            return None, float("inf")
        margin, gallery, index = min(margins, key=lambda found: found[0])
        return station.repos.subjects.by_id(gallery.ids[index]), margin

    return best


def capture_evidence(
    station: Station,
    open_camera: SourceFactory,
    task: TaskState | None,
    stats: CaptureStats,
    compare: Comparison,
) -> Evidence:
    """Capture (CameraError reaches the caller) and compare the averaged probe; every descriptor
    and probe is overwritten once compared (R10)."""
    plan = capture_plan(station.settings, enrolling=False)
    descriptors: list[Vector] = []
    evidence = Evidence()

    def judge() -> None:
        probe = station.protection.protect(template_from_descriptors(descriptors))
        try:
            evidence.subject, evidence.margin = compare(probe)
        finally:
            probe.fill(0)

    def take(descriptor: Vector) -> bool:
        descriptors.append(descriptor)
        if plan.liveness is not None:
            return False  # all held descriptors first, then one decision
        judge()
        return evidence.matched or len(descriptors) >= plan.frames_needed

    try:
        capture_descriptors(station, open_camera, plan, stats, task, take)
        if plan.liveness is not None and descriptors:
            judge()
    finally:
        wipe(descriptors)
    return evidence
