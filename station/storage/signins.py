"""Failed sign-ins (R12) seen while the store is locked.

A wrong password cannot be written to the encrypted store it failed to open, so the attempt is
kept in a small private file beside it (the time and the operator name typed; never the password)
and moved into the audit trail at the next successful sign-in.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

MAX_PENDING = 1000  # a flood of attempts must not fill the disk; the count of the rest is kept


def pending_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".failed-signins")


def note_failed_sign_in(store_path: Path, operator: str, at: datetime) -> None:
    path = pending_path(store_path)
    if not path.parent.is_dir():
        return  # no store folder, so nothing to protect yet
    entry = json.dumps({"at": at.isoformat(), "operator": operator[:80]}, ensure_ascii=False)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        if os.fstat(descriptor).st_size < MAX_PENDING * 200:
            os.write(descriptor, (entry + "\n").encode("utf-8"))
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def read_failed_sign_ins(store_path: Path) -> list[tuple[datetime, str]]:
    """Readable entries, oldest first; a damaged line is reported as such rather than dropped."""
    path = pending_path(store_path)
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        return []
    entries: list[tuple[datetime, str]] = []
    for line in lines:
        try:
            raw = json.loads(line)
            entries.append((datetime.fromisoformat(raw["at"]), str(raw["operator"])))
        except (ValueError, KeyError, TypeError):
            entries.append((datetime.min, "(unreadable entry)"))
    return entries


def clear_failed_sign_ins(store_path: Path) -> None:
    """Called only after the entries were committed to the audit trail."""
    pending_path(store_path).unlink(missing_ok=True)
