"""Attempt limits per claimed identity, for face (R24) and PIN (R5): checked before the models load,
the camera opens or the PIN hash is read, counted in the transaction that records the verification,
and re-enabled by an administrator. The rule itself is station.policy.attempts."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from station.domain import (
    SYSTEM_OPERATOR,
    AttemptCheck,
    AttemptFactor,
    AttemptState,
    AttemptVerdict,
    AuditEvent,
    AuditKind,
    Permission,
    Subject,
    VerifyStatus,
)
from station.policy.attempts import AttemptLimits, after_outcome, check_attempt, limits

if TYPE_CHECKING:
    from station.services.station import Station

_DISABLED = {AttemptFactor.FACE: AuditKind.FACE_DISABLED, AttemptFactor.PIN: AuditKind.PIN_DISABLED}
_REENABLED = {
    AttemptFactor.FACE: AuditKind.FACE_REENABLED,
    AttemptFactor.PIN: AuditKind.PIN_REENABLED,
}


@dataclass(frozen=True)
class AttemptRefusal:
    """An attempt the limits refused: what the caller answers and audits. Every message names the
    other ways to verify (R5)."""

    status: VerifyStatus
    message: str
    wait_seconds: int
    detail: dict[str, int]  # for the verify event: the wait and the failures counted


_REFUSALS = {
    (AttemptFactor.FACE, AttemptVerdict.WAIT): (
        VerifyStatus.TOO_SOON,
        "Too many failed face attempts: wait {wait} s before trying again, or verify by PIN, "
        "card + PIN or an ID document.",
    ),
    (AttemptFactor.FACE, AttemptVerdict.DISABLED): (
        VerifyStatus.FACE_DISABLED,
        "Face verification is disabled for this member after too many failed attempts, until an "
        "administrator re-enables it: verify by PIN, card + PIN or an ID document.",
    ),
    (AttemptFactor.PIN, AttemptVerdict.WAIT): (
        VerifyStatus.TOO_SOON,
        "Too many wrong PINs: wait {wait} s before trying again, or check an ID document.",
    ),
    (AttemptFactor.PIN, AttemptVerdict.DISABLED): (
        VerifyStatus.PIN_DISABLED,
        "PIN verification is off for this member after too many wrong PINs, until an "
        "administrator re-enables it: check an ID document.",
    ),
}


def attempt_refusal(limit: AttemptCheck, factor: AttemptFactor) -> AttemptRefusal:
    """What to answer for an attempt `limit` did not allow."""
    status, message = _REFUSALS[factor, limit.verdict]
    return AttemptRefusal(
        status,
        message.format(wait=limit.wait_seconds),
        limit.wait_seconds,
        {
            "wait_seconds": limit.wait_seconds,
            "consecutive_failures": limit.state.consecutive_failures,
        },
    )


class Attempts:
    def __init__(self, station: Station) -> None:
        self._station = station

    def limits(self, factor: AttemptFactor) -> AttemptLimits:
        """The limits in force: the face's are 10 / 100 while the liveness check is on, 5 / 50
        when an administrator switched it off (R24, station.policy.attempts)."""
        return limits(factor, liveness=self._station.settings.liveness.enabled)

    def check(self, subject: Subject, factor: AttemptFactor) -> AttemptCheck:
        """May this factor be tried for this person now?"""
        station = self._station
        return check_attempt(
            station.repos.attempts.get(subject.id, factor), station.clock.now(), self.limits(factor)
        )

    def states(self, member_number: str) -> dict[AttemptFactor, AttemptCheck]:
        """Whether each factor may be tried for this person now, and the failures counted (the
        subject page shows them: they are data held about the person)."""
        self._station.authorize(Permission.DESK)
        subject = self._station.subjects.require(member_number)
        return {factor: self.check(subject, factor) for factor in AttemptFactor}

    def count(self, subject_id: str, factor: AttemptFactor, status: VerifyStatus) -> None:
        """Count a verification's outcome. Runs inside the transaction that writes its verify
        event, so the count and the event are kept together or not at all."""
        station = self._station
        attempts = station.repos.attempts
        before = attempts.get(subject_id, factor)
        after = after_outcome(before, status, station.clock.now(), self.limits(factor))
        if after != before:
            attempts.set(subject_id, factor, after)
        if after.disabled_at is not None and before.disabled_at is None:
            station.repos.audit.append(
                _DISABLED[factor],
                SYSTEM_OPERATOR,
                after.disabled_at,
                subject_id,
                {"consecutive_failures": after.consecutive_failures},
            )

    def reenable(
        self, member_number: str, factors: Collection[AttemptFactor], operator: str
    ) -> list[AuditEvent]:
        """An administrator lets these factors be tried again: their counts start from zero, one
        audit event per factor, all in one transaction."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        subject = station.subjects.require(member_number)
        now = station.clock.now()
        events = []
        with station.store.transaction():
            for factor in AttemptFactor:  # in a fixed order, whatever order they were asked in
                if factor not in factors:
                    continue
                before = station.repos.attempts.get(subject.id, factor)
                station.repos.attempts.set(subject.id, factor, AttemptState())
                events.append(
                    station.repos.audit.append(
                        _REENABLED[factor],
                        operator,
                        now,
                        subject.id,
                        {
                            "consecutive_failures": before.consecutive_failures,
                            "was_disabled": before.disabled_at is not None,
                        },
                    )
                )
        return events
