"""The encrypted SQLCipher store: create, open, migrate, and run transactions on one connection.

One thread owns a Store (architecture example 4); callers serialise work through it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from station.domain.errors import StoreError, StoreProblem
from station.settings import StoreSettings
from station.storage.audit_links import link_meta
from station.storage.errors import damaged_store, describe_findings, translated_errors
from station.storage.keys import (
    KeyFile,
    KeyFileError,
    WrongKeyError,
    check_password,
    key_file_path,
    name_key,
    new_data_key,
    new_key_file,
    promote_staged_key_file,
    read_key_file,
    stage_key_file,
    staged_key_path,
    wipe,
    write_key_file,
)
from station.storage.schema import MIGRATIONS, SCHEMA_VERSION

Connection = Any  # sqlcipher3 ships no type information


class NewerSchemaError(StoreError):
    problem = StoreProblem.NEWER_SCHEMA


class StoreExistsError(StoreError):
    problem = StoreProblem.EXISTS


class ForeignStoreError(StoreError):
    """The store file and the key file beside it do not belong together."""

    problem = StoreProblem.FOREIGN_STORE


class MissingStoreError(StoreError):
    problem = StoreProblem.MISSING


class NameMissingError(StoreError):
    problem = StoreProblem.NAME_MISSING


def creating_path(path: Path) -> Path:
    return path.with_name(path.name + ".creating")


def restoring_path(path: Path) -> Path:
    """Where a restore stages the backup's store, with its key file beside it (key_file_path)."""
    return path.with_name(path.name + ".restoring")


def store_salt(path: Path) -> bytes:
    """SQLCipher keeps the file's KDF salt in its first 16 bytes; it names the file."""
    with path.open("rb") as handle:
        return handle.read(16)


def _finish_interrupted_create(path: Path) -> None:
    """A create or a restore killed after its new store was made but before it took its name:
    finish it. A restore killed before its staged key file went in (backup_file._swap_in) puts
    that key file in first: the old key file with the backup's store would mix two days' key
    slots. The staged key file is whole by then; its salt says whether it belongs to this store."""
    building = creating_path(path)
    if not building.exists() or path.exists():
        return
    staged_key = key_file_path(restoring_path(path))
    if staged_key.exists() and _key_file_names(staged_key, building):
        os.replace(staged_key, key_file_path(path))
    if key_file_path(path).exists():
        os.replace(building, path)


def _key_file_names(key_path: Path, store_path: Path) -> bool:
    try:
        return read_key_file(key_path).store_salt == store_salt(store_path)
    except KeyFileError:
        return False


def connect(path: Path, key: bytes | bytearray, salt: bytes | None = None) -> Connection:
    """The one way a SQLCipher file is keyed: with the raw data key (and, for a new file that must
    share another's salt, that salt), cipher memory security on, and SQLCipher's own stderr noise
    silenced before keying (stack.md); errors still raise."""
    connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA cipher_log_level = NONE")
    # Raw key hex we made, never user text: a bound parameter does not work for PRAGMA key.
    raw = key.hex() + (salt.hex() if salt is not None else "")
    connection.execute(f"PRAGMA key = \"x'{raw}'\"")
    connection.execute("PRAGMA cipher_memory_security = ON")
    return connection


def page_findings(connection: Connection) -> list[str]:
    """SQLCipher's check of every page's HMAC, free pages included: one line per damaged page.
    It reads the file once without SQLite's b-tree work, the cheaper of the two checks (about
    0.3 s for 10,000 members, bench/bench_integrity.py), so it runs at every sign-in (R12)."""
    try:
        return [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
    except sqlcipher3.DatabaseError as exc:
        return [f"SQLCipher's page check stopped: {exc}"]


def structure_findings(connection: Connection) -> list[str]:
    """SQLite's full integrity_check: the b-trees, the free list, and every index against its
    table. A page that cannot be read stops it; that is a finding too."""
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
    except sqlcipher3.DatabaseError as exc:
        return [f"SQLite's integrity check stopped: {exc}"]
    lines = [line for (text,) in rows for line in str(text).splitlines()]
    return [line for line in lines if line not in ("ok", "*** in database main ***")]


def integrity_findings(connection: Connection) -> list[str]:
    """Both full checks, for backup, restore and audit verify: empty when the file is intact."""
    return page_findings(connection) + structure_findings(connection)


def _configure(connection: Connection) -> None:
    # secure_delete: destroyed rows are overwritten, not just unlinked (R14).
    connection.execute("PRAGMA secure_delete = ON")
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute("PRAGMA journal_mode = DELETE")
    connection.execute("PRAGMA synchronous = FULL")


class Store:
    def __init__(self, path: Path, connection: Connection) -> None:
        self.path = path
        self._connection = connection
        self._depth = 0
        # Opened with a key change that was staged but maybe never committed: the services
        # settle it from the audit trail before anyone is signed in (accounts.py).
        self.opened_with_staged_key = False

    @classmethod
    def create(
        cls, path: Path, admin_name: str, password: str, params: StoreSettings | None = None
    ) -> tuple[Store, str]:
        with translated_errors(Path(path)):
            return cls._create(Path(path), admin_name, password, params)

    @classmethod
    def _create(
        cls, path: Path, admin_name: str, password: str, params: StoreSettings | None
    ) -> tuple[Store, str]:
        """A new store with a random data key, one slot for its first administrator and one for
        the recovery key, which is returned to be shown once and is kept nowhere (R12)."""
        keys = key_file_path(path)
        _finish_interrupted_create(path)
        if path.exists() or keys.exists():
            raise StoreExistsError(f"A store already exists at {path}; it was not touched.")
        params = params or StoreSettings()
        check_password(password)
        if not name_key(admin_name):
            raise NameMissingError("The first administrator needs a name.")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        building = creating_path(path)
        building.unlink(missing_ok=True)  # an earlier create killed before its key file
        data_key = new_data_key()
        previous_umask = os.umask(0o077)  # the DB and its journal are born private
        try:
            connection = connect(building, data_key)
            _configure(connection)
            store = cls(building, connection)
            store._migrate()
            key_file = new_key_file(store_salt(building)).with_password_slot(
                admin_name, password, data_key, params
            )
            key_file, recovery_key = key_file.with_recovery_slot(data_key, params)
            with store.transaction():
                store.execute(
                    "INSERT INTO station_meta(key, value) VALUES ('installation_id', ?), "
                    "('template_secret', ?)",
                    (secrets.token_hex(16), secrets.token_hex(32)),
                )
                # Keyed audit links from the first event on, under the recovery key (issue 14).
                for key, value in link_meta(recovery_key, 1, []).items():
                    store.set_meta_value(key, value)
                # The first administrator's account is part of the store from its first commit.
                store.execute(
                    "INSERT INTO operators(name, display_name, role, created_at, created_by) "
                    "VALUES (?, ?, 'administrator', ?, 'set-up')",
                    (name_key(admin_name), admin_name.strip(), datetime.now(UTC).isoformat()),
                )
            # Key file first, then the store takes its name: a kill in between is finished at
            # the next start (_finish_interrupted_create), never left half-made.
            write_key_file(keys, key_file)
        except BaseException:
            building.unlink(missing_ok=True)
            raise
        finally:
            wipe(data_key)
            os.umask(previous_umask)
        store.close()
        os.replace(building, path)
        os.chmod(path, 0o600)
        return cls._open_with(path, key_file, lambda: key_file.unlock(admin_name, password)), (
            recovery_key
        )

    @classmethod
    def open(cls, path: Path, name: str, password: str) -> Store:
        """Open with an operator's name and password (their key slot)."""
        path = Path(path)
        key_file = cls._key_file(path, lambda candidate: candidate.unlock(name, password))
        return cls._open_with(path, key_file, lambda: key_file.unlock(name, password))

    @classmethod
    def open_with_recovery(cls, path: Path, recovery_key: str) -> Store:
        """Open with the recovery key, so an administrator can set a forgotten password."""
        path = Path(path)
        key_file = cls._key_file(
            path, lambda candidate: candidate.unlock_with_recovery(recovery_key)
        )
        return cls._open_with(path, key_file, lambda: key_file.unlock_with_recovery(recovery_key))

    @staticmethod
    def _key_file(path: Path, unlock: Callable[[KeyFile], bytearray]) -> KeyFile:
        """The key file the secret opens: the current one, or a staged change whose audit event
        may have been committed just before a kill (settled by Administration at sign-in)."""
        _finish_interrupted_create(path)
        if not path.exists():
            raise MissingStoreError(f"No store at {path}. Create one with `face-station init`.")
        current = read_key_file(key_file_path(path))
        staged_path = staged_key_path(key_file_path(path))
        if not staged_path.exists():
            return current
        try:
            wipe(unlock(current))
            return current
        except WrongKeyError:
            staged = read_key_file(staged_path)
            wipe(unlock(staged))  # raises the same WrongKeyError when this one fails too
            return replace(staged, staged=True)

    @classmethod
    def _open_with(cls, path: Path, key_file: KeyFile, unlock: Callable[[], bytearray]) -> Store:
        data_key = unlock()
        try:
            salt = store_salt(path)
            if salt != key_file.store_salt:
                raise ForeignStoreError(
                    f"The store file at {path} does not belong to its key file (another "
                    "station's store, or a file copied over it). Nothing was changed; restore the "
                    "matching pair from a backup."
                )
            connection = connect(path, data_key)
        finally:
            wipe(data_key)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            connection.close()
            raise damaged_store(
                path, f"the password is right but the file cannot be read: {exc}"
            ) from exc
        # Every page, before anything is written: a damaged page is otherwise met only when a
        # command first reads it, and a damaged free page never (R12).
        damage = page_findings(connection)
        if damage:
            connection.close()
            raise damaged_store(path, describe_findings(damage))
        if version > SCHEMA_VERSION:
            connection.close()
            raise NewerSchemaError(
                f"The store at {path} was written by a newer Face Station (schema {version}, this "
                f"version knows {SCHEMA_VERSION}). Update the station; the store was not changed."
            )
        _configure(connection)
        store = cls(path, connection)
        store.opened_with_staged_key = key_file.staged
        store._migrate()
        return store

    @property
    def key_path(self) -> Path:
        return key_file_path(self.path)

    def key_file(self) -> KeyFile:
        return read_key_file(self.key_path)

    def stage_key_change(self, key_file: KeyFile) -> str:
        """See keys.stage_key_file: returns the SHA-256 the audit event must name."""
        return stage_key_file(self.key_path, key_file)

    def promote_key_change(self) -> None:
        promote_staged_key_file(self.key_path)

    def _migrate(self) -> None:
        current = self._connection.execute("PRAGMA user_version").fetchone()[0]
        for version in range(current + 1, SCHEMA_VERSION + 1):
            with self.transaction():
                for statement in _statements(MIGRATIONS[version - 1]):
                    self._connection.execute(statement)
                self._connection.execute(f"PRAGMA user_version = {version}")

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """BEGIN IMMEDIATE ... COMMIT; nested use joins the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        with translated_errors(self.path):
            self._connection.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
            with translated_errors(self.path):
                self._connection.execute("COMMIT")
        except BaseException:
            # A failed statement or COMMIT (a full disk) may have rolled back already; a second
            # ROLLBACK would raise and hide the real error.
            if self._connection.in_transaction:
                self._connection.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> Rows:
        """A full disk, a read-only folder or a damaged page comes out as a StoreError in an
        operator's words, here or when the rows are fetched."""
        with translated_errors(self.path):
            return Rows(self._connection.execute(sql, parameters), self.path)

    def meta(self, key: str) -> str:
        """A value the store cannot do without (installation id, template secret)."""
        value = self.meta_value(key)
        if value is None:
            raise damaged_store(self.path, f"it lacks its {key}")
        return value

    def meta_value(self, key: str) -> str | None:
        row = self.execute("SELECT value FROM station_meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta_value(self, key: str, value: str) -> None:
        self.execute(
            "INSERT INTO station_meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def vacuum(self) -> None:
        """Rebuild the file without its free pages (after a large purge, R14)."""
        self.execute("VACUUM")

    def schema_version(self) -> int:
        return int(self._connection.execute("PRAGMA user_version").fetchone()[0])

    def integrity_findings(self) -> list[str]:
        """What the full checks find (see integrity_findings); reads the whole file."""
        return integrity_findings(self._connection)

    def integrity_ok(self) -> bool:
        return not self.integrity_findings()

    def close(self) -> None:
        self._connection.close()


class Rows:
    """A statement's rows. SQLite reads pages as rows are fetched, not only in execute, so a page
    found damaged while fetching is translated too."""

    def __init__(self, cursor: Any, store_path: Path) -> None:
        self._cursor = cursor
        self._store_path = store_path

    def fetchone(self) -> Any:
        with translated_errors(self._store_path):
            return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        with translated_errors(self._store_path):
            return list(self._cursor.fetchall())

    @property
    def rowcount(self) -> int:
        """How many rows an INSERT, UPDATE or DELETE changed."""
        return int(self._cursor.rowcount)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


def _statements(script: str) -> list[str]:
    # executescript would COMMIT on its own; splitting keeps each migration in our transaction.
    return [part.strip() for part in script.split(";") if part.strip()]


def library_versions() -> dict[str, str]:
    """The SQLCipher and SQLite versions the store runs on, read from an in-memory connection (no
    file, no key): what `face-station self-check` reports."""
    connection = sqlcipher3.connect(":memory:")
    try:
        (cipher,) = connection.execute("PRAGMA cipher_version").fetchone()
        (sqlite,) = connection.execute("SELECT sqlite_version()").fetchone()
    finally:
        connection.close()
    return {"SQLCipher": str(cipher), "SQLite": str(sqlite)}
