"""`face-station self-check`: what a site's IT runs after installing (issue 11). It checks the
program's files against the SHA256SUMS the build wrote (station.integrity), checks the model files
against their pins (as `check-models`), and reports the versions the program runs on. It needs no
store, password or camera, and opens no network connection (R11): it reads files, and loads the
libraries the station loads anyway.

Exit status 0 when everything matched; 1 when a file is missing, changed or extra, a model file is
not the pinned one, or a library cannot be loaded."""

from __future__ import annotations

import importlib
import platform
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from station import __version__
from station.biometrics.assets import FIX_HINT, ModelAssetError
from station.biometrics.calibration import CalibrationError, shipped_calibration
from station.cli.common import CommandContext
from station.cli.setup import check_models
from station.integrity import MANIFEST_NAME, IntegrityReport, ManifestError, verify_manifest
from station.resources import install_dir

# What the program runs on (pyproject.toml's dependencies), by distribution name. A frozen build
# carries their metadata only if packaging/face_station.spec copies it (copy_metadata).
DISTRIBUTIONS = (
    "PySide6_Essentials",
    "shiboken6",
    "qasync",
    "opencv-contrib-python",
    "sqlcipher3",
    "dlib-bin",
    "argon2-cffi",
    "cryptography",
    "numpy",
    "threadpoolctl",
)
# Versions the native libraries report themselves: (label, module). PySide6 is not among them, the
# core never imports Qt; its distribution's version above is the one that shipped.
MODULES = (("OpenCV (cv2)", "cv2"), ("dlib", "dlib"), ("numpy (module)", "numpy"))
NO_METADATA = "unknown (no metadata)"
SOURCE_CHECKOUT = "running from a source checkout: no package manifest to check"
NO_NETWORK = (
    "network: this check opened no network connection, and Face Station never opens one "
    "(R11: nothing leaves this machine)"
)
REINSTALL = "Install the package again from its release tarball: this folder is not the one built."


def add_commands(commands: Any) -> None:
    commands.add_parser(
        "self-check",
        help="after installing: verify the program's files and models, show the versions "
        "(no store, password or camera; no network)",
    ).set_defaults(run=_self_check)


def _self_check(context: CommandContext) -> int:
    print(f"Face Station {__version__} self-check")
    failures = [
        *_check_files(),
        *_check_models(context),
        *_check_calibration(),
        *_report_versions(),
    ]
    print(NO_NETWORK)
    if failures:
        print(f"Self-check FAILED: {', '.join(failures)}")
        return 1
    print("Self-check passed")
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _check_files() -> list[str]:
    root = install_dir()
    if root is None:
        print(SOURCE_CHECKOUT)
        return []
    try:
        report = verify_manifest(root)
    except FileNotFoundError:
        print(f"MISSING  {MANIFEST_NAME}: the list of the program's files ({root / MANIFEST_NAME})")
        print(REINSTALL)
        return [f"no {MANIFEST_NAME}"]
    except (ManifestError, UnicodeDecodeError) as exc:
        print(f"CHANGED  {MANIFEST_NAME}: {exc}")
        print(REINSTALL)
        return [f"{MANIFEST_NAME} unreadable"]
    return _file_failures(report)


def _file_failures(report: IntegrityReport) -> list[str]:
    for word, paths in (
        ("MISSING", report.missing),
        ("CHANGED", report.changed),
        ("EXTRA", report.extra),
    ):
        for path in paths:
            print(f"{word}  {path}")
    matching = report.checked - len(report.missing) - len(report.changed)
    status = "ok" if report.ok else "FAILED"
    print(f"{status}  {matching} of {report.checked} files match {MANIFEST_NAME} in {report.root}")
    print(
        f"    SHA-256 of {MANIFEST_NAME}: {report.manifest_sha256} (compare with the one published with the release)"
    )
    failures = []
    if report.changed:
        failures.append(f"{_count(len(report.changed), 'file')} changed")
    if report.missing:
        failures.append(f"{len(report.missing)} missing")
    if report.extra:
        failures.append(f"{_count(len(report.extra), 'extra file')} (not in {MANIFEST_NAME})")
    if failures:
        print(REINSTALL)
    return failures


def _check_models(context: CommandContext) -> list[str]:
    try:
        check_models(context)
    except ModelAssetError as exc:
        for problem in exc.problems:
            print(f"FAILED  model: {problem}")
        print(FIX_HINT if install_dir() is None else REINSTALL)
        return [f"{_count(len(exc.problems), 'model file')} not usable"]
    return []


def _check_calibration() -> list[str]:
    """The operating points' thresholds (R22): without them no face can be verified."""
    try:
        table = shipped_calibration()
    except CalibrationError as exc:
        print(f"FAILED  calibration table: {exc}")
        return ["no calibration table"]
    print(f"ok  calibration table: {table.data}, measured {table.measured_on}")
    return []


def _report_versions() -> list[str]:
    print("versions:")
    rows: list[tuple[str, str | None]] = [
        ("face-station", __version__),
        ("Python", platform.python_version()),
    ]
    rows += [(name, _distribution_version(name)) for name in DISTRIBUTIONS]
    rows += _library_versions()
    for label, value in rows:
        if value is not None:  # None: it could not be loaded, and that was said
            print(f"  {label:<23} {value}")
    failures = sum(value is None for _, value in rows)
    if not failures:
        return []
    return [f"{failures} {'library' if failures == 1 else 'libraries'} cannot be loaded"]


def _distribution_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return NO_METADATA


def _library_versions() -> Iterator[tuple[str, str | None]]:
    """(label, version) per library, loaded as the station loads it; None (after saying why) for
    one that cannot be loaded: a damaged package must be reported, not crash the check."""
    for label, module in MODULES:
        try:
            yield label, str(importlib.import_module(module).__version__)
        except Exception as exc:  # any failure to load is the finding
            print(f"FAILED  {label} cannot be loaded: {type(exc).__name__}: {exc}")
            yield label, None
    try:
        from station.storage.store import library_versions

        yield from library_versions().items()
    except Exception as exc:
        print(f"FAILED  SQLCipher cannot be loaded: {type(exc).__name__}: {exc}")
        yield "SQLCipher", None
