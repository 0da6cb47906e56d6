"""Administration: one screen with a tab per duty — settings and the notice, operator accounts
(R12), the audit trail, exports (R16), reports (R17, R18), incidents (R19) and members with no
recent visit, to erase at the end of service (issue 15); an auditor sees only the audit trail and
the reports. Opened from the top bar, not from home, so the desk's three equal actions stay the
front of the station."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QScrollArea, QTabWidget, QVBoxLayout, QWidget

from station.domain import Permission
from ui.desk import Desk
from ui.views.admin_audit import AuditPanel
from ui.views.admin_exports import ExportsPanel
from ui.views.admin_inactive import InactivePanel
from ui.views.admin_incidents import IncidentsPanel
from ui.views.admin_operators import OperatorsPanel
from ui.views.admin_reports import ReportsPanel
from ui.views.admin_settings import SettingsPanel
from ui.views.widgets import action_button


class AdminView(QWidget):
    done = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        # An auditor reads; an administrator runs the station (R12). The services check too.
        self.full = desk.station.allows(Permission.ADMINISTER)
        self.audit = AuditPanel(desk)
        self.reports = ReportsPanel(desk)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName(self.tr("Administration"))
        panels: list[tuple[QWidget, str]] = []
        if self.full:
            self.settings = SettingsPanel(desk)
            self.operators = OperatorsPanel(desk)
            self.exports = ExportsPanel(desk)
            self.incidents = IncidentsPanel(desk)
            self.inactive = InactivePanel(desk)
            panels += [
                (self.settings, self.tr("Settings and notice")),
                (self.operators, self.tr("Operators")),
            ]
        panels.append((self.audit, self.tr("Audit trail")))
        if self.full:
            panels.append((self.exports, self.tr("Exports")))
        panels.append((self.reports, self.tr("Reports")))
        if self.full:
            panels.append((self.incidents, self.tr("Incidents")))
            panels.append((self.inactive, self.tr("Inactive members")))
        for panel, title in panels:
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
        if self.full:
            self.settings.message.clear()
            self.settings.show_settings(self._desk.station.settings)
            self.operators.load()
        self.audit.load()
        self.tabs.setCurrentIndex(0)
        self.tabs.setFocus()

    def show_panel(self, panel: QWidget) -> None:
        """Bring a panel's tab to the front (the tab holds the panel inside a scroll area)."""
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if isinstance(page, QScrollArea) and page.widget() is panel:
                self.tabs.setCurrentIndex(index)
                return
