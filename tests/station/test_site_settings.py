"""Issue 16: a settings file has one audited way in (R12). Only an administrator's session applies
a file that changes the station's settings, each change audited in their name; for any other
role such a file is refused at sign-in and the store's settings stay in force. Real SQLCipher
stores, real models and the real command line."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from station.biometrics.calibration import OPERATING_POINTS, shipped_calibration
from station.biometrics.model_sets import DLIB_ONLY
from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource
from station.cli import SECRET_ENV, main
from station.domain import (
    SYSTEM_OPERATOR,
    AuditEvent,
    EnrollStatus,
    RefusalCode,
    Role,
    ServiceError,
)
from station.services import Station
from station.services.opening import create_station, open_station
from station.settings import Settings, SettingsError
from station.storage.audit_links import LINK_STATE
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    NO_SETTINGS_FILE,
    STORE_SECRET,
    TEST_BOUNDS,
    FrozenClock,
    fast_settings,
    run_cli,
)

Camera = Callable[[], FrameSource]
DESK = "Desk 2"
DESK_PASSWORD = "desk two password"
MEMBER = "M-1"
ANGELINA = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
ANGELINA_AGAIN = "Angelina_Jolie/deepface_img4.jpg"
SOMEONE_ELSE = "Jennifer_Aniston/deepface_img3.jpg"
REFUSAL = "only an administrator can apply it; sign in as one, or start without --settings."


@pytest.fixture
def store_with_a_desk(
    tmp_path: Path,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    photo_camera: Callable[..., Camera],
) -> Iterator[Path]:
    """A store made by its first administrator, with an enrolled member and an operator account."""
    path = tmp_path / "station.db"
    station = create_station(
        path, ADMIN, STORE_SECRET, fast_settings(), frozen_clock, lambda: models
    ).station
    station.accounts.add_operator(DESK, Role.OPERATOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    station.subjects.register(MEMBER, "Angelina Test", ADULT_BIRTH, ADMIN)
    station.consents.record(MEMBER, True, station.notices.current("en"), ADMIN)
    outcome = station.enrollment.enroll(MEMBER, photo_camera(*ANGELINA), ADMIN)
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    station.store.close()  # not station.close(): the models are the session's
    yield path


def _site_file(folder: Path, text: str) -> Settings:
    path = folder / "site.toml"
    path.write_text(text, encoding="utf-8")
    return Settings.load(path, TEST_BOUNDS)


def _admin(path: Path, clock: FrozenClock, settings: Settings = NO_SETTINGS_FILE) -> Station:
    return open_station(path, ADMIN, STORE_SECRET, settings, clock)


def test_r12_r22_an_operators_looser_settings_file_is_refused_and_another_face_is_not_verified(
    store_with_a_desk: Path,
    tmp_path: Path,
    faces: Path,
    frozen_clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The adversarial run of issue 16: an operator starts with their own settings file to make
    any face match. The sign-in is refused with the reason, nothing is verified, the store's
    operating point stays in force and the attempt is in the audit trail under the operator's
    name."""
    path = store_with_a_desk
    monkeypatch.setenv(SECRET_ENV, DESK_PASSWORD)
    desk = ["--store", str(path), "--operator", DESK]
    someone_else = str(faces / "photos" / SOMEONE_ELSE)
    verify = ["verify", "--member", MEMBER, "--camera", someone_else]

    beyond = tmp_path / "beyond.toml"
    beyond.write_text("[match]\noperating_point = '1e-1'\n", encoding="utf-8")
    assert run_cli([*desk, "--settings", str(beyond), *verify]) == 2  # not a point R22 allows
    assert "operating_point must be one of 1e-3, 1e-4, 1e-5" in capsys.readouterr().err

    loose = tmp_path / "loose.toml"  # the loosest the rules allow, still not the operator's
    loose.write_text(
        "[match]\noperating_point = '1e-3'\n\n[store]\nkdf_time_cost = 1\n", encoding="utf-8"
    )
    # kdf_time_cost is the store's own value: only what differs counts.
    assert run_cli([*desk, "--settings", str(loose), *verify]) == 1
    out, err = capsys.readouterr()
    assert "Verified" not in out
    assert err.startswith(f"error: The settings file {loose} differs from the station's")
    assert "(match.operating_point):" in err and err.endswith(f"{REFUSAL} Nothing was changed.\n")

    # Without the file the same operator works with the store's settings: not this face.
    assert run_cli([*desk, *verify]) == 1
    assert "Verified" not in capsys.readouterr().out
    same = str(faces / "photos" / ANGELINA_AGAIN)
    assert run_cli([*desk, "verify", "--member", MEMBER, "--camera", same]) == 0

    station = _admin(path, frozen_clock)
    try:
        assert station.settings.match.operating_point == "1e-4"
        events = station.repos.audit.events()
        refused = [e for e in events if e.kind == "access_denied"]
        assert [e.operator for e in refused] == [DESK]
        assert refused[0].detail["file"] == str(loose)
        assert refused[0].detail["changes"]["match.operating_point"] == ["1e-4", "1e-3"]
        changed = [e for e in events if e.kind == "settings_changed"]
        assert all(e.operator == ADMIN for e in changed)
    finally:
        station.close()


def test_r12_an_administrators_settings_file_is_applied_audited_in_their_name_and_kept(
    store_with_a_desk: Path, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    """Every difference, the gates and Argon2id included (not editable in the app), is one audited
    change by the administrator who signed in; the store keeps every setting, so the station
    runs the same without the file afterwards."""
    path = store_with_a_desk
    before = _admin(path, frozen_clock)
    version = before.notice.version
    before.close()
    site = _site_file(
        tmp_path,
        "[match]\noperating_point = '1e-5'\n\n[capture]\nenroll_frames = 2\n\n"
        "[enroll_gate]\nmin_sharpness = 80\n\n[store]\nkdf_time_cost = 4\n",
    )
    station = _admin(path, frozen_clock, site)
    try:
        changed = [e for e in station.repos.audit.events() if e.kind == "settings_changed"][-1]
        assert changed.operator == ADMIN
        assert changed.detail["source"] == "settings file"
        assert changed.detail["file"] == site.source
        assert changed.detail["changes"] == {
            "match.operating_point": ["1e-4", "1e-5"],
            "capture.enroll_frames": [3, 2],
            "enroll_gate.min_sharpness": [60.0, 80.0],
            "store.kdf_time_cost": [1, 4],
        }
        # R3: the frame count is in the notice, so the administrator published a new version.
        assert station.notice.version == version + 1 and station.notice.operator == ADMIN
        recorded = station.repos.settings.recorded()
        assert recorded == station.settings.as_mapping()  # every setting, not only the changed
    finally:
        station.close()

    again = _admin(path, frozen_clock)  # no file
    try:
        assert again.settings.match.operating_point == "1e-5"
        assert again.settings.capture.enroll_frames == 2
        assert again.settings.enroll_gate.min_sharpness == 80.0
        assert again.settings.store.kdf_time_cost == 4
        assert again.notice.version == version + 1
    finally:
        again.close()


def test_r12_a_settings_file_identical_to_the_stores_settings_is_fine_for_an_operator(
    store_with_a_desk: Path, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    path = store_with_a_desk
    site = _site_file(
        tmp_path,
        "[match]\noperating_point = '1e-4'\n\n[store]\nkdf_time_cost = 1\nkdf_parallelism = 1\n",
    )
    desk = open_station(path, DESK, DESK_PASSWORD, site, frozen_clock)
    try:
        assert desk.signed_in.role is Role.OPERATOR
        kinds = [e.kind for e in desk.repos.audit.events()]
        assert kinds[-1] == "sign_in" and "access_denied" not in kinds
    finally:
        desk.close()


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("[store]\nkdf_time_cost = 3\nkdf_memory_kib = 65536\n", "store.kdf_memory_kib, "),
        ("[enroll_gate]\nmin_eye_distance_px = 30\n", "enroll_gate.min_eye_distance_px"),
        ("[capture]\nenroll_frames = 2\n", "capture.enroll_frames"),
    ],
    ids=["own-key-slot-kdf", "gate", "notice-frames"],
)
def test_r12_an_operator_cannot_reach_the_kdf_the_gates_or_the_notice_through_a_file(
    store_with_a_desk: Path, tmp_path: Path, frozen_clock: FrozenClock, text: str, keys: str
) -> None:
    """Issue 16's other doors: re-sealing one's own key slot with another Argon2id, the quality
    gates, and a new notice version forcing everyone to consent again."""
    path = store_with_a_desk
    before = _admin(path, frozen_clock)
    notice, settings = before.notice.version, before.settings
    before.close()
    with pytest.raises(ServiceError) as refused:
        open_station(path, DESK, DESK_PASSWORD, _site_file(tmp_path, text), frozen_clock)
    assert refused.value.code is RefusalCode.SETTINGS_FILE_NEEDS_ADMINISTRATOR
    assert keys in refused.value.details["settings"]
    after = _admin(path, frozen_clock)
    try:
        assert after.settings == settings and after.notice.version == notice
    finally:
        after.close()


def test_r12_r22_a_store_from_before_issue_16_keeps_the_settings_its_snapshot_recorded(
    store_with_a_desk: Path, frozen_clock: FrozenClock
) -> None:
    """An older store kept rows only for changes made in the app, and a snapshot of the settings
    in force (a settings file's values included): both stay in force without the file, and the
    first sign-in turns them into one row per setting. Such a store decided on a distance: the
    threshold in force (the row's, over the snapshot's) becomes its operating point (issue 13)."""
    path = store_with_a_desk
    station = _admin(path, frozen_clock)
    snapshot = station.settings.as_mapping()
    snapshot["store"]["retention_days"] = 200  # from the site's file, back then
    snapshot["match"] = {"threshold": 0.32, "one_to_many": False}  # before issue 13
    distance, point = _distance_of("1e-3")  # the row an administrator's change left
    with station.store.transaction():
        station.store.execute("DELETE FROM settings_overrides")
        station.store.execute(
            "INSERT INTO settings_overrides VALUES ('match', 'threshold', ?)",
            (json.dumps(distance),),
        )
        station.store.set_meta_value("settings_snapshot", json.dumps(snapshot))
    events = len(station.repos.audit.events())
    station.close()

    desk = open_station(path, DESK, DESK_PASSWORD, NO_SETTINGS_FILE, frozen_clock)
    try:
        assert desk.settings.store.retention_days == 200
        assert desk.settings.match.operating_point == point
        assert desk.store.meta_value("settings_snapshot") is None
        assert desk.repos.settings.recorded() == desk.settings.as_mapping()
        new = desk.repos.audit.events()[events:]
        assert [(e.kind, e.operator) for e in new] == [
            ("settings_changed", SYSTEM_OPERATOR),  # the conversion
            ("notice_published", SYSTEM_OPERATOR),  # the snapshot's retention, in the notice
            ("sign_in", DESK),
        ]
        assert new[0].detail["changes"] == {
            "match.threshold": [distance, None],
            "match.operating_point": [None, point],
        }
    finally:
        desk.close()


def _distance_of(point: str) -> tuple[float, str]:
    """A dlib distance near `point`'s own (its version-1 threshold turned back into a distance:
    impostor mean + threshold * impostor spread), and the point: what a conversion must find."""
    dlib = shipped_calibration().of(DLIB_ONLY)
    scale = dlib.scales[0]
    return round(scale.impostor_mean + dlib.threshold(point) * scale.impostor_std, 3), point


def _kept(station: Station) -> tuple[dict[tuple[str, str], str], dict[str, str], list[AuditEvent]]:
    """Everything a conversion could touch: the settings' rows, the station's own values (but the
    audit trail's head and link key, which follow every event) and the audit trail."""
    rows = station.store.execute("SELECT section, key, value FROM settings_overrides").fetchall()
    meta = station.store.execute(
        "SELECT key, value FROM station_meta WHERE key NOT IN ('audit_head', ?)", (LINK_STATE,)
    ).fetchall()
    return (
        {(section, key): value for section, key, value in rows},
        dict(meta),
        station.repos.audit.events(),
    )


@pytest.mark.parametrize(
    ("distance", "point"),
    [(0.32, "1e-4"), *(_distance_of(point) for point in OPERATING_POINTS)],
    ids=["shipped-0.32", *OPERATING_POINTS],
)
def test_r12_r22_a_stores_distance_threshold_becomes_the_nearest_operating_point_audited_once(
    store_with_a_desk: Path, frozen_clock: FrozenClock, distance: float, point: str
) -> None:
    """Issue 13: every store kept before it holds `match.threshold`, a dlib distance. Its first
    sign-in keeps instead the operating point whose version-1 threshold, as a distance, is
    nearest (the shipped 0.32 is 1e-4), audited as the system's change from the old value to the
    new point; nothing else in the store changes, and the next sign-in converts nothing."""
    path = store_with_a_desk
    station = _admin(path, frozen_clock)
    with station.store.transaction():  # the row every store kept before issue 13
        station.store.execute(
            "DELETE FROM settings_overrides WHERE section = 'match' AND key = 'operating_point'"
        )
        station.store.execute(
            "INSERT INTO settings_overrides VALUES ('match', 'threshold', ?)",
            (json.dumps(distance),),
        )
    rows, meta, events = _kept(station)
    notice, templates = station.notice.version, station.repos.templates.count()
    station.close()

    desk = open_station(path, DESK, DESK_PASSWORD, NO_SETTINGS_FILE, frozen_clock)
    try:
        assert desk.settings.match.operating_point == point
        rows_after, meta_after, events_after = _kept(desk)
        del rows[("match", "threshold")]
        assert rows_after == {**rows, ("match", "operating_point"): json.dumps(point)}
        assert meta_after == meta
        assert events_after[: len(events)] == events
        conversion, *rest = events_after[len(events) :]
        assert [e.kind for e in rest] == ["sign_in"]
        assert (conversion.kind, conversion.operator) == ("settings_changed", SYSTEM_OPERATOR)
        assert conversion.detail["source"] == "conversion"
        assert "replaced by operating_point" in conversion.detail["reason"]
        assert conversion.detail["changes"] == {
            "match.threshold": [distance, None],
            "match.operating_point": [None, point],
        }
        assert desk.notice.version == notice and desk.repos.templates.count() == templates
    finally:
        desk.close()

    again = open_station(path, DESK, DESK_PASSWORD, NO_SETTINGS_FILE, frozen_clock)
    try:
        assert again.settings.match.operating_point == point
        changed = [e for e in again.repos.audit.events() if e.kind == "settings_changed"]
        assert [e.seq for e in changed if e.operator == SYSTEM_OPERATOR] == [conversion.seq]
    finally:
        again.close()


def test_r12_stored_settings_outside_the_bounds_stop_sign_in_until_an_administrator_corrects_them(
    store_with_a_desk: Path, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    """A store written before the bounds may hold a longer retention: nobody works with it, and
    an administrator's file that sets an allowed value is the way back."""
    path = store_with_a_desk
    station = _admin(path, frozen_clock)
    with station.store.transaction():
        station.store.execute(
            "UPDATE settings_overrides SET value = ? WHERE section = ? AND key = ?",
            (json.dumps(5000), "store", "retention_days"),
        )
    station.close()
    with pytest.raises(ServiceError) as unusable:
        open_station(path, DESK, DESK_PASSWORD, NO_SETTINGS_FILE, frozen_clock)
    assert unusable.value.code is RefusalCode.SETTINGS_UNUSABLE
    assert "retention_days must be at most 1825 (R14), got 5000" in str(unusable.value)
    corrected = _admin(path, frozen_clock, _site_file(tmp_path, "[store]\nretention_days = 365\n"))
    corrected.close()
    open_station(path, DESK, DESK_PASSWORD, NO_SETTINGS_FILE, frozen_clock).close()


def test_r12_the_tests_weak_kdf_and_small_faces_are_never_reachable_from_a_settings_file(
    tmp_path: Path,
) -> None:
    """Tests lower the bounds through Settings(bounds=...), a constructor argument: no TOML key
    reaches it (a `bounds` key or table is an unknown section), and the console script's bounds
    are the rules' (main() without `bounds`)."""
    site = tmp_path / "weak.toml"
    for text in ("bounds = 1\n", "[bounds]\nstore.kdf_time_cost = 1\n"):
        site.write_text(text, encoding="utf-8")
        with pytest.raises(SettingsError, match=r"unknown section\(s\) \['bounds'\]"):
            Settings.load(site, TEST_BOUNDS)
    for text, refusal in (
        ("[store]\nkdf_time_cost = 1\n", r"kdf_time_cost must be at least 3 \(R12\)"),
        ("[store]\nkdf_memory_kib = 8192\n", r"kdf_memory_kib must be at least 65536 \(R12\)"),
        ("[enroll_gate]\nmin_eye_distance_px = 30\n", r"must be at least 60.0 \(R26\)"),
    ):
        site.write_text(text, encoding="utf-8")
        with pytest.raises(SettingsError, match=refusal):
            Settings.load(site)
    assert main(["--store", str(tmp_path / "station.db"), "--settings", str(site), "init"]) == 2
    assert not (tmp_path / "station.db").exists()
