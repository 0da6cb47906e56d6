"""Subject page: what the station holds about a person, withdrawal as prominent as enrollment (R4),
face or PIN re-enabled by an administrator after too many failures (R24, R5), a receipt they
can take away, and erasing the member at the end of service (issue 15)."""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget
from qasync import asyncSlot

from station.domain import (
    AttemptCheck,
    AttemptFactor,
    AttemptVerdict,
    AuditEvent,
    AuditHead,
    AuditKind,
    Permission,
    ServiceError,
    SubjectRecord,
    TemplateModels,
)
from station.domain.text import visible
from ui.desk import Desk
from ui.views.erasure import ErasureFlow
from ui.views.receipts import PrinterChoice, ask_printer, audit_record_html, print_html
from ui.views.texts import event_label, refusal_text
from ui.views.widgets import EqualRow, action_button


class SubjectView(QWidget):
    done = Signal()
    enroll_requested = Signal(str)

    def __init__(
        self,
        desk: Desk,
        parent: QWidget | None = None,
        choose_printer: PrinterChoice = ask_printer,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._choose_printer = choose_printer
        self.record: SubjectRecord | None = None
        # R24: failed attempts for this person, by factor; empty until the page has loaded.
        self.attempts: dict[AttemptFactor, AttemptCheck] = {}
        self.details = QTextBrowser()
        self.details.setAccessibleName(self.tr("What the station holds about this person"))
        self.message = QLabel()
        self.message.setAccessibleName(self.tr("Subject page message"))
        self.message.setWordWrap(True)
        self.enroll = action_button(self.tr("Enroll face"), "subjectEnroll")
        self.withdraw = action_button(
            self.tr("Withdraw consent and delete face data"), "withdrawConsent"
        )
        # R24, R5: each shown to an administrator when too many failures switched it off.
        self.reenable = {
            AttemptFactor.FACE: action_button(
                self.tr("Re-enable face verification"), "reenableFace"
            ),
            AttemptFactor.PIN: action_button(self.tr("Re-enable PIN verification"), "reenablePin"),
        }
        # Issue 15: the end of service; the page asks first (self.erasure), never erases at once.
        self.erase = action_button(self.tr("Erase member (end of service)"), "eraseMember")
        self.receipt = action_button(self.tr("Print receipt"), "printReceipt")
        self.finish = action_button(self.tr("Done"), "subjectDone")
        # Withdrawal and erasure as prominent as enrollment (R4).
        actions = EqualRow(self.enroll, self.withdraw, self.erase)
        # The actions make way for the erasure question while it is asked.
        self.action_rows = QWidget()
        column = QVBoxLayout(self.action_rows)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(actions)
        for factor, button in self.reenable.items():
            button.hide()
            column.addWidget(button)
            button.clicked.connect(lambda _checked=False, factor=factor: self._reenable(factor))
        column.addWidget(EqualRow(self.receipt, self.finish))
        # What the station holds and the actions on it: replaced by the receipt once erased.
        self.page = QWidget()
        page = QVBoxLayout(self.page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.details, 1)
        page.addWidget(self.message)
        page.addWidget(self.action_rows)
        self.erasure = ErasureFlow(desk, choose_printer=choose_printer)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page, 1)
        layout.addWidget(self.erasure)
        self.erase.setVisible(desk.station.allows(Permission.DESK))  # the service checks too
        self.enroll.clicked.connect(self._enroll)
        self.withdraw.clicked.connect(self._withdraw)
        self.erase.clicked.connect(self._ask_erasure)
        self.receipt.clicked.connect(self._print)
        self.finish.clicked.connect(self.done)
        self.erasure.kept.connect(self._erasure_kept)
        self.erasure.erased.connect(self._erased)
        self.erasure.finished.connect(self.done)

    @asyncSlot(str)
    async def show_subject(self, subject_id: str) -> None:
        self.record = None  # the last person's page must not act until this one has loaded
        self.message.clear()
        self.erasure.hide()
        self.action_rows.show()
        self.page.show()
        await self._refresh(subject_id)
        self.details.setFocus()

    async def _refresh(self, subject_id: str) -> None:
        station = self._desk.station
        self.record = await self._desk.executor.run(station.subjects.record, subject_id)
        self.attempts = await self._desk.executor.run(
            station.attempts.states, self.record.subject.member_number
        )
        self.details.setHtml(self.receipt_html())
        # Someone with face data is enrolled again (a new template replaces the old, R15).
        self.enroll.setText(
            self.tr("Enroll again") if self.record.has_template else self.tr("Enroll face")
        )
        self.enroll.setAccessibleName(self.enroll.text())
        self.withdraw.setEnabled(self.record.has_template or self._consented())
        administrator = station.allows(Permission.ADMINISTER)
        for factor, button in self.reenable.items():
            disabled = self.attempts[factor].verdict is AttemptVerdict.DISABLED
            button.setVisible(disabled and administrator)

    def _consented(self) -> bool:
        return bool(self.record and self.record.consent and self.record.consent.accepted)

    def _event_text(self, event: AuditEvent) -> str:
        """An event as the page and the receipt list it; a withdrawal says what it destroyed (R4)."""
        label = event_label(event.kind)
        destroyed = event.detail.get("templates_destroyed")
        if event.kind == AuditKind.FACE_CONSENT_WITHDRAWN and isinstance(destroyed, int):
            return self.tr("{0}: {1} face template(s) destroyed").format(label, destroyed)
        return label

    def receipt_html(self) -> str:
        """The page and the printed receipt say the same thing: fields, face data, consent, events."""
        record = self.record
        if record is None:
            return ""
        subject = record.subject
        # Stored before issue 16, a name may hold controls or a bidi override: written out.
        name = html.escape(visible(subject.display_name))
        member = html.escape(visible(subject.member_number))
        born = subject.date_of_birth.isoformat() if subject.date_of_birth else self.tr("not given")
        if record.has_template and record.template_expires is not None:
            face = self.tr("One face template (no image), kept until {0}.").format(
                record.template_expires.astimezone().date().isoformat()
            )
        else:
            face = self.tr("No face data is held.")
        consent = record.consent
        if consent is None:
            consent_text = self.tr("No face-data consent recorded.")
        else:
            sentence = (
                self.tr("Face-data consent accepted on {0} (notice {1}, recorded by {2}).")
                if consent.accepted
                else self.tr(
                    "Face-data consent declined or withdrawn on {0} (notice {1}, recorded by {2})."
                )
            )
            # Times are stored in UTC and shown in the station's local time.
            consent_text = sentence.format(
                consent.recorded_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                consent.notice_version,
                html.escape(visible(consent.operator)),
            )
        events = "".join(
            f"<li>{e.at.astimezone().strftime('%Y-%m-%d %H:%M')} — {html.escape(self._event_text(e))}</li>"
            for e in reversed(record.recent_events)
        )
        born_line = self.tr("Date of birth: {0}").format(born)
        other_way = self.tr("PIN set") if record.has_pin else self.tr("no PIN; ID document check")
        other_line = self.tr("Other way to verify: {0}").format(other_way)
        recent = self.tr("Recent events")
        return (
            f"<h2>{name} ({member})</h2>"
            f"<p>{born_line}</p>"
            f"<p>{face}</p>{self._models_html(record.template_models)}<p>{consent_text}</p>"
            f"{self._attempts_html()}"
            f"<p>{other_line}</p>"
            f"<h3>{recent}</h3><ul>{events}</ul>"
            f"{self._audit_head_html(record.audit_head)}"
        )

    def _audit_head_html(self, head: AuditHead | None) -> str:
        """Issue 14: the trail's head when the page was read, so the printed receipt is an anchor
        an auditor can later verify the trail against."""
        return audit_record_html(head) if head is not None else ""

    def _models_html(self, models: TemplateModels | None) -> str:
        """R15: a template of older models still works until the person is enrolled again; one of
        models the station does not have cannot be used. Nothing to say of a current one."""
        if models is TemplateModels.OLDER:
            text = self.tr(
                "This face template was made by older face models. It still works; enrolling "
                "again, under the consent already given, moves it to the current models."
            )
        elif models is TemplateModels.UNKNOWN:
            text = self.tr(
                "This face template was made by face models this station does not have, so it "
                "cannot be used: enroll again, or verify another way."
            )
        else:
            return ""
        return f"<p>{text}</p>"

    def _attempts_html(self) -> str:
        """R24, R5: failed face attempts and wrong PINs are data held about the person too; nothing
        for a factor with none."""
        paragraphs = []
        for factor, attempts in self.attempts.items():
            state = attempts.state
            if state.is_clean:
                continue
            switched_off, counting, _reenabled = self._factor_texts(factor)
            if attempts.verdict is AttemptVerdict.DISABLED:
                since = state.disabled_at or state.last_failure_at
                text = switched_off.format(
                    state.consecutive_failures,
                    since.astimezone().strftime("%Y-%m-%d %H:%M") if since else "—",
                )
            else:
                text = counting.format(state.consecutive_failures)
            paragraphs.append(f"<p>{text}</p>")
        return "".join(paragraphs)

    def _factor_texts(self, factor: AttemptFactor) -> tuple[str, str, str]:
        """(switched off, counting, re-enabled) for one factor, in the window's language."""
        if factor is AttemptFactor.PIN:
            return (
                self.tr(
                    "PIN verification is off after {0} wrong PINs in a row (since {1}) until an "
                    "administrator re-enables it; the identity document check works."
                ),
                self.tr("{0} wrong PIN(s) in a row; the count starts again at the next success."),
                self.tr("PIN verification re-enabled; the wrong PINs count starts from zero."),
            )
        return (
            self.tr(
                "Face verification is off after {0} failed attempts in a row (since {1}) until an "
                "administrator re-enables it; the other ways to verify work."
            ),
            self.tr(
                "{0} failed face attempt(s) in a row; the count starts again at the next success."
            ),
            self.tr("Face verification re-enabled; the failed attempts count starts from zero."),
        )

    @asyncSlot()
    async def _reenable(self, factor: AttemptFactor) -> None:
        if self.record is None:
            return
        attempts = self._desk.station.attempts
        try:
            await self._desk.executor.run(
                attempts.reenable,
                self.record.subject.member_number,
                [factor],
                self._desk.operator,
            )
        except ServiceError as refusal:  # the service checks the role again
            self.message.setText(refusal_text(refusal))
            return
        await self._refresh(self.record.subject.id)
        self.message.setText(self._factor_texts(factor)[2])

    def _enroll(self) -> None:
        if self.record is not None:
            self.enroll_requested.emit(self.record.subject.member_number)

    @asyncSlot()
    async def _withdraw(self) -> None:
        if self.record is None:
            return
        station, operator = self._desk.station, self._desk.operator
        outcome = await self._desk.executor.run(
            station.subjects.withdraw_face_consent, self.record.subject.member_number, operator
        )
        await self._refresh(outcome.subject_id)
        self.message.setText(
            self.tr(
                "Consent withdrawn; {0} face template(s) destroyed. Print the receipt for the person."
            ).format(outcome.templates_destroyed)
        )

    def _ask_erasure(self) -> None:
        if self.record is None:
            return
        subject = self.record.subject
        self.action_rows.hide()  # one question at a time; "Keep the member" brings them back
        self.erasure.ask(subject.member_number, subject.display_name)

    def _erasure_kept(self) -> None:
        self.erasure.hide()
        self.action_rows.show()
        self.erase.setFocus()

    def _erased(self, _receipt: object) -> None:
        """The member is gone: nothing of the page may act on them; the receipt takes its place."""
        self.record, self.attempts = None, {}
        self.details.clear()
        self.page.hide()

    def _print(self) -> None:
        print_html(self, self.receipt_html(), self._choose_printer)
