"""The application's look: one style sheet, ``resources/style.qss``, over the Fusion style, in one of
three themes (ui/palette.py): light, dark or high contrast.

``apply_style(app)`` is called once, right after the QApplication exists. The sheet is read through
``station.resources.resources_dir()``, so the same call works from a checkout and from a frozen
build (the PyInstaller spec bundles ``resources/``). Its ``@token`` placeholders are the theme's
colours and the type sizes; Qt's palette gets the same colours.

Which theme: ``FACE_STATION_THEME`` (system, light, dark, high-contrast) when set — the screenshot
tool uses it; else the desk's ``[display] theme`` once a desk is open (`set_theme`); else
"system": the desktop's high-contrast preference, then its light or dark scheme, followed live.

Views mark text that needs more weight with a role instead of styling it themselves::

    set_role(self.result, "result")   # or "heading", "status", "hint", "error", "prompt"

The sheet gives every push button the same look (equal weight for the options, R1/R5) and every
focusable widget a visible focus ring (R8); see the header of ``style.qss``.
"""

from __future__ import annotations

import os
import re
import sys

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOption, QWidget

from station.resources import resources_dir
from station.settings import THEMES as CHOICES
from ui.palette import DARK, HIGH_CONTRAST, LIGHT, THEMES, Theme, qpalette, sheet_tokens

STYLE_FILE = "style.qss"
THEME_ENV = "FACE_STATION_THEME"
SYSTEM = "system"
ROLE_PROPERTY = "role"
ROLES = ("heading", "result", "status", "hint", "error", "prompt", "guidance")
_TOKEN = re.compile(r"@([a-z][a-z0-9_]*)")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def style_template() -> str:
    """The text of ``resources/style.qss``, placeholders and all; raises OSError when unreadable."""
    return (resources_dir() / STYLE_FILE).read_text(encoding="utf-8")


def render(template: str, theme: Theme) -> str:
    """The sheet without its comments (they may name tokens) and with every ``@token`` replaced;
    an unknown token is a mistake in the sheet."""
    tokens = sheet_tokens(theme)

    def value(match: re.Match[str]) -> str:
        try:
            return tokens[match.group(1)]
        except KeyError:
            raise ValueError(f"{STYLE_FILE}: unknown token @{match.group(1)}") from None

    return _TOKEN.sub(value, _COMMENT.sub("", template))


def style_sheet(theme: str = LIGHT) -> str:
    """The sheet as Qt reads it, in `theme` (light, dark or high-contrast)."""
    return render(style_template(), THEMES[theme])


def system_theme() -> str:
    """The desktop's choice: high contrast when it asks for it, else its light or dark scheme."""
    hints = QGuiApplication.styleHints()
    if hints.accessibility().contrastPreference() is Qt.ContrastPreference.HighContrast:
        return HIGH_CONTRAST
    return DARK if hints.colorScheme() is Qt.ColorScheme.Dark else LIGHT


def resolve(choice: str) -> str:
    """The theme to draw for a setting's `choice`: the environment's override first, and
    "system" as the desktop says."""
    forced = os.environ.get(THEME_ENV, "").strip()
    if forced in CHOICES:
        choice = forced
    return system_theme() if choice == SYSTEM else choice


class _ThemedFusion(QProxyStyle):
    """Fusion, but check boxes and radio buttons drawn in the theme's colours: Fusion outlines them
    in a darker shade of the window, which vanishes on a dark or black window. (The sheet cannot
    draw a check mark without an image file, and an image has one colour for every theme.)"""

    def __init__(self) -> None:
        super().__init__("Fusion")
        self.theme = THEMES[LIGHT]

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        if element is QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            _draw_indicator(painter, option, self.theme, round_box=False)
        elif element is QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            _draw_indicator(painter, option, self.theme, round_box=True)
        else:
            super().drawPrimitive(element, option, painter, widget)


def _draw_indicator(painter: QPainter, option: QStyleOption, theme: Theme, round_box: bool) -> None:
    """A box (or circle) with a 2 px @border outline; checked: filled with @accent, a check mark
    (or dot) in @on_accent; partly checked: a dash."""
    state = option.state
    enabled = bool(state & QStyle.StateFlag.State_Enabled)
    marked = bool(state & (QStyle.StateFlag.State_On | QStyle.StateFlag.State_NoChange))
    if not enabled:
        line, fill, mark = theme.disabled_border, theme.disabled_surface, theme.disabled_text
    elif marked:
        line, fill, mark = theme.accent, theme.accent, theme.on_accent
    else:
        line, fill, mark = theme.border, theme.surface, theme.text
    side = min(option.rect.width(), option.rect.height()) - 2.0
    box = QRectF(0, 0, side, side)
    box.moveCenter(QRectF(option.rect).center())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QPen(QColor(line), 2))
    painter.setBrush(QColor(fill))
    if round_box:
        painter.drawEllipse(box)
    else:
        painter.drawRoundedRect(box, 4, 4)
    if marked:
        pen = QPen(QColor(mark), max(2.0, side / 8))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(QColor(mark))
        x, y, unit = box.x(), box.y(), side / 10
        if round_box:
            painter.drawEllipse(box.center(), side / 5, side / 5)
        elif state & QStyle.StateFlag.State_NoChange:
            painter.drawLine(
                QPointF(x + 3 * unit, y + 5 * unit), QPointF(x + 7 * unit, y + 5 * unit)
            )
        else:
            tick = QPainterPath(QPointF(x + 2.6 * unit, y + 5.2 * unit))
            tick.lineTo(x + 4.3 * unit, y + 7 * unit)
            tick.lineTo(x + 7.6 * unit, y + 3.2 * unit)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(tick)
    painter.restore()


class _Look(QObject):
    """The app's theme choice, redrawn when it changes or, for "system", when the desktop's does."""

    def __init__(self, app: QApplication, template: str) -> None:
        super().__init__(app)
        self.setObjectName("faceStationLook")
        self._app, self._template = app, template
        self.choice = SYSTEM
        self.theme = THEMES[LIGHT]
        self._drawn = ""
        hints = QGuiApplication.styleHints()
        hints.colorSchemeChanged.connect(self.refresh)
        hints.accessibility().contrastPreferenceChanged.connect(self.refresh)

    def choose(self, choice: str) -> None:
        if choice not in CHOICES:
            raise ValueError(f"unknown theme {choice!r}; known: {', '.join(CHOICES)}")
        self.choice = choice
        self.refresh()

    def refresh(self) -> None:
        theme = THEMES[resolve(self.choice)]
        if theme.name == self._drawn:
            return
        self.theme, self._drawn = theme, theme.name
        style = self._app.style()
        if isinstance(style, _ThemedFusion):
            style.theme = theme
        self._app.setPalette(qpalette(theme))
        self._app.setStyleSheet(render(self._template, theme))


def _look(app: QApplication | None = None) -> _Look | None:
    owner = app or QApplication.instance()
    return owner.findChild(_Look, "faceStationLook") if owner is not None else None


def apply_style(app: QApplication, theme: str = SYSTEM) -> None:
    """Fusion plus the station's style sheet and palette in `theme` (a [display] theme value).
    A missing sheet is reported, not fatal: an unstyled front desk still works; one that does
    not start does not."""
    app.setStyle(_ThemedFusion())  # the sheet is written for Fusion: the same on every OS
    try:
        template = style_template()
    except OSError as exc:
        print(
            f"Face Station: style sheet not loaded ({exc}); using the plain style.", file=sys.stderr
        )
        return
    remove_style(app)
    _Look(app, template).choose(theme)


def remove_style(app: QApplication) -> None:
    """Forget the theme choice (the sheet and palette stay until replaced): tests restore the
    plain look after a styled one."""
    look = _look(app)
    if look is not None:
        shiboken6.delete(look)


def set_theme(choice: str) -> None:
    """A desk's ``[display] theme``; nothing to do when the app runs without the sheet (tests)."""
    look = _look()
    if look is not None:
        look.choose(choice)


def current_theme() -> Theme:
    """The theme drawn now (light when the app has no sheet): the result card's colours."""
    look = _look()
    return look.theme if look is not None else THEMES[LIGHT]


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget one of the sheet's text roles; re-polishes so a change shows at once."""
    if role not in ROLES:
        raise ValueError(f"unknown style role {role!r}; known: {', '.join(ROLES)}")
    widget.setProperty(ROLE_PROPERTY, role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    # A re-polish gives a shown widget the role's colours but not its padding (Qt 6.12): the
    # style-change event makes the sheet's box model (contents margins) follow too.
    QApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
