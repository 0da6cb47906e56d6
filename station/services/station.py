"""The use cases the UI and the CLI call. Each returns an outcome value and writes its audit event in
the same transaction as the change it records (architecture example 3)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import numpy as np
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from station.biometrics.matching import Gallery, distance, template_from_descriptors
from station.biometrics.pipeline import (
    BiometricModels,
    CapturePlan,
    CaptureStats,
    SourceFactory,
    TaskState,
    good_descriptors,
)
from station.biometrics.protection import TemplateProtection
from station.capture import CameraError
from station.clock import Clock, SystemClock
from station.domain import (
    ConsentRecord,
    DeletionOutcome,
    EnrollmentOutcome,
    EnrollStatus,
    Guardian,
    Operator,
    QualityIssue,
    Subject,
    SubjectRecord,
    Template,
    VerificationOutcome,
    VerifyMethod,
    VerifyStatus,
)
from station.domain.models import Vector
from station.policy.attempts import AttemptCheck, AttemptVerdict, after_outcome, check_attempt
from station.policy.consent import FaceDecision, FaceEligibility, face_decision, is_current
from station.policy.notice import (
    NOTICE_TEMPLATE_VERSION,
    PublishedNotice,
    RenderedNotice,
    notice_texts,
)
from station.policy.roles import Permission, allowed
from station.settings import Settings
from station.storage import Repository, Store
from station.storage.repository import new_id

PIN_PATTERN = re.compile(r"[0-9]{4,12}")


class ServiceError(ValueError):
    """A request the station refuses; the message is for the operator."""


class NotAllowedError(ServiceError):
    """The signed-in operator's role does not allow this (R12)."""


SYSTEM_OPERATOR = "system"  # what the audit trail names for work nobody started by hand


class Station:
    """One open store, the models (loaded on first face use), the settings and the clock.

    `settings` are the site's file settings; changes an administrator saved in the store are laid
    over them. Opening publishes the notice as those settings render it, if it changed (R3).
    """

    def __init__(
        self,
        store: Store,
        settings: Settings | None = None,
        clock: Clock | None = None,
        models: Callable[[], BiometricModels] = BiometricModels,
    ) -> None:
        self.store = store
        self.repo = Repository(store)
        self.file_settings = settings or Settings()
        self.settings = self.file_settings.updated(
            self.repo.settings_overrides(), "settings saved in the store"
        )
        self.clock = clock or SystemClock()
        self._load_models = models
        self._models: BiometricModels | None = None
        # 1:N gallery, loaded once (~0.5 s at 100k) and dropped whenever a template changes.
        self._gallery: Gallery | None = None
        self._pins = PasswordHasher()  # Argon2id
        self._protection = TemplateProtection(bytes.fromhex(store.meta("template_secret")))
        self.notice = self.publish_notice_if_changed(SYSTEM_OPERATOR)
        # Who signed in (set by services.administration.open_station). A Station built straight
        # from an open Store (tests, benches) acts with every right: its maker holds the data key.
        self.signed_in: Operator | None = None

    def authorize(self, permission: Permission) -> None:
        """Refuse, and audit the refusal, unless the signed-in role has the permission (R12)."""
        who = self.signed_in
        if who is None or allowed(who.role, permission):
            return
        with self.store.transaction():
            self.repo.append_audit(
                "access_denied",
                who.name,
                self.clock.now(),
                None,
                {"role": who.role.value, "permission": permission.value},
            )
        raise NotAllowedError(
            f"Your account ({who.role.value}) may not do this; ask an administrator."
        )

    # the notice (R2, R3)
    def publish_notice_if_changed(self, operator: str, force: bool = False) -> PublishedNotice:
        """Publish the notice as the live settings render it, unless the current version already
        says exactly that. Every earlier consent becomes stale (R3). Caller may hold a transaction."""
        texts = notice_texts(self.settings)
        current = self.repo.current_notice()
        if current is not None and current.texts == texts and not force:
            return current
        now = self.clock.now()
        with self.store.transaction():
            published = self.repo.publish_notice(texts, NOTICE_TEMPLATE_VERSION, operator, now)
            self.repo.append_audit(
                "notice_published",
                operator,
                now,
                None,
                {
                    "version": published.label,
                    "template_version": NOTICE_TEMPLATE_VERSION,
                    "replaces": current.label if current else None,
                },
            )
        self.notice = published
        return published

    def current_notice(self, language: str) -> RenderedNotice:
        """The text to show, exactly; record_face_consent checks the answer was to this."""
        return self.notice.rendered(language)

    def close(self) -> None:
        """Close the store and stop the models' helper process, if any."""
        if self._models is not None:
            self._models.close()
        self.store.close()

    def templates_changed(self) -> None:
        """Drop the cached 1:N gallery after templates were added or destroyed."""
        self._gallery = None

    @property
    def protection(self) -> TemplateProtection:
        """This installation's template rotation (R15); exports undo it for their recipient."""
        return self._protection

    @property
    def models(self) -> BiometricModels:
        if self._models is None:
            self._models = self._load_models()
        return self._models

    # subjects and consent
    def register_subject(
        self,
        member_number: str,
        display_name: str,
        date_of_birth: date | None,
        operator: str,
        card_number: str | None = None,
    ) -> Subject:
        self.authorize(Permission.DESK)
        member_number, display_name = member_number.strip(), display_name.strip()
        card_number = (card_number or "").strip() or None
        if not member_number or not display_name:
            raise ServiceError("A member number and a name are both needed.")
        if self.repo.subject_by_member_number(member_number) is not None:
            raise ServiceError(f"Member number {member_number} is already registered.")
        if card_number is not None and self.repo.subject_by_card(card_number) is not None:
            raise ServiceError(f"Card {card_number} already belongs to another member.")
        now = self.clock.now()
        with self.store.transaction():
            subject = self.repo.add_subject(
                member_number, display_name, date_of_birth, now, card_number
            )
            self.repo.append_audit("subject_registered", operator, now, subject.id)
        return subject

    def find_subject(self, member_number: str) -> Subject | None:
        return self.repo.subject_by_member_number(member_number.strip())

    def find_subject_by_card(self, card_number: str) -> Subject | None:
        return self.repo.subject_by_card(card_number.strip())

    def face_decision(self, member_number: str) -> FaceDecision:
        """May the station use this person's face today, and may it offer enrollment (R1, R3, R6,
        R7)? The age is taken on today's date."""
        self.authorize(Permission.DESK)
        subject = self._require(member_number)
        return self._decision(subject)

    def _decision(self, subject: Subject) -> FaceDecision:
        return face_decision(
            subject,
            self.repo.latest_face_consent(subject.id),
            self.notice,
            self.settings.policy,
            self.clock.now(),
        )

    def record_face_consent(
        self,
        member_number: str,
        accepted: bool,
        notice: RenderedNotice,
        operator: str,
        method: str = "operator_screen",
        *,
        guardian: Guardian | None = None,
        on_request: bool = False,
    ) -> ConsentRecord:
        """R1: the record names the exact notice text (version + SHA-256) the person was shown.

        An acceptance is refused for a minor the site does not enroll, without a guardian where one
        is needed (R7), and within the quiet time after a decline unless the person asked (R6).
        """
        self.authorize(Permission.DESK)
        subject = self._require(member_number)
        if not self.notice.matches(notice):
            raise ServiceError(
                f"The notice shown is not the current one (version {self.notice.label}): "
                "show the current notice and ask again."
            )
        if accepted:
            self._check_acceptance(self._decision(subject), guardian, on_request)
        now = self.clock.now()
        with self.store.transaction():
            record = self.repo.add_consent(
                subject.id,
                accepted,
                notice.version,
                notice.sha256,
                method,
                operator,
                now,
                guardian,
            )
            self.repo.append_audit(
                "face_consent_accepted" if accepted else "face_consent_declined",
                operator,
                now,
                subject.id,
                {
                    "notice_version": notice.version,
                    "language": notice.language,
                    "on_request": on_request,
                    "guardian_relation": guardian.relation if guardian else None,
                },
            )
        return record

    def _check_acceptance(
        self, decision: FaceDecision, guardian: Guardian | None, on_request: bool
    ) -> None:
        eligibility = decision.eligibility
        if eligibility in (FaceEligibility.MINOR_BLOCKED, FaceEligibility.NEEDS_DATE_OF_BIRTH):
            raise ServiceError(decision.message)
        if eligibility is FaceEligibility.DECLINED_RECENTLY and not on_request:
            raise ServiceError(decision.message)
        minor = decision.age is not None and decision.age < self.settings.policy.minor_age
        if minor and (
            guardian is None or not guardian.name.strip() or not guardian.relation.strip()
        ):
            raise ServiceError(
                "A parent or guardian must consent for a minor: record their name and relation."
            )

    def has_current_face_consent(self, subject_id: str) -> bool:
        """Accepted, to the exact text of the notice in force (R1, R3)."""
        consent = self.repo.latest_face_consent(subject_id)
        return consent is not None and is_current(consent, self.notice)

    # enrollment
    def enroll(
        self,
        member_number: str,
        open_camera: SourceFactory,
        operator: str,
        task: TaskState | None = None,
    ) -> EnrollmentOutcome:
        self.authorize(Permission.DESK)
        subject = self.find_subject(member_number)
        if subject is None:
            return EnrollmentOutcome(EnrollStatus.UNKNOWN_SUBJECT, f"No member {member_number}.")
        decision = self._decision(subject)
        if not decision.allowed:
            # R1, R3, R7: refused before the camera is opened; nothing is read, nothing stored.
            consent_problem = decision.eligibility in (
                FaceEligibility.ASK,
                FaceEligibility.RENEW,
                FaceEligibility.DECLINED_RECENTLY,
            )
            return self._enroll_not_done(
                EnrollStatus.NO_CONSENT if consent_problem else EnrollStatus.NOT_ALLOWED,
                "Face enrollment needs the person's consent to the current notice first."
                if consent_problem
                else decision.message,
                subject.id,
                operator,
                CaptureStats(),
            )
        capture = self.settings.capture
        plan = CapturePlan(
            self.settings.enroll_gate,
            capture.enroll_frames,
            capture.timeout_seconds,
            capture.max_frames_read,
            capture.min_frame_gap_ms,
        )
        stats = CaptureStats()
        try:
            descriptors = self._capture(open_camera, plan, stats, task, capture.enroll_frames)
        except CameraError as exc:
            return self._enroll_not_done(
                EnrollStatus.CAMERA_FAILED, str(exc), subject.id, operator, stats
            )
        if len(descriptors) < capture.enroll_frames:
            _wipe(descriptors)
            status = (
                EnrollStatus.CANCELLED if stats.cancelled else EnrollStatus.NOT_ENOUGH_GOOD_FRAMES
            )
            return self._enroll_not_done(
                status, _shortfall_message(stats, plan.frames_needed), subject.id, operator, stats
            )
        now = self.clock.now()
        models = self.models
        template = Template(
            id=new_id(),
            model_id=models.model_id,
            model_fingerprint=models.fingerprint,
            vector=self._protection.protect(template_from_descriptors(descriptors)),
            frames_used=len(descriptors),
            created_at=now,
            expires_at=now + timedelta(days=self.settings.store.retention_days),
        )
        with self.store.transaction():
            replaced = self.repo.replace_template(subject.id, template)
            self.templates_changed()
            event = self.repo.append_audit(
                "face_enrolled",
                operator,
                now,
                subject.id,
                {
                    "frames_used": template.frames_used,
                    "frames_read": stats.frames_read,
                    "replaced_template": replaced is not None,
                    "model_id": template.model_id,
                    "expires_at": template.expires_at.isoformat(),
                },
            )
        _wipe(descriptors)
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

    def _enroll_not_done(
        self,
        status: EnrollStatus,
        message: str,
        subject_id: str,
        operator: str,
        stats: CaptureStats,
    ) -> EnrollmentOutcome:
        """Every enrollment attempt is audited (R12), the ones that stored nothing too."""
        now = self.clock.now()
        with self.store.transaction():
            event = self.repo.append_audit(
                "face_enroll_failed",
                operator,
                now,
                subject_id,
                {"status": status.value, "frames_read": stats.frames_read},
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

    # verification by face, 1:1 against a claim (R21)
    def verify_face(
        self,
        member_number: str,
        open_camera: SourceFactory,
        operator: str,
        task: TaskState | None = None,
    ) -> VerificationOutcome:
        self.authorize(Permission.DESK)
        subject = self.find_subject(member_number)
        if subject is None:
            return self._face_result(
                VerifyStatus.UNKNOWN_SUBJECT, f"No member {member_number}.", audit=operator
            )
        decision = self._decision(subject)
        if not decision.allowed:
            # R3, R7: a changed notice (or a minor's missing guardian consent) stops face use
            # before the camera opens; the other ways stay open.
            return self._face_result(
                VerifyStatus.CONSENT_NEEDED,
                decision.message,
                audit=operator,
                audited_subject=subject.id,
            )
        # R24: limits per claimed identity, checked before the models load or the camera opens.
        # No liveness check exists yet (R23), so the stricter non-liveness limits apply.
        liveness = False
        limit = check_attempt(
            self.repo.face_attempts(subject.id), self.clock.now(), liveness=liveness
        )
        if not limit.allowed:
            return self._face_attempt_refused(subject, limit, operator)
        template = self.repo.template_for(subject.id)
        models = self.models
        if template is None or template.model_fingerprint != models.fingerprint:
            # R15: a template from another model is never compared; it needs re-enrollment.
            return self._face_result(
                VerifyStatus.NO_TEMPLATE,
                "No usable face template for this member: verify another way or re-enroll.",
                audit=operator,
                audited_subject=subject.id,
            )

        def count_attempt(status: VerifyStatus) -> None:
            # R24: runs inside the transaction that writes the verify_face event, so the count
            # and the event are kept together or not at all.
            before = self.repo.face_attempts(subject.id)
            after = after_outcome(before, status, self.clock.now(), liveness=liveness)
            if after != before:
                self.repo.set_face_attempts(subject.id, after)
            if after.disabled_at is not None and before.disabled_at is None:
                self.repo.append_audit(
                    "face_disabled",
                    SYSTEM_OPERATOR,
                    after.disabled_at,
                    subject.id,
                    {"consecutive_failures": after.consecutive_failures},
                )

        return self._verify_with(
            open_camera,
            operator,
            task,
            # the probe comes already protected
            lambda probe: (subject, distance(template.vector, probe)),
            count_attempt,
        )

    def _face_attempt_refused(
        self, subject: Subject, limit: AttemptCheck, operator: str
    ) -> VerificationOutcome:
        """R24: too soon, or disabled. The camera was not opened; the refusal is audited with the
        wait, and the message offers the other ways (R5)."""
        if limit.verdict is AttemptVerdict.WAIT:
            status = VerifyStatus.TOO_SOON
            message = (
                f"Too many failed face attempts: wait {limit.wait_seconds} s before trying again, "
                "or verify by PIN, card + PIN or an ID document."
            )
        else:
            status = VerifyStatus.FACE_DISABLED
            message = (
                "Face verification is disabled for this member after too many failed attempts, "
                "until an administrator re-enables it: verify by PIN, card + PIN or an ID document."
            )
        return self._face_result(
            status,
            message,
            audit=operator,
            audited_subject=subject.id,
            extra={
                "wait_seconds": limit.wait_seconds,
                "consecutive_failures": limit.state.consecutive_failures,
            },
            wait_seconds=limit.wait_seconds,
        )

    def identify(
        self, open_camera: SourceFactory, operator: str, task: TaskState | None = None
    ) -> VerificationOutcome:
        """1:N search over every template of the current model; only when the site enabled it.

        No attempt limit (R24): with no claimed identity there is no one to count failures against.
        """
        self.authorize(Permission.DESK)
        if not self.settings.match.one_to_many:
            raise ServiceError(
                "1:N identification is switched off; verify against a member number."
            )
        if self._gallery is None:
            self._gallery = Gallery(*self.repo.templates_of_model(self.models.fingerprint))
        gallery = self._gallery

        def best(probe: Vector) -> tuple[Subject | None, float]:
            match = gallery.best(probe)
            if match is None:
                return None, float("inf")
            return self.repo.subject_by_id(gallery.ids[match.index]), match.distance

        return self._verify_with(open_camera, operator, task, best)

    def _verify_with(
        self,
        open_camera: SourceFactory,
        operator: str,
        task: TaskState | None,
        compare: Callable[[Vector], tuple[Subject | None, float]],
        record: Callable[[VerifyStatus], None] | None = None,
    ) -> VerificationOutcome:
        capture = self.settings.capture
        plan = CapturePlan(
            self.settings.verify_gate,
            capture.verify_frames,
            capture.timeout_seconds,
            capture.max_frames_read,
        )
        stats = CaptureStats()
        best_subject: Subject | None = None
        best_distance = float("inf")
        try:
            with open_camera() as source:
                models = self.models
                detector = models.new_detector()
                try:
                    for probe in good_descriptors(
                        source, detector, models.embedder, plan, self.clock, stats, task
                    ):
                        candidate, probe_distance = compare(self._protection.protect(probe))
                        probe.fill(0)
                        if probe_distance < best_distance:
                            best_subject, best_distance = candidate, probe_distance
                        # The first frame that matches decides; otherwise stop after the frames allowed.
                        if best_distance <= self.settings.match.threshold:
                            break
                        if stats.good_frames >= capture.verify_frames:
                            break
                finally:
                    detector.close()
        except CameraError as exc:
            return self._face_result(
                VerifyStatus.CAMERA_FAILED, str(exc), stats=stats, audit=operator, record=record
            )
        if stats.good_frames == 0:
            status = VerifyStatus.CANCELLED if stats.cancelled else VerifyStatus.NO_GOOD_FRAME
            return self._face_result(
                status, _shortfall_message(stats, 1), stats=stats, audit=operator, record=record
            )
        accepted = best_subject is not None and best_distance <= self.settings.match.threshold
        return self._face_result(
            VerifyStatus.ACCEPTED if accepted else VerifyStatus.REJECTED,
            f"Verified: {best_subject.display_name} ({best_subject.member_number})"
            if accepted and best_subject
            else "Not verified: the face did not match.",
            subject=best_subject if accepted else None,
            stats=stats,
            audit=operator,
            distance=best_distance,
            audited_subject=best_subject.id if best_subject else None,
            record=record,
        )

    def _face_result(
        self,
        status: VerifyStatus,
        message: str,
        *,
        subject: Subject | None = None,
        stats: CaptureStats | None = None,
        audit: str | None = None,
        distance: float | None = None,
        audited_subject: str | None = None,
        record: Callable[[VerifyStatus], None] | None = None,
        extra: dict[str, Any] | None = None,
        wait_seconds: int = 0,
    ) -> VerificationOutcome:
        """`record` runs in the transaction that writes the audit event (R24's count); `extra`
        adds to the event's detail."""
        stats = stats or CaptureStats()
        event = None
        if audit is not None:
            now = self.clock.now()
            with self.store.transaction():
                event = self.repo.append_audit(
                    "verify_face",
                    audit,
                    now,
                    audited_subject or (subject.id if subject else None),
                    {
                        "status": status.value,
                        "frames_used": stats.good_frames,
                        "frames_read": stats.frames_read,
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
            distance,
            wait_seconds,
        )

    def _capture(
        self,
        open_camera: SourceFactory,
        plan: CapturePlan,
        stats: CaptureStats,
        task: TaskState | None,
        wanted: int,
    ) -> list[Vector]:
        descriptors: list[Vector] = []
        models = (
            self.models
        )  # loaded before the camera opens, so the camera is on no longer than needed
        with open_camera() as source:
            detector = models.new_detector()
            try:
                for descriptor in good_descriptors(
                    source, detector, models.embedder, plan, self.clock, stats, task
                ):
                    descriptors.append(descriptor)
                    if len(descriptors) >= wanted:
                        break
            finally:
                detector.close()
        return descriptors

    # the non-face path (R5): works without a camera or models
    def set_pin(self, member_number: str, pin: str, operator: str) -> None:
        self.authorize(Permission.DESK)
        subject = self._require(member_number)
        if not PIN_PATTERN.fullmatch(pin):
            raise ServiceError("A PIN is 4 to 12 digits.")
        now = self.clock.now()
        with self.store.transaction():
            self.repo.set_pin_hash(subject.id, self._pins.hash(pin), now)
            self.repo.append_audit("pin_set", operator, now, subject.id)

    def verify_pin(self, member_number: str, pin: str, operator: str) -> VerificationOutcome:
        """PIN with a member number, or with a card number (card + PIN)."""
        self.authorize(Permission.DESK)
        subject = self.find_subject(member_number) or self.find_subject_by_card(member_number)
        stored = self.repo.pin_hash(subject.id) if subject else None
        if subject is None or stored is None:
            status = VerifyStatus.UNKNOWN_SUBJECT if subject is None else VerifyStatus.NO_CREDENTIAL
            message = (
                f"No member {member_number}."
                if subject is None
                else "This member has no PIN set: check an ID document instead."
            )
            return self._pin_result(
                status, message, None, operator, subject.id if subject else None
            )
        try:
            accepted: bool = self._pins.verify(stored, pin)
        except (VerificationError, InvalidHashError):
            accepted = False
        if accepted:
            return self._pin_result(
                VerifyStatus.ACCEPTED,
                f"Verified: {subject.display_name} ({subject.member_number})",
                subject,
                operator,
                subject.id,
            )
        return self._pin_result(VerifyStatus.REJECTED, "Wrong PIN.", None, operator, subject.id)

    def _pin_result(
        self,
        status: VerifyStatus,
        message: str,
        subject: Subject | None,
        operator: str,
        audited_subject: str | None,
    ) -> VerificationOutcome:
        now = self.clock.now()
        with self.store.transaction():
            event = self.repo.append_audit(
                "verify_pin", operator, now, audited_subject, {"status": status.value}
            )
        return VerificationOutcome(status, VerifyMethod.PIN, message, subject, audit_event=event)

    def verify_document(
        self, member_number: str, document_type: str, operator: str
    ) -> VerificationOutcome:
        """The operator checked an ID document; the station records that and the type, never the
        document's number (data minimisation)."""
        self.authorize(Permission.DESK)
        subject = self._require(member_number)
        now = self.clock.now()
        with self.store.transaction():
            event = self.repo.append_audit(
                "verify_document", operator, now, subject.id, {"document_type": document_type}
            )
        return VerificationOutcome(
            VerifyStatus.ACCEPTED,
            VerifyMethod.DOCUMENT,
            f"Verified by {document_type.replace('_', ' ')}: "
            f"{subject.display_name} ({subject.member_number})",
            subject,
            audit_event=event,
        )

    # deletion (R4, R14)
    def delete_face_data(self, member_number: str, operator: str) -> DeletionOutcome:
        self.authorize(Permission.DESK)
        subject = self._require(member_number)
        now = self.clock.now()
        with self.store.transaction():
            destroyed = self.repo.destroy_template(subject.id)
            self.templates_changed()
            event = self.repo.append_audit(
                "face_data_deleted", operator, now, subject.id, {"templates_destroyed": destroyed}
            )
        return DeletionOutcome(subject.id, destroyed, event)

    def withdraw_face_consent(self, member_number: str, operator: str) -> DeletionOutcome:
        """R4: as easy as enrolling — one call records the withdrawal and destroys the template in
        the same transaction; the PIN and document paths keep working."""
        self.authorize(Permission.DESK)
        subject = self._require(member_number)
        now = self.clock.now()
        with self.store.transaction():
            latest = self.repo.latest_face_consent(subject.id)
            self.repo.add_consent(
                subject.id,
                False,
                latest.notice_version if latest else self.notice.label,
                latest.notice_sha256 if latest else "",
                "withdrawal",
                operator,
                now,
            )
            destroyed = self.repo.destroy_template(subject.id)
            self.templates_changed()
            event = self.repo.append_audit(
                "face_consent_withdrawn",
                operator,
                now,
                subject.id,
                {"templates_destroyed": destroyed},
            )
        return DeletionOutcome(subject.id, destroyed, event)

    def search_subjects(self, text: str, limit: int = 20) -> list[Subject]:
        """Member number (exact) first, then names containing the text."""
        self.authorize(Permission.DESK)
        return self.repo.search_subjects(text.strip(), limit) if text.strip() else []

    def subject_record(self, subject_id: str) -> SubjectRecord:
        """What the station holds about one person — what they may ask to see."""
        self.authorize(Permission.DESK)
        subject = self.repo.subject_by_id(subject_id)
        if subject is None:
            raise ServiceError("No such member.")
        template = self.repo.template_for(subject_id)
        return SubjectRecord(
            subject=subject,
            has_template=template is not None,
            template_created=template.created_at if template else None,
            template_expires=template.expires_at if template else None,
            consent=self.repo.latest_face_consent(subject_id),
            has_pin=self.repo.pin_hash(subject_id) is not None,
            recent_events=self.repo.audit_events(subject_id)[-10:],
        )

    def _require(self, member_number: str) -> Subject:
        subject = self.find_subject(member_number)
        if subject is None:
            raise ServiceError(f"No member {member_number}.")
        return subject


def _shortfall_message(stats: CaptureStats, needed: int) -> str:
    if stats.cancelled:
        return "Cancelled by the operator; nothing was stored."
    common = _most_common_issue(stats)
    why = f" Most frames were refused: {common.hint}" if common else ""
    if stats.timed_out:
        return (
            f"Stopped after the time limit with {stats.good_frames} of {needed} good frames.{why}"
        )
    return f"The camera stream ended with {stats.good_frames} of {needed} good frames.{why}"


def _most_common_issue(stats: CaptureStats) -> QualityIssue | None:
    common = stats.rejections.most_common(1)
    return common[0][0] if common else None


def _wipe(vectors: list[Any]) -> None:
    for vector in vectors:
        np.asarray(vector).fill(0)
