"""The shipped calibration table (R22, issue 13): what it holds, and a missing or damaged one
named in words an operator can act on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.biometrics import calibration
from station.biometrics.calibration import (
    OPERATING_POINTS,
    CalibrationError,
    read_calibration,
    shipped_calibration,
)
from station.biometrics.model_sets import CURRENT, MODEL_SETS
from station.cli import main


@pytest.fixture
def installed_resources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An install's resources folder the test may damage; the cached table is read again."""
    monkeypatch.setattr(calibration, "resources_dir", lambda: tmp_path)
    shipped_calibration.cache_clear()
    yield tmp_path
    shipped_calibration.cache_clear()


def test_r22_every_version_has_each_operating_point_ordered_by_strictness() -> None:
    table = shipped_calibration()
    assert set(table.sets) == {model_set.version for model_set in MODEL_SETS}
    for model_set in MODEL_SETS:
        entry = table.of(model_set)
        assert len(entry.scales) == len(model_set.parts)
        assert entry.impostor_pairs >= 1 / min(float(p) for p in OPERATING_POINTS)
        points = [entry.points[name] for name in OPERATING_POINTS]  # 1e-3, then stricter
        assert [p.threshold for p in points] == sorted((p.threshold for p in points), reverse=True)
        assert [p.fnmr for p in points] == sorted(p.fnmr for p in points)
        for point in points:
            assert point.fmr <= point.target_fmr
    # Issue 13: the fused current version rejects fewer genuine people than dlib alone did.
    assert table.of(CURRENT).points["1e-4"].fnmr < table.of(MODEL_SETS[0]).points["1e-4"].fnmr


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "is missing"),
        ("{not json", "cannot be used"),
        (json.dumps({"data": "x", "method": "y", "measured_on": "z", "model_sets": {}}), "'1'"),
    ],
)
def test_a_missing_or_damaged_table_is_named_with_what_to_do(
    installed_resources: Path, content: str | None, said: str
) -> None:
    path = installed_resources / "calibration.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CalibrationError) as raised:
        read_calibration(path)
    assert said in str(raised.value) and "reinstall the station" in str(raised.value)


def test_self_check_fails_without_the_calibration_table(
    installed_resources: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["self-check"]) == 1
    out = capsys.readouterr().out
    assert "FAILED  calibration table: The calibration table" in out
    assert out.rstrip().endswith("Self-check FAILED: no calibration table")


def test_self_check_names_the_calibration_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["self-check"]) == 0
    assert f"ok  calibration table: {shipped_calibration().data}" in capsys.readouterr().out
