"""The person-facing screen (issue 12): what the member in front of the desk reads, in both
languages, with no operator control on it.

Four pages, each large and calm: a welcome (the site's name), the face-data notice in the member's
language with the choice explained (the answer is given to the staff, whose buttons stay on their
screen, R1), the live capture (preview, the hint, the movement asked for, the pictures taken) and
the outcome (the kind's icon and colour with a plain headline). Nothing on it names the member, the
operator or anything found on the operator's screen: people queue behind the member.

Both languages at once: the primary one (the notice's, which the member chose, else the window's)
in large type, the other under it, smaller. The words are translated with ``ui.i18n.translate_to``
from the same catalog as the window's, so the window's language does not matter here.

Where the screen shows (a second monitor, or the operator's "turn to the member") is
ui/views/member_display.py's business; this widget only shows what it is told.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QImage, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from station import APP_NAME
from station.domain.capture import CaptureProgress, ChallengeProgress
from station.domain.liveness import Action
from ui.i18n import QT_TRANSLATE_NOOP, other_language, translate_to
from ui.style import current_theme
from ui.views.capture_progress import CaptureProgressRing, ProgressPhase
from ui.views.result_card import ResultKind
from ui.views.texts import CHALLENGE_PROMPTS, QUALITY_HINTS, language_button_text
from ui.views.widgets import ChallengeCue, PreviewLabel

# The operator's way back from "turn to the member": two modifiers and a letter no member presses
# by chance (and no desktop takes); named in the turn button's tooltip and the README.
RETURN_KEY = "Ctrl+Alt+O"
RESULT_SECONDS = 10  # an outcome stays this long, then the welcome (or sooner, when the desk does)
RESULT_ICON = 144
RING_SIZE = 200
RESULT_WIDTH = 1400  # wider, a line of the outcome is too long to take in at a glance
NOTICE_POINTS, NOTICE_MIN_POINTS = 26.0, 10.0  # the notice's type, as large as the room allows


class Page(enum.StrEnum):
    WELCOME = "welcome"
    NOTICE = "notice"
    CAPTURE = "capture"
    RESULT = "result"


@dataclass(frozen=True)
class Phrase:
    """English words marked for lupdate under `context`, said in any language on demand."""

    context: str
    source: str
    args: tuple[object, ...] = ()

    def __call__(self, language: str) -> str:
        text = translate_to(language, self.context, self.source)
        return text.format(*self.args) if self.args else text


def _member(source: str, *args: object) -> Phrase:
    return Phrase("MemberScreen", source, args)


WELCOME = _member(QT_TRANSLATE_NOOP("MemberScreen", "Welcome"))
WELCOME_DETAIL = _member(
    QT_TRANSLATE_NOOP("MemberScreen", "The staff will be with you in a moment.")
)
CHOICE_HEADING = _member(QT_TRANSLATE_NOOP("MemberScreen", "Your choice"))
CHOICE = _member(
    QT_TRANSLATE_NOOP(
        "MemberScreen",
        "Tell the staff yes or no. You can always use a PIN instead; saying no changes nothing "
        "else.",
    )
)
# Said in the notice's other language, naming that language: "also in English", "另有中文版本".
OTHER_NOTICE = QT_TRANSLATE_NOOP("MemberScreen", "This notice is also in {0}: ask the staff.")
CAPTURE_HEADING = _member(QT_TRANSLATE_NOOP("MemberScreen", "Please look at the camera"))
CAMERA_SOON = _member(
    QT_TRANSLATE_NOOP("MemberScreen", "Thank you. The camera starts in a moment.")
)
HOLD_STILL = _member(QT_TRANSLATE_NOOP("MemberScreen", "Hold still, please."))
LOOK_STRAIGHT = _member(QT_TRANSLATE_NOOP("MemberScreen", "Now look straight at the camera."))
PICTURES = QT_TRANSLATE_NOOP("MemberScreen", "Picture {0} of {1}")
MOVEMENTS = QT_TRANSLATE_NOOP("MemberScreen", "Movement {0} of {1}")


class Flow(enum.Enum):
    """Which desk flow an outcome ends: the member's headline says what was done."""

    ENROLL = "enroll"
    VERIFY = "verify"


# (headline, detail) per outcome; a failure or "another way" always names the way forward (R5).
_RESULTS: dict[tuple[Flow | None, ResultKind], tuple[str, str]] = {
    (Flow.ENROLL, ResultKind.OK): (
        QT_TRANSLATE_NOOP("MemberScreen", "All done. Thank you."),
        QT_TRANSLATE_NOOP("MemberScreen", "The staff will finish with you."),
    ),
    (Flow.VERIFY, ResultKind.OK): (
        QT_TRANSLATE_NOOP("MemberScreen", "You are verified. Thank you."),
        QT_TRANSLATE_NOOP("MemberScreen", "The staff will finish with you."),
    ),
    (None, ResultKind.FAIL): (
        QT_TRANSLATE_NOOP("MemberScreen", "That did not work this time."),
        QT_TRANSLATE_NOOP(
            "MemberScreen", "The staff will help you: try again, or use another way."
        ),
    ),
    (None, ResultKind.OTHER_WAY): (
        QT_TRANSLATE_NOOP("MemberScreen", "Please use another way."),
        QT_TRANSLATE_NOOP(
            "MemberScreen", "The staff will help you with a PIN, your card or an identity document."
        ),
    ),
}
DECLINED = (
    _member(QT_TRANSLATE_NOOP("MemberScreen", "No face data will be taken.")),
    _member(
        QT_TRANSLATE_NOOP("MemberScreen", "Thank you. The staff will set up another way with you.")
    ),
)


def result_phrases(flow: Flow, kind: ResultKind) -> tuple[Phrase, Phrase]:
    """The member's headline and detail for an outcome: never the operator's message, which names
    the member."""
    headline, detail = _RESULTS.get((flow, kind)) or _RESULTS[(None, kind)]
    return _member(headline), _member(detail)


class TwoLanguages(QWidget):
    """A phrase in the primary language, large, and under it in the other one, smaller (left out
    when the two read the same, such as a name written once)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.primary = QLabel()
        self.primary.setObjectName("primary")
        self.secondary = QLabel()
        self.secondary.setObjectName("secondary")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for label in (self.primary, self.secondary):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            layout.addWidget(label)
        self._text_in: Callable[[str], str] | None = None
        self._language = "en"

    def set_alignment(self, alignment: Qt.AlignmentFlag) -> None:
        for label in (self.primary, self.secondary):
            label.setAlignment(alignment)

    def show_text(self, text_in: Callable[[str], str] | None) -> None:
        """`text_in(language)` gives the words in a language; None empties the pair."""
        self._text_in = text_in
        self._render()

    def set_language(self, language: str) -> None:
        self._language = language
        self._render()

    def text(self) -> str:
        return self.primary.text()

    def _render(self) -> None:
        if self._text_in is None:
            self.primary.clear()
            self.secondary.clear()
            self.hide()
            return
        first = self._text_in(self._language)
        second = self._text_in(other_language(self._language))
        self.primary.setText(first)
        self.secondary.setText(second)
        self.secondary.setVisible(second != first)
        self.show()


class FittedText(QLabel):
    """Long words that must show whole in whatever room the layout gives (the notice, on any
    monitor): the largest font size from `largest` down to `smallest` points at which they fit.
    The member cannot scroll."""

    def __init__(self, largest: float, smallest: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.largest, self.smallest = largest, smallest
        self.point_size = largest
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)  # the font shrinks instead of the window growing past the monitor

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        room = self.contentsRect()
        if room.width() <= 0 or room.height() <= 0 or not self.text():
            return
        font = QFont(self.font())
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft  # as QLabel lays it out
        size = self.largest
        while size > self.smallest:
            font.setPointSizeF(size)
            bounds = QFontMetrics(font).boundingRect(
                QRect(0, 0, room.width(), 1 << 20), int(flags), self.text()
            )
            if bounds.height() <= room.height():
                break
            size -= 0.5
        if size != self.point_size or not self.styleSheet():
            self.point_size = size
            # A style sheet's size, not setFont: the application's sheet would override a font.
            self.setStyleSheet(f"font-size: {size}pt;")


class MemberScreen(QWidget):
    """The member's window. It takes no input: the only key it answers is the operator's
    RETURN_KEY, announced as `return_requested` (the display decides whether it is turned)."""

    return_requested = Signal()

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("memberScreen")
        self.setWindowTitle(APP_NAME)
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)  # the operator's window quits
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.language = "en"
        self.page = Page.WELCOME
        self._challenged = False  # this capture has asked for a movement (R23)
        self._action: Action | None = None  # the movement shown now
        self._time_box = 1.0  # its seconds when first shown
        self._pairs: list[TwoLanguages] = []
        self.pages = QStackedWidget()
        self.pages.addWidget(self._welcome_page())
        self.pages.addWidget(self._notice_page())
        self.pages.addWidget(self._capture_page())
        self.pages.addWidget(self._result_page())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addWidget(self.pages)
        for child in self.findChildren(QWidget):
            child.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nothing here takes the keyboard
        self.back = QShortcut(QKeySequence(RETURN_KEY), self)
        self.back.activated.connect(self.return_requested)
        self.result_timer = QTimer(self)
        self.result_timer.setSingleShot(True)
        self.result_timer.setInterval(RESULT_SECONDS * 1000)
        self.result_timer.timeout.connect(self.show_welcome)
        self.show_welcome()

    # -- pages ------------------------------------------------------------------------------------

    def _pair(self, name: str, centred: bool = False) -> TwoLanguages:
        pair = TwoLanguages(name)
        if centred:
            pair.set_alignment(Qt.AlignmentFlag.AlignHCenter)
        self._pairs.append(pair)
        return pair

    def _welcome_page(self) -> QWidget:
        self.site = self._pair("memberSite", centred=True)
        self.welcome = self._pair("memberTitle", centred=True)
        self.welcome_detail = self._pair("memberBody", centred=True)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addStretch(2)
        column.addWidget(self.site)
        column.addSpacing(48)
        column.addWidget(self.welcome)
        column.addSpacing(16)
        column.addWidget(self.welcome_detail)
        column.addStretch(3)
        return page

    def _notice_page(self) -> QWidget:
        # The notice's own first line is its title: no heading above it.
        self.notice = FittedText(NOTICE_POINTS, NOTICE_MIN_POINTS)
        self.notice.setObjectName("memberNotice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.choice_heading = self._pair("memberSubheading")
        self.choice = self._pair("memberBody")
        self.other_notice = QLabel()
        self.other_notice.setObjectName("memberNote")
        self.other_notice.setWordWrap(True)
        choice = QFrame()
        choice.setObjectName("memberChoice")
        box = QVBoxLayout(choice)
        box.setContentsMargins(28, 20, 28, 20)
        box.setSpacing(10)
        box.addWidget(self.choice_heading)
        box.addWidget(self.choice)
        box.addWidget(self.other_notice)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setSpacing(20)
        column.addWidget(self.notice, 1)
        column.addWidget(choice)
        return page

    def _capture_page(self) -> QWidget:
        self.capture_heading = self._pair("memberSubheading")
        self.preview = PreviewLabel()
        self.preview.setObjectName("memberPreview")
        self.preview.setAccessibleName("")  # a picture of the member, described by the words
        self.cue = ChallengeCue()
        self.cue.setMinimumSize(QSize(180, 180))
        self.prompt = self._pair("memberPrompt")
        self.hint = self._pair("memberHint")
        # The capture panel's ring, larger, with its words in both languages under it.
        self.ring = CaptureProgressRing()
        self.ring.setMinimumSize(QSize(RING_SIZE, RING_SIZE))
        self.pictures = self._pair("memberBody", centred=True)
        self.challenge = QWidget()
        challenge = QHBoxLayout(self.challenge)
        challenge.setContentsMargins(0, 0, 0, 0)
        challenge.setSpacing(20)
        challenge.addWidget(self.cue, 0, Qt.AlignmentFlag.AlignTop)
        challenge.addWidget(self.prompt, 1)
        words = QVBoxLayout()
        words.setSpacing(28)
        words.addWidget(self.capture_heading)
        progress = QVBoxLayout()
        progress.setSpacing(8)
        progress.addWidget(self.ring, 0, Qt.AlignmentFlag.AlignHCenter)
        progress.addWidget(self.pictures)
        words.addLayout(progress)
        words.addWidget(self.challenge)
        words.addWidget(self.hint)
        words.addStretch(1)
        page = QWidget()
        row = QHBoxLayout(page)
        row.setSpacing(40)
        row.addWidget(self.preview, 3)
        row.addLayout(words, 2)
        return page

    def _result_page(self) -> QWidget:
        self.result = QFrame()
        self.result.setObjectName("memberResult")
        self.result_icon = QSvgWidget()
        self.result_icon.setFixedSize(QSize(RESULT_ICON, RESULT_ICON))
        self.result_headline = self._pair("memberTitle")
        self.result_detail = self._pair("memberBody")
        self.result_kind: ResultKind | None = None
        words = QVBoxLayout()
        words.setSpacing(24)
        words.addStretch(1)
        words.addWidget(self.result_headline)
        words.addWidget(self.result_detail)
        words.addStretch(1)
        card = QHBoxLayout(self.result)
        card.setContentsMargins(48, 40, 48, 40)
        card.setSpacing(40)
        card.addWidget(self.result_icon, 0, Qt.AlignmentFlag.AlignVCenter)
        card.addLayout(words, 1)
        self.result.setMaximumWidth(RESULT_WIDTH)
        row = QHBoxLayout()  # centred, as wide as the screen allows up to RESULT_WIDTH
        row.addStretch(1)
        row.addWidget(self.result, 100)
        row.addStretch(1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)
        return page

    def _show_page(self, page: Page) -> None:
        self.page = page
        self.pages.setCurrentIndex(list(Page).index(page))
        if page is not Page.RESULT:
            self.result_timer.stop()
        if page is not Page.CAPTURE:
            self.preview.clear_preview()  # no picture of the member stays behind (R10)

    # -- what the display calls --------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        """The member's language: large, with the other under it."""
        self.language = language
        for pair in self._pairs:
            pair.set_language(language)

    def set_site(self, names: dict[str, str] | None) -> None:
        """The site's name per language (the notice's controller); None before any sign-in."""
        self.site.show_text(names.__getitem__ if names else None)

    def show_welcome(self) -> None:
        self.welcome.show_text(WELCOME)
        self.welcome_detail.show_text(WELCOME_DETAIL)
        self._show_page(Page.WELCOME)

    def show_notice(self, language: str, text: str) -> None:
        """The notice exactly as the operator's screen shows it, in `language` (the member's)."""
        self.set_language(language)
        self.notice.setText(text)
        self.choice_heading.show_text(CHOICE_HEADING)
        self.choice.show_text(CHOICE)
        other = other_language(language)
        self.other_notice.setText(
            translate_to(other, "MemberScreen", OTHER_NOTICE).format(language_button_text(language))
        )
        self._show_page(Page.NOTICE)

    def show_camera_soon(self) -> None:
        """The member said yes; the staff start the camera next."""
        self._start_capture(CAMERA_SOON)

    def show_camera_started(self) -> None:
        if self.page is not Page.CAPTURE:
            self._start_capture(HOLD_STILL)

    def _start_capture(self, hint: Phrase) -> None:
        self.capture_heading.show_text(CAPTURE_HEADING)
        self.hint.show_text(hint)
        self.ring.show_progress(None)
        self.pictures.show_text(None)
        self._show_challenge(None)
        self._challenged = False
        self._show_page(Page.CAPTURE)

    def show_progress(self, progress: CaptureProgress | None) -> None:
        """The capture page's words for one assessed frame, as the operator's panel words them."""
        if progress is None:  # the capture ended: its outcome comes next
            self.preview.clear_preview()
            self._show_challenge(None)
            return
        self.show_camera_started()
        self.preview.set_progress(progress)
        self._show_challenge(progress.challenge)
        if progress.issue is not None:
            self.hint.show_text(Phrase("texts", QUALITY_HINTS[progress.issue]))
        elif progress.challenge is not None:  # the movement's own words are the hint
            self.hint.show_text(None)
            self._challenged = True
        else:  # every movement seen: the end frames want the face frontal again
            self.hint.show_text(LOOK_STRAIGHT if self._challenged else HOLD_STILL)
        self.ring.show_progress(progress)  # frames, then the movements while they are asked
        ring = self.ring
        if ring.phase is ProgressPhase.MOVEMENTS:
            words = _member(MOVEMENTS, ring.done + 1, ring.total)  # the one being asked
        else:
            words = _member(PICTURES, ring.done, ring.total)
        self.pictures.show_text(words)

    def _show_challenge(self, challenge: ChallengeProgress | None) -> None:
        """The liveness movement asked for (R23), its cue and a ring for the time left; hidden when
        none is."""
        if challenge is None:
            self._action = None
            self.prompt.show_text(None)
            self.cue.show_action(None, 0.0)
            self.challenge.hide()
            return
        if challenge.action is not self._action:  # a new movement: its time box starts full
            self._action = challenge.action
            self._time_box = max(challenge.seconds_left, 0.001)
            self.prompt.show_text(Phrase("texts", CHALLENGE_PROMPTS[challenge.action]))
        self.cue.show_action(challenge.action, challenge.seconds_left / self._time_box)
        self.challenge.show()

    def show_frame(self, image: QImage) -> None:
        """A preview frame, drawn only while the member can see it (the operator's panel has its
        own copy)."""
        if self.page is Page.CAPTURE and self.isVisible():
            self.preview.show_frame(image)

    def show_result(self, kind: ResultKind, headline: Phrase, detail: Phrase) -> None:
        self.result_kind = kind
        self.result.setProperty("kind", kind.value)
        self._paint_result()
        self.result_headline.show_text(headline)
        self.result_detail.show_text(detail)
        self._show_page(Page.RESULT)
        self.result_timer.start()

    def _paint_result(self) -> None:
        """The kind's icon, and its colour around the words, in the theme in force (the icon's
        shape and the words say it too)."""
        if self.result_kind is None:
            return
        theme = current_theme()
        self.result_icon.load(self.result_kind.icon_svg(theme))
        sheet = (
            f"QFrame#memberResult {{ border: 6px solid {self.result_kind.colour(theme).name()}; }}"
        )
        if sheet != self.result.styleSheet():
            self.result.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._paint_result()  # the theme changed (light, dark, high contrast)
        super().changeEvent(event)

    def texts(self) -> list[str]:
        """Every word the screen holds now, shown or not (the privacy test reads them all)."""
        found = [self.windowTitle(), self.accessibleName(), self.toolTip()]
        for widget in self.findChildren(QWidget):
            found += [widget.accessibleName(), widget.accessibleDescription(), widget.toolTip()]
            if isinstance(widget, QLabel):
                found.append(widget.text())
        return [text for text in found if text]
