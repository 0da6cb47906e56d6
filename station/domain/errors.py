"""Why the core refuses a request or cannot reach its data: the other half of the contract with the
window. Each error carries an enum member the window switches on to say it in the operator's
language (ui/views/texts.py; a test fails when a member has no text in English and Chinese); the
exception's own message is the English the CLI prints and logs keep."""

from __future__ import annotations

import enum
from typing import ClassVar


class StationError(Exception):
    """Anything the station refuses or cannot do, in words an operator can act on."""


class RefusalCode(enum.Enum):
    """A request the services refuse: a rule, a role, or input that cannot be used."""

    NOT_ALLOWED = "not_allowed"  # the signed-in role may not do this (R12)
    # people
    NO_SUCH_MEMBER = "no_such_member"
    DETAILS_MISSING = "details_missing"
    MEMBER_EXISTS = "member_exists"
    CARD_TAKEN = "card_taken"
    PIN_FORMAT = "pin_format"  # not MIN_PIN_DIGITS to MAX_PIN_DIGITS digits
    PIN_REPEATED = "pin_repeated"  # one digit repeated: 000000
    PIN_SEQUENCE = "pin_sequence"  # digits in a row either way: 123456, 654321
    PIN_BIRTH_DATE = "pin_birth_date"  # the member's date of birth in a common digit form
    # an operator erasing a member confirms by typing the member number again (issue 15)
    ERASURE_UNCONFIRMED = "erasure_unconfirmed"
    # identity and record text (issue 16): which field is named by station.domain.text.TextField
    TEXT_TOO_LONG = "text_too_long"
    TEXT_HIDDEN_CHARACTER = "text_hidden_character"  # a control, invisible or bidi character
    IDENTIFIER_FORMAT = "identifier_format"  # a member or card number outside the repertoire
    BIRTH_DATE_OUT_OF_RANGE = "birth_date_out_of_range"
    # consent (R1, R3, R6, R7)
    NOTICE_OUTDATED = "notice_outdated"
    FACE_NOT_ALLOWED = "face_not_allowed"  # a minor the site does not enroll, or no birth date
    DECLINED_RECENTLY = "declined_recently"
    GUARDIAN_NEEDED = "guardian_needed"
    # verification (R21)
    ONE_TO_MANY_OFF = "one_to_many_off"
    # settings and the station
    SETTINGS_UNUSABLE = "settings_unusable"
    # a settings file that would change the station's settings, given in a session that is not an
    # administrator's (R12): refused at sign-in
    SETTINGS_FILE_NEEDS_ADMINISTRATOR = "settings_file_needs_administrator"
    SETTING_NOT_EDITABLE = "setting_not_editable"
    SETTING_INVALID = "setting_invalid"
    DECOMMISSION_UNCONFIRMED = "decommission_unconfirmed"
    # operator accounts (R12)
    OPERATOR_NAME_MISSING = "operator_name_missing"
    OPERATOR_EXISTS = "operator_exists"
    NO_SUCH_OPERATOR = "no_such_operator"
    NOT_OWN_ACCOUNT = "not_own_account"
    CANNOT_REMOVE_SELF = "cannot_remove_self"
    LAST_ADMINISTRATOR = "last_administrator"
    NOT_AN_ADMINISTRATOR = "not_an_administrator"
    WRONG_PASSWORD = "wrong_password"
    WEAK_PASSWORD = "weak_password"
    # passing data on (R16)
    TRANSFER_REFUSED = "transfer_refused"  # the rule(s) it failed are on TransferRefused
    NO_TRANSFER_CONSENT = "no_transfer_consent"
    TRANSFER_ALREADY_WITHDRAWN = "transfer_already_withdrawn"
    EXPORT_WRITE_FAILED = "export_write_failed"
    # incidents (R19)
    INCIDENT_SCOPE = "incident_scope"
    INCIDENT_KIND_UNKNOWN = "incident_kind_unknown"
    INCIDENT_TIMES = "incident_times"
    INCIDENT_INCOMPLETE = "incident_incomplete"
    NO_SUCH_INCIDENT = "no_such_incident"
    INCIDENT_AMBIGUOUS = "incident_ambiguous"
    NOTICE_LANGUAGE_UNKNOWN = "notice_language_unknown"


# The named values each refusal carries, for the window's sentence; ServiceError checks them.
REFUSAL_DETAILS: dict[RefusalCode, tuple[str, ...]] = {
    RefusalCode.NOT_ALLOWED: ("role",),
    RefusalCode.NO_SUCH_MEMBER: ("member",),
    RefusalCode.MEMBER_EXISTS: ("member",),
    RefusalCode.CARD_TAKEN: ("card",),
    RefusalCode.ERASURE_UNCONFIRMED: ("member",),
    RefusalCode.PIN_FORMAT: ("minimum", "maximum"),
    RefusalCode.TEXT_TOO_LONG: ("field", "limit"),
    RefusalCode.TEXT_HIDDEN_CHARACTER: ("field", "character"),
    RefusalCode.IDENTIFIER_FORMAT: ("field",),
    RefusalCode.BIRTH_DATE_OUT_OF_RANGE: ("earliest", "latest"),
    RefusalCode.NOTICE_OUTDATED: ("version",),
    RefusalCode.SETTINGS_UNUSABLE: ("problem",),
    RefusalCode.SETTINGS_FILE_NEEDS_ADMINISTRATOR: ("file", "settings"),
    RefusalCode.SETTING_NOT_EDITABLE: ("settings",),
    RefusalCode.SETTING_INVALID: ("problem",),
    RefusalCode.DECOMMISSION_UNCONFIRMED: ("phrase",),
    RefusalCode.OPERATOR_EXISTS: ("operator",),
    RefusalCode.NO_SUCH_OPERATOR: ("operator",),
    RefusalCode.NOT_AN_ADMINISTRATOR: ("operator",),
    RefusalCode.WEAK_PASSWORD: ("minimum",),
    RefusalCode.NO_TRANSFER_CONSENT: ("member", "consent"),
    RefusalCode.EXPORT_WRITE_FAILED: ("path", "reason"),
    RefusalCode.INCIDENT_KIND_UNKNOWN: ("kind",),
    RefusalCode.INCIDENT_INCOMPLETE: ("fields",),
    RefusalCode.NO_SUCH_INCIDENT: ("reference",),
    RefusalCode.INCIDENT_AMBIGUOUS: ("reference",),
    RefusalCode.NOTICE_LANGUAGE_UNKNOWN: ("language",),
}


class ServiceError(StationError, ValueError):
    """A request the station refuses. `code` says which refusal; `details` carries the names and
    numbers its sentence needs (REFUSAL_DETAILS); the message is the English for the CLI."""

    def __init__(self, code: RefusalCode, message: str, **details: object) -> None:
        expected = REFUSAL_DETAILS.get(code, ())
        if set(details) != set(expected):
            raise TypeError(f"{code} carries {expected}, not {tuple(details)}")
        super().__init__(message)
        self.code = code
        self.details = {name: str(value) for name, value in details.items()}


class NotAllowedError(ServiceError):
    """The signed-in operator's role does not allow this (R12)."""

    def __init__(self, role: str) -> None:
        super().__init__(
            RefusalCode.NOT_ALLOWED,
            f"Your account ({role}) may not do this; ask an administrator.",
            role=role,
        )


class StoreProblem(enum.Enum):
    """Why the store, its key file or a backup could not be opened, written or read."""

    WRONG_KEY = "wrong_key"
    SIGN_IN_THROTTLED = "sign_in_throttled"
    KEY_FILE = "key_file"
    FOREIGN_STORE = "foreign_store"
    CORRUPT = "corrupt"
    NEWER_SCHEMA = "newer_schema"
    EXISTS = "exists"
    MISSING = "missing"
    NAME_MISSING = "name_missing"
    WEAK_PASSWORD = "weak_password"
    DISK_FULL = "disk_full"
    DISK_WRITE = "disk_write"
    READ_ONLY = "read_only"
    UNREACHABLE = "unreachable"
    BACKUP_TARGET_EXISTS = "backup_target_exists"
    BACKUP_FOLDER_MISSING = "backup_folder_missing"
    BACKUP_FAILED = "backup_failed"  # a backup or a restored store failed its own check
    BACKUP_FILE_MISSING = "backup_file_missing"
    NOT_A_BACKUP = "not_a_backup"
    BACKUP_DAMAGED = "backup_damaged"
    BACKUP_UNSUPPORTED = "backup_unsupported"


class StoreError(StationError):
    """The store cannot be opened, read or written; every concrete error names its `problem`.

    Raise a subclass, never this class: the window tells problems apart, not messages."""

    problem: ClassVar[StoreProblem]
