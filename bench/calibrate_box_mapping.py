"""Calibrate the BlazeFace face box -> dlib rectangle mapping for the 5-point shape predictor.

    .venv/bin/python bench/calibrate_box_mapping.py \
        [--detector resources/models/face_detector.tflite] \
        [--shape-predictor resources/models/shape_predictor_5_face_landmarks.dat] \
        [--resnet resources/models/dlib_face_recognition_resnet_model_v1.dat] \
        [--workers 2] [--impostor-pairs 0]

dlib's 5-point predictor was trained on boxes from dlib's HOG frontal detector, so the box handed
to it should look like one of those. On images where both BlazeFace (the station's detector) and the HOG detector
(upsample 1) find a face (the one nearest the image centre, the two agreeing), two mappings are fitted
with medians on LFW identities A-M:

* box:       cx = mx + w*ax,  cy = my + h*ay,  side = s * max(w, h)     ((mx, my) = its box centre)
* keypoints: k = |le - re| + |mouth - (re + le)/2|  (eye distance + eye-mid-to-mouth distance, px)
             cx = ex + k*bx,  cy = ey + k*by,  side = t * k             ((ex, ey) = eye midpoint)

Geometry is in pixel-edge coordinates: a dlib rectangle (l, t, r, b) is inclusive, so its side is
r - l + 1 and its centre (l + r + 1) / 2; a mapped (cx, cy, side) becomes l = round(cx - side/2),
r = l + round(side) - 1 (likewise for y).

The fit uses jittered copies (random top-left padding and a random 1-1.2x scale): HOG boxes come
on a grid of positions and sizes (sizes step by 1.2x), and LFW faces all sit at nearly the same place
and size, so medians over the untouched images would be biased by where that grid happens to fall.

Accuracy is measured on the held-out identities N-Z (original images) for four rectangles fed to the
predictor: (a) the BlazeFace box unchanged, (b) the box mapping, (c) the keypoint mapping, (d) dlib's
own HOG box; one L2-normalised 128-d ResNet descriptor per image, Euclidean distance, every
within-identity pair genuine, every cross-identity pair impostor (or --impostor-pairs sampled ones).
The same images (all detectors found the face) are used for every variant.

Reads ../shared/faces/{lfw,photos} in place (photos only for an out-of-domain residual check).
Prints a table and one JSON line to stdout, progress to stderr. ~8-12 min on 2 cores (descriptors
dominate: 4 per held-out image, ~100 ms each, one worker process per core).
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import dlib
import numpy as np
import numpy.typing as npt

_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_ROOT))

from station.biometrics.detector import BlazeFaceDetector  # noqa: E402
from station.domain.capture import FaceDetection  # noqa: E402

MODELS = _ROOT / "resources" / "models"
FACES_DIR = _ROOT.parent / "shared" / "faces"  # read in place, never copied into the repo
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp"}
RIGHT_EYE, LEFT_EYE, MOUTH = 0, 1, 3  # BlazeFace keypoint order (the person's right eye first)
HOG_UPSAMPLE = 1
MAX_PAD = 24  # px; several HOG cells at the pyramid levels LFW faces land on
HOG_SCALE_STEP = 1.2  # dlib's HOG pyramid (pyramid_down<6>) steps sizes by 6/5
AGREE_CENTRE = (
    0.5  # BlazeFace and HOG picks are the same face if centres are within this x HOG side
)
FMR_TARGETS = (1e-3, 1e-4)
VARIANTS = ("a_mp_box_unchanged", "b_box_mapping", "c_keypoint_mapping", "d_dlib_hog_box")

Rect = tuple[int, int, int, int]  # dlib (left, top, right, bottom), inclusive
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Sample:
    path: Path
    identity: str
    dataset: str  # "lfw" or "photos"

    @property
    def first_half(self) -> bool:
        return self.identity[:1].upper() <= "M"


@dataclass(frozen=True)
class Pair:
    """The BlazeFace and HOG faces picked in one image (nearest the centre of each)."""

    mp_box: tuple[float, float, float, float]  # x, y, w, h (px)
    keypoints: FloatArray  # 6 x 2 px
    hog: Rect


# ---------------------------------------------------------------------------------------------
# Worker processes: dlib's descriptor is single-threaded (~100 ms), so one process per core is
# what uses the machine; each process keeps BLAS at one thread (set in main before spawning).

_worker: dict[str, Any] = {}


def _init_worker(detector: str, shape_predictor: str, resnet: str) -> None:
    _worker.update(
        blazeface=BlazeFaceDetector(Path(detector).read_bytes()),
        hog=dlib.get_frontal_face_detector(),
        predictor=dlib.shape_predictor(shape_predictor),
        resnet=dlib.face_recognition_model_v1(resnet),
    )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _read_rgb(path: str) -> npt.NDArray[np.uint8]:
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    if bgr is None:
        raise OSError(f"cannot read {path}")
    return np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))


def jitter_params(seed: int, index: int) -> tuple[int, int, float]:
    rng = np.random.default_rng([seed, index])
    pad_x, pad_y = (int(v) for v in rng.integers(0, MAX_PAD, 2))
    return pad_x, pad_y, float(HOG_SCALE_STEP ** rng.uniform(0.0, 1.0))


def _detect(job: tuple[int, str, tuple[int, int, float] | None]) -> tuple[int, Pair | None, str]:
    """Both detectors on one image; the status says why there is no pair."""
    index, path, jitter = job
    rgb: npt.NDArray[Any] = _read_rgb(path)
    if jitter is not None:
        pad_x, pad_y, scale = jitter
        rgb = cv2.copyMakeBorder(rgb, pad_y, 0, pad_x, 0, cv2.BORDER_REFLECT_101)
        rgb = np.ascontiguousarray(cv2.resize(rgb, None, fx=scale, fy=scale))
    height, width = rgb.shape[:2]
    centre = (width / 2, height / 2)
    found: list[FaceDetection] = _worker["blazeface"].detect(rgb)
    hogs = [(r.left(), r.top(), r.right(), r.bottom()) for r in _worker["hog"](rgb, HOG_UPSAMPLE)]
    if not found or not hogs:
        return index, None, "no_blazeface" if not found else "no_hog"
    best = min(found, key=lambda d: math.dist(d.center, centre))
    hog = min(hogs, key=lambda r: math.dist(rect_geometry(r)[:2], centre))
    hx, hy, hside = rect_geometry(hog)
    if math.dist(best.center, (hx, hy)) > AGREE_CENTRE * hside:
        return index, None, "disagree"
    box = (best.x, best.y, best.width, best.height)
    return index, Pair(box, best.keypoints, hog), "ok"


def _describe(job: tuple[int, str, list[Rect]]) -> tuple[int, FloatArray]:
    """One L2-normalised descriptor per rectangle, reading the image once."""
    index, path, rects = job
    rgb = _read_rgb(path)
    out = np.empty((len(rects), 128), dtype=np.float64)
    for i, rect in enumerate(rects):
        shape = _worker["predictor"](rgb, dlib.rectangle(*rect))
        descriptor = np.array(_worker["resnet"].compute_face_descriptor(rgb, shape))
        out[i] = descriptor / np.linalg.norm(descriptor)
    return index, out


# ---------------------------------------------------------------------------------------------
# Geometry and fitting


def rect_geometry(rect: Rect) -> tuple[float, float, float]:
    """(cx, cy, side) of an inclusive dlib rectangle in pixel-edge coordinates."""
    left, top, right, bottom = rect
    return (left + right + 1) / 2, (top + bottom + 1) / 2, (right - left + bottom - top + 2) / 2


def to_rect(cx: float, cy: float, side: float) -> Rect:
    left, top, size = round(cx - side / 2), round(cy - side / 2), round(side)
    return left, top, left + size - 1, top + size - 1


def keypoint_frame(points: FloatArray) -> tuple[FloatArray, float]:
    """Eye midpoint and the keypoint size k (eye distance + eye-mid-to-mouth distance)."""
    eyes = (points[RIGHT_EYE] + points[LEFT_EYE]) / 2
    size = np.linalg.norm(points[LEFT_EYE] - points[RIGHT_EYE]) + np.linalg.norm(
        points[MOUTH] - eyes
    )
    return eyes, float(size)


@dataclass(frozen=True)
class Mapping:
    kind: str  # "box" or "keypoints"
    dx: float
    dy: float
    scale: float

    def apply(self, pair: Pair) -> tuple[float, float, float]:
        if self.kind == "box":
            x, y, w, h = pair.mp_box
            return x + w / 2 + w * self.dx, y + h / 2 + h * self.dy, self.scale * max(w, h)
        eyes, k = keypoint_frame(pair.keypoints)
        return eyes[0] + k * self.dx, eyes[1] + k * self.dy, self.scale * k


def fit(pairs: Sequence[Pair], kind: str) -> Mapping:
    """Medians of the per-image offsets and size ratios (robust to the odd bad detection)."""
    rows = []
    for p in pairs:
        hx, hy, hside = rect_geometry(p.hog)
        if kind == "box":
            x, y, w, h = p.mp_box
            rows.append(((hx - x - w / 2) / w, (hy - y - h / 2) / h, hside / max(w, h)))
        else:
            eyes, k = keypoint_frame(p.keypoints)
            rows.append(((hx - eyes[0]) / k, (hy - eyes[1]) / k, hside / k))
    dx, dy, scale = np.median(np.array(rows), axis=0)
    return Mapping(kind, float(dx), float(dy), float(scale))


def unchanged_rect(pair: Pair) -> Rect:
    x, y, w, h = (round(v) for v in pair.mp_box)
    return x, y, x + w - 1, y + h - 1


def residuals(pairs: Sequence[Pair], rects: Iterable[Rect]) -> dict[str, float | int]:
    """How far the given rectangles are from the HOG ones: centre, size (log ratio) and IoU."""
    centre, log_ratio, iou = [], [], []
    for p, r in zip(pairs, rects, strict=True):
        hx, hy, hside = rect_geometry(p.hog)
        cx, cy, side = rect_geometry(r)
        centre.append(math.hypot(cx - hx, cy - hy) / hside)
        log_ratio.append(math.log(side / hside))
        iou.append(rect_iou(r, p.hog))
    c, lr, u = np.array(centre), np.array(log_ratio), np.array(iou)
    return {
        "n": len(c),
        "centre_err_over_side_median": float(np.median(c)),
        "centre_err_over_side_p90": float(np.percentile(c, 90)),
        "size_log_ratio_median": float(np.median(lr)),  # bias; 0 = unbiased
        "size_abs_log_ratio_median": float(np.median(np.abs(lr))),
        "size_abs_log_ratio_p90": float(np.percentile(np.abs(lr), 90)),
        "iou_median": float(np.median(u)),
        "iou_p10": float(np.percentile(u, 10)),
    }


def rect_iou(a: Rect, b: Rect) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0]) + 1
    h = min(a[3], b[3]) - max(a[1], b[1]) + 1
    inter = max(w, 0) * max(h, 0)

    def area(r: Rect) -> int:
        return (r[2] - r[0] + 1) * (r[3] - r[1] + 1)

    return inter / (area(a) + area(b) - inter)


# ---------------------------------------------------------------------------------------------
# Accuracy


def error_rates(genuine: FloatArray, impostor: FloatArray) -> dict[str, float]:
    """EER and FNMR at fixed FMR for distances (accept when distance < threshold)."""
    gen, imp = np.sort(genuine), np.sort(impostor)
    thresholds = np.concatenate([gen, imp])
    fmr = np.searchsorted(imp, thresholds, side="left") / imp.size
    fnmr = 1.0 - np.searchsorted(gen, thresholds, side="left") / gen.size
    i = int(np.argmin(np.abs(fmr - fnmr)))
    out = {"eer": float((fmr[i] + fnmr[i]) / 2), "eer_threshold": float(thresholds[i])}
    for target in FMR_TARGETS:
        # At most floor(target * n) impostors strictly below the threshold.
        threshold = imp[math.floor(target * imp.size)]
        out[f"fnmr_at_fmr_{target:g}"] = float(np.mean(gen >= threshold))
        out[f"threshold_at_fmr_{target:g}"] = float(threshold)
    return out


def pair_indices(
    identities: Sequence[str], impostor_pairs: int, seed: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Genuine (i, j) and impostor (i, j) index arrays, i < j."""
    labels = np.unique(np.asarray(identities), return_inverse=True)[1]
    i, j = np.triu_indices(len(labels), k=1)
    same = labels[i] == labels[j]
    gi, gj, ii, ij = i[same], j[same], i[~same], j[~same]
    if 0 < impostor_pairs < ii.size:
        pick = np.random.default_rng(seed).choice(ii.size, impostor_pairs, replace=False)
        ii, ij = ii[pick], ij[pick]
    return gi, gj, ii, ij


# ---------------------------------------------------------------------------------------------


def list_samples(folder: Path, dataset: str) -> list[Sample]:
    return [
        Sample(p, identity.name, dataset)
        for identity in sorted(d for d in folder.iterdir() if d.is_dir())
        for p in sorted(identity.iterdir())
        if p.suffix.lower() in IMAGE_SUFFIXES
    ]


def run_pool(pool: Any, func: Any, jobs: list[Any], label: str) -> list[Any]:
    started, results = time.perf_counter(), []
    for n, result in enumerate(pool.imap_unordered(func, jobs, chunksize=4), 1):
        results.append(result)
        if n % 250 == 0 or n == len(jobs):
            say(f"  {label}: {n}/{len(jobs)} ({time.perf_counter() - started:.0f} s)")
    return sorted(results, key=lambda r: r[0])


def detect_all(
    pool: Any, samples: Sequence[Sample], label: str, jitter_seed: int | None
) -> tuple[list[Pair | None], dict[str, int]]:
    jobs = [
        (i, str(s.path), None if jitter_seed is None else jitter_params(jitter_seed, i))
        for i, s in enumerate(samples)
    ]
    results = run_pool(pool, _detect, jobs, label)
    status: dict[str, int] = {}
    for _, _, st in results:
        status[st] = status.get(st, 0) + 1
    return [pair for _, pair, _ in results], status


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--detector", type=Path, default=MODELS / "face_detector.tflite")
    parser.add_argument(
        "--shape-predictor", type=Path, default=MODELS / "shape_predictor_5_face_landmarks.dat"
    )
    parser.add_argument(
        "--resnet", type=Path, default=MODELS / "dlib_face_recognition_resnet_model_v1.dat"
    )
    parser.add_argument("--faces", type=Path, default=FACES_DIR, help="holds lfw/ and photos/")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--impostor-pairs", type=int, default=0, help="sample this many (0 = all cross-identity)"
    )
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    for path in (args.detector, args.shape_predictor, args.resnet, args.faces / "lfw"):
        if not path.exists():
            sys.exit(f"not found: {path}")
    started = time.perf_counter()

    lfw = list_samples(args.faces / "lfw", "lfw")
    photo_dir = args.faces / "photos"
    photos = list_samples(photo_dir, "photos") if photo_dir.is_dir() else []
    fit_set = [s for s in lfw if s.first_half]
    eval_set = [s for s in lfw if not s.first_half]
    say(
        f"LFW {len(lfw)}: fit A-M {len(fit_set)}, evaluate N-Z {len(eval_set)}; photos {len(photos)}"
    )

    # Children inherit these at spawn, before they import numpy; dlib itself uses no BLAS.
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"
    context = multiprocessing.get_context("spawn")  # no fork after OpenCV's threads exist
    initargs = (str(args.detector), str(args.shape_predictor), str(args.resnet))
    with context.Pool(args.workers, initializer=_init_worker, initargs=initargs) as pool:
        say("detecting (BlazeFace + dlib HOG)")
        fit_pairs_j, fit_status_j = detect_all(pool, fit_set, "fit A-M jittered", args.seed)
        fit_pairs_o, fit_status_o = detect_all(pool, fit_set, "fit A-M original", None)
        eval_pairs, eval_status = detect_all(pool, eval_set, "evaluate N-Z", None)
        photo_pairs, photo_status = detect_all(pool, photos, "photos", None)

        fitting = [p for p in fit_pairs_j if p is not None]
        box_map, kp_map = fit(fitting, "box"), fit(fitting, "keypoints")
        originals = [p for p in fit_pairs_o if p is not None]
        unjittered = {"box": fit(originals, "box"), "keypoints": fit(originals, "keypoints")}

        kept = [(s, p) for s, p in zip(eval_set, eval_pairs, strict=True) if p is not None]
        rect_sets: dict[str, list[Rect]] = {
            VARIANTS[0]: [unchanged_rect(p) for _, p in kept],
            VARIANTS[1]: [to_rect(*box_map.apply(p)) for _, p in kept],
            VARIANTS[2]: [to_rect(*kp_map.apply(p)) for _, p in kept],
            VARIANTS[3]: [p.hog for _, p in kept],
        }
        # Identical rectangles (rare) share a descriptor; every image is read once.
        jobs, slots = [], []
        for n, (sample, _) in enumerate(kept):
            unique = list(dict.fromkeys(rect_sets[v][n] for v in VARIANTS))
            jobs.append((n, str(sample.path), unique))
            slots.append([unique.index(rect_sets[v][n]) for v in VARIANTS])
        say(f"describing {len(kept)} images x {len(VARIANTS)} rectangles")
        described = run_pool(pool, _describe, jobs, "descriptors")

    descriptors = {
        v: np.stack([d[slots[n][k]] for n, (_, d) in enumerate(described)])
        for k, v in enumerate(VARIANTS)
    }
    gi, gj, ii, ij = pair_indices([s.identity for s, _ in kept], args.impostor_pairs, args.seed)
    accuracy = {}
    for v, x in descriptors.items():
        genuine = np.linalg.norm(x[gi] - x[gj], axis=1)
        impostor = np.linalg.norm(x[ii] - x[ij], axis=1)
        accuracy[v] = error_rates(genuine, impostor)

    def mapped(pairs: Sequence[Pair], m: Mapping) -> list[Rect]:
        return [to_rect(*m.apply(p)) for p in pairs]

    holdout = [p for _, p in kept]
    photo_kept = [p for p in photo_pairs if p is not None]
    residual_sets = {"fit_A-M_jittered": fitting, "holdout_N-Z": holdout, "photos": photo_kept}
    resid = {
        name: {
            label: residuals(pairs, rects(pairs))
            for label, rects in (
                ("a_mp_box_unchanged", lambda ps: [unchanged_rect(p) for p in ps]),
                ("b_box_mapping", lambda ps: mapped(ps, box_map)),
                ("c_keypoint_mapping", lambda ps: mapped(ps, kp_map)),
            )
        }
        for name, pairs in residual_sets.items()
        if pairs
    }
    hog_sides = np.array([[r[2] - r[0] + 1, r[3] - r[1] + 1] for r in (p.hog for p in fitting)])
    mp_sides = np.array([p.mp_box[2:] for p in fitting])
    holdout_resid = resid["holdout_N-Z"]
    better = min(
        ("b_box_mapping", "c_keypoint_mapping"),
        key=lambda k: (
            holdout_resid[k]["centre_err_over_side_median"]
            + holdout_resid[k]["size_abs_log_ratio_median"]
        ),
    )
    wall = time.perf_counter() - started
    results = {
        "split": "mappings fitted on LFW identities A-M (jittered copies); accuracy and holdout "
        "residuals on LFW identities N-Z (original images)",
        "box_mapping": {
            "formula": "cx = mx + w*ax; cy = my + h*ay; side = s*max(w, h)",
            "ax": box_map.dx,
            "ay": box_map.dy,
            "s": box_map.scale,
        },
        "keypoint_mapping": {
            "formula": "k = |le-re| + |mouth-(re+le)/2|; cx = ex + k*bx; cy = ey + k*by; side = t*k",
            "bx": kp_map.dx,
            "by": kp_map.dy,
            "t": kp_map.scale,
        },
        "fit_on_original_images_biased": {
            k: {"dx": m.dx, "dy": m.dy, "scale": m.scale} for k, m in unjittered.items()
        },
        "rect_convention": "dlib rect inclusive: side = r-l+1; l = round(cx - side/2), r = l + round(side) - 1",
        "aspect": {
            "hog_square_within_1px": float(np.mean(np.abs(hog_sides[:, 0] - hog_sides[:, 1]) <= 1)),
            "hog_h_over_w_median": float(np.median(hog_sides[:, 1] / hog_sides[:, 0])),
            "mp_square": float(np.mean(mp_sides[:, 0] == mp_sides[:, 1])),
        },
        "residuals": resid,
        "better_fit_by_residual": better,
        "accuracy_holdout_N-Z": accuracy,
        "counts": {
            "fit_A-M_jittered": fit_status_j,
            "fit_A-M_original": fit_status_o,
            "evaluate_N-Z": eval_status,
            "photos": photo_status,
            "eval_images": len(kept),
            "eval_identities": len({s.identity for s, _ in kept}),
            "genuine_pairs": int(gi.size),
            "impostor_pairs": int(ii.size),
        },
        "seed": args.seed,
        "workers": args.workers,
        "wall_seconds": round(wall, 1),
    }
    rows = [
        [
            v,
            f"{100 * a['eer']:.2f}",
            f"{100 * a['fnmr_at_fmr_0.001']:.2f}",
            f"{100 * a['fnmr_at_fmr_0.0001']:.2f}",
        ]
        for v, a in accuracy.items()
    ]
    print(f"{'variant (N-Z holdout)':22s} {'EER %':>7s} {'FNMR@1e-3 %':>12s} {'FNMR@1e-4 %':>12s}")
    for v, eer, f3, f4 in rows:
        print(f"{v:22s} {eer:>7s} {f3:>12s} {f4:>12s}")
    print(json.dumps({"benchmark": "calibrate_box_mapping", **results}))
    say(f"done in {wall:.0f} s")


if __name__ == "__main__":
    main()
