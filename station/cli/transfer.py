"""`face-station` commands for passing face data to a third party (R16): transfer-consent,
transfer-withdraw, export-face and read-export. A recipient without a station reads an export with
`python -m station.cli.recipient read-export FILE` (station/cli/recipient.py).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from station.cli.common import CommandContext, UsageError, ask_secret, say

PASSPHRASE_ENV = "FACE_STATION_EXPORT_PASSPHRASE"


def add_commands(commands: Any) -> None:
    consent = commands.add_parser(
        "transfer-consent", help="record a person's consent to pass face data to a recipient"
    )
    consent.add_argument("--member", required=True)
    consent.add_argument("--recipient", required=True, help="who receives the data")
    consent.add_argument(
        "--country", required=True, help="recipient's country code: CN, or HK, MO, TW, US ..."
    )
    consent.add_argument("--purpose", required=True)
    consent.add_argument(
        "--data-types",
        required=True,
        help="comma-separated: face_template (required), member_number, display_name",
    )
    consent.add_argument("--impact", required=True, help="the likely impact on the person")
    consent.add_argument(
        "--assessment-ref", help="security-assessment reference (needed outside the mainland)"
    )
    consent.set_defaults(run=_consent)

    withdraw = commands.add_parser("transfer-withdraw", help="withdraw a transfer consent")
    withdraw.add_argument("--member", required=True)
    withdraw.add_argument("--consent-id", required=True)
    withdraw.set_defaults(run=_withdraw)

    export = commands.add_parser(
        "export-face", help=f"write an encrypted face-data export (passphrase: ${PASSPHRASE_ENV})"
    )
    export.add_argument("--member", required=True)
    export.add_argument("--recipient", required=True)
    export.add_argument("--out", required=True, type=Path, help="the file to write")
    export.add_argument("--consent-id", help="a specific transfer consent (default: the latest)")
    export.set_defaults(run=_export)

    add_read_export(commands)


def add_read_export(commands: Any) -> None:
    read = commands.add_parser("read-export", help="decrypt and show a face-data export")
    read.add_argument("file", type=Path)
    read.add_argument(
        "--json", action="store_true", help="print everything as JSON, the template too"
    )
    read.set_defaults(run=_read_command)


def _consent(context: CommandContext) -> int:
    from station.domain.transfer import TransferConsentRequest
    from station.policy.transfer import parse_data_types

    args = context.args
    consent = context.station.transfers.record_consent(
        args.member,
        TransferConsentRequest(
            args.recipient,
            args.country,
            args.purpose,
            parse_data_types(args.data_types),
            args.impact,
            args.assessment_ref,
        ),
        context.operator,
    )
    print(f"Transfer consent recorded: {consent.id}")
    return 0


def _withdraw(context: CommandContext) -> int:
    args = context.args
    withdrawn = context.station.transfers.withdraw_consent(
        args.member, args.consent_id, context.operator
    )
    print(f"Transfer consent {withdrawn.id} withdrawn.")
    return 0


def _export(context: CommandContext) -> int:
    args = context.args
    transfers = context.station.transfers
    passphrase = _passphrase(confirm=True)
    outcome = transfers.export_face_data(
        args.member, args.recipient, args.out, passphrase, context.operator, args.consent_id
    )
    say(
        f"Exported {', '.join(outcome.data_types)} for {outcome.recipient} to {outcome.path} "
        f"(SHA-256 {outcome.sha256}). Give the passphrase to the recipient another way. "
        f"Audit trail record of the export: {outcome.audit_event.head.code}."
    )
    return 0


def _read_command(context: CommandContext) -> int:
    return read_export_file(context.args)


def read_export_file(args: argparse.Namespace) -> int:
    import json

    from station.storage.export_package import ExportPackageError, read_export

    try:
        contents = read_export(args.file, _passphrase(confirm=False))
    except ExportPackageError as exc:
        say(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1
    summary: dict[str, Any] = {
        "format_version": contents.format_version,
        "model_id": contents.model_id,
        "data_types": list(contents.data_types),
    }
    for key in ("member_number", "display_name"):
        if getattr(contents, key) is not None:
            summary[key] = getattr(contents, key)
    if args.json:
        summary["face_template"] = contents.face_template.tolist()
        # ASCII JSON: every character of the file's texts arrives escaped, none raw (issue 16).
        print(json.dumps(summary, indent=2))
    else:
        # The numbers stay off the screen unless asked for (--json): no scrollback copy of them.
        summary["face_template"] = f"{contents.face_template.size} numbers"
        for key, value in summary.items():
            say(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    return 0


def _passphrase(confirm: bool) -> str:
    passphrase = ask_secret("Export passphrase: ", PASSPHRASE_ENV)
    typed = not os.environ.get(PASSPHRASE_ENV)
    if confirm and typed and ask_secret("Repeat the passphrase: ", PASSPHRASE_ENV) != passphrase:
        raise UsageError("The two passphrases differ; nothing was exported.")
    return passphrase
