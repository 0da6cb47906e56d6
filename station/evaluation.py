"""`face-station eval DIR`: the station's accuracy on any labelled folder of photos (R22).

DIR holds one folder per identity. Each identity with more than k images is enrolled from its first
k usable images (their descriptors averaged into one template, as the station does) and probed with
the rest; identities with k images or fewer are used as impostor probes only. Every probe is compared
with its own template (genuine) and with every other template (impostor).
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

from station.biometrics.detector import FaceDetector
from station.biometrics.embedder import FaceEmbedder
from station.biometrics.matching import distances, template_from_descriptors
from station.biometrics.pipeline import BiometricModels
from station.biometrics.quality import assess
from station.capture import SourceNotFoundError, read_image_rgb
from station.domain.capture import FaceDetection
from station.domain.models import Vector
from station.domain.progress import Progress
from station.settings import Settings

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}
FMR_TARGETS = ("0.01", "0.001", "0.0001")
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


def rates_at(
    genuine: npt.NDArray[np.float32], impostor: npt.NDArray[np.float32], threshold: float
) -> tuple[float, float]:
    """(FMR, FNMR) when distances <= threshold are accepted."""
    fmr = float(np.mean(impostor <= threshold)) if impostor.size else math.nan
    fnmr = float(np.mean(genuine > threshold)) if genuine.size else math.nan
    return fmr, fnmr


def equal_error_rate(
    genuine: npt.NDArray[np.float32], impostor: npt.NDArray[np.float32]
) -> tuple[float, float]:
    """(EER, threshold) at the crossing of FMR and FNMR over every observed distance."""
    candidates = np.unique(np.concatenate([genuine, impostor]))
    impostor_sorted, genuine_sorted = np.sort(impostor), np.sort(genuine)
    fmr = np.searchsorted(impostor_sorted, candidates, side="right") / impostor.size
    fnmr = 1.0 - np.searchsorted(genuine_sorted, candidates, side="right") / genuine.size
    index = int(np.argmin(np.abs(fmr - fnmr)))
    return float((fmr[index] + fnmr[index]) / 2), float(candidates[index])


def fnmr_at_fmr(
    genuine: npt.NDArray[np.float32], impostor: npt.NDArray[np.float32], target: float
) -> dict[str, float | None]:
    """The most permissive threshold whose FMR stays at or below the target, and its FNMR."""
    impostor_sorted = np.sort(impostor)
    allowed = math.floor(target * impostor.size)  # impostor accepts we may tolerate
    if allowed >= impostor.size:
        threshold = float(impostor_sorted[-1])
    elif allowed == 0:
        # Accept nothing at or beyond the closest impostor: stop just below it.
        threshold = float(np.nextafter(impostor_sorted[0], np.float32(-np.inf)))
    else:
        threshold = float(np.nextafter(impostor_sorted[allowed], np.float32(-np.inf)))
    _, fnmr = rates_at(genuine, impostor, threshold)
    reliable = impostor.size >= 1 / target
    return {"fnmr": fnmr, "threshold": threshold, "impostor_pairs_sufficient": reliable}


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


def evaluate(
    directory: Path,
    enroll_images: int = 3,
    max_images: int | None = None,
    gate: GateChoice = "none",
    settings: Settings | None = None,
    models_dir: Path | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
) -> dict[str, Any]:
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
    candidates = [i for i in done if len(i.images) > enroll_images]
    genuine, impostor = score_pairs(done)
    return summarise(
        done,
        genuine,
        impostor,
        counters,
        sum(i.template is None for i in candidates),
        len(candidates),
        enroll_images,
        gate,
        job.settings,
        time.perf_counter() - started,
        directory,
    )


def score_pairs(
    identities: Sequence[_Identity],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    enrolled = [i for i in identities if i.template is not None]
    if not enrolled:
        return np.zeros(0, np.float32), np.zeros(0, np.float32)
    gallery = np.stack([i.template for i in enrolled if i.template is not None])
    owner = {id(identity): index for index, identity in enumerate(enrolled)}
    genuine: list[float] = []
    impostor: list[npt.NDArray[np.float32]] = []
    for identity in identities:
        mine = owner.get(id(identity))
        for probe in identity.probes:
            row = distances(gallery, probe)
            if mine is not None:
                genuine.append(float(row[mine]))
                row = np.delete(row, mine)
            impostor.append(row)
    return (
        np.asarray(genuine, dtype=np.float32),
        np.concatenate(impostor).astype(np.float32) if impostor else np.zeros(0, np.float32),
    )


def summarise(
    identities: Sequence[_Identity],
    genuine: npt.NDArray[np.float32],
    impostor: npt.NDArray[np.float32],
    counters: _Counters,
    failed_to_enroll: int,
    candidates: int,
    enroll_images: int,
    gate: GateChoice,
    settings: Settings,
    seconds: float,
    directory: Path,
) -> dict[str, Any]:
    templates = sum(i.template is not None for i in identities)
    result: dict[str, Any] = {
        "identities": len(identities),
        "templates": templates,
        "genuine_pairs": int(genuine.size),
        "impostor_pairs": int(impostor.size),
        "eer": None,
        "fnmr_at_fmr": {},
        "failure_to_enroll": failed_to_enroll / candidates if candidates else 0.0,
        "seconds_per_template": float(np.mean(counters.template_seconds))
        if counters.template_seconds
        else None,
    }
    if genuine.size and impostor.size:
        eer, eer_threshold = equal_error_rate(genuine, impostor)
        result["eer"] = eer
        result["eer_threshold"] = eer_threshold
        result["fnmr_at_fmr"] = {t: fnmr_at_fmr(genuine, impostor, float(t)) for t in FMR_TARGETS}
        fmr, fnmr = rates_at(genuine, impostor, settings.match.threshold)
        result["at_configured_threshold"] = {
            "threshold": settings.match.threshold,
            "fmr": fmr,
            "fnmr": fnmr,
        }
        result["genuine_distance_mean"] = float(genuine.mean())
        result["impostor_distance_mean"] = float(impostor.mean())
    result.update(
        {
            "dataset": str(directory),
            "enroll_images": enroll_images,
            "gate": gate,
            "images": counters.images,
            "failure_to_acquire": counters.failed_to_acquire / counters.images
            if counters.images
            else 0.0,
            "probe_only_identities": sum(len(i.images) <= enroll_images for i in identities),
            "median_detect_ms": 1000 * float(np.median(counters.detect_seconds))
            if counters.detect_seconds
            else None,
            "median_descriptor_ms": 1000 * float(np.median(counters.embed_seconds))
            if counters.embed_seconds
            else None,
            "wall_seconds": seconds,
        }
    )
    return result
