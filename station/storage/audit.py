"""The audit trail (R12): append-only and hash-chained. The head (the newest event ever written) is
kept in station_meta so deleting the newest events is detected; the anchor records where a prune
(R17) left the chain's start. Each event also carries a keyed link (station.storage.audit_links),
so a rewrite by someone who can open the store shows to whoever holds the recovery key. No template
or image bytes are ever written here."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection
from datetime import datetime
from typing import Any

from station.domain import AuditEvent, AuditKind
from station.domain.audit import AuditHead
from station.storage.audit_links import (
    LINK_EPOCHS,
    LINK_RECIPIENT,
    LINK_STATE,
    LinkEpoch,
    advance,
    epochs_text,
    link_meta,
    link_of,
    parse_epochs,
    sealed_epoch,
)
from station.storage.ids import parse_time
from station.storage.store import Store

GENESIS_HASH = "0" * 64
_HEAD = "audit_head"
_ANCHOR = "audit_anchor"
_COLUMNS = "seq, at, kind, subject_id, operator, detail, prev_hash, hash"


class AuditRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def append(
        self,
        kind: AuditKind,
        operator: str,
        now: datetime,
        subject_id: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> AuditEvent:
        # One transaction (joining the caller's): the event, the head and the link key move
        # together, so a kill never leaves a key that no longer follows the trail.
        with self.store.transaction():
            return self._append(kind, operator, now, subject_id, detail or {})

    def _append(
        self,
        kind: AuditKind,
        operator: str,
        now: datetime,
        subject_id: str | None,
        body: dict[str, Any],
    ) -> AuditEvent:
        head = self.head()
        seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS_HASH)
        digest = audit_hash(seq, now.isoformat(), kind.value, subject_id, operator, body, prev_hash)
        self.store.execute(
            f"INSERT INTO audit_events({_COLUMNS}, link) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                seq,
                now.isoformat(),
                kind.value,
                subject_id,
                operator,
                _canonical(body),
                prev_hash,
                digest,
                self._link(seq, digest),
            ),
        )
        self.store.set_meta_value(_HEAD, AuditHead(seq, digest).field)
        return AuditEvent(seq, now, kind.value, subject_id, operator, body, prev_hash, digest)

    def _link(self, seq: int, digest: str) -> str | None:
        """The event's keyed link, advancing the key in the same transaction. Without a key for
        this very event (a restore: backups never carry it) a new epoch is sealed to the recovery
        key; a store made before keyed links has no recipient and writes none."""
        state = self.link_state()
        if state is None or state[0] != seq:
            recipient = self.store.meta_value(LINK_RECIPIENT)
            if recipient is None:
                return None
            epoch, key = sealed_epoch(recipient, seq)
            self.store.set_meta_value(LINK_EPOCHS, epochs_text([*self.link_epochs(), epoch]))
        else:
            key = state[1]
        self.store.set_meta_value(LINK_STATE, f"{seq + 1}:{advance(key).hex()}")
        return link_of(key, digest)

    def start_links(self, recovery_key: str) -> None:
        """A new epoch from the next event on, under this (new) recovery key."""
        head = self.head()
        rows = link_meta(recovery_key, head.seq + 1 if head else 1, self.link_epochs())
        for key, value in rows.items():
            self.store.set_meta_value(key, value)

    def link_state(self) -> tuple[int, bytes] | None:
        """(seq, key) the next event is linked with."""
        recorded = self.store.meta_value(LINK_STATE)
        if recorded is None:
            return None
        seq, key = recorded.split(":")
        return int(seq), bytes.fromhex(key)

    def link_epochs(self) -> list[LinkEpoch]:
        return parse_epochs(self.store.meta_value(LINK_EPOCHS))

    def links(self) -> dict[int, str | None]:
        """seq -> stored keyed link (None for events written without one)."""
        rows = self.store.execute("SELECT seq, link FROM audit_events ORDER BY seq").fetchall()
        return {int(seq): link for seq, link in rows}

    def head(self) -> AuditHead | None:
        """The newest event ever written, even if it was since pruned: what the chain must reach,
        and the anchor printed on whatever leaves the station (issue 14)."""
        recorded = self.store.meta_value(_HEAD)
        if recorded is not None:
            seq, digest = recorded.split(":")
            return AuditHead(int(seq), digest)
        # A store from before the head was recorded: its newest row is the head.
        last = self.store.execute(
            "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return AuditHead(int(last[0]), str(last[1])) if last else None

    def anchor(self) -> tuple[int, str]:
        """(seq, prev_hash) the remaining chain must start from."""
        recorded = self.store.meta_value(_ANCHOR)
        if recorded is None:
            return 1, GENESIS_HASH
        seq, digest = recorded.split(":")
        return int(seq), digest

    def prune_before(self, cutoff: datetime) -> tuple[int, int, int] | None:
        """Delete events dated before cutoff (R17: only once they are older than the records'
        retention); returns (count, first seq, last seq) deleted, and moves the anchor."""
        rows = self.store.execute(
            "SELECT seq, hash FROM audit_events WHERE at < ? ORDER BY seq", (cutoff.isoformat(),)
        ).fetchall()
        if not rows:
            return None
        last_seq, last_hash = rows[-1]
        # Events are dated in order, so everything up to last_seq goes; the chain then starts at
        # the event after it, whose prev_hash is the last deleted event's hash.
        self.store.execute("DELETE FROM audit_events WHERE seq <= ?", (last_seq,))
        self.store.set_meta_value(_ANCHOR, f"{last_seq + 1}:{last_hash}")
        return len(rows), int(rows[0][0]), int(last_seq)

    def rows(self) -> list[tuple[Any, ...]]:
        """Raw rows in seq order, as stored: what `audit verify` checks."""
        return list(
            self.store.execute(f"SELECT {_COLUMNS} FROM audit_events ORDER BY seq").fetchall()
        )

    def recent(self, limit: int) -> list[AuditEvent]:
        """The newest events, newest first."""
        rows = self.store.execute(
            f"SELECT {_COLUMNS} FROM audit_events ORDER BY seq DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_event(row) for row in rows]

    def events(self, subject_id: str | None = None) -> list[AuditEvent]:
        """Every event (about one person, when given) in order."""
        query = f"SELECT {_COLUMNS} FROM audit_events"
        parameters: tuple[Any, ...] = ()
        if subject_id is not None:
            query += " WHERE subject_id = ?"
            parameters = (subject_id,)
        rows = self.store.execute(query + " ORDER BY seq", parameters).fetchall()
        return [_event(row) for row in rows]

    def count(self, kind: AuditKind, since: datetime | None = None) -> int:
        """Events of one kind, all of them or those from `since` on (the processing record, R17)."""
        query, parameters = "SELECT count(*) FROM audit_events WHERE kind = ?", [kind.value]
        if since is not None:
            query += " AND at >= ?"
            parameters.append(since.isoformat())
        return int(self.store.execute(query, tuple(parameters)).fetchone()[0])

    def statuses_since(
        self, kinds: Collection[AuditKind], since: datetime
    ) -> list[tuple[str, str]]:
        """(kind, detail status) of the events of `kinds` from `since` on; the status is "" when
        the event has none. Nothing else of an event: counts for the home screen."""
        marks = ", ".join("?" for _ in kinds)
        rows = self.store.execute(
            f"SELECT kind, detail FROM audit_events WHERE kind IN ({marks}) AND at >= ?",
            (*(kind.value for kind in kinds), since.isoformat()),
        ).fetchall()
        return [(str(kind), str(json.loads(detail).get("status", ""))) for kind, detail in rows]


def _canonical(detail: dict[str, Any]) -> str:
    return json.dumps(detail, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def audit_hash(
    seq: int,
    at: str,
    kind: str,
    subject_id: str | None,
    operator: str,
    detail: dict[str, Any],
    prev_hash: str,
) -> str:
    material = _canonical(
        {
            "seq": seq,
            "at": at,
            "kind": kind,
            "subject": subject_id,
            "operator": operator,
            "detail": detail,
            "prev": prev_hash,
        }
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _event(row: tuple[Any, ...]) -> AuditEvent:
    return AuditEvent(
        row[0], parse_time(row[1]), row[2], row[3], row[4], json.loads(row[5]), row[6], row[7]
    )
