"""The header of every signed-in screen (issue 12): which site, who is on duty, and whether the
camera, the face models and the store are ready, each as an icon with words (R8: never the icon or
a colour alone). The window owns its buttons (my password, administration, language) and puts them
at the header's right.

The camera indicator never opens the camera to find out (R1: it opens only after consent): it says
what the window already knows, whether a device is there (checked without opening it, R25) and
whether a capture is running."""

from __future__ import annotations

import enum

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from station.domain import Role
from ui.icons import icon_pixmap

ICON_SIZE = 22


class State(enum.StrEnum):
    """How an indicator is drawn (style.qss `state`); its words say the same."""

    READY = "ready"
    WAITING = "waiting"
    PROBLEM = "problem"


class _WrapLabel(QLabel):
    """Word-wrapped, but asking for its text on one line: it wraps only when the header is too
    narrow (1024 px, 200 %), where a plain wrapped QLabel wraps at a guessed width even when
    there is room."""

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        width = (
            self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right() + 2
        )
        return QSize(width, self.heightForWidth(width))


class IconLabel(QFrame):
    """An icon and a short text side by side; the icon follows the text's colour."""

    def __init__(self, icon: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._icon = icon
        self.picture = QLabel()
        self.picture.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.picture.setAccessibleName("")  # decoration: the text says it all
        self.text = _WrapLabel()
        # Wraps rather than widening the window: 1024 px wide, or 200 %, a long site name or the
        # Chinese texts go on two lines and the buttons beside them keep their whole names.
        self.text.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.picture)
        layout.addWidget(self.text, 1)
        self._paint_icon()

    def set_text(self, text: str, name: str, description: str = "") -> None:
        self.text.setText(text)
        self.text.setToolTip(description)
        for widget in (self, self.text):
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def _paint_icon(self) -> None:
        colour = self.text.palette().color(QPalette.ColorRole.WindowText)
        self.picture.setPixmap(icon_pixmap(self._icon, ICON_SIZE, colour, self.devicePixelRatioF()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._paint_icon()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._paint_icon()  # the screen's pixel ratio is known once shown
        super().showEvent(event)


class StateIndicator(IconLabel):
    def set_state(self, state: State, text: str, name: str, description: str) -> None:
        self.state = state
        self.setProperty("state", state.value)
        self.set_text(text, name, description)
        for widget in (self, self.text):  # the sheet's colour for the state, then the icon's
            style = widget.style()
            style.unpolish(widget)
            style.polish(widget)
        self._paint_icon()


class StationHeader(QFrame):
    """Site and operator on the first line, the three states on the second; hidden details until
    someone signs in (the start page has no operator and no open store)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stationHeader")
        self.site = IconLabel("building")
        self.site.setObjectName("headerSite")
        self.operator = IconLabel("person")
        self.operator.setObjectName("headerOperator")
        self.camera = StateIndicator("camera")
        self.camera.setObjectName("cameraState")
        self.models = StateIndicator("chip")
        self.models.setObjectName("modelsState")
        self.store = StateIndicator("lock")
        self.store.setObjectName("storeState")
        self._buttons: list[QPushButton] = []
        self.buttons = QHBoxLayout()  # the window's, added with add_button
        self.buttons.setSpacing(8)
        top = QHBoxLayout()
        top.setSpacing(24)
        top.addWidget(self.site)
        top.addWidget(self.operator)
        top.addStretch(1)
        top.addLayout(self.buttons)
        self.states = QWidget()
        states = QHBoxLayout(self.states)
        states.setContentsMargins(0, 0, 0, 0)
        states.setSpacing(24)
        for indicator in (self.camera, self.models, self.store):
            states.addWidget(indicator)
        states.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 2, 10, 2)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.states)
        self.retranslate()
        self.signed_out()

    def add_button(self, button: QPushButton) -> None:
        """A button at the header's right; never narrower than its name (the texts beside it
        wrap instead)."""
        policy = button.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Minimum)
        button.setSizePolicy(policy)
        self.buttons.addWidget(button)
        self._buttons.append(button)

    def fit_buttons(self) -> None:
        """After their texts change: each button at least as wide as its name in the sheet's
        font (a box layout short of room cut their names otherwise)."""
        for button in self._buttons:
            button.setMinimumWidth(0)
            button.ensurePolished()
            button.setMinimumWidth(button.sizeHint().width())

    def retranslate(self) -> None:
        """The header's own name; its texts come from the window's calls below."""
        self.setAccessibleName(self.tr("Station header"))

    def signed_out(self) -> None:
        for part in (self.site, self.operator, self.states):
            part.hide()

    def signed_in(self, site: str, operator: str, role: Role) -> None:
        roles = {
            Role.OPERATOR: self.tr("operator"),
            Role.ADMINISTRATOR: self.tr("administrator"),
            Role.AUDITOR: self.tr("auditor"),
        }
        self.site.set_text(site, self.tr("Site: {0}").format(site))
        text = self.tr("{0} ({1})").format(operator, roles[role])
        self.operator.set_text(text, self.tr("Signed in: {0}").format(text))
        for part in (self.site, self.operator, self.states):
            part.show()

    def show_camera(self, absent: bool, running: bool) -> None:
        if absent:
            state, text = State.PROBLEM, self.tr("Camera: not found")
            description = self.tr("No camera is connected: verify another way.")
        elif running:
            state, text = State.READY, self.tr("Camera: in use")
            description = self.tr("The camera is on for the member who agreed to it.")
        else:
            state, text = State.READY, self.tr("Camera: ready when needed")
            description = self.tr(
                "A camera is connected. It is opened only after the member agrees to the use of "
                "their face."
            )
        self.camera.set_state(state, text, self.tr("Camera state"), description)

    def show_models(self, ready: bool, error: str | None) -> None:
        if error is not None:
            state, text = State.PROBLEM, self.tr("Face models: error")
            description = self.tr("The face models could not be loaded: {0}").format(error)
        elif ready:
            state, text = State.READY, self.tr("Face models: loaded")
            description = self.tr("The face models are loaded: face actions are available.")
        else:
            state, text = State.WAITING, self.tr("Face models: loading…")
            description = self.tr("The face models are loading; the other way works meanwhile.")
        self.models.set_state(state, text, self.tr("Face models state"), description)

    def show_store(self, folder: str) -> None:
        self.store.set_state(
            State.READY,
            self.tr("Store: open, encrypted ({0})").format(folder),
            self.tr("Store state"),
            self.tr("The member store is open and encrypted, in the folder {0}.").format(folder),
        )
