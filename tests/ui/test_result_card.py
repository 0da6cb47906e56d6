"""The result card (issue 12): icon per kind, readable contrast as rendered, in a light and a dark
palette, the first action focused and pressed by Enter or Space (R8), the message split into a
headline and a detail without changing its words."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from station.domain import EnrollStatus
from tests.ui.conftest import rendered_contrast
from ui.views.result_card import (
    MIN_CONTRAST,
    ResultCard,
    ResultKind,
    enroll_kind,
    split_message,
)


def _dark_palette() -> QPalette:
    palette = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        palette.setColor(group, QPalette.ColorRole.Window, QColor("#202124"))
        palette.setColor(group, QPalette.ColorRole.Base, QColor("#121212"))
        palette.setColor(group, QPalette.ColorRole.Text, QColor("#e8eaed"))
        palette.setColor(group, QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    return palette


MESSAGE = "Not verified: wrong PIN. Check an identity document instead."
_HOSTS: list[QWidget] = []  # the hosts live until the test ends (qtbot closes them)


def _shown_card(qtbot: QtBot, kind: ResultKind, palette: QPalette | None = None) -> ResultCard:
    host = QWidget()
    _HOSTS.append(host)
    if palette is not None:
        host.setPalette(palette)
    qtbot.addWidget(host)
    again, other = QPushButton("Try again"), QPushButton("Another way")
    card = ResultCard(again, other, parent=host)
    QVBoxLayout(host).addWidget(card)
    host.resize(900, 400)
    host.show()
    host.activateWindow()
    qtbot.waitExposed(host)
    qtbot.waitUntil(host.isActiveWindow, timeout=2000)
    card.show_result(kind, MESSAGE)
    QApplication.processEvents()
    return card


@pytest.mark.parametrize("kind", list(ResultKind))
def test_every_kind_has_its_own_svg_and_readable_text(
    styled: object, qtbot: QtBot, kind: ResultKind
) -> None:
    card = _shown_card(qtbot, kind)
    assert Path(card.icon_file).name == f"result-{kind.value}.svg"
    assert card.icon.renderer().isValid()  # the SVG exists and QtSvg can draw it
    ratio, background = rendered_contrast(card)
    assert ratio >= MIN_CONTRAST, (kind, ratio, background.name())
    # The tint shows the kind: the background is not the plain base colour.
    host = card.parentWidget()
    assert host is not None
    assert background != host.palette().color(QPalette.ColorRole.Base)


@pytest.mark.parametrize("kind", list(ResultKind))
def test_a_dark_palette_gives_a_dark_card_with_readable_text(
    styled: object, qtbot: QtBot, kind: ResultKind
) -> None:
    card = _shown_card(qtbot, kind, _dark_palette())
    ratio, background = rendered_contrast(card)
    assert background.lightnessF() < 0.3, background.name()  # follows the palette, not white
    assert ratio >= MIN_CONTRAST, (kind, ratio, background.name())


def test_the_first_visible_action_has_the_focus_and_enter_or_space_takes_it(
    styled: object, qtbot: QtBot
) -> None:
    card = _shown_card(qtbot, ResultKind.FAIL)
    first, second = card.next_actions
    assert QApplication.focusWidget() is first
    assert card.accessibleName() == "Not verified: wrong PIN."
    assert card.accessibleDescription() == "Check an identity document instead."
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Space):
        with qtbot.waitSignal(first.clicked, timeout=1000):
            qtbot.keyClick(first, key)
    first.hide()  # after a success only the later actions remain: the focus goes there
    card.show_result(ResultKind.OK, "Verified by PIN: Wang Fang (M-2002)")
    assert QApplication.focusWidget() is second


def test_split_keeps_the_words() -> None:
    english = "Enrolled. Stored: one face template, no image. Kept until 2027-01-01."
    assert split_message(english) == (
        "Enrolled.",
        "Stored: one face template, no image. Kept until 2027-01-01.",
    )
    assert split_message("人脸核验通过：王芳（M-1）") == ("人脸核验通过：王芳（M-1）", "")
    assert split_message("无法确认摄像头前是真人。未保存任何内容。") == (
        "无法确认摄像头前是真人。",
        "未保存任何内容。",
    )
    assert split_message("Not verified: wrong PIN.") == ("Not verified: wrong PIN.", "")


def test_kinds_of_enrollment_outcomes() -> None:
    assert enroll_kind(EnrollStatus.ENROLLED) is ResultKind.OK
    assert enroll_kind(EnrollStatus.NOT_LIVE) is ResultKind.FAIL
    assert enroll_kind(EnrollStatus.CAMERA_FAILED) is ResultKind.OTHER_WAY


def test_a_card_with_no_action_shown_has_no_action_row(styled: object, qtbot: QtBot) -> None:
    """After a success the views hide "try again" and "another way": no empty row stays under
    the words, and a card built without actions (the member's screen) is as tall."""
    card = _shown_card(qtbot, ResultKind.OK)
    with_actions = card.sizeHint().height()
    for button in card.next_actions:
        button.hide()
    card.show_result(ResultKind.OK, "Verified by PIN: Wang Fang (M-2002)")
    QApplication.processEvents()
    without = card.sizeHint().height()
    assert card.row is not None and not card.row.isVisible()
    bare = ResultCard()
    bare.show_result(ResultKind.OK, "Verified by PIN: Wang Fang (M-2002)")
    assert bare.sizeHint().height() == without
    button_height = card.next_actions[0].sizeHint().height()
    assert with_actions - without >= button_height  # the row and its spacing are gone
    for button in card.next_actions:  # the next outcome offers them again
        button.show()
    card.show_result(ResultKind.FAIL, MESSAGE)
    QApplication.processEvents()
    assert card.row.isVisible() and card.sizeHint().height() == with_actions
