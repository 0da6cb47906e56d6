"""Decommission (R14): overwrite and delete every file that holds the store or its keys."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from station.storage.files import sync_folder

_CHUNK = 1 << 20


def shred(path: Path) -> int:
    """Overwrite the file with random bytes, flush to disk, then unlink it; returns its size.

    On flash storage an overwrite may not reach every physical copy. The store is encrypted, so
    what could survive there is ciphertext whose key material has been shredded too.
    """
    size = path.stat().st_size
    with path.open("r+b", buffering=0) as handle:
        remaining = size
        while remaining > 0:
            step = min(_CHUNK, remaining)
            handle.write(secrets.token_bytes(step))
            remaining -= step
        os.fsync(handle.fileno())
    path.unlink()
    sync_folder(path.parent)
    return size
