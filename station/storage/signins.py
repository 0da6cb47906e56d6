"""Failed sign-ins (R12) seen while the store is locked.

A wrong password cannot be written to the encrypted store it failed to open, so the attempt is
kept in a small private file beside it: the time and a pseudonym of the name typed, never the name
or the password. The pseudonym is the key file's HMAC label of the name (KeyFile.label), the one
its key slots carry, so throttling still counts per name before anyone signs in, and the next
sign-in can tell a known account's attempts from those of a name no account has. At that sign-in
the new entries go into the audit trail; entries of the last hour stay (marked as audited)
because throttling counts them, except the signed-in name's own.

A file written before issue 16 named the operator typed; it is read through the pseudonym and
rewritten without the names the first time it is read.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from station.storage.files import write_private_atomically

MAX_PENDING = 1000  # a flood of attempts must not fill the disk
KEEP_FOR = timedelta(hours=1)  # as long as throttling looks back (station.policy.signin.WINDOW)
UNREADABLE = "(unreadable entry)"

Pseudonym = Callable[[str], str]  # a name typed -> its label (KeyFile.label)


@dataclass(frozen=True)
class FailedSignIn:
    at: datetime
    label: str  # the pseudonym of the name typed; UNREADABLE for a damaged line
    audited: bool = False


def pending_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + ".failed-signins")


def note_failed_sign_in(store_path: Path, label: str, at: datetime) -> bool:
    """True when the attempt was written down. A read-only or full data folder cannot take it,
    and that must not hide the "wrong password" message behind a disk error: the store cannot
    be written either, and the next sign-in says so."""
    path = pending_path(store_path)
    if not path.parent.is_dir():
        return False  # no store folder, so nothing to protect yet
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    except OSError:
        return False
    try:
        if os.fstat(descriptor).st_size >= MAX_PENDING * 200:
            return False
        os.write(descriptor, _line(FailedSignIn(at, label)))
        os.fsync(descriptor)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)


def read_failed_sign_ins(store_path: Path, pseudonym: Pseudonym) -> list[FailedSignIn]:
    """Every entry, oldest first; a damaged line is kept as an unreadable entry, not dropped. A
    line naming the operator (the format before issue 16) is read through `pseudonym`, and the
    file is rewritten at once without any name."""
    path = pending_path(store_path)
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except FileNotFoundError:
        return []
    # Bytes, and split on "\n" only, as written: splitlines() also breaks at U+2028 or U+0085,
    # which json leaves unescaped in a typed name, and read_text() at a stray "\r".
    lines = [line for line in text.split("\n") if line]
    entries: list[FailedSignIn] = []
    legacy = False
    for line in lines[: MAX_PENDING * 2]:
        try:
            raw = json.loads(line)
            at = datetime.fromisoformat(raw["at"])
            if "label" in raw:
                label = str(raw["label"])
            else:
                label, legacy = pseudonym(str(raw["operator"])), True
            entries.append(
                FailedSignIn(
                    at if at.tzinfo else at.replace(tzinfo=UTC), label, raw.get("audited") is True
                )
            )
        # RecursionError: json recurses once per nested [ or {, and the file may be garbage.
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            entries.append(FailedSignIn(datetime.min.replace(tzinfo=UTC), UNREADABLE))
    if legacy:
        # A read-only data folder keeps the old file until a sign-in can write it.
        with contextlib.suppress(OSError):
            _rewrite(path, entries)
    return entries


def after_sign_in(store_path: Path, label: str, now: datetime, pseudonym: Pseudonym) -> None:
    """Called once the new entries are committed to the audit trail: keep the last hour's (as
    audited) for throttling, minus those of the name that just signed in (its `label`)."""
    kept = [
        FailedSignIn(entry.at, entry.label, True)
        for entry in read_failed_sign_ins(store_path, pseudonym)
        if now - entry.at < KEEP_FOR and entry.label != label
    ]
    _rewrite(pending_path(store_path), kept)


def _rewrite(path: Path, entries: list[FailedSignIn]) -> None:
    if entries:
        write_private_atomically(path, b"".join(_line(entry) for entry in entries))
    else:
        path.unlink(missing_ok=True)


def _line(entry: FailedSignIn) -> bytes:
    fields: dict[str, object] = {"at": entry.at.isoformat(), "label": entry.label}
    if entry.audited:
        fields["audited"] = True
    return (json.dumps(fields, ensure_ascii=False) + "\n").encode("utf-8")
