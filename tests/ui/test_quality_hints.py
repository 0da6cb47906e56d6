"""R26 as the person in front of the camera meets it: a real frame with one fault, captured by the
real enrollment (MediaPipe's detector and the quality gate), is refused for that fault, and the
operator's capture panel, the person-facing screen and the result name it in words of its own, in
English and in Simplified Chinese (the window's .qm catalog, installed as the language switch
installs it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.domain import EnrollStatus, QualityIssue
from station.services import Station
from tests.conftest import ADMIN, ADULT_BIRTH
from tests.frames import REASON_FRAMES, ListSource, Watching
from ui.desk import Desk
from ui.i18n import install_language, other_language
from ui.views.capture import CapturePanel
from ui.views.member_screen import MemberScreen
from ui.views.texts import enroll_result, quality_hint
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

MEMBER = "M-26"
FRAMES_SHOWN = 2  # the faulty frame, twice; then the camera stream ends
# What the person is told for each reason, as R26 wants it: the reason in plain words.
HINTS = {
    QualityIssue.NO_FACE: {
        "en": "No face seen: please look at the camera.",
        "zh_CN": "未检测到人脸：请看向摄像头。",
    },
    QualityIssue.MULTIPLE_FACES: {
        "en": "Only one person in front of the camera, please.",
        "zh_CN": "摄像头前请只保留一人。",
    },
    QualityIssue.TOO_SMALL: {
        "en": "Please move closer to the camera.",
        "zh_CN": "请靠近摄像头。",
    },
    QualityIssue.TOO_CLOSE_TO_EDGE: {
        "en": "Please move to the centre of the picture.",
        "zh_CN": "请移到画面中央。",
    },
    QualityIssue.NOT_FRONTAL: {
        "en": "Please face the camera directly.",
        "zh_CN": "请正对摄像头。",
    },
    QualityIssue.BLURRED: {
        "en": "Please hold still for a moment.",
        "zh_CN": "请保持不动片刻。",
    },
    QualityIssue.TOO_DARK: {"en": "More light is needed.", "zh_CN": "光线不足。"},
    QualityIssue.TOO_BRIGHT: {
        "en": "Too much light: please step out of direct light.",
        "zh_CN": "光线过强：请避开直射光。",
    },
    QualityIssue.INVALID_FRAME: {
        "en": "The camera sent an unusable picture.",
        "zh_CN": "摄像头画面无法使用。",
    },
}


@pytest.fixture
def desk(station: Station) -> Iterator[Desk]:
    executor = StoreExecutor()
    yield Desk(station, executor, CameraSession("7"), ADMIN)
    executor.shutdown()


def test_r26_every_reason_has_its_words_in_both_languages_here() -> None:
    assert set(HINTS) == set(QualityIssue) == set(REASON_FRAMES)


@pytest.mark.parametrize("issue", list(QualityIssue), ids=lambda issue: issue.value)
def test_r26_each_reason_met_on_a_real_frame_shows_its_own_hint_in_both_languages(
    desk: Desk, faces: Path, qapp: QApplication, qtbot: QtBot, issue: QualityIssue
) -> None:
    station = desk.station
    station.subjects.register(MEMBER, "Quality Test", ADULT_BIRTH, ADMIN)
    station.consents.record(MEMBER, True, station.notices.current("en"), ADMIN)
    frame = REASON_FRAMES[issue](faces)
    watched = Watching()
    outcome = station.enrollment.enroll(
        MEMBER, lambda: ListSource([frame] * FRAMES_SHOWN), ADMIN, watched
    )
    # Every frame was refused for this reason, and nothing was stored.
    assert outcome.status is EnrollStatus.NOT_ENOUGH_GOOD_FRAMES, outcome.message
    assert outcome.rejections == {issue: FRAMES_SHOWN}
    assert [progress.issue for progress in watched.seen] == [issue] * FRAMES_SHOWN
    assert issue.hint in outcome.message  # the command line's words name it too
    panel = CapturePanel(desk)
    screen = MemberScreen()
    qtbot.addWidget(panel)
    qtbot.addWidget(screen)
    try:
        for language, words in HINTS[issue].items():
            install_language(qapp, language)
            # Its own words: none of the other reasons' in this language is the same.
            others = {quality_hint(other) for other in QualityIssue if other is not issue}
            assert words not in others and len(others) == len(QualityIssue) - 1
            for progress in watched.seen:
                panel._show_progress(progress)  # what the panel's watcher slot is handed
                assert panel.hint.text() == words
            # The person-facing screen: their language large, the other under it.
            screen.set_language(language)
            screen.show_progress(watched.seen[-1])
            assert screen.hint.primary.text() == words
            assert screen.hint.secondary.text() == HINTS[issue][other_language(language)]
            assert enroll_result(outcome, MEMBER, 3).endswith(words)  # the result says why
    finally:
        install_language(qapp, "en")
