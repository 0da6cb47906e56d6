"""The crash-safety test's view of the backup operation (tests/crash_driver.py `backup`): every
backup file the driver left is restored once, the way `face-station restore` does, into a scratch
folder and read; a restore the driver printed takes the ledger back to what that backup held; and
after a kill that fell inside a restore the store must be either the old one or the restored one,
whole, with that backup's key file.

What a restore legitimately forgets: everything committed after the backup was made. The ledger
forgets it only when the restore is printed, or when the store itself shows it took place (its
audit trail is the backup's, followed by that restore's own event: a restore is recorded in the
staged store before the swap, so a restored store without its record is a loss too), and only
when a restore was under way at the kill (it set the old pair aside, `<store>.before-restore-*`,
before it swapped anything in).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from station.domain import AuditKind
from station.services.backup import read_backup, restore_backup
from station.storage import Repositories, Store
from station.storage.audit_chain import verify_audit_chain
from station.storage.keys import key_file_path
from tests.basics import ADMIN
from tests.crash_driver import THROWAWAY_PREFIX, backup_files

_SIDE_FILES = (".key.json", "-journal", "-wal", "-shm")


@dataclass(frozen=True)
class BackupContent:
    """What one backup file held, read from a restore of it."""

    name: str
    head: tuple[int, str]  # its newest audit event: seq, hash
    subjects: dict[str, str]  # member number -> subject id
    consented: frozenset[str]  # members with an accepted consent
    operators: frozenset[str]  # the driver's active throwaway operators
    key_bytes: bytes  # its key file, as it puts it in place


@dataclass
class BackupBook:
    folder: Path  # where the store and the numbered backups are
    scratch: Path  # where each backup is restored to be read
    password: str  # an administrator's, unchanged by the backup operation
    recovery_key: str  # checks every keyed link of a restored backup
    loss: Callable[[str], None]
    contents: dict[str, BackupContent] = field(default_factory=dict)
    unreadable: set[str] = field(default_factory=set)  # reported once
    set_asides: set[str] = field(default_factory=set)
    restores_printed: int = 0
    restores_settled: int = 0  # printed restores already matched with a set-aside
    restored_checks: int = 0  # backup files restored and read
    kills_mid_restore: int = 0
    kills_left_restored: int = 0  # ... that left the restored store, its restore not printed

    def made(
        self,
        name: str,
        seq: int,
        subjects: Mapping[str, str],
        consented: set[str],
        operators: set[str],
    ) -> None:
        """A printed (or, at the round's end, a found) backup: it restores, and holds everything
        printed before it; a printed one's own event follows its newest."""
        content = self._read(name)
        if content is None:
            return
        if seq and content.head[0] != seq - 1:
            self.loss(f"{name}: its newest event is {content.head[0]}, its own event is {seq}")
        missing = [m for m, s in subjects.items() if content.subjects.get(m) != s]
        missing += sorted(consented - content.consented)
        missing += sorted(operators - content.operators)
        if missing:
            self.loss(f"{name} lacks what was printed before it: {missing[:5]}")

    def restored(self, name: str, seq: int) -> BackupContent | None:
        """A printed restore: its event follows the newest event of the backup it restored."""
        self.restores_printed += 1
        content = self.contents.get(name)
        if content is None:
            self.loss(f"restored from {name}, which was never seen whole")
        elif seq != content.head[0] + 1:
            self.loss(f"restore of {name} audited as {seq}, after its newest {content.head[0]}")
        return content

    def found(self, subjects: Mapping[str, str], consented: set[str], operators: set[str]) -> None:
        """After a kill: a backup file that took its name but whose line was not printed (the kill
        fell after its rename) must be whole too; it holds everything printed in the round."""
        seen = self.contents.keys() | self.unreadable
        unseen = [p.name for p in backup_files(self.folder) if p.name not in seen]
        if len(unseen) > 1:
            self.loss(f"{len(unseen)} backups appeared without their line: {unseen}")
        for name in unseen:
            self.made(name, 0, subjects, consented, operators)

    def settle(self, store: Store) -> BackupContent | None:
        """After a kill, with the store opened: was a restore under way, and did it swap the
        backup in? Returns the backup the store now is, when its restore was not printed."""
        asides = {
            p.name
            for p in self.folder.glob(f"{store.path.name}.before-restore-*")
            if not p.name.endswith(_SIDE_FILES)
        }
        new_asides = len(asides - self.set_asides)
        in_flight = new_asides - (self.restores_printed - self.restores_settled)
        self.set_asides, self.restores_settled = asides, self.restores_printed
        if in_flight == 0:
            return None
        if in_flight != 1:
            self.loss(f"{new_asides} stores set aside, {in_flight} more than restores printed")
            return None
        self.kills_mid_restore += 1
        backup = self.contents.get(backup_files(self.folder)[-1].name)
        if backup is None:
            return None  # reported when it was found
        seq, digest = backup.head
        rows = dict(
            (int(row[0]), row[1:])
            for row in store.execute(
                "SELECT seq, hash, kind, detail FROM audit_events WHERE seq IN (?, ?)",
                (seq, seq + 1),
            )
        )
        if seq not in rows or rows[seq][0] != digest:
            self.loss(f"mid-restore of {backup.name}: event {seq} is not the one both stores hold")
            return None
        following = rows.get(seq + 1)
        if following is None:
            self.loss(f"the store restored from {backup.name} does not record its restore")
        elif following[1] != AuditKind.STORE_RESTORED:
            return None  # the old store: the generic checks hold it to everything printed
        elif json.loads(following[2]).get("backup") != backup.name:
            self.loss(f"the store restored from {backup.name} records another restore")
        self.kills_left_restored += 1
        if key_file_path(store.path).read_bytes() != backup.key_bytes:
            self.loss(f"the store restored from {backup.name} has another key file (a mix)")
        return backup

    def all_still_restore(self) -> None:
        """At the end: every backup file seen is still whole (a backup is a promise too)."""
        for name in self.contents:
            try:
                read_backup(self.folder / name)
            except Exception as exc:  # any failure is a loss, named
                self.loss(f"{name} no longer reads back: {exc}")

    def _read(self, name: str) -> BackupContent | None:
        target = self.scratch / name / "station.db"
        try:
            report = restore_backup(
                self.folder / name, target, replace=False, name=ADMIN, password=self.password
            )
            key_bytes = key_file_path(target).read_bytes()
            store = Store.open(target, ADMIN, self.password)
            try:
                content = self._content(name, store, key_bytes)
            finally:
                store.close()
            head = report.backup.audit_head
            if head is None or (head.seq, head.hash) != content.head:
                self.loss(f"{name}: its manifest names the head {head}, it holds {content.head}")
        except Exception as exc:  # any failure is a loss, named
            self.loss(f"{name} does not restore: {exc!r}")
            self.unreadable.add(name)
            return None
        finally:
            shutil.rmtree(self.scratch / name, ignore_errors=True)
        self.restored_checks += 1
        self.contents[name] = content
        return content

    def _content(self, name: str, store: Store, key_bytes: bytes) -> BackupContent:
        repo = Repositories(store)
        chain = verify_audit_chain(repo.audit, recovery_key=self.recovery_key)
        linked = chain.links.checked if chain.links is not None else 0
        if not (store.integrity_ok() and chain.ok and linked == chain.events_checked):
            # Reported; its content is still what a restore of it brings back.
            self.loss(f"{name}: restored, it fails its checks ({chain.summary}, {linked} linked)")
        newest, head = store.execute(
            "SELECT seq, hash, kind FROM audit_events ORDER BY seq DESC LIMIT 2"
        ).fetchall()
        if newest[2] != AuditKind.STORE_RESTORED:
            self.loss(f"{name}: restored, its newest event is {newest[2]}")
        subjects = dict(store.execute("SELECT member_number, id FROM subjects").fetchall())
        consented = store.execute(
            "SELECT s.member_number FROM subjects s JOIN consents c ON c.subject_id = s.id "
            "WHERE c.accepted = 1"
        ).fetchall()
        return BackupContent(
            name=name,
            head=(int(head[0]), str(head[1])),
            subjects={str(m): str(s) for m, s in subjects.items()},
            consented=frozenset(str(row[0]) for row in consented),
            operators=frozenset(
                account.name
                for account in repo.operators.accounts()
                if account.active and account.name.startswith(THROWAWAY_PREFIX)
            ),
            key_bytes=key_bytes,
        )
