"""The incident register (R19): record a leak, destruction or loss of personal information with the
people it affects, list the register, and produce each person's notice in English or 简体中文.

Recording and producing notices are audited; the audit keeps ids and counts, never the notices' text
(which names the person). Notices are written one file per person, readable by their owner only.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from station.domain import AuditKind, Permission, RefusalCode, ServiceError
from station.domain.audit import AuditHead
from station.domain.incidents import (
    INCIDENT_KINDS,
    INCIDENT_TEXT_FIELDS,
    AffectedPerson,
    Incident,
    IncidentDetails,
    IncidentNotice,
)
from station.domain.text import TextField
from station.policy.identifiers import clean_text
from station.policy.notice import site_field
from station.resources import resources_dir
from station.services.audit_anchors import anchor_text
from station.services.report_formats import csv_text
from station.settings import Settings
from station.storage.files import write_private_text
from station.storage.ids import new_id

if TYPE_CHECKING:
    from station.services.station import Station

NOTICE_LANGUAGES = ("en", "zh_CN")
_KIND_TEXT = {
    "en": {
        "leak": "a leak of personal information",
        "destruction": "destruction of personal information",
        "loss": "loss of personal information",
    },
    "zh_CN": {"leak": "个人信息泄露", "destruction": "个人信息毁损", "loss": "个人信息丢失"},
}
_NOT_KNOWN = {"en": "not yet known", "zh_CN": "尚不确定"}
_UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class Incidents:
    """The register over one open Station; call on the store's thread like every service."""

    def __init__(self, station: Station) -> None:
        self._station = station

    def record(
        self,
        details: IncidentDetails,
        operator: str,
        members: Sequence[str] = (),
        all_with_face_data: bool = False,
    ) -> Incident:
        """Record an incident affecting the listed members, or everyone who has face data now."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        details = _checked(details)
        wanted = list(dict.fromkeys(m.strip() for m in members if m.strip()))
        if all_with_face_data == bool(wanted):
            raise ServiceError(
                RefusalCode.INCIDENT_SCOPE,
                "Name the members affected, or choose everyone with face data (not both).",
            )
        repos = station.repos
        now = station.clock.now()
        with station.store.transaction():
            if all_with_face_data:
                subject_ids = repos.templates.subjects_with_template()
            else:
                found = {m: station.subjects.find(m) for m in wanted}
                unknown = ", ".join(m for m, subject in found.items() if subject is None)
                if unknown:
                    raise ServiceError(
                        RefusalCode.NO_SUCH_MEMBER, f"No member {unknown}.", member=unknown
                    )
                # "M-1" and "m-1" name one member (issue 16): each person is listed once.
                subject_ids = list(dict.fromkeys(s.id for s in found.values() if s is not None))
            incident = repos.incidents.add(new_id(), details, operator, now, subject_ids)
            repos.audit.append(
                AuditKind.INCIDENT_RECORDED,
                operator,
                now,
                None,
                {
                    "incident_id": incident.id,
                    "kind": details.kind,
                    "people_affected": len(subject_ids),
                    "scope": "all_with_face_data" if all_with_face_data else "listed",
                },
            )
        return incident

    def list_incidents(self) -> list[Incident]:
        """The register, most recently discovered first."""
        self._station.authorize(Permission.READ_REPORTS)
        return self._station.repos.incidents.all()

    def get(self, reference: str) -> Incident:
        """By id, or by a unique prefix of it (the short reference printed on notices)."""
        self._station.authorize(Permission.READ_REPORTS)
        text = reference.strip().lower()
        matches = [i for i in self.list_incidents() if i.id.startswith(text)] if text else []
        if not matches:
            raise ServiceError(
                RefusalCode.NO_SUCH_INCIDENT, f"No incident {reference}.", reference=reference
            )
        if len(matches) > 1:
            raise ServiceError(
                RefusalCode.INCIDENT_AMBIGUOUS,
                f"Several incidents start with {reference}: give more of the id.",
                reference=reference,
            )
        return matches[0]

    def affected(self, incident_id: str) -> list[AffectedPerson]:
        self._station.authorize(Permission.ADMINISTER)
        return self._station.repos.incidents.affected(incident_id)

    def notices(self, incident_id: str, language: str, operator: str) -> list[IncidentNotice]:
        """Each affected person's notice; audited with the count, never the texts (R19)."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        if language not in NOTICE_LANGUAGES:
            raise ServiceError(
                RefusalCode.NOTICE_LANGUAGE_UNKNOWN,
                f"No incident notice in {language}; available: {', '.join(NOTICE_LANGUAGES)}.",
                language=language,
            )
        incident = self.get(incident_id)
        people = self.affected(incident.id)
        with station.store.transaction():
            event = station.repos.audit.append(
                AuditKind.INCIDENT_NOTICES_PRODUCED,
                operator,
                station.clock.now(),
                None,
                {"incident_id": incident.id, "language": language, "count": len(people)},
            )
        # Each notice carries the event that produced it as an anchor (issue 14).
        return [
            IncidentNotice(
                incident.id,
                person,
                language,
                render_incident_notice(incident, person, station.settings, language, event.head),
            )
            for person in people
        ]

    def register_csv(self, operator: str) -> str:
        """The whole register as CSV; producing it is audited like any report."""
        self._station.authorize(Permission.READ_REPORTS)
        incidents = self.list_incidents()
        self._audit_report(operator, {"report": "incident_register", "rows": len(incidents)})
        return csv_text(
            (
                "id",
                "kind",
                "occurred_at",
                "discovered_at",
                "recorded_at",
                "operator",
                *INCIDENT_TEXT_FIELDS,
                "people_affected",
            ),
            (
                (
                    i.id,
                    i.details.kind,
                    i.details.occurred_at.isoformat() if i.details.occurred_at else "",
                    i.details.discovered_at.isoformat(),
                    i.recorded_at.isoformat(),
                    i.operator,
                    *(getattr(i.details, name) for name in INCIDENT_TEXT_FIELDS),
                    i.people_affected,
                )
                for i in incidents
            ),
        )

    def affected_csv(self, incident_id: str, operator: str) -> str:
        """The people affected by one incident as CSV (member number and name); audited."""
        self._station.authorize(Permission.ADMINISTER)
        incident = self.get(incident_id)
        people = self.affected(incident.id)
        self._audit_report(
            operator,
            {"report": "incident_affected_people", "incident_id": incident.id, "rows": len(people)},
        )
        return csv_text(
            ("incident_id", "member_number", "name"),
            ((incident.id, p.member_number, p.display_name) for p in people),
        )

    def _audit_report(self, operator: str, detail: dict[str, Any]) -> None:
        station = self._station
        with station.store.transaction():
            station.repos.audit.append(
                AuditKind.REPORT_GENERATED, operator, station.clock.now(), None, detail
            )


def _checked(details: IncidentDetails) -> IncidentDetails:
    if details.kind not in INCIDENT_KINDS:
        raise ServiceError(
            RefusalCode.INCIDENT_KIND_UNKNOWN,
            f"An incident is one of {', '.join(INCIDENT_KINDS)}, not {details.kind!r}.",
            kind=details.kind,
        )
    times = [details.discovered_at] + ([details.occurred_at] if details.occurred_at else [])
    if any(t.tzinfo is None for t in times):
        raise ValueError("incident times must be timezone-aware")
    if details.occurred_at is not None and details.occurred_at > details.discovered_at:
        raise ServiceError(
            RefusalCode.INCIDENT_TIMES, "An incident cannot be discovered before it happened."
        )
    missing = [
        name.replace("_", " ")
        for name in INCIDENT_TEXT_FIELDS
        if not getattr(details, name).strip()
    ]
    if missing:
        # Every one of these goes into the people's notice (R19): none may be left empty.
        raise ServiceError(
            RefusalCode.INCIDENT_INCOMPLETE,
            f"Fill in: {', '.join(missing)}.",
            fields=", ".join(missing),
        )
    # Each goes into people's notices and the register: bounded, no hidden characters (issue 16).
    cleaned: dict[str, Any] = {
        name: clean_text(getattr(details, name), TextField(name)) for name in INCIDENT_TEXT_FIELDS
    }
    return dataclasses.replace(details, **cleaned)


def _when(moment: datetime | None, language: str) -> str:
    # Shown in the station's local time, as the receipt shows times.
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else _NOT_KNOWN[language]


def render_incident_notice(
    incident: Incident, person: AffectedPerson, settings: Settings, language: str, head: AuditHead
) -> str:
    """One person's notice from resources/notices/incident_notice.<language>.txt."""
    if language not in NOTICE_LANGUAGES:
        raise ValueError(f"no incident notice in {language!r}")
    template = (resources_dir() / "notices" / f"incident_notice.{language}.txt").read_text(
        encoding="utf-8"
    )
    details = incident.details
    # The administrator's texts are substituted as values, so braces in them are never parsed.
    return template.format(
        name=person.display_name,
        member_number=person.member_number,
        controller=site_field(settings, "controller", language),
        contact=site_field(settings, "contact", language),
        kind=_KIND_TEXT[language][details.kind],
        occurred=_when(details.occurred_at, language),
        discovered=_when(details.discovered_at, language),
        reference=incident.reference,
        audit_head=anchor_text(head),
        **{name: getattr(details, name) for name in INCIDENT_TEXT_FIELDS},
    )


def write_notices(notices: Sequence[IncidentNotice], directory: Path) -> list[Path]:
    """One text file per person (mode 0600) in directory (created 0700 when missing)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    written: list[Path] = []
    for notice in notices:
        member = _UNSAFE_IN_FILE_NAME.sub("_", notice.person.member_number).strip("._") or "member"
        path = directory / f"incident-{notice.incident_id[:8]}-{member}.{notice.language}.txt"
        if path in written:  # two member numbers that differ only in unsafe characters
            member += "-" + notice.person.subject_id[:8]
            path = directory / f"incident-{notice.incident_id[:8]}-{member}.{notice.language}.txt"
        written.append(write_private_text(path, notice.text))
    return written
