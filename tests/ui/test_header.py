"""Issue 12: the header of every signed-in screen (site, operator, the station's state as icons
with words) and the home's tiles and counts of the day, in the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from station.domain import Role
from tests.conftest import ADULT_BIRTH
from tests.ui.conftest import Drive, submit_first_start, until
from ui.icons import ICONS, icon_path
from ui.views.header import State
from ui.views.home import HomeView
from ui.views.main_window import MainWindow

CLIP = Path("video") / "short_hamilton_clip.mp4"
MEMBER, NAME, PIN = "H-12", "Zhang Xiuying", "468135"


def _texts(widget: QWidget) -> list[str]:
    """Every text a person or a screen reader gets from `widget` and what it holds."""
    texts: list[str] = []
    for child in [widget, *widget.findChildren(QWidget)]:
        texts += [child.accessibleName(), child.accessibleDescription(), child.toolTip()]
        if isinstance(child, QLabel | QAbstractButton | QLineEdit):
            texts.append(child.text())
    return texts


def test_every_icon_is_an_svg_file_in_resources(qtbot: QtBot) -> None:
    for name in ICONS:
        renderer = QSvgRenderer(str(icon_path(name)))
        assert renderer.isValid() and not renderer.defaultSize().isEmpty(), name


def test_the_header_names_site_and_operator_and_follows_camera_and_models(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], faces: Path
) -> None:
    header = window.header
    assert not header.operator.isVisible()  # nobody signed in: no operator, no states

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        assert header.site.text.text() == "The organisation operating this station"
        assert header.operator.text.text() == "Desk One (administrator)"
        assert header.operator.isVisible() and header.models.isVisible()
        if not window.models_ready:  # models load in the background after sign-in
            assert header.models.text.text() == "Face models: loading…"
            assert header.models.state is State.WAITING
        await until(lambda: window.models_ready, what="the models")
        assert header.models.text.text() == "Face models: loaded"
        assert header.models.state is State.READY
        assert header.models.accessibleDescription()  # R8
        assert (
            header.store.text.text() == f"Store: open, encrypted ({window.opener.path.parent.name})"
        )

    drive(scenario)
    # The window's camera ("7") is not there: said without opening anything (R1, R25).
    assert window.camera_problem is not None
    assert header.camera.text.text() == "Camera: not found"
    assert header.camera.state is State.PROBLEM
    window.set_camera(str(faces / CLIP))
    assert header.camera.text.text() == "Camera: ready when needed"
    assert "only after the member agrees" in header.camera.accessibleDescription()
    assert not window.camera.running
    # The language switch names the site in Chinese (the notice's default when none is set).
    qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)
    assert header.site.text.text() == "运营本设备的机构"
    assert header.models.text.text() == "人脸模型：已加载"


def test_home_counts_today_change_after_a_pin_check_and_name_no_one(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    home_numbers = {}

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        desk = window.desk
        assert desk is not None
        station = desk.station

        def register() -> None:
            station.subjects.register(MEMBER, NAME, ADULT_BIRTH, "Desk One")
            station.subjects.set_pin(MEMBER, PIN, "Desk One")

        await desk.executor.run(register)
        home = window.home
        await until(lambda: home.verified_other.number.text() == "0", what="the first counts")
        alternative = window.alternative
        for wrong, pin in ((True, "000001"), (False, PIN)):
            home.search.setText(MEMBER)
            qtbot.mouseClick(home.verify_other, Qt.MouseButton.LeftButton)
            alternative.pin.setText(pin)
            qtbot.mouseClick(alternative.check_pin, Qt.MouseButton.LeftButton)
            await until(lambda: bool(alternative.result.text()), what="the PIN decision")
            assert ("Verified" in alternative.result.text()) is not wrong
            qtbot.mouseClick(alternative.finish, Qt.MouseButton.LeftButton)
            assert window.stack.currentWidget() is home
        await until(lambda: home.verified_other.number.text() == "1", what="the counts again")
        home_numbers.update(
            {
                box.caption: box.number.text()
                for box in (home.verified_face, home.verified_other, home.enrolled, home.refused)
            }
        )
        shown = " ".join(_texts(window.home) + _texts(window.header) + [window.banner.text()])
        assert NAME not in shown and MEMBER not in shown  # numbers only (issue 12)

    drive(scenario)
    assert home_numbers == {
        "verified by face": "0",
        "verified another way": "1",
        "faces enrolled": "0",
        "refused": "1",
    }


def test_tab_reaches_the_three_actions_in_order(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], faces: Path
) -> None:
    window.set_camera(str(faces / CLIP))  # a camera, so face verification is on and reachable

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        await until(lambda: window.models_ready, what="the models")

    drive(scenario)
    home = window.home
    assert QApplication.focusWidget() is home.search
    visited: list[QWidget] = []
    for _ in range(12):
        focused = QApplication.focusWidget()
        assert focused is not None
        visited.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    actions = [home.enroll, home.verify_face, home.verify_other]
    reached = [widget for widget in visited if widget in actions]
    assert reached[:3] == actions  # in this order, right after the search
    assert visited.index(home.enroll) == visited.index(home.find_button) + 1
    for widget in (*actions, window.header, window.header.camera, window.header.store):
        assert widget.accessibleName()  # R8
    assert window.desk is not None and window.desk.station.signed_in.role is Role.ADMINISTRATOR


@pytest.mark.usefixtures("styled")
def test_the_header_fits_1024_by_768_in_both_languages(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """The smallest screen the station supports: neither the header nor home widens the window
    beyond 1024 px (the start page, still on the stack, is measured apart)."""

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        await until(lambda: window.models_ready, what="the models")

    drive(scenario)
    for _ in range(2):  # English, then Chinese
        window.resize(1024, 768)
        window.go_home()
        QApplication.processEvents()
        assert window.header.minimumSizeHint().width() <= 1024 - 16
        assert window.home.minimumSizeHint().width() <= 1024 - 16
        assert window.header.height() <= 100
        for button in (window.account_button, window.admin_button, window.language_button):
            assert button.width() >= button.sizeHint().width(), button.text()  # not cut
        qtbot.mouseClick(window.language_button, Qt.MouseButton.LeftButton)


@pytest.mark.usefixtures("styled")
def test_the_three_tiles_are_exactly_as_wide_as_each_other_at_any_width(qtbot: QtBot) -> None:
    """R5 to the pixel: a width that does not divide by three leaves its spare pixels at the row's
    end rather than to the first tile (the header's buttons change the window's width)."""
    home = HomeView()
    qtbot.addWidget(home)
    home.show()
    uneven = []
    for width in range(1000, 1012):  # every remainder of a division by three, several times
        home.resize(width, 700)
        QApplication.processEvents()
        widths = {tile.width() for tile in (home.enroll, home.verify_face, home.verify_other)}
        if len(widths) != 1:
            uneven.append((width, widths))
    assert not uneven
