"""Administration: the audit trail (R12) — the newest events and the result of verifying the whole
hash chain, with the events it names."""

from __future__ import annotations

import json

from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import AuditVerification
from ui.desk import Desk
from ui.style import set_role
from ui.views.texts import audit_problem_text, event_label
from ui.views.widgets import EqualRow, action_button

SHOWN_EVENTS = 500


class AuditPanel(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._admin = desk.station.administration
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName(self.tr("Audit events, newest first"))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("No."),
                self.tr("Time"),
                self.tr("Event"),
                self.tr("Operator"),
                self.tr("Detail"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setAccessibleName(self.tr("Audit verification result"))
        set_role(self.result, "result")
        self.verify = action_button(self.tr("Verify the audit trail"), "verifyAudit")
        self.refresh = action_button(self.tr("Show the newest events"), "refreshAudit")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        layout.addWidget(EqualRow(self.verify, self.refresh))
        self.verify.clicked.connect(self._verify)
        self.refresh.clicked.connect(self.load)

    @asyncSlot()
    async def load(self) -> None:
        events = await self._desk.executor.run(self._admin.audit_trail, SHOWN_EVENTS)
        self.table.setRowCount(len(events))
        for row, event in enumerate(events):
            cells = (
                str(event.seq),
                event.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                event_label(event.kind),
                event.operator,
                json.dumps(event.detail, ensure_ascii=False, sort_keys=True),
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    @asyncSlot()
    async def _verify(self) -> None:
        result = await self._desk.executor.run(self._admin.verify_audit, self._desk.operator)
        self.result.setText(self.verification_text(result))
        await self.load()

    def verification_text(self, result: AuditVerification) -> str:
        if result.store_damage:
            heading = self.tr(
                "The store file is damaged, so the audit trail cannot be called intact. Nothing "
                "more was changed. Keep this screen, restore the store from a backup and call the "
                "data-protection contact. What the check found:"
            )
            # SQLite's and SQLCipher's own words, for whoever restores the store.
            return "\n".join([heading, *result.store_damage[:20]])
        if result.ok:
            return self.tr(
                "The audit trail is intact: {0} events checked, none edited, deleted or reordered."
            ).format(result.events_checked)
        lines = [
            self.tr(
                "The audit trail has been tampered with: {0} problem(s). Keep this screen and "
                "call the data-protection contact."
            ).format(len(result.problems))
        ]
        lines += [audit_problem_text(p.kind, p.seq) for p in result.problems[:20]]
        return "\n".join(lines)
