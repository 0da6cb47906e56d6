"""Verify another way (R5): PIN, or an operator's check of an ID document. Works with no camera."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget
from qasync import asyncSlot

from station.domain import ServiceError
from ui.desk import Desk
from ui.views.result_card import ResultCard, ResultKind, verify_kind
from ui.views.texts import DOCUMENT_TYPES, document_label, refusal_text, verify_result
from ui.views.widgets import action_button


class AlternativeView(QWidget):
    done = Signal()
    decided = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.member = QLineEdit()
        self.member.setAccessibleName(self.tr("Member number or card number"))
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("PIN"))
        self.check_pin = action_button(self.tr("Check PIN"), "checkPin")
        self.document = QComboBox()
        self.document.setAccessibleName(self.tr("Document type"))
        for key in DOCUMENT_TYPES:
            self.document.addItem(document_label(key), key)
        self.check_document = action_button(self.tr("I have checked the document"), "checkDocument")
        # Issue 12: the decision as a large card. After a failure its actions are the two ways
        # forward, with equal weight (R5): the PIN again, or the identity document.
        self.again = action_button(self.tr("Try again"), "alternativeTryAgain")
        self.use_document = action_button(
            self.tr("Check an identity document instead"), "alternativeUseDocument"
        )
        self.result = ResultCard(self.again, self.use_document)
        self.finish = action_button(self.tr("Done"), "alternativeDone")

        form = QFormLayout()
        form.addRow(self.tr("Member or card number"), self.member)
        form.addRow(self.tr("PIN"), self.pin)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.check_pin)
        layout.addWidget(
            QLabel(self.tr("Or check an identity document (its number is not recorded):"))
        )
        layout.addWidget(self.document)
        layout.addWidget(self.check_document)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addWidget(self.finish)
        self.check_pin.clicked.connect(self._check_pin)
        self.check_document.clicked.connect(self._check_document)
        self.pin.returnPressed.connect(self._check_pin)
        self.again.clicked.connect(self._try_again)
        self.use_document.clicked.connect(self._to_document)
        self.finish.clicked.connect(self.done)

    def begin(self, member_number: str) -> None:
        self.member.setText(member_number)
        self.pin.clear()
        self.result.clear()
        (self.pin if member_number else self.member).setFocus()

    def _show(self, kind: ResultKind, message: str) -> None:
        failed = kind is not ResultKind.OK
        self.again.setVisible(failed)
        self.use_document.setVisible(failed)
        self.result.show_result(kind, message)
        if not failed:
            self.finish.setFocus()  # the card has no action of its own after a success

    def _try_again(self) -> None:
        self.result.clear()
        (self.pin if self.member.text().strip() else self.member).setFocus()

    def _to_document(self) -> None:
        self.result.clear()
        self.document.setFocus()

    @asyncSlot()
    async def _check_pin(self) -> None:
        member, pin = self.member.text().strip(), self.pin.text()
        self.pin.clear()  # the PIN is not kept in the widget longer than the check
        outcome = await self._desk.executor.run(
            self._desk.station.verification.pin, member, pin, self._desk.operator
        )
        self._show(verify_kind(outcome), verify_result(outcome, member))
        self.decided.emit(outcome)

    @asyncSlot()
    async def _check_document(self) -> None:
        member = self.member.text().strip()
        try:
            outcome = await self._desk.executor.run(
                self._desk.station.verification.document,
                member,
                str(self.document.currentData()),
                self._desk.operator,
            )
        except ServiceError as refusal:  # no such member
            self._show(ResultKind.FAIL, refusal_text(refusal))
            return
        self._show(verify_kind(outcome), verify_result(outcome, member))
        self.decided.emit(outcome)
