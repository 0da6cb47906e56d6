"""Verify by face: claim first, then an explicit camera start, then a decision that shows name and
member number only — never a score, never a photo. A failure offers both ways forward."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import VerifyStatus
from ui.desk import Desk
from ui.views.capture import CapturePanel
from ui.views.result_card import ResultCard, verify_kind
from ui.views.texts import verify_result
from ui.views.widgets import action_button


class VerifyFaceView(QWidget):
    verify_other_requested = Signal(str)
    done = Signal()
    decided = Signal(object)  # VerificationOutcome, for whoever keeps a record of the screen

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.member = QLineEdit()
        self.member.setAccessibleName(self.tr("Member number being claimed"))
        self.member.setPlaceholderText(self.tr("Member number"))
        self.capture = CapturePanel(desk)
        self.again = action_button(self.tr("Try again"), "tryAgain")
        self.other = action_button(self.tr("Verify another way"), "resultOtherWay")
        self.finish = action_button(self.tr("Done"), "verifyDone")
        # Issue 12: the decision as a large card; on a failure "another way" sits beside "try
        # again" with equal weight (R5).
        self.result = ResultCard(self.again, self.other, self.finish)

        claim_page = QWidget()
        claim = QVBoxLayout(claim_page)
        claim.setContentsMargins(0, 0, 0, 0)  # inside the view's own margins: not twice
        # The question beside its field, not over it: the page's height goes to the picture and
        # the hints, and the page fits 768 px with the member screen's row above it.
        question = QHBoxLayout()
        question.addWidget(QLabel(self.tr("Who is this person claiming to be?")))
        question.addWidget(self.member, 1)
        claim.addLayout(question)
        claim.addWidget(self.capture, 1)
        result_page = QWidget()
        result = QVBoxLayout(result_page)
        result.addWidget(self.result)
        result.addStretch(1)
        self.pages = QStackedWidget()
        self.pages.addWidget(claim_page)
        self.pages.addWidget(result_page)
        QVBoxLayout(self).addWidget(self.pages)

        self.capture.start_requested.connect(self._verify)
        self.again.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.other.clicked.connect(lambda: self.verify_other_requested.emit(self.member.text()))
        self.finish.clicked.connect(self.done)

    def begin(self, member_number: str) -> None:
        self.member.setText(member_number)
        self.pages.setCurrentIndex(0)
        self.member.setFocus()

    @asyncSlot()
    async def _verify(self) -> None:
        member = self.member.text().strip()
        if not member:
            self.capture.hint.setText(self.tr("Enter the member number first."))
            return
        verification, operator = self._desk.station.verification, self._desk.operator
        outcome = await self.capture.run(
            lambda camera, task: verification.face(member, camera, operator, task)
        )
        accepted = outcome.status is VerifyStatus.ACCEPTED
        self.again.setVisible(not accepted)
        self.other.setVisible(not accepted)
        self.pages.setCurrentIndex(1)
        self.result.show_result(verify_kind(outcome), verify_result(outcome, member))
        self.decided.emit(outcome)
