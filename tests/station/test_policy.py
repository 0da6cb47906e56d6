"""The rules as behaviour: notices (R2, R3), declines (R6), minors (R7), audit (R12), retention and
destruction (R14), records (R17) — on a real SQLCipher store, with the clock injected."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from station.biometrics.model_sets import CURRENT
from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource
from station.domain import (
    UNKNOWN_NAME,
    EnrollStatus,
    FaceEligibility,
    Guardian,
    ServiceError,
    VerifyStatus,
)
from station.policy.consent import age_on
from station.services import Station
from station.services.administration import DECOMMISSION_CONFIRMATION
from station.services.opening import SignInThrottledError, open_station
from station.settings import (
    CaptureSettings,
    PolicySettings,
    Settings,
    SettingsError,
    SiteSettings,
)
from station.storage import MissingStoreError, Store, WrongKeyError
from station.storage.keys import key_file_path, read_key_file
from station.storage.signins import pending_path, read_failed_sign_ins
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    NO_SETTINGS_FILE,
    STORE_SECRET,
    CountingCamera,
    FrozenClock,
    create_store,
    fast_settings,
    open_store,
    run_cli,
)

Camera = Callable[[], FrameSource]
ENROLL_PHOTOS = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
VERIFY_PHOTO = "Angelina_Jolie/deepface_img4.jpg"


def _member(station: Station, member: str = "M-1", born: date | None = ADULT_BIRTH) -> None:
    station.subjects.register(member, "Test Member", born, "desk-1")


def _consent(
    station: Station,
    member: str = "M-1",
    accepted: bool = True,
    guardian: Guardian | None = None,
    on_request: bool = False,
) -> None:
    station.consents.record(
        member,
        accepted,
        station.notices.current("en"),
        "desk-1",
        guardian=guardian,
        on_request=on_request,
    )


def _subject_id(station: Station, member: str = "M-1") -> str:
    subject = station.subjects.find(member)
    assert subject is not None
    return subject.id


@pytest.fixture
def enrolled(station: Station, photo_camera: Callable[..., Camera]) -> Station:
    _member(station)
    _consent(station)
    outcome = station.enrollment.enroll("M-1", photo_camera(*ENROLL_PHOTOS), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    return station


def _reopen(
    station: Station, settings: Settings, clock: FrozenClock, models: BiometricModels
) -> Station:
    path = station.store.path
    station.close()
    return open_station(path, ADMIN, STORE_SECRET, settings, clock, lambda: models)


# R2 notice content
# Each of R2's points is one line of the notice, starting with its label.
NOTICE_LABELS = {
    "en": {
        "controller": "Who:",
        "purpose": "Why:",
        "data": "What is kept:",
        "volume": "How much:",
        "method": "Where:",
        "retention": "How long:",
        "rights": "Your rights:",
        "alternative": "No face needed:",
    },
    "zh_CN": {
        "controller": "处理者：",
        "purpose": "目的：",
        "data": "保存的内容：",
        "volume": "数量：",
        "method": "处理方式：",
        "retention": "保存期限：",
        "rights": "您的权利：",
        "alternative": "无需人脸：",
    },
}
ACME = SiteSettings(
    controller="Acme Fitness Ltd",
    controller_zh_cn="艾克美健身有限公司",
    contact="privacy@acme.example, +86 10 5555 0100",
    contact_zh_cn="privacy@acme.example，电话 +86 10 5555 0100",
    purpose="to let members in at the gate",
    purpose_zh_cn="用于会员在闸机入场时核验",
)


def _notice_lines(station: Station, language: str) -> dict[str, str]:
    """The current notice's line for each of R2's points, found by its label (exactly one each)."""
    lines = station.notices.current(language).text.splitlines()
    found = {}
    for point, label in NOTICE_LABELS[language].items():
        (line,) = [line for line in lines if line.startswith(label)]
        found[point] = line
    return found


def test_r2_the_notice_names_every_field_in_both_languages_with_the_live_retention(
    tmp_store: Store,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    photo_camera: Callable[..., Camera],
) -> None:
    """Each point of R2 in its own line of the notice, in English and in Chinese, with the site's
    controller, contact and purpose, the frame count and the retention the station runs with: an
    unusual count (2) and a retention changed while it runs (200 days) show up where they are
    stated, and enrollment takes the frames the notice says."""
    settings = fast_settings(
        site=ACME, capture=dataclasses.replace(CaptureSettings(), enroll_frames=2)
    )
    station = Station(tmp_store, ADMIN, settings, frozen_clock, models=lambda: models)
    english, chinese = _notice_lines(station, "en"), _notice_lines(station, "zh_CN")

    assert english["controller"] == (
        "Who: Acme Fitness Ltd. Questions or requests: privacy@acme.example, +86 10 5555 0100."
    )
    assert chinese["controller"] == (
        "处理者：艾克美健身有限公司。咨询或请求：privacy@acme.example，电话 +86 10 5555 0100。"
    )
    assert english["purpose"] == "Why: to let members in at the gate."
    assert chinese["purpose"] == "目的：用于会员在闸机入场时核验。"
    # What is kept: one numeric template of the size enrollment makes now, and no image.
    assert "one numeric face template" in english["data"]
    assert f"a list of {CURRENT.size} numbers" in english["data"]
    assert "No photo or video of you is kept." in english["data"]
    assert "一个数字化人脸特征模板" in chinese["data"]
    assert (
        f"{CURRENT.size} 个数字" in chinese["data"]
        and "不保存您的任何照片或视频" in chinese["data"]
    )
    # How much: the frame count the station is set to, in the sentence that states it.
    assert "(2 for enrollment, usually 1 to verify)" in english["volume"]
    assert "（注册 2 帧，核验通常 1 帧）" in chinese["volume"]
    # How: on this device only.
    assert "on this device only" in english["method"]
    assert "Nothing is sent anywhere." in english["method"]
    assert "仅在本设备上处理" in chinese["method"] and "不向任何地方发送" in chinese["method"]
    # Rights, and how to use them.
    for right in (
        "refuse",
        "withdraw at any time",
        "ask what is held about you",
        "have it deleted",
    ):
        assert right in english["rights"]
    assert english["rights"].endswith("ask the operator at the desk.")
    for right in ("拒绝", "随时撤回同意", "查询本站保存的关于您的信息", "要求删除"):
        assert right in chinese["rights"]
    assert chinese["rights"].endswith("请向前台工作人员提出。")
    # The way without the face.
    assert "PIN" in english["alternative"] and "ID document" in english["alternative"]
    assert "PIN 码" in chinese["alternative"] and "身份证件" in chinese["alternative"]

    # How long: the retention in force, followed when an administrator changes it.
    assert "after 365 days" in english["retention"] and "365 天后" in chinese["retention"]
    station.configuration.update({"store": {"retention_days": 200}}, ADMIN)
    english, chinese = _notice_lines(station, "en"), _notice_lines(station, "zh_CN")
    assert english["retention"] == (
        "How long: the template is destroyed automatically after 200 days, or at once when you "
        "withdraw consent."
    )
    assert chinese["retention"] == "保存期限：模板在 200 天后自动销毁；您撤回同意时立即销毁。"

    # The count the notice states is the count enrollment takes.
    station.subjects.register("M-2", "Test Member", ADULT_BIRTH, "desk-1")
    station.consents.record("M-2", True, station.notices.current("en"), "desk-1")
    enrolled = station.enrollment.enroll("M-2", photo_camera(*ENROLL_PHOTOS), "desk-1")
    assert enrolled.status is EnrollStatus.ENROLLED, enrolled.message
    assert enrolled.frames_used == 2


def test_r2_the_chinese_notice_never_shows_the_english_defaults() -> None:
    from station.policy.notice import notice_text

    chinese = notice_text(Settings(), "zh_CN")
    assert "The organisation" not in chinese and "front desk" not in chinese
    assert "运营本设备的机构" in chinese


# R3 changed notice -> consent renewed
def test_r3_a_changed_notice_makes_consent_stale_until_the_person_is_asked_again(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    station = enrolled
    first = station.notice
    change = station.configuration.update({"store": {"retention_days": 200}}, "admin")
    assert change.notice_republished and change.notice.version == first.version + 1
    assert "200" in station.notices.current("en").text

    assert station.consents.decision("M-1").eligibility is FaceEligibility.RENEW
    camera = CountingCamera(photo_camera(VERIFY_PHOTO))
    refused = station.verification.face("M-1", camera, "desk-1")
    assert refused.status is VerifyStatus.CONSENT_NEEDED
    assert camera.opened == 0  # R3: asked again before any face use
    assert station.enrollment.enroll("M-1", camera, "desk-1").status is EnrollStatus.NO_CONSENT
    assert camera.opened == 0

    with pytest.raises(ServiceError, match="not the current one"):
        station.consents.record("M-1", True, first.rendered("en"), "desk-1")
    _consent(station)
    assert station.verification.face("M-1", camera, "desk-1").status is VerifyStatus.ACCEPTED


def test_r3_r12_a_settings_file_changed_between_runs_republishes_and_is_audited_by_the_admin(
    enrolled: Station, settings: Settings, frozen_clock: FrozenClock, models: BiometricModels
) -> None:
    version = enrolled.notice.version
    changed = dataclasses.replace(
        settings, site=SiteSettings(controller="New Owner Ltd", contact="the manager")
    )
    station = _reopen(enrolled, changed, frozen_clock, models)
    try:
        assert station.notice.version == version + 1
        assert "New Owner Ltd" in station.notices.current("zh_CN").text
        assert station.consents.decision("M-1").eligibility is FaceEligibility.RENEW
        events = station.repos.audit.events()
        change = [e for e in events if e.kind == "settings_changed"][-1]
        assert change.operator == ADMIN  # issue 16: the administrator who applied it, not "system"
        assert change.detail["source"] == "settings file"
        assert change.detail["changes"]["site.controller"][1] == "New Owner Ltd"
        published = next(e for e in events if e.seq > change.seq)
        assert published.kind == "notice_published" and published.operator == ADMIN
    finally:
        station.close()


def test_r3_publishing_the_same_words_again_still_asks_everyone_again(enrolled: Station) -> None:
    enrolled.notices.publish("admin")
    assert enrolled.consents.decision("M-1").eligibility is FaceEligibility.RENEW


# R6 no nagging
def test_r6_a_decline_suppresses_face_prompts_for_48_hours_unless_the_person_asks(
    station: Station, frozen_clock: FrozenClock
) -> None:
    _member(station)
    _consent(station, accepted=False)
    decision = station.consents.decision("M-1")
    assert decision.eligibility is FaceEligibility.DECLINED_RECENTLY and not decision.may_prompt
    assert decision.quiet_until == frozen_clock.now() + timedelta(hours=48)
    with pytest.raises(ServiceError, match="Do not ask again"):
        _consent(station)

    frozen_clock.advance(timedelta(hours=47, minutes=59))
    assert not station.consents.decision("M-1").may_prompt
    frozen_clock.advance(timedelta(minutes=1))
    assert station.consents.decision("M-1").may_prompt


def test_r6_the_person_may_still_ask_for_face_enrollment_within_the_quiet_time(
    station: Station,
) -> None:
    _member(station)
    _consent(station, accepted=False)
    _consent(station, on_request=True)
    assert station.consents.decision("M-1").allowed
    accepted = station.repos.audit.events()[-1]
    assert accepted.kind == "face_consent_accepted" and accepted.detail["on_request"] is True


def test_r6_withdrawal_counts_as_a_decline(enrolled: Station) -> None:
    enrolled.subjects.withdraw_face_consent("M-1", "desk-1")
    assert enrolled.consents.decision("M-1").eligibility is FaceEligibility.DECLINED_RECENTLY


# R7 minors
def test_r7_age_is_counted_on_the_day_of_capture() -> None:
    assert age_on(date(2012, 11, 28), date(2026, 11, 27)) == 13
    assert age_on(date(2012, 11, 28), date(2026, 11, 28)) == 14
    assert age_on(date(2012, 2, 29), date(2026, 2, 28)) == 13
    assert age_on(date(2012, 2, 29), date(2026, 3, 1)) == 14


def test_r7_under_14_no_face_enrollment_by_default_and_the_alternative_is_offered(
    station: Station, frozen_clock: FrozenClock, photo_camera: Callable[..., Camera]
) -> None:
    _member(station, born=date(2012, 11, 28))  # 14 tomorrow
    decision = station.consents.decision("M-1")
    assert decision.eligibility is FaceEligibility.MINOR_BLOCKED and decision.age == 13
    assert "PIN" in decision.message
    with pytest.raises(ServiceError, match="minors"):
        _consent(station)
    camera = CountingCamera(photo_camera(*ENROLL_PHOTOS))
    outcome = station.enrollment.enroll("M-1", camera, "desk-1")
    assert outcome.status is EnrollStatus.NOT_ALLOWED and camera.opened == 0
    assert station.repos.templates.for_subject(_subject_id(station)) is None
    station.subjects.set_pin("M-1", "246813", "desk-1")  # the alternative works for them (R5)
    assert station.verification.pin("M-1", "246813", "desk-1").status is VerifyStatus.ACCEPTED

    frozen_clock.advance(timedelta(days=1))  # the birthday
    assert station.consents.decision("M-1").eligibility is FaceEligibility.ASK


def test_r7_no_date_of_birth_means_no_face_enrollment(station: Station) -> None:
    _member(station, born=None)
    assert station.consents.decision("M-1").eligibility is FaceEligibility.NEEDS_DATE_OF_BIRTH
    with pytest.raises(ServiceError, match="date of birth"):
        _consent(station)


def test_r7_guardian_policy_needs_a_recorded_guardian_consent(
    tmp_store: Store,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    photo_camera: Callable[..., Camera],
) -> None:
    settings = fast_settings(policy=PolicySettings(minors_policy="guardian"))
    station = Station(tmp_store, ADMIN, settings, frozen_clock, models=lambda: models)
    _member(station, born=date(2016, 3, 1))
    assert station.consents.decision("M-1").eligibility is FaceEligibility.NEEDS_GUARDIAN
    with pytest.raises(ServiceError, match="guardian"):
        _consent(station)
    with pytest.raises(ServiceError, match="guardian"):
        _consent(station, guardian=Guardian(" ", "mother"))
    _consent(station, guardian=Guardian("Li Hua", "mother"))
    record = station.repos.consents.latest_face_consent(_subject_id(station))
    assert record is not None
    assert (record.guardian_name, record.guardian_relation) == ("Li Hua", "mother")
    assert record.operator == "desk-1" and record.recorded_at == frozen_clock.now()
    assert station.consents.decision("M-1").allowed
    outcome = station.enrollment.enroll("M-1", photo_camera(*ENROLL_PHOTOS), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message


# R12 audit trail
def _audited_station(path: Path, clock: FrozenClock) -> Station:
    station = Station(create_store(path), ADMIN, fast_settings(), clock)
    for number in range(1, 4):
        _member(station, f"M-{number}")
        station.subjects.set_pin(f"M-{number}", "135792", "desk-1")
        clock.advance(timedelta(minutes=1))
    return station


@pytest.mark.parametrize(
    ("tamper", "kind", "seq"),
    [
        ("UPDATE audit_events SET operator = 'someone else' WHERE seq = 4", "edited", 4),
        ("DELETE FROM audit_events WHERE seq = 4", "missing", 4),
        ("DELETE FROM audit_events WHERE seq >= 6", "truncated", 6),
        ("UPDATE audit_events SET seq = seq + 100 WHERE seq = 3", "missing", 3),
    ],
    ids=["edited", "deleted", "newest-deleted", "moved"],
)
def test_r12_audit_verify_names_an_edited_deleted_or_reordered_event(
    tmp_path: Path, frozen_clock: FrozenClock, tamper: str, kind: str, seq: int
) -> None:
    station = _audited_station(tmp_path / "station.db", frozen_clock)
    admin = station.administration
    assert admin.verify_audit("auditor").ok
    last = station.repos.audit.head()
    # the test's settings (applied by the administrator), the notice, 3 x (registered, pin), and
    # audit_verified
    assert last is not None and last.seq == 9
    station.store.execute(tamper)
    result = admin.verify_audit("auditor")
    assert not result.ok
    assert (result.problems[0].kind, result.problems[0].seq) == (kind, seq)
    assert f"event {seq}" in result.summary
    station.close()


def test_r12_audit_verify_catches_swapped_events(tmp_path: Path, frozen_clock: FrozenClock) -> None:
    """Two events exchanged, each re-hashed by someone who knows the formula: the links break."""
    from station.storage.audit import audit_hash

    station = _audited_station(tmp_path / "station.db", frozen_clock)
    rows = {row[0]: row for row in station.repos.audit.rows()}
    for target, source in ((3, 5), (5, 3)):
        _, at, kind, subject, operator, detail, prev, _ = rows[source]
        import json

        forged = audit_hash(target, at, kind, subject, operator, json.loads(detail), prev)
        station.store.execute(
            "UPDATE audit_events SET at=?, kind=?, subject_id=?, operator=?, detail=?, "
            "prev_hash=?, hash=? WHERE seq=?",
            (at, kind, subject, operator, detail, prev, forged, target),
        )
    result = station.administration.verify_audit("auditor")
    kinds = {problem.kind for problem in result.problems}
    assert not result.ok and kinds & {"broken_link", "out_of_order"}
    assert result.problems[0].seq == 3
    station.close()


def test_r12_cli_audit_verify_reports_where_the_chain_breaks(
    tmp_path: Path,
    frozen_clock: FrozenClock,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "station.db"
    station = _audited_station(path, frozen_clock)
    station.store.execute("UPDATE audit_events SET operator = 'x' WHERE seq = 2")
    station.close()
    monkeypatch.setenv("FACE_STATION_SECRET", STORE_SECRET)
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(
        "[store]\nkdf_time_cost = 1\nkdf_memory_kib = 8192\nkdf_parallelism = 1\n"
    )
    code = run_cli(["--settings", str(settings_file), "--store", str(path), "audit", "verify"])
    out = capsys.readouterr().out
    assert code == 3
    assert "tampered" in out and "event 2: edited" in out


def test_r12_every_action_is_audited_and_no_template_bytes_reach_the_audit(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    station = enrolled
    template = station.repos.templates.for_subject(_subject_id(station))
    assert template is not None
    vector = template.vector
    station.verification.face("M-1", photo_camera(VERIFY_PHOTO), "desk-1")
    station.subjects.set_pin("M-1", "246813", "desk-1")
    station.verification.pin("M-1", "000001", "desk-1")
    station.verification.document("M-1", "resident_id_card", "desk-1")
    station.configuration.update({"match": {"one_to_many": True}}, "admin")
    station.subjects.withdraw_face_consent("M-1", "desk-1")
    kinds = [event.kind for event in station.repos.audit.events()]
    for expected in (
        "face_consent_accepted",
        "face_enrolled",
        "verify_face",
        "pin_set",
        "verify_pin",
        "verify_document",
        "settings_changed",
        "face_consent_withdrawn",
    ):
        assert expected in kinds
    raw = "".join(str(row) for row in station.repos.audit.rows())
    assert vector.tobytes().hex()[:32] not in raw
    assert f"{float(vector[0]):.6f}"[:8] not in raw  # not even as printed numbers
    assert all("distance" not in str(event.detail) for event in station.repos.audit.events())


def test_r12_failed_sign_ins_are_audited_at_the_next_sign_in_without_the_text_typed(
    tmp_store: Store, store_path: Path, settings: Settings, frozen_clock: FrozenClock
) -> None:
    """Issue 16 (6a): the file beside the store holds pseudonyms, never a name typed (a password
    typed into the name field included); the audit names a known account, and "an unknown name"
    for anything else."""
    tmp_store.close()
    for name in ("mallory", "my secret words", " ADMIN "):
        with pytest.raises(WrongKeyError):
            open_station(store_path, name, "guess", settings, frozen_clock)
    pending = pending_path(store_path)
    assert pending.stat().st_mode & 0o777 == 0o600
    data = pending.read_bytes().lower()
    for typed in (b"guess", b"mallory", b"my secret words", b"admin"):
        assert typed not in data
    for _ in range(2):  # the second sign-in must not audit the same failures again
        station = open_station(store_path, ADMIN, STORE_SECRET, settings, frozen_clock)
        events = station.repos.audit.events()
        station.close()
    failed = [e for e in events if e.kind == "sign_in_failed"]
    assert [e.operator for e in failed] == [UNKNOWN_NAME, UNKNOWN_NAME, ADMIN]
    assert [e.kind for e in events].count("sign_in") == 2
    assert all("guess" not in str(e.detail) for e in events)
    assert all("mallory" not in str(e) and "secret words" not in str(e) for e in events)
    # Kept (as audited) for an hour, for throttling, but not the signed-in name's own.
    label = read_key_file(key_file_path(store_path)).label
    kept = read_failed_sign_ins(store_path, label)
    assert [entry.label for entry in kept] == [label("mallory"), label("my secret words")]
    assert all(entry.audited for entry in kept)
    frozen_clock.advance(timedelta(hours=1))
    open_station(store_path, ADMIN, STORE_SECRET, settings, frozen_clock).close()
    assert not pending_path(store_path).exists()


def test_r12_an_old_failed_sign_ins_file_with_names_is_read_and_converted(
    tmp_store: Store, store_path: Path, settings: Settings, frozen_clock: FrozenClock
) -> None:
    """Issue 16 (6a): a file written before kept the names typed; the next sign-in attempt still
    counts them per name (throttling), rewrites the file without them, and the audit names the
    known account only."""
    tmp_store.close()
    at = frozen_clock.now().isoformat()
    pending_path(store_path).write_text(
        "".join(
            json.dumps({"at": at, "operator": name}) + "\n"
            for name in ("mallory", "Admin", "Admin", "Admin")
        ),
        encoding="utf-8",
    )
    # Three failures of this name already: it waits, and the old names are gone from the file.
    with pytest.raises(SignInThrottledError):
        open_station(store_path, ADMIN, STORE_SECRET, settings, frozen_clock)
    data = pending_path(store_path).read_bytes().lower()
    assert b"mallory" not in data and b"admin" not in data
    frozen_clock.advance(timedelta(minutes=1))
    station = open_station(store_path, ADMIN, STORE_SECRET, settings, frozen_clock)
    failed = [e.operator for e in station.repos.audit.events() if e.kind == "sign_in_failed"]
    station.close()
    assert failed == [UNKNOWN_NAME, ADMIN, ADMIN, ADMIN]


def test_r12_only_desk_settings_can_be_changed_and_each_change_is_kept_and_audited(
    station: Station, settings: Settings, frozen_clock: FrozenClock, models: BiometricModels
) -> None:
    with pytest.raises(ServiceError, match=r"store\.kdf_time_cost"):
        station.configuration.update({"store": {"kdf_time_cost": 9}}, "admin")
    with pytest.raises(ServiceError, match="decline_quiet_hours must be at least 48"):
        station.configuration.update({"policy": {"decline_quiet_hours": 12}}, "admin")
    # R22: a distance is no longer a setting; the refusal names what replaced it.
    with pytest.raises(ServiceError, match=r"threshold \(a distance\) was replaced by operating"):
        station.configuration.update({"match": {"threshold": 0.3}}, "admin")
    change = station.configuration.update(
        {"policy": {"minors_policy": "guardian"}, "match": {"operating_point": "1e-5"}}, "admin"
    )
    assert change.changes == {
        "policy.minors_policy": ("block", "guardian"),
        "match.operating_point": ("1e-4", "1e-5"),
    }
    assert change.audit_event is not None and change.audit_event.operator == "admin"
    assert not change.notice_republished  # neither setting is in the notice
    reopened = _reopen(station, NO_SETTINGS_FILE, frozen_clock, models)
    try:
        assert reopened.settings.policy.minors_policy == "guardian"
        assert reopened.settings.match.operating_point == "1e-5"
    finally:
        reopened.close()


def test_r6_r7_r17_settings_cannot_go_below_the_rules() -> None:
    for bad in (
        {"policy": {"decline_quiet_hours": 47}},
        {"policy": {"minor_age": 12}},
        {"policy": {"minors_policy": "allow"}},
        {"policy": {"record_retention_days": 1000}},
        {"policy": {"filing_warning_level": 100_001}},
        {"store": {"retention_days": 0}},
    ):
        with pytest.raises(SettingsError):
            Settings.from_mapping(bad)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "[match]\noperating_point = '1e-2'\n",
            "[match] operating_point must be one of 1e-3, 1e-4, 1e-5, got '1e-2'",
        ),
        (
            "[capture]\nenroll_frames = 100000000000000000000\n",
            "[capture] enroll_frames must be at most 5 (R10), got 100000000000000000000",
        ),
        (
            "[capture]\nverify_frames = 4\n",
            "[capture] verify_frames must be at most 3 (R10), got 4",
        ),
        (
            "[capture]\ntimeout_seconds = 1\n",
            "[capture] timeout_seconds must be at least 10.0 (R25), got 1.0",
        ),
        ("[store]\nkdf_time_cost = 1\n", "[store] kdf_time_cost must be at least 3 (R12), got 1"),
        (
            "[store]\nkdf_memory_kib = 8\nkdf_parallelism = 1\n",
            "[store] kdf_memory_kib must be at least 65536 (R12), got 8",
        ),
        (
            "[store]\nretention_days = 3650\n",
            "[store] retention_days must be at most 1825 (R14), got 3650",
        ),
        (
            "[enroll_gate]\nmin_eye_distance_px = 30\n",
            "[enroll_gate] min_eye_distance_px must be at least 60.0 (R26), got 30.0",
        ),
        (
            "[verify_gate]\nmax_yaw = 0.5\n",
            "[verify_gate] max_yaw must be at most 0.28 (R26), got 0.5",
        ),
        (
            "[policy]\ndecline_quiet_hours = 47\n",
            "[policy] decline_quiet_hours must be at least 48 (R6), got 47",
        ),
        ("[policy]\nminor_age = 21\n", "[policy] minor_age must be at most 18 (R7), got 21"),
        (
            "[policy]\nrecord_retention_days = 1094\n",
            "[policy] record_retention_days must be at least 1095 (R17), got 1094",
        ),
        (
            "[policy]\nfiling_warning_level = 100000\n",
            "[policy] filing_warning_level must be at most 99999 (R18), got 100000",
        ),
        (
            f"[site]\npurpose = '{'x' * 501}'\n",
            f"[site] purpose must have at most 500 characters (R2), got '{'x' * 56}...",
        ),
    ],
    ids=[
        "r22-not-an-operating-point",
        "r10-enroll-frames-huge",
        "r10-verify-frames",
        "r25-timeout",
        "r12-kdf-time",
        "r12-kdf-memory",
        "r14-retention",
        "r26-enroll-eye-distance",
        "r26-verify-yaw",
        "r6-quiet-hours",
        "r7-minor-age",
        "r17-record-retention",
        "r18-filing-warning",
        "r2-purpose-length",
    ],
)
def test_r2_r6_r7_r10_r12_r14_r17_r18_r22_r25_r26_a_value_outside_the_rules_bounds_is_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    """Issue 16: every setting has a range on both sides; the refusal names the file, the key,
    the bound and the rule it comes from."""
    path = tmp_path / "site.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(SettingsError) as raised:
        Settings.load(path)
    assert str(raised.value) == f"{path}: {message}"


# R14 retention and destruction
def test_r14_expired_templates_are_destroyed_at_start_up_with_an_event(
    enrolled: Station, settings: Settings, frozen_clock: FrozenClock, models: BiometricModels
) -> None:
    subject_id = _subject_id(enrolled)
    template = enrolled.repos.templates.for_subject(subject_id)
    assert template is not None
    assert template.expires_at == frozen_clock.now() + timedelta(days=365)
    frozen_clock.advance(timedelta(days=364))
    assert enrolled.administration.purge_expired().destroyed == 0
    frozen_clock.advance(timedelta(days=1))
    station = _reopen(enrolled, settings, frozen_clock, models)
    try:
        assert station.repos.templates.for_subject(subject_id) is None
        expired = [e for e in station.repos.audit.events() if e.kind == "template_expired"]
        assert len(expired) == 1 and expired[0].subject_id == subject_id
        assert expired[0].operator == "system"
    finally:
        station.close()


def test_r14_a_shortened_retention_applies_to_templates_already_kept(
    enrolled: Station, frozen_clock: FrozenClock
) -> None:
    admin = enrolled.administration
    enrolled.configuration.update({"store": {"retention_days": 30}}, "admin")
    frozen_clock.advance(timedelta(days=30))
    outcome = admin.purge_expired()
    assert outcome.destroyed == 1 and not outcome.vacuumed
    assert enrolled.repos.templates.count() == 0


def test_r14_a_large_purge_also_vacuums_and_the_store_stays_sound(
    tmp_store: Store, frozen_clock: FrozenClock, models: BiometricModels
) -> None:
    from station.domain import Template
    from station.storage.ids import new_id

    settings = fast_settings(policy=PolicySettings(vacuum_after_purged=20))
    station = Station(tmp_store, ADMIN, settings, frozen_clock, models=lambda: models)
    now = frozen_clock.now()
    with station.store.transaction():
        for number in range(25):
            subject = station.repos.subjects.add(f"B-{number}", "Bulk", ADULT_BIRTH, now)
            station.repos.templates.replace(
                subject.id,
                Template(new_id(), "m", "f", np.ones(128, np.float32), 3, now, now),
            )
    size_before = tmp_store.path.stat().st_size
    outcome = station.administration.purge_expired()
    assert outcome.destroyed == 25 and outcome.vacuumed
    assert len(outcome.events) == 25
    assert tmp_store.path.stat().st_size < size_before
    assert tmp_store.integrity_ok()


def test_r14_decommission_destroys_every_key_and_the_store_and_says_so(
    enrolled: Station, store_path: Path
) -> None:
    admin = enrolled.administration
    with pytest.raises(ServiceError, match="Nothing was destroyed"):
        admin.decommission("yes", "admin")
    assert store_path.exists() and key_file_path(store_path).exists()
    report = admin.decommission(DECOMMISSION_CONFIRMATION, "admin")
    assert not store_path.exists() and not key_file_path(store_path).exists()
    assert [name for name, _ in report.files][:2] == [key_file_path(store_path).name, "station.db"]
    assert report.templates_destroyed == 1 and report.subjects == 1
    assert "Nothing can be recovered" in report.message
    assert list(store_path.parent.iterdir()) == []
    with pytest.raises(MissingStoreError):
        open_store(store_path)


# R17 records kept three years, then pruned with an event
def test_r17_records_older_than_three_years_are_pruned_and_the_chain_still_verifies(
    station: Station, frozen_clock: FrozenClock
) -> None:
    _member(station, "OLD")
    old_events = len(station.repos.audit.events())
    admin = station.administration
    frozen_clock.advance(timedelta(days=1094))
    assert admin.prune_records() is None  # not yet three years
    _member(station, "NEW")
    frozen_clock.advance(timedelta(days=2))
    pruned = admin.prune_records()
    assert pruned is not None and pruned.events_pruned == old_events
    kinds = [event.kind for event in station.repos.audit.events()]
    assert kinds == ["subject_registered", "records_pruned"]
    assert pruned.audit_event.detail["events"] == old_events
    # Pruning takes events, never a person: a member goes only when erased (issue 15).
    assert station.subjects.find("OLD") is not None
    assert admin.verify_audit("auditor").ok
