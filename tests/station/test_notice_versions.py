"""The notice says how many numbers a template holds, and templates have versions (R2, R3, R15): new
enrollments get the current notice, and a member still holding an older template keeps the consent
they gave to the notice that describes it word for word, until they enroll again (issue 13: a store
enrolled before the change still verifies its members). Any other change still asks again (R3).
A real SQLCipher store, set up as a station left it before templates had versions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

from station.biometrics.model_sets import CURRENT, DLIB_ONLY, ModelSet
from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource
from station.domain import EnrollStatus, FaceEligibility, Template, VerifyStatus
from station.policy.consent import still_describes
from station.policy.notice import (
    NOTICE_TEMPLATE_VERSION,
    PublishedNotice,
    notice_texts,
    sha256_text,
)
from station.services import Station
from station.settings import DEFAULT_PURPOSE, Settings
from station.storage import Repositories
from station.storage.ids import new_id
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    CountingCamera,
    FrozenClock,
    create_store,
    fast_settings,
    open_store,
)

Camera = Callable[[], FrameSource]
VERIFY_PHOTO = "Angelina_Jolie/deepface_img4.jpg"

# SHA-256 of the notice as the code before template versions (15a8a06) rendered it, "a list of 128
# numbers": a version-1 member's consent names exactly these texts. A wording edit changes them, and
# rightly makes every consent stale (R3); then these are the new wording's, taken from DLIB_ONLY.
PUBLISHED_BEFORE_VERSIONS = {
    "defaults": {
        "en": "eb857375b67c8db43e5b70be9941f44a5d1e7483ad4be8c40ca69aa70b13f75c",
        "zh_CN": "b01155bb7cec612f7a70fc2637015c1e712680fc2fba60bdd4512fabb032488b",
    },
    "liveness off": {
        "en": "6b24581f0355f92e1ccdd1e2b94f88a9442c03c681e7df78ac5f1a98451bc934",
        "zh_CN": "7820c84067521854e35ceaf563b02448de4daabaf23e224124ffcac5460a0636",
    },
}


@pytest.mark.parametrize(
    ("case", "settings"), [("defaults", Settings()), ("liveness off", fast_settings())]
)
def test_r3_the_version_1_notice_is_byte_for_byte_the_one_published_before_versions(
    case: str, settings: Settings
) -> None:
    old = notice_texts(settings, DLIB_ONLY)
    assert {language: sha256_text(text) for language, text in old.items()} == (
        PUBLISHED_BEFORE_VERSIONS[case]
    )
    new = notice_texts(settings)  # what enrollment is agreed to now
    for language, text in new.items():
        assert f"{CURRENT.size}" in text and f"{DLIB_ONLY.size}" not in text
        # The template's size is all that differs between the two.
        assert text.replace(str(CURRENT.size), str(DLIB_ONLY.size)) == old[language]


def _publish_before_versions(path: Path, settings: Settings, now: datetime) -> PublishedNotice:
    """A store as a station left it before templates had versions: its notice said 128 numbers."""
    store = create_store(path)
    try:
        with store.transaction():
            return Repositories(store).notices.publish(
                notice_texts(settings, DLIB_ONLY), NOTICE_TEMPLATE_VERSION, ADMIN, now
            )
    finally:
        store.close()


@pytest.fixture
def upgraded(
    store_path: Path, settings: Settings, frozen_clock: FrozenClock, models: BiometricModels
) -> Iterator[Station]:
    _publish_before_versions(store_path, settings, frozen_clock.now())
    station = Station(open_store(store_path), ADMIN, settings, frozen_clock, models=lambda: models)
    yield station
    station.close()


def _member(
    station: Station,
    member: str,
    model_set: ModelSet | None,
    consented_to: PublishedNotice,
    language: str = "en",
) -> None:
    """A member holding a template of `model_set` (None: no template) who agreed to
    `consented_to`, as the repositories keep them: the template a random unit vector of the set's
    size, the consent naming the version and the SHA-256 of the text shown (R1)."""
    subject = station.subjects.register(member, "Test Member", ADULT_BIRTH, "desk-1")
    now = station.clock.now()
    with station.store.transaction():
        if model_set is not None:
            vector = np.random.default_rng(len(member)).standard_normal(model_set.size)
            template = Template(
                id=new_id(),
                model_id=model_set.model_id,
                model_fingerprint=model_set.fingerprint,
                vector=(vector / np.linalg.norm(vector)).astype(np.float32),
                frames_used=3,
                created_at=now,
                expires_at=now + timedelta(days=station.settings.store.retention_days),
            )
            station.repos.templates.replace(subject.id, template)
        station.repos.consents.add(
            subject.id,
            True,
            consented_to.label,
            consented_to.rendered(language).sha256,
            "operator_screen",
            "desk-1",
            now,
        )


def _use_decision(station: Station, member: str) -> FaceEligibility:
    """What verification asks: may the member's stored template be used?"""
    subject = station.subjects.find(member)
    assert subject is not None
    return station.consents.decision_for(subject).eligibility


def test_r3_r15_after_the_upgrade_a_version_1_member_still_verifies_on_their_old_consent(
    upgraded: Station, photo_camera: Callable[..., Camera]
) -> None:
    station = upgraded
    events = [e for e in station.repos.audit.events() if e.kind == "notice_published"]
    assert station.notice.version == 2 and events[-1].detail["replaces"] == "1"
    assert f"{CURRENT.size} numbers" in station.notices.current("en").text
    before = station.repos.notices.since("1")[0]
    assert f"{DLIB_ONLY.size} numbers" in before.texts["en"]

    _member(station, "V1", DLIB_ONLY, before)
    _member(station, "V1-ZH", DLIB_ONLY, before, "zh_CN")
    _member(station, "NONE", None, before)
    _member(station, "V2", CURRENT, before)  # cannot happen by enrolling; its consent is stale

    assert _use_decision(station, "V1") is FaceEligibility.CONSENTED
    assert _use_decision(station, "V1-ZH") is FaceEligibility.CONSENTED
    assert station.consents.is_current(station.subjects.require("V1").id)  # exports (R16) too
    assert _use_decision(station, "NONE") is FaceEligibility.RENEW
    assert _use_decision(station, "V2") is FaceEligibility.RENEW
    assert not station.consents.is_current(station.subjects.require("V2").id)

    camera = CountingCamera(photo_camera(VERIFY_PHOTO))
    stale = station.verification.face("V2", camera, "desk-1")
    assert stale.status is VerifyStatus.CONSENT_NEEDED and camera.opened == 0
    covered = station.verification.face("V1", camera, "desk-1")
    assert covered.status is not VerifyStatus.CONSENT_NEEDED, covered.message

    # A new template is what the current notice describes: the old consent does not cover it.
    assert station.consents.decision("V1").eligibility is FaceEligibility.RENEW
    opened = camera.opened
    refused = station.enrollment.enroll("V1", camera, "desk-1")
    assert refused.status is EnrollStatus.NO_CONSENT and camera.opened == opened
    station.consents.record("V1", True, station.notices.current("en"), "desk-1")
    assert station.consents.decision("V1").allowed


def test_r3_the_next_start_publishes_nothing_new_and_the_old_consent_still_covers(
    upgraded: Station, settings: Settings, frozen_clock: FrozenClock, models: BiometricModels
) -> None:
    before = upgraded.repos.notices.since("1")[0]
    _member(upgraded, "V1", DLIB_ONLY, before)
    path = upgraded.store.path
    upgraded.close()
    station = Station(open_store(path), ADMIN, settings, frozen_clock, models=lambda: models)
    try:
        assert station.notice.version == 2
        assert _use_decision(station, "V1") is FaceEligibility.CONSENTED
    finally:
        station.close()


@pytest.mark.parametrize(
    ("change", "back"),
    [
        ({"store": {"retention_days": 200}}, {"store": {"retention_days": 365}}),
        ({"site": {"purpose": "to open the pool gate"}}, {"site": {"purpose": DEFAULT_PURPOSE}}),
        ({"liveness": {"enabled": True}}, {"liveness": {"enabled": False}}),
    ],
    ids=["retention", "purpose", "liveness"],
)
def test_r3_any_other_change_makes_the_version_1_consent_stale(
    upgraded: Station,
    change: dict[str, dict[str, object]],
    back: dict[str, dict[str, object]],
    photo_camera: Callable[..., Camera],
) -> None:
    station = upgraded
    _member(station, "V1", DLIB_ONLY, station.repos.notices.since("1")[0])
    assert station.configuration.update(change, ADMIN).notice_republished
    assert _use_decision(station, "V1") is FaceEligibility.RENEW
    camera = CountingCamera(photo_camera(VERIFY_PHOTO))
    refused = station.verification.face("V1", camera, "desk-1")
    assert refused.status is VerifyStatus.CONSENT_NEEDED and camera.opened == 0

    # Changing it back does not bring the old consent back, as for a current template (R3).
    assert station.configuration.update(back, ADMIN).notice_republished
    assert station.notice.texts == notice_texts(fast_settings())
    assert _use_decision(station, "V1") is FaceEligibility.RENEW


def test_r3_publishing_the_same_words_again_asks_version_1_members_again(
    upgraded: Station,
) -> None:
    _member(upgraded, "V1", DLIB_ONLY, upgraded.repos.notices.since("1")[0])
    upgraded.notices.publish(ADMIN)
    assert _use_decision(upgraded, "V1") is FaceEligibility.RENEW


# The chain from the version agreed to up to the one in force, without a store.
_OLD = {"en": "128 numbers", "zh_CN": "128 个数字"}
_NEW = {"en": "256 numbers", "zh_CN": "256 个数字"}
_OTHER = {"en": "128 numbers, kept 200 days", "zh_CN": "128 个数字，保存 200 天"}


def _published(*texts: dict[str, str]) -> list[PublishedNotice]:
    when = datetime(2026, 11, 27)
    return [PublishedNotice(n, when, ADMIN, "t", t) for n, t in enumerate(texts, 1)]


@pytest.mark.parametrize(
    ("published", "renderings", "covered"),
    [
        (_published(_OLD, _NEW), [_OLD, _NEW], True),
        (_published(_OLD), [_OLD, _NEW], True),  # the upgrade not yet published
        (_published(_OLD, _NEW, _NEW), [_OLD, _NEW], False),  # published again: ask again
        (_published(_OLD, _OLD, _NEW), [_OLD, _NEW], False),  # asked again before the upgrade
        (_published(_OTHER, _NEW), [_OLD, _NEW], False),  # agreed to other words
        (_published(_OLD, _OTHER, _NEW), [_OLD, _NEW], False),  # something else changed between
        (_published(_OLD, _OLD), [_OLD, _OLD], False),  # sets alike never publish a version each
        (_published(_NEW, _OLD), [_OLD, _NEW], False),  # not in model-set order
        ([], [_OLD, _NEW], False),  # no such version
    ],
)
def test_r3_only_the_notice_for_newer_model_sets_was_published_since_the_consent(
    published: list[PublishedNotice], renderings: list[dict[str, str]], covered: bool
) -> None:
    assert still_describes(published, renderings) is covered


def test_r3_a_consent_naming_no_published_version_covers_nothing(upgraded: Station) -> None:
    assert upgraded.repos.notices.since("9") == []
    assert upgraded.repos.notices.since("01") == []
    assert upgraded.repos.notices.since("²") == []
    assert [n.version for n in upgraded.repos.notices.since("1")] == [1, 2]
