"""Face enrollment (R1, R7, R10, R14, R15): only after consent to the current notice, from the
fewest frames that pass the quality gate, into one protected template with an expiry; every attempt
audited, the ones that stored nothing too."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from station.biometrics.matching import template_from_descriptors
from station.biometrics.pipeline import CaptureStats, SourceFactory
from station.capture import CameraError
from station.domain import (
    AuditKind,
    EnrollmentOutcome,
    EnrollStatus,
    FaceEligibility,
    Permission,
    Template,
)
from station.domain.capture import TaskState
from station.domain.models import Vector
from station.services.capture import (
    capture_descriptors,
    capture_plan,
    shortfall_message,
    wipe,
)
from station.services.liveness_record import NOT_LIVE_ENROLL, liveness_detail, liveness_failed
from station.storage.ids import new_id

if TYPE_CHECKING:
    from station.services.station import Station

# Answers that mean the person has to be asked (again) before their face may be used.
_ASK_FIRST = frozenset(
    {FaceEligibility.ASK, FaceEligibility.RENEW, FaceEligibility.DECLINED_RECENTLY}
)


class Enrollment:
    def __init__(self, station: Station) -> None:
        self._station = station

    def enroll(
        self,
        member_number: str,
        open_camera: SourceFactory,
        operator: str,
        task: TaskState | None = None,
    ) -> EnrollmentOutcome:
        station = self._station
        station.authorize(Permission.DESK)
        subject = station.subjects.find(member_number)
        if subject is None:
            return EnrollmentOutcome(EnrollStatus.UNKNOWN_SUBJECT, f"No member {member_number}.")
        # A new template: only consent to the current notice covers it (R3, R15).
        decision = station.consents.decision_to_enroll(subject)
        if not decision.allowed:
            # R1, R3, R7: refused before the camera is opened; nothing is read, nothing stored.
            ask_first = decision.eligibility in _ASK_FIRST
            return self._not_done(
                EnrollStatus.NO_CONSENT if ask_first else EnrollStatus.NOT_ALLOWED,
                "Face enrollment needs the person's consent to the current notice first."
                if ask_first
                else decision.message,
                subject.id,
                operator,
                None,
            )
        wanted = station.settings.capture.enroll_frames
        plan = capture_plan(station.settings, enrolling=True)
        stats = CaptureStats()
        descriptors: list[Vector] = []

        def keep(descriptor: Vector) -> bool:
            descriptors.append(descriptor)
            return len(descriptors) >= wanted

        try:
            capture_descriptors(station, open_camera, plan, stats, task, keep)
        except CameraError as exc:
            wipe(descriptors)
            return self._not_done(EnrollStatus.CAMERA_FAILED, str(exc), subject.id, operator, stats)
        if liveness_failed(stats):
            # R23: a person must not be enrolled from a photo or a screen; nothing is stored.
            wipe(descriptors)
            return self._not_done(
                EnrollStatus.NOT_LIVE, NOT_LIVE_ENROLL, subject.id, operator, stats
            )
        if len(descriptors) < wanted:
            wipe(descriptors)
            status = (
                EnrollStatus.CANCELLED if stats.cancelled else EnrollStatus.NOT_ENOUGH_GOOD_FRAMES
            )
            return self._not_done(
                status, shortfall_message(stats, plan.frames_needed), subject.id, operator, stats
            )
        now = station.clock.now()
        models = station.models
        template = Template(
            id=new_id(),
            model_id=models.model_id,
            model_fingerprint=models.fingerprint,
            vector=station.protection.protect(template_from_descriptors(descriptors)),
            frames_used=len(descriptors),
            created_at=now,
            expires_at=now + timedelta(days=station.settings.store.retention_days),
        )
        wipe(descriptors)
        with station.store.transaction():
            replaced = station.repos.templates.replace(subject.id, template)
            station.templates_changed()
            event = station.repos.audit.append(
                AuditKind.FACE_ENROLLED,
                operator,
                now,
                subject.id,
                {
                    "frames_used": template.frames_used,
                    "frames_read": stats.frames_read,
                    "replaced_template": replaced is not None,
                    "model_id": template.model_id,
                    "expires_at": template.expires_at.isoformat(),
                    **liveness_detail(stats, station.settings.liveness.enabled),
                },
            )
        return EnrollmentOutcome(
            EnrollStatus.ENROLLED,
            f"Enrolled: one face template kept until {template.expires_at.date().isoformat()}; "
            "no image was stored.",
            subject.id,
            template.id,
            template.expires_at,
            template.frames_used,
            stats.frames_read,
            dict(stats.rejections),
            event,
            camera_opened=True,
        )

    def _not_done(
        self,
        status: EnrollStatus,
        message: str,
        subject_id: str,
        operator: str,
        stats: CaptureStats | None,
    ) -> EnrollmentOutcome:
        """Every enrollment attempt is audited (R12), the ones that stored nothing too; one that
        opened the camera with its liveness check's actions and verdict (R23). `stats` is None
        when it was refused before the camera."""
        station = self._station
        now = station.clock.now()
        captured = stats is not None
        stats = stats or CaptureStats()
        with station.store.transaction():
            event = station.repos.audit.append(
                AuditKind.FACE_ENROLL_FAILED,
                operator,
                now,
                subject_id,
                {
                    "status": status.value,
                    "frames_read": stats.frames_read,
                    **(
                        liveness_detail(stats, station.settings.liveness.enabled)
                        if captured
                        else {}
                    ),
                },
            )
        return EnrollmentOutcome(
            status,
            message,
            subject_id,
            frames_read=stats.frames_read,
            rejections=dict(stats.rejections),
            audit_event=event,
            camera_opened=stats.frames_read > 0,
            good_frames=stats.good_frames,
            timed_out=stats.timed_out,
        )
