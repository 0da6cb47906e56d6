"""The desk's commands: register a person, record their answer to the notice, enroll and verify a
face from a camera source, the PIN (R5), deleting face data, and erasing a member at the end of
service (issue 15)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.cli.common import CommandContext, ask_secret, say
from station.domain import ErasureReceipt
from station.domain.text import visible
from station.storage.files import write_private_text

if TYPE_CHECKING:
    from station.domain.capture import CaptureProgress
    from station.domain.liveness import Action
    from station.services import SourceFactory

PIN_ENV = "FACE_STATION_PIN"


def add_commands(commands: Any) -> None:
    add = commands.add_parser("add-subject", help="register a person (no face data)")
    add.add_argument("--member", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--dob", type=date.fromisoformat, help="date of birth, YYYY-MM-DD")
    add.add_argument("--card", help="membership card number, for card + PIN")
    add.set_defaults(run=_add_subject)

    consent = commands.add_parser("consent", help="show the face-data notice and record the answer")
    consent.add_argument("--member", required=True)
    consent.add_argument("--language", default="en", choices=["en", "zh_CN"])
    answer = consent.add_mutually_exclusive_group(required=True)
    answer.add_argument("--accept", action="store_true")
    answer.add_argument("--decline", action="store_true")
    consent.set_defaults(run=_consent)

    for name, text, handler in (
        ("enroll", "enroll a face from a camera source", _enroll),
        ("verify", "verify a face against a member number (1:1)", _verify),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--member", required=True)
        command.add_argument(
            "--camera", default="0", help="webcam index or a video / image folder path"
        )
        command.add_argument("--paced", action="store_true", help="replay files in real time")
        command.set_defaults(run=handler)

    for name, text, handler in (
        ("set-pin", "set a member's PIN (non-face path)", _set_pin),
        ("verify-pin", "verify a member by PIN (no camera needed)", _verify_pin),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--member", required=True, help="member number (verify-pin also takes a card number)"
        )
        command.add_argument("--pin", help=f"the PIN (env {PIN_ENV}, or asked when omitted)")
        command.set_defaults(run=handler)

    withdraw = commands.add_parser(
        "withdraw", help="record a member's withdrawal of face consent and destroy their template"
    )
    withdraw.add_argument("--member", required=True)
    withdraw.set_defaults(run=_withdraw)

    delete = commands.add_parser("delete-face", help="destroy a member's face template")
    delete.add_argument("--member", required=True)
    delete.set_defaults(run=_delete_face)

    erase = commands.add_parser(
        "erase-member",
        help="end of service: erase a member's record, PIN, card, consents and face data",
    )
    erase.add_argument("--member", required=True)
    erase.add_argument(
        "--confirm", help="the member number typed again (an operator must; issue 15)"
    )
    erase.add_argument("--receipt", type=Path, help="also save the person's receipt to this file")
    erase.set_defaults(run=_erase_member)


def _add_subject(context: CommandContext) -> int:
    args = context.args
    subject = context.station.subjects.register(
        args.member, args.name, args.dob, context.operator, args.card
    )
    say(f"Registered {subject.display_name} ({subject.member_number})")
    return 0


def _consent(context: CommandContext) -> int:
    args, station = context.args, context.station
    notice = station.notices.current(args.language)
    say(notice.text, newlines=True)
    station.consents.record(args.member, bool(args.accept), notice, context.operator)
    print("Consent recorded: " + ("accepted" if args.accept else "declined"))
    return 0


def _camera(context: CommandContext) -> SourceFactory:
    from station.capture import FrameSource, open_source

    def open_camera() -> FrameSource:
        return open_source(context.args.camera, paced=context.args.paced)

    return open_camera


PROMPTS = {
    "turn_left": "turn your head to your left",
    "turn_right": "turn your head to your right",
    "look_up": "look up",
    "blink": "blink twice",
}


class PromptPrinter:
    """The command line's screen for the liveness check (R23): each movement asked for, once, on
    standard error, so whoever stands at a webcam driven from a terminal can answer it; then, once
    every movement was seen, the word to face the camera again."""

    def __init__(self) -> None:
        self._shown: Action | None = None

    def cancelled(self) -> bool:
        return False

    def report(self, progress: CaptureProgress) -> None:
        asked = progress.challenge.action if progress.challenge is not None else None
        if asked is self._shown:
            return
        if asked is not None:
            challenge = progress.challenge
            assert challenge is not None
            print(
                f"Liveness check, movement {challenge.index} of {challenge.of}: "
                f"{PROMPTS[asked.value]} ({challenge.seconds_left:.0f} s).",
                file=sys.stderr,
            )
        else:
            print("Now look straight at the camera.", file=sys.stderr)
        self._shown = asked


def _enroll(context: CommandContext) -> int:
    from station.domain import EnrollStatus

    outcome = context.station.enrollment.enroll(
        context.args.member, _camera(context), context.operator, PromptPrinter()
    )
    say(outcome.message)
    return 0 if outcome.status is EnrollStatus.ENROLLED else 1


def _verify(context: CommandContext) -> int:
    from station.domain import VerifyStatus

    verdict = context.station.verification.face(
        context.args.member, _camera(context), context.operator, PromptPrinter()
    )
    say(verdict.message)
    return 0 if verdict.status is VerifyStatus.ACCEPTED else 1


def _pin(context: CommandContext) -> str:
    return str(context.args.pin or ask_secret("PIN: ", PIN_ENV))


def _set_pin(context: CommandContext) -> int:
    context.station.subjects.set_pin(context.args.member, _pin(context), context.operator)
    print("PIN set.")
    return 0


def _verify_pin(context: CommandContext) -> int:
    from station.domain import VerifyStatus

    verdict = context.station.verification.pin(context.args.member, _pin(context), context.operator)
    say(verdict.message)
    return 0 if verdict.status is VerifyStatus.ACCEPTED else 1


def _withdraw(context: CommandContext) -> int:
    """R4: as easy as enrolling, from the command line too."""
    outcome = context.station.subjects.withdraw_face_consent(context.args.member, context.operator)
    print(
        f"Consent withdrawn; {outcome.templates_destroyed} face template(s) destroyed. "
        "The PIN and the ID document check keep working."
    )
    return 0


def _erase_member(context: CommandContext) -> int:
    args = context.args
    receipt = context.station.erasure.erase(args.member, context.operator, args.confirm)
    text = erasure_receipt_text(receipt)
    print(text, end="")
    if args.receipt is not None:
        say(f"Receipt saved to {write_private_text(args.receipt, text)}")
    return 0


def erasure_receipt_text(receipt: ErasureReceipt) -> str:
    """What the person takes away: what went, when, and the reference only they now hold."""
    erased = [
        f"{receipt.templates} face template(s)" if receipt.templates else "",
        f"{receipt.consents} face-data consent record(s)" if receipt.consents else "",
        f"{receipt.transfer_consents} consent(s) to pass data on"
        if receipt.transfer_consents
        else "",
        "the PIN" if receipt.had_pin else "",
        "the date of birth" if receipt.had_date_of_birth else "",
        f"the card number {receipt.card_number}" if receipt.card_number else "",
    ]
    lines = [
        "Face Station: member erased at the end of service",
        f"Member: {visible(receipt.display_name)} ({visible(receipt.member_number)})",
        f"Erased: {receipt.erased_at.astimezone():%Y-%m-%d %H:%M %Z}",
        "What was erased: the name, the member number, " + ", ".join(e for e in erased if e) + ".",
        "Kept: the audit trail's events (what was done and when) under the reference below, with "
        "no name; and counts in the station's records. Only this receipt ties the reference to "
        "you. Backups made before today still hold the record until they are deleted.",
        f"Reference: {receipt.reference}",
        f"Audit trail record: {receipt.audit_event.head.code}",
    ]
    return "\n".join(lines) + "\n"


def _delete_face(context: CommandContext) -> int:
    deleted = context.station.subjects.delete_face_data(context.args.member, context.operator)
    print(f"Destroyed {deleted.templates_destroyed} face template(s).")
    return 0
