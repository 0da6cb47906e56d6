"""Crash safety (R12, R14, R4): SIGKILL the station at random moments of enroll, verify (also with
the liveness check on), purge, withdrawal, key changes and backup and restore, many times, on the
real SQLCipher store with the real models.

Each round starts tests/crash_driver.py as a child process, waits for its `ready`, lets it work for
a seeded random 0.05–1.5 s (up to 7 s for a live verification, which takes seconds of frames) and
kills it with SIGKILL. The child printed one line per committed effect; the test then opens the
store itself and checks that it passes SQLCipher's and SQLite's integrity checks, that every printed
effect is still there, and that nothing is half-made: no template without its subject or link, no
link without its template, no row whose audit event is missing (or the reverse), an audit chain that
verifies, and no key slot that opens nothing or lets in someone who should not get in; every backup
restores, and a kill inside a restore left the old store or the restored one (tests/crash_backups.py).
The next round's child signs in to the store the kill left behind.

Kills per operation: 8, or CRASH_KILLS shared evenly by the operations (`make soak`, not part of
`make test`). With CRASH_JSON=path the figures are also written there as JSON.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest

from station.biometrics.model_sets import CURRENT
from station.domain import AuditEvent, AuditKind, OperatorAccount, Role
from station.services.opening import open_station
from station.storage import Repositories, Store, WrongKeyError
from station.storage.audit_chain import verify_audit_chain
from station.storage.consents import FACE_PURPOSE, WITHDRAWAL
from station.storage.erasure import ERASED_MEMBERS
from station.storage.keys import (
    PASSWORD,
    RECOVERY,
    KeyFile,
    KeySlot,
    key_file_path,
    parse_recovery_key,
    read_key_file,
    staged_key_path,
    wipe,
)
from tests.conftest import ADMIN, FAST_KDF, STORE_SECRET
from tests.crash_backups import BackupBook, BackupContent
from tests.crash_driver import (
    ADMIN_PASSWORDS,
    OPERATIONS,
    OPERATOR_PASSWORD,
    detail_digest,
    driver_settings,
    start_clock,
)
from tests.pagescan import JOURNAL_MAGIC

REPO = Path(__file__).resolve().parents[2]


def kills_per_operation() -> dict[str, int]:
    """8 each, or CRASH_KILLS in all, shared as evenly as it goes (the first ones get one more)."""
    total = os.environ.get("CRASH_KILLS", "")
    if not total:
        return dict.fromkeys(OPERATIONS, 8)
    if not total.isdigit() or int(total) < len(OPERATIONS):
        raise ValueError(f"CRASH_KILLS must be a number of at least {len(OPERATIONS)}: {total!r}")
    each, more = divmod(int(total), len(OPERATIONS))
    return {operation: each + (i < more) for i, operation in enumerate(OPERATIONS)}


KILLS = kills_per_operation()
# A live verification takes several seconds of frames: its kills need a wider window to land on
# its commit, not only inside its capture.
LATEST_KILL = {"liveness": 7.0}  # seconds after `ready`; 1.5 otherwise
FIRST_KILL_AFTER = {"liveness": 1}  # committed lines the first round waits for; 3 otherwise
# The lines that show the operation itself committed (each asserted seen across the loop).
MAIN_EFFECT = {
    "enroll": ("enrolled",),
    "verify": ("verified",),
    "liveness": ("verified",),
    "purge": ("purged",),
    "withdraw": ("withdrew", "erased"),
    "keys": ("password", "added-operator", "removed-operator"),
    "backup": ("backed-up", "restored"),
}
AUDITED = {"backed-up": AuditKind.STORE_BACKED_UP, "restored": AuditKind.STORE_RESTORED}
DESTROYS = ("template_expired", "face_consent_withdrawn", "face_data_deleted")
ERASED = AuditKind.MEMBER_ERASED.value
CONSENT_EVENTS = ("face_consent_accepted", "face_consent_declined", "face_consent_withdrawn")


@dataclass
class Ledger:
    """Everything the children printed, i.e. every effect they saw committed."""

    subjects: dict[str, str] = field(default_factory=dict)  # member number -> subject id
    consented: set[str] = field(default_factory=set)
    templates: dict[str, str] = field(default_factory=dict)  # member number -> template id
    verified: list[tuple[str, int, str, str]] = field(default_factory=list)  # ... detail digest
    withdrawn: set[str] = field(default_factory=set)
    erased: set[str] = field(default_factory=set)  # issue 15: members erased at end of service
    purged: set[str] = field(default_factory=set)  # subject ids
    admin_password: int = 0  # index into ADMIN_PASSWORDS
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    # Audit events printed as such (seq -> kind, file) and events a backup holds (seq -> hash).
    audited: dict[int, tuple[str, str]] = field(default_factory=dict)
    anchors: dict[int, str] = field(default_factory=dict)
    backups: BackupBook | None = None  # the backup operation's
    effects: int = 0
    kinds_seen: set[str] = field(default_factory=set)

    def record(self, line: str) -> None:
        kind, *args = line.split()
        if kind == "ready":
            return
        self.effects += 1
        self.kinds_seen.add(kind)
        if kind == "registered":
            self.subjects[args[0]] = args[1]
        elif kind == "consented":
            self.consented.add(args[0])
        elif kind == "enrolled":
            self.templates[args[0]] = args[1]
        elif kind == "verified":
            self.verified.append((args[0], int(args[1]), args[2], args[3]))
        elif kind == "withdrew":
            self.withdrawn.add(args[0])
        elif kind == "erased":
            self.erased.add(args[0])
        elif kind == "purged":
            assert int(args[0]) == len(args) - 1, line
            self.purged.update(args[1:])
        elif kind == "password":
            self.admin_password = int(args[1])
        elif kind == "added-operator":
            self.added.add(args[0])
        elif kind == "removed-operator":
            self.removed.add(args[0])
        elif kind in AUDITED and self.backups is not None:
            self._backup_line(kind, args[0], int(args[1]))
        else:
            raise AssertionError(f"the driver printed an unknown effect: {line!r}")

    def _backup_line(self, kind: str, name: str, seq: int) -> None:
        assert self.backups is not None
        if kind == "backed-up":
            self.backups.made(name, seq, self.subjects, self.consented, self.added)
        else:
            restored = self.backups.restored(name, seq)
            if restored is not None:
                self.rewind(restored)
        content = self.backups.contents.get(name)
        if content is not None:
            self.anchors[content.head[0]] = content.head[1]
        self.audited[seq] = (AUDITED[kind].value, name)

    def rewind(self, backup: BackupContent) -> None:
        """The store is now `backup`: what was committed after it was made is gone, legitimately.
        (The backup operation only registers, consents and adds operators.)"""
        self.subjects = dict(backup.subjects)
        self.consented = set(backup.consented)
        self.added = set(backup.operators)
        head = backup.head[0]
        self.verified = [entry for entry in self.verified if entry[1] <= head]
        self.audited = {seq: event for seq, event in self.audited.items() if seq <= head}
        self.anchors = {seq: digest for seq, digest in self.anchors.items() if seq <= head}
        self.anchors[head] = backup.head[1]


@dataclass
class Tally:
    kills: int = 0
    kills_in_transaction: int = 0  # a journal was left: the kill fell inside a write
    kills_rolled_back: int = 0  # ... while the database file was written: rolled back at open
    kills_in_key_write: int = 0  # a key file's temporary copy was left
    records: int = 0  # distinct committed effects the children printed
    records_checked: int = 0  # printed effects verified, summed over every check after a kill
    rows_checked: int = 0  # subjects, templates, links, consents, audit events and key slots
    losses: list[str] = field(default_factory=list)
    in_flight_password_changes: int = 0  # key file written, kill before the line was printed
    orphan_slots_dropped: int = 0  # slots of a cut-short add/remove, gone at the next sign-in
    backups_restored: int = 0  # backup files restored and read (the backup operation)
    kills_mid_restore: int = 0  # the old store was set aside when the kill came
    kills_left_restored: int = 0  # ... and the restored store was in place, its line unprinted
    seconds: float = 0.0
    seconds_checking: float = 0.0  # of which the checks after the kills took


@pytest.fixture(scope="module")
def tallies() -> Iterator[dict[str, Tally]]:
    collected: dict[str, Tally] = {}
    yield collected
    for operation, tally in collected.items():
        restores = (
            f"{tally.backups_restored} backups restored and read, {tally.kills_mid_restore} "
            f"kills inside a restore ({tally.kills_left_restored} left the restored store), "
            if tally.backups_restored
            else ""
        )
        print(
            f"\ncrash safety [{operation}]: {tally.kills} kills ({tally.kills_in_transaction} "
            f"inside a write transaction, {tally.kills_rolled_back} of them rolled back from a "
            f"hot journal, {tally.kills_in_key_write} inside a key-file write, "
            f"{tally.in_flight_password_changes} between a password change and its line), "
            f"{tally.records} committed records, {tally.records_checked} record checks, "
            f"{tally.rows_checked} rows/slots checked, {tally.orphan_slots_dropped} orphan slots "
            f"dropped at the next sign-in, {restores}{len(tally.losses)} losses, "
            f"{tally.seconds / max(tally.kills, 1):.1f} s a kill "
            f"({tally.seconds_checking / max(tally.kills, 1):.1f} s of it checking)"
        )
    losses = [f"{operation}: {loss}" for operation, t in collected.items() for loss in t.losses]
    total = {
        "kills": sum(t.kills for t in collected.values()),
        "committed_records": sum(t.records for t in collected.values()),
        "record_checks": sum(t.records_checked for t in collected.values()),
        "rows_checked": sum(t.rows_checked for t in collected.values()),
        "losses": losses,
        "per_operation": {operation: asdict(t) for operation, t in collected.items()},
        "seconds": round(sum(t.seconds for t in collected.values()), 1),
    }
    print(
        f"crash safety total: {total['kills']} kills, {total['committed_records']} committed "
        f"records, {total['record_checks']} record checks, {len(losses)} losses found, "
        f"{total['seconds']} s"
    )
    if os.environ.get("CRASH_JSON"):
        out = Path(os.environ["CRASH_JSON"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(total, indent=2) + "\n")


# running the child
def run_until_killed(
    path: Path, operation: str, seed: int, delay: float, wait_for_effect: bool, log: Path
) -> list[str]:
    """Start the driver, wait for `ready` (and, when asked, for a few committed lines including the
    operation's own), let it run `delay` seconds, SIGKILL it; return every complete line it printed."""
    command = [sys.executable, "-m", "tests.crash_driver", str(path), operation, str(seed)]
    with log.open("wb") as stderr:
        child = subprocess.Popen(
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    assert child.stdout is not None
    stdout = child.stdout
    lines: list[str] = []
    try:
        for line in stdout:
            lines.append(line)
            if line == "ready\n":
                break
        else:
            pytest.fail(f"the {operation} driver ended before `ready`:\n{_tail(log)}")
        if wait_for_effect:
            for after_ready, line in enumerate(stdout, 1):
                lines.append(line)
                enough = after_ready >= FIRST_KILL_AFTER.get(operation, 3)
                if enough and line.split()[0] in MAIN_EFFECT[operation]:
                    break

        def collect() -> None:
            for line in stdout:
                lines.append(line)

        reader = threading.Thread(target=collect, daemon=True)
        reader.start()
        time.sleep(delay)
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reader.join()
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
        stdout.close()
    # The driver must have been killed in its loop, not have stopped on its own.
    assert child.returncode == -signal.SIGKILL, (
        f"the {operation} driver exited with {child.returncode} before the kill:\n{_tail(log)}"
    )
    return [line.rstrip("\n") for line in lines if line.endswith("\n")]


def _tail(log: Path) -> str:
    text = log.read_text(errors="replace").splitlines()
    return "\n".join(line for line in text if not line.startswith(("W0000", "I0000")))[-3000:]


# checking the store the kill left behind
def _opens(slot: KeySlot, secret: str) -> bytearray | None:
    try:
        return slot.open(secret.encode("utf-8"))
    except WrongKeyError:
        return None


def _unlock_admin(key_file: KeyFile) -> list[int]:
    """Indexes of the known administrator passwords that open ADMIN's slot."""
    working = []
    for index, password in enumerate(ADMIN_PASSWORDS):
        try:
            wipe(key_file.unlock(ADMIN, password))
        except WrongKeyError:
            continue
        working.append(index)
    return working


@dataclass(frozen=True)
class Snapshot:
    """The rows the checks compare, read in one query per table (a check after a kill in a long
    soak reads tens of thousands of them)."""

    subjects: dict[str, str]  # subject id -> member number
    links: dict[str, str]  # subject id -> template id
    template_sizes: dict[str, int]  # template id -> bytes of its vector
    consents: dict[str, list[tuple[bool, str, str]]]  # subject id -> (accepted, method, purpose)
    failures: dict[str, int]  # subject id -> consecutive failed face attempts (R24)
    operators: dict[str, OperatorAccount]
    events: list[AuditEvent]
    by_subject: dict[str, list[AuditEvent]]
    by_seq: dict[int, AuditEvent]

    @classmethod
    def read(cls, store: Store, repo: Repositories) -> Snapshot:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            return [tuple(row) for row in store.execute(sql).fetchall()]

        consents: dict[str, list[tuple[bool, str, str]]] = {}
        for subject_id, accepted, method, purpose in rows(
            "SELECT subject_id, accepted, method, purpose FROM consents ORDER BY recorded_at, rowid"
        ):
            consents.setdefault(subject_id, []).append((bool(accepted), method, purpose))
        events = repo.audit.events()
        by_subject: dict[str, list[AuditEvent]] = {}
        for event in events:
            if event.subject_id is not None:
                by_subject.setdefault(event.subject_id, []).append(event)
        return cls(
            subjects=dict(rows("SELECT id, member_number FROM subjects")),
            links=dict(rows("SELECT subject_id, template_id FROM subject_templates")),
            template_sizes=dict(rows("SELECT id, length(vector) FROM templates")),
            consents=consents,
            failures=dict(
                rows("SELECT subject_id, consecutive_failures FROM attempts WHERE factor = 'face'")
            ),
            operators={account.name: account for account in repo.operators.accounts()},
            events=events,
            by_subject=by_subject,
            by_seq={event.seq: event for event in events},
        )

    def kinds(self, subject_id: str) -> set[str]:
        return {event.kind for event in self.by_subject.get(subject_id, [])}


class Checker:
    """Checks one store after a kill; problems are collected as losses, never skipped."""

    def __init__(
        self, path: Path, recovery_key: str, tally: Tally, backups: BackupBook | None = None
    ) -> None:
        self.path = path
        self.recovery_key = recovery_key
        self.tally = tally
        self.backups = backups
        self.orphans_seen: set[str] = set()  # slot ids left by a cut-short add or remove
        self.key_write_seen: tuple[int, int] | None = None

    def loss(self, message: str) -> None:
        self.tally.losses.append(f"after kill {self.tally.kills}: {message}")

    def expect(self, condition: bool, message: str) -> None:
        if not condition:
            self.loss(message)

    def check(self, ledger: Ledger) -> None:
        journal = self.path.with_name(self.path.name + "-journal")
        # A journal left behind: the kill fell inside a write transaction. Its magic number is
        # written only once the database file itself is about to change (SQLite's journal
        # format); only then is the journal "hot" and must be rolled back at the next open.
        hot = journal.exists() and journal.read_bytes()[:8] == JOURNAL_MAGIC
        self.tally.kills_in_transaction += journal.exists()
        self.tally.kills_rolled_back += hot
        key_path = key_file_path(self.path)
        temporary = key_path.with_name(key_path.name + ".tmp")
        if temporary.exists():  # counted once: it stays until the next key file write
            identity = (temporary.stat().st_ino, temporary.stat().st_mtime_ns)
            self.tally.kills_in_key_write += identity != self.key_write_seen
            self.key_write_seen = identity
        self._check(ledger)
        if hot:
            self.expect(not journal.exists(), "the hot journal was not rolled back at opening")

    def _check(self, ledger: Ledger) -> None:
        if staged_key_path(key_file_path(self.path)).exists():
            # A key change killed between its audit event and taking effect: the next sign-in
            # settles it from the audit trail (accounts.settle_staged_key_file), as here.
            self.tally.kills_in_key_write += 1
            for password in ADMIN_PASSWORDS:  # a success clears the failure before it
                try:
                    open_station(
                        self.path,
                        ADMIN,
                        password,
                        driver_settings(),
                        start_clock(self.path, password),
                    ).close()
                except WrongKeyError:
                    continue
                break
            self.expect(
                not staged_key_path(key_file_path(self.path)).exists(),
                "a staged key change was not settled at sign-in",
            )
        key_file = read_key_file(key_file_path(self.path))  # parses, or raises: a loss too
        working = _unlock_admin(key_file)
        self.expect(
            len(working) == 1,
            f"exactly one known password must open {ADMIN}'s slot, these do: {working}",
        )
        if not working:
            return
        if working[0] != ledger.admin_password:
            # The kill fell between writing the key file and printing `password`.
            self.tally.in_flight_password_changes += 1
            ledger.admin_password = working[0]
        store = Store.open(self.path, ADMIN, ADMIN_PASSWORDS[working[0]])
        # Opening finishes a create or restore a kill cut short, which may put a key file in place.
        key_file = read_key_file(key_file_path(self.path))
        try:
            self.expect(store.integrity_ok(), "cipher_integrity_check / integrity_check failed")
            repo = Repositories(store)
            if self.backups is not None:
                restored = self.backups.settle(store)
                if restored is not None:  # a restore the kill cut short after its swap
                    ledger.rewind(restored)
            seen = Snapshot.read(store, repo)
            self._check_rows(store, seen)
            self._check_effects(seen, ledger)
            self._check_key_slots(key_file, repo, ledger)
            self._check_chain(repo)
        finally:
            store.close()

    def _check_chain(self, repo: Repositories) -> None:
        """The hash chain, and every event's keyed link under the recovery key (issue 14): an
        event and the link key it advanced commit together, or neither does."""
        chain = verify_audit_chain(repo.audit, recovery_key=self.recovery_key)
        self.expect(chain.ok, f"the audit chain is broken: {chain.summary}")
        linked = chain.links.checked if chain.links is not None else 0
        self.expect(
            linked == chain.events_checked,
            f"{linked} of {chain.events_checked} events' keyed links verify",
        )
        self.tally.rows_checked += chain.events_checked

    def _check_rows(self, store: Store, seen: Snapshot) -> None:
        """Nothing half-made: links, templates and subjects agree, and every row was written in
        the same transaction as its audit event (so a kill left both or neither)."""
        self.expect(
            not store.execute("PRAGMA foreign_key_check").fetchall(), "foreign_key_check fails"
        )
        orphans = {
            "templates without a link": "SELECT count(*) FROM templates WHERE id NOT IN "
            "(SELECT template_id FROM subject_templates)",
            "links to no template": "SELECT count(*) FROM subject_templates WHERE template_id "
            "NOT IN (SELECT id FROM templates)",
            "links to no subject": "SELECT count(*) FROM subject_templates WHERE subject_id "
            "NOT IN (SELECT id FROM subjects)",
            "consents of no subject": "SELECT count(*) FROM consents WHERE subject_id NOT IN "
            "(SELECT id FROM subjects)",
            "attempt counts of no subject": "SELECT count(*) FROM attempts WHERE "
            "subject_id NOT IN (SELECT id FROM subjects)",
        }
        for what, sql in orphans.items():
            found = int(store.execute(sql).fetchone()[0])
            self.expect(found == 0, f"{found} {what}")
        for subject_id in seen.subjects:
            mine = seen.by_subject.get(subject_id, [])
            kinds = [e.kind for e in mine]
            self.expect(
                kinds.count("subject_registered") == 1,
                f"subject {subject_id} has {kinds.count('subject_registered')} registration events",
            )
            consents = len(seen.consents.get(subject_id, []))
            consent_events = sum(kinds.count(k) for k in CONSENT_EVENTS)
            self.expect(
                consents == consent_events,
                f"subject {subject_id}: {consents} consent rows, {consent_events} consent events",
            )
            made = kinds.count("face_enrolled")
            replaced = sum(
                1 for e in mine if e.kind == "face_enrolled" and e.detail.get("replaced_template")
            )
            destroyed = sum(
                1 if e.kind == "template_expired" else int(e.detail.get("templates_destroyed", 0))
                for e in mine
                if e.kind in DESTROYS
            )
            linked = int(subject_id in seen.links)
            self.expect(
                linked == made - replaced - destroyed,
                f"subject {subject_id}: {linked} templates stored, but the audit trail says "
                f"{made} made, {replaced} replaced, {destroyed} destroyed",
            )
            self._check_attempts(seen.failures.get(subject_id, 0), subject_id, mine)
        erasures = 0
        for event in seen.events:
            if event.kind == "subject_registered":
                self.expect(
                    event.subject_id in seen.subjects
                    or ERASED in seen.kinds(event.subject_id or ""),
                    f"event {event.seq}: no subject",
                )
            elif event.kind == ERASED:  # the record went in the event's own transaction
                erasures += 1
                self.expect(
                    event.subject_id not in seen.subjects,
                    f"event {event.seq}: erased subject {event.subject_id} is still there",
                )
        # Issue 15: the count the processing record keeps moves with the erasure, never apart.
        tallied = Repositories(store).erasure.tally(ERASED_MEMBERS)
        self.expect(tallied == erasures, f"{tallied} erasures counted, {erasures} audited")
        self.tally.rows_checked += len(seen.subjects) + len(seen.template_sizes)

    def _check_attempts(self, stored: int, subject_id: str, events: list[AuditEvent]) -> None:
        """R24's count is written with its verify_face event: the two must agree."""
        failures = 0
        for event in events:
            status = event.detail.get("status") if event.kind == "verify_face" else None
            if status == "accepted" or event.kind == "face_reenabled":
                failures = 0
            elif status == "rejected":
                failures += 1
        self.expect(
            stored == failures,
            f"subject {subject_id}: {stored} stored failures, the audit trail counts {failures}",
        )

    def _check_effects(self, seen: Snapshot, ledger: Ledger) -> None:
        """Every printed effect is there, whole."""
        checked = 0
        # Erased at the end of service, printed or after the last printed line (the trail says).
        erased = {m for m, s in ledger.subjects.items() if ERASED in seen.kinds(s)}
        for member in ledger.erased:
            subject_id = ledger.subjects.get(member, "")
            self.expect(
                member in erased and subject_id not in seen.subjects,
                f"the erasure of {member} ({subject_id}) is not whole",
            )
            checked += 1
        for member, subject_id in ledger.subjects.items():
            self.expect(
                seen.subjects.get(subject_id) == member or member in erased,
                f"registered {member} ({subject_id}) is gone",
            )
            checked += 1
        for member in ledger.consented - erased:
            consents = seen.consents.get(ledger.subjects.get(member, ""), [])
            self.expect(
                any(accepted for accepted, _, _ in consents), f"the consent of {member} is gone"
            )
            checked += 1
        for member, template_id in ledger.templates.items():
            subject_id = ledger.subjects.get(member, "")
            stored = seen.links.get(subject_id)
            size = seen.template_sizes.get(template_id)
            if member in ledger.withdrawn or member in erased or subject_id in ledger.purged:
                self.expect(
                    stored is None and size is None,
                    f"{member}'s template {template_id} survived its printed destruction",
                )
            elif stored is None:
                # Destroyed after the kill's last printed line: the trail must say so.
                self.expect(
                    size is None and bool(seen.kinds(subject_id) & set(DESTROYS)),
                    f"enrolled {member}'s template {template_id} is lost",
                )
            else:
                self.expect(
                    stored == template_id and size == CURRENT.size * 4,
                    f"enrolled {member}: linked {stored}, stored size {size}, printed "
                    f"{template_id}",
                )
            checked += 1
        for member, seq, status, digest in ledger.verified:
            event = seen.by_seq.get(seq)
            self.expect(
                event is not None
                and event.kind == "verify_face"
                and event.subject_id == ledger.subjects.get(member)
                and event.detail.get("status") == status
                and detail_digest(event.detail) == digest,
                f"verification {seq} of {member} ({status}) is gone or changed: {event}",
            )
            checked += 1
        for seq, (kind, name) in ledger.audited.items():
            event = seen.by_seq.get(seq)
            self.expect(
                event is not None
                and event.kind == kind
                and name in (event.detail.get("file"), event.detail.get("backup")),
                f"the {kind} event {seq} of {name} is gone or changed: {event}",
            )
            checked += 1
        for seq, digest in ledger.anchors.items():
            event = seen.by_seq.get(seq)
            self.expect(
                event is not None and event.hash == digest,
                f"event {seq}, the newest a backup holds, is gone or changed",
            )
            checked += 1
        for member in ledger.withdrawn:
            subject_id = ledger.subjects.get(member, "")
            face = [c for c in seen.consents.get(subject_id, []) if c[2] == FACE_PURPOSE]
            self.expect(
                subject_id not in seen.links
                and bool(face)
                and face[-1][:2] == (False, WITHDRAWAL)
                and "face_consent_withdrawn" in seen.kinds(subject_id),
                f"the withdrawal of {member} is not whole",
            )
            checked += 1
        for subject_id in ledger.purged:
            self.expect(
                subject_id in seen.subjects
                and subject_id not in seen.links
                and "template_expired" in seen.kinds(subject_id),
                f"the purge of subject {subject_id} is not whole",
            )
            checked += 1
        removals = {e.detail.get("operator") for e in seen.events if e.kind == "operator_removed"}
        for name in ledger.added - ledger.removed:
            account = seen.operators.get(name)
            self.expect(
                account is not None and (account.active or name in removals),
                f"added operator {name} is gone (and no removal is audited)",
            )
            checked += 1
        for name in ledger.removed:
            account = seen.operators.get(name)
            self.expect(
                account is not None and not account.active, f"removed {name} is still active"
            )
            checked += 1
        checked += "password" in ledger.kinds_seen  # the last printed password opens ADMIN's slot
        self.tally.records_checked += checked

    def _check_key_slots(self, key_file: KeyFile, repo: Repositories, ledger: Ledger) -> None:
        """Every slot opens the store's own data key with a known secret; every active account has
        one; a slot without an active account (an add or remove cut short) is at most one and is
        gone after the next sign-in; removed operators have none."""
        admin_key = key_file.unlock(ADMIN, ADMIN_PASSWORDS[ledger.admin_password])
        active = {
            key_file.label(account.name): account
            for account in repo.operators.accounts()
            if account.active
        }
        recovery = [s for s in key_file.slots if s.kind == RECOVERY]
        self.expect(len(recovery) == 1, f"{len(recovery)} recovery slots")
        for slot in recovery:
            opened = slot.open(parse_recovery_key(self.recovery_key))
            self.expect(opened == admin_key, "the recovery slot opens another key")
        orphans: set[str] = set()
        for slot in (s for s in key_file.slots if s.kind == PASSWORD):
            account = active.get(slot.label)
            if account is not None:
                secret = (
                    ADMIN_PASSWORDS[ledger.admin_password]
                    if account.role is Role.ADMINISTRATOR
                    else OPERATOR_PASSWORD
                )
                self.expect(
                    _opens(slot, secret) == admin_key, f"{account.name}'s slot does not open"
                )
            else:
                orphans.add(slot.slot_id)
                candidates = [
                    _opens(slot, secret) for secret in (*ADMIN_PASSWORDS, OPERATOR_PASSWORD)
                ]
                self.expect(
                    admin_key in candidates, f"slot {slot.slot_id} opens with no known password"
                )
        labels = {s.label for s in key_file.slots if s.kind == PASSWORD}
        for label, account in active.items():
            self.expect(label in labels, f"active operator {account.name} has no key slot")
        for name in ledger.removed:
            self.expect(key_file.slot_for(name) is None, f"removed {name} still has a key slot")
        self.expect(len(orphans) <= 1, f"{len(orphans)} slots without an active account")
        survivors = orphans & self.orphans_seen
        self.expect(not survivors, f"orphan slots {survivors} survived a sign-in")
        self.tally.orphan_slots_dropped += len(self.orphans_seen - orphans)
        self.orphans_seen = orphans
        self.tally.rows_checked += len(key_file.slots)
        wipe(admin_key)


# the test
@pytest.mark.timeout(max(300, 30 * max(KILLS.values())))  # a soak's operation runs for minutes
@pytest.mark.parametrize("operation", OPERATIONS)
def test_sigkill_at_random_moments_loses_no_committed_record(
    operation: str, tmp_path: Path, tallies: dict[str, Tally]
) -> None:
    started = time.monotonic()
    tally = tallies.setdefault(operation, Tally())
    path = tmp_path / "data" / "station.db"
    store, recovery_key = Store.create(path, ADMIN, STORE_SECRET, FAST_KDF)
    store.close()
    backups = None
    if operation == "backup":
        backups = BackupBook(
            path.parent,
            tmp_path / "backup-checks",
            STORE_SECRET,  # the backup operation changes no password
            recovery_key,
            lambda message: tally.losses.append(f"after kill {tally.kills}: {message}"),
        )
    try:
        _kill_and_check(operation, Checker(path, recovery_key, tally, backups), tmp_path)
    except (Exception, pytest.fail.Exception) as stopped:
        # A soak goes on with the next operation; the figures say why this one stopped.
        tally.losses.append(f"after kill {tally.kills}: stopped: {stopped}")
        raise
    finally:
        tally.seconds = round(time.monotonic() - started, 1)
        tally.seconds_checking = round(tally.seconds_checking, 1)
        if backups is not None:
            tally.backups_restored = backups.restored_checks
            tally.kills_mid_restore = backups.kills_mid_restore
            tally.kills_left_restored = backups.kills_left_restored
    assert not tally.losses, "\n".join(tally.losses)


def _kill_and_check(operation: str, checker: Checker, tmp_path: Path) -> None:
    path, tally, backups = checker.path, checker.tally, checker.backups
    rng = random.Random(f"crash-safety {operation}")
    ledger = Ledger(backups=backups)
    for round_number in range(KILLS[operation]):
        delay = rng.uniform(0.05, LATEST_KILL.get(operation, 1.5))
        lines = run_until_killed(
            path,
            operation,
            seed=round_number + 1,
            delay=delay,
            wait_for_effect=round_number == 0,  # the first kill after some real work
            log=tmp_path / f"driver-{round_number}.log",
        )
        tally.kills += 1
        for line in lines:
            ledger.record(line)
        checking = time.monotonic()
        if backups is not None:
            backups.found(ledger.subjects, ledger.consented, ledger.added)
        checker.check(ledger)
        tally.seconds_checking += time.monotonic() - checking
    # Not vacuous: the operation itself committed, and was checked, across the loop.
    assert set(MAIN_EFFECT[operation]) <= ledger.kinds_seen, ledger.kinds_seen
    # After the last kill the station still signs in (start-up runs its purge and drops key slots
    # a cut-short add or remove left), and the store is still whole afterwards.
    settings = driver_settings()
    password = ADMIN_PASSWORDS[ledger.admin_password]
    open_station(path, ADMIN, password, settings, start_clock(path, password)).close()
    if operation == "keys":
        key_file = read_key_file(key_file_path(path))
        labels = {key_file.label(a.name) for a in _accounts(path, password) if a.active}
        assert all(s.label in labels for s in key_file.slots if s.kind == PASSWORD)
        # Added operators can sign in; removed ones cannot.
        still_active = sorted(
            a.name for a in _accounts(path, password) if a.active and a.name in ledger.added
        )
        assert still_active, "no operator the driver printed as added is active at the end"
        station = open_station(
            path, still_active[0], OPERATOR_PASSWORD, settings, start_clock(path, password)
        )
        assert station.signed_in is not None and station.signed_in.role is Role.OPERATOR
        station.close()
        with pytest.raises(WrongKeyError):
            open_station(
                path,
                sorted(ledger.removed)[0],
                OPERATOR_PASSWORD,
                settings,
                start_clock(path, password),
            )
    if backups is not None:
        backups.all_still_restore()
    checker.check(ledger)
    tally.records = ledger.effects
    assert tally.records_checked > 0


def _accounts(path: Path, password: str) -> list[OperatorAccount]:
    store = Store.open(path, ADMIN, password)
    try:
        return list(Repositories(store).operators.accounts())
    finally:
        store.close()
