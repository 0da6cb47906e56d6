"""Failed attempts per person and factor (R24 face, R5 PIN): counts only, nothing biometric, never
a PIN."""

from __future__ import annotations

from station.domain import AttemptFactor, AttemptState
from station.storage.ids import optional_time
from station.storage.store import Store


class AttemptRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, subject_id: str, factor: AttemptFactor) -> AttemptState:
        row = self.store.execute(
            "SELECT consecutive_failures, last_failure_at, disabled_at FROM attempts "
            "WHERE subject_id = ? AND factor = ?",
            (subject_id, factor.value),
        ).fetchone()
        if row is None:
            return AttemptState()
        return AttemptState(int(row[0]), optional_time(row[1]), optional_time(row[2]))

    def set(self, subject_id: str, factor: AttemptFactor, state: AttemptState) -> None:
        """A clean state deletes the row: nothing is kept about someone with no failures."""
        if state.is_clean:
            self.store.execute(
                "DELETE FROM attempts WHERE subject_id = ? AND factor = ?",
                (subject_id, factor.value),
            )
            return
        self.store.execute(
            "INSERT INTO attempts(subject_id, factor, consecutive_failures, last_failure_at, "
            "disabled_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(subject_id, factor) DO UPDATE SET "
            "consecutive_failures = excluded.consecutive_failures, "
            "last_failure_at = excluded.last_failure_at, disabled_at = excluded.disabled_at",
            (
                subject_id,
                factor.value,
                state.consecutive_failures,
                state.last_failure_at.isoformat() if state.last_failure_at else None,
                state.disabled_at.isoformat() if state.disabled_at else None,
            ),
        )
