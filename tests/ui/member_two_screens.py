"""Run by tests/ui/test_member_screen.py in a process of its own, whose offscreen platform has two
monitors (QT_QPA_PLATFORM=offscreen:configfile=...): not collected by a plain `pytest` run, whose
one process has one. Real windows on real QScreens; only the unplugging is played at the seam
where the display reads the monitors (MemberDisplay.screens), since the offscreen platform cannot
take a monitor away at run time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.settings import DisplaySettings, Settings
from tests.ui.conftest import Drive, create_station, open_notice, submit_first_start, until
from tests.ui.test_member_screen import page, private_words
from ui.views.main_window import MainWindow
from ui.views.member_screen import Page
from ui.views.result_card import ResultKind

CLIP = Path("video") / "short_hamilton_clip.mp4"


@pytest.fixture(autouse=True)
def two_monitors(qapp: QApplication) -> None:
    if len(QGuiApplication.screens()) != 2:
        pytest.fail("run by tests/ui/test_member_screen.py with a two-monitor configuration")


def _other(window: MainWindow) -> QScreen:
    return next(screen for screen in QGuiApplication.screens() if screen is not window.screen())


@pytest.mark.usefixtures("models")
def test_the_second_monitor_faces_the_member_and_survives_an_unplug(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], faces: Path
) -> None:
    display = window.member_display
    screen = display.screen

    async def scenario() -> None:
        await create_station(window, qtbot)
        other = _other(window)
        await until(screen.isVisible, what="the member screen on the second monitor")
        assert screen.screen() is other and screen.isFullScreen()
        assert screen.geometry() == other.geometry()
        assert page(screen) is Page.WELCOME and screen.site.text()  # the site's name
        assert QApplication.activeModalWidget() is None and not display.turned
        # It never took the keyboard: the operator types on at home.
        await until(window.isActiveWindow, what="the operator's window active")
        assert QApplication.focusWidget() is window.home.search

        window.set_camera(str(faces / CLIP))
        enroll = await open_notice(window, qtbot, "LMM", "Lin-Manuel Miranda")
        assert page(screen) is Page.NOTICE and screen.notice.text() == enroll.notice.toPlainText()
        assert not display.turn_button.isVisible()  # nothing to turn: the member has a monitor
        qtbot.mouseClick(enroll.accept, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.pages.currentIndex() == 2, what="the camera step")
        qtbot.mouseClick(enroll.capture.start, Qt.MouseButton.LeftButton)
        await until(lambda: screen.preview.frames_shown > 0, what="a frame on the second monitor")

        # The member's monitor is unplugged mid-capture: Qt announces it gone, then lists one.
        own = window.screen()
        display.screens = lambda: [own]
        display._screen_removed(other)
        assert not screen.isVisible()  # never over the operator's monitor
        await until(display.turn_button.isVisible, what="the turn button, now the way to show it")
        await until(lambda: enroll.pages.currentIndex() == 4, timeout=45, what="enrollment")
        assert "one face template, no image" in enroll.result.text(), enroll.result.text()
        assert page(screen) is Page.RESULT and screen.result_kind is ResultKind.OK

        # Plugged in again: the outcome is there at once.
        display.screens = QGuiApplication.screens
        display._screen_added(other)
        assert screen.isVisible() and screen.screen() is other and screen.isFullScreen()
        assert page(screen) is Page.RESULT and not display.turn_button.isVisible()
        assert not private_words(screen, "LMM", "Lin-Manuel", "Desk One")
        await until(lambda: not window.camera.running, what="the camera to stop")

        window.lock()  # the member's monitor stays, with a welcome and nothing else
        assert screen.isVisible() and page(screen) is Page.WELCOME

    drive(scenario)


@pytest.fixture
def site_settings(site_settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """[display] member_screen as a test asks (indirect parametrization), else the default: the
    settings a new station keeps in its store."""
    chosen = getattr(request, "param", DisplaySettings.member_screen)
    return replace(site_settings, display=DisplaySettings(member_screen=chosen))


@pytest.mark.parametrize("site_settings", ["off"], indirect=True)
def test_off_never_uses_the_second_monitor(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    display = window.member_display

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        assert display.second_screen() is None and not display.screen.isVisible()
        await open_notice(window, qtbot, "M-5", "Zhao Lei")
        assert page(display.screen) is Page.NOTICE and not display.screen.isVisible()
        assert display.turn_button.isVisible()  # one way left: turning this screen

    drive(scenario)
