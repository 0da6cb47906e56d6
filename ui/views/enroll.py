"""Enroll: subject details, the face-data notice in either language, an explicit choice (accept or
decline — decline leads to the PIN), then the camera only after acceptance, then what was kept.

Before the notice the station asks the core whether face may be offered at all: a minor the site
does not enroll, or no date of birth, goes to the PIN (R7); a recent decline is not asked again
unless the operator confirms the person asked (R6); a minor under the guardian policy needs the
guardian's name and relation beside the notice (R7)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import (
    MAX_PIN_DIGITS,
    MIN_PIN_DIGITS,
    EnrollStatus,
    FaceDecision,
    FaceEligibility,
    Guardian,
    RefusalCode,
    ServiceError,
)
from ui.desk import Desk
from ui.views.capture import CapturePanel
from ui.views.result_card import ResultCard, ResultKind, enroll_kind
from ui.views.steps import StepIndicator
from ui.views.texts import (
    enroll_result,
    face_decision_text,
    language_button_text,
    refusal_text,
)
from ui.views.widgets import EqualRow, action_button

DETAILS, NOTICE, CAMERA, SET_PIN, RESULT = range(5)
# The step indicator's step for each page: the camera and the PIN are the same step, two paths.
_STEP_OF_PAGE = {DETAILS: 0, NOTICE: 1, CAMERA: 2, SET_PIN: 2, RESULT: 3}
# Captures that stored nothing and may simply be tried again (or the PIN taken instead).
_CAPTURE_FAILED = frozenset(
    {
        EnrollStatus.NOT_LIVE,
        EnrollStatus.NOT_ENOUGH_GOOD_FRAMES,
        EnrollStatus.CAMERA_FAILED,
        EnrollStatus.CANCELLED,
    }
)


class EnrollView(QWidget):
    done = Signal()
    # For the person-facing screen (issue 12): the notice shown (language, exact text), and the
    # member's answer once recorded.
    notice_shown = Signal(str, str)
    consent_answered = Signal(bool)

    def __init__(self, desk: Desk, language: str = "en", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self.language = language
        self.pages = QStackedWidget()

        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Name"))
        self.member = QLineEdit()
        self.member.setAccessibleName(self.tr("Member number"))
        self.birth = QLineEdit()
        self.birth.setPlaceholderText("YYYY-MM-DD")
        self.birth.setAccessibleName(self.tr("Date of birth"))
        self.card = QLineEdit()
        self.card.setAccessibleName(self.tr("Membership card number (optional)"))
        self.details_error = QLabel()
        self.details_error.setWordWrap(True)
        self.on_request = QCheckBox(self.tr("The person asks to enroll their face now"))
        self.on_request.setAccessibleName(self.tr("The person asks to enroll their face now"))
        self.on_request.hide()  # offered only after a recent decline (R6)
        self.to_notice = action_button(self.tr("Continue"), "toNotice")
        details = QWidget()
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Member number"), self.member)
        form.addRow(self.tr("Date of birth"), self.birth)
        form.addRow(self.tr("Card number (optional)"), self.card)
        column = QVBoxLayout(details)
        column.addLayout(form)
        column.addWidget(self.details_error)
        column.addWidget(self.on_request)
        column.addStretch(1)
        column.addWidget(self.to_notice)

        self.notice = QTextBrowser()
        self.notice.setAccessibleName(self.tr("Face data notice"))
        self.switch_language = QPushButton()
        self.switch_language.setAccessibleName(self.tr("Show the notice in the other language"))
        self.accept = action_button(self.tr("I agree to face enrollment"), "acceptConsent")
        self.decline = action_button(self.tr("No face — use a PIN instead"), "declineConsent")
        self.guardian_name = QLineEdit()
        self.guardian_name.setAccessibleName(self.tr("Parent or guardian's name"))
        self.guardian_relation = QLineEdit()
        self.guardian_relation.setAccessibleName(self.tr("Relation to the child"))
        self.guardian = QWidget()
        guardian_form = QFormLayout(self.guardian)
        guardian_form.addRow(self.tr("Parent or guardian's name"), self.guardian_name)
        guardian_form.addRow(self.tr("Relation to the child"), self.guardian_relation)
        self.guardian.hide()
        self.consent_error = QLabel()
        self.consent_error.setWordWrap(True)
        self.consent_error.setAccessibleName(self.tr("Consent message"))
        notice = QWidget()
        column = QVBoxLayout(notice)
        column.addWidget(self.switch_language)
        column.addWidget(self.notice, 1)
        column.addWidget(self.guardian)
        column.addWidget(self.consent_error)
        column.addWidget(EqualRow(self.accept, self.decline))  # neither answer is the default (R1)

        self.capture = CapturePanel(desk)

        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("New PIN"))
        self.pin_again = QLineEdit()
        self.pin_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_again.setAccessibleName(self.tr("New PIN again"))
        self.pin_error = QLabel()
        self.pin_error.setWordWrap(True)
        # R5: the core's rule (station.policy.pin), told before the PIN is chosen.
        self.pin_rule = QLabel(
            self.tr(
                "Not one digit repeated (000000), not digits in a row (123456 or 654321), not "
                "the date of birth."
            )
        )
        self.pin_rule.setWordWrap(True)
        self.pin_reason = QLabel()
        self.pin_reason.setWordWrap(True)
        self.pin_reason.setAccessibleName(self.tr("Why no face enrollment"))
        self.save_pin = action_button(self.tr("Save PIN"), "savePin")
        pin_page = QWidget()
        form = QFormLayout()
        form.addRow(
            self.tr("New PIN ({0} to {1} digits)").format(MIN_PIN_DIGITS, MAX_PIN_DIGITS), self.pin
        )
        form.addRow(self.tr("New PIN again"), self.pin_again)
        column = QVBoxLayout(pin_page)
        column.addWidget(self.pin_reason)
        column.addLayout(form)
        column.addWidget(self.pin_rule)
        column.addWidget(self.pin_error)
        column.addStretch(1)
        column.addWidget(self.save_pin)

        self.finish = action_button(self.tr("Done"), "enrollDone")
        # After a capture that stored nothing (the liveness check not passed, R23, too few good
        # frames, a cancel): try again or take the PIN, side by side with equal weight (R5).
        self.retry = action_button(self.tr("Try again"), "enrollTryAgain")
        self.use_pin = action_button(self.tr("No face — use a PIN instead"), "enrollUsePin")
        self.result = ResultCard(self.retry, self.use_pin, self.finish)  # issue 12
        result_page = QWidget()
        column = QVBoxLayout(result_page)
        column.addWidget(self.result)
        column.addStretch(1)

        for page in (details, notice, self.capture, pin_page, result_page):
            self.pages.addWidget(page)
        # Issue 12: where the operator and the person are in the enrollment; the third step is
        # named once the answer to the notice picks the path (neither is assumed, R1).
        self.steps = StepIndicator(
            [self.tr("Details"), self.tr("Notice"), self.tr("Face or PIN"), self.tr("Done")]
        )
        self.steps.setAccessibleDescription(self.tr("Enrollment steps"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addSpacing(8)
        layout.addWidget(self.pages)
        self.pages.currentChanged.connect(self._follow_page)

        self.to_notice.clicked.connect(self._register)
        self.switch_language.clicked.connect(self._toggle_language)
        self.accept.clicked.connect(lambda: self._answer(True))
        self.decline.clicked.connect(lambda: self._answer(False))
        self.capture.start_requested.connect(self._enroll)
        self.save_pin.clicked.connect(self._save_pin)
        self.finish.clicked.connect(self.done)
        self.retry.clicked.connect(self._retry)
        self.use_pin.clicked.connect(lambda: self._to_pin())

    def begin(self, member_number: str) -> None:
        for field in (
            self.name,
            self.birth,
            self.card,
            self.pin,
            self.pin_again,
            self.guardian_name,
            self.guardian_relation,
        ):
            field.clear()
        self.member.setText(member_number)
        self.details_error.clear()
        self.on_request.setChecked(False)
        self.on_request.hide()
        self.pages.setCurrentIndex(DETAILS)
        self.steps.restart()
        self.name.setFocus()

    def _follow_page(self, page: int) -> None:
        path = {CAMERA: self.tr("Camera"), SET_PIN: self.tr("PIN")}.get(page)
        self.steps.show_step(_STEP_OF_PAGE[page], path)

    @asyncSlot()
    async def _register(self) -> None:
        station, operator = self._desk.station, self._desk.operator
        run = self._desk.executor.run
        member, name = self.member.text().strip(), self.name.text().strip()
        if not member or not name:
            self.details_error.setText(self.tr("A member number and a name are both needed."))
            return
        try:
            birth = (
                date.fromisoformat(self.birth.text().strip()) if self.birth.text().strip() else None
            )
        except ValueError:
            self.details_error.setText(self.tr("Write the date of birth as YYYY-MM-DD."))
            return
        card = self.card.text().strip() or None
        try:
            if await run(station.subjects.find, member) is None:
                await run(station.subjects.register, member, name, birth, operator, card)
            decision = await run(station.consents.decision, member)
        except ServiceError as refusal:  # a card or number taken meanwhile, a role refused
            self.details_error.setText(refusal_text(refusal))
            return
        eligibility = decision.eligibility
        if eligibility in (FaceEligibility.MINOR_BLOCKED, FaceEligibility.NEEDS_DATE_OF_BIRTH):
            self._to_pin(decision)  # R7: the alternative, never a dead end
            return
        if eligibility is FaceEligibility.DECLINED_RECENTLY and not self.on_request.isChecked():
            self.details_error.setText(face_decision_text(decision))  # R6: do not ask again
            self.on_request.show()
            return
        self.guardian.setVisible(eligibility is FaceEligibility.NEEDS_GUARDIAN)
        self.consent_error.setText(
            face_decision_text(decision) if self.guardian.isVisible() else ""
        )
        self._show_notice()
        self.pages.setCurrentIndex(NOTICE)
        self.notice.setFocus()

    def _to_pin(self, decision: FaceDecision | None = None) -> None:
        self.pin_reason.setText(face_decision_text(decision) if decision else "")
        self.pages.setCurrentIndex(SET_PIN)
        self.pin.setFocus()

    def _show_notice(self) -> None:
        self._notice = self._desk.station.notices.current(self.language)
        self.notice.setPlainText(self._notice.text)
        # Names the notice's other language in that language, e.g. "Notice: 中文".
        self.switch_language.setText(
            self.tr("Notice: {0}").format(language_button_text(self.language))
        )
        self.notice_shown.emit(self.language, self._notice.text)

    def _toggle_language(self) -> None:
        self.language = "en" if self.language == "zh_CN" else "zh_CN"
        self._show_notice()

    @asyncSlot()
    async def _answer(self, accepted: bool) -> None:
        consents, operator = self._desk.station.consents, self._desk.operator
        # Read on the GUI thread: the call below runs on the store thread, which must never
        # touch a widget (architecture example 4).
        member, notice = self.member.text().strip(), self._notice
        on_request = self.on_request.isChecked()
        guardian = (
            Guardian(self.guardian_name.text().strip(), self.guardian_relation.text().strip())
            if self.guardian.isVisible()
            else None
        )
        try:
            await self._desk.executor.run(
                lambda: consents.record(
                    member, accepted, notice, operator, guardian=guardian, on_request=on_request
                )
            )
        except ServiceError as refusal:
            # The core refused the acceptance (a guardian missing, a minor the site does not
            # enroll, a notice replaced meanwhile); say why in the core's terms.
            if refusal.code in (RefusalCode.FACE_NOT_ALLOWED, RefusalCode.DECLINED_RECENTLY):
                decision = await self._desk.executor.run(consents.decision, member)
                self.consent_error.setText(face_decision_text(decision))
            else:
                self.consent_error.setText(refusal_text(refusal))
            return
        self.consent_answered.emit(accepted)
        if accepted:
            self.pages.setCurrentIndex(CAMERA)
            self.capture.start.setFocus()
        else:
            self._to_pin()

    @asyncSlot()
    async def _enroll(self) -> None:
        station, operator = self._desk.station, self._desk.operator
        member = self.member.text().strip()
        outcome = await self.capture.run(
            lambda camera, task: station.enrollment.enroll(member, camera, operator, task)
        )
        needed = station.settings.capture.enroll_frames
        self._show_result(
            enroll_kind(outcome.status),
            enroll_result(outcome, member, needed),
            retry=outcome.status in _CAPTURE_FAILED,
        )

    def _show_result(self, kind: ResultKind, message: str, *, retry: bool) -> None:
        self.retry.setVisible(retry)
        self.use_pin.setVisible(retry)
        self.pages.setCurrentIndex(RESULT)
        self.result.show_result(kind, message)  # the first action takes the focus (R8)

    def _retry(self) -> None:
        """Back to the camera step: the consent just given still holds (R1)."""
        self.pages.setCurrentIndex(CAMERA)
        self.capture.start.setFocus()

    @asyncSlot()
    async def _save_pin(self) -> None:
        if self.pin.text() != self.pin_again.text():
            self.pin_error.setText(self.tr("The two PINs differ."))
            return
        station, operator = self._desk.station, self._desk.operator
        try:
            await self._desk.executor.run(
                station.subjects.set_pin, self.member.text().strip(), self.pin.text(), operator
            )
        except ServiceError as refusal:  # a PIN the rules refuse (R5), with the reason
            self.pin_error.setText(refusal_text(refusal))
            return
        finally:
            self.pin.clear()
            self.pin_again.clear()
        self._show_result(
            ResultKind.OK,
            self.tr("PIN saved. No face data was captured or stored."),
            retry=False,
        )
