"""Erasing a member at the end of service (issue 15), in the window: the subject page and the
inactive members panel both use this one flow.

Asking never erases. The confirmation shows on the page (no modal dialog) and says what goes,
what stays and that it cannot be undone; an operator also types the member number again, which
the service checks. Once erased, the page shows the receipt the person keeps: what was erased, when,
and the reference the audit trail still uses, which only this receipt ties to them."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import ErasureReceipt, Permission, ServiceError
from station.domain.text import visible
from ui.desk import Desk
from ui.style import set_role
from ui.views.receipts import PrinterChoice, ask_printer, audit_record_html, print_html
from ui.views.texts import refusal_text
from ui.views.widgets import EqualRow, action_button


class ErasureFlow(QWidget):
    erased = Signal(object)  # the ErasureReceipt: the member is gone from the store
    kept = Signal()  # the confirmation was closed; nothing was erased
    finished = Signal()  # the receipt was closed

    def __init__(
        self,
        desk: Desk,
        parent: QWidget | None = None,
        choose_printer: PrinterChoice = ask_printer,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._choose_printer = choose_printer
        # An administrator's request is enough; an operator confirms a second time (the service
        # decides, this only spares an administrator the field).
        self.confirm_twice = not desk.station.allows(Permission.ADMINISTER)
        self.member: str | None = None  # the member number being asked about
        self.receipt: ErasureReceipt | None = None

        self.confirmation = QGroupBox(self.tr("Erase a member at the end of service"))
        self.question = QLabel()
        self.question.setObjectName("erasureQuestion")
        self.question.setAccessibleName(self.tr("Member to erase"))
        self.question.setTextFormat(Qt.TextFormat.PlainText)  # a stored name is never markup
        self.question.setWordWrap(True)
        explanation = QLabel(
            self.tr(
                "Erased: the name, the member and card numbers, the date of birth, the PIN, the "
                "consents (face data and transfers) and any face data.\n"
                "Kept: the audit trail's events, under a reference number with no name, and the "
                "counts in reports.\n"
                "This cannot be undone. Backups made earlier still hold the record until they are "
                "deleted."
            )
        )
        explanation.setObjectName("erasureExplanation")
        explanation.setAccessibleName(self.tr("What erasing the member does"))
        explanation.setWordWrap(True)
        retype_label = self.tr("Type the member number again to confirm")
        self.retype = QLineEdit()
        self.retype.setAccessibleName(retype_label)
        self.erase_now = action_button(self.tr("Erase now"), "eraseNow")
        self.keep = action_button(self.tr("Keep the member"), "keepMember")
        self.message = QLabel()
        self.message.setObjectName("erasureMessage")
        self.message.setAccessibleName(self.tr("Erasure message"))
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        set_role(self.message, "error")
        column = QVBoxLayout(self.confirmation)
        column.addWidget(self.question)
        column.addWidget(explanation)
        typed = QFormLayout()
        typed.addRow(retype_label, self.retype)
        typed.setRowVisible(self.retype, self.confirm_twice)
        column.addLayout(typed)
        column.addWidget(self.message)
        column.addWidget(EqualRow(self.erase_now, self.keep))

        self.receipt_view = QTextBrowser()
        self.receipt_view.setAccessibleName(self.tr("Erasure receipt"))
        self.print_button = action_button(self.tr("Print receipt"), "printErasureReceipt")
        self.finish = action_button(self.tr("Done"), "erasureDone")
        self.receipt_area = QWidget()
        receipt_column = QVBoxLayout(self.receipt_area)
        receipt_column.setContentsMargins(0, 0, 0, 0)
        receipt_column.addWidget(self.receipt_view, 1)
        receipt_column.addWidget(EqualRow(self.print_button, self.finish))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.confirmation)
        layout.addWidget(self.receipt_area, 1)
        self.erase_now.clicked.connect(self._erase)
        self.retype.returnPressed.connect(self._erase)  # R8: typed, then Enter
        self.keep.clicked.connect(self.kept)
        self.print_button.clicked.connect(self._print)
        self.finish.clicked.connect(self.finished)
        self.hide()

    def ask(self, member_number: str, display_name: str) -> None:
        """Show the confirmation for one member; nothing is erased until "Erase now"."""
        self.member, self.receipt = member_number, None
        self.question.setText(
            self.tr("Erase {0} ({1}) and everything the station holds about them?").format(
                visible(display_name), visible(member_number)
            )
        )
        self.retype.clear()
        self.message.clear()
        self.erase_now.setEnabled(True)
        self.receipt_view.clear()
        self.receipt_area.hide()
        self.confirmation.show()
        self.show()
        # The field when there is one; else the choice that changes nothing.
        (self.retype if self.confirm_twice else self.keep).setFocus()

    @asyncSlot()
    async def _erase(self) -> None:
        member = self.member
        if member is None or self.receipt is not None or not self.erase_now.isEnabled():
            return
        desk = self._desk
        confirmation = self.retype.text() if self.confirm_twice else None
        self.erase_now.setEnabled(False)  # one request: a second would find no such member
        try:
            receipt = await desk.executor.run(
                desk.station.erasure.erase, member, desk.operator, confirmation
            )
        except ServiceError as refusal:  # not confirmed, or the role: the service decides
            self.message.setText(refusal_text(refusal))
            self.erase_now.setEnabled(True)
            (self.retype if self.confirm_twice else self.keep).setFocus()
            return
        self.receipt = receipt
        self.receipt_view.setHtml(self.receipt_html())
        self.confirmation.hide()
        self.receipt_area.show()
        self.print_button.setFocus()
        self.erased.emit(receipt)

    def receipt_html(self) -> str:
        """The receipt as shown and as printed: who was erased and when, what went, and what the
        station keeps (counts, and the trail under a reference only this receipt names)."""
        receipt = self.receipt
        if receipt is None:
            return ""
        name = html.escape(visible(receipt.display_name))
        member = html.escape(visible(receipt.member_number))
        when = receipt.erased_at.astimezone().strftime("%Y-%m-%d %H:%M")
        erased = [self.tr("Name and member number")]
        if receipt.card_number:
            card = html.escape(visible(receipt.card_number))
            erased.append(self.tr("Card number {0}").format(card))
        erased += [
            self.tr("Date of birth")
            if receipt.had_date_of_birth
            else self.tr("Date of birth: none was held"),
            self.tr("PIN") if receipt.had_pin else self.tr("PIN: none was set"),
            self.tr("{0} face template(s)").format(receipt.templates)
            if receipt.templates
            else self.tr("Face data: none was held"),
            self.tr("{0} face-data consent record(s)").format(receipt.consents),
            self.tr("{0} transfer consent(s)").format(receipt.transfer_consents)
            if receipt.transfer_consents
            else self.tr("Transfer consents: none were held"),
        ]
        kept = [
            self.tr(
                "The audit trail's events about this member, under the reference {0}, with no "
                "name, number or date of birth. Only this receipt ties that reference to {1}."
            ).format(html.escape(receipt.reference), name),
            self.tr(
                "Counts only: reports count one more member erased, and their consent answers "
                "stay in the totals."
            ),
        ]
        if receipt.incidents:
            kept.append(
                self.tr(
                    "{0} incident register(s) still count this member among the people affected, "
                    "without naming them."
                ).format(receipt.incidents)
            )
        kept.append(
            self.tr("Backups made before {0} still hold the record until they are deleted.").format(
                when
            )
        )
        title = self.tr("Erasure receipt: end of service")
        summary = self.tr("{0} ({1}) was erased from this station on {2}.").format(
            name, member, when
        )
        erased_title, kept_title = self.tr("What was erased"), self.tr("What the station keeps")
        return (
            f"<h2>{title}</h2><p>{summary}</p>"
            f"<h3>{erased_title}</h3><ul>{_items(erased)}</ul>"
            f"<h3>{kept_title}</h3><ul>{_items(kept)}</ul>"
            f"{audit_record_html(receipt.audit_event.head)}"
        )

    def _print(self) -> None:
        print_html(self, self.receipt_html(), self._choose_printer)


def _items(texts: list[str]) -> str:
    return "".join(f"<li>{text}</li>" for text in texts)
