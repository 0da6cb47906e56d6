"""Translatable words for what the Qt-free core reports: one place, one context ("texts").

The core (station/) keeps its English messages for logs, the CLI and audits; the window shows the
sentences here instead, chosen by the enum the core attaches (station.domain: outcome statuses,
audit kinds, refusal codes, store problems) and filled with names and numbers. Every member of those
enums has a sentence here; tests/ui/test_texts.py fails when one is missing in either language.
Each call translates at the time it is made, so the current language always applies.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from station.domain import (
    MIN_PASSWORD_LENGTH,
    AnchorVerdict,
    AuditKind,
    AuditProblemKind,
    EnrollmentOutcome,
    EnrollStatus,
    FaceDecision,
    FaceEligibility,
    QualityIssue,
    RefusalCode,
    ServiceError,
    StationError,
    StoreError,
    StoreProblem,
    VerificationOutcome,
    VerifyMethod,
    VerifyStatus,
)
from station.domain.capture import ChallengeProgress
from station.domain.liveness import Action
from station.domain.reports import FilingLevel, FilingStatus
from station.domain.text import TextField, visible
from station.domain.transfer import MIN_PASSPHRASE_LENGTH, TransferProblem
from station.services import SignInThrottledError
from station.services.transfer import TransferRefused
from ui.i18n import QT_TRANSLATE_NOOP

DOCUMENT_TYPES = ("resident_identity_card", "passport", "driving_licence", "other")


# The person-facing words of a capture, marked for lupdate and translated when shown: the window
# shows them in its language, the person-facing screen in both (ui/views/member_screen.py).
QUALITY_HINTS = {
    QualityIssue.NO_FACE: QT_TRANSLATE_NOOP("texts", "No face seen: please look at the camera."),
    QualityIssue.MULTIPLE_FACES: QT_TRANSLATE_NOOP(
        "texts", "Only one person in front of the camera, please."
    ),
    QualityIssue.TOO_SMALL: QT_TRANSLATE_NOOP("texts", "Please move closer to the camera."),
    QualityIssue.TOO_CLOSE_TO_EDGE: QT_TRANSLATE_NOOP(
        "texts", "Please move to the centre of the picture."
    ),
    QualityIssue.NOT_FRONTAL: QT_TRANSLATE_NOOP("texts", "Please face the camera directly."),
    QualityIssue.BLURRED: QT_TRANSLATE_NOOP("texts", "Please hold still for a moment."),
    QualityIssue.TOO_DARK: QT_TRANSLATE_NOOP("texts", "More light is needed."),
    QualityIssue.TOO_BRIGHT: QT_TRANSLATE_NOOP(
        "texts", "Too much light: please step out of direct light."
    ),
    QualityIssue.INVALID_FRAME: QT_TRANSLATE_NOOP("texts", "The camera sent an unusable picture."),
}
# Left and right are the person's own.
CHALLENGE_PROMPTS = {
    Action.TURN_LEFT: QT_TRANSLATE_NOOP("texts", "Turn your head to your left"),
    Action.TURN_RIGHT: QT_TRANSLATE_NOOP("texts", "Turn your head to your right"),
    Action.LOOK_UP: QT_TRANSLATE_NOOP("texts", "Look up"),
    Action.BLINK: QT_TRANSLATE_NOOP("texts", "Blink twice"),
}


def quality_hint(issue: QualityIssue) -> str:
    """What the person in front of the camera is told about a refused frame (R26)."""
    return QCoreApplication.translate("texts", QUALITY_HINTS[issue])


def challenge_prompt(action: Action) -> str:
    """What the person is asked to do for the liveness check (R23): big, plain words in their
    language."""
    return QCoreApplication.translate("texts", CHALLENGE_PROMPTS[action])


def challenge_countdown(challenge: ChallengeProgress) -> str:
    """The whole seconds left of the action's time box (which action of how many is the capture
    progress ring's, ui.views.capture_progress)."""
    return QCoreApplication.translate("texts", "{0} s left").format(
        max(0, math.ceil(challenge.seconds_left))
    )


def not_live() -> str:
    """R23: the liveness check did not confirm a live person; what to do is on the buttons."""
    return QCoreApplication.translate(
        "texts",
        "We could not confirm that a live person is in front of the camera. Nothing was stored. "
        "Try again, facing the camera and doing the movement shown on the screen, or use another "
        "way.",
    )


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
    shortfall = (
        QCoreApplication.translate(
            "texts", "Stopped at the time limit with {0} of {1} good frames. Nothing was stored."
        )
        if outcome.timed_out
        else QCoreApplication.translate(
            "texts", "The camera stream ended with {0} of {1} good frames. Nothing was stored."
        )
    )
    texts = {
        EnrollStatus.ENROLLED: QCoreApplication.translate(
            "texts", "Enrolled. Stored: one face template, no image. Kept until {0}."
        ).format(outcome.expires_at.astimezone().date().isoformat() if outcome.expires_at else "—"),
        EnrollStatus.NO_CONSENT: QCoreApplication.translate(
            "texts", "Face enrollment needs the person's consent to the current notice first."
        ),
        EnrollStatus.UNKNOWN_SUBJECT: no_member(member),
        EnrollStatus.NOT_ALLOWED: QCoreApplication.translate(
            "texts", "Face enrollment is not allowed for this member (age or date of birth)."
        ),
        EnrollStatus.CAMERA_FAILED: camera_failed(),
        EnrollStatus.CANCELLED: cancelled(),
        EnrollStatus.NOT_LIVE: not_live(),
        EnrollStatus.NOT_ENOUGH_GOOD_FRAMES: shortfall.format(outcome.good_frames, frames_needed)
        + _most_common_hint(outcome.rejections),
    }
    return texts[status]


def verify_result(outcome: VerificationOutcome, member: str) -> str:
    subject = outcome.status is VerifyStatus.ACCEPTED and outcome.subject
    who = (visible(subject.display_name), visible(subject.member_number)) if subject else ("", "")
    accepted = {
        VerifyMethod.FACE: QCoreApplication.translate("texts", "Verified by face: {0} ({1})"),
        VerifyMethod.PIN: QCoreApplication.translate("texts", "Verified by PIN: {0} ({1})"),
        VerifyMethod.DOCUMENT: QCoreApplication.translate(
            "texts", "Verified by an identity document: {0} ({1})"
        ),
    }
    texts = {
        VerifyStatus.ACCEPTED: accepted[outcome.method].format(*who),
        VerifyStatus.REJECTED: QCoreApplication.translate("texts", "Not verified: wrong PIN.")
        if outcome.method is VerifyMethod.PIN
        else QCoreApplication.translate("texts", "Not verified: the face did not match."),
        VerifyStatus.UNKNOWN_SUBJECT: no_member(member),
        VerifyStatus.NO_TEMPLATE: QCoreApplication.translate(
            "texts", "No usable face template for this member: verify another way or re-enroll."
        ),
        VerifyStatus.CONSENT_NEEDED: QCoreApplication.translate(
            "texts",
            "The face-data notice has changed since this member agreed: ask again on the subject "
            "page, or verify another way.",
        ),
        VerifyStatus.NO_CREDENTIAL: QCoreApplication.translate(
            "texts", "This member has no PIN set: check an identity document instead."
        ),
        VerifyStatus.TOO_SOON: (
            QCoreApplication.translate(
                "texts",
                "Too many wrong PINs: wait {0} s before trying again, or check an identity "
                "document.",
            )
            if outcome.method is VerifyMethod.PIN
            else QCoreApplication.translate(
                "texts",
                "Too many failed face attempts: wait {0} s before trying again, or verify by PIN, "
                "card + PIN or an identity document.",
            )
        ).format(outcome.wait_seconds),
        VerifyStatus.FACE_DISABLED: QCoreApplication.translate(
            "texts",
            "Face verification is off for this member after too many failed attempts, until an "
            "administrator re-enables it. Verify by PIN, card + PIN or an identity document.",
        ),
        VerifyStatus.PIN_DISABLED: QCoreApplication.translate(
            "texts",
            "PIN verification is off for this member after too many wrong PINs, until an "
            "administrator re-enables it. Check an identity document instead.",
        ),
        VerifyStatus.CAMERA_FAILED: camera_failed(),
        VerifyStatus.CANCELLED: cancelled(),
        VerifyStatus.NOT_LIVE: not_live(),
        VerifyStatus.NO_GOOD_FRAME: QCoreApplication.translate(
            "texts", "Not verified: no good frame was captured."
        )
        + _most_common_hint(outcome.rejections),
    }
    return texts[outcome.status]


def face_decision_text(decision: FaceDecision) -> str:
    """Why face may or may not be offered (R3, R6, R7), in the window's language."""
    quiet_until = (
        decision.quiet_until.astimezone().strftime("%Y-%m-%d %H:%M")
        if decision.quiet_until
        else "—"
    )
    texts = {
        FaceEligibility.NEEDS_DATE_OF_BIRTH: QCoreApplication.translate(
            "texts",
            "Face enrollment needs the date of birth (the rules for minors depend on it). "
            "Set a PIN instead, or add the date of birth first.",
        ),
        FaceEligibility.MINOR_BLOCKED: QCoreApplication.translate(
            "texts",
            "This member is {0}: this site does not enroll the faces of minors. Set a PIN instead.",
        ).format(decision.age),
        FaceEligibility.NEEDS_GUARDIAN: QCoreApplication.translate(
            "texts",
            "This member is {0}: a parent or guardian must read the notice and consent. Enter "
            "their name and relation.",
        ).format(decision.age),
        FaceEligibility.DECLINED_RECENTLY: QCoreApplication.translate(
            "texts",
            "This member declined face use recently. Do not ask again before {0}; continue only "
            "if the person asks.",
        ).format(quiet_until),
        FaceEligibility.RENEW: QCoreApplication.translate(
            "texts", "The notice has changed since this member agreed: show it and ask again."
        ),
        FaceEligibility.CONSENTED: QCoreApplication.translate("texts", "Face consent is current."),
        FaceEligibility.ASK: QCoreApplication.translate(
            "texts", "No face consent yet: show the notice and ask."
        ),
    }
    return texts[decision.eligibility]


def filing_text(status: FilingStatus) -> str:
    """R18: the count of people with face data against the filing threshold, when it matters."""
    count, threshold = f"{status.people_with_face_data:,}", f"{status.threshold:,}"
    texts = {
        FilingLevel.FILING_DUE: QCoreApplication.translate(
            "texts",
            "{0} people have face data stored: the filing threshold of {1} is reached. Tell the "
            "administrator: a filing is due.",
        ).format(count, threshold),
        FilingLevel.WARNING: QCoreApplication.translate(
            "texts", "{0} people have face data stored, near the filing threshold of {1}."
        ).format(count, threshold),
        FilingLevel.OK: "",
    }
    return texts[status.level]


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
    """Why face actions are off (the camera worker found the camera is not there)."""
    text = spec.strip()
    if text.isdecimal():
        return QCoreApplication.translate(
            "texts", "No camera is connected (webcam {0} not found)."
        ).format(text)
    return QCoreApplication.translate("texts", "The camera source {0} does not exist.").format(text)


def error_text(error: StationError) -> str:
    """Anything the core refused or could not do, by its code."""
    if isinstance(error, ServiceError):
        return refusal_text(error)
    if isinstance(error, StoreError):
        return store_problem_text(error)
    return QCoreApplication.translate(
        "texts", "The station could not do this. Call the administrator."
    )


def refusal_text(error: ServiceError) -> str:
    """A refusal of the services (station.domain.RefusalCode), with the names it carries."""
    if isinstance(error, TransferRefused):
        return " ".join(transfer_problem_text(problem) for problem in error.problems)
    # Names and numbers a refusal repeats may be stored ones: shown with hidden characters
    # written out (issue 16); a field is named in the window's language.
    details = {name: visible(value) for name, value in error.details.items()}
    if "field" in details:
        details["field"] = text_field_label(details["field"])
    return _refusal_sentence(error.code).format(**details)


def text_field_label(field: str) -> str:
    """The field a text refusal names (station.domain.text.TextField); one this version does not
    know is shown as named."""
    try:
        known = TextField(field)
    except ValueError:
        return field
    labels = {
        TextField.MEMBER_NUMBER: QCoreApplication.translate("texts", "member number"),
        TextField.CARD_NUMBER: QCoreApplication.translate("texts", "card number"),
        TextField.NAME: QCoreApplication.translate("texts", "name"),
        TextField.GUARDIAN_NAME: QCoreApplication.translate("texts", "guardian's name"),
        TextField.GUARDIAN_RELATION: QCoreApplication.translate("texts", "guardian's relation"),
        TextField.OPERATOR_NAME: QCoreApplication.translate("texts", "operator name"),
        TextField.RECIPIENT: QCoreApplication.translate("texts", "recipient"),
        TextField.TRANSFER_PURPOSE: QCoreApplication.translate("texts", "purpose of the transfer"),
        TextField.LIKELY_IMPACT: QCoreApplication.translate("texts", "likely impact"),
        TextField.ASSESSMENT_REFERENCE: QCoreApplication.translate(
            "texts", "security-assessment reference"
        ),
        TextField.DESCRIPTION: QCoreApplication.translate("texts", "description"),
        TextField.DATA_AFFECTED: QCoreApplication.translate("texts", "data affected"),
        TextField.CAUSE: QCoreApplication.translate("texts", "cause"),
        TextField.LIKELY_HARM: QCoreApplication.translate("texts", "likely harm"),
        TextField.REMEDIES: QCoreApplication.translate("texts", "remedies"),
        TextField.ADVICE: QCoreApplication.translate("texts", "advice"),
    }
    return labels[known]


def _refusal_sentence(code: RefusalCode) -> str:
    texts = {
        RefusalCode.NOT_ALLOWED: QCoreApplication.translate(
            "texts",
            "Your account may not do this: the station refused it and noted the attempt. Ask an "
            "administrator.",
        ),
        RefusalCode.NO_SUCH_MEMBER: QCoreApplication.translate(
            "texts", "No member with the number {member}."
        ),
        RefusalCode.DETAILS_MISSING: QCoreApplication.translate(
            "texts", "A member number and a name are both needed."
        ),
        RefusalCode.MEMBER_EXISTS: QCoreApplication.translate(
            "texts", "Member number {member} is already registered."
        ),
        RefusalCode.CARD_TAKEN: QCoreApplication.translate(
            "texts", "Card {card} already belongs to another member."
        ),
        RefusalCode.ERASURE_UNCONFIRMED: QCoreApplication.translate(
            "texts",
            "To erase, type the member number {member} again in the field. Nothing was erased.",
        ),
        RefusalCode.PIN_FORMAT: QCoreApplication.translate(
            "texts", "A PIN is {minimum} to {maximum} digits."
        ),
        RefusalCode.PIN_REPEATED: QCoreApplication.translate(
            "texts",
            "A PIN of one digit repeated (like 000000) is too easy to guess: choose another.",
        ),
        RefusalCode.PIN_SEQUENCE: QCoreApplication.translate(
            "texts",
            "A PIN of digits in a row (like 123456 or 654321) is too easy to guess: choose "
            "another.",
        ),
        RefusalCode.PIN_BIRTH_DATE: QCoreApplication.translate(
            "texts",
            "A PIN must not be the member's date of birth, which others may know: choose another.",
        ),
        RefusalCode.TEXT_TOO_LONG: QCoreApplication.translate(
            "texts", "The {field} is too long: at most {limit} characters."
        ),
        RefusalCode.TEXT_HIDDEN_CHARACTER: QCoreApplication.translate(
            "texts",
            "The {field} holds a control, invisible or text-direction character ({character}) "
            "that could hide or disguise it; type it again without it.",
        ),
        RefusalCode.IDENTIFIER_FORMAT: QCoreApplication.translate(
            "texts",
            "A {field} may hold only Latin letters, digits and - _ . /, and must begin and end "
            "with a letter or digit.",
        ),
        RefusalCode.BIRTH_DATE_OUT_OF_RANGE: QCoreApplication.translate(
            "texts", "A date of birth must lie between {earliest} and today ({latest})."
        ),
        RefusalCode.NOTICE_OUTDATED: QCoreApplication.translate(
            "texts",
            "The notice shown is no longer the current one (now version {version}): show the "
            "current notice and ask again.",
        ),
        RefusalCode.FACE_NOT_ALLOWED: QCoreApplication.translate(
            "texts", "Face enrollment is not allowed for this member (age or date of birth)."
        ),
        RefusalCode.DECLINED_RECENTLY: QCoreApplication.translate(
            "texts", "This member declined face use recently: continue only if the person asks."
        ),
        RefusalCode.GUARDIAN_NEEDED: QCoreApplication.translate(
            "texts", "A parent or guardian must consent: enter their name and relation."
        ),
        RefusalCode.ONE_TO_MANY_OFF: QCoreApplication.translate(
            "texts", "Identification without a member number (1:N) is switched off at this station."
        ),
        RefusalCode.SETTINGS_UNUSABLE: QCoreApplication.translate(
            "texts", "The station's saved settings cannot be used. Call the administrator."
        ),
        RefusalCode.SETTINGS_FILE_NEEDS_ADMINISTRATOR: QCoreApplication.translate(
            "texts",
            "The settings file {file} would change the station's settings ({settings}): only an "
            "administrator can apply it. Sign in as one, or start without --settings.",
        ),
        RefusalCode.SETTING_NOT_EDITABLE: QCoreApplication.translate(
            "texts", "These settings cannot be changed from the station: {settings}."
        ),
        RefusalCode.SETTING_INVALID: QCoreApplication.translate(
            "texts", "A value is outside what the rules allow: {problem}"
        ),
        RefusalCode.DECOMMISSION_UNCONFIRMED: QCoreApplication.translate(
            "texts", "To decommission, type {phrase} exactly. Nothing was destroyed."
        ),
        RefusalCode.OPERATOR_NAME_MISSING: QCoreApplication.translate(
            "texts", "An operator needs a name."
        ),
        RefusalCode.OPERATOR_EXISTS: QCoreApplication.translate(
            "texts", "There is already an operator called {operator}."
        ),
        RefusalCode.NO_SUCH_OPERATOR: QCoreApplication.translate(
            "texts", "There is no operator called {operator}."
        ),
        RefusalCode.NOT_OWN_ACCOUNT: QCoreApplication.translate(
            "texts", "You can only change your own password here."
        ),
        RefusalCode.CANNOT_REMOVE_SELF: QCoreApplication.translate(
            "texts", "You cannot remove your own account."
        ),
        RefusalCode.LAST_ADMINISTRATOR: QCoreApplication.translate(
            "texts", "The last administrator cannot be removed."
        ),
        RefusalCode.NOT_AN_ADMINISTRATOR: QCoreApplication.translate(
            "texts", "{operator} is not an administrator of this station. Nothing was changed."
        ),
        RefusalCode.WRONG_PASSWORD: QCoreApplication.translate(
            "texts", "Your password is not right: nothing was changed."
        ),
        RefusalCode.WEAK_PASSWORD: QCoreApplication.translate(
            "texts", "A password needs at least {minimum} characters."
        ),
        RefusalCode.TRANSFER_REFUSED: QCoreApplication.translate(
            "texts", "The transfer was refused."
        ),
        RefusalCode.NO_TRANSFER_CONSENT: QCoreApplication.translate(
            "texts", "Member {member} has no transfer consent {consent}."
        ),
        RefusalCode.TRANSFER_ALREADY_WITHDRAWN: QCoreApplication.translate(
            "texts", "That transfer consent was already withdrawn."
        ),
        RefusalCode.EXPORT_WRITE_FAILED: QCoreApplication.translate(
            "texts", "The export could not be written to {path} ({reason}). Nothing was exported."
        ),
        RefusalCode.INCIDENT_SCOPE: QCoreApplication.translate(
            "texts", "Name the members affected, or choose everyone with face data (not both)."
        ),
        RefusalCode.INCIDENT_KIND_UNKNOWN: QCoreApplication.translate(
            "texts", "An incident is a leak, a destruction or a loss, not {kind}."
        ),
        RefusalCode.INCIDENT_TIMES: QCoreApplication.translate(
            "texts", "An incident cannot be discovered before it happened."
        ),
        RefusalCode.INCIDENT_INCOMPLETE: QCoreApplication.translate(
            "texts", "Fill in every part of the incident: each one goes into the people's notice."
        ),
        RefusalCode.NO_SUCH_INCIDENT: QCoreApplication.translate(
            "texts", "There is no incident {reference}."
        ),
        RefusalCode.INCIDENT_AMBIGUOUS: QCoreApplication.translate(
            "texts", "Several incidents start with {reference}: give more of the reference."
        ),
        RefusalCode.NOTICE_LANGUAGE_UNKNOWN: QCoreApplication.translate(
            "texts", "There is no incident notice in {language}."
        ),
    }
    return texts[code]


def store_problem_text(error: StoreError) -> str:
    """Why the store, its key file or a backup could not be used (station.domain.StoreProblem)."""
    wait = error.wait_seconds if isinstance(error, SignInThrottledError) else 0
    return _store_sentence(error.problem).format(seconds=wait, minimum=MIN_PASSWORD_LENGTH)


def _store_sentence(problem: StoreProblem) -> str:
    texts = {
        StoreProblem.WRONG_KEY: QCoreApplication.translate(
            "texts", "Wrong operator name or password. Try again."
        ),
        StoreProblem.SIGN_IN_THROTTLED: QCoreApplication.translate(
            "texts", "Too many wrong passwords: wait {seconds} s, then try again."
        ),
        StoreProblem.KEY_FILE: QCoreApplication.translate(
            "texts", "The store's key file is missing or damaged. Call the administrator."
        ),
        StoreProblem.FOREIGN_STORE: QCoreApplication.translate(
            "texts",
            "The store file does not belong to its key file. Nothing was changed; call the "
            "administrator to restore the matching pair from a backup.",
        ),
        StoreProblem.CORRUPT: QCoreApplication.translate(
            "texts",
            "The store file is damaged, so the station stopped using it: nothing more was "
            "changed. Call the administrator to restore it from a backup.",
        ),
        StoreProblem.NEWER_SCHEMA: QCoreApplication.translate(
            "texts", "The store was written by a newer version of this program. Update it first."
        ),
        StoreProblem.EXISTS: QCoreApplication.translate(
            "texts", "A station store already exists here; sign in to it instead."
        ),
        StoreProblem.MISSING: QCoreApplication.translate(
            "texts", "The store file is missing. Call the administrator."
        ),
        StoreProblem.NAME_MISSING: QCoreApplication.translate(
            "texts", "The first administrator needs a name."
        ),
        StoreProblem.WEAK_PASSWORD: QCoreApplication.translate(
            "texts", "A password needs at least {minimum} characters."
        ),
        StoreProblem.DISK_FULL: QCoreApplication.translate(
            "texts",
            "The disk holding the station's data is full, so the last change was not saved. "
            "Everything saved before it is safe. Free some space, then try again.",
        ),
        StoreProblem.DISK_WRITE: QCoreApplication.translate(
            "texts",
            "The disk reported an error while saving (it may be full, disconnected or failing). "
            "The last change was not saved; everything saved before it is safe.",
        ),
        StoreProblem.READ_ONLY: QCoreApplication.translate(
            "texts",
            "The station's data folder cannot be written to, so nothing was saved. Everything "
            "already stored is safe. Ask for the folder to be made writable.",
        ),
        StoreProblem.UNREACHABLE: QCoreApplication.translate(
            "texts",
            "The station cannot open its data file: the folder is missing, read-only or on a "
            "disk that is not connected. Nothing was changed.",
        ),
        StoreProblem.BACKUP_TARGET_EXISTS: QCoreApplication.translate(
            "texts", "A file with that name exists already: choose a new name for the backup."
        ),
        StoreProblem.BACKUP_FOLDER_MISSING: QCoreApplication.translate(
            "texts", "That folder does not exist (is the drive plugged in?); nothing was written."
        ),
        StoreProblem.BACKUP_FAILED: QCoreApplication.translate(
            "texts",
            "The backup failed its own check and was not kept. Verify the audit trail and call "
            "for help.",
        ),
        StoreProblem.BACKUP_FILE_MISSING: QCoreApplication.translate(
            "texts", "There is no such backup file; nothing was changed."
        ),
        StoreProblem.NOT_A_BACKUP: QCoreApplication.translate(
            "texts", "That file is not a Face Station backup; nothing was changed."
        ),
        StoreProblem.BACKUP_DAMAGED: QCoreApplication.translate(
            "texts",
            "The backup is damaged (incomplete, or changed since it was made); nothing was "
            "changed. Use another copy.",
        ),
        StoreProblem.BACKUP_UNSUPPORTED: QCoreApplication.translate(
            "texts",
            "The backup was made by a newer Face Station: update this station first. Nothing "
            "was changed.",
        ),
    }
    return texts[problem]


def transfer_problem_text(problem: TransferProblem) -> str:
    """Why a transfer consent or an export was refused (R16)."""
    texts = {
        TransferProblem.EXPORT_DISABLED: QCoreApplication.translate(
            "texts", "Face-data export is switched off at this station."
        ),
        TransferProblem.MISSING_RECIPIENT: QCoreApplication.translate(
            "texts", "Name the recipient."
        ),
        TransferProblem.BAD_COUNTRY: QCoreApplication.translate(
            "texts", "Give the recipient's country as a two-letter code (CN for the mainland)."
        ),
        TransferProblem.MISSING_PURPOSE: QCoreApplication.translate(
            "texts", "State the purpose of the transfer."
        ),
        TransferProblem.MISSING_DATA_TYPES: QCoreApplication.translate(
            "texts", "Choose the data types to pass on."
        ),
        TransferProblem.UNKNOWN_DATA_TYPE: QCoreApplication.translate(
            "texts", "Choose data types from the list only."
        ),
        TransferProblem.NO_FACE_TEMPLATE_TYPE: QCoreApplication.translate(
            "texts", "A face-data transfer consent must include the face template."
        ),
        TransferProblem.MISSING_IMPACT: QCoreApplication.translate(
            "texts", "Describe the likely impact on the person."
        ),
        TransferProblem.MISSING_ASSESSMENT: QCoreApplication.translate(
            "texts", "A recipient outside the mainland needs a security-assessment reference."
        ),
        TransferProblem.NO_TRANSFER_CONSENT: QCoreApplication.translate(
            "texts", "This member has no active transfer consent for that recipient."
        ),
        TransferProblem.NO_TEMPLATE: QCoreApplication.translate(
            "texts", "This member has no face template to export."
        ),
        TransferProblem.NO_FACE_CONSENT: QCoreApplication.translate(
            "texts", "This member's face-data consent is not current: ask again before any export."
        ),
        TransferProblem.SHORT_PASSPHRASE: QCoreApplication.translate(
            "texts", "The passphrase needs at least {0} characters."
        ).format(MIN_PASSPHRASE_LENGTH),
    }
    return texts[problem]


def event_label(kind: str) -> str:
    """An audit event kind on the subject page, the receipt and the audit view. A kind this
    version does not know (a trail written by a newer one) is shown as stored."""
    try:
        known = AuditKind(kind)
    except ValueError:
        return kind.replace("_", " ")
    return _event_labels()[known]


def _event_labels() -> dict[AuditKind, str]:
    return {
        AuditKind.SUBJECT_REGISTERED: QCoreApplication.translate("texts", "member registered"),
        AuditKind.FACE_CONSENT_ACCEPTED: QCoreApplication.translate(
            "texts", "face consent accepted"
        ),
        AuditKind.FACE_CONSENT_DECLINED: QCoreApplication.translate(
            "texts", "face consent declined"
        ),
        AuditKind.FACE_CONSENT_WITHDRAWN: QCoreApplication.translate(
            "texts", "face consent withdrawn"
        ),
        AuditKind.FACE_DATA_DELETED: QCoreApplication.translate("texts", "face data deleted"),
        AuditKind.MEMBER_ERASED: QCoreApplication.translate(
            "texts", "member erased (end of service)"
        ),
        AuditKind.FACE_ENROLLED: QCoreApplication.translate("texts", "face enrolled"),
        AuditKind.FACE_ENROLL_FAILED: QCoreApplication.translate(
            "texts", "face enrollment not completed"
        ),
        AuditKind.PIN_SET: QCoreApplication.translate("texts", "PIN set"),
        AuditKind.VERIFY_FACE: QCoreApplication.translate("texts", "verification by face"),
        AuditKind.VERIFY_PIN: QCoreApplication.translate("texts", "verification by PIN"),
        AuditKind.VERIFY_DOCUMENT: QCoreApplication.translate("texts", "identity document checked"),
        AuditKind.FACE_DISABLED: QCoreApplication.translate(
            "texts", "face verification disabled (too many failed attempts)"
        ),
        AuditKind.FACE_REENABLED: QCoreApplication.translate(
            "texts", "face verification re-enabled"
        ),
        AuditKind.PIN_DISABLED: QCoreApplication.translate(
            "texts", "PIN verification disabled (too many wrong PINs)"
        ),
        AuditKind.PIN_REENABLED: QCoreApplication.translate("texts", "PIN verification re-enabled"),
        AuditKind.NOTICE_PUBLISHED: QCoreApplication.translate("texts", "notice published"),
        AuditKind.SETTINGS_CHANGED: QCoreApplication.translate("texts", "settings changed"),
        AuditKind.SIGN_IN: QCoreApplication.translate("texts", "signed in"),
        AuditKind.SIGN_IN_FAILED: QCoreApplication.translate("texts", "failed sign-in"),
        AuditKind.ACCESS_DENIED: QCoreApplication.translate(
            "texts", "refused: not allowed for this account"
        ),
        AuditKind.TEMPLATE_EXPIRED: QCoreApplication.translate(
            "texts", "face template destroyed (retention over)"
        ),
        AuditKind.RECORDS_PRUNED: QCoreApplication.translate("texts", "old records pruned"),
        AuditKind.AUDIT_VERIFIED: QCoreApplication.translate("texts", "audit trail verified"),
        AuditKind.REPORT_GENERATED: QCoreApplication.translate("texts", "report generated"),
        AuditKind.OPERATOR_ADDED: QCoreApplication.translate("texts", "operator account added"),
        AuditKind.OPERATOR_REMOVED: QCoreApplication.translate("texts", "operator account removed"),
        AuditKind.PASSWORD_CHANGED: QCoreApplication.translate("texts", "password changed"),
        AuditKind.PASSWORD_RESET: QCoreApplication.translate("texts", "password reset"),
        AuditKind.RECOVERY_KEY_REPLACED: QCoreApplication.translate(
            "texts", "recovery key replaced"
        ),
        AuditKind.STORE_BACKED_UP: QCoreApplication.translate("texts", "station backed up"),
        AuditKind.STORE_RESTORED: QCoreApplication.translate(
            "texts", "station restored from a backup"
        ),
        AuditKind.TRANSFER_CONSENT_RECORDED: QCoreApplication.translate(
            "texts", "transfer consent recorded"
        ),
        AuditKind.TRANSFER_CONSENT_WITHDRAWN: QCoreApplication.translate(
            "texts", "transfer consent withdrawn"
        ),
        AuditKind.FACE_DATA_EXPORTED: QCoreApplication.translate("texts", "face data exported"),
        AuditKind.INCIDENT_RECORDED: QCoreApplication.translate("texts", "incident recorded"),
        AuditKind.INCIDENT_NOTICES_PRODUCED: QCoreApplication.translate(
            "texts", "incident notices produced"
        ),
    }


def audit_problem_text(kind: AuditProblemKind, seq: int) -> str:
    """What verifying the audit trail found at one event (R12)."""
    texts = {
        AuditProblemKind.EDITED: QCoreApplication.translate("texts", "Event {0} was edited."),
        AuditProblemKind.MISSING: QCoreApplication.translate(
            "texts", "Events from {0} on are missing (deleted)."
        ),
        AuditProblemKind.BROKEN_LINK: QCoreApplication.translate(
            "texts", "Event {0} does not follow the one before (moved or rewritten)."
        ),
        AuditProblemKind.OUT_OF_ORDER: QCoreApplication.translate(
            "texts", "Event {0} is dated before the one before it (reordered)."
        ),
        AuditProblemKind.TRUNCATED: QCoreApplication.translate(
            "texts", "The newest events from {0} on were deleted."
        ),
        AuditProblemKind.FORGED: QCoreApplication.translate(
            "texts",
            "Event {0} fails its keyed link: someone who could open the store rewrote the trail "
            "there.",
        ),
        AuditProblemKind.UNLINKED: QCoreApplication.translate(
            "texts",
            "Event {0} carries no keyed link, though it was written after links began: it was "
            "written around the station.",
        ),
    }
    return texts[kind].format(seq)


def anchor_verdict_text(verdict: AnchorVerdict, code: str, seq: int) -> str:
    """What the trail says of one code noted earlier (issue 14). A typo never reaches here."""
    texts = {
        AnchorVerdict.HELD: QCoreApplication.translate(
            "texts", "{0}: held. Event {1} is as it was when this code was noted."
        ),
        AnchorVerdict.REWRITTEN: QCoreApplication.translate(
            "texts",
            "{0}: rewritten since this code was noted. Event {1}, or one before it, has changed.",
        ),
        AnchorVerdict.TRUNCATED: QCoreApplication.translate(
            "texts", "{0}: events deleted. The trail no longer reaches event {1}."
        ),
        AnchorVerdict.PRUNED: QCoreApplication.translate(
            "texts",
            "{0}: not checkable any more. Event {1} was removed under the retention rule.",
        ),
    }
    return texts[verdict].format(code, seq)


def language_button_text(language: str) -> str:
    """The switch names the language it switches to, in that language (not translated)."""
    return "English" if language == "zh_CN" else "中文"
