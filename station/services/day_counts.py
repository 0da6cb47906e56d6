"""Today's counts for the desk's home screen (issue 12): verifications, enrollments and refusals
since local midnight, read from the audit trail; numbers only, never a name, and nothing written."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from station.domain import AuditKind, Permission, VerifyStatus
from station.domain.reports import DayCounts

if TYPE_CHECKING:
    from station.services.station import Station

COUNTED_KINDS = (
    AuditKind.VERIFY_FACE,
    AuditKind.VERIFY_PIN,
    AuditKind.VERIFY_DOCUMENT,
    AuditKind.FACE_ENROLLED,
)
# Which decisions are a refusal: a cancel, a camera that failed or a face with no good frame is no
# decision about the person; the rest that is not accepted is.
_REFUSALS = frozenset(
    status.value
    for status in VerifyStatus
    if status
    not in (
        VerifyStatus.ACCEPTED,
        VerifyStatus.CANCELLED,
        VerifyStatus.CAMERA_FAILED,
        VerifyStatus.NO_GOOD_FRAME,
    )
)


def day_counts(station: Station) -> DayCounts:
    """Today's verifications, enrollments and refusals at this station (since local midnight),
    for the desk's home screen: counts only, read from the audit trail; nothing is written."""
    station.authorize(Permission.DESK)
    local = station.clock.now().astimezone()
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)
    events = station.repos.audit.statuses_since(COUNTED_KINDS, midnight)

    def count(kinds: set[str], statuses: frozenset[str] | None = None) -> int:
        return sum(
            1
            for kind, status in events
            if kind in kinds and (statuses is None or status in statuses)
        )

    face, pin, document = (
        AuditKind.VERIFY_FACE.value,
        AuditKind.VERIFY_PIN.value,
        AuditKind.VERIFY_DOCUMENT.value,
    )
    yes = frozenset({VerifyStatus.ACCEPTED.value})
    return DayCounts(
        verified_face=count({face}, yes),
        # An ID document check is recorded only when the operator confirmed it (no status).
        verified_other=count({pin}, yes) + count({document}),
        enrolled=count({AuditKind.FACE_ENROLLED.value}),
        refused=count({face, pin}, _REFUSALS),
    )
