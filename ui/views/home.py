"""Home: a subject search above three actions of equal size and weight (R5), each a large tile with
an icon and one line saying what it does, then the day's counts: numbers only, never a name or a
member number (issue 12)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station.domain import Subject
from station.domain.reports import DayCounts
from station.domain.text import visible
from ui.icons import icon
from ui.views.widgets import action_button

TILE_ICON = 36
TILE_GAP = 10  # between a tile's icon and its name
TILE_HEIGHT = 88


class ActionTile(QWidget):
    """One of the three home actions: a large button (icon and name) and, under it, one line on
    what it does. The buttons are the same for all three (R5): same size, same look."""

    def __init__(self, button: QPushButton, icon_name: str, explanation: str) -> None:
        super().__init__()
        self.button = button
        self._icon = icon_name
        button.setMinimumHeight(TILE_HEIGHT)
        button.setIconSize(QSize(TILE_ICON + TILE_GAP, TILE_ICON))
        button.setAccessibleDescription(explanation)
        self.explanation = QLabel(explanation)
        self.explanation.setObjectName("tileExplanation")
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(button)
        layout.addWidget(self.explanation)
        self._paint_icon()

    def _paint_icon(self) -> None:
        colour = self.button.palette().color(QPalette.ColorRole.ButtonText)
        self.button.setIcon(icon(self._icon, TILE_ICON, colour, self.devicePixelRatioF(), TILE_GAP))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._paint_icon()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._paint_icon()
        super().showEvent(event)


class TileRow(QWidget):
    """The tiles side by side with equal stretch; one above the other when the row is too narrow
    for their names (large text, 200 % scale), so no name is clipped (R8)."""

    def __init__(self, *tiles: ActionTile) -> None:
        super().__init__()
        self._tiles = tiles
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(16)
        for tile in tiles:
            self._layout.addWidget(tile, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        spacing = self._layout.spacing() * (len(self._tiles) - 1)
        widest = max(tile.button.sizeHint().width() for tile in self._tiles)
        fits = widest * len(self._tiles) + spacing <= event.size().width()
        direction = QBoxLayout.Direction.LeftToRight if fits else QBoxLayout.Direction.TopToBottom
        if self._layout.direction() != direction:
            self._layout.setDirection(direction)
        # The pixels that do not divide among the tiles stay empty at the right: side by side,
        # the tiles are exactly as wide as each other at any window width (R5).
        spare = (event.size().width() - spacing) % len(self._tiles) if fits else 0
        self._layout.setContentsMargins(0, 0, spare, 0)
        super().resizeEvent(event)


class DayCount(QFrame):
    """One number of the day and what it counts."""

    def __init__(self, caption: str) -> None:
        super().__init__()
        self.setObjectName("dayCount")
        self.caption = caption
        self.number = QLabel("–")
        self.number.setObjectName("countNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label = QLabel(caption)
        label.setObjectName("countCaption")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.number)
        layout.addWidget(label)
        self.setAccessibleName(caption)

    def set_value(self, value: int | None) -> None:
        text = "–" if value is None else f"{value:,}"
        self.number.setText(text)
        self.setAccessibleDescription(f"{self.caption}: {text}")


class HomeView(QWidget):
    enroll_requested = Signal(str)
    verify_face_requested = Signal(str)
    verify_other_requested = Signal(str)
    find_requested = Signal(str)
    subject_requested = Signal(str)  # subject id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Member number or name"))
        self.search.setAccessibleName(self.tr("Member number or name"))
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.setAccessibleName(self.tr("Find the member"))
        self.results = QListWidget()
        self.results.setAccessibleName(self.tr("Members found"))
        self.results.setVisible(False)
        self.enroll = action_button(self.tr("Enroll"), "enroll")
        self.verify_face = action_button(self.tr("Verify by face"), "verifyFace")
        self.verify_other = action_button(self.tr("Verify another way"), "verifyOther")
        self.tiles = (
            ActionTile(
                self.enroll,
                "enroll",
                self.tr("Register a member; they choose face or a PIN."),
            ),
            ActionTile(
                self.verify_face,
                "verify-face",
                self.tr("The member agrees, then looks at the camera."),
            ),
            ActionTile(
                self.verify_other,
                "other-way",
                self.tr("PIN, card and PIN, or an ID document: no camera."),
            ),
        )
        actions = TileRow(*self.tiles)
        # The day's work at this station: numbers only, never who (issue 12).
        self.counts_heading = QLabel(self.tr("Today at this station"))
        self.counts_heading.setObjectName("countsHeading")
        self.verified_face = DayCount(self.tr("verified by face"))
        self.verified_other = DayCount(self.tr("verified another way"))
        self.enrolled = DayCount(self.tr("faces enrolled"))
        self.refused = DayCount(self.tr("refused"))
        self.counts = QWidget()
        self.counts.setObjectName("dayCounts")
        self.counts.setAccessibleName(self.tr("Today at this station"))
        counts = QHBoxLayout(self.counts)
        counts.setContentsMargins(0, 0, 0, 0)
        counts.setSpacing(12)
        for box in (self.verified_face, self.verified_other, self.enrolled, self.refused):
            counts.addWidget(box, 1)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        label = QLabel(self.tr("Find a member"))
        label.setBuddy(self.search)
        layout.addWidget(label)
        search = QHBoxLayout()
        search.addWidget(self.search, 1)
        search.addWidget(self.find_button)
        layout.addLayout(search)
        layout.addWidget(self.results)
        layout.addSpacing(8)
        layout.addWidget(actions)
        layout.addSpacing(8)
        layout.addWidget(self.counts_heading)
        layout.addWidget(self.counts)
        layout.addStretch(1)
        # Keyboard order (R8): search, find, the list when shown, then the three actions.
        for first, second in (
            (self.search, self.find_button),
            (self.find_button, self.results),
            (self.results, self.enroll),
            (self.enroll, self.verify_face),
            (self.verify_face, self.verify_other),
        ):
            QWidget.setTabOrder(first, second)
        self.find_button.clicked.connect(lambda: self.find_requested.emit(self.member()))
        self.search.returnPressed.connect(lambda: self.find_requested.emit(self.member()))
        self.results.itemActivated.connect(self._open)
        self.enroll.clicked.connect(lambda: self.enroll_requested.emit(self.member()))
        self.verify_face.clicked.connect(lambda: self.verify_face_requested.emit(self.member()))
        self.verify_other.clicked.connect(lambda: self.verify_other_requested.emit(self.member()))

    def show_results(self, subjects: list[Subject]) -> None:
        self.results.clear()
        for subject in subjects:
            # A name stored before issue 16 may hold a bidi override: shown written out.
            item = QListWidgetItem(visible(f"{subject.member_number} — {subject.display_name}"))
            item.setData(Qt.ItemDataRole.UserRole, subject.id)
            self.results.addItem(item)
        if not subjects:
            self.results.addItem(self.tr("No member found."))
        self.results.setVisible(True)
        self.results.setCurrentRow(0)
        self.results.setFocus()

    def _open(self, item: QListWidgetItem) -> None:
        subject_id = item.data(Qt.ItemDataRole.UserRole)
        if subject_id:
            self.subject_requested.emit(str(subject_id))

    def show_counts(self, counts: DayCounts | None) -> None:
        """Today's numbers; None while they are read (or when this role has no desk)."""
        values = (
            (None, None, None, None)
            if counts is None
            else (counts.verified_face, counts.verified_other, counts.enrolled, counts.refused)
        )
        for box, value in zip(
            (self.verified_face, self.verified_other, self.enrolled, self.refused),
            values,
            strict=True,
        ):
            box.set_value(value)

    def member(self) -> str:
        return self.search.text().strip()

    def set_face_available(self, available: bool, reason: str) -> None:
        """No camera: face verification is disabled with the reason; enrollment stays open for
        registering someone with a PIN, and the other path stays (R5)."""
        self.verify_face.setEnabled(available)
        self.verify_face.setToolTip("" if available else reason)
