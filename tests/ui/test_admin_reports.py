"""The administration panels for reports (R17, R18) and incidents (R19) on a signed-in desk: a real
store, a real qasync loop, real PDF and CSV files read back."""

from __future__ import annotations

import csv
import io
import re
import stat
from dataclasses import replace
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)
from pytestqt.qtbot import QtBot

from station.capture import ImageFolderSource
from station.domain import EnrollStatus
from station.domain.progress import ProgressStep
from tests.conftest import ADULT_BIRTH
from tests.ui.conftest import BarWatch, Drive, submit_first_start, until
from ui.desk import Desk
from ui.views.admin_incidents import IncidentsPanel
from ui.views.admin_reports import ReportsPanel
from ui.views.main_window import MainWindow

ENROLL_PHOTOS = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
CONTROLS = (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextBrowser,
)


def _unnamed_controls(panel: QWidget) -> list[str]:
    """R8: every control a screen reader reaches has a name (Qt's own inner parts excepted)."""
    return [
        f"{type(w).__name__} {w.objectName()!r}"
        for w in panel.findChildren(QWidget)
        if isinstance(w, CONTROLS)
        and not w.objectName().startswith("qt_")
        and not w.accessibleName()
    ]


def _pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def _fill_incident_form(panel: IncidentsPanel) -> None:
    panel.kind.setCurrentIndex(panel.kind.findData("leak"))
    panel.description.setPlainText("A printed member list was left at the desk overnight.")
    panel.data_affected.setPlainText("Names and member numbers.")
    panel.cause.setPlainText("The list was printed for a stock-take and not shredded.")
    panel.likely_harm.setPlainText("Low: no face data and no contact details were on it.")
    panel.remedies.setPlainText("The list was shredded; printing lists is now disabled.")
    panel.advice.setPlainText("Nothing is needed; ask the desk if you have questions.")


def test_r17_r18_reports_panel_shows_the_record_and_saves_pdf_and_csv(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], faces: Path, tmp_path: Path
) -> None:
    chosen: list[Path] = []
    asked: list[str] = []
    pdf, table = tmp_path / "record.pdf", tmp_path / "record.csv"

    def save_dialog(parent: QWidget, caption: str, suggested: str, name_filter: str) -> Path | None:
        asked.append(suggested)
        return chosen.pop(0) if chosen else None

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        await until(lambda: window.models_ready, what="the models to load")
        desk = window.desk
        assert isinstance(desk, Desk)
        station = desk.station
        settings = station.settings
        # R18: a warning level of 1 lets one real enrollment show the warning.
        station.settings = replace(
            settings,
            site=replace(
                settings.site, controller="Harbour Swimming Club", controller_zh_cn="海港游泳俱乐部"
            ),
            policy=replace(settings.policy, filing_warning_level=1),
        )

        def enroll_one() -> EnrollStatus:
            for member in ("M-1", "M-2", "M-3"):
                station.subjects.register(member, f"Member {member}", ADULT_BIRTH, desk.operator)
            station.consents.record("M-1", True, station.notices.current("en"), desk.operator)
            photos = [faces / "photos" / p for p in ENROLL_PHOTOS]
            camera = lambda: ImageFolderSource.from_files(photos, fps=1)  # noqa: E731
            return station.enrollment.enroll("M-1", camera, desk.operator).status

        assert await desk.executor.run(enroll_one) is EnrollStatus.ENROLLED

        panel = ReportsPanel(desk, save_dialog=save_dialog)
        qtbot.addWidget(panel)
        panel.show()  # showing it generates the record once
        await until(lambda: panel.record is not None, what="the processing record")
        assert "Harbour Swimming Club" in panel.browser.toPlainText()
        assert panel.filing.text().startswith("Warning: 1 people have face data stored")
        assert panel.filing.property("role") == "error"  # styled as a warning

        chosen.append(pdf)
        qtbot.mouseClick(panel.export_pdf, Qt.MouseButton.LeftButton)
        await until(lambda: "Saved" in panel.message.text(), what="the PDF")
        chosen.append(table)
        panel.message.clear()
        buttons = [panel.refresh_button, panel.export_pdf, panel.export_csv]
        watch = BarWatch(panel.progress, buttons)
        qtbot.mouseClick(panel.export_csv, Qt.MouseButton.LeftButton)
        await until(lambda: "Saved" in panel.message.text(), what="the CSV")
        # issue 12: each count of the record moved the bar
        watch.assert_ran_to_the_end(ProgressStep.COUNTING)
        # A cancelled dialog writes nothing and says nothing.
        panel.message.clear()
        qtbot.mouseClick(panel.export_csv, Qt.MouseButton.LeftButton)
        await until(lambda: len(asked) == 3, what="the third dialog")
        assert panel.message.text() == ""
        assert asked == ["processing-record.pdf", "processing-record.csv", "processing-record.csv"]
        assert _unnamed_controls(panel) == []

        # Back on its normal level once the warning level is the default again.
        station.settings = replace(station.settings, policy=settings.policy)
        qtbot.mouseClick(panel.refresh_button, Qt.MouseButton.LeftButton)
        await until(lambda: panel.filing.property("role") == "status", what="the plain status")
        assert panel.filing.text().startswith("1 people have face data stored")
        events = await desk.executor.run(station.repos.audit.events)  # the store's own thread
        outputs = [e.detail["outputs"] for e in events if e.kind == "report_generated"]
        assert outputs == [["screen"], ["pdf"], ["csv"], ["screen"]]

    drive(scenario)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    text = _pdf_text(pdf)
    assert "Harbour Swimming Club" in text
    assert "海港游泳俱乐部" in text  # the Chinese name is drawn with glyphs, not boxes
    assert "Registered people 3" in text and "People with face data 1" in text
    rows = list(csv.reader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert rows[0] == ["section", "item", "value"]
    assert ["Counts", "People with face data", "1"] in rows
    assert stat.S_IMODE(table.stat().st_mode) == 0o600


def test_r19_incidents_panel_records_lists_writes_notices_and_csv(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], tmp_path: Path
) -> None:
    paths: list[Path] = []
    notices_folder = tmp_path / "notices"

    def save_dialog(parent: QWidget, caption: str, suggested: str, name_filter: str) -> Path | None:
        return paths.pop(0)

    def folder_dialog(parent: QWidget, caption: str) -> Path | None:
        return notices_folder

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        desk = window.desk
        assert isinstance(desk, Desk)
        station = desk.station

        def register() -> None:
            for member, name in (("M-1", "Li Na"), ("M-2", "Wang Fang"), ("M-3", "Zhang Wei")):
                station.subjects.register(member, name, ADULT_BIRTH, desk.operator)

        await desk.executor.run(register)
        panel = IncidentsPanel(desk, save_dialog=save_dialog, folder_dialog=folder_dialog)
        qtbot.addWidget(panel)
        panel.show()
        await until(lambda: panel._loaded, what="the register")
        assert panel.register.count() == 0 and not panel.notices_button.isEnabled()
        assert _unnamed_controls(panel) == []

        # A form with a field left empty is refused before anything is stored.
        panel.listed.setChecked(True)
        panel.members.setText("M-1, M-3")
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        await until(lambda: "Fill in" in panel.message.text(), what="the refusal")
        assert panel.message.property("role") == "error"
        _fill_incident_form(panel)
        panel.members.setText("M-1, NOPE")
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        await until(lambda: "NOPE" in panel.message.text(), what="the unknown member")
        assert await desk.executor.run(panel._incidents.list_incidents) == []

        panel.members.setText("M-1, M-3")
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
        await until(lambda: panel.register.count() == 1, what="the incident in the register")
        await until(lambda: panel.people.count() == 2, what="the people affected")
        assert "2 people affected" in panel.message.text()
        assert "Leak" in panel.register.item(0).text()
        assert [panel.people.item(i).text() for i in range(2)] == [
            "M-1 — Li Na",
            "M-3 — Zhang Wei",
        ]
        assert panel.description.toPlainText() == ""  # the form is cleared for the next one

        panel.language.setCurrentIndex(panel.language.findData("zh_CN"))
        qtbot.mouseClick(panel.notices_button, Qt.MouseButton.LeftButton)
        await until(lambda: "Wrote 2 notice(s)" in panel.message.text(), what="the notices")
        paths.extend([tmp_path / "register.csv", tmp_path / "people.csv"])
        panel.message.clear()
        qtbot.mouseClick(panel.register_csv, Qt.MouseButton.LeftButton)
        await until(lambda: "Saved" in panel.message.text(), what="the register CSV")
        panel.message.clear()
        qtbot.mouseClick(panel.people_csv, Qt.MouseButton.LeftButton)
        await until(lambda: "Saved" in panel.message.text(), what="the people CSV")
        kinds = [e.kind for e in await desk.executor.run(station.repos.audit.events)]
        assert kinds.count("incident_recorded") == 1
        assert kinds.count("incident_notices_produced") == 1

    drive(scenario)
    files = sorted(notices_folder.iterdir())
    assert [f.name.endswith(".zh_CN.txt") for f in files] == [True, True]
    assert all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    first = files[0].read_text(encoding="utf-8")
    assert "个人信息泄露" in first and "Li Na" in first and "not shredded" in first
    register = list(csv.DictReader(io.StringIO((tmp_path / "register.csv").read_text("utf-8"))))
    assert len(register) == 1 and register[0]["kind"] == "leak"
    assert register[0]["people_affected"] == "2"
    people = (tmp_path / "people.csv").read_text(encoding="utf-8")
    assert "Zhang Wei" in people and "Wang Fang" not in people
