"""`face-station`: the station without a screen, and the entry point of the window (`gui`)."""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from station import __version__
from station.capture import CameraError, FrameSource, open_source
from station.domain import EnrollStatus, VerifyStatus
from station.settings import Settings, SettingsError

SECRET_ENV = "FACE_STATION_SECRET"
HOME_ENV = "FACE_STATION_HOME"
OPERATOR_ENV = "FACE_STATION_OPERATOR"
RECOVERY_ENV = "FACE_STATION_RECOVERY_KEY"
CLI_OPERATOR = "admin"


def default_store_path() -> Path:
    home = os.environ.get(HOME_ENV)
    base = Path(home) if home else Path.home() / ".local" / "share" / "face-station"
    return base / "station.db"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="face-station", description="Face Station")
    parser.add_argument("--version", action="version", version=f"face-station {__version__}")
    parser.add_argument("--settings", type=Path, help="settings TOML file (defaults otherwise)")
    parser.add_argument(
        "--store", type=Path, default=None, help="store file (default: %(default)s)"
    )
    parser.add_argument(
        "--operator",
        default=os.environ.get(OPERATOR_ENV, CLI_OPERATOR),
        help="the operator account to sign in as (env FACE_STATION_OPERATOR; default %(default)s)",
    )
    commands = parser.add_subparsers(dest="command")

    gui = commands.add_parser("gui", help="start the operator window (the default)")
    gui.add_argument("--camera", default="0", help="webcam index or a video / image folder path")

    commands.add_parser(
        "init", help="create a new encrypted store; --operator becomes its first administrator"
    )
    commands.add_parser(
        "recover",
        help="set a new password for --operator (an administrator) with the recovery key",
    )
    commands.add_parser("check-models", help="verify the model files against their pinned hashes")

    add = commands.add_parser("add-subject", help="register a person (no face data)")
    add.add_argument("--member", required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--dob", type=date.fromisoformat, help="date of birth, YYYY-MM-DD")
    add.add_argument("--card", help="membership card number, for card + PIN")

    consent = commands.add_parser("consent", help="show the face-data notice and record the answer")
    consent.add_argument("--member", required=True)
    consent.add_argument("--language", default="en", choices=["en", "zh_CN"])
    answer = consent.add_mutually_exclusive_group(required=True)
    answer.add_argument("--accept", action="store_true")
    answer.add_argument("--decline", action="store_true")

    for name, text in (
        ("enroll", "enroll a face from a camera source"),
        ("verify", "verify a face against a member number (1:1)"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument("--member", required=True)
        command.add_argument(
            "--camera", default="0", help="webcam index or a video / image folder path"
        )
        command.add_argument("--paced", action="store_true", help="replay files in real time")

    for name, text in (
        ("set-pin", "set a member's PIN (non-face path)"),
        ("verify-pin", "verify a member by PIN (no camera needed)"),
    ):
        command = commands.add_parser(name, help=text)
        command.add_argument(
            "--member", required=True, help="member number (verify-pin also takes a card number)"
        )
        command.add_argument("--pin", help="the PIN (prompted when omitted)")

    delete = commands.add_parser("delete-face", help="destroy a member's face template")
    delete.add_argument("--member", required=True)

    evaluate = commands.add_parser("eval", help="measure accuracy on a folder of identity folders")
    evaluate.add_argument("directory", type=Path)
    evaluate.add_argument("--enroll-images", type=_positive, default=3)
    evaluate.add_argument("--max-images", type=_positive, default=None)
    evaluate.add_argument(
        "--jobs", type=_positive, default=os.cpu_count() or 1, help="worker processes (%(default)s)"
    )
    evaluate.add_argument(
        "--gate",
        choices=["none", "verify", "enroll"],
        default="none",
        help="quality gate applied to each photo (none: face nearest the centre)",
    )
    for module in _command_modules():
        module.add_commands(commands)
    return parser


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _secret(prompt: str) -> str:
    return os.environ.get(SECRET_ENV) or getpass.getpass(prompt)


GuiRunner = Callable[[str, Settings, Path], int]

# Command groups that live in their own modules. Each module has
#   add_commands(commands) -> None               adds its sub-parsers (keep imports light)
#   run(command, args, station) -> int | None    runs its command on an open Station, None if not its
# and may have
#   run_without_store(command, args, settings) -> int | None   for commands that need no store
COMMAND_MODULES: tuple[str, ...] = (
    "station.cli_accounts",
    "station.cli_admin",
    "station.cli_reports",
    "station.cli_transfer",
    "station.cli_backup",
)


def _command_modules() -> list[Any]:
    return [importlib.import_module(name) for name in COMMAND_MODULES]


def main(argv: Sequence[str] | None = None, gui: GuiRunner | None = None) -> int:
    """Headless commands; `gui` is handed in by ui.launcher, since the core never imports Qt."""
    args = build_parser().parse_args(argv)
    command = args.command or "gui"
    try:
        settings = Settings.load(args.settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if command == "gui":
        if gui is None:
            print("error: the operator window is started with `face-station gui`.", file=sys.stderr)
            return 2
        return gui(
            args.camera if args.command else "0", settings, args.store or default_store_path()
        )
    # Imported here so `--help` and `gui` start fast; these pull numpy, dlib and SQLCipher.
    from station.biometrics.assets import ModelAssetError
    from station.services import ServiceError
    from station.storage import StoreError
    from station.storage.errors import store_error

    try:
        return _run(command, args, settings)
    except (ModelAssetError, StoreError, ServiceError, CameraError, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        # A full disk or a read-only data folder, in words an operator can act on.
        problem = store_error(exc, args.store or default_store_path())
        if problem is None:
            raise
        print(f"error: {problem}", file=sys.stderr)
        return 1


def _run(command: str, args: argparse.Namespace, settings: Settings) -> int:
    from station.biometrics.assets import verify_assets
    from station.services import ServiceError
    from station.services.administration import create_station, open_station

    store_path: Path = args.store or default_store_path()
    if command == "check-models":
        for key, path in verify_assets().items():
            print(f"ok  {key}: {path}")
        return 0
    if command == "eval":
        from station.evaluation import evaluate

        result = evaluate(
            args.directory, args.enroll_images, args.max_images, args.gate, settings, jobs=args.jobs
        )
        print(json.dumps(result, indent=2))
        return 0
    if command == "init":
        created = create_station(store_path, args.operator, _secret("New password: "), settings)
        created.station.close()
        print(f"Created an encrypted store at {store_path}; {args.operator} is its administrator.")
        print("Recovery key (write it down and keep it safe; it is shown only now):")
        print(f"    {created.recovery_key}")
        return 0
    if command == "recover":
        from station.services.accounts import reset_with_recovery_key

        recovery_key = os.environ.get(RECOVERY_ENV) or getpass.getpass("Recovery key: ")
        reset_with_recovery_key(
            store_path, recovery_key, args.operator, _secret("New password: "), settings
        )
        print(f"New password set for {args.operator}.")
        return 0

    for module in _command_modules():
        # Commands that work without an open store (a restore replaces a missing or damaged one).
        without_store = getattr(module, "run_without_store", None)
        if without_store is not None:
            status: int | None = without_store(command, args, settings)
            if status is not None:
                return status

    station = open_station(store_path, args.operator, _secret("Password: "), settings)
    try:
        if command == "add-subject":
            subject = station.register_subject(
                args.member, args.name, args.dob, args.operator, args.card
            )
            print(f"Registered {subject.display_name} ({subject.member_number})")
        elif command == "consent":
            notice = station.current_notice(args.language)
            print(notice.text)
            station.record_face_consent(args.member, bool(args.accept), notice, args.operator)
            print("Consent recorded: " + ("accepted" if args.accept else "declined"))
        elif command in ("enroll", "verify"):

            def camera() -> FrameSource:
                return open_source(args.camera, paced=args.paced)

            if command == "enroll":
                outcome = station.enroll(args.member, camera, args.operator)
                print(outcome.message)
                return 0 if outcome.status is EnrollStatus.ENROLLED else 1
            verdict = station.verify_face(args.member, camera, args.operator)
            print(verdict.message)
            return 0 if verdict.status is VerifyStatus.ACCEPTED else 1
        elif command == "set-pin":
            station.set_pin(args.member, args.pin or getpass.getpass("PIN: "), args.operator)
            print("PIN set.")
        elif command == "verify-pin":
            verdict = station.verify_pin(
                args.member, args.pin or getpass.getpass("PIN: "), args.operator
            )
            print(verdict.message)
            return 0 if verdict.status is VerifyStatus.ACCEPTED else 1
        elif command == "delete-face":
            deleted = station.delete_face_data(args.member, args.operator)
            print(f"Destroyed {deleted.templates_destroyed} face template(s).")
        else:
            for module in _command_modules():
                status = module.run(command, args, station)
                if status is not None:
                    return status
            raise ServiceError(f"Unknown command {command}.")
    finally:
        station.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
