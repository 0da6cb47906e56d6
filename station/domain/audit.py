"""The audit trail's vocabulary (R12): every kind of event the core writes, the events themselves,
and what a verification of the hash chain found. The window labels each kind in both languages; a
test fails when a kind has no label."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


class AuditKind(enum.StrEnum):
    """What happened. Stored as the value; a kind is never renamed, or old trails lose their label."""

    # people and their consent (R1, R3, R4, R6, R7)
    SUBJECT_REGISTERED = "subject_registered"
    FACE_CONSENT_ACCEPTED = "face_consent_accepted"
    FACE_CONSENT_DECLINED = "face_consent_declined"
    FACE_CONSENT_WITHDRAWN = "face_consent_withdrawn"
    FACE_DATA_DELETED = "face_data_deleted"
    # enrollment and verification (R5, R10, R21, R24)
    FACE_ENROLLED = "face_enrolled"
    FACE_ENROLL_FAILED = "face_enroll_failed"
    PIN_SET = "pin_set"
    VERIFY_FACE = "verify_face"
    VERIFY_PIN = "verify_pin"
    VERIFY_DOCUMENT = "verify_document"
    FACE_DISABLED = "face_disabled"
    FACE_REENABLED = "face_reenabled"
    PIN_DISABLED = "pin_disabled"
    PIN_REENABLED = "pin_reenabled"
    # the station (R2, R3, R12, R14, R17)
    NOTICE_PUBLISHED = "notice_published"
    SETTINGS_CHANGED = "settings_changed"
    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    ACCESS_DENIED = "access_denied"
    TEMPLATE_EXPIRED = "template_expired"
    RECORDS_PRUNED = "records_pruned"
    AUDIT_VERIFIED = "audit_verified"
    REPORT_GENERATED = "report_generated"
    # operator accounts and keys (R12)
    OPERATOR_ADDED = "operator_added"
    OPERATOR_REMOVED = "operator_removed"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    RECOVERY_KEY_REPLACED = "recovery_key_replaced"
    STORE_BACKED_UP = "store_backed_up"
    STORE_RESTORED = "store_restored"
    # passing data on, incidents (R16, R19)
    TRANSFER_CONSENT_RECORDED = "transfer_consent_recorded"
    TRANSFER_CONSENT_WITHDRAWN = "transfer_consent_withdrawn"
    FACE_DATA_EXPORTED = "face_data_exported"
    INCIDENT_RECORDED = "incident_recorded"
    INCIDENT_NOTICES_PRODUCED = "incident_notices_produced"


SYSTEM_OPERATOR = "system"  # what the audit trail names for work nobody started by hand
# A failed sign-in with a name no account has: the text typed is never kept (it may be a password).
UNKNOWN_NAME = "an unknown name"

# A changed key file takes effect together with one of these events (services.accounts).
KEY_CHANGES = frozenset(
    {AuditKind.PASSWORD_CHANGED, AuditKind.PASSWORD_RESET, AuditKind.RECOVERY_KEY_REPLACED}
)


@dataclass(frozen=True)
class AuditEvent:
    """An append-only, hash-chained record of something the station did (R12). No biometric bytes.

    `kind` is the stored text: an AuditKind's value for everything this version writes."""

    seq: int
    at: datetime
    kind: str
    subject_id: str | None
    operator: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


class AuditProblemKind(enum.StrEnum):
    """How the chain was found broken; the window names each."""

    EDITED = "edited"
    MISSING = "missing"
    BROKEN_LINK = "broken_link"
    OUT_OF_ORDER = "out_of_order"
    TRUNCATED = "truncated"


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    kind: AuditProblemKind
    message: str


@dataclass(frozen=True)
class AuditVerification:
    """What `audit verify` found: the store file's integrity first, then the hash chain. A damaged
    store is never called intact: its chain is not read (pages that fail their check prove
    nothing), and `store_damage` holds SQLCipher's and SQLite's findings, in their words."""

    events_checked: int
    first_seq: int | None
    last_seq: int | None
    problems: list[AuditProblem] = field(default_factory=list)
    store_damage: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.store_damage

    @property
    def summary(self) -> str:
        if self.store_damage:
            return (
                f"The store file is damaged ({len(self.store_damage)} finding(s) of its integrity "
                f"check, the first: {self.store_damage[0]}), so the audit trail was not checked "
                "and cannot be called intact. Nothing more was changed. Restore the store from a "
                "backup: face-station restore FILE --replace."
            )
        if self.ok:
            if not self.events_checked:
                return "The audit trail is empty and intact."
            return (
                f"The audit trail is intact: {self.events_checked} events "
                f"({self.first_seq}–{self.last_seq}), none edited, deleted or reordered."
            )
        first = self.problems[0]
        return (
            f"The audit trail has been tampered with: {len(self.problems)} problem(s), the first "
            f"at event {first.seq}: {first.message}"
        )
