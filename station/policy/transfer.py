"""The rules for passing face data to a third party (R16), as pure functions of plain values.

Export is off unless the site switched it on; then each person needs a separate transfer consent
naming the recipient, the recipient's country, the purpose, the data types and the likely impact.
A recipient outside the mainland (any country code but CN; Hong Kong, Macao and Taiwan count as
outside for this purpose) also needs a recorded security-assessment reference. Every function here
returns the problems it finds; the service turns them into refusals.
"""

from __future__ import annotations

from collections.abc import Iterable

from station.domain.transfer import (
    COUNTRY_CODE,
    DATA_TYPES,
    FACE_TEMPLATE,
    MIN_PASSPHRASE_LENGTH,
    TransferConsent,
    TransferConsentRequest,
    TransferProblem,
    canonical_data_types,
    is_cross_border,
)


def parse_data_types(text: str) -> tuple[str, ...]:
    """ "face_template, member_number" -> ("face_template", "member_number")."""
    return canonical_data_types(text.split(","))


def consent_problems(request: TransferConsentRequest) -> list[TransferProblem]:
    """Every field must be present and the cross-border rule met; an empty list means valid."""
    r = request.normalised()
    problems: list[TransferProblem] = []
    if not r.recipient:
        problems.append(TransferProblem.MISSING_RECIPIENT)
    if not COUNTRY_CODE.fullmatch(r.recipient_country):
        problems.append(TransferProblem.BAD_COUNTRY)
    if not r.purpose:
        problems.append(TransferProblem.MISSING_PURPOSE)
    if not r.data_types:
        problems.append(TransferProblem.MISSING_DATA_TYPES)
    elif any(t not in DATA_TYPES for t in r.data_types):
        problems.append(TransferProblem.UNKNOWN_DATA_TYPE)
    elif FACE_TEMPLATE not in r.data_types:
        problems.append(TransferProblem.NO_FACE_TEMPLATE_TYPE)
    if not r.likely_impact:
        problems.append(TransferProblem.MISSING_IMPACT)
    if (
        COUNTRY_CODE.fullmatch(r.recipient_country)
        and is_cross_border(r.recipient_country)
        and r.assessment_reference is None
    ):
        problems.append(TransferProblem.MISSING_ASSESSMENT)
    return problems


def same_recipient(a: str, b: str) -> bool:
    """Operators type names with varying case and spacing; the recipient is the same one."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def choose_consent(consents: Iterable[TransferConsent], recipient: str) -> TransferConsent | None:
    """The most recent active consent naming this recipient, if any."""
    matching = [c for c in consents if c.active and same_recipient(c.recipient, recipient)]
    return max(matching, key=lambda c: c.recorded_at, default=None)


def export_problem(
    *,
    export_enabled: bool,
    consent: TransferConsent | None,
    has_template: bool,
    face_consent_current: bool,
) -> TransferProblem | None:
    """The first reason an export may not happen, in the order an operator would fix them."""
    if not export_enabled:
        return TransferProblem.EXPORT_DISABLED
    if consent is None or not consent.active:
        return TransferProblem.NO_TRANSFER_CONSENT
    if FACE_TEMPLATE not in consent.data_types:
        # Older or hand-made rows: without face_template it is not a face-data consent.
        return TransferProblem.NO_FACE_TEMPLATE_TYPE
    if consent.cross_border and not (consent.assessment_reference or "").strip():
        return TransferProblem.MISSING_ASSESSMENT
    if not face_consent_current:
        return TransferProblem.NO_FACE_CONSENT
    if not has_template:
        return TransferProblem.NO_TEMPLATE
    return None


def passphrase_problem(passphrase: str) -> TransferProblem | None:
    return TransferProblem.SHORT_PASSPHRASE if len(passphrase) < MIN_PASSPHRASE_LENGTH else None
