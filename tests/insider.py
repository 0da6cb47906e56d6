"""What an insider can do to the audit trail with nothing but an operator's password and the key
file (issue 14): open the store, change events, recompute every later hash and the recorded head.
The plain chain then verifies again; anchors and keyed links must still catch it."""

from __future__ import annotations

import json
from typing import Any

from station.storage import Store
from station.storage.audit import audit_hash


def rewrite(store: Store, seq: int, **changes: Any) -> None:
    """Change event `seq` (its `detail` or `operator`), then recompute every later hash and the
    head, in one transaction."""
    rows = store.execute(
        "SELECT seq, at, kind, subject_id, operator, detail, prev_hash FROM audit_events "
        "ORDER BY seq"
    ).fetchall()
    previous: str | None = None
    with store.transaction():
        for number, at, kind, subject_id, operator, detail, prev_hash in rows:
            if number < seq:
                continue
            body = json.loads(detail)
            if number == seq:
                body = changes.get("detail", body)
                operator = changes.get("operator", operator)
            prev = previous or prev_hash
            previous = audit_hash(number, at, kind, subject_id, operator, body, prev)
            store.execute(
                "UPDATE audit_events SET operator = ?, detail = ?, prev_hash = ?, hash = ? "
                "WHERE seq = ?",
                (
                    operator,
                    json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                    prev,
                    previous,
                    number,
                ),
            )
        store.set_meta_value("audit_head", f"{rows[-1][0]}:{previous}")


def truncate(store: Store, keep_through: int) -> None:
    """Delete the newest events and point the head at the last one kept."""
    kept = store.execute("SELECT hash FROM audit_events WHERE seq = ?", (keep_through,)).fetchone()
    with store.transaction():
        store.execute("DELETE FROM audit_events WHERE seq > ?", (keep_through,))
        store.set_meta_value("audit_head", f"{keep_through}:{kept[0]}")
