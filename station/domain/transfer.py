"""The words of a transfer of face data to a third party (R16): what may leave the station, the
consent that names the recipient, and the reasons a consent or an export is refused. The rules that
apply them are in station.policy.transfer."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

# The fixed vocabulary of what may leave the station, in the order a file lists them.
FACE_TEMPLATE = "face_template"
MEMBER_NUMBER = "member_number"
DISPLAY_NAME = "display_name"
DATA_TYPES: tuple[str, ...] = (FACE_TEMPLATE, MEMBER_NUMBER, DISPLAY_NAME)
MAINLAND = "CN"
MIN_PASSPHRASE_LENGTH = 12
COUNTRY_CODE = re.compile(r"[A-Z]{2}")


class TransferProblem(enum.Enum):
    """Why a transfer consent or an export is refused; `message` is for the operator (the window
    shows its own translated sentence for each)."""

    EXPORT_DISABLED = "export_disabled"
    MISSING_RECIPIENT = "missing_recipient"
    BAD_COUNTRY = "bad_country"
    MISSING_PURPOSE = "missing_purpose"
    MISSING_DATA_TYPES = "missing_data_types"
    UNKNOWN_DATA_TYPE = "unknown_data_type"
    NO_FACE_TEMPLATE_TYPE = "no_face_template_type"
    MISSING_IMPACT = "missing_impact"
    MISSING_ASSESSMENT = "missing_assessment"
    NO_TRANSFER_CONSENT = "no_transfer_consent"
    NO_TEMPLATE = "no_template"
    NO_FACE_CONSENT = "no_face_consent"
    SHORT_PASSPHRASE = "short_passphrase"

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    TransferProblem.EXPORT_DISABLED: (
        "Face-data export is switched off at this station ([policy] face_export_enabled)."
    ),
    TransferProblem.MISSING_RECIPIENT: "Name the recipient.",
    TransferProblem.BAD_COUNTRY: (
        "Give the recipient's country as a two-letter code (CN for the mainland; HK, MO, TW, US ...)."
    ),
    TransferProblem.MISSING_PURPOSE: "State the purpose of the transfer.",
    TransferProblem.MISSING_DATA_TYPES: "Choose the data types to pass on.",
    TransferProblem.UNKNOWN_DATA_TYPE: (f"Data types can only be {', '.join(DATA_TYPES)}."),
    TransferProblem.NO_FACE_TEMPLATE_TYPE: (
        "A face-data transfer consent must include face_template."
    ),
    TransferProblem.MISSING_IMPACT: "Describe the likely impact on the person.",
    TransferProblem.MISSING_ASSESSMENT: (
        "A recipient outside the mainland needs a recorded security-assessment reference."
    ),
    TransferProblem.NO_TRANSFER_CONSENT: (
        "This member has no active transfer consent for that recipient."
    ),
    TransferProblem.NO_TEMPLATE: "This member has no face template to export.",
    TransferProblem.NO_FACE_CONSENT: (
        "This member's face-data consent is not current: ask again before any export."
    ),
    TransferProblem.SHORT_PASSPHRASE: (
        f"The export passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters."
    ),
}


@dataclass(frozen=True)
class TransferConsentRequest:
    """What the person agreed to, as entered; checked by `consent_problems`."""

    recipient: str
    recipient_country: str
    purpose: str
    data_types: tuple[str, ...]
    likely_impact: str
    assessment_reference: str | None = None

    def normalised(self) -> TransferConsentRequest:
        """Trimmed texts, an upper-case country code, data types in canonical order without
        repeats, and no empty assessment reference (so "" never passes for a recorded one)."""
        reference = (self.assessment_reference or "").strip() or None
        return TransferConsentRequest(
            self.recipient.strip(),
            normalise_country(self.recipient_country),
            self.purpose.strip(),
            canonical_data_types(self.data_types),
            self.likely_impact.strip(),
            reference,
        )


@dataclass(frozen=True)
class TransferConsent:
    """A recorded transfer consent; withdrawn ones are kept (the record of what was agreed)."""

    id: str
    subject_id: str
    recipient: str
    recipient_country: str
    purpose: str
    data_types: tuple[str, ...]
    likely_impact: str
    assessment_reference: str | None
    operator: str
    recorded_at: datetime
    withdrawn_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def cross_border(self) -> bool:
        return is_cross_border(self.recipient_country)


def normalise_country(code: str) -> str:
    return code.strip().upper()


def is_cross_border(country: str) -> bool:
    """Anything but the mainland code is outside for R16, including HK, MO and TW."""
    return normalise_country(country) != MAINLAND


def canonical_data_types(types: Iterable[str]) -> tuple[str, ...]:
    """Known types in vocabulary order, then unknown ones as given (so they can be reported)."""
    wanted = [t.strip() for t in types if t.strip()]
    known = tuple(t for t in DATA_TYPES if t in wanted)
    unknown = tuple(dict.fromkeys(t for t in wanted if t not in DATA_TYPES))
    return known + unknown
