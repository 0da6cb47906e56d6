"""Administration: one screen with a tab per duty — settings and the notice, the audit trail,
exports (R16), reports (R17, R18) and incidents (R19). Opened from the top bar, not from home, so
the desk's three equal actions stay the front of the station."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QScrollArea, QTabWidget, QVBoxLayout, QWidget

from ui.desk import Desk
from ui.views.admin_audit import AuditPanel
from ui.views.admin_exports import ExportsPanel
from ui.views.admin_incidents import IncidentsPanel
from ui.views.admin_reports import ReportsPanel
from ui.views.admin_settings import SettingsPanel
from ui.views.widgets import action_button


class AdminView(QWidget):
    done = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.settings = SettingsPanel(desk)
        self.audit = AuditPanel(desk)
        self.exports = ExportsPanel(desk)
        self.reports = ReportsPanel(desk)
        self.incidents = IncidentsPanel(desk)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Administration"))
        for panel, title in (
            (self.settings, self.tr("Settings and notice")),
            (self.audit, self.tr("Audit trail")),
            (self.exports, self.tr("Exports")),
            (self.reports, self.tr("Reports")),
            (self.incidents, self.tr("Incidents")),
        ):
            # Scrolled, so these long forms never make the whole window taller (the stack takes
            # the largest page's minimum size) and still fit at 200 % scale (R8).
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(panel)
            self.tabs.addTab(scroll, title)
        self.finish = action_button(self.tr("Back to the desk"), "adminDone")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.finish)
        self.finish.clicked.connect(self.done)

    def begin(self) -> None:
        self.settings.message.clear()
        self.settings.show_settings(self._desk.station.settings)
        self.audit.load()
        self.tabs.setCurrentIndex(0)
        self.tabs.setFocus()
