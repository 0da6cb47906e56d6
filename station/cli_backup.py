"""Encrypted backup and restore of the store from the command line. Follows the add_commands / run
protocol of station.cli.COMMAND_MODULES, plus `run_without_store` for `restore`, which must work
when the store is missing or damaged (station.cli calls it, when wired, before opening the store)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_commands(commands: Any) -> None:
    backup = commands.add_parser(
        "backup", help="write an encrypted backup of the store and its key file (administrators)"
    )
    backup.add_argument("--out", type=Path, required=True, help="the backup file to create")
    restore = commands.add_parser(
        "restore",
        help="put a backup in place of the store; --operator must be an administrator in it",
    )
    restore.add_argument("file", type=Path, help="a file written by `face-station backup`")
    restore.add_argument(
        "--replace",
        action="store_true",
        help="replace an existing store (it is kept beside it as .before-restore-<time>)",
    )


def run(command: str, args: argparse.Namespace, station: Any) -> int | None:
    if command == "restore":
        # Reached only while station.cli opens the store before module commands; the open
        # connection follows the old file to its kept-aside name, so the swap is still safe.
        return _restore(args)
    if command != "backup":
        return None
    from station.cli import _secret
    from station.services.backup import Backups

    report = Backups(station).back_up(args.out, args.operator, _secret("Your password: "))
    print(report.message)
    print(f"SHA-256 {report.sha256}")
    return 0


def run_without_store(command: str, args: argparse.Namespace, settings: Any) -> int | None:
    """Commands that run with no store open; None when `command` is not one of them."""
    if command != "restore":
        return None
    return _restore(args)


def _restore(args: argparse.Namespace) -> int:
    from station.cli import _secret, default_store_path
    from station.services.backup import restore_backup

    report = restore_backup(
        args.file,
        args.store or default_store_path(),
        replace=bool(args.replace),
        name=args.operator,
        password=_secret("Password (an administrator's, as it was when the backup was made): "),
    )
    print(report.message)
    return 0
