"""Backup and restore of the encrypted store, so a restored store opens with the same operators.

A backup file is encrypted at rest by construction, with no passphrase of its own: it holds the
store as SQLCipher ciphertext under the store's data key, and the key file, where that data key
only exists sealed in the operators' and the recovery key's slots. Whoever could open the station
when the backup was made can open the backup; nobody else can. Its manifest names no person. The
file format is station.storage.backup_file.

A backup carries the key slots as they were when it was made: a password changed since, an
operator added or removed since, or a recovery key replaced since is, in the restored store, as it
was then (the old password and old recovery key open it again). Keep backups as safe as the
station itself, and make a new one after removing an operator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from station.clock import Clock, SystemClock
from station.domain import AuditKind, Permission, RefusalCode, Role, ServiceError
from station.domain.audit import AuditHead
from station.domain.progress import Progress, ProgressStep, Tally
from station.services.accounts import unlock
from station.services.erasure import erase_recorded
from station.storage import Repositories, Store
from station.storage.backup_file import (
    RESTORE_FILE_PASSES,
    BackupError,
    BackupInfo,
    read_backup,
    restore_backup_files,
    write_backup,
)
from station.storage.erasure import erased_references
from station.storage.keys import KeyFile

if TYPE_CHECKING:
    from station.services.station import Station

__all__ = [
    "BackupInfo",
    "BackupReport",
    "Backups",
    "RestoreReport",
    "read_backup",
    "restore_backup",
]

# A restore reads the store's worth of bytes this many times: restore_backup_files' passes, then
# opening the restored store (its page check) and its two full checks (_audit_restore).
RESTORE_PASSES = RESTORE_FILE_PASSES + 3


@dataclass(frozen=True)
class BackupReport:
    path: Path
    size: int
    sha256: str
    created_at: datetime
    audit_head: AuditHead | None  # what `audit verify --against` this backup checks

    @property
    def message(self) -> str:
        text = (
            f"Backup saved to {self.path} ({self.size:,} bytes). It is encrypted: the same "
            "operator passwords and recovery key as today open it. Keep it somewhere safe, away "
            "from the station."
        )
        if self.audit_head is not None:
            text += f" It holds the audit trail up to {self.audit_head.code}."
        return text


@dataclass(frozen=True)
class RestoreReport:
    store_path: Path
    backup: BackupInfo
    set_aside: Path | None  # where the store it replaced was kept, with its key file beside it
    # Members erased in the replaced store and erased again in the restored one (issue 15);
    # None when the replaced store could not be read with the restoring administrator's password.
    erased_again: int | None = 0

    @property
    def message(self) -> str:
        text = (
            f"Restored the store at {self.store_path} from the backup made "
            f"{self.backup.created_at:%Y-%m-%d %H:%M} UTC. Passwords and the recovery key are "
            "those of that day."
        )
        if self.set_aside is not None:
            text += f" The store it replaced was kept as {self.set_aside} (with its key file)."
        if self.erased_again:
            text += (
                f" {self.erased_again} member(s) erased at the end of service after the backup "
                "was made were erased again."
            )
        elif self.erased_again is None:
            text += (
                " The store it replaced could not be read with this name and password (or is "
                "damaged), so members erased there after the backup was made are back: restore "
                "as an administrator whose password opens both, or erase them again."
            )
        return text


class Backups:
    def __init__(self, station: Station) -> None:
        self._station = station

    def back_up(
        self, out: Path, admin: str, admin_password: str, progress: Progress | None = None
    ) -> BackupReport:
        """Write an encrypted backup of the open store to `out` (administrators only). The
        administrator's password unlocks the data key for the moment the snapshot is keyed.
        `progress` hears how far the backup is (station.domain.progress)."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        out = Path(out)
        created_at = station.clock.now()
        head = station.repos.audit.head()
        digest = write_backup(
            station.store,
            out,
            lambda key_file: unlock(key_file, admin, admin_password),
            created_at,
            head,
            progress,
        )
        size = out.stat().st_size
        with station.store.transaction():
            station.repos.audit.append(
                AuditKind.STORE_BACKED_UP,
                admin,
                created_at,
                None,
                {"file": out.name, "size": size, "sha256": digest},
            )
        return BackupReport(out, size, digest, created_at, head)


def restore_backup(
    backup_path: Path,
    store_path: Path,
    *,
    replace: bool,
    name: str,
    password: str,
    clock: Clock | None = None,
    progress: Progress | None = None,
) -> RestoreReport:
    """Put the store and key file of a backup at store_path (see restore_backup_files); needs no
    store open. `name` and `password` must be an administrator's in the backup. The restore is
    recorded in the restored store's own audit trail before that store is swapped in, so no kill
    leaves it unrecorded. `progress` hears how far it is."""
    now = (clock or SystemClock()).now()
    tally = Tally(progress, RESTORE_PASSES * _size_of(Path(backup_path)))

    def administrator_only(role: Role | None) -> None:
        if role is not Role.ADMINISTRATOR:
            raise ServiceError(
                RefusalCode.NOT_AN_ADMINISTRATOR,
                f"Only an administrator of the backed-up station can restore it; {name} is not "
                "one. Nothing was changed.",
                operator=name,
            )

    def unlock_backup(key_file: KeyFile) -> bytearray:
        return unlock(key_file, name, password)

    reapplied: list[int | None] = []

    def record(staged: Path, info: BackupInfo, set_aside: Path | None) -> None:
        # Issue 15: members erased in the store being replaced stay erased in the one restored.
        erased = erased_references(Path(store_path), name, password) if set_aside else frozenset()
        reapplied.append(
            _audit_restore(staged, name, password, info, set_aside, erased, now, tally)
        )

    info, set_aside = restore_backup_files(
        backup_path,
        store_path,
        replace=replace,
        name=name,
        unlock=unlock_backup,
        may_restore=administrator_only,
        record=record,
        now=now,
        tally=tally,
    )
    return RestoreReport(Path(store_path), info, set_aside, reapplied[0])


def _size_of(path: Path) -> int:
    """For the progress only: a missing file is refused in words by restore_backup_files."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _audit_restore(
    staged: Path,
    name: str,
    password: str,
    info: BackupInfo,
    set_aside: Path | None,
    erased: frozenset[str] | None,
    now: datetime,
    tally: Tally,
) -> int | None:
    """Open the staged pair the ordinary way (which also brings an older schema up to date),
    record the restore in its own audit trail, and erase again the members `erased` in the store
    it replaces (their random ids; None: that store could not be read). How many were erased
    again, or None."""
    tally.now(ProgressStep.OPENING_RESTORED)
    store = Store.open(staged, name, password)
    tally.add(info.store_size, ProgressStep.CHECKING_STORE)
    try:
        if not store.integrity_ok():
            raise BackupError(
                f"The store restored from {info.path} failed its check; nothing was replaced."
            )
        repos = Repositories(store)
        again = sorted(i for i in erased or () if repos.subjects.by_id(i) is not None)
        with store.transaction():
            # The restore's event first: it starts the restored trail's new link epoch (issue 14).
            repos.audit.append(
                AuditKind.STORE_RESTORED,
                name,
                now,
                None,
                {
                    "backup": info.path.name,
                    "sha256": info.sha256,
                    "backed_up_at": info.created_at.isoformat(),
                    "set_aside": set_aside.name if set_aside else None,
                    "erased_again": len(again) if erased is not None else None,
                },
            )
            for subject_id in again:
                erase_recorded(repos, subject_id, name, now, after_restore=True)
        tally.finish(ProgressStep.CHECKING_STORE)
    finally:
        store.close()
    return len(again) if erased is not None else None
