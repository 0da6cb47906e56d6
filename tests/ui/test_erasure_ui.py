"""Issue 15 in the window: erasing a member at the end of service from the subject page (an
administrator at once, an operator with the number typed again) and from the inactive members
panel, the receipt the person keeps (shown, printed, in both languages), the setting that lists
members with no visit, and what an incident says of the people erased since. A real store, a
fake clock; asking alone never erases."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from station.biometrics.model_sets import CURRENT
from station.domain import AuditKind, ErasureReceipt, Role
from station.domain.incidents import IncidentDetails
from station.services import Station
from tests.basics import FrozenClock
from tests.conftest import ADMIN, ADULT_BIRTH, STORE_SECRET, store_template
from tests.ui.conftest import Drive, until
from ui.desk import Desk
from ui.i18n import install_language
from ui.views.admin_inactive import InactivePanel
from ui.views.admin_incidents import IncidentsPanel
from ui.views.admin_settings import SettingsPanel
from ui.views.erasure import ErasureFlow
from ui.views.subject import SubjectView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

MEMBER, NAME, CARD, PIN = "M-15", "Zhou Min", "C-1500", "482915"
OPERATOR, OPERATOR_PASSWORD = "Desk", "desk password 1"
INACTIVE_MONTHS = 6
AWAY = timedelta(days=200)  # more than 6 months (183 days)


@pytest.fixture
def executor() -> Iterator[StoreExecutor]:
    running = StoreExecutor()
    yield running
    running.shutdown()


@pytest.fixture
def desk(station: Station, executor: StoreExecutor) -> Desk:
    """An administrator's desk."""
    return Desk(station, executor, CameraSession("7"), "admin-1")


@pytest.fixture
def operator_desk(station: Station, executor: StoreExecutor) -> Desk:
    station.accounts.add_operator(OPERATOR, Role.OPERATOR, OPERATOR_PASSWORD, ADMIN, STORE_SECRET)
    signed_in = Station(station.store, OPERATOR, station.settings, station.clock)
    return Desk(signed_in, executor, CameraSession("7"), OPERATOR)


class PdfPrinter:
    """Stands for the print dialog: the operator chose a printer that writes a PDF file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __call__(self, _parent: QWidget) -> QPrinter:
        printer = QPrinter()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.path))
        return printer

    def text(self) -> str:
        """The printed words, ligatures (a hex reference's "ff" drawn as one glyph) undone."""
        text = " ".join(page.extract_text() for page in PdfReader(self.path).pages)
        return " ".join(unicodedata.normalize("NFKC", text).split())


def _member_with_everything(station: Station) -> str:
    """A member with a card, a date of birth, a PIN, a face consent and a face template."""
    subject = station.subjects.register(MEMBER, NAME, ADULT_BIRTH, "desk-1", CARD)
    station.subjects.set_pin(MEMBER, PIN, "desk-1")
    station.consents.record(MEMBER, True, station.notices.current("en"), "desk-1")
    store_template(station.repos.templates, subject.id, CURRENT, station.clock.now())
    return subject.id


def _erasures(station: Station) -> list[str | None]:
    return [e.subject_id for e in station.repos.audit.events() if e.kind == AuditKind.MEMBER_ERASED]


async def _open(view: SubjectView, subject_id: str) -> None:
    view.show_subject(subject_id)
    await until(lambda: view.record is not None, what="the subject page")


async def _erased(flow: ErasureFlow) -> ErasureReceipt:
    await until(lambda: flow.receipt is not None, what="the erasure receipt")
    assert flow.receipt is not None
    return flow.receipt


def test_issue15_an_administrator_erases_from_the_subject_page_and_keeps_the_receipt(
    desk: Desk, qtbot: QtBot, drive: Drive[object], qapp: QApplication, tmp_path: Path
) -> None:
    station = desk.station
    subject_id = _member_with_everything(station)
    printer = PdfPrinter(tmp_path / "receipt.pdf")
    view = SubjectView(desk, choose_printer=printer)
    qtbot.addWidget(view)
    view.resize(1000, 900)
    view.show()
    flow = view.erasure
    pages: dict[str, str] = {}

    async def scenario() -> ErasureReceipt:
        await _open(view, subject_id)
        assert view.erase.isVisible() and view.erase.isEnabled()
        qtbot.mouseClick(view.erase, Qt.MouseButton.LeftButton)
        assert flow.confirmation.isVisible() and not flow.receipt_area.isVisible()
        assert not flow.retype.isVisible()  # an administrator's request is enough
        assert f"Erase {NAME} ({MEMBER})" in flow.question.text()
        qtbot.mouseClick(flow.erase_now, Qt.MouseButton.LeftButton)
        receipt = await _erased(flow)
        pages["en"] = flow.receipt_view.toPlainText()
        try:
            install_language(qapp, "zh_CN")
            pages["zh_CN"] = flow.receipt_html()
        finally:
            install_language(qapp, "en")
        return receipt

    receipt = drive(scenario)
    assert isinstance(receipt, ErasureReceipt)
    # The store no longer has them; the trail names them by the reference alone.
    assert station.subjects.find(MEMBER) is None
    assert _erasures(station) == [subject_id] == [receipt.reference]
    event = receipt.audit_event
    assert event.operator == "admin-1" and event.detail["confirmed_twice"] is False
    assert (receipt.templates, receipt.consents, receipt.had_pin) == (1, 1, True)
    # The page is the receipt now: nothing on it acts on the member who is gone.
    assert not view.page.isVisible() and view.record is None
    assert not any(b.isVisible() for b in (view.enroll, view.withdraw, view.erase, view.receipt))
    assert flow.receipt_area.isVisible() and flow.print_button.hasFocus()
    when = receipt.erased_at.astimezone().strftime("%Y-%m-%d %H:%M")
    shown = pages["en"]
    for expected in (
        f"{NAME} ({MEMBER}) was erased from this station on {when}.",
        f"Card number {CARD}",
        "Date of birth\n",
        "PIN\n",
        "1 face template(s)",
        "1 face-data consent record(s)",
        "Transfer consents: none were held",
        f"under the reference {receipt.reference}",
        f"Only this receipt ties that reference to {NAME}",
        f"Audit trail record: {event.head.code}",
        event.head.field,
        f"Backups made before {when} still hold the record",
    ):
        assert expected in shown, expected
    chinese = pages["zh_CN"]
    assert "会员信息清除回执" in chinese and "1 份人脸特征模板" in chinese
    assert "对外提供同意：未曾保存" in chinese
    assert f"审计日志代码：{event.head.code}" in chinese and receipt.reference in chinese
    assert f"{NAME}（{MEMBER}）已于 {when} 从本工作站清除" in chinese

    # "Print receipt" prints what the page shows; "Done" leaves the page.
    qtbot.mouseClick(flow.print_button, Qt.MouseButton.LeftButton)
    printed = printer.text()
    for expected in (NAME, MEMBER, CARD, receipt.reference, event.head.code):
        assert expected in printed, expected
    with qtbot.waitSignal(view.done):
        qtbot.mouseClick(flow.finish, Qt.MouseButton.LeftButton)


def test_issue15_an_operator_types_the_member_number_again_to_erase(
    operator_desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    station = operator_desk.station
    subject = station.subjects.register(MEMBER, NAME, ADULT_BIRTH, OPERATOR)
    view = SubjectView(operator_desk)
    qtbot.addWidget(view)
    view.show()
    flow = view.erasure
    refusals: list[str] = []

    async def scenario() -> None:
        await _open(view, subject.id)
        qtbot.mouseClick(view.erase, Qt.MouseButton.LeftButton)
        assert flow.retype.isVisible() and flow.retype.hasFocus()
        for typed in ("", "M-16"):  # nothing typed, then another number: the service refuses
            flow.retype.setText(typed)
            flow.message.clear()
            qtbot.mouseClick(flow.erase_now, Qt.MouseButton.LeftButton)
            await until(lambda: bool(flow.message.text()), what="the refusal")
            refusals.append(flow.message.text())
            assert station.subjects.find(MEMBER) is not None
            assert flow.confirmation.isVisible() and flow.erase_now.isEnabled()
        # By keyboard alone: the field keeps the focus; typed, then Enter.
        flow.retype.clear()
        assert flow.retype.hasFocus()
        qtbot.keyClicks(flow.retype, MEMBER)
        qtbot.keyClick(flow.retype, Qt.Key.Key_Return)
        await _erased(flow)

    drive(scenario)
    refused = f"To erase, type the member number {MEMBER} again in the field. Nothing was erased."
    assert refusals == [refused, refused]
    assert station.subjects.find(MEMBER) is None
    events = [e for e in station.repos.audit.events() if e.kind == AuditKind.MEMBER_ERASED]
    assert [(e.operator, e.detail["confirmed_twice"]) for e in events] == [(OPERATOR, True)]
    assert not view.page.isVisible()


def test_issue15_asking_to_erase_erases_nothing_until_confirmed(
    desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    station = desk.station
    subject_id = _member_with_everything(station)
    view = SubjectView(desk)
    qtbot.addWidget(view)
    view.show()
    flow = view.erasure

    async def scenario() -> None:
        await _open(view, subject_id)
        qtbot.mouseClick(view.erase, Qt.MouseButton.LeftButton)
        assert flow.isVisible() and not view.action_rows.isVisible()  # one question at a time
        assert flow.keep.hasFocus()  # the choice that changes nothing
        await desk.executor.run(lambda: None)  # anything the click queued has run
        qtbot.mouseClick(flow.keep, Qt.MouseButton.LeftButton)

    drive(scenario)
    assert _erasures(station) == [] and station.subjects.find(MEMBER) is not None
    record = station.subjects.record(subject_id)
    assert record.subject.card_number == CARD and record.has_template and record.has_pin
    assert not flow.isVisible() and flow.receipt is None
    assert view.page.isVisible() and view.action_rows.isVisible() and view.erase.hasFocus()


def test_issue15_the_inactive_panel_lists_members_away_for_months_and_erases_from_there(
    desk: Desk, qtbot: QtBot, drive: Drive[object], frozen_clock: FrozenClock
) -> None:
    station = desk.station
    away = station.subjects.register("M-OLD", "Away Long", ADULT_BIRTH, "desk-1")
    registered = frozen_clock.now()
    station.subjects.register("M-NEW", "Seen Lately", ADULT_BIRTH, "desk-1")
    frozen_clock.advance(AWAY)
    station.subjects.set_pin("M-NEW", PIN, "desk-1")  # a visit at the desk
    panel = InactivePanel(desk)
    qtbot.addWidget(panel)
    shown: list[list[list[str]]] = []

    def rows() -> list[list[str]]:
        table = panel.table
        cells = [[table.item(r, c) for c in range(3)] for r in range(table.rowCount())]
        return [[item.text() if item else "" for item in row] for row in cells]

    async def scenario() -> None:
        panel.show()  # the setting is off (0): no list
        await until(lambda: bool(panel.explanation.text()), what="the panel")
        assert "is off" in panel.explanation.text() and not panel.table.isVisible()
        assert "List members with no visit for (months)" in panel.explanation.text()
        change = {"policy": {"inactive_months": INACTIVE_MONTHS}}
        await desk.executor.run(station.configuration.update, change, desk.operator)
        panel.load()
        await until(lambda: panel.months == INACTIVE_MONTHS, what="the list")
        shown.append(rows())
        assert panel.table.isVisible() and not panel.erase.isEnabled()  # nobody chosen yet
        panel.table.selectRow(0)
        qtbot.mouseClick(panel.erase, Qt.MouseButton.LeftButton)
        flow = panel.erasure
        assert flow.isVisible() and "Away Long (M-OLD)" in flow.question.text()
        assert not panel.listing.isVisible()  # one member at a time
        assert station.subjects.find("M-OLD") is not None  # asked, not erased
        qtbot.mouseClick(flow.erase_now, Qt.MouseButton.LeftButton)
        await _erased(flow)
        await until(lambda: panel.table.rowCount() == 0, what="the list without them")
        shown.append(rows())
        assert "Away Long (M-OLD) was erased" in flow.receipt_view.toPlainText()
        qtbot.mouseClick(flow.finish, Qt.MouseButton.LeftButton)
        assert not flow.isVisible() and panel.listing.isVisible()
        assert panel.message.text() == "Away Long (M-OLD) was erased."

    drive(scenario)
    assert shown == [[["M-OLD", "Away Long", registered.astimezone().date().isoformat()]], []]
    assert station.subjects.find("M-OLD") is None and station.subjects.find("M-NEW") is not None
    assert _erasures(station) == [away.id]
    assert "No member has gone 6 months or more without a visit." in panel.explanation.text()


def test_issue15_the_settings_switch_the_inactive_list_on_audited_and_show_0_as_off(
    desk: Desk, qtbot: QtBot, drive: Drive[object], qapp: QApplication
) -> None:
    panel = SettingsPanel(desk)
    qtbot.addWidget(panel)
    panel.show()
    label, editor = panel.editors[("policy", "inactive_months")]
    assert isinstance(editor, QSpinBox)
    assert label == "List members with no visit for (months)" == editor.accessibleName()
    assert (editor.value(), editor.text()) == (0, "off")
    assert (editor.minimum(), editor.maximum()) == (0, 120)

    async def scenario() -> None:
        editor.setValue(12)
        qtbot.mouseClick(panel.save, Qt.MouseButton.LeftButton)
        await until(lambda: "Saved 1 change" in panel.message.text(), what="the saved setting")

    drive(scenario)
    station = desk.station
    assert station.settings.policy.inactive_months == 12
    changed = [e for e in station.repos.audit.events() if e.kind == AuditKind.SETTINGS_CHANGED]
    assert changed[-1].operator == "admin-1" and "inactive_months" in str(changed[-1].detail)
    try:
        install_language(qapp, "zh_CN")
        chinese = SettingsPanel(desk)
        qtbot.addWidget(chinese)
        _, zero = chinese.editors[("policy", "inactive_months")]
        assert isinstance(zero, QSpinBox)
        zero.setValue(0)
        assert zero.text() == "关闭"
    finally:
        install_language(qapp, "en")


def test_issue15_an_incident_counts_the_people_erased_since_and_says_they_get_no_notice(
    desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    station = desk.station
    for member in ("M-1", "M-2"):
        station.subjects.register(member, f"Member {member}", ADULT_BIRTH, "desk-1")
    details = IncidentDetails(
        kind="leak",
        discovered_at=station.clock.now(),
        description="a members' list was sent to the wrong branch",
        data_affected="names and member numbers",
        cause="a mistyped address",
        likely_harm="unwanted contact",
        remedies="the branch deleted it",
        advice="tell us of any unexpected contact",
    )
    station.incidents.record(details, ADMIN, ["M-1", "M-2"])
    station.erasure.erase("M-2", ADMIN)
    panel = IncidentsPanel(desk)
    qtbot.addWidget(panel)

    async def scenario() -> None:
        panel.show()
        await until(lambda: panel.people.count() > 0, what="the people affected")

    drive(scenario)
    assert "2 people affected" in panel.register.item(0).text()
    people = [panel.people.item(row).text() for row in range(panel.people.count())]
    assert people == [
        "M-1 — Member M-1",
        "1 of the people affected were since erased at the end of service: no notice can be "
        "produced for them.",
    ]
    note = panel.people.item(1)
    assert not note.flags() & Qt.ItemFlag.ItemIsSelectable
