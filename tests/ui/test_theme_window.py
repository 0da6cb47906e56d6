"""Issue 12: a desk whose store says `[display] theme = dark` or `high-contrast` draws the whole
window in it once signed in, and its result cards keep their text readable (4.5:1; 7:1 in high
contrast), measured on the rendered pixels."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.settings import Settings
from tests.conftest import ADULT_BIRTH, fast_settings
from tests.ui.conftest import Drive, rendered_contrast, submit_first_start, until
from ui.palette import DARK, HIGH_CONTRAST, LIGHT, THEMES, contrast_ratio
from ui.views.main_window import MainWindow
from ui.views.result_card import ResultKind

MEMBER, NAME, PIN = "T-12", "Li Na", "468135"


@pytest.fixture(params=[DARK, HIGH_CONTRAST])
def site_settings(request: pytest.FixtureRequest) -> Settings:
    """This module's desks: the store's display setting in the theme under test."""
    base = fast_settings()
    return replace(base, display=replace(base.display, theme=request.param))


@pytest.mark.usefixtures("styled")
def test_a_themed_desk_draws_the_window_and_its_result_card_in_the_theme(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], site_settings: Settings
) -> None:
    theme = THEMES[site_settings.display.theme]
    light = THEMES[LIGHT]
    # Before sign-in no store is open: the system's look (light, offscreen).
    assert window.palette().color(QPalette.ColorRole.Window).name() == light.window

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        desk = window.desk
        assert desk is not None

        def register() -> None:
            desk.station.subjects.register(MEMBER, NAME, ADULT_BIRTH, "Desk One")
            desk.station.subjects.set_pin(MEMBER, PIN, "Desk One")

        await desk.executor.run(register)
        window.home.search.setText(MEMBER)
        qtbot.mouseClick(window.home.verify_other, Qt.MouseButton.LeftButton)
        alternative = window.alternative
        alternative.pin.setText("000001")
        qtbot.mouseClick(alternative.check_pin, Qt.MouseButton.LeftButton)
        await until(lambda: alternative.result.isVisible(), what="the PIN decision")

    drive(scenario)
    assert window.palette().color(QPalette.ColorRole.Window).name() == theme.window
    picture = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    corner = QColor(picture.pixel(window.width() - 3, window.height() - 3))
    assert corner.name() == theme.window  # drawn, not only set
    assert corner.lightnessF() < 0.15
    card = window.alternative.result
    assert card.kind is ResultKind.FAIL
    QApplication.processEvents()
    ratio, background = rendered_contrast(card)
    assert background.lightnessF() < 0.3, background.name()
    assert ratio >= theme.min_text_contrast, (theme.name, ratio, background.name())
    # The border is the theme's "not verified" colour, plain against the window behind the card.
    assert contrast_ratio(card.kind.colour(theme), theme.window) >= 3.0
