"""The person-facing screen (issue 12): both languages whatever the window's, "turn to the member"
on one screen (keyboard, the operator key, nothing of the operator's reachable), the notice, the
capture and the outcome mirrored with no name or number on it, the welcome after a lock; and, in a
child process with two monitors, the second monitor and one unplugged mid-flow."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from station.domain import QualityIssue
from tests.ui.conftest import Drive, create_station, open_notice, until
from ui.i18n import install_language
from ui.views.main_window import MainWindow
from ui.views.member_display import MemberDisplay
from ui.views.member_screen import RETURN_KEY, MemberScreen, Page, Phrase
from ui.views.result_card import ResultKind
from ui.views.texts import QUALITY_HINTS

ROOT = Path(__file__).resolve().parents[2]
CLIP = Path("video") / "short_hamilton_clip.mp4"
PHOTO = Path("photos") / "lin_manuel_miranda" / "face_recognition_lin-manuel-miranda.png"
OPERATOR = "Desk One"  # submit_first_start's
MEMBER, NAME = "LMM", "Lin-Manuel Miranda"


def page(screen: MemberScreen) -> Page:
    """The page shown now (read through a call: it changes while a scenario awaits)."""
    return screen.page


def private_words(screen: MemberScreen, *words: str) -> list[str]:
    """Any text on the member screen that holds one of `words` (names, numbers): must be none."""
    return [text for text in screen.texts() if any(word in text for word in words)]


def focus_in(window: QWidget) -> bool:
    """Whether the keyboard focus is in `window` (and not on the member screen)."""
    focused = QApplication.focusWidget()
    return focused is not None and focused.window() is window


def operator_key(screen: MemberScreen) -> None:
    """RETURN_KEY, pressed through the window system as a real keyboard would."""
    handle = screen.windowHandle()
    assert handle is not None
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
    assert RETURN_KEY == "Ctrl+Alt+O"
    QTest.keyClick(handle, Qt.Key.Key_O, modifiers)


def test_both_languages_whatever_the_window_language(qapp: QCoreApplication) -> None:
    screen = MemberScreen()
    try:
        install_language(qapp, "zh_CN")  # the window in Chinese: the member screen still says both
        screen.set_language("en")
        assert screen.welcome.primary.text() == "Welcome"
        assert screen.welcome.secondary.text() == "欢迎"
        screen.set_language("zh_CN")
        assert screen.welcome.primary.text() == "欢迎"
        assert screen.welcome.secondary.text() == "Welcome"
        hint = Phrase("texts", QUALITY_HINTS[QualityIssue.TOO_SMALL])
        assert (hint("zh_CN"), hint("en")) == (
            "请靠近摄像头。",
            "Please move closer to the camera.",
        )
    finally:
        install_language(qapp, "en")
        screen.deleteLater()
    # The site's name is data: written once when both languages give the same.
    screen = MemberScreen()
    screen.set_site({"en": "Riverside Club", "zh_CN": "Riverside Club"})
    assert screen.site.text() == "Riverside Club" and screen.site.secondary.isHidden()
    screen.deleteLater()


def test_r8_turn_to_the_member_by_keyboard_and_back_with_the_operator_key(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """One screen: the turn button is reached with Tab and pressed with Enter; the member screen
    covers the operator's, application-modal, and a key typed at the operator's window goes
    nowhere; the operator key brings the window back with its focus. A decline and the PIN saved
    are mirrored, without the member's name or number."""
    display = window.member_display
    screen = display.screen

    async def scenario() -> None:
        await create_station(window, qtbot)
        assert display.second_screen() is None  # the offscreen platform has one screen
        assert display.turn_button.accessibleName()
        assert RETURN_KEY in display.turn_button.toolTip()
        assert not screen.isVisible() and not display.turn_button.isVisible()  # home: no flow
        home = window.home
        home.search.setText("M-8")
        qtbot.mouseClick(home.verify_other, Qt.MouseButton.LeftButton)
        alternative = window.alternative
        assert display.turn_button.isVisible() and alternative.pin.hasFocus()
        handle = window.windowHandle()
        assert handle is not None
        QTest.keyClick(handle, Qt.Key.Key_1)  # through the window system, as a keyboard types
        assert alternative.pin.text() == "1"
        alternative.pin.clear()

        for _ in range(30):  # Tab from the PIN field to the button beside the banner
            if display.turn_button.hasFocus():
                break
            qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        assert display.turn_button.hasFocus()
        qtbot.keyClick(display.turn_button, Qt.Key.Key_Return)
        assert display.turned
        await until(lambda: QGuiApplication.focusWindow() is screen.windowHandle(), what="turn")
        assert screen.isVisible() and screen.isFullScreen()
        assert screen.screen() is window.screen()
        assert screen.geometry() == window.screen().geometry()
        assert QApplication.activeModalWidget() is screen
        assert all(
            child.focusPolicy() is Qt.FocusPolicy.NoFocus for child in screen.findChildren(QWidget)
        )
        # A key typed at the operator's window now goes nowhere: the member screen is modal.
        alternative.pin.setFocus()
        QTest.keyClick(handle, Qt.Key.Key_2)
        assert alternative.pin.text() == ""

        operator_key(screen)
        await until(lambda: not display.turned, what="the operator key")
        await until(window.isActiveWindow, what="the operator's window back")
        assert not screen.isVisible() and QApplication.activeModalWidget() is None
        assert focus_in(window)
        qtbot.mouseClick(alternative.finish, Qt.MouseButton.LeftButton)
        assert not display.turn_button.isVisible()  # home again

        enroll = await open_notice(window, qtbot, "M-8", "Chen Jie")
        assert page(screen) is Page.NOTICE and screen.notice.text() == enroll.notice.toPlainText()
        qtbot.mouseClick(enroll.decline, Qt.MouseButton.LeftButton)
        await until(lambda: page(screen) is Page.RESULT, what="the decline on the member screen")
        assert screen.result_kind is ResultKind.OTHER_WAY
        assert screen.result_headline.text() == "No face data will be taken."
        enroll.pin.setText("246813")
        enroll.pin_again.setText("246813")
        qtbot.mouseClick(enroll.save_pin, Qt.MouseButton.LeftButton)
        await until(lambda: screen.result_kind is ResultKind.OK, what="the PIN saved, mirrored")
        assert screen.result_headline.text() == "All done. Thank you."
        assert not private_words(screen, "M-8", "Chen", OPERATOR)
        qtbot.mouseClick(enroll.finish, Qt.MouseButton.LeftButton)
        assert page(screen) is Page.WELCOME

        display.turn()
        await until(lambda: display.turned and screen.isVisible(), what="turned again")
        window.lock()  # a locked desk: the operator gets the sign-in, the member a welcome
        assert not display.turned and not screen.isVisible()
        assert page(screen) is Page.WELCOME and not display.turn_button.isVisible()

    drive(scenario)


@pytest.mark.usefixtures("models")
def test_the_turned_screen_mirrors_notice_capture_and_outcome_with_no_name(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], faces: Path
) -> None:
    """A real enrollment from the shared clip and a verification: the notice in the member's
    chosen language (Chinese, the window in English), the capture's hints and pictures, the
    outcome; no label, name or tooltip on the member screen ever holds the member's name or
    number or the operator's name."""
    display = window.member_display
    screen = display.screen
    seen: list[str] = []  # every text the member screen held at each update
    hints: list[str] = []

    def snapshot(*_args: object) -> None:
        seen.extend(screen.texts())
        if screen.hint.isVisible():
            hints.append(screen.hint.text())

    async def scenario() -> None:
        await create_station(window, qtbot)
        window.set_camera(str(faces / CLIP))
        enroll = await open_notice(window, qtbot, MEMBER, NAME)
        for panel in (enroll.capture, window.verify.capture):
            panel.progress_shown.connect(snapshot)
        qtbot.mouseClick(enroll.switch_language, Qt.MouseButton.LeftButton)
        assert screen.language == "zh_CN" and screen.notice.text() == enroll.notice.toPlainText()
        assert "人脸" in screen.notice.text()
        assert screen.choice.primary.text().startswith("请告诉工作人员")
        assert screen.choice.secondary.text().startswith("Tell the staff yes or no")
        assert screen.other_notice.text() == "This notice is also in English: ask the staff."
        snapshot()

        qtbot.mouseClick(enroll.accept, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.pages.currentIndex() == 2, what="the camera step")
        assert page(screen) is Page.CAPTURE and screen.hint.text() == "谢谢。摄像头马上开启。"
        qtbot.mouseClick(enroll.capture.start, Qt.MouseButton.LeftButton)
        display.turn()  # the operator started the camera, then turned the screen
        await until(lambda: screen.preview.frames_shown > 0, what="a frame on the member screen")
        await until(lambda: enroll.pages.currentIndex() == 4, timeout=45, what="enrollment")
        assert "one face template, no image" in enroll.result.text(), enroll.result.text()
        assert page(screen) is Page.RESULT and screen.result_kind is ResultKind.OK
        assert screen.result_headline.primary.text() == "已全部完成，谢谢。"
        assert screen.pictures.text() == "第 3 张，共 3 张"  # the last progress it showed
        assert hints and all(hint for hint in hints)  # every assessed frame had its words
        assert screen.preview.pixmap().isNull()  # no picture of the member left (R10)
        snapshot()
        operator_key(screen)
        await until(lambda: not display.turned, what="the operator key")
        await until(lambda: not window.camera.running, what="the camera to stop")
        qtbot.mouseClick(enroll.finish, Qt.MouseButton.LeftButton)
        assert page(screen) is Page.WELCOME and screen.language == "en"  # the member is gone

        verify = window.verify
        window.set_camera(str(faces / PHOTO))
        window.home.search.setText(MEMBER)
        qtbot.mouseClick(window.home.verify_face, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(verify.capture.start, Qt.MouseButton.LeftButton)
        await until(lambda: verify.result.isVisible(), timeout=45, what="the decision")
        await until(lambda: not window.camera.running, what="the camera to stop")
        assert NAME in verify.result.text()  # the operator's card names the member...
        assert screen.result_headline.text() == "You are verified. Thank you."  # ...this not
        snapshot()

    drive(scenario)
    assert len(seen) > 20
    assert not [text for text in seen if MEMBER in text or "Lin-Manuel" in text or OPERATOR in text]


def test_two_monitors_in_a_child_process(tmp_path: Path) -> None:
    """Qt's offscreen platform with two monitors (its JSON configuration): the member screen on the
    other one, the setting `off`, and a monitor unplugged mid-capture (tests/ui/member_two_screens
    .py, run in its own process: a process has one set of monitors)."""
    config = tmp_path / "two_screens.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {"name": "operator", "x": 0, "y": 0, "width": 1366, "height": 768},
                    {"name": "member", "x": 1366, "y": 0, "width": 1920, "height": 1080},
                ]
            }
        ),
        encoding="utf-8",
    )
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(Path(__file__).with_name("member_two_screens.py")),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "2 passed" in run.stdout


def test_a_display_without_a_desk_offers_no_turn(window: MainWindow) -> None:
    display: MemberDisplay = window.member_display
    assert not display.turn_button.isVisible()
    display.turn()  # the sign-in page is not for the member
    assert not display.turned and not display.screen.isVisible()
