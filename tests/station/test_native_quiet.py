"""Issue 12: a quiet `face-station` run prints nothing but its answer. The native libraries' own
lines (OpenCV's video I/O, FFmpeg) are silenced at the file-descriptor level around the native call
only, and shown with --verbose. Real subprocesses, real models, real photos."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from station.cli import HOME_ENV, SECRET_ENV
from station.native_quiet import VERBOSE_ENV, quiet_native, verbosity

ROOT = Path(__file__).resolve().parents[2]

# The photos pass the default gates (R26); the liveness check (R23) refuses photos by design, and
# is tested on its own (test_liveness_flows.py). Everything else is the shipped default.
NO_LIVENESS = "[liveness]\nenabled = false\n"


class Boom(Exception):
    pass


def test_quiet_native_silences_descriptor_2_and_restores_it_even_when_the_block_raises(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(VERBOSE_ENV, raising=False)
    os.write(2, b"before\n")
    with pytest.raises(Boom), quiet_native():
        os.write(2, b"native noise\n")
        raise Boom
    os.write(2, b"after\n")
    sys.stderr.write("python after\n")
    sys.stderr.flush()
    assert capfd.readouterr().err == "before\nafter\npython after\n"


def test_nested_and_concurrent_blocks_share_one_redirect(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Descriptor 2 is the process's: a thread ending its block first must not leave /dev/null in
    place, nor put the real stderr back while another thread's block still runs."""
    monkeypatch.delenv(VERBOSE_ENV, raising=False)
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with quiet_native():
            inside.set()
            release.wait(10)
            os.write(2, b"other thread noise\n")

    thread = threading.Thread(target=other)
    with quiet_native():
        thread.start()
        assert inside.wait(10)
        with quiet_native():
            os.write(2, b"nested noise\n")
    os.write(2, b"still quiet: the other block runs\n")
    release.set()
    thread.join(10)
    os.write(2, b"back\n")
    assert capfd.readouterr().err == "back\n"


def test_verbose_leaves_descriptor_2_alone(
    capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(VERBOSE_ENV, raising=False)
    with verbosity(True), quiet_native():
        os.write(2, b"shown\n")
    assert VERBOSE_ENV not in os.environ  # put back as it was
    assert capfd.readouterr().err == "shown\n"


def _cli(home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """`face-station ARGV` as an operator runs it: a new process through the console script's
    entry point, with the production bounds (no test bounds, no test Argon2id)."""
    env = {
        **os.environ,
        HOME_ENV: str(home / "home"),
        SECRET_ENV: "front desk secret 1",
        "PYTHONPATH": str(ROOT),
    }
    env.pop(VERBOSE_ENV, None)
    code = "import sys; from ui.launcher import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, "--settings", str(home / "site.toml"), *argv],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.usefixtures("models")
def test_a_quiet_run_prints_nothing_but_its_answer_and_verbose_shows_the_native_lines(
    tmp_path: Path, faces: Path
) -> None:
    (tmp_path / "site.toml").write_text(NO_LIVENESS, encoding="utf-8")
    photos = tmp_path / "photos"
    photos.mkdir()
    for name in ("deepface_img29.jpg", "deepface_img30.jpg", "deepface_img32.jpg"):
        (photos / name).symlink_to(faces / "photos" / "Matt_Damon" / name)
    steps = [
        ("init",),
        ("add-subject", "--member", "MD", "--name", "Matt", "--dob", "1970-10-08"),
        ("consent", "--member", "MD", "--accept"),
        ("enroll", "--member", "MD", "--camera", str(photos)),
        (
            "verify",
            "--member",
            "MD",
            "--camera",
            str(faces / "photos/Matt_Damon/deepface_img33.jpg"),
        ),
        ("check-models",),
    ]
    answers = {}
    for step in steps:
        run = _cli(tmp_path, *step)
        assert (run.returncode, run.stderr) == (0, ""), (step, run.stdout)
        answers[step[0]] = run.stdout
    assert "no image was stored" in answers["enroll"]  # 3 of 3 photos of the folder
    assert "Verified: Matt (MD)" in answers["verify"]

    # A file no decoder can open: the station says so in its own words; FFmpeg's own line
    # ("moov atom not found") only with --verbose.
    broken = tmp_path / "broken.mp4"
    broken.write_bytes((faces / "video" / "short_hamilton_clip.mp4").read_bytes()[:300_000])
    quiet = _cli(tmp_path, "enroll", "--member", "MD", "--camera", str(broken))
    loud = _cli(tmp_path, "--verbose", "enroll", "--member", "MD", "--camera", str(broken))
    for run in (quiet, loud):
        assert run.returncode == 1
        assert "is not a video file that can be decoded" in run.stdout + run.stderr
    assert "moov atom not found" not in quiet.stderr
    assert "moov atom not found" in loud.stderr


def test_an_error_the_station_prints_still_shows_on_a_quiet_run(tmp_path: Path) -> None:
    (tmp_path / "site.toml").write_text(NO_LIVENESS, encoding="utf-8")
    run = _cli(tmp_path, "verify", "--member", "MD", "--camera", str(tmp_path / "nothing.mp4"))
    assert run.returncode != 0
    assert "error:" in run.stderr
