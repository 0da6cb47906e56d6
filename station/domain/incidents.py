"""The incident register's values (R19): a leak, destruction or loss of personal information, the
people it affects, and the notice each of them is given."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

INCIDENT_KINDS = ("leak", "destruction", "loss")  # the incidents table's CHECK constraint
# The fields of an incident that go into the people's notice; none may be left empty.
INCIDENT_TEXT_FIELDS = (
    "description",
    "data_affected",
    "cause",
    "likely_harm",
    "remedies",
    "advice",
)


@dataclass(frozen=True)
class IncidentDetails:
    """What the administrator records. Times are timezone-aware; occurred_at may be unknown."""

    kind: str
    discovered_at: datetime
    description: str
    data_affected: str
    cause: str
    likely_harm: str
    remedies: str
    advice: str  # what the people affected can do
    occurred_at: datetime | None = None


@dataclass(frozen=True)
class Incident:
    id: str
    details: IncidentDetails
    recorded_at: datetime
    operator: str
    people_affected: int
    # of those, people erased since at the end of service (issue 15): counted, no longer named
    people_erased: int = 0

    @property
    def reference(self) -> str:
        """A short reference people can quote to the contact."""
        return self.id[:8].upper()


@dataclass(frozen=True)
class AffectedPerson:
    subject_id: str
    member_number: str
    display_name: str


@dataclass(frozen=True)
class IncidentNotice:
    incident_id: str
    person: AffectedPerson
    language: str
    text: str
