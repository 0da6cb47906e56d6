"""Enroll / verify / PIN / delete through the real services, on real faces (R1, R5, R10, R15, R21)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from station.biometrics.model_sets import CURRENT
from station.capture import (
    CameraLostError,
    Frame,
    FrameSource,
    FrameSourceBase,
    ImageFolderSource,
    NoCameraError,
    open_source,
)
from station.domain import EnrollStatus, QualityIssue, ServiceError, VerifyMethod, VerifyStatus
from station.services import Station
from station.settings import Settings
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    CountingCamera,
    FailingAfterOnePhoto,
    create_store,
    fast_settings,
)
from tests.frames import ListSource

Camera = Callable[[], FrameSource]
ANGELINA_ENROLL = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)


def _register(station: Station, member: str = "M-100", consent: bool | None = True) -> None:
    station.subjects.register(member, "Test Member", ADULT_BIRTH, "desk-1")
    if consent is not None:
        station.consents.record(member, consent, station.notices.current("en"), "desk-1")


@pytest.fixture
def enrolled(station: Station, photo_camera: Callable[..., Camera]) -> Station:
    _register(station)
    outcome = station.enrollment.enroll("M-100", photo_camera(*ANGELINA_ENROLL), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    return station


def test_r10_enroll_uses_the_fewest_good_frames_and_says_what_was_kept(
    station: Station, photo_camera: Callable[..., Camera]
) -> None:
    """R10: three good frames make one template; the confirmation says no image was stored."""
    _register(station)
    frames = (
        *ANGELINA_ENROLL,
        "Angelina_Jolie/deepface_img4.jpg",
        "Angelina_Jolie/deepface_img5.jpg",
    )
    outcome = station.enrollment.enroll("M-100", photo_camera(*frames), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED
    assert outcome.frames_used == 3 and outcome.frames_read == 3  # stopped at the third good frame
    assert "no image" in outcome.message and outcome.expires_at is not None
    assert outcome.audit_event is not None and outcome.audit_event.kind == "face_enrolled"
    template = station.repos.templates.for_subject(outcome.subject_id or "")
    assert template is not None and template.vector.shape == (CURRENT.size,)
    assert template.model_fingerprint == station.models.fingerprint


def test_same_person_accepted_others_rejected(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    for photo in ("Angelina_Jolie/deepface_img4.jpg", "Angelina_Jolie/deepface_img6.jpg"):
        verdict = enrolled.verification.face("M-100", photo_camera(photo), "desk-1")
        assert verdict.status is VerifyStatus.ACCEPTED, photo
        assert verdict.subject is not None and verdict.subject.member_number == "M-100"
        assert verdict.frames_used == 1  # R10: one frame decides
    for photo in (
        "Jennifer_Aniston/deepface_img3.jpg",
        "Matt_Damon/deepface_img30.jpg",
        "obama/face_recognition_obama.jpg",
        "George_Clooney/deepface_img39.jpg",
    ):
        verdict = enrolled.verification.face("M-100", photo_camera(photo), "desk-1")
        assert verdict.status is VerifyStatus.REJECTED, photo
        assert verdict.subject is None
    kinds = [e.kind for e in enrolled.repos.audit.events()]
    assert kinds.count("verify_face") == 6


@pytest.mark.parametrize("consent", [None, False])
def test_r1_enroll_without_consent_is_refused_before_the_camera_opens(
    station: Station, photo_camera: Callable[..., Camera], consent: bool | None
) -> None:
    """R1: no recorded acceptance -> refused, camera never opened, nothing stored."""
    _register(station, consent=consent)
    camera = CountingCamera(photo_camera(*ANGELINA_ENROLL))
    outcome = station.enrollment.enroll("M-100", camera, "desk-1")
    assert outcome.status is EnrollStatus.NO_CONSENT
    assert camera.opened == 0 and not outcome.camera_opened
    assert outcome.audit_event is not None and outcome.audit_event.detail["status"] == "no_consent"
    subject = station.subjects.find("M-100")
    assert subject is not None and station.repos.templates.for_subject(subject.id) is None


def test_r1_consent_record_names_the_exact_notice(station: Station) -> None:
    """R1: version and SHA-256 of the text shown are stored with the decision."""
    notice = station.notices.current("zh_CN")
    station.subjects.register("M-7", "Li Na", ADULT_BIRTH, "desk-1")
    record = station.consents.record("M-7", True, notice, "desk-1")
    stored = station.repos.consents.latest_face_consent(record.subject_id)
    assert stored is not None and stored.notice_sha256 == notice.sha256
    assert stored.notice_version == notice.version and stored.operator == "desk-1"


def test_no_face_frames_give_no_face_and_store_nothing(station: Station, faces: Path) -> None:
    negatives = sorted((faces / "negatives").iterdir())[:8]
    _register(station)

    def camera() -> FrameSource:
        return ImageFolderSource.from_files(negatives, fps=1)

    outcome = station.enrollment.enroll("M-100", camera, "desk-1")
    assert outcome.status is EnrollStatus.NOT_ENOUGH_GOOD_FRAMES
    assert set(outcome.rejections) == {QualityIssue.NO_FACE}
    assert outcome.rejections[QualityIssue.NO_FACE] == len(negatives)
    assert not outcome.timed_out  # the stream ended first
    assert QualityIssue.NO_FACE.hint in outcome.message
    subject = station.subjects.find("M-100")
    assert subject is not None and station.repos.templates.for_subject(subject.id) is None


def test_verify_with_no_face_frames(enrolled: Station, faces: Path) -> None:
    negatives = sorted((faces / "negatives").iterdir())[:4]
    verdict = enrolled.verification.face(
        "M-100", lambda: ImageFolderSource.from_files(negatives, fps=1), "desk-1"
    )
    assert verdict.status is VerifyStatus.NO_GOOD_FRAME and verdict.frames_used == 0


def test_r15_template_from_another_model_is_never_compared(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    """R15: a template whose model fingerprint differs is not matched, even by its own face."""
    enrolled.store.execute("UPDATE templates SET model_fingerprint = 'another-model'")
    verdict = enrolled.verification.face(
        "M-100", photo_camera("Angelina_Jolie/deepface_img4.jpg"), "desk-1"
    )
    assert verdict.status is VerifyStatus.NO_TEMPLATE and verdict.frames_read == 0


def test_r15_re_enrollment_replaces_the_old_template(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    subject = enrolled.subjects.find("M-100")
    assert subject is not None
    old = enrolled.repos.templates.id_for(subject.id)
    enrolled.enrollment.enroll("M-100", photo_camera(*ANGELINA_ENROLL), "desk-1")
    assert enrolled.repos.templates.id_for(subject.id) != old
    assert enrolled.store.execute("SELECT count(*) FROM templates").fetchone()[0] == 1


def test_delete_face_data_then_face_path_refuses(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    deleted = enrolled.subjects.delete_face_data("M-100", "desk-1")
    assert deleted.templates_destroyed == 1 and deleted.audit_event.kind == "face_data_deleted"
    assert enrolled.store.execute("SELECT count(*) FROM templates").fetchone()[0] == 0
    verdict = enrolled.verification.face(
        "M-100", photo_camera("Angelina_Jolie/deepface_img4.jpg"), "desk-1"
    )
    assert verdict.status is VerifyStatus.NO_TEMPLATE


def test_r5_pin_path_works_without_camera_or_models(tmp_store: Any, settings: Settings) -> None:
    """R5: the non-face path needs neither a camera nor the face models."""

    def no_models() -> Any:
        raise AssertionError("the PIN path must not load face models")

    station = Station(tmp_store, ADMIN, settings, models=no_models)
    station.subjects.register("M-5", "Wang Fang", ADULT_BIRTH, "desk-1")
    assert station.verification.pin("M-5", "246813", "desk-1").status is VerifyStatus.NO_CREDENTIAL
    station.subjects.set_pin("M-5", "246813", "desk-1")
    accepted = station.verification.pin("M-5", "246813", "desk-1")
    assert accepted.status is VerifyStatus.ACCEPTED and accepted.method is VerifyMethod.PIN
    assert station.verification.pin("M-5", "135792", "desk-1").status is VerifyStatus.REJECTED
    assert (
        station.verification.pin("M-404", "246813", "desk-1").status is VerifyStatus.UNKNOWN_SUBJECT
    )
    stored = station.repos.subjects.pin_hash(station.subjects.find("M-5").id)  # type: ignore[union-attr]
    assert stored is not None and stored.startswith("$argon2id$") and "246813" not in stored
    with pytest.raises(ServiceError, match="6 to 12 digits"):
        station.subjects.set_pin("M-5", "12", "desk-1")
    station.subjects.register("M-6", "Sun Li", ADULT_BIRTH, "desk-1", card_number="CARD-0042")
    station.subjects.set_pin("M-6", "975318", "desk-1")
    by_card = station.verification.pin("CARD-0042", "975318", "desk-1")  # card number + PIN
    assert by_card.status is VerifyStatus.ACCEPTED and by_card.subject is not None
    assert by_card.subject.member_number == "M-6"
    with pytest.raises(ServiceError, match="already belongs"):
        station.subjects.register("M-8", "Other", ADULT_BIRTH, "desk-1", card_number="CARD-0042")
    checked = station.verification.document("M-5", "passport", "desk-1")
    assert checked.status is VerifyStatus.ACCEPTED and checked.method is VerifyMethod.DOCUMENT
    assert checked.audit_event is not None
    assert checked.audit_event.detail == {"document_type": "passport"}  # the type, never a number


def test_no_camera_is_a_clear_outcome(station: Station) -> None:
    _register(station)

    def unplugged() -> FrameSource:
        class Absent(FrameSourceBase):
            description = "webcam 0"
            is_open = False

            def open(self) -> None:
                raise NoCameraError("No camera found at index 0.")

            def read(self) -> Frame | None:
                raise AssertionError("never opened")

            def close(self) -> None:
                pass

        return Absent()

    outcome = station.enrollment.enroll("M-100", unplugged, "desk-1")
    assert outcome.status is EnrollStatus.CAMERA_FAILED and "No camera" in outcome.message


def test_camera_lost_mid_capture_stores_nothing(station: Station, faces: Path) -> None:
    _register(station)
    photo = faces / "photos" / ANGELINA_ENROLL[0]

    lost = CameraLostError("The camera stopped sending pictures.")
    outcome = station.enrollment.enroll(
        "M-100", lambda: FailingAfterOnePhoto(photo, lost), "desk-1"
    )
    assert outcome.status is EnrollStatus.CAMERA_FAILED and "stopped" in outcome.message
    assert station.store.execute("SELECT count(*) FROM templates").fetchone()[0] == 0


@pytest.mark.parametrize("kind", ["folder", "pattern"])
def test_r10_a_folder_of_photos_enrolls_with_three_of_three_at_the_default_gap(
    station: Station, faces: Path, tmp_path: Path, kind: str
) -> None:
    """Issue 12: `enroll --camera <folder of photos>` ended "with 1 of 3 good frames", because the
    enrollment gap (capture.min_frame_gap_ms, R10) was measured on the folder's replay timestamps,
    33 ms apart. Each photo is its own moment, so the default settings take three of three. The
    same photos as a numbered sequence are the frames of one recording: the gap still applies."""
    assert station.settings.capture.min_frame_gap_ms == Settings().capture.min_frame_gap_ms
    folder = tmp_path / "photos"
    folder.mkdir()
    # Three photos of one person, each past the default enrollment gate (R26).
    for number, name in enumerate(
        ("deepface_img29.jpg", "deepface_img30.jpg", "deepface_img32.jpg")
    ):
        (folder / f"frame_{number:04d}.jpg").symlink_to(faces / "photos" / "Matt_Damon" / name)
    _register(station)
    camera = str(folder if kind == "folder" else folder / "frame_%04d.jpg")
    outcome = station.enrollment.enroll("M-100", lambda: open_source(camera), "desk-1")
    if kind == "folder":
        assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    else:
        assert outcome.status is EnrollStatus.NOT_ENOUGH_GOOD_FRAMES
        assert "with 1 of 3 good frames" in outcome.message


def test_r10_frame_buffers_are_overwritten_after_use(station: Station, faces: Path) -> None:
    """R10: every frame the station read is zeroed once assessed, not just dropped."""
    _register(station)
    handed_out: list[np.ndarray[Any, Any]] = []

    class Keeping(ImageFolderSource):
        def read(self) -> Frame | None:
            frame = super().read()
            if frame is not None:
                handed_out.append(frame.pixels)
            return frame

    paths = [faces / "photos" / p for p in ANGELINA_ENROLL]
    outcome = station.enrollment.enroll("M-100", lambda: Keeping.from_files(paths, fps=1), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED and len(handed_out) == 3
    assert all(not pixels.any() for pixels in handed_out)


def test_enroll_from_the_real_video_and_verify_with_a_photo(
    tmp_store: Any, frozen_clock: Any, models: Any, faces: Path, photo_camera: Callable[..., Camera]
) -> None:
    """The video file source drives a whole enrollment; the face in the clip is small (eye distance
    ~30-45 px at 640x360), so this site lowers the enrollment size limit in its settings."""
    from dataclasses import replace

    from station.capture import VideoFileSource

    base = fast_settings()
    settings = replace(
        base,
        enroll_gate=replace(base.enroll_gate, min_eye_distance_px=30.0, max_yaw=0.25),
        verify_gate=replace(base.verify_gate, min_eye_distance_px=30.0),
    )
    station = Station(tmp_store, ADMIN, settings, frozen_clock, models=lambda: models)
    _register(station, "LMM")
    clip = faces / "video" / "short_hamilton_clip.mp4"
    outcome = station.enrollment.enroll("LMM", lambda: VideoFileSource(clip), "desk-1")
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    assert outcome.frames_used == 3 and outcome.frames_read < 200
    same = station.verification.face(
        "LMM", photo_camera("lin_manuel_miranda/face_recognition_lin-manuel-miranda.png"), "desk-1"
    )
    assert same.status is VerifyStatus.ACCEPTED
    other = station.verification.face(
        "LMM", photo_camera("alex_lacamoire/face_recognition_img1.jpg"), "desk-1"
    )
    assert other.status is VerifyStatus.REJECTED


def test_r21_one_to_many_is_off_by_default_and_finds_the_right_person_when_on(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    """R21: 1:1 by default; 1:N only as a site setting."""
    with pytest.raises(ServiceError, match="switched off"):
        enrolled.verification.identify(photo_camera("Angelina_Jolie/deepface_img4.jpg"), "desk-1")
    from dataclasses import replace

    _register(enrolled, "M-200")
    enrolled.enrollment.enroll(
        "M-200",
        photo_camera(
            "Matt_Damon/deepface_img30.jpg",
            "Matt_Damon/deepface_img32.jpg",
            "Matt_Damon/deepface_img33.jpg",
        ),
        "desk-1",
    )
    enrolled.settings = replace(
        enrolled.settings, match=replace(enrolled.settings.match, one_to_many=True)
    )
    found = enrolled.verification.identify(photo_camera("Matt_Damon/deepface_img29.jpg"), "desk-1")
    assert found.status is VerifyStatus.ACCEPTED
    assert found.subject is not None and found.subject.member_number == "M-200"
    stranger = enrolled.verification.identify(
        photo_camera("obama/face_recognition_obama.jpg"), "desk-1"
    )
    assert stranger.status is VerifyStatus.REJECTED and stranger.subject is None
    enrolled.subjects.delete_face_data(
        "M-200", "desk-1"
    )  # the cached gallery must forget them at once
    gone = enrolled.verification.identify(photo_camera("Matt_Damon/deepface_img29.jpg"), "desk-1")
    assert gone.status is VerifyStatus.REJECTED


def test_r15_templates_from_two_stations_are_unlinkable(
    enrolled: Station,
    tmp_path: Path,
    settings: Settings,
    frozen_clock: Any,
    models: Any,
    photo_camera: Callable[..., Camera],
) -> None:
    """R15: the same face enrolled at two stations gives templates that do not match each other,
    while each station still verifies the person."""
    from station.biometrics.matching import distance

    other = Station(
        create_store(tmp_path / "other" / "station.db"),
        ADMIN,
        settings,
        frozen_clock,
        models=lambda: models,
    )
    try:
        _register(other)
        assert (
            other.enrollment.enroll("M-100", photo_camera(*ANGELINA_ENROLL), "desk-2").status
            is EnrollStatus.ENROLLED
        )
        mine = enrolled.repos.templates.for_subject(enrolled.subjects.find("M-100").id)  # type: ignore[union-attr]
        theirs = other.repos.templates.for_subject(other.subjects.find("M-100").id)  # type: ignore[union-attr]
        assert mine is not None and theirs is not None
        assert distance(mine.vector, theirs.vector) > 1.0  # unrelated directions, not a near match
        probe = photo_camera("Angelina_Jolie/deepface_img4.jpg")
        assert other.verification.face("M-100", probe, "desk-2").status is VerifyStatus.ACCEPTED
        assert enrolled.verification.face("M-100", probe, "desk-1").status is VerifyStatus.ACCEPTED
    finally:
        other.store.close()


def test_r25_capture_stops_at_the_time_limit(station: Station, frozen_clock: Any) -> None:
    """R25: with nobody usable in front of it, the camera stops after the configured limit."""
    _register(station)
    empty_room = np.full((480, 640, 3), 90, dtype=np.uint8)

    class SlowClockSource(ListSource):
        def read(self) -> Frame | None:
            frozen_clock.ticks += 0.5  # each frame takes half a second of (fake) time
            return super().read()

    outcome = station.enrollment.enroll(
        "M-100", lambda: SlowClockSource([empty_room], repeat=True), "desk-1"
    )
    assert outcome.status is EnrollStatus.NOT_ENOUGH_GOOD_FRAMES
    assert "time limit" in outcome.message and outcome.timed_out and outcome.good_frames == 0
    limit = station.settings.capture.timeout_seconds
    assert limit / 0.5 - 2 <= outcome.frames_read <= limit / 0.5 + 2


def test_cancel_mid_capture_stores_nothing(station: Station, faces: Path) -> None:
    """The progress/cancel protocol: a caller on another thread can stop a capture cleanly."""
    from station.domain.capture import CaptureProgress

    _register(station)
    seen: list[CaptureProgress] = []

    class CancelAfterFirstGoodFrame:
        def cancelled(self) -> bool:
            return any(p.good_frames >= 1 for p in seen)

        def report(self, progress: CaptureProgress) -> None:
            seen.append(progress)

    paths = [faces / "photos" / p for p in ANGELINA_ENROLL]
    outcome = station.enrollment.enroll(
        "M-100",
        lambda: ImageFolderSource.from_files(paths, fps=1),
        "desk-1",
        CancelAfterFirstGoodFrame(),
    )
    assert outcome.status is EnrollStatus.CANCELLED and "nothing was stored" in outcome.message
    assert seen[0].frames_needed == 3 and seen[0].face is not None and seen[0].issue is None
    assert station.store.execute("SELECT count(*) FROM templates").fetchone()[0] == 0


def test_garbage_frames_are_rejected_not_crashed_on(enrolled: Station) -> None:
    """Huge, blank and noise frames from a broken camera give reasons, never an exception."""
    rng = np.random.default_rng(7)
    garbage = [
        np.zeros((5000, 8000, 3), dtype=np.uint8),  # beyond any webcam: refused before detection
        np.zeros((480, 640, 3), dtype=np.uint8),
        np.full((480, 640, 3), 255, dtype=np.uint8),
        rng.integers(0, 256, (480, 640, 3), dtype=np.uint8),
        np.zeros((1, 1, 3), dtype=np.uint8),
    ]
    verdict = enrolled.verification.face("M-100", lambda: ListSource(garbage), "desk-1")
    assert verdict.status is VerifyStatus.NO_GOOD_FRAME
    assert verdict.rejections[QualityIssue.INVALID_FRAME] == 2
    assert verdict.rejections[QualityIssue.NO_FACE] == 3


def test_r4_withdrawal_destroys_the_template_and_keeps_the_other_path(
    enrolled: Station, photo_camera: Callable[..., Camera]
) -> None:
    """R4: one call records the withdrawal and destroys the template; PIN still works."""
    enrolled.subjects.set_pin("M-100", "864213", "desk-1")
    withdrawn = enrolled.subjects.withdraw_face_consent("M-100", "desk-1")
    assert withdrawn.templates_destroyed == 1
    assert withdrawn.audit_event.kind == "face_consent_withdrawn"
    subject = enrolled.subjects.find("M-100")
    assert subject is not None
    record = enrolled.subjects.record(subject.id)
    assert not record.has_template and record.has_pin
    assert record.consent is not None and not record.consent.accepted
    assert record.consent.method == "withdrawal"
    assert [e.kind for e in record.recent_events][-1] == "face_consent_withdrawn"
    assert enrolled.verification.pin("M-100", "864213", "desk-1").status is VerifyStatus.ACCEPTED
    # a new enrollment needs a new consent
    again = enrolled.enrollment.enroll("M-100", photo_camera(*ANGELINA_ENROLL), "desk-1")
    assert again.status is EnrollStatus.NO_CONSENT


def test_subject_search_by_member_number_or_name(station: Station) -> None:
    for member, name in (("A-1", "Li Na"), ("A-2", "Li Ming"), ("B-7", "Zhang 50%_off")):
        station.subjects.register(member, name, ADULT_BIRTH, "desk-1")
    assert [s.member_number for s in station.subjects.search("A-2")] == ["A-2"]
    assert {s.member_number for s in station.subjects.search("Li ")} == {"A-1", "A-2"}
    assert [s.member_number for s in station.subjects.search("50%_")] == ["B-7"]
    assert [s.member_number for s in station.subjects.search("%")] == ["B-7"]  # wildcard escaped
    assert station.subjects.search("   ") == []


def test_isolated_embedder_gives_the_same_descriptor(models: Any, faces: Path) -> None:
    """The window's out-of-process descriptor (no GIL held in the GUI process) equals the in-process one."""
    from station.biometrics.assets import verify_assets
    from station.biometrics.embedder import IsolatedEmbedder
    from station.capture import read_image_rgb

    paths = verify_assets()
    isolated = IsolatedEmbedder(paths)
    detector = models.new_detector()
    try:
        for photo in ("Angelina_Jolie/deepface_img1.jpg", "obama/face_recognition_obama.jpg"):
            rgb = read_image_rgb(faces / "photos" / photo)
            face = detector.detect(rgb)[0]
            here = models.embedder.embed(rgb, face)
            there = isolated.embed(rgb, face)
            # Both parts (dlib, SFace) from a crop, as from the whole frame (issue 13)
            assert there.shape == (CURRENT.size,), photo
            # dlib's part to float precision; SFace's within 1e-4, as OpenCV's fixed-point warp
            # rounds a shifted crop's sub-pixel positions a little differently.
            assert float(np.abs(here[:128] - there[:128]).max()) < 1e-5, photo
            assert float(np.abs(here - there).max()) < 1e-4, photo
            assert rgb.any()  # the caller's frame is untouched; only the crop sent is wiped
    finally:
        detector.close()
        isolated.close()
    assert not isolated._process.is_alive()
