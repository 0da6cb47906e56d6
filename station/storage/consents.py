"""Face-data consents (R1): who agreed or declined to which exact notice text, and withdrawals (R4)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from station.domain import ConsentRecord, Guardian
from station.storage.ids import new_id, parse_time
from station.storage.store import Store

FACE_PURPOSE = "face_verification"
WITHDRAWAL = "withdrawal"  # the method of a refusal recorded when someone withdraws (R4)


class ConsentAnswer(enum.StrEnum):
    """The answers the processing record counts (R17); the values name their erased tallies."""

    ACCEPTED = "consents_accepted"
    DECLINED = "consents_declined"  # refusals, not withdrawals (stored as refusals, R4)
    WITHDRAWN = "consents_withdrawn"


_ANSWERS = {
    ConsentAnswer.ACCEPTED: "accepted = 1",
    ConsentAnswer.DECLINED: f"accepted = 0 AND method != '{WITHDRAWAL}'",
    ConsentAnswer.WITHDRAWN: f"method = '{WITHDRAWAL}'",
}
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

    def count(self, answer: ConsentAnswer, subject_id: str | None = None) -> int:
        """One person's face-data answers of one kind; or everyone's, members erased at the end
        of service included (their answers stay counted for the processing record, R17)."""
        condition = f"purpose = ? AND {_ANSWERS[answer]}"
        if subject_id is not None:
            query = f"SELECT count(*) FROM consents WHERE {condition} AND subject_id = ?"
            parameters: tuple[str, ...] = (FACE_PURPOSE, subject_id)
        else:
            query = (
                f"SELECT (SELECT count(*) FROM consents WHERE {condition}) + "
                "(SELECT coalesce(max(count), 0) FROM erased_tallies WHERE item = ?)"
            )
            parameters = (FACE_PURPOSE, answer.value)
        return int(self.store.execute(query, parameters).fetchone()[0])


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
