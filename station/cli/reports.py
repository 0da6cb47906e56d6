"""`face-station report ...` and `face-station incident ...` (R15, R17, R18, R19)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from station.cli.common import CommandContext, say
from station.domain.incidents import INCIDENT_KINDS
from station.services.audit_anchors import anchor_text


def _moment(text: str) -> datetime:
    """ISO 8601; a time without an offset is the station's local time."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date/time: {text!r} (YYYY-MM-DD[THH:MM])") from exc
    return value.astimezone(UTC)  # astimezone reads a naive value as local time


def add_commands(commands: Any) -> None:
    report = commands.add_parser("report", help="processing record and filing status (R17, R18)")
    reports = report.add_subparsers(dest="report_command", required=True)
    processing = reports.add_parser(
        "processing", help="processing record / impact-assessment draft (R17)"
    )
    processing.add_argument("--csv", type=Path, help="write section,item,value rows here")
    processing.add_argument("--html", type=Path, help="write the printable HTML here")
    processing.set_defaults(run=_report_processing)
    reports.add_parser(
        "filing", help="people with face data against the filing threshold (R18)"
    ).set_defaults(run=_report_filing)
    reports.add_parser(
        "templates", help="people per template version; who should be enrolled again (R15)"
    ).set_defaults(run=_report_templates)

    incident = commands.add_parser("incident", help="the incident register (R19)")
    incidents = incident.add_subparsers(dest="incident_command", required=True)
    record = incidents.add_parser("record", help="record a leak, destruction or loss")
    record.add_argument("--kind", required=True, choices=INCIDENT_KINDS)
    record.add_argument("--occurred", type=_moment, help="when it happened, if known")
    record.add_argument("--discovered", type=_moment, help="when it was found (default: now)")
    record.add_argument("--description", required=True)
    record.add_argument("--data-affected", required=True, help="which data, in plain words")
    record.add_argument("--cause", required=True)
    record.add_argument("--likely-harm", required=True)
    record.add_argument("--remedies", required=True, help="what has been done")
    record.add_argument("--advice", required=True, help="what the people affected can do")
    who = record.add_mutually_exclusive_group(required=True)
    who.add_argument("--members", help="member numbers affected, comma-separated")
    who.add_argument("--all-with-face-data", action="store_true", help="everyone with face data")
    record.set_defaults(run=_incident_record)

    listing = incidents.add_parser("list", help="list the register")
    listing.add_argument("--csv", type=Path, help="write the register as CSV here")
    listing.set_defaults(run=_incident_list)

    affected = incidents.add_parser("affected", help="the people an incident affects")
    affected.add_argument("id", help="incident id or its reference")
    affected.add_argument("--csv", type=Path, help="write the list as CSV here")
    affected.set_defaults(run=_incident_affected)

    notices = incidents.add_parser("notices", help="write each affected person's notice")
    notices.add_argument("id", help="incident id or its reference")
    notices.add_argument("--out", type=Path, required=True, help="folder for the notice files")
    notices.add_argument("--language", choices=["en", "zh_CN"], default="en")
    notices.set_defaults(run=_incident_notices)


def _report_filing(context: CommandContext) -> int:
    status = context.station.reports.filing_status()
    say(f"{status.level.value}: {status.message}")
    head = context.station.administration.audit_head()
    if head is not None:  # an anchor wherever this printout goes (issue 14)
        print(f"Audit trail head: {anchor_text(head)}")
    return 0


def _report_templates(context: CommandContext) -> int:
    versions = context.station.reenrollment.counts()
    for count in versions.versions:
        state = "current" if count.current else "older: still works, enroll again"
        print(f"version {count.version} ({count.model_id}): {count.people:,} people, {state}")
    print(f"unknown models: {versions.unknown_models:,} people, cannot be used: enroll again")
    print(f"to enroll again: {versions.older + versions.unknown_models:,} people")
    return 0


def _report_processing(context: CommandContext) -> int:
    from station.services.report_formats import to_csv, to_html
    from station.storage.files import write_private_text

    args = context.args
    outputs = [name for name in ("csv", "html") if getattr(args, name)] or ["screen"]
    record = context.station.reports.processing_record(context.operator, outputs)
    if args.csv:
        print(f"Wrote {write_private_text(args.csv, to_csv(record))}")
    if args.html:
        print(f"Wrote {write_private_text(args.html, to_html(record))}")
    if not args.csv and not args.html:
        say(to_csv(record).replace("\r\n", "\n").removesuffix("\n"), newlines=True)
    for section, item in record.to_complete:
        say(f"to complete: {section} / {item.item}")
    return 0


def _incident_record(context: CommandContext) -> int:
    from station.domain.incidents import IncidentDetails

    args, station = context.args, context.station
    details = IncidentDetails(
        kind=args.kind,
        occurred_at=args.occurred,
        discovered_at=args.discovered or station.clock.now(),
        description=args.description,
        data_affected=args.data_affected,
        cause=args.cause,
        likely_harm=args.likely_harm,
        remedies=args.remedies,
        advice=args.advice,
    )
    members = args.members.split(",") if args.members else []
    incident = station.incidents.record(details, context.operator, members, args.all_with_face_data)
    print(
        f"Recorded incident {incident.id} (reference {incident.reference}): "
        f"{incident.people_affected} people affected."
    )
    return 0


def _incident_list(context: CommandContext) -> int:
    from station.storage.files import write_private_text

    incidents = context.station.incidents
    if context.args.csv:
        written = write_private_text(context.args.csv, incidents.register_csv(context.operator))
        print(f"Wrote {written}")
    for item in incidents.list_incidents():
        say(
            f"{item.id}  {item.details.kind:<11}  discovered "
            f"{item.details.discovered_at.astimezone().strftime('%Y-%m-%d %H:%M')}  "
            f"{item.people_affected} affected  {item.details.description}"
        )
    return 0


def _incident_affected(context: CommandContext) -> int:
    from station.storage.files import write_private_text

    incidents = context.station.incidents
    incident = incidents.get(context.args.id)
    if context.args.csv:
        text = incidents.affected_csv(incident.id, context.operator)
        print(f"Wrote {write_private_text(context.args.csv, text)}")
    for person in incidents.affected(incident.id):
        say(f"{person.member_number}  {person.display_name}")
    return 0


def _incident_notices(context: CommandContext) -> int:
    from station.services.incidents import write_notices

    args = context.args
    notices = context.station.incidents.notices(args.id, args.language, context.operator)
    paths = write_notices(notices, args.out)
    print(f"Wrote {len(paths)} notice(s) to {args.out}")
    return 0
