"""Issue 13, R15: a store enrolled before SFace joined dlib keeps verifying its members.

The first station runs the models as they were (dlib's descriptor alone: version-1 templates of 128
numbers, bench/dlib_only.py); the station after it, on the same SQLCipher file, runs the current
models. Real photos throughout (../shared/faces/photos).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from bench.dlib_only import DlibOnlyModels
from station.biometrics.model_sets import CURRENT, DLIB_ONLY
from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource
from station.domain import VerifyStatus
from station.services import Station
from station.settings import MatchSettings, Settings
from station.storage import Store
from tests.conftest import ADMIN, ADULT_BIRTH, FrozenClock, fast_settings

Camera = Callable[..., Callable[[], FrameSource]]
ANGELINA = ("Angelina_Jolie/deepface_img1.jpg", "Angelina_Jolie/deepface_img10.jpg")
ANGELINA_PROBE = "Angelina_Jolie/deepface_img2.jpg"
ANISTON = ("Jennifer_Aniston/deepface_img12.jpg", "Jennifer_Aniston/deepface_img3.jpg")
ANISTON_PROBE = "Jennifer_Aniston/deepface_img53.jpg"


def _settings(**sections: object) -> Settings:
    """Two enrollment frames: some of the shared photos are refused by the enrollment gate."""
    return fast_settings(capture=replace(fast_settings().capture, enroll_frames=2), **sections)


def _member(station: Station, number: str, photos: tuple[str, ...], camera: Camera) -> None:
    station.subjects.register(number, f"Member {number}", ADULT_BIRTH, "desk-1")
    station.consents.record(number, True, station.notices.current("en"), "desk-1")
    outcome = station.enrollment.enroll(number, camera(*photos), "desk-1")
    assert outcome.frames_used >= 1, outcome.message


def test_r15_members_enrolled_with_dlib_alone_still_verify_after_the_upgrade(
    tmp_store: Store,
    models: BiometricModels,
    frozen_clock: FrozenClock,
    photo_camera: Camera,
) -> None:
    settings = _settings()
    before = Station(
        tmp_store, ADMIN, settings, frozen_clock, models=lambda: DlibOnlyModels(models)
    )
    _member(before, "OLD-1", ANGELINA, photo_camera)
    old = before.repos.templates.for_subject(before.subjects.require("OLD-1").id)
    assert old is not None and old.model_fingerprint == DLIB_ONLY.fingerprint
    assert old.vector.shape == (DLIB_ONLY.size,)
    stored_before = old.vector.copy()

    after = Station(tmp_store, ADMIN, settings, frozen_clock, models=lambda: models)
    accepted = after.verification.face("OLD-1", photo_camera(ANGELINA_PROBE), "desk-1")
    assert accepted.status is VerifyStatus.ACCEPTED, accepted.message
    assert accepted.subject is not None and accepted.subject.member_number == "OLD-1"
    # Someone else claiming her number is still refused, at the same operating point.
    refused = after.verification.face("OLD-1", photo_camera(ANISTON_PROBE), "desk-1")
    assert refused.status is VerifyStatus.REJECTED

    # Verification never rewrote the old template: it keeps its version until she enrolls again.
    kept = after.repos.templates.for_subject(after.subjects.require("OLD-1").id)
    assert kept is not None and kept.model_fingerprint == DLIB_ONLY.fingerprint
    assert np.array_equal(kept.vector, stored_before)

    # A member enrolled now gets a current template; both verify side by side.
    _member(after, "NEW-1", ANISTON, photo_camera)
    new = after.repos.templates.for_subject(after.subjects.require("NEW-1").id)
    assert new is not None and new.model_fingerprint == CURRENT.fingerprint
    assert new.vector.shape == (CURRENT.size,)
    assert after.verification.face("NEW-1", photo_camera(ANISTON_PROBE), "desk-1").status is (
        VerifyStatus.ACCEPTED
    )

    # Enrolling her again moves her to the current models (and destroys the old template).
    after.enrollment.enroll("OLD-1", photo_camera(*ANGELINA), "desk-1")
    moved = after.repos.templates.for_subject(after.subjects.require("OLD-1").id)
    assert moved is not None and moved.model_fingerprint == CURRENT.fingerprint


def test_r21_one_to_many_finds_members_of_both_template_versions(
    tmp_store: Store,
    models: BiometricModels,
    frozen_clock: FrozenClock,
    photo_camera: Camera,
) -> None:
    settings = _settings(match=MatchSettings(one_to_many=True))
    before = Station(
        tmp_store, ADMIN, settings, frozen_clock, models=lambda: DlibOnlyModels(models)
    )
    _member(before, "OLD-1", ANGELINA, photo_camera)
    after = Station(tmp_store, ADMIN, settings, frozen_clock, models=lambda: models)
    _member(after, "NEW-1", ANISTON, photo_camera)

    found_old = after.verification.identify(photo_camera(ANGELINA_PROBE), "desk-1")
    assert found_old.status is VerifyStatus.ACCEPTED
    assert found_old.subject is not None and found_old.subject.member_number == "OLD-1"
    found_new = after.verification.identify(photo_camera(ANISTON_PROBE), "desk-1")
    assert found_new.subject is not None and found_new.subject.member_number == "NEW-1"
    stranger = after.verification.identify(
        photo_camera("George_Clooney/deepface_img38.jpg"), "desk-1"
    )
    assert stranger.subject is None
