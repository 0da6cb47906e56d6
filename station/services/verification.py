"""Verification: by face against a claimed identity (R21, default) or 1:N where the site enabled it,
by PIN or card + PIN, or by an ID document the operator checked (R5). Every attempt is audited;
face and PIN attempts are limited per claimed identity (R24, R5); the decision shows no score
(R22)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from argon2.exceptions import InvalidHashError, VerificationError

from station.biometrics.pipeline import CaptureStats, SourceFactory
from station.capture import CameraError
from station.domain import (
    AttemptFactor,
    AuditKind,
    Permission,
    RefusalCode,
    ServiceError,
    Subject,
    VerificationOutcome,
    VerifyMethod,
    VerifyStatus,
)
from station.domain.capture import TaskState
from station.services.attempts import attempt_refusal
from station.services.capture import shortfall_message
from station.services.face_evidence import (
    Comparison,
    capture_evidence,
    compare_with,
    search_all,
    usable,
)
from station.services.liveness_record import NOT_LIVE_VERIFY, liveness_detail, liveness_failed

if TYPE_CHECKING:
    from station.services.station import Station


class Verification:
    def __init__(self, station: Station) -> None:
        self._station = station

    # by face, 1:1 against a claim (R21)
    def face(
        self,
        member_number: str,
        open_camera: SourceFactory,
        operator: str,
        task: TaskState | None = None,
    ) -> VerificationOutcome:
        station = self._station
        station.authorize(Permission.DESK)
        subject = station.subjects.find(member_number)
        if subject is None:
            return self._face_result(
                VerifyStatus.UNKNOWN_SUBJECT, f"No member {member_number}.", operator
            )
        decision = station.consents.decision_for(subject)
        if not decision.allowed:
            # R3, R7: a changed notice (or a minor's missing guardian consent) stops face use
            # before the camera opens; the other ways stay open.
            return self._face_result(
                VerifyStatus.CONSENT_NEEDED, decision.message, operator, audited_subject=subject.id
            )
        # R24: checked before the models load or the camera opens.
        limit = station.attempts.check(subject, AttemptFactor.FACE)
        if not limit.allowed:
            refused = attempt_refusal(limit, AttemptFactor.FACE)
            return self._face_result(
                refused.status,
                refused.message,
                operator,
                audited_subject=subject.id,
                extra=refused.detail,
                wait_seconds=refused.wait_seconds,
            )
        template = station.repos.templates.for_subject(subject.id)
        if template is None or not usable(template):
            # R15: a template from another model is never compared; it needs re-enrollment.
            return self._face_result(
                VerifyStatus.NO_TEMPLATE,
                "No usable face template for this member: verify another way or re-enroll.",
                operator,
                audited_subject=subject.id,
            )
        return self._capture_and_decide(
            open_camera,
            operator,
            task,
            compare_with(station, subject, template),
            lambda status: station.attempts.count(subject.id, AttemptFactor.FACE, status),
            claimed=subject.id,
        )

    def identify(
        self, open_camera: SourceFactory, operator: str, task: TaskState | None = None
    ) -> VerificationOutcome:
        """1:N search over every usable template; only when the site enabled it.

        No attempt limit (R24): with no claimed identity there is no one to count failures against.
        """
        station = self._station
        station.authorize(Permission.DESK)
        if not station.settings.match.one_to_many:
            raise ServiceError(
                RefusalCode.ONE_TO_MANY_OFF,
                "1:N identification is switched off; verify against a member number.",
            )
        return self._capture_and_decide(open_camera, operator, task, search_all(station))

    def _capture_and_decide(
        self,
        open_camera: SourceFactory,
        operator: str,
        task: TaskState | None,
        compare: Comparison,
        record: Callable[[VerifyStatus], None] | None = None,
        claimed: str | None = None,
    ) -> VerificationOutcome:
        """The good frames' averaged probe decides (face_evidence.py). `claimed`: the id of the
        person claimed (1:1), whose record a liveness refusal joins."""
        station = self._station
        stats = CaptureStats()
        try:
            evidence = capture_evidence(station, open_camera, task, stats, compare)
        except CameraError as exc:
            return self._face_result(
                VerifyStatus.CAMERA_FAILED, str(exc), operator, stats=stats, record=record
            )
        if liveness_failed(stats):
            # R23: a photo, a screen or no answer to the challenge; nothing was compared. R24
            # counts it as a failed face attempt (`record`).
            return self._face_result(
                VerifyStatus.NOT_LIVE,
                NOT_LIVE_VERIFY,
                operator,
                stats=stats,
                audited_subject=claimed,
                record=record,
            )
        if stats.good_frames == 0:
            status = VerifyStatus.CANCELLED if stats.cancelled else VerifyStatus.NO_GOOD_FRAME
            return self._face_result(
                status, shortfall_message(stats, 1), operator, stats=stats, record=record
            )
        matched = evidence.subject if evidence.matched else None
        return self._face_result(
            VerifyStatus.ACCEPTED if matched else VerifyStatus.REJECTED,
            f"Verified: {matched.display_name} ({matched.member_number})"
            if matched
            else "Not verified: the face did not match.",
            operator,
            subject=matched,
            stats=stats,
            margin=evidence.margin,
            audited_subject=evidence.subject.id if evidence.subject else None,
            record=record,
        )

    def _face_result(
        self,
        status: VerifyStatus,
        message: str,
        operator: str,
        *,
        subject: Subject | None = None,
        stats: CaptureStats | None = None,
        margin: float | None = None,
        audited_subject: str | None = None,
        record: Callable[[VerifyStatus], None] | None = None,
        extra: dict[str, Any] | None = None,
        wait_seconds: int = 0,
    ) -> VerificationOutcome:
        """Every face decision is audited (R12), with the liveness check's actions and verdict when
        a capture ran (R23). `record` runs in the transaction that writes the event (R24's count);
        `extra` adds to the event's detail."""
        station = self._station
        captured = stats is not None
        stats = stats or CaptureStats()
        with station.store.transaction():
            event = station.repos.audit.append(
                AuditKind.VERIFY_FACE,
                operator,
                station.clock.now(),
                audited_subject or (subject.id if subject else None),
                {
                    "status": status.value,
                    "frames_used": stats.good_frames,
                    "frames_read": stats.frames_read,
                    **(
                        liveness_detail(stats, station.settings.liveness.enabled)
                        if captured
                        else {}
                    ),
                    **(extra or {}),
                },
            )
            if record is not None:
                record(status)
        return VerificationOutcome(
            status,
            VerifyMethod.FACE,
            message,
            subject,
            stats.good_frames,
            stats.frames_read,
            dict(stats.rejections),
            event,
            margin,
            wait_seconds,
        )

    # the non-face path (R5): works without a camera or models
    def pin(self, member_number: str, pin: str, operator: str) -> VerificationOutcome:
        """PIN with a member number, or with a card number (card + PIN): both count against the
        member's one PIN limit (R5, with R24's rule). An unknown number has no one to count
        against; it is audited and told as before, no more."""
        station = self._station
        station.authorize(Permission.DESK)
        subject = station.subjects.find(member_number) or station.subjects.find_by_card(
            member_number
        )
        if subject is None:
            return self._pin_result(
                VerifyStatus.UNKNOWN_SUBJECT, f"No member {member_number}.", operator, None
            )
        # One transaction from the check to the count: BEGIN IMMEDIATE makes a guess made at the
        # same time by another process wait for this one's count instead of slipping past it.
        with station.store.transaction():
            limit = station.attempts.check(subject, AttemptFactor.PIN)
            if not limit.allowed:  # refused before the PIN hash is read
                refused = attempt_refusal(limit, AttemptFactor.PIN)
                return self._pin_result(
                    refused.status,
                    refused.message,
                    operator,
                    subject.id,
                    extra=refused.detail,
                    wait_seconds=refused.wait_seconds,
                )
            stored = station.repos.subjects.pin_hash(subject.id)
            if stored is None:
                return self._pin_result(
                    VerifyStatus.NO_CREDENTIAL,
                    "This member has no PIN set: check an ID document instead.",
                    operator,
                    subject.id,
                )
            try:
                accepted: bool = station.subjects.pins.verify(stored, pin)
            except (VerificationError, InvalidHashError):
                accepted = False
            return self._pin_result(
                VerifyStatus.ACCEPTED if accepted else VerifyStatus.REJECTED,
                f"Verified: {subject.display_name} ({subject.member_number})"
                if accepted
                else "Wrong PIN.",
                operator,
                subject.id,
                subject=subject if accepted else None,
                record=lambda status: station.attempts.count(subject.id, AttemptFactor.PIN, status),
            )

    def _pin_result(
        self,
        status: VerifyStatus,
        message: str,
        operator: str,
        audited_subject: str | None,
        *,
        subject: Subject | None = None,
        record: Callable[[VerifyStatus], None] | None = None,
        extra: dict[str, Any] | None = None,
        wait_seconds: int = 0,
    ) -> VerificationOutcome:
        """Every PIN decision is audited, never the PIN (R12); `record` counts it in the same
        transaction; `extra` adds to the event's detail."""
        station = self._station
        with station.store.transaction():
            event = station.repos.audit.append(
                AuditKind.VERIFY_PIN,
                operator,
                station.clock.now(),
                audited_subject,
                {"status": status.value, **(extra or {})},
            )
            if record is not None:
                record(status)
        return VerificationOutcome(
            status, VerifyMethod.PIN, message, subject, audit_event=event, wait_seconds=wait_seconds
        )

    def document(
        self, member_number: str, document_type: str, operator: str
    ) -> VerificationOutcome:
        """The operator checked an ID document; the station records that and the type, never the
        document's number (data minimisation)."""
        station = self._station
        station.authorize(Permission.DESK)
        subject = station.subjects.require(member_number)
        with station.store.transaction():
            event = station.repos.audit.append(
                AuditKind.VERIFY_DOCUMENT,
                operator,
                station.clock.now(),
                subject.id,
                {"document_type": document_type},
            )
        return VerificationOutcome(
            VerifyStatus.ACCEPTED,
            VerifyMethod.DOCUMENT,
            f"Verified by {document_type.replace('_', ' ')}: "
            f"{subject.display_name} ({subject.member_number})",
            subject,
            audit_event=event,
        )
