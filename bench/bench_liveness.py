"""Liveness (R23) measured on generated presentations: APCER per attack type with N, BPCER, the
median seconds liveness adds to a live head's verification, and the real shared clip.

Every full-size photo identity under ../shared/faces/photos gives, per seed: a live head that
answers the challenge drawn (station.liveness.presentations.LiveHead), a flat and a bent print, a
screen showing the still, all three tilted by hand to imitate the asked turn or nod, and a replay
of a recorded live head doing another challenge. Each goes through station.liveness.pad_eval (the
flows' capture loop, the challenge drawn from a seeded generator). Identities are split into a
development half and a held-out half (by a hash of the name, fixed here); both are reported, so
figures tuned on one show on the other.

    .venv/bin/python bench/bench_liveness.py [--seeds 2] [--jobs 2] [--photos-per-identity 1] [--faces lfw]
    .venv/bin/python bench/bench_liveness.py --write DIR   # a pad-eval folder of generated clips

`--write DIR` writes live/ (the photos, copied) and print/, print_bent/, screen/, replay/ (clips as
folders of JPEG frames) for `face-station pad-eval DIR`: a written clip cannot hear the station,
so its attacker tilts through every action in turn (presentations.scripted_asks).
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

from bench._common import emit, faces_dir, say  # noqa: E402
from station.biometrics.pipeline import BiometricModels  # noqa: E402
from station.capture.sources import IMAGE_SUFFIXES, VideoFileSource, read_image_rgb  # noqa: E402
from station.liveness.pad_eval import (  # noqa: E402
    UNUSABLE,
    Outcome,
    challenge_rng,
    presentation_seed,
    run,
    run_presentation,
    summarize,
)
from station.liveness.presentations import (  # noqa: E402
    LiveHead,
    Portrait,
    Presentation,
    PrintAttack,
    ReplayAttack,
    ScreenAttack,
    render_clip,
)
from station.settings import Settings  # noqa: E402

KINDS: dict[str, Callable[[Portrait, int], Presentation]] = {
    "live": lambda portrait, seed: LiveHead(portrait, seed),
    "print": lambda portrait, seed: PrintAttack(portrait, seed),
    "print_bent": lambda portrait, seed: PrintAttack(portrait, seed, bent=True),
    "screen": lambda portrait, seed: ScreenAttack(portrait, seed),
    "replay": lambda portrait, seed: ReplayAttack(portrait, seed),
}
CLIP_SECONDS = 12.0


def held_out(identity: str) -> bool:
    """Half the identities, fixed by name: never looked at while setting thresholds."""
    return hashlib.sha256(identity.encode()).digest()[0] % 2 == 1


def photos(per_identity: int, folder: str = "photos") -> list[tuple[str, Path]]:
    root = faces_dir() / folder
    chosen = []
    for identity in sorted(p.name for p in root.iterdir() if p.is_dir()):
        files = sorted(f for f in (root / identity).iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        chosen += [(identity, f) for f in files[:per_identity]]
    return chosen


_MODELS: BiometricModels | None = None


def _models() -> BiometricModels:
    global _MODELS
    if _MODELS is None:
        _MODELS = BiometricModels()
    return _MODELS


def portrait_of(path: Path) -> Portrait | None:
    models = _models()
    detector, landmarker = models.new_detector(), models.new_landmarker()
    try:
        return Portrait.from_photo(read_image_rgb(path), detector, landmarker)
    except ValueError:
        return None
    finally:
        landmarker.close()
        detector.close()


def evaluate_photo(job: tuple[str, Path, list[int], list[str]]) -> list[dict[str, Any]]:
    """Every kind and seed for one photo (one worker's unit: the portrait is built once). A seed
    whose live head the gate never accepts (pad_eval: an unusable photo) has no attacks either:
    a picture of a face the station cannot see would count as an attack refused for nothing."""
    identity, path, seeds, kinds = job
    portrait = portrait_of(path)
    if portrait is None:
        say(f"  {identity}/{path.name}: no usable face, skipped")
        return []
    results = []
    for seed in seeds:
        for kind in [kind for kind in KINDS if kind in kinds]:  # live first
            name = f"{identity}/{path.name}#{seed}"
            started = time.perf_counter()
            outcome = run_presentation(
                KINDS[kind](portrait, presentation_seed(seed, kind, name)),
                name,
                _models(),
                Settings(),
                challenge_rng(seed, kind, name),
            )
            say(
                f"  {kind:10s} {name} {'+'.join(outcome.actions)}: {outcome.reason} "
                f"({outcome.seconds or 0:.1f} s of stream, {time.perf_counter() - started:.1f} s)"
            )
            results.append(
                {
                    "identity": identity,
                    "kind": kind,
                    "name": name,
                    "accepted": outcome.accepted,
                    "reason": outcome.reason,
                    "seconds": outcome.seconds,
                    "actions": outcome.actions,
                }
            )
            if outcome.reason.startswith(UNUSABLE):
                break
    return results


def _outcomes(rows: list[dict[str, Any]]) -> list[Outcome]:
    return [
        Outcome(r["kind"], r["name"], r["accepted"], r["reason"], r["seconds"], r["actions"])
        for r in rows
    ]


def real_clip(seed: int) -> dict[str, Any]:
    """The shared real clip: a real person who does not perform any challenge."""
    path = faces_dir() / "video" / "short_hamilton_clip.mp4"
    outcome = run(
        VideoFileSource(path),
        "live_real_clip",
        path.name,
        _models(),
        Settings(),
        challenge_rng(seed, "live", path.name),
    )
    return {"accepted": outcome.accepted, "reason": outcome.reason, "seconds": outcome.seconds}


def table(title: str, summary: dict[str, Any]) -> str:
    lines = [f"{title}", f"  {'attack type':12s} {'N':>4s} {'accepted':>9s} {'APCER':>7s}"]
    for kind, row in summary["attack_types"].items():
        lines.append(
            f"  {kind:12s} {row['presentations']:4d} {row['accepted']:9d} {row['apcer']:7.3f}"
        )
    bpcer = summary["bpcer"]
    median = summary["median_seconds_live"]
    lines.append(
        f"  bona fide N={summary['bona_fide']}  BPCER="
        f"{'-' if bpcer is None else f'{bpcer:.3f}'}  median seconds (live)="
        f"{'-' if median is None else f'{median:.2f}'}"
    )
    lines.append(f"  reasons: {summary['reasons']}")
    return "\n".join(lines)


def write_directory(directory: Path, seeds: list[int], chosen: list[tuple[str, Path]]) -> None:
    """A pad-eval folder: live/ photos (copied) and attack clips as folders of JPEG frames."""
    for identity, path in chosen:
        portrait = portrait_of(path)
        if portrait is None:
            continue
        live = directory / "live"
        live.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, live / f"{identity}_{path.name}")
        for seed in seeds:
            for kind, make in KINDS.items():
                if kind == "live":
                    continue
                name = f"{identity}_{path.stem}_{seed}"
                clip = directory / kind / name
                clip.mkdir(parents=True, exist_ok=True)
                presentation = make(portrait, presentation_seed(seed, kind, name))
                for index, (_, frame) in enumerate(render_clip(presentation, CLIP_SECONDS, seed)):
                    bgr = cv2.cvtColor(frame, cv2.COLOR_RGB2BGR)
                    cv2.imwrite(
                        str(clip / f"frame_{index:04d}.jpg"), bgr, [cv2.IMWRITE_JPEG_QUALITY, 92]
                    )
                say(f"  wrote {clip}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=2, help="seeds per photo (%(default)s)")
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--photos-per-identity", type=int, default=1)
    parser.add_argument(
        "--faces",
        default="photos",
        help="folder of ../shared/faces with one folder per identity (%(default)s; `lfw` for "
        "identities never used in development, its 150 px thumbnails scaled up)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (%(default)s)")
    parser.add_argument(
        "--identities", type=int, default=None, help="only the first N (a quick look)"
    )
    parser.add_argument(
        "--skip", type=int, default=0, help="pass over the first N identities (another sample)"
    )
    parser.add_argument(
        "--kinds", nargs="+", choices=sorted(KINDS), default=sorted(KINDS), help="(all)"
    )
    parser.add_argument("--write", type=Path, default=None, help="write a pad-eval folder instead")
    args = parser.parse_args()
    seeds = list(range(args.first_seed, args.first_seed + args.seeds))
    chosen = photos(args.photos_per_identity, args.faces)
    names = sorted({identity for identity, _ in chosen})[args.skip :]
    keep = set(names if args.identities is None else names[: args.identities])
    chosen = [(i, p) for i, p in chosen if i in keep]
    if args.write is not None:
        write_directory(args.write, seeds, chosen)
        return
    jobs = [(identity, path, seeds, args.kinds) for identity, path in chosen]
    started = time.perf_counter()
    say(f"{len(jobs)} photos x {len(seeds)} seeds x {len(args.kinds)} kinds, {args.jobs} workers")
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            rows = [row for rows in pool.imap(evaluate_photo, jobs) for row in rows]
    else:
        rows = [row for job in jobs for row in evaluate_photo(job)]
    say("the shared real clip ...")
    clip = real_clip(args.first_seed)
    development = summarize(_outcomes([r for r in rows if not held_out(r["identity"])]))
    held = summarize(_outcomes([r for r in rows if held_out(r["identity"])]))
    everything = summarize(_outcomes(rows))
    text = "\n\n".join(
        [
            table("development identities", development),
            table("held-out identities", held),
            table("all identities", everything),
            f"real clip (a real person who does not answer): {clip}",
        ]
    )
    emit(
        "liveness",
        text,
        {
            "seeds": seeds,
            "photos": len(jobs),
            "development": development,
            "held_out": held,
            "all": everything,
            "held_out_identities": sorted({r["identity"] for r in rows if held_out(r["identity"])}),
            "real_clip": clip,
            "wall_seconds": time.perf_counter() - started,
        },
    )


if __name__ == "__main__":
    main()
