"""The result card (issue 12): every outcome the window reports — verified, not verified, enrolled,
use another way — as one large card that reads from a metre away: an SVG icon, a colour, a large
headline, a detail line and the next actions.

Colour never carries the meaning alone (colour-blind readers): each kind has its own icon SHAPE (a
check in a circle, a cross in a circle, a turn-off arrow in a square) and the words say it too.
The kind's colour is the theme's (ui/palette.py: ok, fail, other_way; the icon's file is drawn in
the light theme's and repainted in the one in force). The card's background is a light tint of
that colour over the palette's base colour and its text is the palette's text colour, so it
follows a light, dark or high-contrast palette; when the tint would leave the text under the
theme's minimum (4.5:1, 7:1 in high contrast) the card falls back to the palette's own base
colour (R8).

On a failure the views put "use another way" beside "try again" with equal weight (R5); the card
gives the first visible action the keyboard focus, so Enter or Space takes it (R8)."""

from __future__ import annotations

import enum

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station.domain import EnrollStatus, VerificationOutcome, VerifyStatus
from ui.icons import icon_path, recoloured_svg
from ui.palette import LIGHT, THEMES, Theme, contrast_ratio, mix
from ui.style import current_theme
from ui.views.widgets import EqualRow

ICON_SIZE = 96
MIN_CONTRAST = 4.5  # WCAG 1.4.3, normal text; the high-contrast theme asks 7:1
_TINT = 0.14  # how much of the kind's colour is mixed into the palette's base colour


class ResultKind(enum.Enum):
    OK = "ok"  # verified, enrolled, PIN saved
    FAIL = "fail"  # not verified, liveness refused, no such member
    OTHER_WAY = "other-way"  # face cannot decide now: use a PIN, card + PIN or a document

    @property
    def icon_path(self) -> str:
        return str(icon_path(f"result-{self.value}"))

    def colour(self, theme: Theme) -> QColor:
        """The kind's strong colour in `theme`: the icon's fill and the card's border (≥ 3:1 on
        the theme's window and surface, tests/ui/test_palette.py)."""
        return QColor(_kind_colour(self, theme))

    def icon_svg(self, theme: Theme) -> QByteArray:
        """The icon in `theme`'s colours; its file is drawn in the light theme's."""
        light = THEMES[LIGHT]
        return recoloured_svg(
            f"result-{self.value}",
            {
                _kind_colour(self, light): _kind_colour(self, theme),
                light.on_result: theme.on_result,
            },
        )


def _kind_colour(kind: ResultKind, theme: Theme) -> str:
    return {"ok": theme.ok, "fail": theme.fail, "other-way": theme.other_way}[kind.value]


def verify_kind(outcome: VerificationOutcome) -> ResultKind:
    """Verified, not verified (the person was checked and refused), or face/PIN cannot decide now."""
    if outcome.status is VerifyStatus.ACCEPTED:
        return ResultKind.OK
    if outcome.status in (
        VerifyStatus.REJECTED,
        VerifyStatus.NOT_LIVE,
        VerifyStatus.NO_GOOD_FRAME,
        VerifyStatus.UNKNOWN_SUBJECT,
    ):
        return ResultKind.FAIL
    return ResultKind.OTHER_WAY


def enroll_kind(status: EnrollStatus) -> ResultKind:
    if status is EnrollStatus.ENROLLED:
        return ResultKind.OK
    if status in (EnrollStatus.NOT_LIVE, EnrollStatus.NOT_ENOUGH_GOOD_FRAMES):
        return ResultKind.FAIL
    return ResultKind.OTHER_WAY


def split_message(message: str) -> tuple[str, str]:
    """The existing message as headline (its first sentence) and detail (the rest): the wording
    stays the translators'; only the first sentence is set large."""
    text = message.strip()
    ends = [i + 1 for i in (text.find(". "), text.find("。")) if i >= 0 and i + 1 < len(text)]
    if not ends:
        return text, ""
    cut = min(ends)
    return text[:cut].strip(), text[cut:].strip()


class ResultCard(QFrame):
    """One outcome, large: icon, headline, detail, next actions. ``text()`` is the whole message as
    the views wrote it before (tests and the screenshot walk read it)."""

    # (ResultKind, message) each time an outcome is shown, and None when it is cleared: the
    # person-facing screen shows the same outcome to the member.
    result_changed = Signal(object, str)

    def __init__(self, *actions: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultCard")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.kind: ResultKind | None = None
        self.icon_file = ""  # the SVG shown, for tests and the screenshot check
        self._message = ""
        self.next_actions = actions
        for button in actions:
            button.setAutoDefault(True)  # Enter presses the focused action, as Space does (R8)
        self._sheet = ""
        self.icon = QSvgWidget()
        self.icon.setObjectName("resultIcon")
        self.icon.setFixedSize(QSize(ICON_SIZE, ICON_SIZE))
        self.headline = QLabel()
        self.headline.setObjectName("resultHeadline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.detail = QLabel()
        self.detail.setObjectName("resultDetail")
        self.detail.setWordWrap(True)
        words = QVBoxLayout()
        words.setSpacing(8)
        words.addStretch(1)  # a one-line headline sits level with the icon's centre
        words.addWidget(self.headline)
        words.addWidget(self.detail)
        words.addStretch(1)
        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(words, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(20)
        layout.addLayout(top)
        if actions:
            self.row: EqualRow | None = EqualRow(*actions)
            # The row stacks its buttons when narrow: it must not hold the window wider than
            # 1024 px (or 200 %) with their side-by-side width.
            self.row.setMinimumWidth(1)
            layout.addWidget(self.row)
        else:
            self.row = None
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.hide()

    # -- what the views call ----------------------------------------------------------------------

    def show_result(self, kind: ResultKind, message: str) -> None:
        """Show one outcome; the first visible action takes the keyboard focus (R8). The views
        show or hide the actions first: with none shown the card has no action row at all."""
        self.kind = kind
        self._message = message
        headline, detail = split_message(message)
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.icon_file = kind.icon_path
        self.setProperty("kind", kind.value)
        self.setAccessibleName(headline)
        self.setAccessibleDescription(detail)
        self.headline.setAccessibleName(headline)
        self._apply_colours()
        if self.row is not None:  # no empty row's height (and spacing) under the words
            self.row.setVisible(self.first_action() is not None)
        self.show()
        self.focus_first_action()
        self.result_changed.emit(kind, message)

    def clear(self) -> None:
        self.kind = None
        self._message = ""
        self.headline.clear()
        self.detail.clear()
        self.hide()
        self.result_changed.emit(None, "")

    def text(self) -> str:
        return self._message

    def first_action(self) -> QPushButton | None:
        return next((button for button in self.next_actions if not button.isHidden()), None)

    def focus_first_action(self) -> None:
        first = self.first_action()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- colours ----------------------------------------------------------------------------------

    def colours(self) -> tuple[QColor, QColor]:
        """(background, text) for the current kind from the palette, text at the theme's minimum
        contrast (≥ 4.5:1) on the background."""
        # The surroundings' palette, not the card's own: the card's sheet changes its own palette.
        parent = self.parentWidget()
        palette = parent.palette() if parent is not None else QApplication.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        if self.kind is None:
            return base, text
        theme = current_theme()
        least = max(MIN_CONTRAST, theme.min_text_contrast)
        tinted = mix(base, self.kind.colour(theme), _TINT)
        if contrast_ratio(tinted, text) >= least:
            return tinted, text
        if contrast_ratio(base, text) >= least:
            return base, text
        # A palette whose own text is too faint: black or white, whichever reads better.
        black, white = QColor("#000000"), QColor("#ffffff")
        return base, black if contrast_ratio(base, black) >= contrast_ratio(base, white) else white

    def _apply_colours(self) -> None:
        """The card's sheet and icon in the theme in force (it may just have changed)."""
        if self.kind is None:
            return
        theme = current_theme()
        self.icon.load(self.kind.icon_svg(theme))
        background, text = self.colours()
        sheet = (
            f"QFrame#resultCard {{ background: {background.name()};"
            f" border: 4px solid {self.kind.colour(theme).name()}; border-radius: 16px; }}"
            f" QFrame#resultCard QLabel {{ color: {text.name()}; background: transparent; }}"
        )
        if sheet != self._sheet:  # setting a sheet changes the palette: no endless loop
            self._sheet = sheet
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_colours()  # the system switched light / dark / high contrast
        super().changeEvent(event)
