"""The incident register (R19): incidents and the people each one affects."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from station.domain.incidents import AffectedPerson, Incident, IncidentDetails
from station.storage.ids import optional_time, parse_time
from station.storage.store import Store

_COLUMNS = (
    "id, kind, occurred_at, discovered_at, recorded_at, operator, description, data_affected, "
    "cause, likely_harm, remedies, advice"
)


class IncidentRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(
        self,
        incident_id: str,
        details: IncidentDetails,
        operator: str,
        now: datetime,
        subject_ids: Sequence[str],
    ) -> Incident:
        self.store.execute(
            f"INSERT INTO incidents({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                incident_id,
                details.kind,
                details.occurred_at.isoformat() if details.occurred_at else None,
                details.discovered_at.isoformat(),
                now.isoformat(),
                operator,
                details.description,
                details.data_affected,
                details.cause,
                details.likely_harm,
                details.remedies,
                details.advice,
            ),
        )
        for subject_id in subject_ids:
            self.store.execute(
                "INSERT INTO incident_subjects(incident_id, subject_id) VALUES (?, ?)",
                (incident_id, subject_id),
            )
        return Incident(incident_id, details, now, operator, len(subject_ids))

    def all(self) -> list[Incident]:
        """The register, most recently discovered first."""
        rows = self.store.execute(
            f"SELECT {_COLUMNS}, (SELECT count(*) FROM incident_subjects s "
            "WHERE s.incident_id = incidents.id) + erased_affected, erased_affected FROM incidents "
            "ORDER BY discovered_at DESC, recorded_at DESC"
        ).fetchall()
        return [_incident(row) for row in rows]

    def affected(self, incident_id: str) -> list[AffectedPerson]:
        rows = self.store.execute(
            "SELECT s.id, s.member_number, s.display_name FROM incident_subjects i "
            "JOIN subjects s ON s.id = i.subject_id WHERE i.incident_id = ? "
            "ORDER BY s.member_number",
            (incident_id,),
        ).fetchall()
        return [AffectedPerson(row[0], row[1], row[2]) for row in rows]

    def count(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM incidents").fetchone()[0])


def _incident(row: Sequence[Any]) -> Incident:
    details = IncidentDetails(
        kind=row[1],
        occurred_at=optional_time(row[2]),
        discovered_at=parse_time(row[3]),
        description=row[6],
        data_affected=row[7],
        cause=row[8],
        likely_harm=row[9],
        remedies=row[10],
        advice=row[11],
    )
    return Incident(row[0], details, parse_time(row[4]), row[5], int(row[12]), int(row[13]))
