"""R4: the receipt a person takes away after withdrawing face consent, printed from the subject page
through the real print dialog (offscreen, to a PDF file) and read back, in English and in Simplified
Chinese: who, what was destroyed, when (the fake clock's time), the audit trail record of the
withdrawal, that no face data is held and that the PIN still works."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from station.capture import FrameSource
from station.domain import AuditKind, EnrollStatus, VerifyStatus
from station.services import Station
from tests.conftest import ADULT_BIRTH, FrozenClock
from tests.ui.conftest import Drive, until
from ui.desk import Desk
from ui.i18n import install_language
from ui.views.subject import SubjectView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

MEMBER, NAME, PIN = "M-4", "Zhang Wei", "482913"
OPERATOR = "desk-1"
ENROLL_PHOTOS = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
)
# The station's clock starts at 2026-11-27 09:00 UTC; the member withdraws 2 h 14 min later, shown
# in the station's local time, here China's (UTC+8).
WITHDRAWN_AT = "2026-11-27 19:14"


@pytest.fixture
def china_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def desk(station: Station) -> Iterator[Desk]:
    executor = StoreExecutor()
    yield Desk(station, executor, CameraSession("7"), OPERATOR)
    executor.shutdown()


def _printed(view: SubjectView, qtbot: QtBot, pdf: Path) -> str:
    """Press Print receipt, choose printing to the file `pdf` in the print dialog as an operator
    would, and read the printed text back; whitespace dropped, since the page wraps lines where
    it must."""

    def print_to_file() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QPrintDialog), dialog
        (file_name,) = [e for e in dialog.findChildren(QLineEdit) if e.objectName() == "filename"]
        file_name.setText(str(pdf))
        dialog.accept()

    QTimer.singleShot(0, print_to_file)
    qtbot.mouseClick(view.receipt, Qt.MouseButton.LeftButton)  # returns once the dialog closed
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    return _squeezed(text)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_r4_the_withdrawal_receipt_says_who_what_when_and_its_audit_record_in_both_languages(
    desk: Desk,
    qtbot: QtBot,
    drive: Drive[None],
    qapp: QApplication,
    frozen_clock: FrozenClock,
    photo_camera: Callable[..., Callable[[], FrameSource]],
    tmp_path: Path,
    china_time: None,
) -> None:
    station = desk.station
    subject = station.subjects.register(MEMBER, NAME, ADULT_BIRTH, OPERATOR)
    station.subjects.set_pin(MEMBER, PIN, OPERATOR)
    station.consents.record(MEMBER, True, station.notices.current("en"), OPERATOR)
    enrolled = station.enrollment.enroll(MEMBER, photo_camera(*ENROLL_PHOTOS), OPERATOR)
    assert enrolled.status is EnrollStatus.ENROLLED, enrolled.message
    frozen_clock.advance(timedelta(hours=2, minutes=14))
    view = SubjectView(desk)
    qtbot.addWidget(view)
    view.show()

    async def withdraw() -> None:
        view.show_subject(subject.id)
        await until(lambda: bool(view.attempts), what="the subject page to load")
        qtbot.mouseClick(view.withdraw, Qt.MouseButton.LeftButton)
        await until(lambda: "withdrawn" in view.message.text(), what="the withdrawal")

    drive(withdraw)
    assert view.message.text() == (
        "Consent withdrawn; 1 face template(s) destroyed. Print the receipt for the person."
    )
    # The face data is gone, and the withdrawal is the trail's newest event: the record the
    # receipt carries.
    assert station.repos.templates.for_subject(subject.id) is None
    withdrawal = station.repos.audit.events(subject.id)[-1]
    assert withdrawal.kind == AuditKind.FACE_CONSENT_WITHDRAWN
    assert withdrawal.detail == {"templates_destroyed": 1}
    code = withdrawal.head.code
    receipts = {
        "en": [
            f"{NAME} ({MEMBER})",
            "No face data is held.",
            f"Face-data consent declined or withdrawn on {WITHDRAWN_AT} (notice 1, recorded by "
            f"{OPERATOR}).",
            f"{WITHDRAWN_AT} — face consent withdrawn: 1 face template(s) destroyed",
            "Other way to verify: PIN set",
            f"Audit trail record: {code}",
        ],
        "zh_CN": [
            f"{NAME} ({MEMBER})",
            "未保存任何人脸信息。",
            f"已于 {WITHDRAWN_AT} 拒绝或撤回人脸信息同意（告知书版本 1，记录人：{OPERATOR}）。",
            f"{WITHDRAWN_AT} — 已撤回人脸信息同意：已销毁 1 份人脸特征模板",
            "其他核验方式：已设置 PIN 码",
            f"审计日志代码：{code}",
        ],
    }
    held = {"en": "One face template (no image)", "zh_CN": "一份人脸特征模板（不含图像）"}
    try:
        for language, lines in receipts.items():
            install_language(qapp, language)
            printed = _printed(view, qtbot, tmp_path / f"receipt-{language}.pdf")
            for line in lines:
                assert _squeezed(line) in printed, (language, line, printed)
            assert _squeezed(held[language]) not in printed  # nothing says a template is kept
    finally:
        install_language(qapp, "en")
    # What the receipt says of the other way holds: the PIN still verifies the member.
    assert station.verification.pin(MEMBER, PIN, OPERATOR).status is VerifyStatus.ACCEPTED
