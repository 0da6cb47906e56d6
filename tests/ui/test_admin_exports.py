"""The administrator's export panel on a real qasync loop: consent, refusal, export, withdrawal (R16)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from station.biometrics.model_sets import CURRENT
from station.capture import FrameSource
from station.domain import AuditHead, AuditKind, EnrollStatus
from station.domain.progress import ProgressStep
from station.settings import Settings
from station.storage.export_package import read_export
from tests.conftest import ADULT_BIRTH, fast_settings
from tests.ui.conftest import BarWatch, Drive, submit_first_start, until
from ui.desk import Desk
from ui.views.admin_exports import ExportsPanel
from ui.views.main_window import MainWindow

ANGELINA = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
PASSPHRASE = "told on the phone 4410"


@pytest.fixture
def site_settings() -> Settings:
    """This site switched face-data export on (R16: off by default)."""
    base = fast_settings()
    return replace(base, policy=replace(base.policy, face_export_enabled=True))


async def _enrolled_member(desk: Desk, camera: Callable[[], FrameSource]) -> None:
    """A member with a current face consent and a template, made through the real services."""
    station, run = desk.station, desk.executor.run
    await run(station.subjects.register, "M-7", "Angelina Test", ADULT_BIRTH, desk.operator)
    notice = await run(station.notices.current, "en")
    await run(station.consents.record, "M-7", True, notice, desk.operator)
    outcome = await run(station.enrollment.enroll, "M-7", camera, desk.operator)
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message


def _click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_r16_r8_panel_records_consent_exports_a_readable_file_and_withdraws(
    window: MainWindow,
    qtbot: QtBot,
    drive: Drive[None],
    tmp_path: Path,
    photo_camera: Callable[..., Callable[[], FrameSource]],
) -> None:
    out = tmp_path / "exports" / "partner.fsx"
    out.parent.mkdir()

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        assert window.desk is not None
        await _enrolled_member(window.desk, photo_camera(*ANGELINA))
        panel = ExportsPanel(window.desk)
        qtbot.addWidget(panel)
        panel.show()
        assert "switched on" in panel.banner.text()
        # R8: every control a keyboard can reach has a name for screen readers.
        focusable = [
            w
            for w in panel.findChildren(QWidget)
            if w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.isVisible()
        ]
        assert len(focusable) > 10
        assert all(w.accessibleName() for w in focusable), [
            type(w).__name__ for w in focusable if not w.accessibleName()
        ]

        panel.search.setText("M-7")
        _click(qtbot, panel.find_button)
        await until(lambda: panel.members.count() == 1, what="the member found")
        qtbot.keyClick(panel.members, Qt.Key.Key_Return)  # keyboard-only choice (R8)
        await until(lambda: panel.member_number == "M-7", what="the member chosen")
        assert panel.record.isEnabled() and not panel.export.isEnabled()

        # Cross-border without an assessment reference: refused, nothing recorded.
        panel.recipient.setText("Harbour Gym HK Ltd")
        panel.country.setText("hk")
        panel.purpose.setText("Entry at the partner gym")
        panel.data_types["member_number"].setChecked(True)
        panel.impact.setText("The partner can recognise the member at its door")
        _click(qtbot, panel.record)
        await until(lambda: "assessment" in panel.message.text(), what="the refusal")
        assert panel.consent_list.count() == 0

        panel.assessment.setText("CAC-SA-2026-0142")
        _click(qtbot, panel.record)
        await until(lambda: panel.consent_list.count() == 1, what="the consent listed")
        assert "recorded" in panel.message.text()
        assert "Harbour Gym HK Ltd (HK)" in panel.consent_list.item(0).text()

        # The passphrase is typed twice; a mismatch exports nothing.
        panel.set_export_path(out)
        assert panel.export.isEnabled()
        panel.passphrase.setText(PASSPHRASE)
        panel.passphrase_again.setText(PASSPHRASE + "x")
        _click(qtbot, panel.export)
        await until(lambda: "differ" in panel.message.text(), what="the mismatch")
        assert not out.exists()
        panel.passphrase.setText(PASSPHRASE)
        panel.passphrase_again.setText(PASSPHRASE)
        watch = BarWatch(panel.export_progress, [panel.export, panel.withdraw])
        _click(qtbot, panel.export)
        await until(lambda: "Exported to" in panel.message.text(), what="the export")
        # issue 14: the code for the hand-over record is the export's own audit event
        desk = window.desk
        assert desk is not None
        events = await desk.executor.run(desk.station.repos.audit.events)
        exported = next(e for e in reversed(events) if e.kind == AuditKind.FACE_DATA_EXPORTED)
        assert f"audit event {AuditHead(exported.seq, exported.hash).code}" in panel.message.text()
        # issue 12: a bar while it ran, gone once it is done
        watch.assert_ran_to_the_end(ProgressStep.RECORDING_EXPORT)
        assert panel.passphrase.text() == "" and panel.passphrase_again.text() == ""

        contents = read_export(out, PASSPHRASE)
        assert contents.member_number == "M-7" and contents.display_name is None
        assert contents.face_template.shape == (CURRENT.size,)  # dlib and SFace (issue 13)

        # Withdrawn: listed as such, and the export button goes grey.
        _click(qtbot, panel.withdraw)
        await until(lambda: "withdrawn" in panel.consent_list.item(0).text(), what="withdrawal")
        assert not panel.withdraw.isEnabled() and not panel.export.isEnabled()

    drive(scenario)


def test_r16_panel_with_export_switched_off_allows_only_withdrawal(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        desk = window.desk
        assert desk is not None
        await desk.executor.run(
            desk.station.subjects.register, "M-8", "Li Na", ADULT_BIRTH, desk.operator
        )
        desk.station.settings = replace(desk.station.settings, policy=Settings().policy)
        panel = ExportsPanel(desk)
        qtbot.addWidget(panel)
        panel.show()
        await panel.show_member("M-8")
        assert "switched off" in panel.banner.text()
        assert not panel.record.isEnabled() and not panel.export.isEnabled()

    drive(scenario)
