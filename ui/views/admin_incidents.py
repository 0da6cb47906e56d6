"""Administration: the incident register (R19). Record a leak, destruction or loss with the people it
affects, see the register and who is affected, write each person's notice to a folder, and save the
register or the list of people as CSV. Every step is audited by the core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import ServiceError
from station.domain.incidents import AffectedPerson, Incident, IncidentDetails
from station.domain.text import visible
from station.services.incidents import write_notices
from station.services.report_formats import write_private_text
from ui.desk import Desk
from ui.style import set_role
from ui.views.admin_reports import FolderDialog, SaveDialog, ask_folder, ask_save_path
from ui.views.texts import refusal_text
from ui.views.widgets import EqualRow, action_button

ID_ROLE = Qt.ItemDataRole.UserRole


class IncidentsPanel(QWidget):
    def __init__(
        self,
        desk: Desk,
        parent: QWidget | None = None,
        save_dialog: SaveDialog = ask_save_path,
        folder_dialog: FolderDialog = ask_folder,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._incidents = desk.station.incidents
        self._save_dialog = save_dialog
        self._folder_dialog = folder_dialog
        self.incidents: list[Incident] = []
        self.affected: list[AffectedPerson] = []
        self._loaded = False

        # the form
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Kind of incident"))
        self.kind.addItem(self.tr("Leak"), "leak")
        self.kind.addItem(self.tr("Destruction"), "destruction")
        self.kind.addItem(self.tr("Loss"), "loss")
        self.occurred_known = QCheckBox(self.tr("The time it happened is known"))
        self.occurred_known.setAccessibleName(self.tr("The time it happened is known"))
        self.occurred = QDateTimeEdit(QDateTime.currentDateTime())
        self.occurred.setAccessibleName(self.tr("When it happened"))
        self.occurred.setCalendarPopup(True)
        self.occurred.setEnabled(False)
        self.occurred_known.toggled.connect(self.occurred.setEnabled)
        self.discovered = QDateTimeEdit(QDateTime.currentDateTime())
        self.discovered.setAccessibleName(self.tr("When it was discovered"))
        self.discovered.setCalendarPopup(True)
        self.description = self._text(self.tr("What happened"))
        self.data_affected = self._text(self.tr("Which data are affected"))
        self.cause = self._text(self.tr("Cause"))
        self.likely_harm = self._text(self.tr("Likely harm to the people affected"))
        self.remedies = self._text(self.tr("Remedies taken"))
        self.advice = self._text(self.tr("What the people affected can do"))
        self.everyone = QRadioButton(self.tr("Everyone with face data now"))
        self.everyone.setAccessibleName(self.tr("Everyone with face data now"))
        self.listed = QRadioButton(self.tr("These member numbers"))
        self.listed.setAccessibleName(self.tr("These member numbers"))
        scope = QButtonGroup(self)
        scope.addButton(self.everyone)
        scope.addButton(self.listed)
        self.everyone.setChecked(True)
        self.members = QLineEdit()
        self.members.setAccessibleName(self.tr("Member numbers affected, separated by commas"))
        self.members.setPlaceholderText(self.tr("Member numbers, separated by commas"))
        self.members.setEnabled(False)
        self.listed.toggled.connect(self.members.setEnabled)
        self.record_button = action_button(self.tr("Record the incident"), "incidentRecord")
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow("", self.occurred_known)
        form.addRow(self.tr("Happened"), self.occurred)
        form.addRow(self.tr("Discovered"), self.discovered)
        form.addRow(self.tr("What happened"), self.description)
        form.addRow(self.tr("Data affected"), self.data_affected)
        form.addRow(self.tr("Cause"), self.cause)
        form.addRow(self.tr("Likely harm"), self.likely_harm)
        form.addRow(self.tr("Remedies taken"), self.remedies)
        form.addRow(self.tr("What people can do"), self.advice)
        form.addRow(self.tr("People affected"), self.everyone)
        form.addRow("", self.listed)
        form.addRow("", self.members)
        record_box = QGroupBox(self.tr("Record an incident"))
        record_layout = QVBoxLayout(record_box)
        record_layout.addLayout(form)
        record_layout.addWidget(self.record_button)

        # the register
        self.register = QListWidget()
        self.register.setAccessibleName(self.tr("Incident register"))
        self.people = QListWidget()
        self.people.setAccessibleName(self.tr("People affected by the selected incident"))
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language of the notices"))
        self.language.addItem(self.tr("Notices in English"), "en")
        self.language.addItem(self.tr("Notices in Simplified Chinese"), "zh_CN")
        self.notices_button = action_button(self.tr("Write notices to a folder"), "incidentNotices")
        self.register_csv = action_button(
            self.tr("Save the register as CSV"), "incidentRegisterCsv"
        )
        self.people_csv = action_button(self.tr("Save the people as CSV"), "incidentPeopleCsv")
        register_box = QGroupBox(self.tr("Incident register"))
        register_layout = QVBoxLayout(register_box)
        register_layout.addWidget(self.register, 1)
        people_label = QLabel(self.tr("People affected"))
        people_label.setAccessibleName(self.tr("People affected"))
        register_layout.addWidget(people_label)
        register_layout.addWidget(self.people, 1)
        register_layout.addWidget(self.language)
        register_layout.addWidget(EqualRow(self.notices_button, self.people_csv))
        register_layout.addWidget(self.register_csv)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Incidents message"))
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(record_box)
        body_layout.addWidget(register_box)
        scroll = QScrollArea()  # a long form at 200 % scale scrolls instead of clipping (R8)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        self.record_button.clicked.connect(self.record)
        self.register.currentRowChanged.connect(self._selected)
        self.notices_button.clicked.connect(self.produce_notices)
        self.register_csv.clicked.connect(self.save_register_csv)
        self.people_csv.clicked.connect(self.save_people_csv)
        self._enable_selection_actions()

    def _text(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setAccessibleName(name)
        edit.setTabChangesFocus(True)  # keyboard-only use moves on with Tab (R8)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 3 + 16)
        return edit

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded:
            self._loaded = True
            self.refresh()

    @property
    def selected(self) -> Incident | None:
        row = self.register.currentRow()
        return self.incidents[row] if 0 <= row < len(self.incidents) else None

    def _enable_selection_actions(self) -> None:
        chosen = self.selected is not None
        for button in (self.notices_button, self.people_csv):
            button.setEnabled(chosen)

    @asyncSlot()
    async def refresh(self, select: str | None = None) -> None:
        self.incidents = await self._desk.executor.run(self._incidents.list_incidents)
        self.register.clear()
        for incident in self.incidents:
            item = QListWidgetItem(self._summary(incident))
            item.setData(ID_ROLE, incident.id)
            self.register.addItem(item)
        ids = [i.id for i in self.incidents]
        self.register.setCurrentRow(ids.index(select) if select in ids else (0 if ids else -1))
        self._enable_selection_actions()

    def _summary(self, incident: Incident) -> str:
        kinds = {
            "leak": self.tr("Leak"),
            "destruction": self.tr("Destruction"),
            "loss": self.tr("Loss"),
        }
        return self.tr("{0} — {1} — {2} people affected — {3}").format(
            incident.details.discovered_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            kinds.get(incident.details.kind, incident.details.kind),
            incident.people_affected,
            visible(incident.details.description),
        )

    @asyncSlot(int)
    async def _selected(self, row: int) -> None:
        self._enable_selection_actions()
        incident = self.selected
        self.people.clear()
        self.affected = []
        if incident is None:
            return
        people = await self._desk.executor.run(self._incidents.affected, incident.id)
        if self.selected is not incident:  # another row was chosen meanwhile
            return
        self.affected = people
        for person in people:
            self.people.addItem(
                self.tr("{0} — {1}").format(
                    visible(person.member_number), visible(person.display_name)
                )
            )
        if incident.people_erased:
            # Issue 15: counted among the people affected, no longer named (R19).
            erased = QListWidgetItem(
                self.tr(
                    "{0} of the people affected were since erased at the end of service: no "
                    "notice can be produced for them."
                ).format(incident.people_erased)
            )
            erased.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a note, not a person to choose
            self.people.addItem(erased)

    def _details(self) -> IncidentDetails | str:
        """The form as an incident, or what is missing in words for the operator."""
        texts = {
            self.tr("what happened"): self.description,
            self.tr("data affected"): self.data_affected,
            self.tr("cause"): self.cause,
            self.tr("likely harm"): self.likely_harm,
            self.tr("remedies taken"): self.remedies,
            self.tr("what people can do"): self.advice,
        }
        missing = [name for name, edit in texts.items() if not edit.toPlainText().strip()]
        if missing:
            # Each of these goes into the people's notices (R19).
            return self.tr("Fill in: {0}.").format(", ".join(missing))
        discovered = _utc(self.discovered.dateTime())
        occurred = _utc(self.occurred.dateTime()) if self.occurred_known.isChecked() else None
        if occurred is not None and occurred > discovered:
            return self.tr("It cannot have been discovered before it happened.")
        return IncidentDetails(
            kind=str(self.kind.currentData()),
            occurred_at=occurred,
            discovered_at=discovered,
            description=self.description.toPlainText(),
            data_affected=self.data_affected.toPlainText(),
            cause=self.cause.toPlainText(),
            likely_harm=self.likely_harm.toPlainText(),
            remedies=self.remedies.toPlainText(),
            advice=self.advice.toPlainText(),
        )

    @asyncSlot()
    async def record(self) -> None:
        details = self._details()
        if isinstance(details, str):
            self._say(details, error=True)
            return
        members = [m.strip() for m in self.members.text().split(",") if m.strip()]
        everyone = self.everyone.isChecked()
        if not everyone and not members:
            self._say(self.tr("Enter the member numbers affected."), error=True)
            return
        desk = self._desk
        try:
            incident = await desk.executor.run(
                self._incidents.record,
                details,
                desk.operator,
                members if not everyone else [],
                everyone,
            )
        except ServiceError as refusal:  # a member number unknown, or a form the core refused
            self._say(refusal_text(refusal), error=True)
            return
        for edit in (
            self.description,
            self.data_affected,
            self.cause,
            self.likely_harm,
            self.remedies,
            self.advice,
        ):
            edit.clear()
        self.members.clear()
        await self.refresh(incident.id)
        self._say(
            self.tr("Incident recorded (reference {0}): {1} people affected.").format(
                incident.reference, incident.people_affected
            )
        )

    @asyncSlot()
    async def produce_notices(self) -> None:
        incident = self.selected
        if incident is None:
            return
        folder = self._folder_dialog(self, self.tr("Choose a folder for the notices"))
        if folder is None:
            return
        desk = self._desk
        language = str(self.language.currentData())

        def produce() -> int:
            notices = self._incidents.notices(incident.id, language, desk.operator)
            return len(write_notices(notices, folder))

        try:
            count = await desk.executor.run(produce)
        except OSError:
            self._failed(folder)
            return
        self._say(self.tr("Wrote {0} notice(s) to {1}.").format(count, folder))

    @asyncSlot()
    async def save_register_csv(self) -> None:
        path = self._save_dialog(
            self,
            self.tr("Save the incident register as CSV"),
            "incident-register.csv",
            self.tr("CSV files (*.csv)"),
        )
        if path is None:
            return
        desk = self._desk

        def save() -> None:
            write_private_text(path, self._incidents.register_csv(desk.operator))

        await self._write(save, path)

    @asyncSlot()
    async def save_people_csv(self) -> None:
        incident = self.selected
        if incident is None:
            return
        path = self._save_dialog(
            self,
            self.tr("Save the people affected as CSV"),
            f"incident-{incident.reference.lower()}-people.csv",
            self.tr("CSV files (*.csv)"),
        )
        if path is None:
            return
        desk = self._desk

        def save() -> None:
            write_private_text(path, self._incidents.affected_csv(incident.id, desk.operator))

        await self._write(save, path)

    async def _write(self, save: Callable[[], None], path: Path) -> None:
        try:
            await self._desk.executor.run(save)
        except OSError:
            self._failed(path)
            return
        self._say(self.tr("Saved {0}").format(path))

    def _failed(self, path: Path) -> None:
        self._say(self.tr("Could not write {0}. Choose another place.").format(path), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        set_role(self.message, "error" if error else "status")


def _utc(moment: QDateTime) -> datetime:
    # QDateTimeEdit shows the station's local time; the core stores UTC.
    local = moment.toPython()
    assert isinstance(local, datetime)
    return local.astimezone(UTC)
