"""The encrypted SQLCipher store: create, open, migrate, and run transactions on one connection.

One thread owns a Store (architecture example 4); callers serialise work through it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlcipher3

from station.settings import StoreSettings
from station.storage.keys import (
    StoreError,
    WrongKeyError,
    key_file_path,
    new_key_file,
    read_key_file,
    write_key_file,
)
from station.storage.schema import MIGRATIONS, SCHEMA_VERSION

Connection = Any  # sqlcipher3 ships no type information


class CorruptStoreError(StoreError):
    pass


class NewerSchemaError(StoreError):
    pass


class StoreExistsError(StoreError):
    pass


class MissingStoreError(StoreError):
    pass


def _connect(path: Path, key: bytes) -> Connection:
    connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    # Silence SQLCipher's own stderr noise before keying (stack.md); errors still raise.
    connection.execute("PRAGMA cipher_log_level = NONE")
    # A raw key: a bound parameter does not work for PRAGMA key, and the hex is ours, not user text.
    connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    connection.execute("PRAGMA cipher_memory_security = ON")
    return connection


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

    @classmethod
    def create(cls, path: Path, secret: str, params: StoreSettings | None = None) -> Store:
        path = Path(path)
        keys = key_file_path(path)
        if path.exists() or keys.exists():
            raise StoreExistsError(f"A store already exists at {path}; it was not touched.")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        key_file, key = new_key_file(secret, params or StoreSettings())
        previous_umask = os.umask(0o077)  # the DB and its journal are born private
        try:
            connection = _connect(path, key)
            _configure(connection)
            store = cls(path, connection)
            store._migrate()
            with store.transaction():
                store.execute(
                    "INSERT INTO station_meta(key, value) VALUES ('installation_id', ?), "
                    "('template_secret', ?)",
                    (secrets.token_hex(16), secrets.token_hex(32)),
                )
            write_key_file(keys, key_file)
        finally:
            os.umask(previous_umask)
        os.chmod(path, 0o600)
        return store

    @classmethod
    def open(cls, path: Path, secret: str) -> Store:
        path = Path(path)
        if not path.exists():
            raise MissingStoreError(f"No store at {path}. Create one with `face-station init`.")
        key_file = read_key_file(key_file_path(path))
        key = key_file.derive(secret)
        if not key_file.matches(key):
            raise WrongKeyError(
                "Wrong store password: the store was not opened and nothing changed."
            )
        connection = _connect(path, key)
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            connection.close()
            raise CorruptStoreError(
                f"The store at {path} is damaged (the password is right but the file cannot be "
                f"read: {exc}). Restore it from a backup; the file was left as it is."
            ) from exc
        if version > SCHEMA_VERSION:
            connection.close()
            raise NewerSchemaError(
                f"The store at {path} was written by a newer Face Station (schema {version}, this "
                f"version knows {SCHEMA_VERSION}). Update the station; the store was not changed."
            )
        _configure(connection)
        store = cls(path, connection)
        store._migrate()
        return store

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
        self._connection.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._connection.execute("ROLLBACK")
            raise
        else:
            self._connection.execute("COMMIT")
        finally:
            self._depth = 0

    def execute(self, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
        return self._connection.execute(sql, parameters)

    def meta(self, key: str) -> str:
        row = self._connection.execute(
            "SELECT value FROM station_meta WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            raise CorruptStoreError(
                f"The store at {self.path} lacks its {key}; restore it from a backup."
            )
        return str(row[0])

    def schema_version(self) -> int:
        return int(self._connection.execute("PRAGMA user_version").fetchone()[0])

    def integrity_ok(self) -> bool:
        cipher = self._connection.execute("PRAGMA cipher_integrity_check").fetchall()
        plain = self._connection.execute("PRAGMA integrity_check").fetchall()
        return not cipher and plain == [("ok",)]

    def close(self) -> None:
        self._connection.close()


def _statements(script: str) -> list[str]:
    # executescript would COMMIT on its own; splitting keeps each migration in our transaction.
    return [part.strip() for part in script.split(";") if part.strip()]
