"""`face-station` commands for passing face data to a third party (R16).

transfer-consent, transfer-withdraw, export-face and read-export; see station.cli COMMAND_MODULES.
Only argparse at module level: `face-station --help` must not load numpy, SQLCipher or Argon2.
A recipient without a station reads an export with `python -m station.cli_transfer read-export FILE`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from station.services import Station

PASSPHRASE_ENV = "FACE_STATION_EXPORT_PASSPHRASE"
COMMANDS = ("transfer-consent", "transfer-withdraw", "export-face", "read-export")


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

    withdraw = commands.add_parser("transfer-withdraw", help="withdraw a transfer consent")
    withdraw.add_argument("--member", required=True)
    withdraw.add_argument("--consent-id", required=True)

    export = commands.add_parser(
        "export-face", help=f"write an encrypted face-data export (passphrase: ${PASSPHRASE_ENV})"
    )
    export.add_argument("--member", required=True)
    export.add_argument("--recipient", required=True)
    export.add_argument("--out", required=True, type=Path, help="the file to write")
    export.add_argument("--consent-id", help="a specific transfer consent (default: the latest)")

    _add_read(commands)


def _add_read(commands: Any) -> None:
    read = commands.add_parser("read-export", help="decrypt and show a face-data export")
    read.add_argument("file", type=Path)
    read.add_argument(
        "--json", action="store_true", help="print everything as JSON, the template too"
    )


def run(command: str, args: argparse.Namespace, station: Station) -> int | None:
    if command not in COMMANDS:
        return None
    if command == "read-export":
        return _read(args)
    from station.policy.transfer import TransferConsentRequest, parse_data_types
    from station.services.transfer import Transfers

    transfers = Transfers(station)
    if command == "transfer-consent":
        consent = transfers.record_consent(
            args.member,
            TransferConsentRequest(
                args.recipient,
                args.country,
                args.purpose,
                parse_data_types(args.data_types),
                args.impact,
                args.assessment_ref,
            ),
            args.operator,
        )
        print(f"Transfer consent recorded: {consent.id}")
    elif command == "transfer-withdraw":
        withdrawn = transfers.withdraw_consent(args.member, args.consent_id, args.operator)
        print(f"Transfer consent {withdrawn.id} withdrawn.")
    else:
        passphrase = _passphrase(confirm=True)
        outcome = transfers.export_face_data(
            args.member, args.recipient, args.out, passphrase, args.operator, args.consent_id
        )
        print(
            f"Exported {', '.join(outcome.data_types)} for {outcome.recipient} to {outcome.path} "
            f"(SHA-256 {outcome.sha256}). Give the passphrase to the recipient another way."
        )
    return 0


def _read(args: argparse.Namespace) -> int:
    import json

    from station.storage.export_package import ExportPackageError, read_export

    try:
        contents = read_export(args.file, _passphrase(confirm=False))
    except ExportPackageError as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
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
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        # The numbers stay off the screen unless asked for (--json): no scrollback copy of them.
        summary["face_template"] = f"{contents.face_template.size} numbers"
        for key, value in summary.items():
            print(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    return 0


def _passphrase(confirm: bool) -> str:
    import getpass
    import os

    from station.services import ServiceError

    given = os.environ.get(PASSPHRASE_ENV)
    if given:
        return given
    passphrase = getpass.getpass("Export passphrase: ")
    if confirm and getpass.getpass("Repeat the passphrase: ") != passphrase:
        raise ServiceError("The two passphrases differ; nothing was exported.")
    return passphrase


def main(argv: Sequence[str] | None = None) -> int:
    """read-export without a store: for a recipient who has no station of their own."""
    parser = argparse.ArgumentParser(prog="python -m station.cli_transfer")
    _add_read(parser.add_subparsers(dest="command", required=True))
    return _read(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
