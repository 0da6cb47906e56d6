"""Failed face attempts per claimed identity (R24): counts only, nothing biometric."""

from __future__ import annotations

from station.domain import AttemptState
from station.storage.ids import optional_time
from station.storage.store import Store


class AttemptRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, subject_id: str) -> AttemptState:
        row = self.store.execute(
            "SELECT consecutive_failures, last_failure_at, disabled_at FROM face_attempts "
            "WHERE subject_id = ?",
            (subject_id,),
        ).fetchone()
        if row is None:
            return AttemptState()
        return AttemptState(int(row[0]), optional_time(row[1]), optional_time(row[2]))

    def set(self, subject_id: str, state: AttemptState) -> None:
        """A clean state deletes the row: nothing is kept about someone with no failures."""
        if state.is_clean:
            self.store.execute("DELETE FROM face_attempts WHERE subject_id = ?", (subject_id,))
            return
        self.store.execute(
            "INSERT INTO face_attempts(subject_id, consecutive_failures, last_failure_at, "
            "disabled_at) VALUES (?, ?, ?, ?) ON CONFLICT(subject_id) DO UPDATE SET "
            "consecutive_failures = excluded.consecutive_failures, "
            "last_failure_at = excluded.last_failure_at, disabled_at = excluded.disabled_at",
            (
                subject_id,
                state.consecutive_failures,
                state.last_failure_at.isoformat() if state.last_failure_at else None,
                state.disabled_at.isoformat() if state.disabled_at else None,
            ),
        )
