"""Home: a subject search above three actions of equal size and weight (R5)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.views.widgets import action_button


class HomeView(QWidget):
    enroll_requested = Signal(str)
    verify_face_requested = Signal(str)
    verify_other_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Member number"))
        self.search.setAccessibleName(self.tr("Member number"))
        self.enroll = action_button(self.tr("Enroll"), "enroll")
        self.verify_face = action_button(self.tr("Verify by face"), "verifyFace")
        self.verify_other = action_button(self.tr("Verify another way"), "verifyOther")
        actions = QHBoxLayout()
        for button in (self.enroll, self.verify_face, self.verify_other):
            actions.addWidget(button, 1)  # equal stretch: no option is favoured
        layout = QVBoxLayout(self)
        label = QLabel(self.tr("Find a member"))
        label.setBuddy(self.search)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addLayout(actions)
        layout.addStretch(1)
        self.enroll.clicked.connect(lambda: self.enroll_requested.emit(self.member()))
        self.verify_face.clicked.connect(lambda: self.verify_face_requested.emit(self.member()))
        self.verify_other.clicked.connect(lambda: self.verify_other_requested.emit(self.member()))

    def member(self) -> str:
        return self.search.text().strip()

    def set_face_available(self, available: bool, reason: str) -> None:
        """No camera: face actions are disabled with the reason; the other path stays (R5)."""
        for button in (self.enroll, self.verify_face):
            button.setEnabled(available)
            button.setToolTip("" if available else reason)
