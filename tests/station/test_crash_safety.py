"""Crash safety (R12, R14, R4): SIGKILL the station at random moments of enroll, verify, purge,
withdrawal and key changes, many times, on the real SQLCipher store with the real models.

Each round starts tests/crash_driver.py as a child process, waits for its `ready`, lets it work for
a seeded random 0.05–1.5 s and kills it with SIGKILL. The child printed one line per committed
effect; the test then opens the store itself and checks that it passes SQLCipher's and SQLite's
integrity checks, that every printed effect is still there, and that nothing is half-made: no
template without its subject or link, no link without its template, no row whose audit event is
missing (or the reverse), an audit chain that verifies, and no key slot that opens nothing or lets in
someone who should not get in. The next round's child signs in to the store the kill left behind.
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from station.biometrics.model_sets import CURRENT
from station.domain import OperatorAccount, Role
from station.services.opening import open_station
from station.storage import Repositories, Store, WrongKeyError
from station.storage.audit_chain import verify_audit_chain
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
from tests.crash_driver import (
    ADMIN_PASSWORDS,
    OPERATOR_PASSWORD,
    driver_settings,
    start_clock,
)
from tests.pagescan import JOURNAL_MAGIC

REPO = Path(__file__).resolve().parents[2]
KILLS_PER_OPERATION = 8
FIRST_KILL_AFTER = 3  # committed lines the first round waits for after `ready`
# The line that shows the operation itself committed at least once (asserted per operation).
MAIN_EFFECT = {
    "enroll": ("enrolled",),
    "verify": ("verified",),
    "purge": ("purged",),
    "withdraw": ("withdrew",),
    "keys": ("password", "added-operator", "removed-operator"),
}
DESTROYS = ("template_expired", "face_consent_withdrawn", "face_data_deleted")
CONSENT_EVENTS = ("face_consent_accepted", "face_consent_declined", "face_consent_withdrawn")


@dataclass
class Ledger:
    """Everything the children printed, i.e. every effect they saw committed."""

    subjects: dict[str, str] = field(default_factory=dict)  # member number -> subject id
    consented: set[str] = field(default_factory=set)
    templates: dict[str, str] = field(default_factory=dict)  # member number -> template id
    verified: list[tuple[str, int, str]] = field(default_factory=list)
    withdrawn: set[str] = field(default_factory=set)
    purged: set[str] = field(default_factory=set)  # subject ids
    admin_password: int = 0  # index into ADMIN_PASSWORDS
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
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
            self.verified.append((args[0], int(args[1]), args[2]))
        elif kind == "withdrew":
            self.withdrawn.add(args[0])
        elif kind == "purged":
            assert int(args[0]) == len(args) - 1, line
            self.purged.update(args[1:])
        elif kind == "password":
            self.admin_password = int(args[1])
        elif kind == "added-operator":
            self.added.add(args[0])
        elif kind == "removed-operator":
            self.removed.add(args[0])
        else:
            raise AssertionError(f"the driver printed an unknown effect: {line!r}")


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


@pytest.fixture(scope="module")
def tallies() -> Iterator[dict[str, Tally]]:
    collected: dict[str, Tally] = {}
    yield collected
    for operation, tally in collected.items():
        print(
            f"\ncrash safety [{operation}]: {tally.kills} kills ({tally.kills_in_transaction} "
            f"inside a write transaction, {tally.kills_rolled_back} of them rolled back from a "
            f"hot journal, {tally.kills_in_key_write} inside a key-file write, "
            f"{tally.in_flight_password_changes} between a password change and its line), "
            f"{tally.records} committed records, {tally.records_checked} record checks, "
            f"{tally.rows_checked} rows/slots checked, {tally.orphan_slots_dropped} orphan slots "
            f"dropped at the next sign-in, {len(tally.losses)} losses"
        )
    print(
        f"crash safety total: {sum(t.kills for t in collected.values())} kills, "
        f"{sum(t.records for t in collected.values())} committed records, "
        f"{sum(t.records_checked for t in collected.values())} record checks, "
        f"{sum(len(t.losses) for t in collected.values())} losses found"
    )


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
                if after_ready >= FIRST_KILL_AFTER and line.split()[0] in MAIN_EFFECT[operation]:
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


class Checker:
    """Checks one store after a kill; problems are collected as losses, never skipped."""

    def __init__(self, path: Path, recovery_key: str, tally: Tally) -> None:
        self.path = path
        self.recovery_key = recovery_key
        self.tally = tally
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
        try:
            self.expect(store.integrity_ok(), "cipher_integrity_check / integrity_check failed")
            repo = Repositories(store)
            self._check_rows(store, repo)
            self._check_effects(store, repo, ledger)
            self._check_key_slots(key_file, repo, ledger)
            chain = verify_audit_chain(repo.audit)
            self.expect(chain.ok, f"the audit chain is broken: {chain.summary}")
            self.tally.rows_checked += chain.events_checked
        finally:
            store.close()

    def _count(self, store: Store, sql: str, parameters: tuple[Any, ...] = ()) -> int:
        return int(store.execute(sql, parameters).fetchone()[0])

    def _check_rows(self, store: Store, repo: Repositories) -> None:
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
            found = self._count(store, sql)
            self.expect(found == 0, f"{found} {what}")
        events = repo.audit.events()
        by_subject: dict[str, list[Any]] = {}
        for event in events:
            if event.subject_id is not None:
                by_subject.setdefault(event.subject_id, []).append(event)
        subject_ids = [str(r[0]) for r in store.execute("SELECT id FROM subjects").fetchall()]
        for subject_id in subject_ids:
            mine = by_subject.get(subject_id, [])
            kinds = [e.kind for e in mine]
            self.expect(
                kinds.count("subject_registered") == 1,
                f"subject {subject_id} has {kinds.count('subject_registered')} registration events",
            )
            consents = self._count(
                store, "SELECT count(*) FROM consents WHERE subject_id = ?", (subject_id,)
            )
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
            linked = self._count(
                store, "SELECT count(*) FROM subject_templates WHERE subject_id = ?", (subject_id,)
            )
            self.expect(
                linked == made - replaced - destroyed,
                f"subject {subject_id}: {linked} templates stored, but the audit trail says "
                f"{made} made, {replaced} replaced, {destroyed} destroyed",
            )
            self._check_attempts(store, subject_id, mine)
        for event in events:
            if event.kind == "subject_registered":
                self.expect(event.subject_id in subject_ids, f"event {event.seq}: no subject")
        self.tally.rows_checked += len(subject_ids) + self._count(
            store, "SELECT count(*) FROM templates"
        )

    def _check_attempts(self, store: Store, subject_id: str, events: list[Any]) -> None:
        """R24's count is written with its verify_face event: the two must agree."""
        failures = 0
        for event in events:
            status = event.detail.get("status") if event.kind == "verify_face" else None
            if status == "accepted" or event.kind == "face_reenabled":
                failures = 0
            elif status == "rejected":
                failures += 1
        row = store.execute(
            "SELECT consecutive_failures FROM attempts WHERE subject_id = ? AND factor = 'face'",
            (subject_id,),
        ).fetchone()
        self.expect(
            (row[0] if row else 0) == failures,
            f"subject {subject_id}: {row} stored failures, the audit trail counts {failures}",
        )

    def _check_effects(self, store: Store, repo: Repositories, ledger: Ledger) -> None:
        """Every printed effect is there, whole."""
        checked = 0
        for member, subject_id in ledger.subjects.items():
            subject = repo.subjects.by_id(subject_id)
            self.expect(
                subject is not None and subject.member_number == member,
                f"registered {member} ({subject_id}) is gone",
            )
            checked += 1
        for member in ledger.consented:
            accepted = self._count(
                store,
                "SELECT count(*) FROM consents WHERE subject_id = ? AND accepted = 1",
                (ledger.subjects.get(member, ""),),
            )
            self.expect(accepted >= 1, f"the consent of {member} is gone")
            checked += 1
        for member, template_id in ledger.templates.items():
            subject_id = ledger.subjects.get(member, "")
            stored = repo.templates.id_for(subject_id)
            row = store.execute(
                "SELECT length(vector) FROM templates WHERE id = ?", (template_id,)
            ).fetchone()
            if member in ledger.withdrawn or subject_id in ledger.purged:
                self.expect(
                    stored is None and row is None,
                    f"{member}'s template {template_id} survived its printed destruction",
                )
            elif stored is None:
                # Destroyed after the kill's last printed line: the trail must say so.
                kinds = {e.kind for e in repo.audit.events(subject_id)}
                self.expect(
                    row is None and bool(kinds & set(DESTROYS)),
                    f"enrolled {member}'s template {template_id} is lost",
                )
            else:
                self.expect(
                    stored == template_id and row is not None and row[0] == CURRENT.size * 4,
                    f"enrolled {member}: linked {stored}, stored row {row}, printed {template_id}",
                )
            checked += 1
        for member, seq, status in ledger.verified:
            found = store.execute(
                "SELECT kind, subject_id, detail FROM audit_events WHERE seq = ?", (seq,)
            ).fetchone()
            self.expect(
                found is not None
                and found[0] == "verify_face"
                and found[1] == ledger.subjects.get(member)
                and json.loads(found[2]).get("status") == status,
                f"verification {seq} of {member} ({status}) is gone or changed: {found}",
            )
            checked += 1
        for member in ledger.withdrawn:
            subject_id = ledger.subjects.get(member, "")
            latest = repo.consents.latest_face_consent(subject_id)
            kinds = {e.kind for e in repo.audit.events(subject_id)}
            self.expect(
                repo.templates.id_for(subject_id) is None
                and latest is not None
                and not latest.accepted
                and latest.method == "withdrawal"
                and "face_consent_withdrawn" in kinds,
                f"the withdrawal of {member} is not whole",
            )
            checked += 1
        for subject_id in ledger.purged:
            kinds = {e.kind for e in repo.audit.events(subject_id)}
            self.expect(
                repo.subjects.by_id(subject_id) is not None
                and repo.templates.id_for(subject_id) is None
                and "template_expired" in kinds,
                f"the purge of subject {subject_id} is not whole",
            )
            checked += 1
        removals = {
            e.detail.get("operator") for e in repo.audit.events() if e.kind == "operator_removed"
        }
        for name in ledger.added - ledger.removed:
            account = repo.operators.account(name)
            self.expect(
                account is not None and (account.active or name in removals),
                f"added operator {name} is gone (and no removal is audited)",
            )
            checked += 1
        for name in ledger.removed:
            account = repo.operators.account(name)
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
@pytest.mark.parametrize("operation", list(MAIN_EFFECT))
def test_sigkill_at_random_moments_loses_no_committed_record(
    operation: str, tmp_path: Path, tallies: dict[str, Tally]
) -> None:
    path = tmp_path / "data" / "station.db"
    store, recovery_key = Store.create(path, ADMIN, STORE_SECRET, FAST_KDF)
    store.close()
    rng = random.Random(f"crash-safety {operation}")
    tally = tallies.setdefault(operation, Tally())
    checker = Checker(path, recovery_key, tally)
    ledger = Ledger()
    for round_number in range(KILLS_PER_OPERATION):
        delay = rng.uniform(0.05, 1.5)
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
        checker.check(ledger)
    # Not vacuous: the operation itself committed, and was checked, across the loop.
    assert ledger.kinds_seen & set(MAIN_EFFECT[operation]), ledger.kinds_seen
    if operation == "keys":
        assert ledger.added and ledger.removed and "password" in ledger.kinds_seen
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
    checker.check(ledger)
    tally.records = ledger.effects
    assert tally.records_checked > 0
    assert not tally.losses, "\n".join(tally.losses)


def _accounts(path: Path, password: str) -> list[OperatorAccount]:
    store = Store.open(path, ADMIN, password)
    try:
        return list(Repositories(store).operators.accounts())
    finally:
        store.close()
