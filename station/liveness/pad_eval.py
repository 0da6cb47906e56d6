"""Presentation-attack evaluation (R23): every presentation through the capture loop the flows use
(`live_descriptors`, with the verification plan and the challenge drawn as in the flows), counted
per presentation kind as ISO/IEC 30107-3 counts them: APCER per attack type, BPCER over bona fide
presentations. `face-station pad-eval` and bench/bench_liveness.py both call it.

A directory holds one folder per kind: `live/` (bona fide) and any other name an attack type
(`print/`, `screen/`, `replay/` ...). Each holds clips: video files or folders of frames. A `live/`
folder may hold photos instead; each becomes a generated live head (station.liveness.presentations)
that answers the challenge it is shown.

A head keeps its photo's pose, sharpness and company: it cannot turn to face the camera when the
station asks, or send away a second person in the picture. A generated head the quality gate never
accepts (so no challenge ever began) is therefore no presentation at all: it is counted under
`reasons` as `unusable_photo:<the gate's most frequent reason>` and left out of BPCER, as ISO/IEC
30107-3 leaves out a failure to acquire. Real clips are never left out.
"""

from __future__ import annotations

import hashlib
import random
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.biometrics.pipeline import BiometricModels, CaptureStats, live_descriptors
from station.capture.sources import (
    IMAGE_SUFFIXES,
    Frame,
    FrameSource,
    ImageFolderSource,
    PassThroughSource,
    VideoFileSource,
    read_image_rgb,
)
from station.domain.progress import Progress
from station.liveness.presentations import (
    FollowingTask,
    LiveHead,
    Portrait,
    Presentation,
    PresentationSource,
)
from station.services.capture import capture_plan, wipe
from station.settings import Settings

BONA_FIDE = "live"
UNUSABLE = "unusable_photo"  # a live/ photo that cannot make a head the gate accepts
NO_START = "no_start"  # the gate never accepted a frame: the challenge never began


class PadEvalError(Exception):
    """The directory cannot be evaluated; the message says what it should hold."""


@dataclass(frozen=True)
class Outcome:
    """One presentation: accepted as live (descriptors handed on) or why not; `seconds`: stream
    time from the first good frame to the decision (what liveness adds to a verification);
    `actions`: what was asked (none when the challenge never began)."""

    kind: str
    name: str
    accepted: bool
    reason: str
    seconds: float | None
    actions: tuple[str, ...] = ()


class _Recorded(PassThroughSource):
    """Notes the timestamps of the frames a source handed out (never the pixels)."""

    def __init__(self, inner: FrameSource) -> None:
        super().__init__(inner)
        self.timestamps: list[int] = []

    def read(self) -> Frame | None:
        frame = super().read()
        if frame is not None:
            self.timestamps.append(frame.timestamp_ms)
        return frame


class StreamClock:
    """The capture's clock for a recorded or generated stream: time is the last frame's own
    timestamp, so the capture's time limit means the same on a clip as on a live camera, however
    fast the clip is decoded."""

    def __init__(self, source: _Recorded) -> None:
        self._source = source

    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return self._source.timestamps[-1] / 1000.0 if self._source.timestamps else 0.0


def challenge_rng(seed: int | None, kind: str, name: str) -> random.Random | None:
    """None (the flows' CSPRNG) without a seed; with one, a generator of its own per
    presentation, so a result does not depend on the order clips are run in."""
    if seed is None:
        return None
    return random.Random(f"{seed}/{kind}/{name}")


def presentation_seed(seed: int | None, kind: str, name: str) -> int:
    """A generated presentation's own seed, fixed by its name when no --seed is given."""
    text = f"{seed if seed is not None else 0}/{kind}/{name}".encode()
    return int.from_bytes(hashlib.sha256(text).digest()[:4], "big")


def run(
    source: FrameSource,
    kind: str,
    name: str,
    models: BiometricModels,
    settings: Settings,
    rng: random.Random | None,
    task: FollowingTask | None = None,
) -> Outcome:
    """One presentation through `live_descriptors` with the verification plan, liveness on."""
    live_settings = replace(settings, liveness=replace(settings.liveness, enabled=True))
    plan = capture_plan(live_settings, enrolling=False)
    follower = task if task is not None else FollowingTask()
    recorded = _Recorded(source)
    stats = CaptureStats()
    detector, landmarker = models.new_detector(), models.new_landmarker()
    try:
        with recorded:
            held = live_descriptors(
                recorded,
                detector,
                landmarker,
                models.embedder,
                plan,
                StreamClock(recorded),
                stats,
                follower,
                rng,
            )
    finally:
        landmarker.close()
        detector.close()
    accepted = bool(held)
    wipe(held)
    seconds = None
    if follower.first_good_frame is not None and recorded.timestamps:
        first = recorded.timestamps[follower.first_good_frame - 1]
        seconds = (recorded.timestamps[-1] - first) / 1000.0
    actions = tuple(a.value for a in stats.liveness.actions) if stats.liveness else ()
    return Outcome(kind, name, accepted, _reason(stats, accepted), seconds, actions)


def _reason(stats: CaptureStats, accepted: bool) -> str:
    if accepted:
        return "accepted"
    if stats.liveness is not None and stats.liveness.failure is not None:
        return stats.liveness.failure.value
    if stats.liveness is not None:
        return "too_few_frames"
    common = stats.rejections.most_common(1)
    return f"{NO_START}:{common[0][0].value}" if common else NO_START


def _as_generated_head(outcome: Outcome) -> Outcome:
    """A generated live head that never started is an unusable photo (the module says why)."""
    if outcome.reason.startswith(NO_START):
        return replace(outcome, reason=UNUSABLE + outcome.reason.removeprefix(NO_START))
    return outcome


def run_presentation(
    presentation: Presentation,
    name: str,
    models: BiometricModels,
    settings: Settings,
    rng: random.Random | None,
    *,
    max_seconds: float = 30.0,
) -> Outcome:
    """A generated presentation, following what the station reports as a person would."""
    task = FollowingTask()
    source = PresentationSource(presentation, task, max_seconds=max_seconds)
    outcome = run(source, presentation.kind, name, models, settings, rng, task)
    return _as_generated_head(outcome) if isinstance(presentation, LiveHead) else outcome


def summarize(outcomes: Iterable[Outcome]) -> dict[str, Any]:
    """The JSON of `face-station pad-eval`: APCER per attack type, BPCER, the worst APCER, the
    number of bona fide presentations, the median seconds a live head took, reasons per kind."""
    by_kind: dict[str, list[Outcome]] = {}
    unusable: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        # never presented: counted under reasons only
        kinds = unusable if outcome.reason.startswith(UNUSABLE) else by_kind
        kinds.setdefault(outcome.kind, []).append(outcome)
    attacks = {
        kind: {
            "presentations": len(items),
            "accepted": sum(o.accepted for o in items),
            "apcer": sum(o.accepted for o in items) / len(items),
        }
        for kind, items in sorted(by_kind.items())
        if kind != BONA_FIDE
    }
    live = by_kind.get(BONA_FIDE, [])
    seconds = [o.seconds for o in live if o.accepted and o.seconds is not None]
    return {
        "attack_types": attacks,
        "bpcer": sum(not o.accepted for o in live) / len(live) if live else None,
        "max_apcer": max((a["apcer"] for a in attacks.values()), default=None),
        "bona_fide": len(live),
        "median_seconds_live": statistics.median(seconds) if seconds else None,
        "reasons": {
            kind: dict(
                sorted(
                    Counter(
                        o.reason for o in by_kind.get(kind, []) + unusable.get(kind, [])
                    ).items()
                )
            )
            for kind in sorted(set(by_kind) | set(unusable))
        },
    }


# --- a directory of presentations ---------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    kind: str
    path: Path

    @property
    def is_photo(self) -> bool:
        return (
            self.kind == BONA_FIDE
            and self.path.is_file()
            and self.path.suffix.lower() in IMAGE_SUFFIXES
        )


def entries(directory: Path) -> list[Entry]:
    """Every presentation in `directory`, by kind then name; PadEvalError when there is none."""
    if not directory.is_dir():
        raise PadEvalError(
            f"{directory} is not a folder. Give a folder holding one folder per presentation "
            "kind (live/, print/, screen/, replay/ ...), each with clips."
        )
    found = [
        Entry(kind.name, item)
        for kind in sorted(directory.iterdir())
        if kind.is_dir() and not kind.name.startswith(".")
        for item in sorted(kind.iterdir())
        if not item.name.startswith(".")
    ]
    if not found:
        raise PadEvalError(
            f"{directory} holds no presentations: expected folders such as live/, print/, "
            "screen/, replay/, each with video files or folders of frames (live/ may hold photos)."
        )
    return found


def open_entry(
    entry: Entry, models: BiometricModels, seed: int | None
) -> tuple[FrameSource, FollowingTask]:
    """A source for one entry: a live head made from a photo (following the prompts), a folder
    of frames, a single image (a one-frame clip) or a video file."""
    task = FollowingTask()
    if entry.is_photo:
        detector, landmarker = models.new_detector(), models.new_landmarker()
        try:
            portrait = Portrait.from_photo(read_image_rgb(entry.path), detector, landmarker)
        finally:
            landmarker.close()
            detector.close()
        head = LiveHead(portrait, presentation_seed(seed, entry.kind, entry.path.name))
        return PresentationSource(head, task), task
    if entry.path.is_dir():
        return ImageFolderSource(entry.path), task
    if entry.path.suffix.lower() in IMAGE_SUFFIXES:
        return ImageFolderSource.from_files([entry.path]), task
    return VideoFileSource(entry.path), task


def evaluate_entries(
    found: list[Entry], models: BiometricModels, settings: Settings, seed: int | None
) -> Iterator[Outcome]:
    for entry in found:
        rng = challenge_rng(seed, entry.kind, entry.path.name)
        try:
            source, task = open_entry(entry, models, seed)
        except ValueError:  # a live photo with no usable face: it cannot be presented
            yield Outcome(entry.kind, entry.path.name, False, UNUSABLE, None)
            continue
        outcome = run(source, entry.kind, entry.path.name, models, settings, rng, task)
        yield _as_generated_head(outcome) if entry.is_photo else outcome


def evaluate_directory(
    directory: Path,
    models: BiometricModels,
    settings: Settings,
    seed: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """`progress` hears of each presentation as it is decided, with its verdict."""
    found = entries(directory)
    outcomes = []
    for outcome in evaluate_entries(found, models, settings, seed):
        outcomes.append(outcome)
        if progress is not None:
            verdict = "accepted" if outcome.accepted else f"refused ({outcome.reason})"
            progress(len(outcomes), len(found), f"{outcome.kind}/{outcome.name}: {verdict}")
    return summarize(outcomes)
