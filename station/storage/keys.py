"""From an operator's password to the store's data key (R12).

The store is encrypted with a random 256-bit data key. It is never written anywhere in plain text:
the key file beside the store holds one *key slot* per operator — the data key sealed with AES-256-GCM
under a key derived from that operator's password with Argon2id — and one slot sealed under a random
recovery key that is shown once, at set-up. Changing a password re-seals one slot; removing an
operator deletes theirs; neither re-encrypts the store. A wrong password fails the slot's
authentication, which tells it apart from a damaged store; the store file's own salt is recorded too,
so a store file that belongs to another key file is named as such.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from station.domain import MIN_PASSWORD_LENGTH
from station.domain.errors import StoreError, StoreProblem
from station.settings import (
    MAX_KDF_MEMORY_KIB,
    MAX_KDF_PARALLELISM,
    MAX_KDF_TIME_COST,
    StoreSettings,
)
from station.storage.files import sync_folder, write_private_atomically

KEY_FILE_FORMAT = 2
KEY_BYTES = 32
RECOVERY = "recovery"
PASSWORD = "password"
_MAX_KEY_FILE_BYTES = 1 << 20  # a key file is a few KB; anything larger is not ours


class WrongKeyError(StoreError):
    problem = StoreProblem.WRONG_KEY


class KeyFileError(StoreError):
    problem = StoreProblem.KEY_FILE


class WeakPasswordError(StoreError):
    problem = StoreProblem.WEAK_PASSWORD


def name_key(name: str) -> str:
    """Operator names are compared case- and space-insensitively."""
    return " ".join(name.split()).casefold()


@dataclass(frozen=True)
class KeySlot:
    """The data key sealed for one operator (kind "password") or for the recovery key."""

    slot_id: str
    kind: str
    label: str  # HMAC of the operator's name under the file's label salt; "recovery" for that slot
    salt: bytes
    time_cost: int
    memory_kib: int
    parallelism: int
    nonce: bytes
    sealed: bytes

    def _aad(self) -> bytes:
        return f"face-station slot v2|{self.slot_id}|{self.kind}|{self.label}".encode()

    def open(self, secret: bytes) -> bytearray:
        """The data key, or WrongKeyError when the secret is not this slot's."""
        kek = self._kek(secret)
        try:
            return bytearray(AESGCM(kek).decrypt(self.nonce, self.sealed, self._aad()))
        except Exception as exc:  # cryptography raises InvalidTag; any failure means "not this key"
            raise WrongKeyError("wrong password") from exc

    def _kek(self, secret: bytes) -> bytes:
        if self.kind == RECOVERY:
            # The recovery key is 256 random bits: a fast derivation is enough.
            return hashlib.sha256(b"face-station recovery kek" + self.salt + secret).digest()
        return hash_secret_raw(
            secret,
            self.salt,
            time_cost=self.time_cost,
            memory_cost=self.memory_kib,
            parallelism=self.parallelism,
            hash_len=KEY_BYTES,
            type=Type.ID,
        )

    @classmethod
    def seal(
        cls,
        data_key: bytes | bytearray,
        kind: str,
        label: str,
        secret: bytes,
        params: StoreSettings,
    ) -> KeySlot:
        draft = cls(
            secrets.token_hex(8),
            kind,
            label,
            secrets.token_bytes(16),
            params.kdf_time_cost,
            params.kdf_memory_kib,
            params.kdf_parallelism,
            secrets.token_bytes(12),
            b"",
        )
        sealed = AESGCM(draft._kek(secret)).encrypt(draft.nonce, bytes(data_key), draft._aad())
        return replace(draft, sealed=sealed)


@dataclass(frozen=True)
class KeyFile:
    label_salt: bytes
    store_salt: bytes  # the first 16 bytes of the store file: which store these slots open
    slots: tuple[KeySlot, ...]
    staged: bool = False  # read from a staged change, not from the key file in force

    def label(self, name: str) -> str:
        return hmac.new(self.label_salt, name_key(name).encode(), hashlib.sha256).hexdigest()

    def slot_for(self, name: str) -> KeySlot | None:
        wanted = self.label(name)
        return next((s for s in self.slots if s.kind == PASSWORD and s.label == wanted), None)

    def unlock(self, name: str, password: str) -> bytearray:
        """The data key for this operator's password. The same error for an unknown name and a
        wrong password, so the file does not say which names exist."""
        slot = self.slot_for(name)
        if slot is None:
            # Spend the time of a real attempt (a decoy slot's Argon2id): no timing hint either.
            decoy = next((s for s in self.slots if s.kind == PASSWORD), None)
            if decoy is not None:
                decoy._kek(password.encode("utf-8"))
            raise WrongKeyError(_WRONG_PASSWORD)
        try:
            return slot.open(password.encode("utf-8"))
        except WrongKeyError:
            raise WrongKeyError(_WRONG_PASSWORD) from None

    def unlock_with_recovery(self, recovery_key: str) -> bytearray:
        raw = parse_recovery_key(recovery_key)
        for slot in self.slots:
            if slot.kind == RECOVERY:
                try:
                    return slot.open(raw)
                except WrongKeyError:
                    break
        raise WrongKeyError("That recovery key does not open this store. Nothing was changed.")

    def with_password_slot(
        self, name: str, password: str, data_key: bytes | bytearray, params: StoreSettings
    ) -> KeyFile:
        """A new or replaced slot for this operator; every other slot unchanged."""
        check_password(password)
        label = self.label(name)
        kept = tuple(s for s in self.slots if not (s.kind == PASSWORD and s.label == label))
        slot = KeySlot.seal(data_key, PASSWORD, label, password.encode("utf-8"), params)
        return replace(self, slots=(*kept, slot))

    def without_password_slot(self, name: str) -> KeyFile:
        label = self.label(name)
        return replace(
            self,
            slots=tuple(s for s in self.slots if not (s.kind == PASSWORD and s.label == label)),
        )

    def with_recovery_slot(
        self, data_key: bytes | bytearray, params: StoreSettings
    ) -> tuple[KeyFile, str]:
        """Replace the recovery slot; returns the new file and the recovery key to show once."""
        raw = secrets.token_bytes(KEY_BYTES)
        slot = KeySlot.seal(data_key, RECOVERY, RECOVERY, raw, params)
        kept = tuple(s for s in self.slots if s.kind != RECOVERY)
        return replace(self, slots=(*kept, slot)), format_recovery_key(raw)


_WRONG_PASSWORD = "Wrong operator name or password: the store was not opened and nothing changed."


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")


def new_data_key() -> bytearray:
    return bytearray(secrets.token_bytes(KEY_BYTES))


def new_key_file(store_salt: bytes) -> KeyFile:
    return KeyFile(secrets.token_bytes(16), store_salt, ())


def format_recovery_key(raw: bytes) -> str:
    """52 base32 letters in groups of four: easy to copy onto paper, hard to mistype unnoticed."""
    text = base64.b32encode(raw).decode("ascii").rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes:
    letters = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        raw = base64.b32decode(letters + "=" * (-len(letters) % 8))
    except ValueError:
        raw = b""
    if len(raw) != KEY_BYTES:
        raise WrongKeyError(
            "That is not a recovery key: it has 52 letters and digits in groups of four."
        )
    return raw


def wipe(secret: bytearray) -> None:
    """Overwrite a key in memory once it has been handed to SQLCipher or sealed."""
    for index in range(len(secret)):
        secret[index] = 0


def key_file_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".key.json")


def key_file_bytes(key_file: KeyFile) -> bytes:
    return json.dumps(
        {
            "format": KEY_FILE_FORMAT,
            "label_salt": key_file.label_salt.hex(),
            "store_salt": key_file.store_salt.hex(),
            "slots": [_slot_fields(slot) for slot in key_file.slots],
        },
        indent=1,
    ).encode("ascii")


def write_key_file(path: Path, key_file: KeyFile) -> None:
    """Atomic and private: a crash leaves the old key file or the new one, never half of one."""
    write_private_atomically(path, key_file_bytes(key_file))


def staged_key_path(path: Path) -> Path:
    return path.with_name(path.name + ".staged")


def stage_key_file(path: Path, key_file: KeyFile) -> str:
    """Write a changed key file beside the current one and return its SHA-256. It takes over
    (promote_staged_key_file) only once the change's audit event, naming that hash, is committed;
    a kill in between is settled at the next sign-in from the audit trail."""
    data = key_file_bytes(key_file)
    write_private_atomically(staged_key_path(path), data)
    return hashlib.sha256(data).hexdigest()


def promote_staged_key_file(path: Path) -> None:
    os.replace(staged_key_path(path), path)
    sync_folder(path.parent)


def _slot_fields(slot: KeySlot) -> dict[str, Any]:
    return {
        "id": slot.slot_id,
        "kind": slot.kind,
        "label": slot.label,
        "kdf": "argon2id" if slot.kind == PASSWORD else "sha256",
        "salt": slot.salt.hex(),
        "time_cost": slot.time_cost,
        "memory_kib": slot.memory_kib,
        "parallelism": slot.parallelism,
        "nonce": slot.nonce.hex(),
        "sealed": slot.sealed.hex(),
    }


def read_key_file(path: Path) -> KeyFile:
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise KeyFileError(
            f"The key file {path} is missing; without it the store cannot be opened. "
            "Restore it from the station's backup."
        ) from exc
    except OSError as exc:
        raise KeyFileError(f"The key file {path} cannot be read: {exc.strerror}.") from exc
    return parse_key_file(data, path)


def parse_key_file(data: bytes, path: Path) -> KeyFile:
    damaged = f"The key file {path} is damaged; restore it from the station's backup."
    if len(data) > _MAX_KEY_FILE_BYTES:
        raise KeyFileError(damaged)
    try:
        raw = json.loads(data.decode("ascii"))
    # RecursionError: json recurses once per nested [ or {, and a damaged file may be all brackets.
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise KeyFileError(damaged) from exc
    if not isinstance(raw, dict):
        raise KeyFileError(damaged)
    if raw.get("format") == 1:
        raise KeyFileError(
            f"The key file {path} comes from a pre-release of Face Station without operator "
            "accounts; create a new station."
        )
    if raw.get("format") != KEY_FILE_FORMAT:
        raise KeyFileError(f"The key file {path} has a format this version does not know.")
    try:
        slots = tuple(_slot(item) for item in _list(raw["slots"]))
        key_file = KeyFile(_hex(raw["label_salt"], 16), _hex(raw["store_salt"], 16), slots)
    except (KeyError, TypeError, ValueError) as exc:
        raise KeyFileError(damaged) from exc
    return key_file


def _list(value: Any) -> Iterable[Any]:
    if not isinstance(value, list):
        raise TypeError("slots must be a list")
    return value


def _hex(value: Any, length: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise TypeError("expected hex text")
    decoded = bytes.fromhex(value)
    if length is not None and len(decoded) != length:
        raise ValueError("wrong length")
    return decoded


def _count(value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValueError("out of range")
    return value


def _slot(item: Any) -> KeySlot:
    if not isinstance(item, dict) or item.get("kind") not in (PASSWORD, RECOVERY):
        raise ValueError("not a key slot")
    # Bounded so a hostile file cannot make Argon2id take minutes or gigabytes; by the same
    # ceilings as the settings, so every slot the station seals reads back.
    parallelism = _count(item["parallelism"], 1, MAX_KDF_PARALLELISM)
    return KeySlot(
        slot_id=str(item["id"]),
        kind=item["kind"],
        label=str(item["label"]),
        salt=_hex(item["salt"], 16),
        time_cost=_count(item["time_cost"], 1, MAX_KDF_TIME_COST),
        # Argon2id's own floor is 8 KiB per lane: below it a sign-in would fail inside argon2
        # (HashingError) instead of naming the damaged key file.
        memory_kib=_count(item["memory_kib"], 8 * parallelism, MAX_KDF_MEMORY_KIB),
        parallelism=parallelism,
        nonce=_hex(item["nonce"], 12),
        sealed=_hex(item["sealed"], KEY_BYTES + 16),
    )
