"""`face-station audit verify` (R12): check the hash chain of the audit trail as stored, then,
when given, the anchors issued earlier and the keyed links (issue 14).

Every event's hash covers its own content and its predecessor's hash, so an edited event no longer
matches its hash, a deleted one leaves a gap and a broken link, a moved one breaks the links around
it, and deleting the newest events is caught by the head recorded beside the chain. All of that can
be recomputed by someone who opens the store; what they cannot recompute is a head already printed
outside it (an anchor), nor a keyed link without the recovery key (station.storage.audit_links).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from station.domain import AuditProblem, AuditProblemKind, AuditVerification
from station.domain.audit import AnchorCheck, AnchorVerdict, AuditHead, LinkCheck
from station.storage.audit import AuditRepository, audit_hash
from station.storage.audit_links import (
    SEALED_AFTER_RESTORE,
    advance,
    first_key_of,
    link_of,
    recipient_of,
)
from station.storage.keys import WrongKeyError


def verify_audit_chain(
    audit: AuditRepository,
    anchors: Sequence[tuple[AuditHead, str]] = (),
    recovery_key: str | None = None,
) -> AuditVerification:
    """The chain; then each (head, where it came from) anchor; then, with the recovery key, every
    keyed link."""
    rows = audit.rows()  # read once: the chain and the keyed links check the same rows
    chain = _verify_chain(audit, rows)
    checks = [check_anchor(audit, head, source) for head, source in anchors]
    if recovery_key is None:
        return replace(chain, anchors=checks)
    problems, links = _verify_links(audit, rows, recovery_key)
    return replace(chain, problems=chain.problems + problems, anchors=checks, links=links)


def _verify_chain(audit: AuditRepository, rows: list[tuple[Any, ...]]) -> AuditVerification:
    anchor_seq, anchor_hash = audit.anchor()
    head = audit.head()
    problems: list[AuditProblem] = []
    expected_seq, expected_prev = anchor_seq, anchor_hash
    previous_at: datetime | None = None
    for row in rows:
        seq, at, prev_hash, digest = row[0], row[1], row[6], row[7]
        if head is not None and seq > head.seq:
            problems.append(
                AuditProblem(
                    seq,
                    AuditProblemKind.EDITED,
                    f"it is numbered after the newest event ever written ({head.seq}): renumbered "
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
    if head is not None and head.seq >= expected_seq:
        problems.append(
            AuditProblem(
                expected_seq,
                AuditProblemKind.TRUNCATED,
                f"the newest events {expected_seq}–{head.seq} were deleted.",
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


def check_anchor(audit: AuditRepository, anchor: AuditHead, source: str) -> AnchorCheck:
    """Whether the trail still holds the event `anchor` names with the hash it had (issue 14). A
    restore since then replaces every event after its backup: the message then names it."""
    check = _check_anchor(audit, anchor, source)
    if check.ok or check.verdict is AnchorVerdict.PRUNED:
        return check
    restore = audit.store.execute(
        "SELECT seq, at FROM audit_events WHERE kind = 'store_restored' AND seq <= ? "
        "ORDER BY seq DESC LIMIT 1",
        (anchor.seq,),
    ).fetchone()
    if restore is None:
        return check
    return replace(
        check,
        message=f"{check.message} The trail records a restore from a backup at event "
        f"{restore[0]} ({restore[1][:16]}): the events after that backup were replaced by it, "
        "which also explains this, if the restore was genuine.",
    )


def _check_anchor(audit: AuditRepository, anchor: AuditHead, source: str) -> AnchorCheck:
    row = audit.store.execute(
        "SELECT hash FROM audit_events WHERE seq = ?", (anchor.seq,)
    ).fetchone()
    first_kept, before_first = audit.anchor()
    if row is None and anchor.seq == first_kept - 1:  # the newest event a prune removed
        row = (before_first,)
    if row is not None:
        if anchor.matches(str(row[0])):
            return AnchorCheck(
                anchor, source, AnchorVerdict.HELD, f"event {anchor.seq} is as {source} recorded."
            )
        return AnchorCheck(
            anchor,
            source,
            AnchorVerdict.REWRITTEN,
            f"event {anchor.seq} no longer has the hash it had when {source} was made: it, or an "
            "event before it, was rewritten and the chain recomputed.",
        )
    if anchor.seq < first_kept:
        return AnchorCheck(
            anchor,
            source,
            AnchorVerdict.PRUNED,
            f"event {anchor.seq} ({source}) was removed under the retention rule (R17), so this "
            "anchor can no longer be checked.",
        )
    last = audit.store.execute("SELECT max(seq) FROM audit_events").fetchone()[0] or 0
    return AnchorCheck(
        anchor,
        source,
        AnchorVerdict.TRUNCATED,
        f"{source} was made at event {anchor.seq}, but the trail now ends at event {last}: "
        f"events {last + 1}–{anchor.seq} were deleted.",
    )


def _verify_links(
    audit: AuditRepository, rows: list[tuple[Any, ...]], recovery_key: str
) -> tuple[list[AuditProblem], LinkCheck]:
    """Re-derive every epoch's keys from the recovery key and check each event's keyed link, then
    that the key in force is the one the trail leads to (else the newest events were removed).
    Raises WrongKeyError when the recovery key is not one of this trail's."""
    recipient = recipient_of(recovery_key)
    epochs = sorted(audit.link_epochs(), key=lambda epoch: epoch.first_seq)
    if not any(epoch.recipient == recipient for epoch in epochs):
        raise WrongKeyError(
            "That recovery key links none of this audit trail's events: it is not this store's "
            "(or the store was set up before keyed links and its recovery key never replaced)."
        )
    links = audit.links()
    problems: list[AuditProblem] = []
    checked = other_key = before = 0
    restores: list[int] = []
    starts = [epoch.first_seq for epoch in epochs]
    ends = [*starts[1:], None]
    for epoch, end in zip(epochs, ends, strict=True):
        mine = [r for r in rows if r[0] >= epoch.first_seq and (end is None or r[0] < end)]
        if epoch.origin == SEALED_AFTER_RESTORE:
            restores.append(epoch.first_seq)
            if mine and mine[0][0] == epoch.first_seq and mine[0][2] != "store_restored":
                problems.append(
                    _problem(epoch.first_seq, "its links restart here without a restore")
                )
        if epoch.recipient != recipient:
            other_key += len(mine)
            continue
        try:
            key, at = first_key_of(epoch, recovery_key), epoch.first_seq
        except WrongKeyError:
            problems.append(_problem(epoch.first_seq, "the key its links start from was replaced"))
            continue
        for row in mine:
            while at < row[0]:  # events removed under retention: their keys still advance
                key, at = advance(key), at + 1
            link = links.get(row[0])
            if link is None:
                problems.append(
                    AuditProblem(
                        row[0],
                        AuditProblemKind.UNLINKED,
                        "it carries no keyed link although it was written after links began.",
                    )
                )
            elif link != link_of(key, row[7]):
                problems.append(_problem(row[0], "its keyed link does not match"))
            else:
                checked += 1
        if end is None:
            problems += _state_problems(audit, key, at, rows[-1][0] if rows else 0)
    if epochs:
        before = sum(1 for r in rows if r[0] < epochs[0].first_seq)
    return problems, LinkCheck(checked, other_key, before, tuple(restores))


def _state_problems(
    audit: AuditRepository, key: bytes, at: int, last_seq: int
) -> list[AuditProblem]:
    """The key in force must be exactly one step past the newest event's."""
    state = audit.link_state()
    if state is None:
        return []
    seq, stored = state
    if seq > last_seq + 1:
        return [
            AuditProblem(
                last_seq + 1,
                AuditProblemKind.TRUNCATED,
                f"the link key was advanced past event {seq - 1}, but the trail ends at event "
                f"{last_seq}: the newest events were deleted.",
            )
        ]
    while at < seq:
        key, at = advance(key), at + 1
    if stored != key:
        return [_problem(seq, "the link key in force is not the one the trail's keys lead to")]
    return []


def _problem(seq: int, what: str) -> AuditProblem:
    return AuditProblem(
        seq,
        AuditProblemKind.FORGED,
        f"{what}: the trail was rewritten by someone who could open the store but not the "
        "recovery key.",
    )
