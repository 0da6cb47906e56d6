"""SQLite's and the OS's words for a full disk, a read-only data folder or a damaged store file, in
an operator's words.

SQLCipher raises `OperationalError("database or disk is full")`, `("attempt to write a readonly
database")` or `("unable to open database file")`; plain file writes beside the store raise
OSError. Either way the operator needs to know what happened, that what was saved before is safe
(SQLite rolls the failed transaction back), and what to do. A page that fails its HMAC or a broken
b-tree comes as a plain `DatabaseError("database disk image is malformed")` (SQLITE_CORRUPT), met
whenever SQLite first reads that page, long after the store was opened: the operator is told the
store is damaged and to restore it (R12). The store calls `translated_errors` around its work;
anything else (a constraint, a programming error) passes through untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3

from station.domain.errors import StoreError, StoreProblem


class DiskFullError(StoreError):
    """No room left on the disk that holds the store; the change in progress was not saved."""

    problem = StoreProblem.DISK_FULL


class DiskWriteError(StoreError):
    """The disk refused a write without saying why (SQLite's "disk I/O error")."""

    problem = StoreProblem.DISK_WRITE


class ReadOnlyFolderError(StoreError):
    """The data folder cannot be written to (read-only file system or no permission)."""

    problem = StoreProblem.READ_ONLY


class StoreUnreachableError(StoreError):
    """The store file cannot be opened at all (folder missing, not reachable or read-only)."""

    problem = StoreProblem.UNREACHABLE


class CorruptStoreError(StoreError):
    """The store file is damaged: a page fails SQLCipher's HMAC, or SQLite finds its structure
    broken. Nothing more is written to it; the remedy is a restore from a backup."""

    problem = StoreProblem.CORRUPT


def damaged_store(store_path: Path, finding: str) -> CorruptStoreError:
    """The one sentence for a damaged store, whoever found the damage (R12)."""
    return CorruptStoreError(
        f"The store at {store_path} is damaged ({finding}). Nothing more was changed. Restore it "
        "from a backup: face-station restore FILE --replace."
    )


def describe_findings(findings: list[str]) -> str:
    """The first of an integrity check's findings, and how many more there are."""
    more = len(findings) - 1
    return findings[0] + (f"; {more} more finding(s)" if more else "")


_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})


def store_error(exc: BaseException, store_path: Path) -> StoreError | None:
    """The operator's version of a disk or folder failure, or of damage, met while working on the
    store at store_path, or None when exc is none of them (a programming error keeps its
    traceback)."""
    for cause in _causes(exc):
        if isinstance(cause, sqlcipher3.DatabaseError):
            found = _from_sqlite(cause, Path(store_path))
        elif isinstance(cause, OSError):
            found = _from_os(cause, Path(store_path))
        else:
            found = None
        if found is not None:
            return found
    return None


@contextlib.contextmanager
def translated_errors(store_path: Path) -> Iterator[None]:
    """Run a block of store work; a disk or folder failure, or damage, leaves it as a StoreError
    subclass."""
    try:
        yield
    except (sqlcipher3.DatabaseError, OSError) as exc:
        found = store_error(exc, store_path)
        if found is None:
            raise
        raise found from exc


def _causes(exc: BaseException) -> Iterator[BaseException]:
    # A failed write can be followed by a failed ROLLBACK ("no transaction is active": SQLite
    # already rolled back); the write's error, in __context__, is the one that explains it.
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _from_sqlite(exc: BaseException, store_path: Path) -> StoreError | None:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    text = str(exc).lower()
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        # A page that fails its HMAC, or a broken b-tree, met where SQLite first reads it.
        return damaged_store(store_path, f"SQLite: {exc}")
    if name == "SQLITE_FULL" or "disk is full" in text:
        return _full(store_path.parent)
    if name.startswith("SQLITE_READONLY") or "readonly database" in text:
        return _read_only(store_path.parent)
    if name.startswith("SQLITE_CANTOPEN") or "unable to open database" in text:
        folder = store_path.parent
        if folder.is_dir() and not os.access(folder, os.W_OK):
            return _read_only(folder)  # there, but new files cannot be made in it
        return StoreUnreachableError(
            f"The station cannot open its data file in {store_path.parent}: the folder is "
            "missing, read-only or on a disk that is not connected. Nothing was changed. Check "
            "that the disk is connected and the folder can be written to, then try again."
        )
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        # A file-size limit or a failing disk both look like this; the advice covers both.
        return DiskWriteError(
            f"The station could not write to its data file {store_path}: the disk reported an "
            "error (it may be full, disconnected or failing). The last change was not saved; "
            "everything saved before it is safe. Check the disk and its free space, then try "
            "again."
        )
    return None


def _from_os(exc: OSError, store_path: Path) -> StoreError | None:
    # The file the OS names is the one that failed (a key file, a side file, the folder itself).
    filename = exc.filename if isinstance(exc.filename, str) else None
    folder = Path(filename).parent if filename else store_path.parent
    if exc.errno in _FULL_ERRNOS:
        return _full(folder)
    if exc.errno in _READ_ONLY_ERRNOS:
        return _read_only(folder)
    return None


def _full(folder: Path) -> DiskFullError:
    return DiskFullError(
        f"The disk holding the station's data ({folder}) is full, so the last change was not "
        "saved. Everything saved before it is safe. Free some space on that disk, then try again."
    )


def _read_only(folder: Path) -> ReadOnlyFolderError:
    return ReadOnlyFolderError(
        f"The data folder {folder} cannot be written to (it is read-only, or the station may not "
        "write there), so nothing was saved. Everything already stored is safe. Ask for the "
        "folder to be made writable, then try again."
    )
