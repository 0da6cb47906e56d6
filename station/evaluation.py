"""`face-station eval DIR`: the station's accuracy on any labelled folder of photos (R22).

DIR holds one folder per identity. Each identity with more than k images is enrolled from its first
k usable images (their descriptors averaged into one template, as the station does) and probed with
the rest; identities with k images or fewer are used as impostor probes only. Every probe is compared
with its own template (genuine) and with every other template (impostor), by each network alone and
by the fused score the station decides on; the same comparisons give 1:N figures over a gallery of
every template (R21): rank-1, and FNIR / FPIR at the shipped operating points (accuracy.py).
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from station.accuracy import (
    Comparisons,
    at_thresholds,
    identification_figures,
    thresholds_of,
    verification_figures,
)
from station.biometrics.calibration import CalibrationTable, shipped_calibration
from station.biometrics.detector import FaceDetector
from station.biometrics.embedder import FaceEmbedder
from station.biometrics.matching import distances, split_parts, template_from_descriptors
from station.biometrics.model_sets import CURRENT
from station.biometrics.pipeline import BiometricModels
from station.biometrics.quality import assess
from station.capture import SourceNotFoundError, read_image_rgb
from station.domain.capture import FaceDetection
from station.domain.models import Vector
from station.domain.progress import Progress
from station.settings import Settings

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}
GateChoice = Literal["none", "verify", "enroll"]


@dataclass
class _Identity:
    name: str
    images: list[Path]
    template: Vector | None = None
    probes: list[Vector] = field(default_factory=list)


@dataclass
class _Counters:
    images: int = 0
    failed_to_acquire: int = 0
    detect_seconds: list[float] = field(default_factory=list)
    embed_seconds: list[float] = field(default_factory=list)
    template_seconds: list[float] = field(default_factory=list)

    def add(self, other: _Counters) -> None:
        self.images += other.images
        self.failed_to_acquire += other.failed_to_acquire
        self.detect_seconds += other.detect_seconds
        self.embed_seconds += other.embed_seconds
        self.template_seconds += other.template_seconds


def list_identities(directory: Path, max_images: int | None) -> list[_Identity]:
    if not directory.is_dir():
        raise FileNotFoundError(f"{directory} is not a folder of identity folders")
    identities = []
    for folder in sorted(p for p in directory.iterdir() if p.is_dir()):
        images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if max_images is not None:
            images = images[:max_images]
        if images:
            identities.append(_Identity(folder.name, images))
    if not identities:
        raise FileNotFoundError(f"{directory} has no identity folders with images")
    return identities


def pick_face(
    rgb: npt.NDArray[np.uint8], faces: list[FaceDetection], settings: Settings, gate: GateChoice
) -> FaceDetection | None:
    """With no gate, the face nearest the centre (the labelled one in LFW-style crops)."""
    if gate == "none":
        present = [f for f in faces if f.score >= settings.verify_gate.min_detection_score]
        if not present:
            return None
        height, width = rgb.shape[:2]
        return min(present, key=lambda f: math.dist(f.center, (width / 2, height / 2)))
    verdict = assess(rgb, faces, settings.enroll_gate if gate == "enroll" else settings.verify_gate)
    return verdict.face if verdict.accepted else None


def describe(
    path: Path,
    detector: FaceDetector,
    embedder: FaceEmbedder,
    settings: Settings,
    gate: GateChoice,
    counters: _Counters,
) -> Vector | None:
    counters.images += 1
    try:
        rgb = read_image_rgb(path)
    except SourceNotFoundError:
        counters.failed_to_acquire += (
            1  # an undecodable file counts against the system, as in ISO 19795
        )
        return None
    started = time.perf_counter()
    face = pick_face(rgb, detector.detect(rgb), settings, gate)
    counters.detect_seconds.append(time.perf_counter() - started)
    if face is None:
        counters.failed_to_acquire += 1
        return None
    started = time.perf_counter()
    descriptor = embedder.embed(rgb, face)
    counters.embed_seconds.append(time.perf_counter() - started)
    return descriptor


@dataclass(frozen=True)
class _Job:
    enroll_images: int
    gate: GateChoice
    settings: Settings


def _describe_identity(
    identity: _Identity, job: _Job, detector: FaceDetector, embedder: FaceEmbedder
) -> tuple[_Identity, _Counters]:
    """Enroll from the first usable images, probe with the rest; the station's own recipe."""
    counters = _Counters()
    enrolling = len(identity.images) > job.enroll_images
    used: list[Vector] = []
    started = time.perf_counter()
    for path in identity.images:
        descriptor = describe(path, detector, embedder, job.settings, job.gate, counters)
        if descriptor is None:
            continue
        if enrolling and len(used) < job.enroll_images:
            used.append(descriptor)
            if len(used) == job.enroll_images:
                identity.template = template_from_descriptors(used)
                counters.template_seconds.append(time.perf_counter() - started)
        else:
            identity.probes.append(descriptor)
    if enrolling and identity.template is None:
        identity.probes.clear()  # ISO 19795: probes of an unenrolled identity are not scored
    return identity, counters


# One detector and embedder per worker process, set up once by the pool's initializer.
_worker: tuple[_Job, FaceDetector, FaceEmbedder] | None = None


def _start_worker(job: _Job, models_dir: Path | None) -> None:
    global _worker
    models = BiometricModels(models_dir)
    _worker = (job, models.new_detector(), models.embedder)


def _work(identity: _Identity) -> tuple[_Identity, _Counters]:
    assert _worker is not None, "worker used before its initializer ran"
    job, detector, embedder = _worker
    return _describe_identity(identity, job, detector, embedder)


@dataclass
class Described:
    """A data set described as the station would: templates and probes per identity."""

    directory: Path
    enroll_images: int
    gate: GateChoice
    identities: list[_Identity]
    counters: _Counters
    seconds: float


def describe_dataset(
    directory: Path,
    enroll_images: int = 3,
    max_images: int | None = None,
    gate: GateChoice = "none",
    settings: Settings | None = None,
    models_dir: Path | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> Described:
    """`jobs` worker processes share the identities (descriptors are ~100 ms each, one core each);
    `progress` hears of each identity described."""
    job = _Job(enroll_images, gate, settings or Settings())
    identities = list_identities(directory, max_images)
    started = time.perf_counter()
    done: list[_Identity] = []
    counters = _Counters()

    def collect(results: Iterator[tuple[_Identity, _Counters]]) -> None:
        for identity, partial in results:
            done.append(identity)
            counters.add(partial)
            if progress is not None:
                progress(len(done), len(identities), "identities")

    if jobs <= 1:
        models = BiometricModels(models_dir)
        detector = models.new_detector()
        try:
            collect(_describe_identity(i, job, detector, models.embedder) for i in identities)
        finally:
            detector.close()
    else:
        # spawn, not fork: native thread pools (OpenCV's, BLAS's) do not survive a fork.
        context = multiprocessing.get_context("spawn")
        with context.Pool(jobs, initializer=_start_worker, initargs=(job, models_dir)) as pool:
            collect(pool.imap(_work, identities, chunksize=4))
    return Described(directory, enroll_images, gate, done, counters, time.perf_counter() - started)


def report(described: Described, calibration: CalibrationTable | None = None) -> dict[str, Any]:
    """`face-station eval`'s JSON; `calibration` (default: the shipped table) gives the fused
    score's units and the operating points' thresholds."""
    done, counters = described.identities, described.counters
    comparisons = compare_all(done)
    candidates = [i for i in done if len(i.images) > described.enroll_images]
    return {
        **summarise(comparisons, calibration or shipped_calibration()),
        "identities": len(done),
        "templates": sum(i.template is not None for i in done),
        "failure_to_enroll": (
            sum(i.template is None for i in candidates) / len(candidates) if candidates else 0.0
        ),
        "seconds_per_template": _mean(counters.template_seconds),
        "dataset": str(described.directory),
        "enroll_images": described.enroll_images,
        "gate": described.gate,
        "images": counters.images,
        "failure_to_acquire": counters.failed_to_acquire / counters.images
        if counters.images
        else 0.0,
        "probe_only_identities": sum(len(i.images) <= described.enroll_images for i in done),
        "median_detect_ms": _median_ms(counters.detect_seconds),
        "median_descriptor_ms": _median_ms(counters.embed_seconds),
        "wall_seconds": described.seconds,
    }


def compare_all(identities: Sequence[_Identity]) -> Comparisons:
    """Every probe against every template, part by part (ISO 19795: probes of an identity whose
    enrollment failed were dropped before)."""
    enrolled = [i for i in identities if i.template is not None]
    owner_of = {id(identity): column for column, identity in enumerate(enrolled)}
    probes = [(probe, owner_of.get(id(i), -1)) for i in identities for probe in i.probes]
    if not enrolled or not probes:
        empty = np.zeros((len(probes), len(enrolled)), np.float32)
        return Comparisons({part: empty for part in CURRENT.parts}, np.full(len(probes), -1))
    parts = len(CURRENT.parts)
    templates = split_parts(
        np.stack([i.template for i in enrolled if i.template is not None]), parts
    )
    probe_parts = split_parts(np.stack([probe for probe, _ in probes]), parts)
    return Comparisons(
        {  # distances() takes the probes as columns: templates x probes, turned
            name: distances(gallery, probe_part.T).T
            for name, gallery, probe_part in zip(CURRENT.parts, templates, probe_parts, strict=True)
        },
        np.array([owner for _, owner in probes], dtype=np.intp),
    )


def summarise(comparisons: Comparisons, calibration: CalibrationTable) -> dict[str, Any]:
    """The station's decision (the current version's fused score) at the top level; each network
    alone under `models`; the shipped operating points' thresholds applied, 1:1 and 1:N."""
    mated = comparisons.mated
    current = calibration.of(CURRENT)
    fused = comparisons.scores(CURRENT, current.scales)
    thresholds = thresholds_of(current)
    models: dict[str, Any] = {
        part: verification_figures(comparisons.parts[part], mated) for part in CURRENT.parts
    }
    models["fused"] = verification_figures(fused, mated)
    return {
        **models["fused"],
        "models": models,
        "at_operating_points": at_thresholds(fused, mated, thresholds),
        "identification": identification_figures(fused, comparisons.owner, thresholds),
        "calibration": {"data": calibration.data, "measured_on": calibration.measured_on},
    }


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def _median_ms(seconds: list[float]) -> float | None:
    return 1000 * float(np.median(seconds)) if seconds else None
