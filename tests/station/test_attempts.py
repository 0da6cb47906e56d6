"""R24 attempt limits per claimed identity, through the real services on real faces: the count, the
wait, the disabling, re-enabling and the alternative path, with an injected clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource, ImageFolderSource, NoCameraError
from station.domain import (
    AttemptFactor,
    AttemptState,
    AttemptVerdict,
    EnrollStatus,
    VerificationOutcome,
    VerifyStatus,
)
from station.policy.attempts import FACE, after_outcome
from station.services import Station
from station.settings import Settings
from tests.attempt_counting import measured_limits
from tests.conftest import ADMIN, ADULT_BIRTH, CountingCamera, FrozenClock, open_store

Camera = Callable[[], FrameSource]
MEMBER = "M-24"
ANGELINA_ENROLL = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
ANGELINA_PROBE = "Angelina_Jolie/deepface_img6.jpg"
IMPOSTOR = "Matt_Damon/deepface_img30.jpg"  # another person claiming to be the member
SECOND = timedelta(seconds=1)
# R24's numbers as the rule states them (docs/rules.md), without the liveness check: 5 failures in a
# row go at once, then 30 s between attempts, and face is off for the member at the 50th.
FREE_FAILURES = 5
WAIT_SECONDS = 30
DISABLE_AFTER_FAILURES = 50


@pytest.fixture
def enrolled(station: Station, photo_camera: Callable[..., Camera]) -> Station:
    station.subjects.register(MEMBER, "Test Member", ADULT_BIRTH, "desk-1")
    station.consents.record(MEMBER, True, station.notices.current("en"), "desk-1")
    outcome = station.enrollment.enroll(MEMBER, photo_camera(*ANGELINA_ENROLL), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    return station


@pytest.fixture
def impostor(photo_camera: Callable[..., Camera]) -> CountingCamera:
    return CountingCamera(photo_camera(IMPOSTOR))


def _fail(station: Station, camera: CountingCamera, times: int) -> None:
    for _ in range(times):
        outcome = station.verification.face(MEMBER, camera, "desk-1")
        assert outcome.status is VerifyStatus.REJECTED, outcome.message


def _state(station: Station) -> AttemptState:
    subject = station.subjects.find(MEMBER)
    assert subject is not None
    return station.repos.attempts.get(subject.id, AttemptFactor.FACE)


def _refused(outcome: VerificationOutcome, status: VerifyStatus, wait: int) -> None:
    assert outcome.status is status, outcome.message
    assert outcome.wait_seconds == wait
    assert outcome.frames_read == 0
    event = outcome.audit_event
    assert event is not None and event.kind == "verify_face"
    assert event.detail["status"] == status.value and event.detail["wait_seconds"] == wait


# the numbers, counted through the service
def test_r24_the_limits_are_five_then_thirty_seconds_then_disabled_at_fifty(
    enrolled: Station, impostor: CountingCamera, frozen_clock: FrozenClock
) -> None:
    """Someone else's face, tried again and again as the member: counted until the station makes
    them wait, the wait measured on the clock, then counted until face is off for the member."""
    assert not enrolled.settings.liveness.enabled
    assert measured_limits(enrolled, MEMBER, impostor, frozen_clock) == (5, 30, 50)
    assert impostor.opened == 50  # no refusal opened the camera
    frozen_clock.advance(timedelta(days=30))  # no wait ends it
    assert enrolled.verification.face(MEMBER, impostor, "desk-1").status is (
        VerifyStatus.FACE_DISABLED
    )
    assert impostor.opened == 50


@pytest.mark.parametrize(
    "status", [VerifyStatus.NO_GOOD_FRAME, VerifyStatus.CANCELLED, VerifyStatus.CAMERA_FAILED]
)
def test_r24_only_a_face_that_did_not_match_is_a_failure(status: VerifyStatus) -> None:
    now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
    state = AttemptState(3, now - SECOND)
    assert after_outcome(state, status, now, FACE) == state
    assert after_outcome(state, VerifyStatus.ACCEPTED, now, FACE) == AttemptState()


# through the services
def test_r24_after_five_failures_the_next_attempt_waits_thirty_seconds_without_the_camera(
    enrolled: Station, impostor: CountingCamera, frozen_clock: FrozenClock
) -> None:
    _fail(enrolled, impostor, FREE_FAILURES)
    assert impostor.opened == FREE_FAILURES

    _refused(enrolled.verification.face(MEMBER, impostor, "desk-1"), VerifyStatus.TOO_SOON, 30)
    frozen_clock.advance(timedelta(seconds=29))
    _refused(enrolled.verification.face(MEMBER, impostor, "desk-1"), VerifyStatus.TOO_SOON, 1)
    assert impostor.opened == FREE_FAILURES  # refused twice, the camera never opened

    frozen_clock.advance(SECOND)
    _fail(enrolled, impostor, 1)
    assert impostor.opened == FREE_FAILURES + 1
    assert _state(enrolled).consecutive_failures == FREE_FAILURES + 1
    # Each failure past the fifth starts a new wait.
    _refused(enrolled.verification.face(MEMBER, impostor, "desk-1"), VerifyStatus.TOO_SOON, 30)


def test_r24_a_success_resets_the_count(
    enrolled: Station,
    impostor: CountingCamera,
    photo_camera: Callable[..., Camera],
    frozen_clock: FrozenClock,
) -> None:
    _fail(enrolled, impostor, FREE_FAILURES)
    frozen_clock.advance(timedelta(seconds=30))
    accepted = enrolled.verification.face(MEMBER, photo_camera(ANGELINA_PROBE), "desk-1")
    assert accepted.status is VerifyStatus.ACCEPTED, accepted.message
    assert _state(enrolled) == AttemptState()
    # Five more failures in a row are allowed again without any wait.
    _fail(enrolled, impostor, FREE_FAILURES)
    assert enrolled.verification.face(MEMBER, impostor, "desk-1").status is VerifyStatus.TOO_SOON


def test_r24_no_good_frame_and_a_camera_fault_do_not_count(
    enrolled: Station, impostor: CountingCamera, faces: Path
) -> None:
    _fail(enrolled, impostor, FREE_FAILURES - 1)
    negatives = sorted((faces / "negatives").iterdir())[:3]

    def no_face() -> FrameSource:
        return ImageFolderSource.from_files(negatives, fps=1)

    def no_camera() -> FrameSource:
        raise NoCameraError("No webcam at index 7.")

    assert (
        enrolled.verification.face(MEMBER, no_face, "desk-1").status is VerifyStatus.NO_GOOD_FRAME
    )
    assert (
        enrolled.verification.face(MEMBER, no_camera, "desk-1").status is VerifyStatus.CAMERA_FAILED
    )
    assert _state(enrolled).consecutive_failures == FREE_FAILURES - 1
    _fail(enrolled, impostor, 1)  # the fifth failure is still allowed at once


def test_r24_the_count_is_written_with_the_verify_audit_event_or_not_at_all(
    enrolled: Station, impostor: CountingCamera, monkeypatch: pytest.MonkeyPatch
) -> None:
    events_before = len(enrolled.repos.audit.events())

    def store_full(subject_id: str, factor: AttemptFactor, state: AttemptState) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(enrolled.repos.attempts, "set", store_full)
    with pytest.raises(OSError, match="disk full"):
        enrolled.verification.face(MEMBER, impostor, "desk-1")
    assert len(enrolled.repos.audit.events()) == events_before  # the verify event rolled back


def test_r24_the_wait_survives_closing_and_reopening_the_store(
    enrolled: Station,
    impostor: CountingCamera,
    settings: Settings,
    frozen_clock: FrozenClock,
    models: BiometricModels,
) -> None:
    _fail(enrolled, impostor, FREE_FAILURES)
    frozen_clock.advance(timedelta(seconds=10))
    reopened = _reopen(enrolled, settings, frozen_clock, models)
    try:
        assert _state(reopened) == AttemptState(FREE_FAILURES, frozen_clock.now() - 10 * SECOND)
        _refused(reopened.verification.face(MEMBER, impostor, "desk-1"), VerifyStatus.TOO_SOON, 20)
        assert impostor.opened == FREE_FAILURES
    finally:
        reopened.close()


def test_r24_fifty_failures_disable_face_until_an_administrator_re_enables_it(
    enrolled: Station,
    impostor: CountingCamera,
    photo_camera: Callable[..., Camera],
    settings: Settings,
    frozen_clock: FrozenClock,
    models: BiometricModels,
) -> None:
    """The 50th failure switches face off, audited; no restart or wait ends it, the PIN works, and
    an administrator's re-enable does (the count to 50 itself is the test above's)."""
    enrolled.subjects.set_pin(MEMBER, "482913", "desk-1")
    subject = enrolled.subjects.find(MEMBER)
    assert subject is not None
    last = frozen_clock.now() - timedelta(seconds=WAIT_SECONDS)
    with enrolled.store.transaction():
        enrolled.repos.attempts.set(
            subject.id, AttemptFactor.FACE, AttemptState(DISABLE_AFTER_FAILURES - 1, last)
        )
    _fail(enrolled, impostor, 1)
    assert impostor.opened == 1
    disabled = [e for e in enrolled.repos.audit.events() if e.kind == "face_disabled"]
    assert len(disabled) == 1
    assert disabled[0].detail["consecutive_failures"] == DISABLE_AFTER_FAILURES

    frozen_clock.advance(timedelta(days=2))  # no wait ends it
    station = _reopen(enrolled, settings, frozen_clock, models)  # nor a restart
    try:
        refused = station.verification.face(MEMBER, impostor, "desk-1")
        _refused(refused, VerifyStatus.FACE_DISABLED, 0)
        assert "PIN" in refused.message and "ID document" in refused.message
        assert impostor.opened == 1
        # R5: the alternative path keeps working while face is disabled.
        assert station.verification.pin(MEMBER, "482913", "desk-1").status is VerifyStatus.ACCEPTED

        attempts = station.attempts
        assert attempts.states(MEMBER)[AttemptFactor.FACE].verdict is AttemptVerdict.DISABLED
        (event,) = attempts.reenable(MEMBER, [AttemptFactor.FACE], "admin-1")
        assert event.kind == "face_reenabled" and event.operator == "admin-1"
        assert event.detail == {
            "consecutive_failures": DISABLE_AFTER_FAILURES,
            "was_disabled": True,
        }
        assert station.repos.audit.events()[-1] == event
        assert attempts.states(MEMBER)[AttemptFactor.FACE].state == AttemptState()

        accepted = station.verification.face(MEMBER, photo_camera(ANGELINA_PROBE), "desk-1")
        assert accepted.status is VerifyStatus.ACCEPTED, accepted.message
    finally:
        station.close()


def _reopen(
    station: Station, settings: Settings, clock: FrozenClock, models: BiometricModels
) -> Station:
    path = station.store.path
    station.close()
    return Station(open_store(path), ADMIN, settings, clock, lambda: models)
