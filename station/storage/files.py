"""Private files written whole or not at all: the key file, its staged changes, the failed-sign-ins
file, export packages, reports and incident notices share this one writer."""

from __future__ import annotations

import os
from pathlib import Path


def temporary_path(path: Path) -> Path:
    """Where a write of `path` is prepared; a kill can leave it behind (decommission shreds it)."""
    return path.with_name(path.name + ".tmp")


def write_private_atomically(path: Path, data: bytes) -> None:
    """Mode 0600; a crash leaves the old file or the new one, never half of one."""
    temporary = temporary_path(path)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(descriptor, 0o600)  # a leftover temporary file may have had other rights
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def write_private_text(path: Path, text: str) -> Path:
    """A report or a notice readable by its owner only (0600), even over an existing file."""
    path = Path(path)
    write_private_atomically(path, text.encode("utf-8"))
    return path


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries, so a rename in it survives a power cut. Some file systems (a
    FAT stick for an export) cannot open or sync a folder; the data itself is already synced."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
