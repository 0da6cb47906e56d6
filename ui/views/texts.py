"""Translatable words for what the Qt-free core reports in English: one place, one context ("texts").

The core (station/) keeps its English messages for logs, the CLI and audits; the window shows the
sentences here instead, chosen by the enum or exception type and filled with names and numbers.
Each call translates at the time it is made, so the current language always applies.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from station.domain import (
    EnrollmentOutcome,
    EnrollStatus,
    QualityIssue,
    VerificationOutcome,
    VerifyMethod,
    VerifyStatus,
)
from station.policy.consent import FaceDecision, FaceEligibility
from station.services import ServiceError
from station.services.administration import SignInThrottledError
from station.services.reports import FilingLevel, FilingStatus
from station.storage import (
    CorruptStoreError,
    KeyFileError,
    MissingStoreError,
    NewerSchemaError,
    StoreError,
    StoreExistsError,
    WrongKeyError,
)
from station.storage.keys import MIN_PASSWORD_LENGTH
from station.storage.store import ForeignStoreError

DOCUMENT_TYPES = ("resident_identity_card", "passport", "driving_licence", "other")


def quality_hint(issue: QualityIssue) -> str:
    """What the person in front of the camera is told about a refused frame (R26)."""
    hints = {
        QualityIssue.NO_FACE: QCoreApplication.translate(
            "texts", "No face seen: please look at the camera."
        ),
        QualityIssue.MULTIPLE_FACES: QCoreApplication.translate(
            "texts", "Only one person in front of the camera, please."
        ),
        QualityIssue.TOO_SMALL: QCoreApplication.translate(
            "texts", "Please move closer to the camera."
        ),
        QualityIssue.TOO_CLOSE_TO_EDGE: QCoreApplication.translate(
            "texts", "Please move to the centre of the picture."
        ),
        QualityIssue.NOT_FRONTAL: QCoreApplication.translate(
            "texts", "Please face the camera directly."
        ),
        QualityIssue.BLURRED: QCoreApplication.translate(
            "texts", "Please hold still for a moment."
        ),
        QualityIssue.TOO_DARK: QCoreApplication.translate("texts", "More light is needed."),
        QualityIssue.TOO_BRIGHT: QCoreApplication.translate(
            "texts", "Too much light: please step out of direct light."
        ),
        QualityIssue.INVALID_FRAME: QCoreApplication.translate(
            "texts", "The camera sent an unusable picture."
        ),
    }
    return hints[issue]


def document_label(document_type: str) -> str:
    labels = {
        "resident_identity_card": QCoreApplication.translate("texts", "Resident identity card"),
        "passport": QCoreApplication.translate("texts", "Passport"),
        "driving_licence": QCoreApplication.translate("texts", "Driving licence"),
        "other": QCoreApplication.translate("texts", "Other document"),
    }
    return labels.get(document_type, labels["other"])


def _most_common_hint(rejections: dict[QualityIssue, int]) -> str:
    if not rejections:
        return ""
    issue = max(rejections, key=lambda key: rejections[key])
    return " " + QCoreApplication.translate("texts", "Most frames were refused: {0}").format(
        quality_hint(issue)
    )


def enroll_result(outcome: EnrollmentOutcome, member: str, frames_needed: int) -> str:
    status = outcome.status
    if status is EnrollStatus.ENROLLED:
        until = outcome.expires_at.astimezone().date().isoformat() if outcome.expires_at else "—"
        return QCoreApplication.translate(
            "texts", "Enrolled. Stored: one face template, no image. Kept until {0}."
        ).format(until)
    if status is EnrollStatus.NO_CONSENT:
        return QCoreApplication.translate(
            "texts", "Face enrollment needs the person's consent to the current notice first."
        )
    if status is EnrollStatus.UNKNOWN_SUBJECT:
        return no_member(member)
    if status is EnrollStatus.NOT_ALLOWED:
        return QCoreApplication.translate(
            "texts", "Face enrollment is not allowed for this member (age or date of birth)."
        )
    if status is EnrollStatus.CAMERA_FAILED:
        return camera_failed()
    if status is EnrollStatus.CANCELLED:
        return cancelled()
    if outcome.timed_out:
        sentence = QCoreApplication.translate(
            "texts", "Stopped at the time limit with {0} of {1} good frames. Nothing was stored."
        )
    else:
        sentence = QCoreApplication.translate(
            "texts", "The camera stream ended with {0} of {1} good frames. Nothing was stored."
        )
    return sentence.format(outcome.good_frames, frames_needed) + _most_common_hint(
        outcome.rejections
    )


def verify_result(outcome: VerificationOutcome, member: str) -> str:
    status, subject = outcome.status, outcome.subject
    if status is VerifyStatus.ACCEPTED and subject is not None:
        who = (subject.display_name, subject.member_number)
        if outcome.method is VerifyMethod.FACE:
            return QCoreApplication.translate("texts", "Verified by face: {0} ({1})").format(*who)
        if outcome.method is VerifyMethod.PIN:
            return QCoreApplication.translate("texts", "Verified by PIN: {0} ({1})").format(*who)
        return QCoreApplication.translate(
            "texts", "Verified by an identity document: {0} ({1})"
        ).format(*who)
    if status is VerifyStatus.REJECTED:
        if outcome.method is VerifyMethod.PIN:
            return QCoreApplication.translate("texts", "Not verified: wrong PIN.")
        return QCoreApplication.translate("texts", "Not verified: the face did not match.")
    if status is VerifyStatus.UNKNOWN_SUBJECT:
        return no_member(member)
    if status is VerifyStatus.NO_TEMPLATE:
        return QCoreApplication.translate(
            "texts", "No usable face template for this member: verify another way or re-enroll."
        )
    if status is VerifyStatus.CONSENT_NEEDED:
        return QCoreApplication.translate(
            "texts",
            "The face-data notice has changed since this member agreed: ask again on the subject "
            "page, or verify another way.",
        )
    if status is VerifyStatus.NO_CREDENTIAL:
        return QCoreApplication.translate(
            "texts", "This member has no PIN set: check an identity document instead."
        )
    if status is VerifyStatus.TOO_SOON:
        return QCoreApplication.translate(
            "texts",
            "Too many failed face attempts: wait {0} s before trying again, or verify by PIN, "
            "card + PIN or an identity document.",
        ).format(outcome.wait_seconds)
    if status is VerifyStatus.FACE_DISABLED:
        return QCoreApplication.translate(
            "texts",
            "Face verification is off for this member after too many failed attempts, until an "
            "administrator re-enables it. Verify by PIN, card + PIN or an identity document.",
        )
    if status is VerifyStatus.CAMERA_FAILED:
        return camera_failed()
    if status is VerifyStatus.CANCELLED:
        return cancelled()
    return QCoreApplication.translate(
        "texts", "Not verified: no good frame was captured."
    ) + _most_common_hint(outcome.rejections)


def face_decision_text(decision: FaceDecision) -> str:
    """Why face may or may not be offered (R3, R6, R7), in the window's language."""
    eligibility = decision.eligibility
    if eligibility is FaceEligibility.NEEDS_DATE_OF_BIRTH:
        return QCoreApplication.translate(
            "texts",
            "Face enrollment needs the date of birth (the rules for minors depend on it). "
            "Set a PIN instead, or add the date of birth first.",
        )
    if eligibility is FaceEligibility.MINOR_BLOCKED:
        return QCoreApplication.translate(
            "texts",
            "This member is {0}: this site does not enroll the faces of minors. Set a PIN instead.",
        ).format(decision.age)
    if eligibility is FaceEligibility.NEEDS_GUARDIAN:
        return QCoreApplication.translate(
            "texts",
            "This member is {0}: a parent or guardian must read the notice and consent. Enter "
            "their name and relation.",
        ).format(decision.age)
    if eligibility is FaceEligibility.DECLINED_RECENTLY and decision.quiet_until is not None:
        return QCoreApplication.translate(
            "texts",
            "This member declined face use recently. Do not ask again before {0}; continue only "
            "if the person asks.",
        ).format(decision.quiet_until.astimezone().strftime("%Y-%m-%d %H:%M"))
    if eligibility is FaceEligibility.RENEW:
        return QCoreApplication.translate(
            "texts", "The notice has changed since this member agreed: show it and ask again."
        )
    if eligibility is FaceEligibility.CONSENTED:
        return QCoreApplication.translate("texts", "Face consent is current.")
    return QCoreApplication.translate("texts", "No face consent yet: show the notice and ask.")


def filing_text(status: FilingStatus) -> str:
    """R18: the count of people with face data against the filing threshold, when it matters."""
    if status.level is FilingLevel.FILING_DUE:
        return QCoreApplication.translate(
            "texts",
            "{0} people have face data stored: the filing threshold of {1} is reached. Tell the "
            "administrator: a filing is due.",
        ).format(f"{status.people_with_face_data:,}", f"{status.threshold:,}")
    if status.level is FilingLevel.WARNING:
        return QCoreApplication.translate(
            "texts",
            "{0} people have face data stored, near the filing threshold of {1}.",
        ).format(f"{status.people_with_face_data:,}", f"{status.threshold:,}")
    return ""


def new_password_problem(password: str, again: str) -> str:
    """Why a new password typed twice cannot be used ("" when it can); the core checks too."""
    if password != again:
        return QCoreApplication.translate("texts", "The two passwords differ.")
    if len(password) < MIN_PASSWORD_LENGTH:
        return QCoreApplication.translate(
            "texts", "A password needs at least {0} characters."
        ).format(MIN_PASSWORD_LENGTH)
    return ""


def no_member(member: str) -> str:
    return QCoreApplication.translate("texts", "No member with the number {0}.").format(member)


def camera_failed() -> str:
    return QCoreApplication.translate(
        "texts", "The camera could not be used. Nothing was stored; verify another way."
    )


def cancelled() -> str:
    return QCoreApplication.translate("texts", "Cancelled by the operator; nothing was stored.")


def camera_problem(spec: str) -> str:
    """Why face actions are off (the core's camera_absent_reason said the camera is not there)."""
    text = spec.strip()
    if text.isdecimal():
        return QCoreApplication.translate(
            "texts", "No camera is connected (webcam {0} not found)."
        ).format(text)
    return QCoreApplication.translate("texts", "The camera source {0} does not exist.").format(text)


def store_error(error: StoreError | ServiceError) -> str:
    """A sign-in refusal, by the store's exception type."""
    if isinstance(error, ServiceError):
        return QCoreApplication.translate(
            "texts", "The station's saved settings cannot be used. Call the administrator."
        )
    if isinstance(error, WrongKeyError):
        return QCoreApplication.translate("texts", "Wrong operator name or password. Try again.")
    if isinstance(error, SignInThrottledError):
        return QCoreApplication.translate(
            "texts", "Too many wrong passwords: wait {0} s, then try again."
        ).format(error.wait_seconds)
    if isinstance(error, ForeignStoreError):
        return QCoreApplication.translate(
            "texts",
            "The store file does not belong to its key file. Nothing was changed; call the "
            "administrator to restore the matching pair from a backup.",
        )
    if isinstance(error, KeyFileError):
        return QCoreApplication.translate(
            "texts", "The store's key file is missing or damaged. Call the administrator."
        )
    if isinstance(error, CorruptStoreError):
        return QCoreApplication.translate(
            "texts", "The store file is damaged and cannot be opened. Call the administrator."
        )
    if isinstance(error, NewerSchemaError):
        return QCoreApplication.translate(
            "texts", "The store was written by a newer version of this program. Update it first."
        )
    if isinstance(error, StoreExistsError):
        return QCoreApplication.translate(
            "texts", "A station store already exists here; sign in to it instead."
        )
    if isinstance(error, MissingStoreError):
        return QCoreApplication.translate(
            "texts", "The store file is missing. Call the administrator."
        )
    return QCoreApplication.translate(
        "texts", "The store cannot be opened. Call the administrator."
    )


def event_label(kind: str) -> str:
    """An audit event kind on the subject page and receipt."""
    labels = {
        "subject_registered": QCoreApplication.translate("texts", "member registered"),
        "face_consent_accepted": QCoreApplication.translate("texts", "face consent accepted"),
        "face_consent_declined": QCoreApplication.translate("texts", "face consent declined"),
        "face_consent_withdrawn": QCoreApplication.translate("texts", "face consent withdrawn"),
        "face_data_deleted": QCoreApplication.translate("texts", "face data deleted"),
        "face_enrolled": QCoreApplication.translate("texts", "face enrolled"),
        "face_enroll_failed": QCoreApplication.translate("texts", "face enrollment not completed"),
        "pin_set": QCoreApplication.translate("texts", "PIN set"),
        "verify_face": QCoreApplication.translate("texts", "verification by face"),
        "verify_pin": QCoreApplication.translate("texts", "verification by PIN"),
        "verify_document": QCoreApplication.translate("texts", "identity document checked"),
        "face_disabled": QCoreApplication.translate(
            "texts", "face verification disabled (too many failed attempts)"
        ),
        "face_reenabled": QCoreApplication.translate("texts", "face verification re-enabled"),
        "notice_published": QCoreApplication.translate("texts", "notice published"),
        "settings_changed": QCoreApplication.translate("texts", "settings changed"),
        "sign_in": QCoreApplication.translate("texts", "signed in"),
        "sign_in_failed": QCoreApplication.translate("texts", "failed sign-in"),
        "template_expired": QCoreApplication.translate(
            "texts", "face template destroyed (retention over)"
        ),
        "records_pruned": QCoreApplication.translate("texts", "old records pruned"),
        "audit_verified": QCoreApplication.translate("texts", "audit trail verified"),
        "transfer_consent_recorded": QCoreApplication.translate(
            "texts", "transfer consent recorded"
        ),
        "transfer_consent_withdrawn": QCoreApplication.translate(
            "texts", "transfer consent withdrawn"
        ),
        "face_data_exported": QCoreApplication.translate("texts", "face data exported"),
        "incident_recorded": QCoreApplication.translate("texts", "incident recorded"),
        "incident_notices_produced": QCoreApplication.translate(
            "texts", "incident notices produced"
        ),
        "report_generated": QCoreApplication.translate("texts", "report generated"),
    }
    return labels.get(kind, kind.replace("_", " "))


def language_button_text(language: str) -> str:
    """The switch names the language it switches to, in that language (not translated)."""
    return "English" if language == "zh_CN" else "中文"
