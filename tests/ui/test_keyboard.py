"""Keyboard-only operation (R8): the consent and the non-face path are reachable and usable without
a mouse, and every control the operator reaches has an accessible name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from station.biometrics.calibration import OPERATING_POINTS, shipped_calibration
from station.biometrics.model_sets import CURRENT
from station.domain import AuditKind
from tests.ui.conftest import Drive, submit_first_start, until
from ui.views.main_window import MainWindow


def _tab_to(qtbot: QtBot, window: MainWindow, target: QWidget, limit: int = 25) -> list[QWidget]:
    """Press Tab until `target` has the focus; returns every widget visited on the way."""
    visited: list[QWidget] = []
    for _ in range(limit):
        focused = QApplication.focusWidget()
        if focused is target:
            return visited
        if focused is not None:
            visited.append(focused)
        qtbot.keyClick(focused or window, Qt.Key.Key_Tab)
    raise AssertionError(f"{target.objectName() or target} is not reachable with Tab")


def test_r8_sign_in_enroll_decline_and_pin_by_keyboard_alone(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    async def scenario() -> None:
        start = window.start
        start.operator.setFocus()
        qtbot.keyClicks(start.operator, "Desk One")
        _tab_to(qtbot, window, start.password)
        qtbot.keyClicks(start.password, "front desk secret")
        _tab_to(qtbot, window, start.repeat)
        qtbot.keyClicks(start.repeat, "front desk secret")
        _tab_to(qtbot, window, start.go)
        qtbot.keyClick(start.go, Qt.Key.Key_Space)
        await until(lambda: start.written_down.hasFocus(), what="the recovery key")
        qtbot.keyClick(start.written_down, Qt.Key.Key_Space)
        await until(lambda: window.desk is not None, what="sign-in")
        await until(lambda: window.models_ready, what="the models")

        home = window.home
        assert QApplication.focusWidget() is home.search
        qtbot.keyClicks(home.search, "K-9")
        visited = _tab_to(qtbot, window, home.enroll)
        qtbot.keyClick(home.enroll, Qt.Key.Key_Space)
        enroll = window.enroll
        assert window.stack.currentWidget() is enroll
        steps = [enroll.steps.accessibleName()]  # issue 12: the step indicator follows the pages
        qtbot.keyClicks(QApplication.focusWidget(), "Chen Jie")  # the name field has the focus
        tabbed = _tab_to(qtbot, window, enroll.birth)
        qtbot.keyClicks(enroll.birth, "1988-02-29")
        tabbed += _tab_to(qtbot, window, enroll.to_notice)
        # The fields in reading order, the indicator never among them: it is not a control.
        assert tabbed == [enroll.name, enroll.member, enroll.birth, enroll.card]
        qtbot.keyClick(enroll.to_notice, Qt.Key.Key_Space)
        await until(lambda: enroll.pages.currentIndex() == 1, what="the notice")
        steps.append(enroll.steps.accessibleName())
        tabbed = _tab_to(qtbot, window, enroll.decline)
        qtbot.keyClick(enroll.decline, Qt.Key.Key_Space)
        await until(lambda: enroll.pages.currentIndex() == 3, what="the PIN page")
        steps.append(enroll.steps.accessibleName())
        qtbot.keyClicks(QApplication.focusWidget(), "135792")
        tabbed += _tab_to(qtbot, window, enroll.pin_again)
        qtbot.keyClicks(enroll.pin_again, "135792")
        tabbed += _tab_to(qtbot, window, enroll.save_pin)
        qtbot.keyClick(enroll.save_pin, Qt.Key.Key_Space)
        await until(lambda: enroll.pages.currentIndex() == 4, what="the result")
        steps.append(enroll.steps.accessibleName())
        tabbed += _tab_to(qtbot, window, enroll.finish)
        assert enroll.steps not in tabbed
        assert steps == [
            "Step 1 of 4: Details",
            "Step 2 of 4: Notice",
            "Step 3 of 4: PIN",
            "Step 4 of 4: Done",
        ]
        qtbot.keyClick(enroll.finish, Qt.Key.Key_Space)

        qtbot.keyClicks(home.search, "K-9")
        _tab_to(qtbot, window, home.verify_other)
        qtbot.keyClick(home.verify_other, Qt.Key.Key_Space)
        alternative = window.alternative
        assert QApplication.focusWidget() is alternative.pin
        qtbot.keyClicks(alternative.pin, "135792")
        qtbot.keyClick(alternative.pin, Qt.Key.Key_Return)
        await until(lambda: "K-9" in alternative.result.text(), what="the PIN decision")
        for widget in [*visited, home.enroll, home.verify_face, home.verify_other]:
            assert widget.accessibleName(), (
                f"{widget.objectName() or widget} has no accessible name"
            )

    drive(scenario)
    assert window.desk is not None
    statuses = [
        e.detail.get("status")
        for e in window.desk.station.repos.audit.events()
        if e.kind == "verify_pin"
    ]
    assert statuses == ["accepted"]


def test_r8_r12_a_number_setting_is_typed_and_saved_by_keyboard_alone(
    styled: object, window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """Issue 12: the settings' number fields are reached with Tab, show what is typed, and Save
    goes through the audited settings path (R12)."""

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        qtbot.mouseClick(window.admin_button, Qt.MouseButton.LeftButton)
        panel = window.admin_view.settings
        _, first = panel.editors[("site", "controller")]
        _, retention = panel.editors[("store", "retention_days")]
        assert isinstance(retention, QSpinBox)
        first.setFocus()
        _tab_to(qtbot, window, retention)
        line = retention.findChild(QLineEdit)
        assert line is not None
        qtbot.keyClick(retention, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClicks(retention, "200")
        assert line.text() == "200"  # what is typed is what the field shows
        _tab_to(qtbot, window, panel.save)
        qtbot.keyClick(panel.save, Qt.Key.Key_Space)
        await until(lambda: "Saved 1 change" in panel.message.text(), what="the saved setting")
        assert line.text() == "200"

    drive(scenario)
    assert window.desk is not None
    station = window.desk.station
    assert station.settings.store.retention_days == 200
    changes = [e for e in station.repos.audit.events() if e.kind == AuditKind.SETTINGS_CHANGED]
    assert changes[-1].operator == "Desk One", changes[-1]
    assert "retention_days" in str(changes[-1].detail), changes[-1].detail


def _operating_point_editor(window: MainWindow, qtbot: QtBot) -> QComboBox:
    qtbot.mouseClick(window.admin_button, Qt.MouseButton.LeftButton)
    _, point = window.admin_view.settings.editors[("match", "operating_point")]
    assert isinstance(point, QComboBox)
    return point


def test_r8_r12_r22_the_operating_point_is_chosen_by_keyboard_saved_and_audited(
    styled: object, window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """Issue 13: the site chooses a named operating point, not a distance. Each choice reads as
    the false-match rate and the FNMR the current models measured there (from the shipped
    calibration table), in both languages; the arrow keys choose one, and Save goes through the
    audited settings path (R12, R22)."""
    readings: dict[str, list[str]] = {}

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        point = _operating_point_editor(window, qtbot)
        readings["en"] = [point.itemText(i) for i in range(point.count())]
        assert point.accessibleName() and point.currentData() == "1e-4"  # R22's default
        panel = window.admin_view.settings
        _, first = panel.editors[("site", "controller")]
        first.setFocus()
        _tab_to(qtbot, window, point)
        qtbot.keyClick(point, Qt.Key.Key_Up)  # the points run from 1e-3: one up is the loosest
        assert point.currentData() == "1e-3"
        _tab_to(qtbot, window, panel.save)
        qtbot.keyClick(panel.save, Qt.Key.Key_Space)
        await until(lambda: "Saved 1 change" in panel.message.text(), what="the saved point")

    drive(scenario)
    assert window.desk is not None
    station = window.desk.station
    assert station.settings.match.operating_point == "1e-3"
    changes = [e for e in station.repos.audit.events() if e.kind == AuditKind.SETTINGS_CHANGED]
    assert changes[-1].operator == "Desk One"
    assert changes[-1].detail["changes"] == {"match.operating_point": ["1e-4", "1e-3"]}
    try:
        window.set_language("zh_CN")
        point = _operating_point_editor(window, qtbot)  # a new panel, from the settings in force
        readings["zh_CN"] = [point.itemText(i) for i in range(point.count())]
        assert point.currentData() == "1e-3"
    finally:
        window.set_language("en")
    calibration = shipped_calibration().of(CURRENT)
    for language, texts in readings.items():
        for name, text in zip(OPERATING_POINTS, texts, strict=True):
            measured = calibration.points[name]
            assert f"{round(1 / measured.target_fmr):,}" in text, (language, text)
            assert f"{measured.fnmr * 100:.1f}" in text, (language, text)
    assert readings["en"][1].startswith("1 in 10,000 false matches (FNMR ")
    assert readings["zh_CN"][1].startswith("每 10,000 次比对至多 1 次误匹配（实测误拒率 ")
