"""Domain values. The schema and these types carry identity only: no trait fields exist (R9)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import numpy.typing as npt

from station.domain.audit import AuditEvent, AuditHead

Vector = npt.NDArray[np.float32]


class QualityIssue(enum.Enum):
    """Why a frame was not used (R26); `hint` is what the person in front of the camera is told."""

    NO_FACE = "no_face"
    MULTIPLE_FACES = "multiple_faces"
    TOO_SMALL = "too_small"
    TOO_CLOSE_TO_EDGE = "too_close_to_edge"
    NOT_FRONTAL = "not_frontal"
    BLURRED = "blurred"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    INVALID_FRAME = "invalid_frame"

    @property
    def hint(self) -> str:
        return _HINTS[self]


_HINTS = {
    QualityIssue.NO_FACE: "No face seen: please look at the camera.",
    QualityIssue.MULTIPLE_FACES: "Only one person in front of the camera, please.",
    QualityIssue.TOO_SMALL: "Please move closer to the camera.",
    QualityIssue.TOO_CLOSE_TO_EDGE: "Please move to the centre of the picture.",
    QualityIssue.NOT_FRONTAL: "Please face the camera directly.",
    QualityIssue.BLURRED: "Please hold still for a moment.",
    QualityIssue.TOO_DARK: "More light is needed.",
    QualityIssue.TOO_BRIGHT: "Too much light: please step out of direct light.",
    QualityIssue.INVALID_FRAME: "The camera sent an unusable picture.",
}


class Role(enum.Enum):
    """What an operator account may do (R12); the services check it, not only the window."""

    OPERATOR = "operator"  # enroll, verify, the subject page
    ADMINISTRATOR = "administrator"  # everything, plus settings, operators, exports, incidents
    AUDITOR = "auditor"  # reads the audit trail and the reports, changes nothing


class Permission(enum.Enum):
    """What a role is granted (station.policy.roles); each service asks before it acts."""

    DESK = "desk"  # register, consent, enroll, verify, PIN, the subject page, withdrawal
    ADMINISTER = "administer"  # settings, notice, operators, exports, incidents, decommission
    READ_AUDIT = "read_audit"  # the audit trail and its verification
    READ_REPORTS = "read_reports"  # processing record, filing status, incident register


MIN_PASSWORD_LENGTH = 8  # an operator's password (R12); the window checks it before asking
# A member's PIN (R5, station.policy.pin). Six digits, as NIST SP 800-63B-4 asks of numeric
# secrets: with the PIN attempt limit (100, station.policy.attempts) a guesser's chance is 1 in
# 10,000, where four digits would give 1 in 100; twelve is the most anyone keys in at a desk.
MIN_PIN_DIGITS = 6
MAX_PIN_DIGITS = 12


@dataclass(frozen=True)
class Operator:
    name: str  # as typed at sign-in, compared case-insensitively
    role: Role


@dataclass(frozen=True)
class OperatorAccount:
    name: str  # the compared form (station.storage.keys.name_key)
    display_name: str
    role: Role
    created_at: datetime
    created_by: str
    removed_at: datetime | None

    @property
    def active(self) -> bool:
        return self.removed_at is None


@dataclass(frozen=True)
class Subject:
    id: str
    member_number: str
    display_name: str
    date_of_birth: date | None
    created_at: datetime
    card_number: str | None = None  # a membership card, for "card number + PIN" (R5)


@dataclass(frozen=True)
class ConsentRecord:
    """R1: who agreed (or declined) to what exact text, when, and who recorded it."""

    id: str
    subject_id: str
    purpose: str
    accepted: bool
    notice_version: str
    notice_sha256: str
    method: str
    operator: str
    recorded_at: datetime
    guardian_name: str | None = None  # R7: consent given for a minor by a parent or guardian
    guardian_relation: str | None = None


@dataclass(frozen=True)
class Guardian:
    """Who consented for a minor (R7); the time and operator are the consent record's."""

    name: str
    relation: str


@dataclass(frozen=True)
class Template:
    """A face template; bound to the model that made it (R15). Never an image (R10)."""

    id: str
    model_id: str
    model_fingerprint: str
    vector: Vector = field(repr=False)
    frames_used: int
    created_at: datetime
    expires_at: datetime


class TemplateModels(enum.Enum):
    """Which models made a person's template, as the subject page tells it (R15)."""

    CURRENT = "current"  # the models enrollment uses now
    OLDER = "older"  # an older model set: it still verifies; enrolling again moves it on
    UNKNOWN = "unknown"  # models this station never had: never compared, so never used


class EnrollStatus(enum.Enum):
    ENROLLED = "enrolled"
    NO_CONSENT = "no_consent"
    UNKNOWN_SUBJECT = "unknown_subject"
    NOT_ENOUGH_GOOD_FRAMES = "not_enough_good_frames"
    CAMERA_FAILED = "camera_failed"
    CANCELLED = "cancelled"
    NOT_ALLOWED = "not_allowed"  # R7: a minor under the site's policy, or no date of birth
    # R23: the liveness check did not confirm a live person (a photo, a screen, no answer to the
    # challenge); nothing was stored: a person must not be enrolled from a photo
    NOT_LIVE = "not_live"


class VerifyStatus(enum.Enum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    # R23: the liveness check did not confirm a live person; nothing was compared. Counted as a
    # failed face attempt (R24), like REJECTED
    NOT_LIVE = "not_live"
    UNKNOWN_SUBJECT = "unknown_subject"
    NO_TEMPLATE = "no_template"
    NO_CREDENTIAL = "no_credential"
    CONSENT_NEEDED = "consent_needed"  # R3/R7: face may not be used until consent is renewed
    NO_GOOD_FRAME = "no_good_frame"
    CAMERA_FAILED = "camera_failed"
    CANCELLED = "cancelled"
    # R24: refused before the camera opens; the alternative path (PIN, card + PIN, ID) is offered
    TOO_SOON = "too_soon"  # after repeated failures, wait between attempts (face or PIN)
    FACE_DISABLED = "face_disabled"  # too many failures: until an administrator re-enables face
    PIN_DISABLED = "pin_disabled"  # too many wrong PINs: until an administrator re-enables PIN


class VerifyMethod(enum.Enum):
    FACE = "face"
    PIN = "pin"
    DOCUMENT = "document"


@dataclass(frozen=True)
class EnrollmentOutcome:
    status: EnrollStatus
    message: str
    subject_id: str | None = None
    template_id: str | None = None
    expires_at: datetime | None = None
    frames_used: int = 0
    frames_read: int = 0
    rejections: dict[QualityIssue, int] = field(default_factory=dict)
    audit_event: AuditEvent | None = None
    camera_opened: bool = False
    good_frames: int = 0  # frames that passed the gate, stored or not
    timed_out: bool = False  # stopped by the time limit (R25) rather than by the stream ending


@dataclass(frozen=True)
class VerificationOutcome:
    """What the operator is shown: a status and who; never a score or a picture."""

    status: VerifyStatus
    method: VerifyMethod
    message: str
    subject: Subject | None = None
    frames_used: int = 0
    frames_read: int = 0
    rejections: dict[QualityIssue, int] = field(default_factory=dict)
    audit_event: AuditEvent | None = None
    # The score's distance from the operating point's threshold (at or below 0: a match). Kept for
    # evaluation only; the UI must not display it (R22: no score to misread).
    margin: float | None = field(default=None, repr=False)
    wait_seconds: int = 0  # TOO_SOON: whole seconds until this method may be tried again (R24)


@dataclass(frozen=True)
class SubjectRecord:
    """Everything the station holds about a person, for the subject page and their receipt."""

    subject: Subject
    has_template: bool
    template_created: datetime | None
    template_expires: datetime | None
    template_models: TemplateModels | None  # None: no template
    consent: ConsentRecord | None
    has_pin: bool
    recent_events: list[AuditEvent]
    audit_head: AuditHead | None  # the trail's head when read: the receipt's anchor (issue 14)


@dataclass(frozen=True)
class DeletionOutcome:
    subject_id: str
    templates_destroyed: int
    audit_event: AuditEvent


@dataclass(frozen=True)
class ErasureReceipt:
    """What a member's erasure at the end of service took away (issue 15), for the receipt they
    keep. Built from the record before it went: the store holds none of it afterwards. The
    `reference` is the random id the audit trail still uses for their events; only this receipt
    now ties it to them."""

    member_number: str
    display_name: str
    card_number: str | None
    had_date_of_birth: bool
    had_pin: bool
    templates: int
    consents: int
    transfer_consents: int
    incidents: int  # incident registers now count them without naming them (R19)
    reference: str
    erased_at: datetime
    audit_event: AuditEvent


@dataclass(frozen=True)
class InactiveMember:
    """A member with no visit at the desk since `last_visit` (their registration when none is
    kept), listed for an administrator to erase (issue 15); nothing is erased by the listing."""

    subject_id: str
    member_number: str
    display_name: str
    last_visit: datetime


class FaceEligibility(enum.Enum):
    """May the station use a person's face today (station.policy.consent decides)."""

    CONSENTED = "consented"  # current consent: enrollment and face verification may go ahead
    ASK = "ask"  # never answered, or a decline long enough ago: the notice may be shown
    RENEW = "renew"  # R3: agreed to an older notice; ask again before any face use
    DECLINED_RECENTLY = "declined_recently"  # R6: no prompt until quiet_until unless they ask
    NEEDS_DATE_OF_BIRTH = "needs_date_of_birth"  # R7: age decides what is allowed
    MINOR_BLOCKED = "minor_blocked"  # R7, policy "block": no face enrollment under the age
    NEEDS_GUARDIAN = "needs_guardian"  # R7, policy "guardian": only a guardian's consent counts


PROMPTABLE = frozenset({FaceEligibility.ASK, FaceEligibility.RENEW})


@dataclass(frozen=True)
class FaceDecision:
    eligibility: FaceEligibility
    message: str  # for the operator, in plain words
    age: int | None = None
    quiet_until: datetime | None = None

    @property
    def allowed(self) -> bool:
        return self.eligibility is FaceEligibility.CONSENTED

    @property
    def may_prompt(self) -> bool:
        """The station may offer face enrollment without the person asking (R6)."""
        return self.eligibility in PROMPTABLE


class AttemptFactor(enum.Enum):
    """What failed attempts are counted for, each on its own per person; stored as the value."""

    FACE = "face"  # R24
    PIN = "pin"  # R5: a PIN given with the member number or with the card number: one count


@dataclass(frozen=True)
class AttemptState:
    """What the store keeps per person and factor about failed attempts (R24): counts, nothing
    biometric, never a PIN."""

    consecutive_failures: int = 0
    last_failure_at: datetime | None = None
    disabled_at: datetime | None = None

    @property
    def is_clean(self) -> bool:
        """No failure to remember: the row can be deleted rather than kept."""
        return self.consecutive_failures == 0 and self.disabled_at is None


class AttemptVerdict(enum.Enum):
    ALLOWED = "allowed"
    WAIT = "wait"  # too soon after the last failure
    DISABLED = "disabled"  # until an administrator re-enables the factor for this person


@dataclass(frozen=True)
class AttemptCheck:
    verdict: AttemptVerdict
    state: AttemptState
    wait_seconds: int = 0  # whole seconds until the factor may be tried again (WAIT only)

    @property
    def allowed(self) -> bool:
        return self.verdict is AttemptVerdict.ALLOWED
