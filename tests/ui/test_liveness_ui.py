"""R23 in the window: the capture page shows the movement asked for (big words in the person's
language, a cue, the time left); a still photo gets the liveness refusal with *Try again* and
*Verify another way* side by side (R5), counted (R24); enrollment refuses a photo the same way; the
settings panel switches the check (an administrator's audited change) and the banner says when it
is off."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QPushButton
from pytestqt.qtbot import QtBot

from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource
from station.domain import AttemptFactor, AuditKind, VerifyStatus
from station.domain.capture import CaptureProgress, ChallengeProgress
from station.domain.liveness import Action
from station.services import Station
from station.settings import Settings
from station.storage import Store
from tests.conftest import ADMIN, ADULT_BIRTH, LIVENESS_ON, FrozenClock
from tests.live_person import LivePerson, draw_seeded, member_enrolled_before_the_check, portrait
from tests.station.test_liveness_flows import (
    ANGELINA,
    ANGELINA_PHOTO,
    CHALLENGE_SEED,
    print_like_frames,
)
from tests.ui.conftest import Drive, submit_first_start, until
from ui.desk import Desk
from ui.i18n import install_language
from ui.views.capture import CapturePanel
from ui.views.capture_progress import ProgressPhase
from ui.views.enroll import CAMERA, EnrollView
from ui.views.main_window import MainWindow
from ui.views.texts import not_live
from ui.views.verify import VerifyFaceView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

Camera = Callable[[], FrameSource]
MEMBER = "M-23"
PROMPTS = {
    "en": {
        Action.TURN_LEFT: "Turn your head to your left",
        Action.TURN_RIGHT: "Turn your head to your right",
        Action.LOOK_UP: "Look up",
        Action.BLINK: "Blink twice",
    },
    "zh_CN": {
        Action.TURN_LEFT: "请向左转头",
        Action.TURN_RIGHT: "请向右转头",
        Action.LOOK_UP: "请抬头向上看",
        Action.BLINK: "请眨两次眼",
    },
}


@pytest.fixture
def print_folder(faces: Path, tmp_path: Path) -> Path:
    return print_like_frames(faces / "photos" / ANGELINA_PHOTO, tmp_path / "print")


@pytest.fixture
def guarded(
    tmp_store: Store,
    frozen_clock: FrozenClock,
    models: BiometricModels,
    photo_camera: Callable[..., Camera],
) -> Station:
    """The member enrolled while the check was off; the station then with it on (the default)."""
    station = member_enrolled_before_the_check(
        tmp_store, frozen_clock, models, photo_camera(*ANGELINA), MEMBER
    )
    station.consents.record(MEMBER, True, station.notices.current("en"), ADMIN)  # R3
    return station


@pytest.fixture
def desk(guarded: Station, print_folder: Path) -> Iterator[Desk]:
    """A desk whose camera shows a folder of print-like frames of the member's photo."""
    executor = StoreExecutor()
    camera = CameraSession(str(print_folder))
    yield Desk(guarded, executor, camera, ADMIN)
    camera.shutdown()
    executor.shutdown()


def _equal_and_side_by_side(first: QPushButton, second: QPushButton) -> None:
    """Equal weight (R5): the same height and, but for a pixel of rounding, the same width, on
    one row."""
    assert first.height() == second.height()
    assert abs(first.width() - second.width()) <= 1
    assert first.y() == second.y() and first.x() != second.x()


def test_r23_the_capture_page_shows_the_movement_its_cue_and_the_time_left_in_both_languages(
    desk: Desk, qtbot: QtBot, qapp: QApplication
) -> None:
    panel = CapturePanel(desk)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.challenge.isVisible()
    try:
        for language, prompts in PROMPTS.items():
            install_language(qapp, language)
            for action, words in prompts.items():
                asked = ChallengeProgress(action, 2, 2, 2.3)
                panel._show_progress(
                    CaptureProgress(12, 1, 3, None, None, (640, 480), challenge=asked)
                )
                assert panel.challenge.isVisible()
                assert panel.prompt.text() == words
                assert panel.shown_action is action and panel.cue.action is action
                assert "3" in panel.countdown.text()  # whole seconds left: 2.3 -> 3
                assert "2" in panel.count.text() and "2" in panel.ring.text()  # movement 2 of 2
                assert panel.cue.time_left == pytest.approx(2.3 / 4.0)
                assert panel.hint.text() == ""  # no "hold still" while a movement is asked
            if language == "zh_CN":
                assert "秒" in panel.countdown.text()
    finally:
        install_language(qapp, "en")
    panel._show_progress(CaptureProgress(13, 2, 3, None, None, (640, 480)))
    assert not panel.challenge.isVisible() and panel.shown_action is None


def test_r23_r5_r24_a_photo_gets_the_liveness_refusal_with_both_ways_forward(
    desk: Desk, qtbot: QtBot, drive: Drive[None]
) -> None:
    view = VerifyFaceView(desk)
    qtbot.addWidget(view)
    view.resize(1280, 900)  # the window's size: the row has room for the buttons side by side
    view.show()
    outcomes: list[object] = []
    view.decided.connect(outcomes.append)

    async def scenario() -> None:
        view.begin(MEMBER)
        qtbot.mouseClick(view.capture.start, Qt.MouseButton.LeftButton)
        await until(lambda: view.pages.currentIndex() == 1, timeout=45, what="the decision")

    drive(scenario)
    assert [getattr(outcome, "status", None) for outcome in outcomes] == [VerifyStatus.NOT_LIVE]
    assert view.result.text() == not_live()
    assert "live person" in view.result.text()
    assert view.again.isVisible() and view.other.isVisible()
    _equal_and_side_by_side(view.again, view.other)
    station = desk.station
    subject = station.subjects.find(MEMBER)
    assert subject is not None
    assert station.repos.attempts.get(subject.id, AttemptFactor.FACE).consecutive_failures == 1
    event = station.repos.audit.events(subject.id)[-1]
    assert event.kind == AuditKind.VERIFY_FACE and len(event.detail["liveness_actions"]) == 2


def test_r23_enrollment_from_a_photo_is_refused_with_try_again_beside_the_pin(
    desk: Desk, qtbot: QtBot, drive: Drive[None]
) -> None:
    view = EnrollView(desk)
    qtbot.addWidget(view)
    view.resize(1280, 900)  # the window's size: the row has room for the buttons side by side
    view.show()

    async def scenario() -> None:
        view.begin("M-25")
        view.name.setText("Someone Else")
        view.birth.setText(ADULT_BIRTH.isoformat())
        qtbot.mouseClick(view.to_notice, Qt.MouseButton.LeftButton)
        await until(view.notice.isVisible, what="the notice")
        assert "Live person check" in view.notice.toPlainText()  # R2: the notice says so
        qtbot.mouseClick(view.accept, Qt.MouseButton.LeftButton)
        await until(view.capture.start.isVisible, what="the camera step")
        qtbot.mouseClick(view.capture.start, Qt.MouseButton.LeftButton)
        await until(view.result.isVisible, timeout=45, what="the enrollment result")

    drive(scenario)
    assert view.result.text() == not_live()
    assert view.retry.isVisible() and view.use_pin.isVisible()
    _equal_and_side_by_side(view.retry, view.use_pin)
    subject = desk.station.subjects.find("M-25")
    assert subject is not None and desk.station.repos.templates.for_subject(subject.id) is None
    qtbot.mouseClick(view.retry, Qt.MouseButton.LeftButton)
    assert view.pages.currentIndex() == CAMERA


def test_r12_r23_the_banner_says_liveness_is_off_and_the_administrator_switches_it_on(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """The window's tests run with the check off (fast_settings): the banner says so until an
    administrator ticks the switch in the settings panel; the change is audited."""
    off = "The liveness check is off"

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        await until(lambda: off in window.banner.text(), what="the banner")
        qtbot.mouseClick(window.admin_button, Qt.MouseButton.LeftButton)
        settings = window.admin_view.settings
        _, switch = settings.editors[("liveness", "enabled")]
        assert isinstance(switch, QCheckBox) and not switch.isChecked()
        switch.setChecked(True)
        qtbot.mouseClick(settings.save, Qt.MouseButton.LeftButton)
        await until(lambda: "Saved" in settings.message.text(), what="the saved settings")
        await until(lambda: off not in window.banner.text(), what="the banner to change")

    drive(scenario)
    assert window.desk is not None
    station = window.desk.station
    assert station.settings.liveness.enabled
    changed = [e for e in station.repos.audit.events() if e.kind == AuditKind.SETTINGS_CHANGED]
    assert changed[-1].detail["changes"] == {"liveness.enabled": [False, True]}
    assert changed[-1].operator == "Desk One"


class TestWithTheCheckOn:
    """The window with the check on (the default), a synthetic live person at its camera who
    learns each movement from the capture page alone."""

    @pytest.fixture
    def site_settings(self, site_settings: Settings) -> Settings:
        return replace(site_settings, liveness=LIVENESS_ON)

    def test_r23_a_live_person_enrolls_and_is_verified_following_the_screen(
        self,
        window: MainWindow,
        qtbot: QtBot,
        qt_loop: qasync.QEventLoop,
        models: BiometricModels,
        faces: Path,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        draw_seeded(monkeypatch, CHALLENGE_SEED)
        person = LivePerson(portrait(models, faces / "photos" / ANGELINA_PHOTO), seed=2)
        steps: list[str] = []  # the step indicator at the camera step and at the result
        rings: list[tuple[object, int, int] | None] = []  # the progress ring after each report

        async def scenario() -> None:
            await submit_first_start(window, qtbot)
            await until(lambda: window.models_ready, timeout=60, what="the models")
            window.set_camera(str(faces / "photos" / ANGELINA_PHOTO))  # a camera is there
            assert window.desk is not None and window.desk.station.settings.liveness.enabled
            assert "liveness check is off" not in window.banner.text()
            window.camera.open_frames = person.in_front_of(window.enroll.capture)
            person.in_front_of(window.verify.capture)
            window.home.search.setText(MEMBER)
            qtbot.mouseClick(window.home.enroll, Qt.MouseButton.LeftButton)
            enroll = window.enroll
            enroll.name.setText("Angelina Test")
            enroll.birth.setText(ADULT_BIRTH.isoformat())
            qtbot.mouseClick(enroll.to_notice, Qt.MouseButton.LeftButton)
            await until(enroll.notice.isVisible, what="the notice")
            qtbot.mouseClick(enroll.accept, Qt.MouseButton.LeftButton)
            await until(enroll.capture.start.isVisible, what="the camera step")
            steps.append(enroll.steps.accessibleName())
            ring = enroll.capture.ring
            enroll.capture.progress_shown.connect(
                lambda shown: rings.append((ring.phase, ring.done, ring.total) if shown else None)
            )
            qtbot.mouseClick(enroll.capture.start, Qt.MouseButton.LeftButton)
            await until(lambda: person.prompts != [], timeout=30, what="the first movement")
            assert enroll.capture.challenge.isVisible() and enroll.capture.prompt.text()
            await until(enroll.result.isVisible, timeout=60, what="the enrollment")
            assert enroll.result.text().startswith("Enrolled"), enroll.result.text()
            steps.append(enroll.steps.accessibleName())
            await until(lambda: not window.camera.running, what="the camera to stop")
            asked = [action for action in person.prompts if action is not None]
            assert len(set(asked)) == 2  # both movements were shown, one after the other
            qtbot.mouseClick(enroll.finish, Qt.MouseButton.LeftButton)
            window.home.search.setText(MEMBER)
            qtbot.mouseClick(window.home.verify_face, Qt.MouseButton.LeftButton)
            verify = window.verify
            qtbot.mouseClick(verify.capture.start, Qt.MouseButton.LeftButton)
            await until(lambda: verify.pages.currentIndex() == 1, timeout=60, what="a decision")
            assert verify.result.text() == "Verified by face: Angelina Test (M-23)"
            await until(lambda: not window.camera.running, what="the camera to stop")

        # Two paced captures of a rendered head: more than `drive`'s minute on a busy machine.
        qt_loop.run_until_complete(asyncio.wait_for(scenario(), 300))
        assert steps == ["Step 3 of 4: Camera", "Step 4 of 4: Done"]
        # Issue 12: the ring counts the two movements (asked from the first good frame on), then
        # the end frames up to the three needed, and is cleared when the capture ends.
        assert rings[-1] is None
        shown = [entry for entry in rings[:-1] if entry is not None]
        frames = [(done, total) for phase, done, total in shown if phase is ProgressPhase.FRAMES]
        moves = [(done, total) for phase, done, total in shown if phase is ProgressPhase.MOVEMENTS]
        assert moves[0] == (0, 2) and moves[-1] == (1, 2) and moves == sorted(moves)
        assert shown.index((ProgressPhase.MOVEMENTS, 1, 2)) < shown.index(
            (ProgressPhase.FRAMES, 2, 3)
        )
        assert frames == sorted(frames) and shown[-1] == (ProgressPhase.FRAMES, 3, 3)
