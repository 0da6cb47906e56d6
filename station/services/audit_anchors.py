"""Anchors (issue 14): the audit head every report, receipt, backup, export and notice carries
where it leaves the station, and finding it again in such a file or in a code noted on paper.

Files carry the head as `SEQ:HASH` (the event's number and its full SHA-256) beside the short code
people read (`1204-3F9A-27C1-0BD4-E812-7C`); a backup carries it in its manifest.
"""

from __future__ import annotations

import re
from pathlib import Path

from station.domain.audit import AnchorCodeError, AuditHead, parse_head_code
from station.storage.backup_file import MAGIC, read_backup

_HEAD_IN_TEXT = re.compile(rb"\b(\d{1,12}):([0-9a-f]{64})\b")
_MAX_SCANNED_BYTES = 64 << 20  # reports and notices are kilobytes; a larger file is not one of ours

__all__ = ["AnchorCodeError", "anchor_text", "anchors_from"]


def anchor_text(head: AuditHead) -> str:
    """For a printed document: the code to note by hand, then the full head."""
    return f"{head.code} ({head.field})"


def anchors_from(given: str) -> list[tuple[AuditHead, str]]:
    """(head, where it came from) for what an auditor passes to --against: a report, receipt,
    notice, export or backup file (or a folder of them), or a code noted on paper.
    AnchorCodeError says in words what is wrong with text that is neither."""
    path = Path(given)
    if path.is_file():
        return [(head, path.name) for head in _heads_in(path)]
    if path.is_dir():  # e.g. the folder of an incident's notices
        return [anchor for child in sorted(path.iterdir()) for anchor in anchors_from(str(child))]
    head = parse_head_code(given)
    return [(head, f"the code {head.code}")]


def _heads_in(path: Path) -> list[AuditHead]:
    with path.open("rb") as handle:
        start = handle.read(len(MAGIC))
    if start == MAGIC:
        # A backup: its manifest is checked with the whole file first (read_backup).
        info = read_backup(path)
        if info.audit_head is None:
            raise AnchorCodeError(
                f"The backup {path.name} was made before backups carried the audit head."
            )
        return [info.audit_head]
    if path.stat().st_size > _MAX_SCANNED_BYTES:
        raise AnchorCodeError(f"{path.name} is too large to be a report, receipt or notice.")
    heads = [
        AuditHead(int(seq), digest.decode("ascii"))
        for seq, digest in _HEAD_IN_TEXT.findall(path.read_bytes())
    ]
    if not heads:
        raise AnchorCodeError(
            f"{path.name} carries no audit head: choose a report, receipt, notice, export or "
            "backup the station wrote, or type the code noted from the administration screen."
        )
    return list(dict.fromkeys(heads))
