"""Issue 14 in the window: the audit panel shows where the trail ends as a code to note on paper,
an auditor verifies the trail against codes noted earlier (which catches a rewrite the chain alone
cannot), a mistyped code is named as a typo and verifies nothing, and the subject receipt carries
the head in full."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.domain import AnchorVerdict, AuditHead, AuditKind, Role
from station.services.audit_anchors import anchors_from
from tests.conftest import ADULT_BIRTH
from tests.insider import rewrite
from tests.ui.conftest import Drive, sign_in, submit_first_start, until
from ui.desk import Desk
from ui.views.admin_audit import AuditPanel, code_texts
from ui.views.main_window import MainWindow


def _mistyped(code: str) -> str:
    """The code with its last character changed: its check digits no longer match."""
    return code[:-1] + ("0" if code[-1] != "0" else "1")


async def _verify(panel: AuditPanel, qtbot: QtBot, codes: str) -> str:
    """Type the codes and press Enter in the field (R8); the verdict and its details once shown."""
    panel.result.clear()
    panel.codes.setText(codes)
    qtbot.keyClick(panel.codes, Qt.Key.Key_Return)
    await until(lambda: bool(panel.result.text()), what="the verification")
    return "\n".join([panel.result.text(), panel.details.text()])


async def _first_desk(window: MainWindow, qtbot: QtBot) -> Desk:
    """A new station, its administrator signed in."""
    await submit_first_start(window, qtbot)
    assert window.desk is not None
    return window.desk


async def _head(desk: Desk) -> AuditHead:
    head = await desk.executor.run(desk.station.administration.audit_head)
    assert head is not None
    return head


def test_an_auditor_verifies_against_noted_codes_and_sees_a_recomputed_rewrite(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    async def scenario() -> None:
        admin_desk = await _first_desk(window, qtbot)
        await admin_desk.executor.run(
            admin_desk.station.accounts.add_operator,
            "Reader",
            Role.AUDITOR,
            "their own secret",
            "Desk One",
            "front desk secret",
        )
        await sign_in(window, qtbot, "Reader", "their own secret")
        desk = window.desk
        assert desk is not None
        qtbot.mouseClick(window.admin_button, Qt.MouseButton.LeftButton)
        panel = window.admin_view.audit
        noted = await _head(desk)
        await until(lambda: bool(panel.head_code.text()), what="the head code")
        assert panel.head_code.text() == noted.code

        # The code noted on paper holds; the panel then shows the new head (this verification).
        text = await _verify(panel, qtbot, noted.code)
        assert "intact" in text
        assert f"{noted.code}: held. Event {noted.seq} is as it was" in text
        later = await _head(desk)
        await until(lambda: panel.head_code.text() == later.code, what="the new head")
        assert later.seq == noted.seq + 1

        # Someone who opened the store rewrites the newest event and recomputes the chain: the
        # chain alone still verifies, and the panel says that alone proves too little.
        await desk.executor.run(
            lambda: rewrite(desk.station.store, later.seq, operator="someone else")
        )
        text = await _verify(panel, qtbot, "")
        assert "intact" in text and "cannot rule out" in text

        # Against the codes noted earlier (a comma between them): the rewrite shows, and where.
        text = await _verify(panel, qtbot, f"{noted.code}, {later.code.lower()}")
        assert "rewritten after a code was noted" in panel.result.text()  # the verdict, large
        assert f"{later.code}: rewritten since this code was noted" in text
        assert f"{noted.code}: held" in text
        assert f"The rewrite lies among events {later.seq} to {later.seq}." in text
        final = await _head(desk)  # this verification's own event
        await until(lambda: panel.head_code.text() == final.code, what="the head after it")

    drive(scenario)


def test_a_mistyped_or_malformed_code_is_named_and_verifies_nothing(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    async def scenario() -> None:
        desk = await _first_desk(window, qtbot)
        qtbot.mouseClick(window.admin_button, Qt.MouseButton.LeftButton)
        admin = window.admin_view
        admin.show_panel(admin.audit)
        panel = admin.audit
        head = await _head(desk)
        before = await desk.executor.run(desk.station.repos.audit.events)

        text = await _verify(panel, qtbot, f"{head.code}; {_mistyped(head.code)}")
        assert text.startswith(f"The code {_mistyped(head.code)} is mistyped")
        assert "Nothing was verified" in text and "tampered" not in text
        assert panel.details.isHidden() and panel.result.property("role") == "error"
        text = await _verify(panel, qtbot, "1204-3F9A")
        assert text.startswith("1204-3F9A is not an audit trail code")

        after = await desk.executor.run(desk.station.repos.audit.events)
        assert after == before  # not even an AUDIT_VERIFIED event: nothing was checked
        assert not any(event.kind == AuditKind.AUDIT_VERIFIED for event in after)

        # Typed again correctly, it verifies (and the message style is a result again).
        text = await _verify(panel, qtbot, head.code.replace("-", " "))
        assert f"{head.code}: held" in text
        assert panel.result.property("role") == "result"

    drive(scenario)


def test_codes_are_read_between_commas_new_lines_and_spaces() -> None:
    one, two = "12-3F9A-27C1-0BD4-E812-7C", "13-0000-27C1-0BD4-E812-AA"
    assert code_texts("") == [] and code_texts(" ,\n ") == []
    assert code_texts(f"{one}, {two}") == [one, two]
    assert code_texts(f"{one}\n{two}") == [one, two]
    assert code_texts(f"{one} {two}") == [one, two]  # codes with their dashes, a space between
    assert code_texts(f"{one}，{two}") == [one, two]  # a Chinese input method's comma
    # One code typed with spaces instead of dashes stays one code.
    assert code_texts("12 3F9A 27C1 0BD4 E812 7C") == ["12 3F9A 27C1 0BD4 E812 7C"]


def test_the_subject_receipt_carries_the_audit_head_in_full(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], tmp_path: Path
) -> None:
    async def scenario() -> None:
        desk = await _first_desk(window, qtbot)
        subject = await desk.executor.run(
            desk.station.subjects.register, "M-14", "Test Member", ADULT_BIRTH, desk.operator
        )
        page = window.subject
        page.show_subject(subject.id)
        await until(lambda: page.record is not None, what="the subject page to load")
        head = await _head(desk)
        # `face-station audit verify --against` finds the full head in the saved receipt
        assert head.field in page.receipt_html()
        assert f"Audit trail record: {head.code}" in page.details.toPlainText()
        receipt = tmp_path / "receipt.html"
        receipt.write_text(page.receipt_html(), encoding="utf-8")
        admin = desk.station.administration
        held = await desk.executor.run(
            admin.verify_audit, desk.operator, anchors_from(str(receipt))
        )
        assert held.ok and [a.verdict for a in held.anchors] == [AnchorVerdict.HELD]
        # The person's registration rewritten afterwards: the receipt they took home shows it.
        await desk.executor.run(
            lambda: rewrite(desk.station.store, head.seq - 1, operator="someone else")
        )
        caught = await desk.executor.run(
            admin.verify_audit, desk.operator, anchors_from(str(receipt))
        )
        assert [a.verdict for a in caught.anchors] == [AnchorVerdict.REWRITTEN]

    drive(scenario)
