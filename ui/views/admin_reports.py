"""Administration: the processing record / impact-assessment draft (R17) and the filing status (R18),
shown on screen and saved as PDF or CSV, and how many people should be enrolled again because older
models made their face template (R15).

The record's body is the core's English document (it is written for the organisation and its
regulator, and the CSV must match it); the panel's own words follow the window's language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QLabel, QTextBrowser, QVBoxLayout, QWidget
from qasync import asyncSlot

from station.domain.reports import FilingLevel, FilingStatus, ProcessingRecord, TemplateVersions
from station.services.report_formats import to_csv, to_html, write_private_text
from ui.desk import Desk
from ui.pdf import write_pdf
from ui.style import set_role
from ui.views.widgets import EqualRow, action_button
from ui.views.work_progress import WorkProgress

# (parent, caption, suggested file name, name filter) -> chosen path, or None when cancelled.
SaveDialog = Callable[[QWidget, str, str, str], Path | None]
# (parent, caption) -> chosen folder, or None when cancelled.
FolderDialog = Callable[[QWidget, str], Path | None]


def ask_save_path(parent: QWidget, caption: str, suggested: str, name_filter: str) -> Path | None:
    chosen, _ = QFileDialog.getSaveFileName(parent, caption, suggested, name_filter)
    return Path(chosen) if chosen else None


def ask_folder(parent: QWidget, caption: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, caption)
    return Path(chosen) if chosen else None


class ReportsPanel(QWidget):
    def __init__(
        self,
        desk: Desk,
        parent: QWidget | None = None,
        save_dialog: SaveDialog = ask_save_path,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._reports = desk.station.reports
        self._save_dialog = save_dialog
        self.record: ProcessingRecord | None = None
        self.template_versions: TemplateVersions | None = None
        title = QLabel(self.tr("Processing record and filing status"))
        title.setAccessibleName(self.tr("Processing record and filing status"))
        set_role(title, "heading")
        self.filing = QLabel()
        self.filing.setWordWrap(True)
        self.filing.setAccessibleName(self.tr("Filing status"))
        self.versions = QLabel()
        self.versions.setWordWrap(True)
        self.versions.setAccessibleName(self.tr("Face templates to enroll again"))
        set_role(self.versions, "status")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName(self.tr("Processing record and impact-assessment draft"))
        self.browser.setOpenLinks(False)  # the draft has no links; nothing is ever fetched (R11)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Reports message"))
        self.refresh_button = action_button(self.tr("Refresh"), "reportsRefresh")
        self.export_pdf = action_button(self.tr("Save as PDF"), "reportsExportPdf")
        self.export_csv = action_button(self.tr("Save as CSV"), "reportsExportCsv")
        self.progress = WorkProgress(self.tr("Report progress"))
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.filing)
        layout.addWidget(self.versions)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(EqualRow(self.refresh_button, self.export_pdf, self.export_csv))
        self.refresh_button.clicked.connect(self.refresh)
        self.export_pdf.clicked.connect(self.save_pdf)
        self.export_csv.clicked.connect(self.save_csv)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.record is None:
            self.refresh()

    @asyncSlot()
    async def refresh(self) -> None:
        self._show(await self._generate("screen"))

    async def _generate(self, output: str) -> ProcessingRecord:
        """The record, made on the store thread with its progress shown; the template versions
        are read again beside it."""
        desk, progress = self._desk, self.progress
        record = await progress.run(
            [self.refresh_button, self.export_pdf, self.export_csv],
            desk.executor.run(
                self._reports.processing_record, desk.operator, (output,), progress.report
            ),
        )
        versions = await desk.executor.run(desk.station.reenrollment.counts)
        self.template_versions = versions
        self.versions.setText(self.versions_text(versions))
        return record

    def _show(self, record: ProcessingRecord) -> None:
        self.record = record
        self.browser.setHtml(to_html(record))
        self.filing.setText(self.filing_text(record.filing))
        # A warning stands out; the plain count reads as a status line.
        set_role(self.filing, "status" if record.filing.level is FilingLevel.OK else "error")

    def filing_text(self, status: FilingStatus) -> str:
        count = f"{status.people_with_face_data:,}"
        threshold, warning = f"{status.threshold:,}", f"{status.warning_level:,}"
        if status.level is FilingLevel.FILING_DUE:
            return self.tr(
                "Filing due: {0} people have face data stored, at or above the threshold of {1}. "
                "File with the provincial cyberspace administration within 30 working days."
            ).format(count, threshold)
        if status.level is FilingLevel.WARNING:
            return self.tr(
                "Warning: {0} people have face data stored, near the filing threshold of {1} "
                "(warning from {2}). Prepare the filing."
            ).format(count, threshold, warning)
        return self.tr(
            "{0} people have face data stored. A filing is due at {1}; the warning starts at {2}."
        ).format(count, threshold, warning)

    def versions_text(self, versions: TemplateVersions) -> str:
        """R15: who should be enrolled again, then the people per template version (the versions
        nobody holds left out: the panel stays short)."""
        lines = [
            self.tr(
                "{0} people have a face template made by older models and should be enrolled "
                "again; until then it still works."
            ).format(f"{versions.older:,}")
            if versions.older
            else self.tr("Nobody has a face template made by older models.")
        ]
        if versions.unknown_models:
            lines.append(
                self.tr(
                    "{0} people have a face template made by models this station does not have: "
                    "it cannot be used; enroll them again."
                ).format(f"{versions.unknown_models:,}")
            )
        for count in versions.versions:
            if not count.people:
                continue
            line = (
                self.tr("Version {0} (current, {1}): {2} people")
                if count.current
                else self.tr("Version {0} ({1}): {2} people")
            )
            lines.append(line.format(count.version, count.model_id, f"{count.people:,}"))
        return "\n".join(lines)

    @asyncSlot()
    async def save_pdf(self) -> None:
        path = self._save_dialog(
            self,
            self.tr("Save the processing record as PDF"),
            "processing-record.pdf",
            self.tr("PDF files (*.pdf)"),
        )
        if path is None:
            return
        record = await self._generate("pdf")
        self._show(record)
        try:
            write_pdf(to_html(record), path)  # Qt's text engine: on the GUI thread
        except OSError:
            self._failed(path)
            return
        self.message.setText(self.tr("Saved {0}").format(path))

    @asyncSlot()
    async def save_csv(self) -> None:
        path = self._save_dialog(
            self,
            self.tr("Save the processing record as CSV"),
            "processing-record.csv",
            self.tr("CSV files (*.csv)"),
        )
        if path is None:
            return
        record = await self._generate("csv")
        self._show(record)
        try:
            await self._desk.executor.run(write_private_text, path, to_csv(record))
        except OSError:
            self._failed(path)
            return
        self.message.setText(self.tr("Saved {0}").format(path))

    def _failed(self, path: Path) -> None:
        self.message.setText(self.tr("Could not write {0}. Choose another place.").format(path))
