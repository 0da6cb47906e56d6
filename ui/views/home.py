"""Home: a subject search above three actions of equal size and weight (R5)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
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
from station.domain.text import visible
from ui.views.widgets import EqualRow, action_button


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
        actions = EqualRow(self.enroll, self.verify_face, self.verify_other)
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("Find a member"))
        label.setBuddy(self.search)
        layout.addWidget(label)
        search = QHBoxLayout()
        search.addWidget(self.search, 1)
        search.addWidget(self.find_button)
        layout.addLayout(search)
        layout.addWidget(self.results)
        layout.addWidget(actions)
        layout.addStretch(1)
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

    def member(self) -> str:
        return self.search.text().strip()

    def set_face_available(self, available: bool, reason: str) -> None:
        """No camera: face verification is disabled with the reason; enrollment stays open for
        registering someone with a PIN, and the other path stays (R5)."""
        self.verify_face.setEnabled(available)
        self.verify_face.setToolTip("" if available else reason)
