"""The backup file (R12): the store's ciphertext and its key file in one checked file, and putting
them back in place of a store. station.services.backup decides who may and audits it.

A backup file is encrypted at rest by construction, with no passphrase of its own: it holds the
store as SQLCipher ciphertext under the store's data key, and the key file, where that data key
only exists sealed in the operators' and the recovery key's slots. Whoever could open the station
when the backup was made can open the backup; nobody else can. Its manifest names no person.

Format (version 1), one file:

    MAGIC (20 bytes) | format version (u16, big-endian) | manifest length (u32, big-endian)
    | manifest (ASCII JSON) | store part | key file part | SHA-256 of everything before it

The manifest holds created_at, the schema version, the store's salt, the app version, and for each
part (store, key_file, in that order) its size and SHA-256. The closing digest catches a flipped
byte anywhere, the manifest included.

A backup carries the key slots as they were when it was made: a password changed since, an
operator added or removed since, or a recovery key replaced since is, in the restored store, as it
was then (the old password and old recovery key open it again). Keep backups as safe as the
station itself, and make a new one after removing an operator.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import sqlcipher3

from station import __version__
from station.domain import Role, StoreError, StoreProblem
from station.domain.audit import AuditHead, parse_head_code
from station.domain.progress import Progress, ProgressStep, Tally
from station.storage.audit_links import LINK_STATE
from station.storage.errors import damaged_store, describe_findings
from station.storage.files import sync_folder
from station.storage.keys import KeyFile, key_file_path, name_key, parse_key_file, wipe
from station.storage.schema import SCHEMA_VERSION
from station.storage.store import (
    Store,
    StoreExistsError,
    connect,
    creating_path,
    page_findings,
    restoring_path,
    store_salt,
    structure_findings,
)

MAGIC = b"FACE-STATION-BACKUP\n"
BACKUP_FORMAT = 1
FORMAT_NAME = "face-station-backup"
_HEADER = struct.Struct(">HI")  # format version, manifest length
_DIGEST_BYTES = 32
_MAX_MANIFEST_BYTES = 64 * 1024  # a manifest is a few hundred bytes; more is not ours
_MAX_KEY_FILE_BYTES = 1 << 20  # the same bound read_key_file applies
_CHUNK = 1 << 20
# SQLite's online backup copies this many pages a step (1 MiB of SQLCipher's 4 KiB pages), so the
# copy can report its progress between steps.
_PAGES_PER_STEP = 256
# A backup reads or writes the store's worth of bytes this many times: the store's page check, the
# copy, the copy's page and structure checks, hashing the copy, writing the file, reading it back.
BACKUP_PASSES = 7
# restore_backup_files' share of a restore: checking the backup, copying the store out of it, and
# the staged copy's page and structure checks.
RESTORE_FILE_PASSES = 4
_JOURNALS = ("-journal", "-wal", "-shm")  # SQLite's side files, which belong to one store file
RoleCheck = Callable[[Role | None], None]  # raises when that role in the backup may not restore it


class BackupError(StoreError):
    """A backup, or a store restored from one, failed its own check; nothing was kept."""

    problem = StoreProblem.BACKUP_FAILED


class BackupTargetExistsError(BackupError):
    problem = StoreProblem.BACKUP_TARGET_EXISTS


class BackupFolderMissingError(BackupError):
    problem = StoreProblem.BACKUP_FOLDER_MISSING


class BackupFileMissingError(BackupError):
    problem = StoreProblem.BACKUP_FILE_MISSING


class NotABackupError(BackupError):
    problem = StoreProblem.NOT_A_BACKUP


class DamagedBackupError(BackupError):
    problem = StoreProblem.BACKUP_DAMAGED


class UnsupportedBackupError(BackupError):
    problem = StoreProblem.BACKUP_UNSUPPORTED


@dataclass(frozen=True)
class BackupInfo:
    """What a verified backup file says about itself (no personal data: there is none in clear)."""

    path: Path
    created_at: datetime
    schema_version: int
    app_version: str
    store_salt: bytes
    store_size: int
    key_file_size: int
    file_size: int
    sha256: str  # of the whole file, as audited when it was made
    audit_head: AuditHead | None  # the trail's head when it was made (issue 14); older: None


# Records the restore in the staged store (its path, the backup, where the replaced pair will be
# kept) before it is swapped in.
RestoreRecorder = Callable[[Path, BackupInfo, Path | None], None]


def write_backup(
    store: Store,
    out: Path,
    unlock: Callable[[KeyFile], bytearray],
    created_at: datetime,
    audit_head: AuditHead | None,
    progress: Progress | None = None,
) -> str:
    """An encrypted backup of the open store at `out`, read back and checked before it takes its
    name; returns its SHA-256. Its manifest carries `audit_head`, the trail's head it holds.
    `unlock` opens the store's data key from the key file once `out` is known to be writable; the
    key is wiped as soon as the snapshot is keyed. `progress` hears of every pass over the store
    (BACKUP_PASSES of them), in bytes."""
    out = Path(out)
    if out.exists():
        raise BackupTargetExistsError(
            f"{out} already exists; choose a new file name for the backup."
        )
    if not out.parent.is_dir():
        raise BackupFolderMissingError(
            f"The folder {out.parent} does not exist (is the drive plugged in?); nothing was "
            "written."
        )
    tally = Tally(progress, BACKUP_PASSES * store.path.stat().st_size)
    tally.now(ProgressStep.UNLOCKING)
    key_bytes = store.key_path.read_bytes()
    key_file = parse_key_file(key_bytes, store.key_path)
    data_key = unlock(key_file)
    snapshot = out.with_name(f".{out.name}.snapshot")
    temporary = out.with_name(f".{out.name}.tmp")
    previous_umask = os.umask(0o077)  # the snapshot and its journal are born private
    try:
        _snapshot(store.path, snapshot, data_key, key_file.store_salt, tally)
        wipe(data_key)
        digest = _write_backup(
            temporary,
            snapshot,
            key_bytes,
            {
                "created_at": created_at.isoformat(),
                "schema_version": store.schema_version(),
                "store_salt": key_file.store_salt.hex(),
                **({"audit_head": audit_head.field} if audit_head else {}),
            },
            tally,
        )
        # Read back before it takes its name: a backup that would not restore is worse than none.
        tally.now(ProgressStep.READING_BACK)
        if read_backup(temporary, tally.counter(ProgressStep.READING_BACK)).sha256 != digest:
            raise BackupError(f"The backup could not be written correctly to {out.parent}.")
        os.replace(temporary, out)
        sync_folder(out.parent)
        tally.finish(ProgressStep.READING_BACK)
    finally:
        wipe(data_key)
        os.umask(previous_umask)
        for leftover in (snapshot, temporary, *_side_files(snapshot)):
            leftover.unlink(missing_ok=True)
    return digest


def restore_backup_files(
    backup_path: Path,
    store_path: Path,
    *,
    replace: bool,
    name: str,
    unlock: Callable[[KeyFile], bytearray],
    may_restore: RoleCheck,
    record: RestoreRecorder,
    now: datetime,
    tally: Tally | None = None,
) -> tuple[BackupInfo, Path | None]:
    """Put the store and key file of a backup at store_path; needs no store open (the current one
    may be missing or damaged). Returns what the backup said of itself and where a replaced store
    was kept.

    Nothing is written until the backup is verified and `unlock` has opened the staged copy and
    `may_restore` accepted `name`'s role in it. `record` then writes the restore into the staged
    store, so the store swapped in already holds its own record. With replace=True an existing
    pair is kept beside it as `<store>.before-restore-<time>` (plus its key file), never deleted.
    The swap follows Store's own crash rule (a `.creating` store with no store beside it is
    finished at the next open, its staged key file going in first if the kill came before it), so
    a kill at any point leaves the old pair or the new one, whole — never the backup's store with
    today's key file, or the reverse.

    `tally` hears of its RESTORE_FILE_PASSES passes over the store, in bytes.
    """
    backup_path, store_path = Path(backup_path), Path(store_path)
    tally = tally or Tally(None, 1)
    tally.now(ProgressStep.CHECKING_BACKUP)
    info = read_backup(backup_path, tally.counter(ProgressStep.CHECKING_BACKUP))
    key_path = key_file_path(store_path)
    existing = store_path.exists() or key_path.exists()
    if existing and not replace:
        raise StoreExistsError(
            f"A store already exists at {store_path}; nothing was changed. To replace it with "
            "the backup, restore with --replace: the current store is kept aside, not deleted."
        )
    with _open(backup_path) as handle:
        layout = _layout(handle, backup_path)
        handle.seek(layout.offset + layout.store.size)
        key_bytes = handle.read(layout.key_file.size)
        if hashlib.sha256(key_bytes).hexdigest() != layout.key_file.sha256:
            raise _damaged(backup_path)  # changed since read_backup checked it
        key_file = parse_key_file(key_bytes, backup_path)
        if key_file.store_salt != info.store_salt:
            raise _damaged(backup_path)
        # The password is checked before anything is written: a wrong one leaves no trace.
        tally.now(ProgressStep.UNLOCKING)
        data_key = unlock(key_file)
        staged_store = restoring_path(store_path)
        staged_key = key_file_path(staged_store)  # a pair Store.open opens, to record the restore
        previous_umask = os.umask(0o077)  # staged files and a new folder are born private
        try:
            store_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle.seek(layout.offset)
            copied = tally.counter(ProgressStep.COPYING_STORE)
            _copy_private(handle, layout.store, staged_store, backup_path, copied)
            _check_staged(staged_store, data_key, info, name, may_restore, tally)
            wipe(data_key)
            _write_private(staged_key, key_bytes)
            set_aside = _set_aside_name(store_path, now) if existing else None
            record(staged_store, info, set_aside)
            if set_aside is not None:
                _set_aside(store_path, set_aside)
            _swap_in(staged_store, staged_key, store_path)
        except BaseException:
            for staged in (staged_store, staged_key, *_side_files(staged_store)):
                staged.unlink(missing_ok=True)
            raise
        finally:
            wipe(data_key)
            os.umask(previous_umask)
    return info, set_aside


# writing a backup


def _snapshot(source: Path, target: Path, data_key: bytearray, salt: bytes, tally: Tally) -> None:
    """SQLite's online backup, a megabyte a step so its progress shows. The copy is still one
    consistent state: a write to the store by another connection between two steps makes SQLite
    start the copy again. The target is keyed with the same raw key and the same salt, so it is
    the same store's ciphertext and the key file's store_salt still names it."""
    for stale in (target, *_side_files(target)):
        stale.unlink(missing_ok=True)
    origin = connect(source, data_key)
    try:
        # The store's own pages first (R12): SQLCipher's backup does not stop at a page that
        # fails its HMAC, it copies zeros in its place under a valid HMAC of the copy's own.
        tally.now(ProgressStep.CHECKING_STORE)
        damage = page_findings(origin)
        if damage:
            raise damaged_store(source, describe_findings(damage))
        size = source.stat().st_size
        tally.add(size, ProgressStep.COPYING_STORE)
        copy = connect(target, data_key, salt)
        try:
            copied = 0

            def step(_status: int, remaining: int, pages: int) -> None:
                nonlocal copied
                now = size * (pages - remaining) // max(pages, 1)
                tally.add(now - copied, ProgressStep.COPYING_STORE)
                copied = now

            origin.backup(copy, pages=_PAGES_PER_STEP, progress=step)
            # The key the next audit event is linked with stays behind: whoever holds a backup
            # could otherwise re-link every event written after it (issue 14). A restore seals a
            # new epoch instead. secure_delete: its bytes are overwritten in the copy, not freed.
            copy.execute("PRAGMA secure_delete = ON")
            copy.execute("DELETE FROM station_meta WHERE key = ?", (LINK_STATE,))
            tally.add(size - copied, ProgressStep.CHECKING_COPY)
            if page_findings(copy):  # the copy's own pages: written badly where the backup goes
                raise BackupError("The snapshot of the store failed its check; nothing was kept.")
            tally.add(size, ProgressStep.CHECKING_COPY)
            # SQLite's full check: sound pages can still make a broken b-tree (a write the disk
            # lost); that damage is the store's, and a backup of it would restore it.
            damage = structure_findings(copy)
            if damage:
                raise damaged_store(source, describe_findings(damage))
            tally.add(size, ProgressStep.WRITING_BACKUP)
        finally:
            copy.close()
    finally:
        origin.close()
    if store_salt(target) != salt:
        raise BackupError("The snapshot of the store does not match its key file; nothing kept.")


def _write_backup(
    path: Path, snapshot: Path, key_bytes: bytes, facts: dict[str, Any], tally: Tally
) -> str:
    """The backup at a temporary path, fsynced; returns the SHA-256 of the whole file."""
    written = tally.counter(ProgressStep.WRITING_BACKUP)
    with snapshot.open("rb") as handle:
        store_size, store_sha = _hash_stream(handle, written)
    manifest = {
        **facts,
        "format": FORMAT_NAME,
        "app_version": __version__,
        "parts": [
            {"name": "store", "size": store_size, "sha256": store_sha},
            {
                "name": "key_file",
                "size": len(key_bytes),
                "sha256": hashlib.sha256(key_bytes).hexdigest(),
            },
        ],
    }
    encoded = json.dumps(manifest, sort_keys=True).encode("ascii")
    body, whole = hashlib.sha256(), hashlib.sha256()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # a leftover temporary file may have had other rights
    with os.fdopen(descriptor, "wb") as out:
        for block in _blocks_of(_prefix(encoded), snapshot, key_bytes):
            body.update(block)
            whole.update(block)
            out.write(block)
            written(len(block))
        closing = body.digest()
        whole.update(closing)
        out.write(closing)
        out.flush()
        os.fsync(out.fileno())
    return whole.hexdigest()


def _blocks_of(prefix: bytes, snapshot: Path, key_bytes: bytes) -> Iterator[bytes]:
    yield prefix
    with snapshot.open("rb") as handle:
        while block := handle.read(_CHUNK):
            yield block
    yield key_bytes


# reading a backup


@dataclass(frozen=True)
class _Part:
    size: int
    sha256: str


@dataclass(frozen=True)
class _Layout:
    """A backup's header and manifest, checked for shape; the parts follow at `offset`."""

    encoded: bytes  # the manifest as stored, covered by the closing digest
    created_at: datetime
    schema_version: int
    app_version: str
    store_salt: bytes
    store: _Part
    key_file: _Part
    audit_head: AuditHead | None

    @property
    def offset(self) -> int:
        return len(_prefix(self.encoded))


def read_backup(path: Path, on_read: Callable[[int], None] | None = None) -> BackupInfo:
    """Check a backup file end to end (magic, version, manifest, every hash) without writing.
    `on_read` hears of each chunk's size as it is read."""
    path = Path(path)
    with _open(path) as handle:
        layout = _layout(handle, path)
        body, whole = hashlib.sha256(), hashlib.sha256()
        prefix = _prefix(layout.encoded)
        body.update(prefix)
        whole.update(prefix)
        for part in (layout.store, layout.key_file):
            hasher = hashlib.sha256()
            for chunk in _chunks(handle, part.size, path):
                hasher.update(chunk)
                body.update(chunk)
                whole.update(chunk)
                if on_read is not None:
                    on_read(len(chunk))
            if hasher.hexdigest() != part.sha256:
                raise _damaged(path)
        closing = handle.read(_DIGEST_BYTES + 1)
        if closing != body.digest():
            raise _damaged(path)
        whole.update(closing)
    return BackupInfo(
        path=path,
        created_at=layout.created_at,
        schema_version=layout.schema_version,
        app_version=layout.app_version,
        store_salt=layout.store_salt,
        store_size=layout.store.size,
        key_file_size=layout.key_file.size,
        file_size=layout.offset + layout.store.size + layout.key_file.size + _DIGEST_BYTES,
        sha256=whole.hexdigest(),
        audit_head=layout.audit_head,
    )


def _open(path: Path) -> BinaryIO:
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise BackupFileMissingError(f"There is no file {path}; nothing was changed.") from None
    except IsADirectoryError:
        raise NotABackupError(f"{path} is a folder, not a Face Station backup.") from None


def _layout(handle: BinaryIO, path: Path) -> _Layout:
    """Magic, version and manifest; leaves the handle at the start of the store part."""
    if handle.read(len(MAGIC)) != MAGIC:
        raise NotABackupError(
            f"{path} is not a Face Station backup; nothing was changed. Choose the file "
            "`face-station backup` wrote."
        )
    header = handle.read(_HEADER.size)
    if len(header) != _HEADER.size:
        raise _damaged(path)
    version, manifest_size = _HEADER.unpack(header)
    if version != BACKUP_FORMAT:
        raise UnsupportedBackupError(
            f"{path} is a backup in format {version}, which this version of Face Station does "
            f"not read (it reads format {BACKUP_FORMAT}). Restore it with a newer Face Station; "
            "nothing was changed."
        )
    if manifest_size > _MAX_MANIFEST_BYTES:
        raise _damaged(path)
    encoded = handle.read(manifest_size)
    try:
        raw = json.loads(encoded.decode("ascii"))
        parts = {str(p["name"]): _Part(_size(p["size"]), _text(p["sha256"])) for p in raw["parts"]}
        layout = _Layout(
            encoded=encoded,
            created_at=datetime.fromisoformat(raw["created_at"]),
            schema_version=int(raw["schema_version"]),
            app_version=str(raw["app_version"]),
            store_salt=bytes.fromhex(raw["store_salt"]),
            store=parts["store"],
            key_file=parts["key_file"],
            audit_head=parse_head_code(raw["audit_head"]) if "audit_head" in raw else None,
        )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise _damaged(path) from exc
    expected = layout.offset + layout.store.size + layout.key_file.size + _DIGEST_BYTES
    if (
        raw.get("format") != FORMAT_NAME
        or set(parts) != {"store", "key_file"}
        or len(layout.store_salt) != 16
        or layout.key_file.size > _MAX_KEY_FILE_BYTES
        or os.fstat(handle.fileno()).st_size != expected  # truncated, or something appended
    ):
        raise _damaged(path)
    return layout


def _prefix(encoded: bytes) -> bytes:
    return MAGIC + _HEADER.pack(BACKUP_FORMAT, len(encoded)) + encoded


def _size(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("a size is a whole number")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _damaged(path: Path) -> DamagedBackupError:
    return DamagedBackupError(
        f"The backup {path} is damaged (incomplete, or changed since it was made); nothing was "
        "changed. Use another copy of the backup."
    )


def _chunks(handle: BinaryIO, size: int, path: Path) -> Iterator[bytes]:
    left = size
    while left:
        chunk = handle.read(min(_CHUNK, left))
        if not chunk:
            raise _damaged(path)
        left -= len(chunk)
        yield chunk


# restoring


def _copy_private(
    handle: BinaryIO,
    part: _Part,
    target: Path,
    backup_path: Path,
    on_written: Callable[[int], None],
) -> None:
    """Copy one part out of the backup, hashing what is written: the backup file could have
    changed since it was checked."""
    hasher = hashlib.sha256()
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        for chunk in _chunks(handle, part.size, backup_path):
            hasher.update(chunk)
            out.write(chunk)
            on_written(len(chunk))
        out.flush()
        os.fsync(out.fileno())
    if hasher.hexdigest() != part.sha256:
        raise _damaged(backup_path)


def _write_private(target: Path, data: bytes) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def _check_staged(
    staged: Path,
    data_key: bytearray,
    info: BackupInfo,
    name: str,
    may_restore: RoleCheck,
    tally: Tally,
) -> None:
    """Before anything is replaced: the staged store opens with the key the password unlocked, is
    intact, is not from a newer Face Station, and `may_restore` accepts `name`'s role in it."""
    if store_salt(staged) != info.store_salt:
        raise _damaged(info.path)
    connection = connect(staged, data_key)
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise UnsupportedBackupError(
                f"The backup {info.path} holds a store written by a newer Face Station (schema "
                f"{version}); update this station first. Nothing was changed."
            )
        tally.now(ProgressStep.CHECKING_COPY)
        findings = page_findings(connection)
        tally.add(info.store_size, ProgressStep.CHECKING_COPY)
        findings += structure_findings(connection)
        tally.add(info.store_size, ProgressStep.CHECKING_COPY)
        if findings:
            raise _damaged(info.path)
        row = connection.execute(
            "SELECT role FROM operators WHERE name = ? AND removed_at IS NULL", (name_key(name),)
        ).fetchone()
    except sqlcipher3.DatabaseError as exc:
        raise _damaged(info.path) from exc
    finally:
        connection.close()
    may_restore(Role(row[0]) if row is not None else None)


def _set_aside_name(store_path: Path, now: datetime) -> Path:
    base = store_path.with_name(f"{store_path.name}.before-restore-{now:%Y%m%d-%H%M%S}")
    aside, number = base, 1
    while aside.exists() or key_file_path(aside).exists():
        number += 1
        aside = base.with_name(f"{base.name}-{number}")
    return aside


def _set_aside(store_path: Path, aside: Path) -> None:
    """Keep the current pair (and any SQLite side file) as `aside`, as hard links, so it stays in
    place until the swap and is never deleted. A file system without hard links (FAT) gets
    copies."""
    pairs = [(store_path, aside), (key_file_path(store_path), key_file_path(aside))]
    pairs += [
        (store_path.with_name(store_path.name + s), aside.with_name(aside.name + s))
        for s in _JOURNALS
    ]
    for source, target in pairs:
        if source.exists():
            try:
                os.link(source, target)
            except OSError:
                shutil.copyfile(source, target)
                os.chmod(target, 0o600)
    sync_folder(store_path.parent)


def _swap_in(staged_store: Path, staged_key: Path, store_path: Path) -> None:
    """Old pair out, new pair in. Side files go first (a left-behind journal would be played into
    the new store); the old store goes before the key file changes, and the new store waits as
    `.creating` so Store.open finishes the swap if it is cut short after the key file is in."""
    for suffix in _JOURNALS:
        store_path.with_name(store_path.name + suffix).unlink(missing_ok=True)
    creating = creating_path(store_path)
    os.replace(staged_store, creating)
    store_path.unlink(missing_ok=True)
    sync_folder(store_path.parent)
    os.replace(staged_key, key_file_path(store_path))
    sync_folder(store_path.parent)
    os.replace(creating, store_path)
    sync_folder(store_path.parent)


# helpers


def _side_files(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in _JOURNALS]


def _hash_stream(handle: BinaryIO, on_read: Callable[[int], None]) -> tuple[int, str]:
    hasher, size = hashlib.sha256(), 0
    while block := handle.read(_CHUNK):
        hasher.update(block)
        size += len(block)
        on_read(len(block))
    return size, hasher.hexdigest()
