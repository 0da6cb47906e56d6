"""Administration: members with no visit at the desk for the site's number of months (issue 15,
`policy.inactive_months`; off by default), the longest absent first. The list erases nothing: an
administrator chooses a member and goes through the same confirmation and receipt as on the
subject page (ui.views.erasure); the service audits each erasure."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import ErasureReceipt, InactiveMember
from station.domain.text import visible
from ui.desk import Desk
from ui.style import set_role
from ui.views.erasure import ErasureFlow
from ui.views.receipts import PrinterChoice, ask_printer
from ui.views.widgets import action_button


class InactivePanel(QWidget):
    def __init__(
        self,
        desk: Desk,
        parent: QWidget | None = None,
        choose_printer: PrinterChoice = ask_printer,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self.months = 0  # the setting the list was read with
        self.members: list[InactiveMember] = []
        self.explanation = QLabel()
        self.explanation.setAccessibleName(self.tr("About the list of inactive members"))
        self.explanation.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName(self.tr("Members with no visit, the longest absent first"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Member number"), self.tr("Name"), self.tr("Last visit")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.erase = action_button(self.tr("Erase selected member…"), "eraseInactiveMember")
        self.message = QLabel()
        self.message.setAccessibleName(self.tr("Inactive members message"))
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it names the member
        set_role(self.message, "status")
        self.message.hide()
        # The list makes way for the erasure question and its receipt, one member at a time.
        self.listing = QWidget()
        column = QVBoxLayout(self.listing)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.explanation)
        column.addWidget(self.message)
        column.addWidget(self.table, 1)
        column.addWidget(self.erase)
        self.erasure = ErasureFlow(desk, choose_printer=choose_printer)
        layout = QVBoxLayout(self)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.erasure, 1)
        self.table.itemSelectionChanged.connect(self._enable_erase)
        self.erase.clicked.connect(self._ask)
        self.erasure.erased.connect(self._erased)
        self.erasure.kept.connect(self._close_erasure)
        self.erasure.finished.connect(self._close_erasure)
        self._enable_erase()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.load()  # each time: the setting may have changed on the settings tab

    @property
    def selected(self) -> InactiveMember | None:
        row = self.table.currentRow()
        chosen = self.table.selectionModel().hasSelection()
        return self.members[row] if chosen and 0 <= row < len(self.members) else None

    @asyncSlot()
    async def load(self) -> None:
        station = self._desk.station
        months = station.settings.policy.inactive_months
        members = await self._desk.executor.run(station.erasure.inactive)
        self.months, self.members = months, members
        self.table.clearSelection()
        self.table.setRowCount(len(members))
        for row, member in enumerate(members):
            cells = (
                visible(member.member_number),
                visible(member.display_name),
                member.last_visit.astimezone().date().isoformat(),  # stored in UTC, shown local
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.table.setVisible(months > 0)
        self.erase.setVisible(months > 0)
        if months == 0:
            text = self.tr(
                "The list of members with no recent visit is off. Switch it on under "
                "“Settings and notice”: “List members with no visit for (months)”."
            )
        elif members:
            text = self.tr(
                "Members with no visit at the desk for {0} months or more, the longest absent "
                "first. Nothing is erased until you choose a member, erase them and confirm."
            ).format(months)
        else:
            text = self.tr("No member has gone {0} months or more without a visit.").format(months)
        self.explanation.setText(text)
        self._enable_erase()

    def _enable_erase(self) -> None:
        self.erase.setEnabled(self.selected is not None and self.erasure.isHidden())

    def _ask(self) -> None:
        member = self.selected
        if member is None:
            return
        self.message.hide()
        self.listing.hide()  # the question names the member; "Keep the member" brings it back
        self.erasure.ask(member.member_number, member.display_name)

    def _erased(self, receipt: ErasureReceipt) -> None:
        # Said above the list once the receipt is closed, the list read again without them.
        self.message.setText(
            self.tr("{0} ({1}) was erased.").format(
                visible(receipt.display_name), visible(receipt.member_number)
            )
        )
        self.message.show()
        self.load()

    def _close_erasure(self) -> None:
        self.erasure.hide()
        self.listing.show()
        self._enable_erase()
        self.table.setFocus()
