"""Encrypted backup and restore of the store (R12). `restore` opens no store: it works when the
store is missing or damaged. Both show their progress on a terminal (station.cli.progress)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from station.cli.common import CommandContext, password
from station.cli.progress import ProgressPrinter


def add_commands(commands: Any) -> None:
    backup = commands.add_parser(
        "backup", help="write an encrypted backup of the store and its key file (administrators)"
    )
    backup.add_argument("--out", type=Path, required=True, help="the backup file to create")
    backup.set_defaults(run=_backup)
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
    restore.set_defaults(run=_restore)


def _backup(context: CommandContext) -> int:
    backups = context.station.backups
    secret = password("Your password: ")
    with ProgressPrinter("backup") as progress:
        report = backups.back_up(context.args.out, context.operator, secret, progress)
    print(report.message)
    print(f"SHA-256 {report.sha256}")
    return 0


def _restore(context: CommandContext) -> int:
    from station.services.backup import restore_backup

    secret = password("Password (an administrator's, as it was when the backup was made): ")
    with ProgressPrinter("restore") as progress:
        report = restore_backup(
            context.args.file,
            context.store_path,
            replace=bool(context.args.replace),
            name=context.operator,
            password=secret,
            progress=progress,
        )
    print(report.message)
    return 0
