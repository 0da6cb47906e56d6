"""Issue 12: one design in three themes. Every theme's tokens keep WCAG contrast where the sheet
uses them, the sheet names no colour of its own, Qt reads it in every theme, the result icons
follow the theme, and the choice follows FACE_STATION_THEME and the desktop's live changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QMessageLogContext, Qt, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.settings import THEMES as CHOICES
from ui import style
from ui.icons import icon_pixmap
from ui.palette import (
    DARK,
    HIGH_CONTRAST,
    LIGHT,
    THEMES,
    Theme,
    contrast_ratio,
    mix,
    qpalette,
)
from ui.views.result_card import _TINT, ResultKind

# Where the sheet draws each readable text token (tokens that are backgrounds).
TEXT_ON = {
    "text": ("window", "surface", "subtle", "hover", "pressed", "focus_tint", "field_focus"),
    "muted": ("window", "surface", "subtle"),
    "problem": ("window", "surface", "subtle"),
    "accent": ("window", "surface"),  # the liveness prompt's words
    "on_accent": ("accent",),  # selected text
}
LINES = ("border", "accent", "ok", "fail", "other_way")  # outlines, the focus ring, result colours
NON_TEXT = 3.0  # WCAG 1.4.11


@pytest.mark.parametrize("name", sorted(THEMES))
def test_every_theme_keeps_text_and_lines_readable(name: str) -> None:
    theme = THEMES[name]
    assert theme.min_text_contrast == (7.0 if name == HIGH_CONTRAST else 4.5)
    for text, backgrounds in TEXT_ON.items():
        for background in backgrounds:
            ratio = contrast_ratio(getattr(theme, text), getattr(theme, background))
            assert ratio >= theme.min_text_contrast, (name, text, background, round(ratio, 2))
    tooltip = contrast_ratio(theme.surface, theme.text)  # a tool tip is the text colours reversed
    assert tooltip >= theme.min_text_contrast
    for line in LINES:
        for background in ("window", "surface", "subtle"):
            ratio = contrast_ratio(getattr(theme, line), getattr(theme, background))
            assert ratio >= NON_TEXT, (name, line, background, round(ratio, 2))
    if name == HIGH_CONTRAST:  # there even the frames that only group are plain to see
        assert contrast_ratio(theme.divider, theme.window) >= theme.min_text_contrast


@pytest.mark.parametrize("name", sorted(THEMES))
def test_result_cards_read_in_every_theme(name: str) -> None:
    """The card: text on the kind's tint, its border on the tint, the icon's mark on its fill."""
    theme = THEMES[name]
    for kind in ResultKind:
        colour = kind.colour(theme)
        tint = mix(theme.surface, colour, _TINT)
        assert contrast_ratio(theme.text, tint) >= theme.min_text_contrast, (name, kind)
        assert contrast_ratio(colour, tint) >= NON_TEXT, (name, kind)
        assert contrast_ratio(theme.on_result, colour) >= NON_TEXT, (name, kind)


def test_the_sheet_names_no_colour_and_only_known_tokens() -> None:
    template = style.style_template()
    rules = re.sub(r"/\*.*?\*/", "", template, flags=re.DOTALL)
    literal = re.findall(r"#[0-9a-fA-F]{3,8}\b|\brgb\([^)]*\)|\b(?:white|black)\b", rules)
    assert not literal, f"write @tokens (ui/palette.py), not colours: {literal}"
    for name in THEMES:
        sheet = style.style_sheet(name)
        assert "@" not in sheet
        assert THEMES[name].accent in sheet and THEMES[name].window in sheet
    with pytest.raises(ValueError, match="@nowhere"):
        style.render("QWidget { color: @nowhere; }", THEMES[LIGHT])


def test_qt_reads_the_sheet_in_every_theme(qapp: QApplication, qtbot: QtBot) -> None:
    complaints: list[str] = []

    def listen(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if "style" in message.lower() or "parse" in message.lower():
            complaints.append(message)

    previous_sheet, previous_palette = qapp.styleSheet(), qapp.palette()
    previous_handler = qInstallMessageHandler(listen)
    try:
        for name in THEMES:
            qapp.setStyleSheet(style.style_sheet(name))
    finally:
        qInstallMessageHandler(previous_handler)
        qapp.setStyleSheet(previous_sheet)
        qapp.setPalette(previous_palette)
    assert not complaints, complaints


def test_result_icons_are_drawn_in_the_themes_colours() -> None:
    light = THEMES[LIGHT]
    for kind in ResultKind:
        # The files are drawn in the light theme's colours: what the card replaces is there.
        drawn = bytes(kind.icon_svg(light).data()).decode()
        assert kind.colour(light).name() in drawn and light.on_result in drawn, kind
        for name in (DARK, HIGH_CONTRAST):
            theme = THEMES[name]
            svg = bytes(kind.icon_svg(theme).data()).decode()
            assert kind.colour(theme).name() in svg and theme.on_result in svg, (kind, name)
            assert kind.colour(light).name() not in svg and light.on_result not in svg


@pytest.mark.parametrize("name", sorted(THEMES))
def test_line_icons_take_the_themes_text_colour(qapp: QApplication, name: str) -> None:
    """The header's and home's icons are painted in the text colour: visible on any window."""
    theme: Theme = THEMES[name]
    image = icon_pixmap("camera", 48, qpalette(theme).color(QPalette.ColorRole.Text))
    picture = image.toImage()
    inked = [
        picture.pixelColor(x, y)
        for x in range(picture.width())
        for y in range(picture.height())
        if picture.pixelColor(x, y).alpha() == 255
    ]
    assert inked, "the icon drew nothing"
    assert all(colour.name() == theme.text for colour in inked)
    assert contrast_ratio(theme.text, theme.window) >= theme.min_text_contrast


@pytest.fixture
def looked(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    monkeypatch.delenv(style.THEME_ENV, raising=False)
    previous = (qapp.style().name(), qapp.styleSheet(), qapp.palette())
    yield qapp
    style.remove_style(qapp)
    qapp.setStyle(previous[0])
    qapp.setStyleSheet(previous[1])
    qapp.setPalette(previous[2])


def _window_colour(app: QApplication) -> str:
    return app.palette().color(QPalette.ColorRole.Window).name()


def test_the_choice_env_override_and_a_live_system_change(
    looked: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert set(CHOICES) == {"system", *THEMES}
    style.apply_style(looked, "dark")
    assert _window_colour(looked) == THEMES[DARK].window
    assert style.current_theme().name == DARK
    assert THEMES[DARK].surface in looked.styleSheet()
    # The screenshot tool's override outranks a desk's setting.
    monkeypatch.setenv(style.THEME_ENV, "high-contrast")
    style.set_theme("light")
    assert _window_colour(looked) == THEMES[HIGH_CONTRAST].window
    monkeypatch.delenv(style.THEME_ENV)
    # "system" follows the desktop when it switches (offscreen Qt cannot switch: the desktop's
    # answer is stood in for, and its signal sent as the desktop would).
    style.set_theme("system")
    assert style.current_theme().name == style.system_theme()
    monkeypatch.setattr(style, "system_theme", lambda: DARK)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _window_colour(looked) == THEMES[DARK].window
    monkeypatch.setattr(style, "system_theme", lambda: HIGH_CONTRAST)
    QGuiApplication.styleHints().accessibility().contrastPreferenceChanged.emit(
        Qt.ContrastPreference.HighContrast
    )
    assert _window_colour(looked) == THEMES[HIGH_CONTRAST].window
    # A forced theme no longer follows the desktop.
    style.set_theme("light")
    monkeypatch.setattr(style, "system_theme", lambda: DARK)
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _window_colour(looked) == THEMES[LIGHT].window
