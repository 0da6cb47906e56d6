"""From an operator's secret to the raw SQLCipher key.

The secret goes through Argon2id once; connections are opened with the raw 256-bit key, so SQLCipher's
own per-open PBKDF2 (~110 ms, stack.md) is skipped. Beside the store lives a small key file with the
KDF salt and parameters and an HMAC check value; it never holds the key (R12). The check value is what
tells a wrong secret apart from a damaged store, which SQLCipher alone reports identically.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw

from station.settings import StoreSettings

KEY_FILE_FORMAT = 1
KEY_BYTES = 32
_CHECK_LABEL = b"face-station key check v1"


class StoreError(Exception):
    """Base for every store failure; messages are written for the operator."""


class WrongKeyError(StoreError):
    pass


class KeyFileError(StoreError):
    pass


@dataclass(frozen=True)
class KeyFile:
    salt: bytes
    time_cost: int
    memory_kib: int
    parallelism: int
    check: bytes

    def derive(self, secret: str) -> bytes:
        return hash_secret_raw(
            secret.encode("utf-8"),
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )

    def matches(self, key: bytes) -> bool:
        return hmac.compare_digest(key_check(key), self.check)


def key_check(key: bytes) -> bytes:
    return hmac.new(key, _CHECK_LABEL, hashlib.sha256).digest()


def key_file_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".key.json")


def new_key_file(secret: str, params: StoreSettings) -> tuple[KeyFile, bytes]:
    if not secret:
        raise StoreError("The store secret must not be empty.")
    draft = KeyFile(
        salt=secrets.token_bytes(16),
        time_cost=params.kdf_time_cost,
        memory_kib=params.kdf_memory_kib,
        parallelism=params.kdf_parallelism,
        check=b"",
    )
    key = draft.derive(secret)
    return KeyFile(
        draft.salt, draft.time_cost, draft.memory_kib, draft.parallelism, key_check(key)
    ), key


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Atomic and private: a crash leaves either no key file or a whole one."""
    payload = json.dumps(
        {
            "format": KEY_FILE_FORMAT,
            "kdf": "argon2id",
            "salt": key_file.salt.hex(),
            "time_cost": key_file.time_cost,
            "memory_kib": key_file.memory_kib,
            "parallelism": key_file.parallelism,
            "check": key_file.check.hex(),
        },
        indent=1,
    ).encode("ascii")
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(descriptor, payload)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    os.replace(temporary, path)


def read_key_file(path: Path) -> KeyFile:
    try:
        raw = json.loads(path.read_text(encoding="ascii"))
    except FileNotFoundError as exc:
        raise KeyFileError(
            f"The key file {path} is missing; without it the store cannot be opened. "
            "Restore it from the station's backup."
        ) from exc
    except (OSError, ValueError) as exc:
        raise KeyFileError(f"The key file {path} is unreadable or damaged: {exc}") from exc
    try:
        if raw["format"] != KEY_FILE_FORMAT or raw["kdf"] != "argon2id":
            raise KeyFileError(f"The key file {path} has an unknown format.")
        return KeyFile(
            salt=bytes.fromhex(raw["salt"]),
            time_cost=int(raw["time_cost"]),
            memory_kib=int(raw["memory_kib"]),
            parallelism=int(raw["parallelism"]),
            check=bytes.fromhex(raw["check"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(f"The key file {path} is damaged (field {exc}).") from exc
