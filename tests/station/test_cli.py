"""`face-station` headless commands end to end: real store, real models, the real clip as camera."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from station.cli import HOME_ENV, SECRET_ENV, build_parser
from station.cli.common import (
    DEFAULT_OPERATOR,
    NEW_PASSWORD_ENV,
    OPERATOR_ENV,
    default_store_path,
)
from station.domain import AttemptFactor, AttemptState
from station.storage import Repositories, Store
from tests.conftest import run_cli

RELAXED_FOR_THE_CLIP = """
[enroll_gate]
min_eye_distance_px = 30
max_yaw = 0.25

[verify_gate]
min_eye_distance_px = 30

[store]
kdf_time_cost = 1
kdf_memory_kib = 8192
kdf_parallelism = 1

# The clip and the photos are not someone answering a challenge: this test is about the commands,
# the liveness check (R23) has its own (test_liveness_flows.py).
[liveness]
enabled = false
"""

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(SECRET_ENV, "front desk secret")
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    return tmp_path


@pytest.mark.usefixtures("models")
def test_init_enroll_verify_from_the_command_line(
    cli_home: Path, faces: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = cli_home / "site.toml"
    settings.write_text(RELAXED_FOR_THE_CLIP, encoding="utf-8")
    clip = str(faces / "video" / "short_hamilton_clip.mp4")
    common = ["--settings", str(settings)]
    assert run_cli([*common, "init"]) == 0
    assert (cli_home / "home" / "station.db").is_file()
    assert (
        run_cli(
            [
                *common,
                "add-subject",
                "--member",
                "LMM",
                "--name",
                "Lin-Manuel",
                "--dob",
                "1980-01-16",
            ]
        )
        == 0
    )
    # R1: no consent yet -> enrollment refused with a non-zero exit
    assert run_cli([*common, "enroll", "--member", "LMM", "--camera", clip]) == 1
    assert "consent" in capsys.readouterr().out
    assert run_cli([*common, "consent", "--member", "LMM", "--accept", "--language", "zh_CN"]) == 0
    assert "人脸" in capsys.readouterr().out  # the notice was shown before the answer was recorded
    assert run_cli([*common, "enroll", "--member", "LMM", "--camera", clip]) == 0
    assert "no image was stored" in capsys.readouterr().out
    same = str(faces / "photos" / "lin_manuel_miranda" / "face_recognition_lin-manuel-miranda.png")
    assert run_cli([*common, "verify", "--member", "LMM", "--camera", same]) == 0
    assert "Verified: Lin-Manuel (LMM)" in capsys.readouterr().out
    other = str(faces / "photos" / "obama" / "face_recognition_obama.jpg")
    assert run_cli([*common, "verify", "--member", "LMM", "--camera", other]) == 1
    assert run_cli([*common, "set-pin", "--member", "LMM", "--pin", "432187"]) == 0
    assert run_cli([*common, "verify-pin", "--member", "LMM", "--pin", "432187"]) == 0
    assert run_cli([*common, "delete-face", "--member", "LMM"]) == 0
    assert "Destroyed 1" in capsys.readouterr().out


def test_cli_errors_are_plain_words(cli_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["verify-pin", "--member", "X", "--pin", "1234"]) == 1
    assert "face-station init" in capsys.readouterr().err
    assert run_cli(["init"]) == 0
    assert run_cli(["init"]) == 1
    assert "already exists" in capsys.readouterr().err
    bad = cli_home / "bad.toml"
    bad.write_text("[match]\noperating_point = 'high'\n", encoding="utf-8")
    assert run_cli(["--settings", str(bad), "init"]) == 2
    assert "operating_point must be one of 1e-3, 1e-4, 1e-5" in capsys.readouterr().err
    assert run_cli(["verify", "--member", "X", "--camera", str(cli_home / "missing.mp4")]) == 1
    with pytest.raises(SystemExit):
        run_cli(["eval", str(cli_home), "--enroll-images", "0"])
    assert "must be at least 1" in capsys.readouterr().err


def test_r22_the_operating_point_is_set_by_its_name_not_a_distance(
    cli_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`set match.operating_point=1e-3` names a point (TOML would read 1e-3 as a number); the
    distance an older station took is refused with what replaced it (issue 13, R22)."""
    assert run_cli(["init"]) == 0
    capsys.readouterr()
    assert run_cli(["set", "match.operating_point=1e-3"]) == 0
    assert "match.operating_point: '1e-4' -> '1e-3'" in capsys.readouterr().out
    assert run_cli(["set", "match.threshold=0.3"]) == 1
    assert "threshold (a distance) was replaced by operating_point" in capsys.readouterr().err
    assert run_cli(["set", "match.operating_point=0.001"]) == 1
    assert "operating_point must be one of 1e-3, 1e-4, 1e-5, got '0.001'" in (
        capsys.readouterr().err
    )


def test_r4_withdrawal_from_the_command_line(
    cli_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """R4: withdrawing is one command, as enrolling is; it is recorded as a withdrawal, not only a
    deletion, and the PIN keeps working."""
    assert run_cli(["init"]) == 0
    assert (
        run_cli(["add-subject", "--member", "M-9", "--name", "Li Na", "--dob", "1990-05-17"]) == 0
    )
    assert run_cli(["consent", "--member", "M-9", "--accept"]) == 0
    assert run_cli(["set-pin", "--member", "M-9", "--pin", "482913"]) == 0
    capsys.readouterr()
    assert run_cli(["withdraw", "--member", "M-9"]) == 0
    assert "Consent withdrawn" in capsys.readouterr().out
    assert run_cli(["audit", "show", "--limit", "3"]) == 0
    assert "face_consent_withdrawn" in capsys.readouterr().out
    assert run_cli(["verify-pin", "--member", "M-9", "--pin", "482913"]) == 0
    assert run_cli(["withdraw", "--member", "M-404"]) == 1
    assert "No member M-404" in capsys.readouterr().err


def test_with_no_terminal_and_no_password_the_cli_says_how_to_give_one(
    cli_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A script or a service runs with no terminal: the password comes from the environment, and
    without it the operator is told so in a sentence, not an EOFError traceback (issue 9)."""
    assert run_cli(["init"]) == 0
    monkeypatch.delenv(SECRET_ENV)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal, input at its end
    capsys.readouterr()
    assert run_cli(["audit", "verify"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: Password is needed") and SECRET_ENV in error
    assert "Traceback" not in error


@pytest.mark.usefixtures("models")
def test_eval_prints_the_accuracy_json(
    tmp_path: Path, faces: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """R22: the measuring tool works on any identity-per-folder set (symlinks, never copies)."""
    lfw = faces / "lfw"
    chosen = [d for d in sorted(lfw.iterdir()) if len(list(d.iterdir())) >= 5][:8]
    dataset = tmp_path / "set"
    dataset.mkdir()
    for identity in chosen:
        (dataset / identity.name).symlink_to(identity, target_is_directory=True)
    (dataset / "Only_Two").mkdir()
    for image in sorted((lfw / "Aaron_Sorkin").iterdir())[:2]:
        (dataset / "Only_Two" / image.name).symlink_to(image)

    (dataset / "Damaged").mkdir()
    (dataset / "Damaged" / "scan.jpg").write_bytes(b"not really a jpeg")
    (dataset / "README.txt").write_text("not an identity", encoding="utf-8")

    assert run_cli(["eval", str(dataset), "--max-images", "5", "--jobs", "2"]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""  # no terminal, no --verbose: the answer alone (issue 12)
    result = json.loads(printed.out)
    assert result["identities"] == 10 and result["templates"] == 8
    assert result["probe_only_identities"] == 2
    assert result["images"] == 8 * 5 + 2 + 1
    assert result["failure_to_acquire"] == 1 / result["images"]  # the damaged file, not a crash
    assert result["genuine_pairs"] == 8 * 2  # 5 images: 3 enroll, 2 probe
    assert result["impostor_pairs"] == 8 * 2 * 7 + 2 * 8
    assert set(result["fnmr_at_fmr"]) == {"0.01", "0.001", "0.0001", "0.00001"}
    for row in result["fnmr_at_fmr"].values():
        assert 0.0 <= row["fnmr"] <= 1.0 and isinstance(row["threshold"], float)
    assert 0.0 <= result["eer"] <= 0.5 and result["failure_to_enroll"] == 0.0
    assert result["seconds_per_template"] > 0
    # Issue 13: each network alone and the fused score the station decides on (the top level)
    assert set(result["models"]) == {"dlib", "sface", "fused"}
    for figures in result["models"].values():
        assert figures["genuine_pairs"] == result["genuine_pairs"]
        assert figures["genuine_mean"] < figures["impostor_mean"]
    assert result["models"]["fused"]["eer"] == result["eer"]
    assert set(result["at_operating_points"]) == {"1e-3", "1e-4", "1e-5"}
    # 1:N over the 8 templates: 16 mated searches, the 2 probe-only photos non-mated (R21)
    identification = result["identification"]
    assert identification["gallery_size"] == 8
    assert identification["mated_searches"] == 16 and identification["non_mated_searches"] == 2
    assert 0.0 <= identification["rank1"] <= 1.0
    for row in identification["at_operating_points"].values():
        assert 0.0 <= row["fnir"] <= 1.0 and row["fpir"] in (0.0, 0.5, 1.0)

    # One process or several: the same pairs and the same figures.
    assert run_cli(["eval", str(dataset), "--max-images", "5", "--jobs", "1"]) == 0
    alone = json.loads(capsys.readouterr().out)
    timing = {"seconds_per_template", "median_detect_ms", "median_descriptor_ms", "wall_seconds"}
    assert {k: v for k, v in alone.items() if k not in timing} == {
        k: v for k, v in result.items() if k not in timing
    }


def test_the_default_store_is_in_each_platforms_per_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the Windows and macOS installers say the data stays (and their uninstallers leave
    it); Linux keeps ~/.local/share/face-station."""
    monkeypatch.delenv(HOME_ENV, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "AppData" / "Local"))
    assert default_store_path("linux") == tmp_path / ".local/share/face-station/station.db"
    assert default_store_path("win32") == tmp_path / "AppData/Local/face-station/station.db"
    assert default_store_path("darwin") == (
        tmp_path / "Library/Application Support/face-station/station.db"
    )
    # LOCALAPPDATA missing (a stripped service environment): the folder it names by default.
    monkeypatch.delenv("LOCALAPPDATA")
    assert default_store_path("win32") == tmp_path / "AppData/Local/face-station/station.db"


def test_face_station_home_wins_on_every_platform(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "site"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "elsewhere"))
    for platform in ("linux", "win32", "darwin"):
        assert default_store_path(platform) == tmp_path / "site" / "station.db"


def test_the_default_operator_is_one_constant_and_the_readme_names_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 16 (6c): who signs in without --operator is DEFAULT_OPERATOR, written nowhere else in
    the code, and every sentence of the README that names the default names that one."""
    monkeypatch.delenv(OPERATOR_ENV, raising=False)
    assert build_parser().parse_args(["audit", "verify"]).operator == DEFAULT_OPERATOR
    literal = re.compile(rf"[\"']{re.escape(DEFAULT_OPERATOR)}[\"']")
    written = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "station").rglob("*.py"))
        if literal.search(path.read_text(encoding="utf-8"))
    ]
    assert written == ["station/cli/common.py"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"(?:--operator|OPERATOR)`?,? \(?default `([^`]+)`", readme)
    assert len(named) >= 2 and set(named) == {DEFAULT_OPERATOR}


def _set_attempts(home: Path, member: str, states: dict[AttemptFactor, AttemptState]) -> None:
    """Stands for failures counted earlier (100 wrong PINs through the CLI would take minutes)."""
    store = Store.open(home / "station.db", "admin", "front desk secret")
    try:
        repos = Repositories(store)
        subject = repos.subjects.by_member_number(member)
        assert subject is not None
        with store.transaction():
            for factor, state in states.items():
                repos.attempts.set(subject.id, factor, state)
    finally:
        store.close()


def test_r24_r5_an_administrator_re_enables_face_or_pin_from_the_command_line(
    cli_home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 16 item 6b: `reenable --member M [--face | --pin]`, audited; an operator is refused."""
    assert run_cli(["init"]) == 0
    assert run_cli(["add-subject", "--member", "M-9", "--name", "Li Na", "--card", "C-9"]) == 0
    assert run_cli(["set-pin", "--member", "M-9", "--pin", "482913"]) == 0
    off = AttemptState(100, datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))
    _set_attempts(cli_home / "home", "M-9", {AttemptFactor.FACE: off, AttemptFactor.PIN: off})
    capsys.readouterr()
    assert run_cli(["verify-pin", "--member", "C-9", "--pin", "482913"]) == 1
    assert "PIN verification is off" in capsys.readouterr().out

    monkeypatch.setenv(NEW_PASSWORD_ENV, "desk password 1")
    assert run_cli(["operator", "add", "--name", "Desk", "--role", "operator"]) == 0
    monkeypatch.setenv(SECRET_ENV, "desk password 1")
    capsys.readouterr()
    assert run_cli(["--operator", "Desk", "reenable", "--member", "M-9", "--pin"]) == 1
    assert "may not do this" in capsys.readouterr().err
    monkeypatch.setenv(SECRET_ENV, "front desk secret")

    assert run_cli(["reenable", "--member", "M-9", "--pin"]) == 0
    assert (
        capsys.readouterr().out == "PIN verification re-enabled for M-9 (100 failures cleared).\n"
    )
    assert run_cli(["verify-pin", "--member", "C-9", "--pin", "482913"]) == 0
    assert run_cli(["reenable", "--member", "M-9", "--face"]) == 0
    assert "Face verification re-enabled for M-9 (100 failures cleared)." in capsys.readouterr().out
    _set_attempts(cli_home / "home", "M-9", {AttemptFactor.FACE: off, AttemptFactor.PIN: off})
    assert run_cli(["reenable", "--member", "M-9"]) == 0  # neither flag: both
    assert capsys.readouterr().out.splitlines() == [
        "Face verification re-enabled for M-9 (100 failures cleared).",
        "PIN verification re-enabled for M-9 (100 failures cleared).",
    ]
    assert run_cli(["audit", "show", "--limit", "20"]) == 0
    trail = capsys.readouterr().out
    assert trail.count("pin_reenabled") == 2 and trail.count("face_reenabled") == 2
    assert "482913" not in trail
    with pytest.raises(SystemExit):
        run_cli(["reenable", "--member", "M-9", "--face", "--pin"])
    assert run_cli(["reenable", "--member", "M-404"]) == 1
    assert "No member M-404" in capsys.readouterr().err
