"""Administration: the settings a desk may change (retention, minors policy, operating point, 1:N, the
notice's site fields, the inactive members list), publishing the notice again (R3), and
decommission (R14). Every change goes through station.services.administration, which checks it
against the rules and audits it (R12)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import ServiceError
from station.services import OperatingPoint
from station.services.administration import DECOMMISSION_CONFIRMATION
from station.services.site_settings import operating_points
from station.settings import MINORS_POLICIES, Bound, Settings
from ui.desk import Desk
from ui.style import set_role
from ui.views.texts import refusal_text
from ui.views.widgets import EqualRow, action_button

Editor = QLineEdit | QSpinBox | QCheckBox | QComboBox


def _spin(bound: Bound, shown_at_minimum: str = "") -> QSpinBox:
    """A number field within the rules' `bound`; its lowest value shown as `shown_at_minimum`
    when that value means something else than a number ("off")."""
    box = QSpinBox()
    box.setRange(int(bound.low), int(bound.high))
    box.setSpecialValueText(shown_at_minimum)
    return box


class SettingsPanel(QWidget):
    decommissioned = Signal(str)  # the report's message; the store no longer exists
    saved = Signal()  # settings changed: the window's banner says whether liveness is off (R23)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._admin = desk.station.administration
        # The editors' ranges are the rules' bounds (station.settings.RULE_BOUNDS, R6, R17, R22).
        bounds = desk.station.settings.bounds
        # R22: a named operating point, with the FNMR the shipped calibration measured there.
        operating_point = QComboBox()
        for point in operating_points():
            operating_point.addItem(self._point_text(point), point.name)
        # Its longest choice would widen the whole form past a 1024-px window; the field grows
        # with the window and the open list shows every choice whole.
        operating_point.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        operating_point.setMinimumContentsLength(24)
        minors = QComboBox()
        minors.addItem(self.tr("No face enrollment under 14"), "block")
        minors.addItem(self.tr("Under 14 only with a guardian's consent"), "guardian")
        assert [minors.itemData(i) for i in range(minors.count())] == list(MINORS_POLICIES)
        # (section, key) -> (label, editor)
        self.editors: dict[tuple[str, str], tuple[str, Editor]] = {
            ("site", "controller"): (self.tr("Controller (English)"), QLineEdit()),
            ("site", "controller_zh_cn"): (self.tr("Controller (Chinese)"), QLineEdit()),
            ("site", "contact"): (self.tr("Contact (English)"), QLineEdit()),
            ("site", "contact_zh_cn"): (self.tr("Contact (Chinese)"), QLineEdit()),
            ("site", "purpose"): (self.tr("Purpose (English)"), QLineEdit()),
            ("site", "purpose_zh_cn"): (self.tr("Purpose (Chinese)"), QLineEdit()),
            ("store", "retention_days"): (
                self.tr("Keep face templates (days)"),
                _spin(bounds["store.retention_days"]),
            ),
            ("capture", "enroll_frames"): (
                self.tr("Frames per enrollment"),
                _spin(bounds["capture.enroll_frames"]),
            ),
            ("match", "operating_point"): (
                self.tr("Operating point (false matches accepted)"),
                operating_point,
            ),
            ("match", "one_to_many"): (self.tr("Allow 1:N identification"), QCheckBox()),
            # R23: on by default; switching it off is audited, changes the notice (R3) and shows
            # in the banner and the processing record.
            ("liveness", "enabled"): (
                self.tr("Liveness check: a short movement confirms a live person"),
                QCheckBox(),
            ),
            ("policy", "minors_policy"): (self.tr("Minors"), minors),
            ("policy", "decline_quiet_hours"): (
                self.tr("No face prompt after a decline (hours)"),
                _spin(bounds["policy.decline_quiet_hours"]),
            ),
            ("policy", "face_export_enabled"): (
                self.tr("Allow exports of face data"),
                QCheckBox(),
            ),
            ("policy", "filing_warning_level"): (
                self.tr("Warn at this many people with face data"),
                _spin(bounds["policy.filing_warning_level"]),
            ),
            ("policy", "record_retention_days"): (
                self.tr("Keep processing records (days)"),
                _spin(bounds["policy.record_retention_days"]),
            ),
            ("policy", "purge_interval_minutes"): (
                self.tr("Check for expired templates every (minutes)"),
                _spin(bounds["policy.purge_interval_minutes"]),
            ),
            # Issue 15: listed on the "Inactive members" tab for an administrator; 0 lists nobody.
            ("policy", "inactive_months"): (
                self.tr("List members with no visit for (months)"),
                _spin(bounds["policy.inactive_months"], self.tr("off")),
            ),
        }
        form = QFormLayout()
        for label, editor in self.editors.values():
            # Number fields are typed (or stepped with the arrow keys); style.qss hides their step
            # buttons. Not setButtonSymbols(NoButtons): under the sheet it empties the field.
            editor.setAccessibleName(label)
            form.addRow(label, editor)

        self.notice_version = QLabel()
        self.notice_version.setAccessibleName(self.tr("Notice in force"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Settings message"))
        set_role(self.message, "status")
        self.save = action_button(self.tr("Save settings"), "saveSettings")
        self.publish = action_button(self.tr("Publish the notice again"), "publishNotice")

        self.confirmation = QLineEdit()
        self.confirmation.setAccessibleName(
            self.tr("Type {0} to confirm").format(DECOMMISSION_CONFIRMATION)
        )
        self.confirmation.setPlaceholderText(DECOMMISSION_CONFIRMATION)
        self.decommission = action_button(
            self.tr("Decommission: destroy every key and the store"), "decommission"
        )
        danger = QGroupBox(self.tr("Decommission the station"))
        danger_column = QVBoxLayout(danger)
        warning = QLabel(
            self.tr(
                "Destroys every face template, every record and the audit trail, and the keys, so "
                "nothing can be recovered. Type {0} to confirm."
            ).format(DECOMMISSION_CONFIRMATION)
        )
        warning.setWordWrap(True)
        danger_column.addWidget(warning)
        danger_column.addWidget(self.confirmation)
        danger_column.addWidget(self.decommission)

        layout = QVBoxLayout(self)  # the administration screen scrolls the whole panel
        layout.addLayout(form)
        layout.addWidget(self.notice_version)
        layout.addWidget(self.message)
        layout.addWidget(EqualRow(self.save, self.publish))
        layout.addWidget(danger)
        self.save.clicked.connect(self._save)
        self.publish.clicked.connect(self._publish)
        self.decommission.clicked.connect(self._decommission)
        self.show_settings(desk.station.settings)

    def _point_text(self, point: OperatingPoint) -> str:
        """The rate a site accepts, and the share of genuine attempts the current models refused
        there on the calibration data: "1 in 10,000 false matches (FNMR 2.1 % measured)"."""
        one_in = f"{round(1 / point.target_fmr):,}"
        fnmr = f"{point.fnmr * 100:.1f}"
        if point.reliable:
            return self.tr("1 in {0} false matches (FNMR {1} % measured)").format(one_in, fnmr)
        return self.tr(
            "1 in {0} false matches (FNMR {1} % measured; too few impostor pairs to confirm the "
            "rate)"
        ).format(one_in, fnmr)

    def show_settings(self, settings: Settings) -> None:
        for (section, key), (_, editor) in self.editors.items():
            value = getattr(getattr(settings, section), key)
            if isinstance(editor, QLineEdit):
                editor.setText(str(value))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(editor.findData(value))
            else:
                editor.setValue(value)
        notice = self._desk.station.notice
        self.notice_version.setText(
            self.tr("Notice in force: version {0}, published {1} by {2}.").format(
                notice.label,
                notice.published_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                notice.operator,
            )
        )

    def entered(self) -> dict[str, dict[str, Any]]:
        values: dict[str, dict[str, Any]] = {}
        for (section, key), (_, editor) in self.editors.items():
            value: Any
            if isinstance(editor, QLineEdit):
                value = editor.text().strip()
            elif isinstance(editor, QCheckBox):
                value = editor.isChecked()
            elif isinstance(editor, QComboBox):
                value = editor.currentData()
            else:
                value = editor.value()
            values.setdefault(section, {})[key] = value
        return values

    @asyncSlot()
    async def _save(self) -> None:
        station = self._desk.station
        current = station.settings.as_mapping()
        changes = {
            section: {k: v for k, v in values.items() if current[section][k] != v}
            for section, values in self.entered().items()
        }
        changes = {section: values for section, values in changes.items() if values}
        try:
            change = await self._desk.executor.run(
                self._desk.station.configuration.update, changes, self._desk.operator
            )
        except ServiceError as refusal:
            # The rules' minimums and unknown keys: the core's words name the setting.
            self.message.setText(self.tr("Not saved: {0}").format(refusal_text(refusal)))
            return
        self.show_settings(station.settings)
        if change.changes:
            self.saved.emit()
        if not change.changes:
            self.message.setText(self.tr("Nothing changed."))
        elif change.notice_republished:
            self.message.setText(
                self.tr(
                    "Saved {0} change(s). The notice's text changed, so version {1} is now in "
                    "force: everyone is asked to consent again before any face use."
                ).format(len(change.changes), change.notice.label)
            )
        else:
            self.message.setText(self.tr("Saved {0} change(s).").format(len(change.changes)))

    @asyncSlot()
    async def _publish(self) -> None:
        notice = await self._desk.executor.run(
            self._desk.station.notices.publish, self._desk.operator
        )
        self.show_settings(self._desk.station.settings)
        self.message.setText(
            self.tr(
                "Notice version {0} published: everyone is asked to consent again before any "
                "face use."
            ).format(notice.label)
        )

    @asyncSlot()
    async def _decommission(self) -> None:
        typed = self.confirmation.text().strip()
        if typed != DECOMMISSION_CONFIRMATION:
            self.message.setText(
                self.tr("Type {0} exactly to decommission. Nothing was destroyed.").format(
                    DECOMMISSION_CONFIRMATION
                )
            )
            return
        report = await self._desk.executor.run(self._admin.decommission, typed, self._desk.operator)
        self.decommissioned.emit(report.message)
