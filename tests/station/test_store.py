"""The encrypted store (R12, R13, R9): real SQLCipher files in tmp, no mocks."""

from __future__ import annotations

import itertools
import sqlite3
import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from station.domain import AttemptFactor, AttemptState, AuditKind
from station.storage import (
    CorruptStoreError,
    KeyFileError,
    MissingStoreError,
    NewerSchemaError,
    Repositories,
    Store,
    StoreExistsError,
    WrongKeyError,
)
from station.storage.audit import GENESIS_HASH, audit_hash
from station.storage.audit_chain import verify_audit_chain
from station.storage.keys import key_file_path
from station.storage.schema import MIGRATIONS, SCHEMA_VERSION
from tests.conftest import ADMIN, FAST_KDF, STORE_SECRET, create_store, open_store
from tests.traits import traits_in

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
MARKERS = ("Zhang Wei Marker", "MEMBER-778899", "consent-notice-marker")


def _fill(store: Store) -> None:
    repo = Repositories(store)
    with store.transaction():
        subject = repo.subjects.add(MARKERS[1], MARKERS[0], date(1990, 5, 17), NOW)
        repo.consents.add(subject.id, True, "v1", MARKERS[2], "operator_screen", "desk-1", NOW)
        repo.audit.append(
            AuditKind.FACE_CONSENT_ACCEPTED, "desk-1", NOW, subject.id, {"note": MARKERS[2]}
        )


def test_r12_store_file_is_private_and_fully_encrypted(tmp_store: Store, store_path: Path) -> None:
    """R12: no SQLite header and no plaintext of any field anywhere in the file."""
    _fill(tmp_store)
    tmp_store.close()
    raw = store_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    for marker in MARKERS:
        assert marker.encode() not in raw
        assert marker.encode("utf-16-le") not in raw
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file_path(store_path).stat().st_mode) == 0o600
    assert STORE_SECRET.encode() not in key_file_path(store_path).read_bytes()
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(store_path).execute("SELECT * FROM sqlite_master").fetchall()


def test_store_reopens_with_the_secret_and_keeps_records(
    tmp_store: Store, store_path: Path
) -> None:
    _fill(tmp_store)
    tmp_store.close()
    reopened = open_store(store_path)
    try:
        subject = Repositories(reopened).subjects.by_member_number(MARKERS[1])
        assert subject is not None and subject.display_name == MARKERS[0]
        assert subject.date_of_birth == date(1990, 5, 17)
        assert reopened.schema_version() == SCHEMA_VERSION
        assert reopened.integrity_ok()
        assert reopened.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert reopened.execute("PRAGMA cipher_memory_security").fetchone()[0] in ("1", 1)
    finally:
        reopened.close()


def test_wrong_secret_and_corrupt_file_give_different_errors(
    tmp_store: Store, store_path: Path
) -> None:
    _fill(tmp_store)
    tmp_store.close()
    with pytest.raises(WrongKeyError, match="Wrong operator name or password"):
        Store.open(store_path, ADMIN, "not the secret")
    raw = bytearray(store_path.read_bytes())
    raw[100:4000] = bytes(3900)  # damage the first page past the salt
    store_path.write_bytes(bytes(raw))
    with pytest.raises(CorruptStoreError, match="damaged") as damaged:
        open_store(store_path)
    assert "password is right" in str(damaged.value)


def test_truncated_store_is_reported_as_damaged(tmp_store: Store, store_path: Path) -> None:
    _fill(tmp_store)
    tmp_store.close()
    store_path.write_bytes(store_path.read_bytes()[:1000])
    with pytest.raises(CorruptStoreError):
        open_store(store_path)


def test_missing_store_and_missing_key_file(
    tmp_path: Path, tmp_store: Store, store_path: Path
) -> None:
    with pytest.raises(MissingStoreError, match="face-station init"):
        open_store(tmp_path / "nowhere.db")
    tmp_store.close()
    key_file_path(store_path).unlink()
    with pytest.raises(KeyFileError, match="missing"):
        open_store(store_path)


def test_create_refuses_to_overwrite(tmp_store: Store, store_path: Path) -> None:
    _fill(tmp_store)
    tmp_store.close()
    before = store_path.read_bytes()
    with pytest.raises(StoreExistsError):
        Store.create(store_path, ADMIN, "another secret", FAST_KDF)
    assert store_path.read_bytes() == before
    open_store(store_path).close()


def test_store_from_a_newer_schema_is_refused_untouched(tmp_store: Store, store_path: Path) -> None:
    tmp_store.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    tmp_store.close()
    before = store_path.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer Face Station"):
        open_store(store_path)
    assert store_path.read_bytes() == before


def test_failed_transaction_leaves_nothing(tmp_store: Store) -> None:
    repo = Repositories(tmp_store)
    with pytest.raises(RuntimeError), tmp_store.transaction():
        repo.subjects.add("M-1", "Half Made", None, NOW)
        raise RuntimeError("power cut")
    assert repo.subjects.by_member_number("M-1") is None


def test_r13_schema_has_no_trait_columns_and_keeps_templates_apart(tmp_store: Store) -> None:
    """R9: nothing to hold a trait; R13: templates keyed by random id, identity in another table."""
    tables = [r[0] for r in tmp_store.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    columns = {
        (table, row[1])
        for table in tables
        for row in tmp_store.execute(f"PRAGMA table_info({table})").fetchall()
    }
    assert len(columns) > 50
    assert [f"{t}.{c}" for t, c in columns if traits_in(t) or traits_in(c)] == []
    template_columns = {c for t, c in columns if t == "templates"}
    assert "subject_id" not in template_columns and "member_number" not in template_columns


def test_r12_audit_events_are_hash_chained(tmp_store: Store) -> None:
    """R12: each event's hash covers its content and the previous hash."""
    repo = Repositories(tmp_store)
    with tmp_store.transaction():
        for kind in (AuditKind.SIGN_IN, AuditKind.PIN_SET, AuditKind.SIGN_IN_FAILED):
            repo.audit.append(kind, "desk-1", NOW, None, {"k": kind.value})
    events = repo.audit.events()
    assert [e.seq for e in events] == [1, 2, 3]
    for previous, event in itertools.pairwise(events):
        assert event.prev_hash == previous.hash
    for event in events:
        assert event.hash == audit_hash(
            event.seq,
            event.at.isoformat(),
            event.kind,
            event.subject_id,
            event.operator,
            event.detail,
            event.prev_hash,
        )


def test_a_version_1_store_is_migrated_in_place_keeping_its_records(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ordered migrations: a store written by the first schema opens, gains every later table and
    column, and loses nothing."""
    import station.storage.store as store_module

    # Creating a store writes its first administrator, so the first schema is given that one
    # table for the moment of creation and loses it again before the store is reopened.
    accounts = "CREATE TABLE operators (name TEXT PRIMARY KEY, display_name TEXT, role TEXT, "
    accounts += "created_at TEXT, created_by TEXT, removed_at TEXT);"
    with monkeypatch.context() as first_schema:
        first_schema.setattr(store_module, "MIGRATIONS", (MIGRATIONS[0] + accounts,))
        first_schema.setattr(store_module, "SCHEMA_VERSION", 1)
        old = create_store(store_path)
    old.execute("DROP TABLE operators")
    assert old.schema_version() == 1
    now = datetime(2026, 1, 1, tzinfo=UTC)
    old.execute(
        "INSERT INTO subjects(id, member_number, display_name, created_at) VALUES (?, ?, ?, ?)",
        ("s1", MARKERS[1], MARKERS[0], now.isoformat()),
    )
    # Written as the first schema's code wrote it: no keyed link column yet (issue 14).
    digest = audit_hash(1, now.isoformat(), "subject_registered", "s1", "desk", {}, GENESIS_HASH)
    old.execute(
        "INSERT INTO audit_events(seq, at, kind, subject_id, operator, detail, prev_hash, hash) "
        "VALUES (1, ?, 'subject_registered', 's1', 'desk', '{}', ?, ?)",
        (now.isoformat(), GENESIS_HASH, digest),
    )
    old.close()
    migrated = open_store(store_path)
    try:
        assert migrated.schema_version() == SCHEMA_VERSION == 7
        subject = Repositories(migrated).subjects.by_member_number(MARKERS[1])
        assert subject is not None and subject.display_name == MARKERS[0]
        assert subject.card_number is None
        assert len(Repositories(migrated).audit.events()) == 1
        assert verify_audit_chain(Repositories(migrated).audit).ok
        assert migrated.integrity_ok()
    finally:
        migrated.close()


def test_r24_a_version_4_store_keeps_its_face_attempt_counts_in_the_table_of_every_factor(
    store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 5 (issue 16): face counts move to the one attempts table, keyed by factor, so a
    person whose face was switched off before the upgrade stays switched off after it."""
    import station.storage.store as store_module

    with monkeypatch.context() as version_4:
        version_4.setattr(store_module, "MIGRATIONS", MIGRATIONS[:4])
        version_4.setattr(store_module, "SCHEMA_VERSION", 4)
        old = create_store(store_path)
    with old.transaction():
        subject = Repositories(old).subjects.add(MARKERS[1], MARKERS[0], None, NOW)
        old.execute(
            "INSERT INTO face_attempts(subject_id, consecutive_failures, last_failure_at, "
            "disabled_at) VALUES (?, 50, ?, ?)",
            (subject.id, NOW.isoformat(), NOW.isoformat()),
        )
    old.close()
    migrated = open_store(store_path)
    try:
        assert migrated.schema_version() == SCHEMA_VERSION
        attempts = Repositories(migrated).attempts
        assert attempts.get(subject.id, AttemptFactor.FACE) == AttemptState(50, NOW, NOW)
        assert attempts.get(subject.id, AttemptFactor.PIN) == AttemptState()
        tables = {r[0] for r in migrated.execute("SELECT name FROM sqlite_master").fetchall()}
        assert "face_attempts" not in tables
    finally:
        migrated.close()
