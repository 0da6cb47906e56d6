"""Face-data consents (R1): who agreed or declined to which exact notice text, and withdrawals (R4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from station.domain import ConsentRecord, Guardian
from station.storage.ids import new_id, parse_time
from station.storage.store import Store

FACE_PURPOSE = "face_verification"
WITHDRAWAL = "withdrawal"  # the method of a refusal recorded when someone withdraws (R4)
_COLUMNS = (
    "id, subject_id, purpose, accepted, notice_version, notice_sha256, method, operator, "
    "recorded_at, guardian_name, guardian_relation"
)


class ConsentRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        subject_id: str,
        accepted: bool,
        notice_version: str,
        notice_sha256: str,
        method: str,
        operator: str,
        now: datetime,
        guardian: Guardian | None = None,
    ) -> ConsentRecord:
        record = ConsentRecord(
            new_id(),
            subject_id,
            FACE_PURPOSE,
            accepted,
            notice_version,
            notice_sha256,
            method,
            operator,
            now,
            guardian.name if guardian else None,
            guardian.relation if guardian else None,
        )
        self.store.execute(
            f"INSERT INTO consents({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record.id,
                subject_id,
                FACE_PURPOSE,
                int(accepted),
                notice_version,
                notice_sha256,
                method,
                operator,
                now.isoformat(),
                record.guardian_name,
                record.guardian_relation,
            ),
        )
        return record

    def latest_face_consent(self, subject_id: str) -> ConsentRecord | None:
        row = self.store.execute(
            f"SELECT {_COLUMNS} FROM consents WHERE subject_id = ? AND purpose = ? "
            "ORDER BY recorded_at DESC, rowid DESC LIMIT 1",
            (subject_id, FACE_PURPOSE),
        ).fetchone()
        return _consent(row) if row else None

    def count_accepted(self) -> int:
        return self._count("accepted = 1")

    def count_declined(self) -> int:
        """Refusals, not counting withdrawals (stored as refusals with their own method, R4)."""
        return self._count(f"accepted = 0 AND method != '{WITHDRAWAL}'")

    def count_withdrawn(self) -> int:
        return self._count(f"method = '{WITHDRAWAL}'")

    def _count(self, condition: str) -> int:
        row = self.store.execute(
            f"SELECT count(*) FROM consents WHERE purpose = ? AND {condition}", (FACE_PURPOSE,)
        ).fetchone()
        return int(row[0])


def _consent(row: tuple[Any, ...]) -> ConsentRecord:
    return ConsentRecord(
        row[0],
        row[1],
        row[2],
        bool(row[3]),
        row[4],
        row[5],
        row[6],
        row[7],
        parse_time(row[8]),
        row[9],
        row[10],
    )
