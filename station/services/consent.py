"""Whether the station may use a person's face today, and recording their answer to the notice:
consent to the exact text shown (R1, R3), no nagging after a decline (R6), minors (R7).

Two questions, because a notice says what is kept: making a new template needs consent to the
current notice; using a stored template of an older model set (R15) is also covered by consent to
the older notice that still describes it word for word, until the person enrolls again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from station.biometrics.model_sets import CURRENT, MODEL_SETS, model_set_of
from station.domain import (
    AuditKind,
    ConsentRecord,
    FaceDecision,
    FaceEligibility,
    Guardian,
    Permission,
    RefusalCode,
    ServiceError,
    Subject,
)
from station.domain.text import TextField
from station.policy.consent import consent_counts, face_decision, is_current, still_describes
from station.policy.identifiers import clean_text
from station.policy.notice import PublishedNotice, RenderedNotice, notice_texts

if TYPE_CHECKING:
    from station.services.station import Station


class Consents:
    def __init__(self, station: Station) -> None:
        self._station = station

    def decision(self, member_number: str) -> FaceDecision:
        """May the station offer this person face enrollment, and make them a new template (R1,
        R3, R6, R7)? The enrollment screen asks; the age is taken on today's date."""
        self._station.authorize(Permission.DESK)
        return self.decision_to_enroll(self._station.subjects.require(member_number))

    def decision_to_enroll(self, subject: Subject) -> FaceDecision:
        """May the station make this person a new template: consent to the current notice only."""
        return self._decide(subject, self._latest(subject.id), None)

    def decision_for(self, subject: Subject) -> FaceDecision:
        """May the station use this person's stored template (verification): consent to the
        current notice, or to the older one that still describes their template (R3, R15)."""
        latest = self._latest(subject.id)
        return self._decide(subject, latest, self._template_notice(subject.id, latest))

    def _decide(
        self,
        subject: Subject,
        latest: ConsentRecord | None,
        template_notice: PublishedNotice | None,
    ) -> FaceDecision:
        station = self._station
        return face_decision(
            subject,
            latest,
            station.notice,
            station.settings.policy,
            station.clock.now(),
            template_notice,
        )

    def _latest(self, subject_id: str) -> ConsentRecord | None:
        return self._station.repos.consents.latest_face_consent(subject_id)

    def _template_notice(
        self, subject_id: str, consent: ConsentRecord | None
    ) -> PublishedNotice | None:
        """The older version `consent` accepted, if it still says word for word what is kept of
        this person: their template is of an older model set, and nothing has been published since
        but the same notice for newer model sets (still_describes). None otherwise, and when the
        consent is to the current version anyway."""
        station = self._station
        if consent is None or not consent.accepted or is_current(consent, station.notice):
            return None
        template = station.repos.templates.for_subject(subject_id)
        held = model_set_of(template.model_fingerprint) if template else None
        if held is None or held is CURRENT:
            return None
        published = station.repos.notices.since(consent.notice_version)
        renderings = [
            notice_texts(station.settings, model_set)
            for model_set in MODEL_SETS
            if model_set.version >= held.version
        ]
        return published[0] if still_describes(published, renderings) else None

    def record(
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
        station = self._station
        station.authorize(Permission.DESK)
        subject = station.subjects.require(member_number)
        if guardian is not None:  # kept in the consent record and shown on the receipt
            guardian = Guardian(
                clean_text(guardian.name, TextField.GUARDIAN_NAME),
                clean_text(guardian.relation, TextField.GUARDIAN_RELATION),
            )
        if not station.notice.matches(notice):
            raise ServiceError(
                RefusalCode.NOTICE_OUTDATED,
                f"The notice shown is not the current one (version {station.notice.label}): "
                "show the current notice and ask again.",
                version=station.notice.label,
            )
        if accepted:
            self._check_acceptance(self.decision_to_enroll(subject), guardian, on_request)
        now = station.clock.now()
        with station.store.transaction():
            record = station.repos.consents.add(
                subject.id,
                accepted,
                notice.version,
                notice.sha256,
                method,
                operator,
                now,
                guardian,
            )
            station.repos.audit.append(
                AuditKind.FACE_CONSENT_ACCEPTED if accepted else AuditKind.FACE_CONSENT_DECLINED,
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
            raise ServiceError(RefusalCode.FACE_NOT_ALLOWED, decision.message)
        if eligibility is FaceEligibility.DECLINED_RECENTLY and not on_request:
            raise ServiceError(RefusalCode.DECLINED_RECENTLY, decision.message)
        minor = decision.age is not None and decision.age < self._station.settings.policy.minor_age
        if minor and (
            guardian is None or not guardian.name.strip() or not guardian.relation.strip()
        ):
            raise ServiceError(
                RefusalCode.GUARDIAN_NEEDED,
                "A parent or guardian must consent for a minor: record their name and relation.",
            )

    def is_current(self, subject_id: str) -> bool:
        """Accepted, to the exact text of the notice in force, or of the older one that still
        describes the person's stored template (R1, R3, R15): what an export of it needs (R16)."""
        consent = self._latest(subject_id)
        return consent is not None and consent_counts(
            consent, self._station.notice, self._template_notice(subject_id, consent)
        )
