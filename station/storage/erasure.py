"""Erasing a member at the end of service (issue 15): every row that names them goes, in the
caller's transaction, and what a rule keeps afterwards stays as a count. With secure_delete the
freed cells are overwritten (R14), so nothing of the person is left in the file's pages.

The audit trail is not touched: its events carry the member's random id (R13), and once the
subjects row is gone nothing in the store ties that id to a name, number or date of birth."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlcipher3

from station.domain import SYSTEM_OPERATOR, AuditKind, InactiveMember
from station.storage.consents import ConsentAnswer, ConsentRepository
from station.storage.ids import parse_time
from station.storage.keys import KeyFileError, WrongKeyError, key_file_path, read_key_file, wipe
from station.storage.store import Store, connect
from station.storage.templates import TemplateRepository

# What the processing record (R17) still counts of erased members, beside their consents.
ERASED_MEMBERS = "members"


@dataclass(frozen=True)
class ErasedRows:
    templates: int
    consents: int
    transfer_consents: int
    incidents: int
    had_pin: bool


class ErasureRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def erase(self, subject_id: str) -> ErasedRows:
        """Delete everything held about one person; call inside a transaction."""
        execute = self.store.execute
        consents_held = ConsentRepository(self.store)
        for answer in ConsentAnswer:
            self._add(answer, consents_held.count(answer, subject_id))
        self._add(ERASED_MEMBERS, 1)
        # R19: each incident keeps the number of people it affected, no longer who they were.
        incidents = execute(
            "UPDATE incidents SET erased_affected = erased_affected + 1 WHERE id IN "
            "(SELECT incident_id FROM incident_subjects WHERE subject_id = ?)",
            (subject_id,),
        ).rowcount
        execute("DELETE FROM incident_subjects WHERE subject_id = ?", (subject_id,))
        templates = TemplateRepository(self.store).destroy(subject_id)
        consents = execute("DELETE FROM consents WHERE subject_id = ?", (subject_id,)).rowcount
        transfers = execute(
            "DELETE FROM transfer_consents WHERE subject_id = ?", (subject_id,)
        ).rowcount
        had_pin = execute("DELETE FROM pins WHERE subject_id = ?", (subject_id,)).rowcount > 0
        execute("DELETE FROM attempts WHERE subject_id = ?", (subject_id,))
        execute("DELETE FROM subjects WHERE id = ?", (subject_id,))
        return ErasedRows(templates, consents, transfers, incidents, had_pin)

    def _add(self, item: str, count: int) -> None:
        self.store.execute(
            "INSERT INTO erased_tallies(item, count) VALUES (?, ?) "
            "ON CONFLICT(item) DO UPDATE SET count = count + excluded.count",
            (item, count),
        )

    def tally(self, item: str) -> int:
        row = self.store.execute(
            "SELECT count FROM erased_tallies WHERE item = ?", (item,)
        ).fetchone()
        return int(row[0]) if row else 0

    def inactive(self, no_visit_since: datetime) -> list[InactiveMember]:
        """Members whose last event at the desk (anything an operator did for them; the station's
        own work, such as a template expiring, is no visit) is older than `no_visit_since`, or
        who have none and registered before it; the longest absent first. Times are stored as
        UTC ISO text, so they compare as text."""
        # Materialised, so each member's last visit is looked up once, not again to sort.
        rows = self.store.execute(
            "WITH seen AS MATERIALIZED (SELECT s.id, s.member_number, s.display_name, "
            "coalesce((SELECT max(a.at) FROM audit_events a WHERE a.subject_id = s.id "
            "AND a.operator != ?), s.created_at) AS last_visit FROM subjects s) "
            "SELECT * FROM seen WHERE last_visit < ? ORDER BY last_visit, member_number",
            (SYSTEM_OPERATOR, no_visit_since.isoformat()),
        ).fetchall()
        return [InactiveMember(row[0], row[1], row[2], parse_time(row[3])) for row in rows]


def erased_references(path: Path, name: str, password: str) -> frozenset[str] | None:
    """The random ids of the members erased in the store at `path` — read, not opened as a
    station opens a store (no migration, no key-slot clean-up), so nothing in it changes. None
    when this name and password cannot read it (another password there, a damaged file)."""
    try:
        data_key = read_key_file(key_file_path(path)).unlock(name, password)
    except (KeyFileError, WrongKeyError, OSError):
        return None
    try:
        connection = connect(path, data_key)
    finally:
        wipe(data_key)
    try:
        rows = connection.execute(
            "SELECT subject_id FROM audit_events WHERE kind = ?", (AuditKind.MEMBER_ERASED.value,)
        ).fetchall()
    except sqlcipher3.DatabaseError:
        return None
    finally:
        connection.close()
    return frozenset(str(row[0]) for row in rows)
