"""Issue 11: the package's SHA256SUMS (packaging/write_manifest.py, station.integrity) and
`face-station self-check`, the check a site's IT runs after installing: real files and links in a
temporary program folder, the real models and libraries, and strace to show it opens no socket
(R11: nothing leaves the machine)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy
import pytest
import sqlcipher3

from station import __version__
from station.biometrics.assets import MODEL_ASSETS
from station.cli import main
from station.cli import self_check as self_check_module
from station.cli.self_check import NO_METADATA, NO_NETWORK, SOURCE_CHECKOUT
from station.integrity import MANIFEST_NAME, ManifestError, read_manifest, verify_manifest
from station.resources import MODELS_DIR_ENV
from tests.syscalls import run_traced

ROOT = Path(__file__).resolve().parents[2]
WRITER = ROOT / "packaging" / "write_manifest.py"

# A small program folder shaped like PyInstaller's: the program, _internal/ with a nested folder,
# a shared library and its version-name link (as PyInstaller 6 makes them).
FILES = {
    "face-station": b"\x7fELF the program",
    "_internal/libpython3.11.so.1.0": b"\x7fELF python",
    "_internal/lib/libfoo.so.1.2": b"\x7fELF foo " * 100,
    "_internal/resources/style.qss": b"QWidget { font-size: 14px; }\n",
    "_internal/resources/i18n/face_station_zh_CN.qm": bytes(range(256)),
}
LINK = "_internal/lib/libfoo.so.1"  # -> libfoo.so.1.2, beside it


def _make_bundle(folder: Path) -> Path:
    for relative, data in FILES.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (folder / LINK).symlink_to("libfoo.so.1.2")
    return folder


def _write_manifest(folder: Path) -> subprocess.CompletedProcess[str]:
    """The writer as the build runs it: a script, in its own interpreter."""
    return subprocess.run(
        [sys.executable, str(WRITER), str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = _make_bundle(tmp_path / "face-station")
    written = _write_manifest(folder)
    assert written.returncode == 0, written.stderr
    return folder


def test_the_manifest_lists_every_file_and_link_in_sha256sum_format(bundle: Path) -> None:
    expected = {relative: hashlib.sha256(data).hexdigest() for relative, data in FILES.items()}
    expected[LINK] = expected["_internal/lib/libfoo.so.1.2"]  # a link: what it points to
    text = (bundle / MANIFEST_NAME).read_text(encoding="utf-8")
    assert text == "".join(f"{expected[path]}  {path}\n" for path in sorted(expected))
    assert read_manifest(text) == expected


def test_gnu_sha256sum_checks_the_same_manifest(bundle: Path) -> None:
    """The list is sha256sum's own format: IT can check the folder without the station."""
    tool = shutil.which("sha256sum")
    if tool is None:
        pytest.fail("sha256sum (coreutils) is missing: install coreutils.")
    checked = subprocess.run(
        [tool, "--check", "--strict", MANIFEST_NAME],
        cwd=bundle,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count(": OK") == len(FILES) + 1


def test_an_untouched_folder_matches_its_manifest(bundle: Path) -> None:
    report = verify_manifest(bundle)
    assert report.ok
    assert report.checked == len(FILES) + 1
    assert (report.missing, report.changed, report.extra) == ((), (), ())
    manifest = (bundle / MANIFEST_NAME).read_bytes()
    assert report.manifest_sha256 == hashlib.sha256(manifest).hexdigest()


def test_one_changed_byte_is_reported_as_changed(bundle: Path) -> None:
    library = bundle / "_internal" / "lib" / "libfoo.so.1.2"
    data = bytearray(library.read_bytes())
    data[-1] ^= 1
    library.write_bytes(bytes(data))
    report = verify_manifest(bundle)
    # the file, and the link that loads it
    assert report.changed == ("_internal/lib/libfoo.so.1", "_internal/lib/libfoo.so.1.2")
    assert (report.missing, report.extra, report.ok) == ((), (), False)


def test_a_link_pointed_elsewhere_is_reported_as_changed(bundle: Path) -> None:
    link = bundle / LINK
    link.unlink()
    link.symlink_to("../libpython3.11.so.1.0")
    assert verify_manifest(bundle).changed == (LINK,)


def test_a_deleted_file_is_reported_as_missing(bundle: Path) -> None:
    (bundle / "_internal" / "resources" / "style.qss").unlink()
    report = verify_manifest(bundle)
    assert report.missing == ("_internal/resources/style.qss",)
    assert (report.changed, report.extra, report.ok) == ((), (), False)


def test_an_added_file_or_folder_link_is_reported_as_extra(bundle: Path) -> None:
    """A file dropped in the program folder (a Qt plugin, a library) would be loaded: it fails."""
    (bundle / "_internal" / "lib" / "libextra.so").write_bytes(b"\x7fELF extra")
    (bundle / "_internal" / "more").symlink_to("lib")
    report = verify_manifest(bundle)
    assert report.extra == ("_internal/lib/libextra.so", "_internal/more")
    assert (report.missing, report.changed, report.ok) == ((), (), False)


@pytest.mark.parametrize(
    ("target", "why"),
    [
        ("{outside}", "outside the folder"),
        ("no-such-file", "a link to nothing"),
        ("resources", "a link to a folder"),
    ],
)
def test_the_writer_refuses_a_link_the_list_cannot_carry(
    tmp_path: Path, target: str, why: str
) -> None:
    folder = _make_bundle(tmp_path / "face-station")
    outside = tmp_path / "outside.so"
    outside.write_bytes(b"not in the package")
    (folder / "_internal" / "odd").symlink_to(target.format(outside=outside))
    written = _write_manifest(folder)
    assert written.returncode == 1
    assert "_internal/odd" in written.stderr and why in written.stderr
    assert not (folder / MANIFEST_NAME).exists()


@pytest.mark.parametrize(
    "line", ["abc  short-digest", f"{'0' * 64}  ../escape", f"{'0' * 64}  /etc/passwd"]
)
def test_a_manifest_line_out_of_format_or_out_of_the_folder_is_refused(line: str) -> None:
    with pytest.raises(ManifestError, match="line 1"):
        read_manifest(line + "\n")


@pytest.mark.usefixtures("models")
def test_self_check_from_source_reports_the_versions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["self-check"]) == 0
    out = capsys.readouterr().out
    connection = sqlcipher3.connect(":memory:")
    (cipher,) = connection.execute("PRAGMA cipher_version").fetchone()
    connection.close()
    assert SOURCE_CHECKOUT in out
    assert f"face-station            {__version__}" in out
    assert f"numpy                   {numpy.__version__}" in out
    assert f"SQLCipher               {cipher}\n" in out
    assert f"SQLite                  {sqlcipher3.sqlite_version}\n" in out
    assert "ok  face_recognition_resnet: " in out
    assert NO_METADATA not in out
    assert out.endswith(f"{NO_NETWORK}\nSelf-check passed\n")


@pytest.mark.usefixtures("models")
def test_self_check_says_unknown_for_a_distribution_without_metadata(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A frozen build carries a distribution's metadata only if the spec copies it."""
    distributions = (*self_check_module.DISTRIBUTIONS, "face-station-not-installed")
    monkeypatch.setattr(self_check_module, "DISTRIBUTIONS", distributions)
    assert main(["self-check"]) == 0
    assert f"  face-station-not-installed {NO_METADATA}\n" in capsys.readouterr().out


@pytest.mark.usefixtures("models")
def test_self_check_fails_on_a_library_that_cannot_be_loaded(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    modules = (*self_check_module.MODULES, ("Broken", "station_no_such_native_module"))
    monkeypatch.setattr(self_check_module, "MODULES", modules)
    assert main(["self-check"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  Broken cannot be loaded: ModuleNotFoundError: " in out
    assert f"numpy (module)          {numpy.__version__}\n" in out  # the others still reported
    assert out.endswith("Self-check FAILED: 1 library cannot be loaded\n")


def test_self_check_fails_on_model_files_that_are_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(MODELS_DIR_ENV, str(tmp_path / "no-models"))
    assert main(["self-check"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  model: face_detector.tflite is missing" in out
    assert "numpy" in out  # the versions are still reported
    assert out.endswith(f"Self-check FAILED: {len(MODEL_ASSETS)} model files not usable\n")


@pytest.fixture
def installed(bundle: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """`bundle` as the running program's folder: what a frozen build sees."""
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(bundle / "face-station"))
    return bundle


@pytest.mark.usefixtures("models")
def test_self_check_of_an_installed_folder_that_matches(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["self-check"]) == 0
    out = capsys.readouterr().out
    count = len(FILES) + 1
    assert f"ok  {count} of {count} files match {MANIFEST_NAME} in {installed}\n" in out
    assert SOURCE_CHECKOUT not in out
    assert out.endswith("Self-check passed\n")


@pytest.mark.usefixtures("models")
def test_self_check_of_a_damaged_installed_folder_names_each_file(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (installed / "_internal" / "resources" / "style.qss").write_bytes(b"QWidget {}\n")
    (installed / "_internal" / "libpython3.11.so.1.0").unlink()
    (installed / "_internal" / "resources" / "i18n" / "face_station_zh_CN.qm").unlink()
    (installed / "_internal" / "sitecustomize.py").write_text("print('hello')\n")
    assert main(["self-check"]) == 1
    out = capsys.readouterr().out
    assert "CHANGED  _internal/resources/style.qss\n" in out
    assert "MISSING  _internal/libpython3.11.so.1.0\n" in out
    assert "MISSING  _internal/resources/i18n/face_station_zh_CN.qm\n" in out
    assert "EXTRA  _internal/sitecustomize.py\n" in out
    assert f"FAILED  3 of {len(FILES) + 1} files match" in out
    assert out.endswith(
        "Self-check FAILED: 1 file changed, 2 missing, 1 extra file (not in SHA256SUMS)\n"
    )


@pytest.mark.usefixtures("models")
def test_self_check_of_an_installed_folder_without_its_manifest_fails(
    installed: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (installed / MANIFEST_NAME).unlink()
    assert main(["self-check"]) == 1
    out = capsys.readouterr().out
    assert f"MISSING  {MANIFEST_NAME}" in out
    assert out.endswith(f"Self-check FAILED: no {MANIFEST_NAME}\n")


@pytest.mark.usefixtures("models")
def test_r11_self_check_opens_no_network_socket_and_starts_no_program(tmp_path: Path) -> None:
    trace = run_traced(
        [sys.executable, "-m", "ui.launcher", "self-check"],
        tmp_path / "trace",
        cwd=ROOT,
        env=os.environ,
        timeout=120,
    )
    assert trace.returncode == 0, trace.stdout + trace.stderr
    assert NO_NETWORK in trace.stdout
    assert trace.calls[0][1] == "execve"  # the log holds the command's own start
    assert [str(finding) for finding in trace.findings] == []
