"""Whole operator flows in the real window: real store, real models, a file camera (R1, R5, R25)."""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from station.domain import VerifyStatus
from tests.ui.conftest import Drive, create_station, open_notice, submit_first_start, until
from ui.views.main_window import MainWindow
from ui.views.result_card import ResultCard, ResultKind

CLIP = Path("video") / "short_hamilton_clip.mp4"


def _card_state(card: ResultCard) -> dict[str, object]:
    """What the result card shows now: its kind, icon file, headline, visible actions, focus."""
    focused = QApplication.focusWidget()
    return {
        "kind": card.kind,
        "icon": Path(card.icon_file).name,
        "headline": card.headline.text(),
        "accessible": card.accessibleName(),
        "visible": card.isVisible(),
        "buttons": [button.text() for button in card.next_actions if button.isVisible()],
        "focus": focused.text() if isinstance(focused, QPushButton) else repr(focused),
    }


def _at_least(items: list[VerifyStatus], count: int) -> bool:
    return len(items) >= count


def test_r5_home_offers_three_equal_actions(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """R5: the non-face path sits beside the face options, same size, same weight."""

    async def scenario() -> None:
        await create_station(window, qtbot)

    drive(scenario)
    home = window.home
    assert window.stack.currentWidget() is home
    actions = (home.enroll, home.verify_face, home.verify_other)
    # The same height and, but for a pixel of rounding (three stretches in a width not divisible
    # by three), the same width.
    assert len({b.height() for b in actions}) == 1
    widths = [b.width() for b in actions]
    assert max(widths) - min(widths) <= 1, widths
    for button in (home.enroll, home.verify_face, home.verify_other, home.search):
        assert button.accessibleName()  # R8


def test_r5_r6_decline_leads_to_a_pin_that_verifies_without_a_camera(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """R5, R6: declining face never blocks service; the PIN path works with no camera at all."""

    async def scenario() -> None:
        await create_station(window, qtbot)
        enroll = await open_notice(window, qtbot, "M-77", "Wang Fang", card="CARD-77")
        assert "no photo or video" in enroll.notice.toPlainText().lower()
        qtbot.mouseClick(enroll.switch_language, Qt.MouseButton.LeftButton)
        assert "人脸" in enroll.notice.toPlainText()
        qtbot.mouseClick(enroll.decline, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.pages.currentIndex() == 3, what="the PIN page")
        labels = [label.text() for label in enroll.findChildren(QLabel)]
        assert "New PIN (6 to 12 digits)" in labels  # the core's rule, said on the page
        assert "not the date of birth" in enroll.pin_rule.text()
        enroll.pin.setText("123456")  # R5: too easy to guess, refused with the reason
        enroll.pin_again.setText("123456")
        qtbot.mouseClick(enroll.save_pin, Qt.MouseButton.LeftButton)
        await until(lambda: "digits in a row" in enroll.pin_error.text(), what="the refusal")
        assert enroll.pages.currentIndex() == 3 and enroll.pin.text() == ""
        enroll.pin.setText("246813")
        enroll.pin_again.setText("246813")
        qtbot.mouseClick(enroll.save_pin, Qt.MouseButton.LeftButton)
        await until(lambda: "PIN saved" in enroll.result.text(), what="the PIN to be saved")
        qtbot.mouseClick(enroll.finish, Qt.MouseButton.LeftButton)
        window.home.search.setText("M-77")
        qtbot.mouseClick(window.home.verify_other, Qt.MouseButton.LeftButton)
        alternative = window.alternative
        alternative.pin.setText("246813")
        qtbot.mouseClick(alternative.check_pin, Qt.MouseButton.LeftButton)
        await until(lambda: "Verified" in alternative.result.text(), what="the PIN decision")
        alternative.result.clear()
        alternative.member.setText("CARD-77")  # card number + PIN
        alternative.pin.setText("246813")
        qtbot.mouseClick(alternative.check_pin, Qt.MouseButton.LeftButton)
        await until(lambda: "M-77" in alternative.result.text(), what="the card + PIN decision")
        assert alternative.pin.text() == ""  # not kept in the widget

    drive(scenario)
    assert window.desk is not None
    subject = window.desk.station.subjects.find("M-77")
    assert subject is not None
    consent = window.desk.station.repos.consents.latest_face_consent(subject.id)
    assert consent is not None and not consent.accepted  # the decline is recorded
    assert window.desk.station.repos.templates.for_subject(subject.id) is None
    assert not window.camera.running  # the camera was never started


@pytest.mark.usefixtures("models")
def test_enroll_with_consent_then_verify_accepted_and_rejected(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], faces: Path
) -> None:
    decisions: list[VerifyStatus] = []
    cards: list[dict[str, object]] = []

    async def scenario() -> None:
        await create_station(window, qtbot)
        window.set_camera(str(faces / CLIP))
        enroll = await open_notice(window, qtbot, "LMM", "Lin-Manuel Miranda")
        assert not window.camera.running  # R1: nothing opened before the answer
        qtbot.mouseClick(enroll.accept, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.pages.currentIndex() == 2, what="the camera step")
        assert not window.camera.running  # R25: only the explicit start opens it
        qtbot.mouseClick(enroll.capture.start, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.capture.preview.frames_shown > 0, what="a preview frame")
        # R8: with Start off, the keyboard focus is on Cancel, not lost in the header.
        assert QApplication.focusWidget() is enroll.capture.cancel
        await until(lambda: enroll.pages.currentIndex() == 4, timeout=45, what="enrollment")
        assert "one face template, no image" in enroll.result.text(), enroll.result.text()
        await until(lambda: not window.camera.running, what="the camera to stop")
        qtbot.mouseClick(enroll.finish, Qt.MouseButton.LeftButton)

        verify = window.verify
        verify.decided.connect(lambda outcome: decisions.append(outcome.status))
        for photo in (
            "lin_manuel_miranda/face_recognition_lin-manuel-miranda.png",
            "obama/face_recognition_obama.jpg",
        ):
            window.set_camera(str(faces / "photos" / photo))
            window.home.search.setText("LMM")
            qtbot.mouseClick(window.home.verify_face, Qt.MouseButton.LeftButton)
            qtbot.mouseClick(verify.capture.start, Qt.MouseButton.LeftButton)
            await until(partial(_at_least, decisions, len(decisions) + 1), what="a decision")
            await until(lambda: not window.camera.running, what="the camera to stop")
            cards.append(_card_state(verify.result))
            qtbot.mouseClick(verify.finish, Qt.MouseButton.LeftButton)

        # the subject page: what is held, then withdrawal (R4)
        home = window.home
        home.search.setText("Lin-Manuel")
        qtbot.mouseClick(home.find_button, Qt.MouseButton.LeftButton)
        await until(lambda: home.results.count() == 1, what="the search result")
        home.results.itemActivated.emit(home.results.item(0))
        page = window.subject
        await until(
            lambda: "One face template (no image)" in page.details.toPlainText(), what="page"
        )
        assert "accepted" in page.details.toPlainText() and page.withdraw.isEnabled()
        qtbot.mouseClick(page.withdraw, Qt.MouseButton.LeftButton)
        await until(lambda: "destroyed" in page.message.text(), what="the withdrawal")
        assert "No face data is held." in page.details.toPlainText()
        assert "face consent withdrawn" in page.details.toPlainText()

    drive(scenario)
    assert decisions == [VerifyStatus.ACCEPTED, VerifyStatus.REJECTED]
    # Issue 12: each decision is a card whose kind, icon and words tell it apart (not colour
    # alone); the failure offers "another way" beside "try again" (R5) and the first action has
    # the keyboard focus (R8).
    accepted, rejected = cards
    assert accepted["kind"] is ResultKind.OK and accepted["icon"] == "result-ok.svg"
    assert accepted["headline"] == "Verified by face: Lin-Manuel Miranda (LMM)"
    assert accepted["accessible"] == accepted["headline"]
    assert accepted["buttons"] == ["Done"] and accepted["focus"] == "Done"
    assert rejected["kind"] is ResultKind.FAIL and rejected["icon"] == "result-fail.svg"
    assert rejected["headline"] == "Not verified: the face did not match."
    assert rejected["buttons"] == ["Try again", "Verify another way", "Done"]
    assert rejected["focus"] == "Try again"
    assert window.desk is not None
    assert window.desk.station.store.execute("SELECT count(*) FROM templates").fetchone()[0] == 0


def test_r5_no_camera_gives_a_banner_and_keeps_the_other_path(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """No camera: a clear banner, face verification off with the reason, camera never opened."""

    async def scenario() -> None:
        await create_station(window, qtbot)
        assert "No camera is connected" in window.banner.text()
        assert not window.home.verify_face.isEnabled()
        assert "webcam 7" in window.home.verify_face.toolTip()
        assert window.home.verify_other.isEnabled() and window.home.enroll.isEnabled()
        enroll = await open_notice(window, qtbot, "M-1", "Zhao Lei")
        qtbot.mouseClick(enroll.accept, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.pages.currentIndex() == 2, what="the camera step")
        assert not enroll.capture.start.isEnabled()
        assert "No camera is connected" in enroll.capture.hint.text()

    drive(scenario)
    assert not window.camera.running


def test_an_idle_desk_locks_and_closes_the_store(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    async def scenario() -> None:
        await create_station(window, qtbot)
        window.idle_timer.setInterval(200)
        window.idle_timer.start()
        await until(lambda: window.desk is None, what="the lock")
        window.idle_timer.setInterval(300_000)  # no second lock while the test signs in again
        assert window.stack.currentWidget() is window.start and not window.start.creating
        assert "Locked" in window.banner.text()
        window.start.operator.setText("desk one")  # account names ignore case
        window.start.password.setText("wrong password")
        qtbot.mouseClick(window.start.go, Qt.MouseButton.LeftButton)
        await until(
            lambda: "Wrong operator name or password" in window.start.error.text(), what="refusal"
        )
        window.start.password.setText("front desk secret")
        qtbot.mouseClick(window.start.go, Qt.MouseButton.LeftButton)
        await until(lambda: window.desk is not None, what="the sign-in")
        assert window.desk is not None and window.desk.operator == "Desk One"
        await until(lambda: window.models_ready, what="the models after the new sign-in")

    drive(scenario)


def test_locking_while_the_models_load_leaves_no_process_behind(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """The store and the descriptor process are closed even when the desk locks mid-load and the
    window closes right after (the window fixture checks no process outlives it)."""

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        window.lock()  # the models are still loading on the store thread
        assert window.desk is None and window.stack.currentWidget() is window.start
        await window.executor.run(lambda: None)  # the store thread is in order: load, then close
        await asyncio.sleep(0.05)
        assert not window.models_ready  # a locked desk's late models are not announced

    drive(scenario)
