"""Face attempt limits per claimed identity (R24): checked before the models load or the camera
opens, counted in the transaction that records the verification, and re-enabled by an
administrator. The rule itself is station.policy.attempts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.domain import (
    SYSTEM_OPERATOR,
    AttemptCheck,
    AttemptState,
    AuditEvent,
    AuditKind,
    Permission,
    Subject,
    VerifyStatus,
)
from station.policy.attempts import after_outcome, check_attempt

if TYPE_CHECKING:
    from station.services.station import Station

# No liveness check exists yet (R23), so the stricter limits without liveness apply.
LIVENESS = False


class FaceAttempts:
    def __init__(self, station: Station) -> None:
        self._station = station

    def check(self, subject: Subject) -> AttemptCheck:
        """May face be tried for this person now?"""
        station = self._station
        return check_attempt(
            station.repos.attempts.get(subject.id), station.clock.now(), liveness=LIVENESS
        )

    def state(self, member_number: str) -> AttemptCheck:
        """Whether face may be tried for this person now, and the failures counted (subject page)."""
        self._station.authorize(Permission.DESK)
        return self.check(self._station.subjects.require(member_number))

    def count(self, subject_id: str, status: VerifyStatus) -> None:
        """Count a face verification's outcome. Runs inside the transaction that writes its
        verify_face event, so the count and the event are kept together or not at all."""
        station = self._station
        attempts = station.repos.attempts
        before = attempts.get(subject_id)
        after = after_outcome(before, status, station.clock.now(), liveness=LIVENESS)
        if after != before:
            attempts.set(subject_id, after)
        if after.disabled_at is not None and before.disabled_at is None:
            station.repos.audit.append(
                AuditKind.FACE_DISABLED,
                SYSTEM_OPERATOR,
                after.disabled_at,
                subject_id,
                {"consecutive_failures": after.consecutive_failures},
            )

    def reenable(self, member_number: str, operator: str) -> AuditEvent:
        """An administrator lets face be tried again: the count starts from zero."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        subject = station.subjects.require(member_number)
        now = station.clock.now()
        with station.store.transaction():
            before = station.repos.attempts.get(subject.id)
            station.repos.attempts.set(subject.id, AttemptState())
            return station.repos.audit.append(
                AuditKind.FACE_REENABLED,
                operator,
                now,
                subject.id,
                {
                    "consecutive_failures": before.consecutive_failures,
                    "was_disabled": before.disabled_at is not None,
                },
            )
