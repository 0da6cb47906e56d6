"""The processing record / impact-assessment draft (R17), the filing status (R18) and the template
versions (R15), as values the services build from live settings and counts and the window and the
CLI render."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

TO_COMPLETE = "TO COMPLETE"  # marks what the organisation must fill in itself


class FilingLevel(enum.Enum):
    OK = "ok"
    WARNING = "warning"  # at or above the site's warning level
    FILING_DUE = "filing_due"  # at or above the 100,000-person threshold


@dataclass(frozen=True)
class FilingStatus:
    """R18: how many people have face data stored, against the threshold and the warning level."""

    people_with_face_data: int
    threshold: int
    warning_level: int
    level: FilingLevel
    message: str


@dataclass(frozen=True)
class ReportItem:
    item: str
    value: str
    to_complete: bool = False  # a part the organisation must fill in itself


@dataclass(frozen=True)
class ReportSection:
    title: str
    items: tuple[ReportItem, ...]


@dataclass(frozen=True)
class DayCounts:
    """Today's work at the station, for the home screen: numbers only, never a name or a member
    number. `refused` counts the face and PIN decisions that did not confirm the person (a cancel
    is not a refusal); the verified counts are the accepted decisions only."""

    verified_face: int
    verified_other: int  # PIN, card + PIN, ID document
    enrolled: int  # faces enrolled
    refused: int


@dataclass(frozen=True)
class VersionCount:
    """People whose face template one model set made (R15)."""

    version: int
    model_id: str
    people: int
    current: bool  # what enrollment makes now


@dataclass(frozen=True)
class TemplateVersions:
    """R15: people with face data by the version of their template. A template of an older version
    keeps verifying until its person is enrolled again; one of models the station never had is
    never compared, so it cannot be used at all."""

    versions: tuple[VersionCount, ...]  # every version the station knows, oldest first
    unknown_models: int

    @property
    def older(self) -> int:
        """People whose template older models made: they should be enrolled again."""
        return sum(count.people for count in self.versions if not count.current)


@dataclass(frozen=True)
class ReportCounts:
    """Counts from the store at generation time. Verifications cover the last 12 months."""

    subjects: int
    people_with_face_data: int
    members_erased: int  # issue 15: a count; nothing else of them is kept
    consents_accepted: int  # these three include erased members' answers (R17)
    consents_declined: int
    consents_withdrawn: int
    verifications: dict[str, int]  # method (face / pin / document) -> count
    exports: int
    incidents: int
    templates_expired: int


@dataclass(frozen=True)
class ProcessingRecord:
    title: str
    generated_at: datetime
    counts: ReportCounts
    filing: FilingStatus
    sections: tuple[ReportSection, ...]

    def item(self, section: str, item: str) -> ReportItem:
        for candidate in self.sections:
            if candidate.title == section:
                for entry in candidate.items:
                    if entry.item == item:
                        return entry
        raise KeyError(f"{section} / {item}")

    @property
    def to_complete(self) -> list[tuple[str, ReportItem]]:
        return [(s.title, i) for s in self.sections for i in s.items if i.to_complete]
