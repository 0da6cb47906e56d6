"""The audit trail's vocabulary (R12): every kind of event the core writes, the events themselves,
and what a verification of the hash chain found. The window labels each kind in both languages; a
test fails when a kind has no label."""

from __future__ import annotations

import enum
import hashlib
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
    # end of service (issue 15): the person's record is gone; the event names only a reference
    MEMBER_ERASED = "member_erased"
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

    @property
    def head(self) -> AuditHead:
        """This event as the trail's head: the anchor of whatever it records (issue 14)."""
        return AuditHead(self.seq, self.hash)


class AuditProblemKind(enum.StrEnum):
    """How the chain was found broken; the window names each."""

    EDITED = "edited"
    MISSING = "missing"
    BROKEN_LINK = "broken_link"
    OUT_OF_ORDER = "out_of_order"
    TRUNCATED = "truncated"
    # keyed links (issue 14): checked only with the recovery key
    FORGED = "forged"  # the chain is consistent but its keyed link is not: rewritten by an insider
    UNLINKED = "unlinked"  # an event written after links began carries none


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    kind: AuditProblemKind
    message: str


@dataclass(frozen=True)
class LinkCheck:
    """What the recovery key found of the keyed links (issue 14)."""

    checked: int  # events whose keyed link verified under this recovery key
    other_key: int  # events linked under another (earlier) recovery key: not checked with this one
    before_links: int  # events written before keyed links began (a store set up before them)
    restores: tuple[int, ...]  # events where a restore started a new, sealed key


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
    anchors: list[AnchorCheck] = field(default_factory=list)  # checked against heads given
    links: LinkCheck | None = None  # checked with the recovery key

    @property
    def ok(self) -> bool:
        return (
            not self.problems
            and not self.store_damage
            and not any(a.verdict in BROKEN_ANCHORS for a in self.anchors)
        )

    @property
    def rewritten_between(self) -> tuple[int, int] | None:
        """(first, last) events among which a rewrite must lie, from the anchors: after the newest
        anchor still held below the oldest one rewritten, up to that one."""
        rewritten = [a.anchor.seq for a in self.anchors if a.verdict is AnchorVerdict.REWRITTEN]
        if not rewritten:
            return None
        last = min(rewritten)
        held = [a.anchor.seq for a in self.anchors if a.ok and a.anchor.seq < last]
        return (max(held) + 1 if held else 1), last

    @property
    def summary(self) -> str:
        if self.store_damage:
            return (
                f"The store file is damaged ({len(self.store_damage)} finding(s) of its integrity "
                f"check, the first: {self.store_damage[0]}), so the audit trail was not checked "
                "and cannot be called intact. Nothing more was changed. Restore the store from a "
                "backup: face-station restore FILE --replace."
            )
        if self.problems:
            first = self.problems[0]
            return (
                f"The audit trail has been tampered with: {len(self.problems)} problem(s), the "
                f"first at event {first.seq}: {first.message}"
            )
        broken = [a for a in self.anchors if a.verdict in BROKEN_ANCHORS]
        if broken:
            text = (
                f"The audit trail was rewritten after an anchor was issued: {len(broken)} of "
                f"{len(self.anchors)} anchor(s) no longer hold, the first: {broken[0].message}"
            )
            between = self.rewritten_between
            if between is not None:
                text += f" The rewrite lies among events {between[0]}–{between[1]}."
            return text
        if not self.events_checked:
            return "The audit trail is empty and intact."
        text = (
            f"The audit trail's hash chain is intact: {self.events_checked} events "
            f"({self.first_seq}–{self.last_seq}), none edited, deleted or reordered."
        )
        if self.anchors:
            held = sum(a.ok for a in self.anchors)
            text += f" It still holds {held} of {len(self.anchors)} anchor(s) given"
            pruned = len(self.anchors) - held
            text += f" ({pruned} removed under retention, not checkable)." if pruned else "."
        if self.links is not None:
            text += f" Keyed links verified with the recovery key: {self.links.checked} events."
        if not self.anchors and self.links is None:
            text += (
                " On its own this cannot rule out someone who opened the store and recomputed "
                "the chain: check it against a head printed on a report, receipt or backup "
                "(--against), or with the recovery key (--recovery-key)."
            )
        return text


# Anchors (issue 14): the head of the trail as it leaves the station, on paper or in a file.
_CODE_HEX = 16  # 64 bits of the event's hash: no insider can search for a rewrite that keeps them
_CHECK_HEX = 2  # a typo on paper is named as a typo, not as tampering


class AnchorCodeError(ValueError):
    """Text that is not an audit head code, or one mistyped (its check digits disagree)."""


class MistypedCodeError(AnchorCodeError):
    """A code of the right shape whose check digits disagree: a typing mistake, which the window
    names as such (it says nothing about the trail)."""


@dataclass(frozen=True)
class AuditHead:
    """The newest event of the trail at some moment: its number and hash. Written on everything
    that leaves the station (reports, receipts, backups, exports, notices), so the trail can later
    be proved to still contain it, unchanged."""

    seq: int
    hash: str

    @property
    def code(self) -> str:
        """Short enough to note by hand: `1204-3F9A-27C1-0BD4-E812-7C` (number, 64 bits of the
        hash, two check digits)."""
        part = self.hash[:_CODE_HEX].upper()
        groups = "-".join(part[i : i + 4] for i in range(0, _CODE_HEX, 4))
        return f"{self.seq}-{groups}-{_check_digits(self.seq, part)}"

    @property
    def field(self) -> str:
        """The head as files carry it, in full (`SEQ:HASH`): what `audit verify --against FILE`
        looks for, and what parse_head_code reads back."""
        return f"{self.seq}:{self.hash}"

    def matches(self, digest: str) -> bool:
        """Whether an event's full hash is this head's (a code keeps only the hash's start)."""
        return digest.lower().startswith(self.hash.lower())


def _check_digits(seq: int, hex_part: str) -> str:
    return hashlib.sha256(f"{seq}:{hex_part.upper()}".encode()).hexdigest()[:_CHECK_HEX].upper()


def parse_head_code(text: str) -> AuditHead:
    """An AuditHead from a code as printed (`1204-3F9A-27C1-0BD4-E812-7C`), however spaced or
    cased, or from `SEQ:FULLHASH` as files carry it."""
    cleaned = text.strip().replace(" ", "-").replace("·", "-")
    if ":" in cleaned:
        seq_text, _, digest = cleaned.partition(":")
        digest = digest.strip("-").lower()
        if seq_text.isdigit() and len(digest) == 64 and _is_hex(digest):
            return AuditHead(int(seq_text), digest)
        raise AnchorCodeError(f"{text!r} is not an audit head (number:hash).")
    parts = [part for part in cleaned.split("-") if part]
    if len(parts) < 2 or not parts[0].isdigit():
        raise AnchorCodeError(
            f"{text!r} is not an audit head code: it looks like 1204-3F9A-27C1-0BD4-E812-7C."
        )
    seq, letters = int(parts[0]), "".join(parts[1:]).upper()
    if len(letters) != _CODE_HEX + _CHECK_HEX or not _is_hex(letters):
        raise AnchorCodeError(
            f"{text!r} is not an audit head code: after the event number it has "
            f"{_CODE_HEX + _CHECK_HEX} digits 0–9 and letters A–F."
        )
    hex_part, check = letters[:_CODE_HEX], letters[_CODE_HEX:]
    if _check_digits(seq, hex_part) != check:
        raise MistypedCodeError(
            f"The code {text!r} is mistyped (its last two characters do not match the rest). "
            "Compare it with the paper again."
        )
    return AuditHead(seq, hex_part.lower())


def _is_hex(text: str) -> bool:
    return all(ch in "0123456789abcdefABCDEF" for ch in text)


class AnchorVerdict(enum.StrEnum):
    """What the trail says of one anchor."""

    HELD = "held"  # the anchored event is in the trail with the anchored hash
    REWRITTEN = "rewritten"  # the event is there with another hash: it or one before was changed
    TRUNCATED = "truncated"  # the trail no longer reaches the anchored event
    PRUNED = "pruned"  # the event was removed under retention (R17): cannot be checked any more


@dataclass(frozen=True)
class AnchorCheck:
    anchor: AuditHead
    source: str  # where the anchor came from: a code typed, or a file's name
    verdict: AnchorVerdict
    message: str

    @property
    def ok(self) -> bool:
        return self.verdict is AnchorVerdict.HELD


BROKEN_ANCHORS = frozenset({AnchorVerdict.REWRITTEN, AnchorVerdict.TRUNCATED})
