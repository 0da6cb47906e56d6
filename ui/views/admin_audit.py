"""Administration: the audit trail (R12) — the newest events and the result of verifying the whole
hash chain, with the events it names; the trail's head as a code to note on paper, and verifying
against codes noted earlier, which an insider who recomputed the chain cannot match (issue 14)."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import AuditEvent, AuditHead, AuditVerification
from station.domain.audit import AnchorCodeError, MistypedCodeError, parse_head_code
from ui.desk import Desk
from ui.style import set_role
from ui.views.texts import anchor_verdict_text, audit_problem_text, event_label
from ui.views.widgets import EqualRow, action_button

SHOWN_EVENTS = 500
SHOWN_PROBLEMS = 20

# Between codes: commas, semicolons (also as typed with a Chinese input method) and new lines.
_BETWEEN_CODES = re.compile(r"[,;\n，；、]+")


def code_texts(typed: str) -> list[str]:
    """The codes in what an auditor typed, each as typed. Spaces separate codes written with their
    dashes; a code typed with spaces instead of dashes stays one code."""
    codes: list[str] = []
    for piece in _BETWEEN_CODES.split(typed):
        words = piece.split()
        if len(words) > 1 and all("-" in word or ":" in word for word in words):
            codes += words
        elif words:
            codes.append(" ".join(words))
    return codes


class AuditPanel(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._admin = desk.station.administration
        self.head_hint = QLabel(
            self.tr(
                "The audit trail now ends at the code below. Note it and the date on paper; "
                "later, verify the trail against it to prove nothing was rewritten since."
            )
        )
        self.head_hint.setWordWrap(True)
        self.head_code = QLabel()
        self.head_code.setObjectName("auditHeadCode")
        self.head_code.setAccessibleName(self.tr("Where the audit trail now ends (code to note)"))
        # Selectable, so it can also be copied into a hand-over record.
        self.head_code.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        set_role(self.head_code, "result")
        noted_label = self.tr("Codes noted earlier (optional)")
        self.codes = QLineEdit()
        self.codes.setAccessibleName(noted_label)
        self.codes.setPlaceholderText(
            self.tr("e.g. 1204-3F9A-27C1-0BD4-E812-7C; separate several with commas")
        )
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
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAccessibleName(self.tr("What the verification rests on"))
        self.details.hide()
        self.verify = action_button(self.tr("Verify the audit trail"), "verifyAudit")
        self.refresh = action_button(self.tr("Show the newest events"), "refreshAudit")
        noted = QFormLayout()
        noted.addRow(noted_label, self.codes)
        layout = QVBoxLayout(self)
        layout.addWidget(self.head_hint)
        layout.addWidget(self.head_code)
        layout.addLayout(noted)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        layout.addWidget(self.details)
        layout.addWidget(EqualRow(self.verify, self.refresh))
        self.verify.clicked.connect(self._verify)
        self.codes.returnPressed.connect(self._verify)  # R8: typed, then Enter
        self.refresh.clicked.connect(self.load)

    @asyncSlot()
    async def load(self) -> None:
        head, events = await self._desk.executor.run(self._read)
        self.head_code.setText(head.code if head else self.tr("(the trail is empty)"))
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

    def _read(self) -> tuple[AuditHead | None, list[AuditEvent]]:
        """The head and the newest events in one call on the store's thread: they agree, and
        nothing queued behind them (a decommission closing the store) can come between."""
        return self._admin.audit_head(), self._admin.audit_trail(SHOWN_EVENTS)

    @asyncSlot()
    async def _verify(self) -> None:
        anchors = self._typed_anchors()
        if anchors is None:
            return
        result = await self._desk.executor.run(
            self._admin.verify_audit, self._desk.operator, anchors
        )
        headline, *details = self.verification_lines(result)
        self._say(headline, details)
        await self.load()

    def _typed_anchors(self) -> list[tuple[AuditHead, str]] | None:
        """(head, where from) for each code typed; None, with the reason shown, when one cannot be
        read: then nothing is verified, since a typo says nothing about the trail."""
        heads: list[AuditHead] = []
        for typed in code_texts(self.codes.text()):
            try:
                heads.append(parse_head_code(typed))
            except MistypedCodeError:
                self._say(
                    self.tr(
                        "The code {0} is mistyped: its last two characters do not match the "
                        "rest. Compare it with the paper and type it again. Nothing was verified; "
                        "a typing mistake says nothing about the audit trail."
                    ).format(typed),
                    error=True,
                )
                return None
            except AnchorCodeError:
                self._say(
                    self.tr(
                        "{0} is not an audit trail code: a code looks like "
                        "1204-3F9A-27C1-0BD4-E812-7C (the event number, then 18 digits 0–9 and "
                        "letters A–F). Nothing was verified."
                    ).format(typed),
                    error=True,
                )
                return None
        return [
            (head, f"the code {head.code} typed in the window") for head in dict.fromkeys(heads)
        ]

    def _say(self, headline: str, details: Sequence[str] = (), error: bool = False) -> None:
        self.result.setText(headline)
        set_role(self.result, "error" if error else "result")
        self.details.setText("\n".join(details))
        self.details.setVisible(bool(details))

    def verification_lines(self, result: AuditVerification) -> list[str]:
        """The verdict first (shown large), then what it rests on: problems, codes, findings."""
        if result.store_damage:
            heading = self.tr(
                "The store file is damaged, so the audit trail cannot be called intact. Nothing "
                "more was changed. Keep this screen, restore the store from a backup and call the "
                "data-protection contact. What the check found:"
            )
            # SQLite's and SQLCipher's own words, for whoever restores the store.
            return [heading, *result.store_damage[:SHOWN_PROBLEMS]]
        anchors = [
            anchor_verdict_text(check.verdict, check.anchor.code, check.anchor.seq)
            for check in result.anchors
        ]
        if result.ok:
            lines = [
                self.tr(
                    "The audit trail is intact: {0} events checked, none edited, deleted or "
                    "reordered."
                ).format(result.events_checked),
                *anchors,
            ]
            if not result.anchors and result.links is None:
                lines.append(
                    self.tr(
                        "The chain alone cannot rule out someone who opened the store and "
                        "recomputed it: verify against a code noted earlier."
                    )
                )
            return lines
        if result.problems:
            lines = [
                self.tr(
                    "The audit trail has been tampered with: {0} problem(s). Keep this screen and "
                    "call the data-protection contact."
                ).format(len(result.problems))
            ]
            lines += [audit_problem_text(p.kind, p.seq) for p in result.problems[:SHOWN_PROBLEMS]]
        else:
            # The chain is consistent, yet a code noted earlier no longer matches: recomputed.
            lines = [
                self.tr(
                    "The audit trail was rewritten after a code was noted, and its chain "
                    "recomputed to hide it. Keep this screen and call the data-protection contact."
                )
            ]
        lines += anchors
        between = result.rewritten_between
        if between is not None:
            lines.append(self.tr("The rewrite lies among events {0} to {1}.").format(*between))
        return lines
