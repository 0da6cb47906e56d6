"""The people the station knows: register, find, search, what is held about them, their PIN (R5),
and the two ways their face data goes: withdrawal of consent (R4) and deletion (R14)."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from argon2 import PasswordHasher

from station.domain import (
    MAX_PIN_DIGITS,
    MIN_PIN_DIGITS,
    AuditKind,
    DeletionOutcome,
    Permission,
    RefusalCode,
    ServiceError,
    Subject,
    SubjectRecord,
)
from station.domain.text import TextField
from station.policy.identifiers import check_birth_date, clean_text, identifier, lookup_key
from station.policy.pin import pin_refusal
from station.services.reenrollment import template_models
from station.storage.consents import WITHDRAWAL
from station.storage.subjects import NumberColumn

if TYPE_CHECKING:
    from station.services.station import Station

_TRIVIAL_PIN = {
    RefusalCode.PIN_REPEATED: "A PIN of one digit repeated (like 000000) is too easy to guess: "
    "choose another.",
    RefusalCode.PIN_SEQUENCE: "A PIN of digits in a row (like 123456 or 654321) is too easy to "
    "guess: choose another.",
    RefusalCode.PIN_BIRTH_DATE: "A PIN must not be the member's date of birth, which others may "
    "know: choose another.",
}


class Subjects:
    def __init__(self, station: Station) -> None:
        self._station = station
        self.pins = PasswordHasher()  # Argon2id

    def register(
        self,
        member_number: str,
        display_name: str,
        date_of_birth: date | None,
        operator: str,
        card_number: str | None = None,
    ) -> Subject:
        station = self._station
        station.authorize(Permission.DESK)
        # Issue 16: one kept form per number, so look-alikes (fullwidth, U+2011, lower case) are the same member.
        member_number = identifier(member_number, TextField.MEMBER_NUMBER)
        display_name = clean_text(display_name, TextField.NAME)
        card_number = identifier(card_number or "", TextField.CARD_NUMBER) or None
        if not member_number or not display_name:
            raise ServiceError(
                RefusalCode.DETAILS_MISSING, "A member number and a name are both needed."
            )
        check_birth_date(date_of_birth, station.clock.now().astimezone().date())  # local day
        if self._matches(member_number, "member_number"):
            raise ServiceError(
                RefusalCode.MEMBER_EXISTS,
                f"Member number {member_number} is already registered.",
                member=member_number,
            )
        if card_number is not None and self._matches(card_number, "card_number"):
            raise ServiceError(
                RefusalCode.CARD_TAKEN,
                f"Card {card_number} already belongs to another member.",
                card=card_number,
            )
        now = station.clock.now()
        with station.store.transaction():
            subject = station.repos.subjects.add(
                member_number, display_name, date_of_birth, now, card_number
            )
            station.repos.audit.append(AuditKind.SUBJECT_REGISTERED, operator, now, subject.id)
        return subject

    def find(self, member_number: str) -> Subject | None:
        """The member a typed or stored number names, however it was typed (issue 16)."""
        return _only(self._matches(member_number, "member_number"))

    def find_by_card(self, card_number: str) -> Subject | None:
        return _only(self._matches(card_number, "card_number"))

    def _matches(self, number: str, column: NumberColumn) -> list[Subject]:
        """The row holding the number exactly as given (so a number kept before issue 16 is still
        reached by what the station itself shows), else the row holding its normal form, else the
        old rows whose number normalises to the same: several of those are ambiguous."""
        repo = self._station.repos.subjects
        exact = repo.by_member_number if column == "member_number" else repo.by_card
        key = lookup_key(number)
        for candidate in (number.strip(), key):
            found = exact(candidate) if candidate else None
            if found is not None:
                return [found]
        if key is None:  # not a number under the rules: only its stored text could match
            return []
        return [s for s in repo.irregular_numbers(column) if lookup_key(_number(s, column)) == key]

    def require(self, member_number: str) -> Subject:
        """The member, or the refusal every service gives for an unknown member number."""
        subject = self.find(member_number)
        if subject is None:
            raise ServiceError(
                RefusalCode.NO_SUCH_MEMBER, f"No member {member_number}.", member=member_number
            )
        return subject

    def search(self, text: str, limit: int = 20) -> list[Subject]:
        """The member the text names as a number first, then names containing the text."""
        self._station.authorize(Permission.DESK)
        text = unicodedata.normalize("NFC", text).strip()  # names are kept in NFC (issue 16)
        if not text:
            return []
        exact = self.find(text)
        named = self._station.repos.subjects.search(text, limit)
        return list({s.id: s for s in ([exact] if exact else []) + named}.values())[:limit]

    def record(self, subject_id: str) -> SubjectRecord:
        """What the station holds about one person — what they may ask to see."""
        station = self._station
        station.authorize(Permission.DESK)
        repos = station.repos
        subject = repos.subjects.by_id(subject_id)
        if subject is None:
            raise ServiceError(RefusalCode.NO_SUCH_MEMBER, "No such member.", member="")
        template = repos.templates.for_subject(subject_id)
        return SubjectRecord(
            subject=subject,
            has_template=template is not None,
            template_created=template.created_at if template else None,
            template_expires=template.expires_at if template else None,
            template_models=template_models(template.model_fingerprint) if template else None,
            consent=repos.consents.latest_face_consent(subject_id),
            has_pin=repos.subjects.pin_hash(subject_id) is not None,
            recent_events=repos.audit.events(subject_id)[-10:],
            audit_head=repos.audit.head(),
        )

    # the non-face path (R5): works without a camera or models
    def set_pin(self, member_number: str, pin: str, operator: str) -> None:
        """Refused, before anything is stored, for a PIN too short or too easy to guess (R5,
        station.policy.pin); the refusal names the reason, never the PIN."""
        station = self._station
        station.authorize(Permission.DESK)
        subject = self.require(member_number)
        refusal = pin_refusal(pin, subject.date_of_birth)
        if refusal is RefusalCode.PIN_FORMAT:
            raise ServiceError(
                refusal,
                f"A PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits.",
                minimum=MIN_PIN_DIGITS,
                maximum=MAX_PIN_DIGITS,
            )
        if refusal is not None:
            raise ServiceError(refusal, _TRIVIAL_PIN[refusal])
        now = station.clock.now()
        with station.store.transaction():
            station.repos.subjects.set_pin_hash(subject.id, self.pins.hash(pin), now)
            station.repos.audit.append(AuditKind.PIN_SET, operator, now, subject.id)

    # face data going (R4, R14)
    def delete_face_data(self, member_number: str, operator: str) -> DeletionOutcome:
        station = self._station
        station.authorize(Permission.DESK)
        subject = self.require(member_number)
        now = station.clock.now()
        with station.store.transaction():
            destroyed = station.repos.templates.destroy(subject.id)
            station.templates_changed()
            event = station.repos.audit.append(
                AuditKind.FACE_DATA_DELETED,
                operator,
                now,
                subject.id,
                {"templates_destroyed": destroyed},
            )
        return DeletionOutcome(subject.id, destroyed, event)

    def withdraw_face_consent(self, member_number: str, operator: str) -> DeletionOutcome:
        """R4: as easy as enrolling — one call records the withdrawal and destroys the template in
        the same transaction; the PIN and document paths keep working."""
        station = self._station
        station.authorize(Permission.DESK)
        subject = self.require(member_number)
        repos = station.repos
        now = station.clock.now()
        with station.store.transaction():
            latest = repos.consents.latest_face_consent(subject.id)
            repos.consents.add(
                subject.id,
                False,
                latest.notice_version if latest else station.notice.label,
                latest.notice_sha256 if latest else "",
                WITHDRAWAL,
                operator,
                now,
            )
            destroyed = repos.templates.destroy(subject.id)
            station.templates_changed()
            event = repos.audit.append(
                AuditKind.FACE_CONSENT_WITHDRAWN,
                operator,
                now,
                subject.id,
                {"templates_destroyed": destroyed},
            )
        return DeletionOutcome(subject.id, destroyed, event)


def _only(matches: list[Subject]) -> Subject | None:
    # Two old members whose numbers now read the same: neither is guessed; a name search and
    # the number the station shows for each still reach them.
    return matches[0] if len(matches) == 1 else None


def _number(subject: Subject, column: NumberColumn) -> str:
    return subject.member_number if column == "member_number" else subject.card_number or ""
