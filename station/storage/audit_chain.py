"""`face-station audit verify` (R12): check the hash chain of the audit trail as stored.

Every event's hash covers its own content and its predecessor's hash, so an edited event no longer
matches its hash, a deleted one leaves a gap and a broken link, a moved one breaks the links around
it, and deleting the newest events is caught by the head recorded beside the chain.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from station.domain import AuditProblem, AuditProblemKind, AuditVerification
from station.storage.audit import AuditRepository, audit_hash


def verify_audit_chain(audit: AuditRepository) -> AuditVerification:
    rows = audit.rows()
    anchor_seq, anchor_hash = audit.anchor()
    head = audit.head()
    problems: list[AuditProblem] = []
    expected_seq, expected_prev = anchor_seq, anchor_hash
    previous_at: datetime | None = None
    for row in rows:
        seq, at, prev_hash, digest = row[0], row[1], row[6], row[7]
        if head is not None and seq > head[0]:
            problems.append(
                AuditProblem(
                    seq,
                    AuditProblemKind.EDITED,
                    f"it is numbered after the newest event ever written ({head[0]}): renumbered "
                    "or forged.",
                )
            )
            continue
        if seq > expected_seq:
            problems.append(
                AuditProblem(
                    expected_seq,
                    AuditProblemKind.MISSING,
                    f"events {expected_seq}–{seq - 1} are missing (deleted).",
                )
            )
        if _recomputed(row) != digest:
            problems.append(
                AuditProblem(
                    seq, AuditProblemKind.EDITED, "its content no longer matches its hash (edited)."
                )
            )
        elif prev_hash != expected_prev and seq == expected_seq:
            problems.append(
                AuditProblem(
                    seq,
                    AuditProblemKind.BROKEN_LINK,
                    f"it does not follow event {seq - 1}: events were removed, reordered or "
                    "rewritten.",
                )
            )
        when = datetime.fromisoformat(at)
        if previous_at is not None and when < previous_at:
            problems.append(
                AuditProblem(
                    seq,
                    AuditProblemKind.OUT_OF_ORDER,
                    f"it is dated before event {seq - 1} (reordered).",
                )
            )
        expected_seq, expected_prev, previous_at = seq + 1, digest, when
    if head is not None and head[0] >= expected_seq:
        problems.append(
            AuditProblem(
                expected_seq,
                AuditProblemKind.TRUNCATED,
                f"the newest events {expected_seq}–{head[0]} were deleted.",
            )
        )
    return AuditVerification(
        len(rows), rows[0][0] if rows else None, rows[-1][0] if rows else None, problems
    )


def _recomputed(row: tuple[Any, ...]) -> str | None:
    seq, at, kind, subject_id, operator, detail, prev_hash, _ = row
    try:
        body = json.loads(detail)
    except (TypeError, ValueError):
        return None
    return audit_hash(seq, at, kind, subject_id, operator, body, prev_hash)
