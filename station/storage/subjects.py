"""The people the station knows (identity only, no trait columns: R9, R13) and their PINs (R5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from station.domain import Subject
from station.storage.ids import new_id, parse_time
from station.storage.store import Store

_COLUMNS = "id, member_number, display_name, date_of_birth, created_at, card_number"
NumberColumn = Literal["member_number", "card_number"]


class SubjectRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        member_number: str,
        display_name: str,
        date_of_birth: date | None,
        now: datetime,
        card_number: str | None = None,
    ) -> Subject:
        subject = Subject(new_id(), member_number, display_name, date_of_birth, now, card_number)
        self.store.execute(
            f"INSERT INTO subjects({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)",
            (
                subject.id,
                member_number,
                display_name,
                date_of_birth.isoformat() if date_of_birth else None,
                now.isoformat(),
                card_number,
            ),
        )
        return subject

    def by_member_number(self, member_number: str) -> Subject | None:
        return self._one("member_number = ?", member_number)

    def by_card(self, card_number: str) -> Subject | None:
        return self._one("card_number = ?", card_number)

    def irregular_numbers(self, column: NumberColumn) -> list[Subject]:
        """Members whose number (or card number) holds a character outside A-Z 0-9 . _ / -: kept
        before numbers were normalised (issue 16), the only rows whose number differs from its
        normal form. GLOB runs in SQLite's C, so the scan costs little next to a lookup."""
        rows = self.store.execute(
            f"SELECT {_COLUMNS} FROM subjects WHERE {column} GLOB '*[^A-Z0-9._/-]*'"
        ).fetchall()
        return [_subject(row) for row in rows]

    def by_id(self, subject_id: str) -> Subject | None:
        return self._one("id = ?", subject_id)

    def search(self, text: str, limit: int) -> list[Subject]:
        """Member number (exact) first, then names containing the text."""
        rows = self.store.execute(
            f"SELECT {_COLUMNS} FROM subjects "
            "WHERE member_number = ? OR display_name LIKE ? ESCAPE '\\' "
            "ORDER BY member_number = ? DESC, display_name LIMIT ?",
            (text, "%" + _like_escape(text) + "%", text, limit),
        ).fetchall()
        return [_subject(row) for row in rows]

    def count(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM subjects").fetchone()[0])

    # PINs for the non-face path (R5): an Argon2id hash, never the PIN
    def set_pin_hash(self, subject_id: str, pin_hash: str, now: datetime) -> None:
        self.store.execute(
            "INSERT INTO pins(subject_id, pin_hash, set_at) VALUES (?, ?, ?) ON CONFLICT(subject_id) "
            "DO UPDATE SET pin_hash = excluded.pin_hash, set_at = excluded.set_at",
            (subject_id, pin_hash, now.isoformat()),
        )

    def pin_hash(self, subject_id: str) -> str | None:
        row = self.store.execute(
            "SELECT pin_hash FROM pins WHERE subject_id = ?", (subject_id,)
        ).fetchone()
        return row[0] if row else None

    def _one(self, condition: str, value: str) -> Subject | None:
        row = self.store.execute(
            f"SELECT {_COLUMNS} FROM subjects WHERE {condition}", (value,)
        ).fetchone()
        return _subject(row) if row else None


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _subject(row: tuple[Any, ...]) -> Subject:
    return Subject(
        row[0],
        row[1],
        row[2],
        date.fromisoformat(row[3]) if row[3] else None,
        parse_time(row[4]),
        row[5],
    )
