"""The processing record / impact-assessment draft (R17) and the filing status (R18).

Both are built from the live settings and counts read from the store, never from figures typed into
a document: a draft made today says what the station is configured to do today. The record is a
plain value (station.domain.reports); station.services.report_formats renders it as CSV and HTML
(the window turns the HTML into a PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from station import __version__
from station.biometrics.assets import MODEL_ID
from station.biometrics.calibration import shipped_calibration
from station.biometrics.model_sets import CURRENT
from station.domain import AttemptFactor, AuditKind, Permission
from station.domain.audit import AuditHead
from station.domain.progress import Progress, ProgressStep, Tally
from station.domain.reports import (
    TO_COMPLETE,
    DayCounts,
    FilingLevel,
    FilingStatus,
    ProcessingRecord,
    ReportCounts,
    ReportItem,
    ReportSection,
)
from station.policy.attempts import limits
from station.services.accuracy_record import accuracy_items
from station.services.audit_anchors import anchor_text
from station.services.day_counts import day_counts
from station.settings import FILING_THRESHOLD, Settings
from station.storage.consents import ConsentAnswer
from station.storage.erasure import ERASED_MEMBERS

if TYPE_CHECKING:
    from station.services.station import Station

REPORT_TITLE = "Processing record and impact-assessment draft (face verification)"
# What the liveness check (R23) was measured to stop, for the processing record: one sentence with
# the figures of `face-station pad-eval` (APCER per attack type at the BPCER of live heads), kept
# here so the record, the CSV and the PDF all say the same.
LIVENESS_MEASURED = (
    "Measured on 2026-11-29 (bench/bench_liveness.py, the pad-eval loop) on presentations "
    "generated from 22 identities, 3 each: flat prints, bent prints and screens tilted by hand to "
    "imitate the movement asked, and replays of a live head doing another challenge were each "
    "accepted 0 times in 66 (APCER 0 %, at most 4.5 % at 95 % confidence); 66 live heads were all "
    "accepted (BPCER 0 %), the check taking a median 3.7 s. On 48 faces never used in its "
    "development (LFW), no attack of 44 per type was accepted and 2 of 44 live heads were refused "
    "(BPCER 4.5 %)."
)
LIVENESS_ON = (
    "On: every enrollment and verification asks for two movements drawn at random (turn the head "
    "left or right, look up, blink twice), checked from face landmarks. A photo or a screen moved "
    "by hand, a still image, no answer in the time allowed and a face that changes during the "
    "check are refused; nothing of the movement is kept. It does not stop a 3-D mask, a video fed in place "
    "of the camera, or a replay that happens to show the movements drawn."
)
LIVENESS_OFF = (
    "OFF, switched off by an administrator (audited): a printed photo or a screen showing a "
    "member's face is not refused. R23 asks for the check to be on; record why it is off and "
    "what is done instead."
)
VERIFY_KINDS = {
    "face": AuditKind.VERIFY_FACE,
    "pin": AuditKind.VERIFY_PIN,
    "document": AuditKind.VERIFY_DOCUMENT,
}
REPORT_OUTPUTS = ("screen", "csv", "html", "pdf")
COUNTS = 9 + len(VERIFY_KINDS)  # the store counts a processing record reads (Reports._counts)


def filing_status(people_with_face_data: int, settings: Settings) -> FilingStatus:
    """R18: ok below the warning level, warning from it, filing due from the threshold."""
    warning = settings.policy.filing_warning_level
    count = people_with_face_data
    if count >= FILING_THRESHOLD:
        level = FilingLevel.FILING_DUE
        message = (
            f"{count:,} people have face data stored: the filing threshold of "
            f"{FILING_THRESHOLD:,} is reached. File with the provincial cyberspace administration "
            "within 30 working days."
        )
    elif count >= warning:
        level = FilingLevel.WARNING
        message = (
            f"{count:,} people have face data stored, near the filing threshold of "
            f"{FILING_THRESHOLD:,} (warning from {warning:,}). Prepare the filing."
        )
    else:
        level = FilingLevel.OK
        message = (
            f"{count:,} people have face data stored; a filing is due at {FILING_THRESHOLD:,} "
            f"(warning from {warning:,})."
        )
    return FilingStatus(count, FILING_THRESHOLD, warning, level, message)


class Reports:
    """Reports over one open Station; call on the store's thread like every service."""

    def __init__(self, station: Station) -> None:
        self._station = station

    def filing_status(self) -> FilingStatus:
        return filing_status(self._station.repos.templates.count(), self._station.settings)

    def today(self) -> DayCounts:
        """Today's verifications, enrollments and refusals at this station, counts only."""
        return day_counts(self._station)

    def processing_record(
        self, operator: str, outputs: Sequence[str] = ("screen",), progress: Progress | None = None
    ) -> ProcessingRecord:
        """R17: the draft from the live settings and today's counts; audited as report_generated
        with where it goes (screen / csv / html / pdf), never its content. `progress` hears of
        each count as the store gives it."""
        self._station.authorize(Permission.READ_REPORTS)
        unknown = set(outputs) - set(REPORT_OUTPUTS)
        if unknown or not outputs:
            raise ValueError(f"outputs must be among {', '.join(REPORT_OUTPUTS)}, got {outputs!r}")
        station = self._station
        now = station.clock.now()
        with station.store.transaction():
            counts = self._counts(now, Tally(progress, COUNTS))
            event = station.repos.audit.append(
                AuditKind.REPORT_GENERATED,
                operator,
                now,
                None,
                {"report": "processing_record", "outputs": list(outputs)},
            )
        settings = station.settings
        filing = filing_status(counts.people_with_face_data, settings)
        # The record carries its own generation event as an anchor (issue 14).
        return ProcessingRecord(
            REPORT_TITLE, now, counts, filing, _sections(settings, counts, filing, now, event.head)
        )

    def _counts(self, now: datetime, tally: Tally) -> ReportCounts:
        repos = self._station.repos
        since = now - timedelta(days=365)

        def counted(value: int) -> int:  # arguments are evaluated in order: one count each
            tally.add(1, ProgressStep.COUNTING)
            return value

        return ReportCounts(
            subjects=counted(repos.subjects.count()),
            people_with_face_data=counted(repos.templates.count()),
            members_erased=counted(repos.erasure.tally(ERASED_MEMBERS)),
            consents_accepted=counted(repos.consents.count(ConsentAnswer.ACCEPTED)),
            consents_declined=counted(repos.consents.count(ConsentAnswer.DECLINED)),
            consents_withdrawn=counted(repos.consents.count(ConsentAnswer.WITHDRAWN)),
            verifications={
                method: counted(repos.audit.count(kind, since))
                for method, kind in VERIFY_KINDS.items()
            },
            exports=counted(repos.audit.count(AuditKind.FACE_DATA_EXPORTED)),
            incidents=counted(repos.incidents.count()),
            # The retention purge logs one event per template it destroys (R14).
            templates_expired=counted(repos.audit.count(AuditKind.TEMPLATE_EXPIRED)),
        )


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _sections(
    settings: Settings, counts: ReportCounts, filing: FilingStatus, now: datetime, head: AuditHead
) -> tuple[ReportSection, ...]:
    site, policy, capture, match, store = (
        settings.site,
        settings.policy,
        settings.capture,
        settings.match,
        settings.store,
    )
    liveness = settings.liveness.enabled
    face_limits = limits(AttemptFactor.FACE, liveness=liveness)

    def item(name: str, value: object) -> ReportItem:
        return ReportItem(name, str(value))

    def todo(name: str, what: str) -> ReportItem:
        return ReportItem(name, f"{TO_COMPLETE}: {what}", to_complete=True)

    minors = (
        f"No face enrollment under {policy.minor_age}; those people use the non-face methods"
        if policy.minors_policy == "block"
        else f"Face enrollment under {policy.minor_age} only with a recorded guardian consent"
    )
    inactive = policy.inactive_months or "never (the listing is off)"  # issue 15
    controller = [item("Controller", site.controller)]
    if site.controller_zh_cn.strip():
        controller.append(item("Controller (Chinese)", site.controller_zh_cn))
    controller.append(item("Contact for requests and incidents", site.contact))
    if site.contact_zh_cn.strip():
        controller.append(item("Contact (Chinese)", site.contact_zh_cn))
    controller.append(
        todo("Person responsible for personal information protection", "name and contact")
    )
    last_year = f"{(now - timedelta(days=365)).date().isoformat()} to {now.date().isoformat()}"
    return (
        ReportSection(
            "Report",
            (
                item("Generated at (UTC)", now.strftime("%Y-%m-%d %H:%M")),
                item("Station software version", __version__),
                item("Audit trail head (face-station audit verify --against)", anchor_text(head)),
            ),
        ),
        ReportSection("Controller", tuple(controller)),
        ReportSection(
            "Purpose",
            (
                item("Purpose", site.purpose),
                todo(
                    "Necessity",
                    "why face verification is needed here and why the non-face methods alone "
                    "do not meet the purpose",
                ),
            ),
        ),
        ReportSection(
            "Processing",
            (
                item(
                    "Processing method",
                    "On this device only; nothing is sent over a network. "
                    + (
                        "1:N identification is switched on (a face is searched among all templates)."
                        if match.one_to_many
                        else "1:1 verification against the identity the person claims (1:N is off)."
                    ),
                ),
                item(
                    "Data types",
                    f"One numeric face template of {CURRENT.size} numbers per person; no images "
                    "are kept. Identity: name, member number, date of birth, optional card number.",
                ),
                item("Frames per enrollment", capture.enroll_frames),
                item("Frames per verification", capture.verify_frames),
                item("Template retention (days)", store.retention_days),
                item("Non-biometric records kept (days)", policy.record_retention_days),
                item("Members with no visit listed for erasure after (months)", inactive),
                item("Minors policy", minors),
                item(
                    "Export of face data",
                    "enabled, each person consents separately"
                    if policy.face_export_enabled
                    else "disabled",
                ),
                item(
                    "Non-face alternative",
                    "PIN, card and PIN, or an ID document checked by the operator",
                ),
            ),
        ),
        ReportSection(
            "Safeguards",
            (
                item(
                    "Encryption at rest",
                    "SQLCipher store under a random data key, kept only sealed: once per "
                    "operator (Argon2id of their password, AES-256-GCM) and once under the "
                    "recovery key; never written in clear",
                ),
                item(
                    "Template protection",
                    "Per-installation secret: templates of two stations cannot be linked; each is "
                    "bound to the model that made it",
                ),
                item("Secure deletion", "SQLite secure_delete: destroyed rows are overwritten"),
                item(
                    "Audit trail",
                    "Append-only, hash-chained audit of enrollments, verifications, deletions, "
                    "exports, settings changes and failed sign-ins (no template or image bytes); "
                    "each event keyed under the recovery key, and its head printed on every "
                    "report, receipt, backup, export and notice",
                ),
                item("Network", "None: no telemetry, no model download at run time"),
                item("Images", "Camera frames stay in memory and are overwritten once used"),
                # R23: whether the check is on, what it stops and what it was measured to stop.
                ReportItem(
                    "Liveness check (presentation-attack detection)",
                    f"{LIVENESS_ON} {LIVENESS_MEASURED}"
                    if liveness
                    else f"{TO_COMPLETE}: {LIVENESS_OFF}",
                    to_complete=not liveness,
                ),
                item(
                    "Face attempt limits (per member)",
                    f"{face_limits.free_failures} consecutive failures, then at least "
                    f"{int(face_limits.first_wait.total_seconds())} s between attempts; face is "
                    f"switched off after {face_limits.disable_after} failures until an "
                    "administrator re-enables it"
                    + (" (the limits with the liveness check on)" if liveness else ""),
                ),
            ),
        ),
        ReportSection(
            "Accuracy",
            (
                item("Model", MODEL_ID),
                # R22: the point in force and what it means for each template version.
                *accuracy_items(match.operating_point, shipped_calibration()),
            ),
        ),
        ReportSection(
            "Counts",
            (
                item("Registered people", counts.subjects),
                item("Members erased at the end of service", counts.members_erased),
                item("People with face data", counts.people_with_face_data),
                item("Face-data consents accepted", counts.consents_accepted),
                item("Face-data consents declined", counts.consents_declined),
                item("Face-data consents withdrawn", counts.consents_withdrawn),
                item("Period of the verification counts (12 months)", last_year),
                item("Face verification attempts", counts.verifications["face"]),
                item("PIN verification attempts", counts.verifications["pin"]),
                item("ID document checks", counts.verifications["document"]),
                item("Face-data exports", counts.exports),
                item("Incidents recorded", counts.incidents),
                item("Templates destroyed by retention", counts.templates_expired),
                item("Filing status", filing.message),
            ),
        ),
        ReportSection(
            "To complete by the organisation",
            (
                todo("Installation site", "where the station stands; check it against README R20"),
                todo("Operators", "who operates the station, their roles and training"),
                todo(
                    "Risks to the people scanned",
                    "likely impact on their rights and how the safeguards above reduce it",
                ),
                todo("Recipients", "any third party or cross-border recipient, or none"),
                todo("Incident response", "who acts on an incident and how people are told"),
                todo("Review", "date of this assessment, next review, and sign-off"),
            ),
        ),
    )
