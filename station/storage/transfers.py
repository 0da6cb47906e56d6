"""Transfer consents (R16): what a person agreed may go to which recipient; withdrawn ones are kept
as the record of what was agreed."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from station.domain.transfer import TransferConsent
from station.storage.ids import optional_time, parse_time
from station.storage.store import Store

_COLUMNS = (
    "id, subject_id, recipient, recipient_country, purpose, data_types, likely_impact, "
    "assessment_reference, operator, recorded_at, withdrawn_at"
)


class TransferRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, consent: TransferConsent) -> None:
        self.store.execute(
            f"INSERT INTO transfer_consents({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                consent.id,
                consent.subject_id,
                consent.recipient,
                consent.recipient_country,
                consent.purpose,
                json.dumps(list(consent.data_types)),
                consent.likely_impact,
                consent.assessment_reference,
                consent.operator,
                consent.recorded_at.isoformat(),
                consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            ),
        )

    def withdraw(self, consent_id: str, now: datetime) -> None:
        self.store.execute(
            "UPDATE transfer_consents SET withdrawn_at = ? WHERE id = ?",
            (now.isoformat(), consent_id),
        )

    def for_subject(self, subject_id: str) -> list[TransferConsent]:
        """Every transfer consent of the person, newest first, withdrawn ones included."""
        rows = self.store.execute(
            f"SELECT {_COLUMNS} FROM transfer_consents WHERE subject_id = ? "
            "ORDER BY recorded_at DESC, rowid DESC",
            (subject_id,),
        ).fetchall()
        return [_consent(row) for row in rows]

    def get(self, subject_id: str, consent_id: str) -> TransferConsent | None:
        row = self.store.execute(
            f"SELECT {_COLUMNS} FROM transfer_consents WHERE id = ? AND subject_id = ?",
            (consent_id, subject_id),
        ).fetchone()
        return _consent(row) if row else None


def _consent(row: tuple[Any, ...]) -> TransferConsent:
    return TransferConsent(
        id=row[0],
        subject_id=row[1],
        recipient=row[2],
        recipient_country=row[3],
        purpose=row[4],
        data_types=tuple(json.loads(row[5])),
        likely_impact=row[6],
        assessment_reference=row[7],
        operator=row[8],
        recorded_at=parse_time(row[9]),
        withdrawn_at=optional_time(row[10]),
    )
