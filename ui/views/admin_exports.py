"""Administration: transfer consents and encrypted face-data exports for third parties (R16).

An administrator finds a member, records the separate transfer consent (recipient, country,
purpose, data types, likely impact and, outside the mainland, the security-assessment reference),
withdraws one, or exports to a file under a passphrase agreed with the recipient out of band.
Every call goes through the store thread; refusals are shown as sentences in the window's language.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import AuditHead, ServiceError
from station.domain.text import visible
from station.domain.transfer import (
    DATA_TYPES,
    FACE_TEMPLATE,
    MIN_PASSPHRASE_LENGTH,
    TransferConsent,
    TransferConsentRequest,
    TransferProblem,
)
from ui.desk import Desk
from ui.style import set_role
from ui.views.texts import refusal_text, transfer_problem_text
from ui.views.widgets import EqualRow, action_button
from ui.views.work_progress import WorkProgress

EXPORT_SUFFIX = ".fsx"


class ExportsPanel(QWidget):
    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._transfers = desk.station.transfers
        self.member_number: str | None = None
        self.consents: list[TransferConsent] = []
        self.export_path: Path | None = None

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName(self.tr("Export setting"))
        set_role(self.banner, "status")

        # find a member
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Member number or name"))
        self.search.setAccessibleName(self.tr("Member number or name"))
        self.find_button = QPushButton(self.tr("Find"))
        self.find_button.setAccessibleName(self.tr("Find the member"))
        self.members = QListWidget()
        self.members.setAccessibleName(self.tr("Members found"))
        self.chosen = QLabel(self.tr("No member chosen."))
        self.chosen.setAccessibleName(self.tr("Chosen member"))

        # record a transfer consent
        self.recipient = QLineEdit()
        self.recipient.setAccessibleName(self.tr("Recipient"))
        self.country = QLineEdit()
        self.country.setMaxLength(2)
        self.country.setPlaceholderText(self.tr("CN, HK, MO, TW, US ..."))
        self.country.setAccessibleName(self.tr("Recipient's country code"))
        self.purpose = QLineEdit()
        self.purpose.setAccessibleName(self.tr("Purpose of the transfer"))
        self.data_types = {key: QCheckBox(self._type_label(key)) for key in DATA_TYPES}
        for key, box in self.data_types.items():
            box.setAccessibleName(self._type_label(key))
        # The template is what makes it a face-data transfer: always part of it, shown as such.
        self.data_types[FACE_TEMPLATE].setChecked(True)
        self.data_types[FACE_TEMPLATE].setEnabled(False)
        self.impact = QLineEdit()
        self.impact.setAccessibleName(self.tr("Likely impact on the person"))
        self.assessment = QLineEdit()
        self.assessment.setPlaceholderText(
            self.tr("Needed for any recipient outside the mainland (not CN), also HK, MO, TW")
        )
        self.assessment.setAccessibleName(self.tr("Security-assessment reference"))
        self.record = action_button(self.tr("Record transfer consent"), "recordTransferConsent")

        # the consents and an export
        self.consent_list = QListWidget()
        self.consent_list.setAccessibleName(self.tr("Transfer consents of this member"))
        self.withdraw = action_button(self.tr("Withdraw selected consent"), "withdrawTransfer")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Export passphrase"))
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again.setAccessibleName(self.tr("Export passphrase again"))
        self.path_label = QLabel(self.tr("No file chosen."))
        self.path_label.setAccessibleName(self.tr("Export file"))
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose = QPushButton(self.tr("Choose file..."))
        self.choose.setAccessibleName(self.tr("Choose the export file"))
        self.export = action_button(self.tr("Export for the selected consent"), "exportFaceData")
        self.export_progress = WorkProgress(self.tr("Export progress"))

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Export message"))

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.find_button)
        find_box = QGroupBox(self.tr("Member"))
        find_layout = QVBoxLayout(find_box)
        find_layout.addLayout(search_row)
        find_layout.addWidget(self.members)
        find_layout.addWidget(self.chosen)

        consent_box = QGroupBox(self.tr("New transfer consent"))
        form = QFormLayout(consent_box)
        form.addRow(self.tr("Recipient"), self.recipient)
        form.addRow(self.tr("Country code"), self.country)
        form.addRow(self.tr("Purpose"), self.purpose)
        types = QVBoxLayout()
        for box in self.data_types.values():
            types.addWidget(box)
        form.addRow(self.tr("Data types"), types)
        form.addRow(self.tr("Likely impact"), self.impact)
        form.addRow(self.tr("Assessment reference"), self.assessment)
        form.addRow(self.record)

        export_box = QGroupBox(self.tr("Consents and export"))
        export_layout = QVBoxLayout(export_box)
        export_layout.addWidget(self.consent_list)
        secrets = QFormLayout()
        secrets.addRow(self.tr("Passphrase"), self.passphrase)
        secrets.addRow(self.tr("Passphrase again"), self.passphrase_again)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_label, 1)
        file_row.addWidget(self.choose)
        secrets.addRow(self.tr("File"), file_row)
        export_layout.addLayout(secrets)
        export_layout.addWidget(EqualRow(self.withdraw, self.export))
        export_layout.addWidget(self.export_progress)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addWidget(find_box)
        layout.addWidget(consent_box)
        layout.addWidget(export_box)
        layout.addWidget(self.message)
        layout.addStretch(1)

        self.find_button.clicked.connect(self._find)
        self.search.returnPressed.connect(self._find)
        self.members.itemActivated.connect(self._choose_member)
        self.record.clicked.connect(self._record)
        self.withdraw.clicked.connect(self._withdraw)
        self.choose.clicked.connect(self.choose_file)
        self.export.clicked.connect(self._export)
        self.consent_list.currentRowChanged.connect(self._update_buttons)
        self._update_buttons()

    # state
    @property
    def export_enabled(self) -> bool:
        return self._transfers.export_enabled

    def selected_consent(self) -> TransferConsent | None:
        row = self.consent_list.currentRow()
        return self.consents[row] if 0 <= row < len(self.consents) else None

    def set_export_path(self, path: Path) -> None:
        """The file to write; the dialog below is one way to set it, a test is another."""
        if not path.suffix:
            path = path.with_suffix(EXPORT_SUFFIX)
        self.export_path = path
        self.path_label.setText(str(path))
        self._update_buttons()

    def choose_file(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save the face-data export"),
            str(Path.home()),
            self.tr("Face Station exports (*.fsx)"),
        )
        if name:
            self.set_export_path(Path(name))

    def _update_buttons(self) -> None:
        enabled = self.export_enabled
        self.banner.setText(
            self.tr("Face-data export is switched on at this station.")
            if enabled
            else self.tr(
                "Face-data export is switched off at this station: consents can be withdrawn, "
                "nothing can be recorded or exported."
            )
        )
        chosen = self.member_number is not None
        consent = self.selected_consent()
        active = consent is not None and consent.active
        self.record.setEnabled(enabled and chosen)
        # Withdrawal never depends on the site setting (as easy as giving consent).
        self.withdraw.setEnabled(active)
        self.export.setEnabled(enabled and active and self.export_path is not None)

    # member
    @asyncSlot()
    async def _find(self) -> None:
        text = self.search.text().strip()
        found = await self._desk.executor.run(self._desk.station.subjects.search, text)
        self.members.clear()
        for subject in found:
            item = QListWidgetItem(visible(f"{subject.member_number} — {subject.display_name}"))
            item.setData(Qt.ItemDataRole.UserRole, subject.member_number)
            self.members.addItem(item)
        if not found:
            self.members.addItem(self.tr("No member found."))
        self.members.setCurrentRow(0)
        self.members.setFocus()

    @asyncSlot(QListWidgetItem)
    async def _choose_member(self, item: QListWidgetItem) -> None:
        member = item.data(Qt.ItemDataRole.UserRole)
        if not member:
            return
        await self.show_member(str(member))

    async def show_member(self, member_number: str) -> None:
        self.member_number = member_number
        self.chosen.setText(self.tr("Member {0}").format(member_number))
        self.message.clear()
        await self._refresh()
        self.recipient.setFocus()

    async def _refresh(self) -> None:
        if self.member_number is None:
            return
        self.consents = await self._desk.executor.run(self._transfers.consents, self.member_number)
        self.consent_list.clear()
        for consent in self.consents:
            self.consent_list.addItem(self._consent_text(consent))
        if self.consents:
            self.consent_list.setCurrentRow(0)
        self._update_buttons()

    # consent
    @asyncSlot()
    async def _record(self) -> None:
        if self.member_number is None:
            return
        request = TransferConsentRequest(
            self.recipient.text(),
            self.country.text(),
            self.purpose.text(),
            tuple(key for key, box in self.data_types.items() if box.isChecked()),
            self.impact.text(),
            self.assessment.text(),
        )
        try:
            await self._desk.executor.run(
                self._transfers.record_consent,
                self.member_number,
                request,
                self._desk.operator,
            )
        except ServiceError as exc:
            self._refused(exc)
            return
        for field in (self.recipient, self.country, self.purpose, self.impact, self.assessment):
            field.clear()
        await self._refresh()
        self._say(self.tr("Transfer consent recorded."))

    @asyncSlot()
    async def _withdraw(self) -> None:
        consent = self.selected_consent()
        if self.member_number is None or consent is None:
            return
        try:
            await self._desk.executor.run(
                self._transfers.withdraw_consent,
                self.member_number,
                consent.id,
                self._desk.operator,
            )
        except ServiceError as exc:
            self._refused(exc)
            return
        await self._refresh()
        self._say(
            self.tr("Transfer consent withdrawn: nothing more goes to {0}.").format(
                consent.recipient
            )
        )

    # export
    @asyncSlot()
    async def _export(self) -> None:
        consent = self.selected_consent()
        path = self.export_path
        if self.member_number is None or consent is None or path is None:
            return
        passphrase, again = self.passphrase.text(), self.passphrase_again.text()
        if passphrase != again:
            self.passphrase_again.clear()
            self._say(self.tr("The two passphrases differ; type them again."), error=True)
            return
        if len(passphrase) < MIN_PASSPHRASE_LENGTH:
            self._say(transfer_problem_text(TransferProblem.SHORT_PASSPHRASE), error=True)
            return
        # The passphrase is not kept in the widgets longer than the export.
        self.passphrase.clear()
        self.passphrase_again.clear()
        progress = self.export_progress
        try:
            outcome = await progress.run(
                [self.export, self.withdraw],
                self._desk.executor.run(
                    self._transfers.export_face_data,
                    self.member_number,
                    consent.recipient,
                    path,
                    passphrase,
                    self._desk.operator,
                    consent.id,
                    progress.report,
                ),
            )
        except ServiceError as exc:
            self._refused(exc)
            return
        event = outcome.audit_event
        self._say(
            self.tr(
                "Exported to {0} for {1} (SHA-256 {2}). Give the passphrase to the recipient "
                "another way, never with the file. The export is audit event {3}: write this code "
                "on the hand-over record."
            ).format(
                str(outcome.path),
                outcome.recipient,
                outcome.sha256[:16],
                AuditHead(event.seq, event.hash).code,
            )
        )

    # messages
    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        set_role(self.message, "error" if error else "result")

    def _refused(self, error: ServiceError) -> None:
        self._say(refusal_text(error), error=True)

    def _type_label(self, key: str) -> str:
        labels = {
            "face_template": self.tr("Face template (numbers, no image)"),
            "member_number": self.tr("Member number"),
            "display_name": self.tr("Name"),
        }
        return labels[key]

    def _consent_text(self, consent: TransferConsent) -> str:
        types = ", ".join(self._type_label(key) for key in consent.data_types)
        recorded = consent.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M")
        text = self.tr("{0} ({1}) — {2} — recorded {3}").format(
            consent.recipient, consent.recipient_country, types, recorded
        )
        if consent.withdrawn_at is not None:
            withdrawn = consent.withdrawn_at.astimezone().strftime("%Y-%m-%d %H:%M")
            text += " — " + self.tr("withdrawn {0}").format(withdrawn)
        return text
