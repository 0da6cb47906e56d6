"""R23 in the flows, through the real services, real models and real faces: the liveness check is on
by default; issue 10's two attacks (a folder of print-like frames of a member's photo, the same
photo 40 times) are refused with the liveness message, counted as failed face attempts (R24) and
audited with the challenge's actions; enrollment refuses a photo the same way; the attempt limits
are 10 / 100 with the check on; the notice names the check (R2, R3); only an administrator switches
it off, audited (R12); the processing record says whether it is on (R17)."""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from station.biometrics.matching import template_from_descriptors
from station.biometrics.pipeline import BiometricModels, CaptureStats
from station.capture import FrameSource, ImageFolderSource
from station.cli import HOME_ENV, SECRET_ENV
from station.domain import (
    AttemptFactor,
    AttemptState,
    AuditKind,
    EnrollStatus,
    FaceEligibility,
    NotAllowedError,
    RefusalCode,
    Role,
    ServiceError,
    VerifyStatus,
)
from station.domain.capture import FaceDetection
from station.domain.liveness import Action, LivenessFailure
from station.services import Station
from station.services.face_evidence import capture_evidence
from station.services.liveness_record import NOT_LIVE
from station.services.reports import LIVENESS_MEASURED
from station.settings import Settings
from station.storage import Store
from tests.attempt_counting import failures_until, measured_limits
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    FAST_KDF,
    LIVENESS_ON,
    NO_SETTINGS_FILE,
    STORE_SECRET,
    TEST_BOUNDS,
    CountingCamera,
    FrozenClock,
    fast_settings,
    run_cli,
)
from tests.live_person import LivePerson, draw_seeded, member_enrolled_before_the_check, portrait

Camera = Callable[[], FrameSource]
MEMBER = "M-23"
DESK = "Desk 2"
ANGELINA = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
ANGELINA_PHOTO = "Angelina_Jolie/deepface_img6.jpg"  # the member's photo an attacker holds up
IMPOSTOR = "Matt_Damon/deepface_img30.jpg"  # another person claiming to be the member
CHALLENGE_SEED = 3  # the movements the end-to-end tests ask for, the same in every run
LIVENESS_SENTENCE = {"en": "Live person check:", "zh_CN": "活体检测："}


def print_like_frames(photo: Path, folder: Path, count: int = 30) -> Path:
    """Issue 10's attack (a): `count` frames of a hand-held print of `photo`: paper tint, blur, a
    small perspective wobble, JPEG. Written to a test's temporary folder, never into the repo."""
    image = cv2.imread(str(photo))
    assert image is not None, photo
    height, width = image.shape[:2]
    # Warm, slightly washed-out paper (BGR), and the softness of a print and a hand-held camera.
    paper = np.clip(image.astype(np.float32) * (0.84, 0.92, 0.97) + (18, 14, 10), 0, 255)
    soft = cv2.GaussianBlur(paper.astype(np.uint8), (0, 0), 1.3)
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    folder.mkdir(parents=True)
    for index in range(count):
        phase = 2 * math.pi * index / count
        shift = 0.02 * width
        wobble = np.array(
            [
                [shift * math.sin(phase), shift * 0.5 * math.cos(phase)],
                [-shift * 0.5 * math.cos(phase), shift * math.sin(phase + 1)],
                [shift * math.sin(phase + 2), -shift * 0.5 * math.cos(phase)],
                [shift * 0.5 * math.cos(phase + 1), -shift * math.sin(phase)],
            ],
            dtype=np.float32,
        )
        matrix = cv2.getPerspectiveTransform(corners, corners + wobble)
        frame = cv2.warpPerspective(soft, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE)
        cv2.imwrite(str(folder / f"frame_{index:03d}.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 70])
    return folder


def repeated_photo(photo: Path, folder: Path, count: int = 40) -> Path:
    """Issue 10's attack (b): the same photo `count` times."""
    folder.mkdir(parents=True)
    for index in range(count):
        shutil.copyfile(photo, folder / f"frame_{index:03d}{photo.suffix}")
    return folder


ATTACKS = {"print-like-frames": print_like_frames, "same-photo-40-times": repeated_photo}


def _station(
    store: Store, clock: FrozenClock, models: BiometricModels, **sections: object
) -> Station:
    return Station(store, ADMIN, fast_settings(**sections), clock, models=lambda: models)


@pytest.fixture
def guarded(
    tmp_store: Store,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    photo_camera: Callable[..., Camera],
) -> Station:
    """A member enrolled from three photos while the check was off, then the station with the
    check on (the default): the state issue 10 found, where a photo of the member passed."""
    station = member_enrolled_before_the_check(
        tmp_store, frozen_clock, models, photo_camera(*ANGELINA), MEMBER
    )
    assert station.settings.liveness.enabled
    # The notice now names the check: a new version, so the member is asked again first (R3).
    assert station.consents.decision(MEMBER).eligibility is FaceEligibility.RENEW
    station.consents.record(MEMBER, True, station.notices.current("en"), ADMIN)
    return station


def _attack_camera(faces: Path, folder: Path, attack: str) -> CountingCamera:
    frames = ATTACKS[attack](faces / "photos" / ANGELINA_PHOTO, folder)
    return CountingCamera(lambda: ImageFolderSource(frames))


def _subject_id(station: Station) -> str:
    subject = station.subjects.find(MEMBER)
    assert subject is not None
    return subject.id


def _face_failures(station: Station) -> AttemptState:
    subject = station.subjects.find(MEMBER)
    assert subject is not None
    return station.repos.attempts.get(subject.id, AttemptFactor.FACE)


def _face_limits(station: Station) -> tuple[int, int, float, float]:
    """(failures in a row that go at once, failures that switch face off, the wait after one more
    failure, the longest wait) in seconds, as the station applies them now."""
    rule = station.attempts.limits(AttemptFactor.FACE)
    return (
        rule.free_failures,
        rule.disable_after,
        rule.first_wait.total_seconds(),
        rule.longest_wait.total_seconds(),
    )


def _assert_liveness_audited(detail: dict[str, object]) -> None:
    """The event names the challenge and the verdict, as plain values: no frame, no landmark."""
    assert detail["liveness_enabled"] is True
    assert detail["liveness_passed"] is False
    assert detail["liveness_failure"] in {failure.value for failure in LivenessFailure}
    actions = detail["liveness_actions"]
    assert isinstance(actions, list) and len(actions) == 2 and len(set(actions)) == 2
    assert set(actions) <= {action.value for action in Action}
    measures = detail["liveness_measures"]
    assert isinstance(measures, dict)
    assert all(isinstance(value, float) for value in measures.values())
    assert len(json.dumps(detail)) < 2_000  # numbers and words; a frame would be megabytes


def test_r23_liveness_is_on_by_default(tmp_store: Store, frozen_clock: FrozenClock) -> None:
    assert Settings().liveness.enabled
    assert Settings.load(None).liveness.enabled
    station = Station(tmp_store, ADMIN, Settings(store=FAST_KDF, bounds=TEST_BOUNDS), frozen_clock)
    assert station.settings.liveness.enabled
    assert _face_limits(station) == (10, 100, 30, 30)  # R24 with the check on
    for language, sentence in LIVENESS_SENTENCE.items():
        assert sentence in station.notices.current(language).text


@pytest.mark.parametrize("attack", ATTACKS)
def test_r23_r24_a_members_photo_is_refused_as_not_live_counted_and_audited(
    guarded: Station, faces: Path, tmp_path: Path, attack: str
) -> None:
    """Issue 10: both attacks answered "Verified" before; now the liveness message, no one
    verified, one failed face attempt, and the challenge in the audit trail."""
    camera = _attack_camera(faces, tmp_path / attack, attack)
    outcome = guarded.verification.face(MEMBER, camera, ADMIN)
    assert camera.opened == 1
    assert outcome.status is VerifyStatus.NOT_LIVE, outcome.message
    assert outcome.message.startswith(NOT_LIVE)
    assert "another way" in outcome.message
    assert outcome.subject is None and outcome.margin is None  # nothing was compared
    assert _face_failures(guarded).consecutive_failures == 1  # R24: a failed face attempt
    event = outcome.audit_event
    assert event is not None and event.kind == AuditKind.VERIFY_FACE
    assert event.detail["status"] == "not_live"
    assert event.subject_id == _subject_id(guarded)  # on the member's record (R24's count too)
    _assert_liveness_audited(event.detail)


def test_r23_a_person_is_not_enrolled_from_a_photo(
    guarded: Station, faces: Path, tmp_path: Path
) -> None:
    guarded.subjects.register("M-24", "Someone Else", ADULT_BIRTH, ADMIN)
    guarded.consents.record("M-24", True, guarded.notices.current("en"), ADMIN)
    camera = _attack_camera(faces, tmp_path / "print", "print-like-frames")
    outcome = guarded.enrollment.enroll("M-24", camera, ADMIN)
    assert outcome.status is EnrollStatus.NOT_LIVE, outcome.message
    assert outcome.message.startswith(NOT_LIVE)
    assert outcome.template_id is None
    subject = guarded.subjects.find("M-24")
    assert subject is not None
    assert guarded.repos.templates.for_subject(subject.id) is None
    event = outcome.audit_event
    assert event is not None and event.kind == AuditKind.FACE_ENROLL_FAILED
    assert event.detail["status"] == "not_live"
    _assert_liveness_audited(event.detail)


def test_r24_with_liveness_on_ten_failures_then_thirty_seconds_and_off_at_a_hundred(
    guarded: Station, photo_camera: Callable[..., Camera], frozen_clock: FrozenClock
) -> None:
    """R24 after NIST SP 800-63B-4: with the check in force, 10 consecutive failures before the
    wait (not 5) and face disabled at 100 (not 50); a liveness refusal counts as one. Counted
    through the service with the member's photo held up, the wait measured on the clock."""
    held_up = CountingCamera(photo_camera(ANGELINA_PHOTO))
    assert measured_limits(guarded, MEMBER, held_up, frozen_clock) == (10, 30, 100)
    assert _face_failures(guarded).disabled_at is not None
    assert held_up.opened == 100  # no refusal opened the camera


def test_r24_the_limits_without_liveness_stay_five_and_fifty(
    tmp_store: Store, frozen_clock: FrozenClock, models: BiometricModels
) -> None:
    """Counted through the service in test_attempts.py, which runs with the check off."""
    station = _station(tmp_store, frozen_clock, models)
    assert not station.settings.liveness.enabled
    assert _face_limits(station) == (5, 50, 30, 30)


def test_r2_r3_r23_the_notice_names_the_check_and_switching_it_asks_everyone_again(
    guarded: Station,
) -> None:
    """While on, both languages say a short movement is checked and nothing of it kept; an
    administrator switching it off publishes a text without it, and consents become stale."""
    for language, sentence in LIVENESS_SENTENCE.items():
        text = guarded.notices.current(language).text
        assert sentence in text
    assert "nothing of the movement is kept" in guarded.notices.current("en").text
    assert "不保存" in guarded.notices.current("zh_CN").text
    assert guarded.consents.decision(MEMBER).allowed
    change = guarded.configuration.update({"liveness": {"enabled": False}}, ADMIN)
    assert change.notice_republished
    for language, sentence in LIVENESS_SENTENCE.items():
        assert sentence not in change.notice.texts[language]
    assert guarded.consents.decision(MEMBER).eligibility is FaceEligibility.RENEW
    camera = CountingCamera(lambda: ImageFolderSource.from_files([]))
    refused = guarded.verification.face(MEMBER, camera, ADMIN)
    assert refused.status is VerifyStatus.CONSENT_NEEDED and camera.opened == 0


def test_r12_r23_only_an_administrator_switches_liveness_off_and_it_is_audited(
    guarded: Station,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    photo_camera: Callable[..., Camera],
) -> None:
    guarded.accounts.add_operator(DESK, Role.OPERATOR, "desk two password", ADMIN, STORE_SECRET)
    desk = Station(guarded.store, DESK, NO_SETTINGS_FILE, frozen_clock, models=lambda: models)
    with pytest.raises(NotAllowedError):
        desk.configuration.update({"liveness": {"enabled": False}}, DESK)
    assert desk.settings.liveness.enabled
    with pytest.raises(ServiceError) as refused:  # the time box belongs to installation
        guarded.configuration.update({"liveness": {"action_seconds": 8.0}}, ADMIN)
    assert refused.value.code is RefusalCode.SETTING_NOT_EDITABLE
    change = guarded.configuration.update({"liveness": {"enabled": False}}, ADMIN)
    assert not guarded.settings.liveness.enabled
    event = change.audit_event
    assert event is not None and event.kind == AuditKind.SETTINGS_CHANGED
    assert event.operator == ADMIN
    assert event.detail["changes"] == {"liveness.enabled": [True, False]}
    # The stricter limits at once: 5 failures of another person's face, then a wait. The notice
    # changed with the check (R3), so the member agrees to the new one first.
    guarded.consents.record(MEMBER, True, guarded.notices.current("en"), ADMIN)
    impostor = photo_camera(IMPOSTOR)
    assert failures_until(guarded, MEMBER, impostor, frozen_clock, VerifyStatus.TOO_SOON) == 5
    # Kept in the store: the next session, with no settings file, runs with the check off.
    again = Station(guarded.store, ADMIN, NO_SETTINGS_FILE, frozen_clock, models=lambda: models)
    assert not again.settings.liveness.enabled


def test_r17_r23_the_processing_record_says_whether_liveness_is_on(guarded: Station) -> None:
    def item(name: str) -> tuple[str, bool]:
        record = guarded.reports.processing_record(ADMIN)
        found = [
            entry for section in record.sections for entry in section.items if entry.item == name
        ]
        assert len(found) == 1, name
        return found[0].value, found[0].to_complete

    check = "Liveness check (presentation-attack detection)"
    value, to_complete = item(check)
    assert value.startswith("On:") and LIVENESS_MEASURED in value and not to_complete
    assert "10 consecutive failures" in item("Face attempt limits (per member)")[0]
    guarded.configuration.update({"liveness": {"enabled": False}}, ADMIN)
    value, to_complete = item(check)
    assert "OFF" in value and to_complete
    assert "5 consecutive failures" in item("Face attempt limits (per member)")[0]


def test_r23_settings_without_liveness_leave_the_capture_unchanged(
    tmp_store: Store,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    photo_camera: Callable[..., Camera],
) -> None:
    """Off, the audit says so and photos enroll as before (the tests of other features rely on
    it): the switch is real, not only a label."""
    station = _station(
        tmp_store, frozen_clock, models, liveness=replace(LIVENESS_ON, enabled=False)
    )
    station.subjects.register(MEMBER, "Angelina Test", ADULT_BIRTH, ADMIN)
    station.consents.record(MEMBER, True, station.notices.current("en"), ADMIN)
    outcome = station.enrollment.enroll(MEMBER, photo_camera(*ANGELINA), ADMIN)
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    assert outcome.audit_event is not None
    assert outcome.audit_event.detail["liveness_enabled"] is False
    assert "liveness_actions" not in outcome.audit_event.detail


@pytest.mark.usefixtures("models")
def test_r23_the_command_line_refuses_both_attacks_with_the_liveness_message(
    tmp_path: Path, faces: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 10 as a new user tried it: enroll from photos, then `verify --camera` with a folder of
    print-like frames and with one photo 40 times. Both used to print "Verified"."""
    monkeypatch.setenv(SECRET_ENV, "front desk secret")
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    site = tmp_path / "site.toml"
    # Enrolled while the check is off (as before issue 10), from each photo shown for 20 frames
    # so enrollment's 500 ms gap finds three.
    site.write_text(
        "[store]\nkdf_time_cost = 1\nkdf_memory_kib = 8192\nkdf_parallelism = 1\n\n"
        "[liveness]\nenabled = false\n",
        encoding="utf-8",
    )
    photos = tmp_path / "photos"
    photos.mkdir()
    for index, name in enumerate(ANGELINA):
        for copy in range(20):
            shutil.copyfile(faces / "photos" / name, photos / f"{index}_{copy:02d}.jpg")
    common = ["--settings", str(site)]
    assert run_cli([*common, "init"]) == 0
    for member in (MEMBER, "M-24"):
        assert (
            run_cli(["add-subject", "--member", member, "--name", "Test", "--dob", "1990-05-17"])
            == 0
        )
    capsys.readouterr()
    assert run_cli(["consent", "--member", MEMBER, "--accept"]) == 0
    assert run_cli(["enroll", "--member", MEMBER, "--camera", str(photos)]) == 0, (
        capsys.readouterr().out
    )
    assert run_cli(["set", "liveness.enabled=true"]) == 0
    assert "liveness.enabled: False -> True" in capsys.readouterr().out
    assert run_cli(["consent", "--member", MEMBER, "--accept"]) == 0  # R3: the new notice
    assert run_cli(["consent", "--member", "M-24", "--accept"]) == 0
    assert "Live person check" in capsys.readouterr().out
    photo = faces / "photos" / ANGELINA_PHOTO
    for attack, make in ATTACKS.items():
        frames = make(photo, tmp_path / attack)
        assert run_cli(["verify", "--member", MEMBER, "--camera", str(frames)]) == 1
        shown = capsys.readouterr()
        assert shown.out.startswith(NOT_LIVE) and "Verified" not in shown.out, (attack, shown.out)
        # The terminal is the person's screen: the first movement was asked for there.
        assert "Liveness check, movement 1 of 2: " in shown.err, (attack, shown.err)
    assert (
        run_cli(["enroll", "--member", "M-24", "--camera", str(tmp_path / "print-like-frames")])
        == 1
    )
    assert capsys.readouterr().out.startswith(NOT_LIVE)


def test_r23_r24_a_live_person_enrolls_and_is_verified_with_the_check_on(
    tmp_store: Store,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    faces: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """End to end with the check on: a synthetic live head from the member's photo answers the
    movements the station reports, and is enrolled and verified; the verification resets R24's
    count; both events record a passed challenge."""
    draw_seeded(monkeypatch, CHALLENGE_SEED)
    station = _station(tmp_store, frozen_clock, models, liveness=LIVENESS_ON)
    person = LivePerson(portrait(models, faces / "photos" / ANGELINA_PHOTO), seed=2)
    station.subjects.register(MEMBER, "Angelina Test", ADULT_BIRTH, ADMIN)
    station.consents.record(MEMBER, True, station.notices.current("en"), ADMIN)
    camera, task = person.visit()
    enrolled = station.enrollment.enroll(MEMBER, camera, ADMIN, task)
    assert enrolled.status is EnrollStatus.ENROLLED, enrolled.message
    assert enrolled.audit_event is not None
    assert enrolled.audit_event.detail["liveness_passed"] is True
    subject_id = _subject_id(station)
    station.repos.attempts.set(
        subject_id, AttemptFactor.FACE, AttemptState(9, frozen_clock.now() - timedelta(hours=1))
    )
    camera, task = person.visit()
    verified = station.verification.face(MEMBER, camera, ADMIN, task)
    assert verified.status is VerifyStatus.ACCEPTED, verified.message
    assert verified.audit_event is not None
    detail = verified.audit_event.detail
    assert detail["liveness_passed"] is True and len(detail["liveness_actions"]) == 2
    assert _face_failures(station) == AttemptState()  # a success resets the count (R24)


def test_r23_verification_decides_once_on_the_challenges_frames_averaged(
    tmp_store: Store,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    faces: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 13: the challenge's start and end frames are both described; the probe compared is
    their average (each part), protected, and it is compared once, after the verdict."""
    draw_seeded(monkeypatch, CHALLENGE_SEED)
    station = _station(tmp_store, frozen_clock, models, liveness=LIVENESS_ON)
    person = LivePerson(portrait(models, faces / "photos" / ANGELINA_PHOTO), seed=2)
    described: list[npt.NDArray[np.float32]] = []
    embed = models.embedder.embed

    def recording(rgb: npt.NDArray[np.uint8], face: FaceDetection) -> npt.NDArray[np.float32]:
        descriptor = embed(rgb, face)
        described.append(descriptor.copy())  # the loop wipes its own after use (R10)
        return descriptor

    monkeypatch.setattr(models.embedder, "embed", recording)
    compared: list[npt.NDArray[np.float32]] = []

    def compare(probe: npt.NDArray[np.float32]) -> tuple[None, float]:
        compared.append(probe.copy())
        return None, 1.0

    stats = CaptureStats()
    camera, task = person.visit()
    capture_evidence(station, camera, task, stats, compare)
    assert stats.liveness is not None and stats.liveness.passed
    assert len(described) == 2  # the start and one end frame (verify_frames = 1)
    assert len(compared) == 1
    expected = station.protection.protect(template_from_descriptors(described))
    assert np.allclose(compared[0], expected, atol=1e-6)
    assert not np.allclose(compared[0], station.protection.protect(described[0]), atol=1e-3)
