"""Passing face data to a third party (R16): transfer consents and encrypted, audited exports.

The rules are in station.policy.transfer and the file format in station.storage.export_package;
this service applies them to one open Station and writes each audit event in the same transaction
as the change it records (R12).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from station.domain import AuditEvent, AuditKind, Permission, RefusalCode, ServiceError
from station.domain.progress import Progress, ProgressStep, Tally
from station.domain.text import TextField
from station.domain.transfer import (
    DISPLAY_NAME,
    MEMBER_NUMBER,
    TransferConsent,
    TransferConsentRequest,
    TransferProblem,
)
from station.policy.identifiers import clean_text
from station.policy.transfer import (
    choose_consent,
    consent_problems,
    export_problem,
    passphrase_problem,
    same_recipient,
)
from station.storage.export_package import ExportContents, KdfParameters, write_export
from station.storage.ids import new_id

if TYPE_CHECKING:
    from station.services.station import Station


class TransferRefused(ServiceError):
    """A refusal with the rule(s) it failed, so the window can say it in the operator's language."""

    def __init__(self, problems: Sequence[TransferProblem]) -> None:
        super().__init__(
            RefusalCode.TRANSFER_REFUSED, " ".join(problem.message for problem in problems)
        )
        self.problems = tuple(problems)


@dataclass(frozen=True)
class ExportOutcome:
    path: Path
    consent_id: str
    recipient: str
    data_types: tuple[str, ...]
    sha256: str
    audit_event: AuditEvent


def _cleaned(request: TransferConsentRequest) -> TransferConsentRequest:
    """The person's own words are kept, printed and audited: bounded and without hidden characters
    (issue 16); the country and the data types are checked against their vocabularies."""
    reference = request.assessment_reference
    return dataclasses.replace(
        request,
        recipient=clean_text(request.recipient, TextField.RECIPIENT),
        purpose=clean_text(request.purpose, TextField.TRANSFER_PURPOSE),
        likely_impact=clean_text(request.likely_impact, TextField.LIKELY_IMPACT),
        assessment_reference=None
        if reference is None
        else clean_text(reference, TextField.ASSESSMENT_REFERENCE),
    )


class Transfers:
    """R16 on one Station: record / withdraw / list transfer consents, and export face data."""

    def __init__(self, station: Station) -> None:
        self._station = station

    @property
    def export_enabled(self) -> bool:
        return self._station.settings.policy.face_export_enabled

    def record_consent(
        self, member_number: str, request: TransferConsentRequest, operator: str
    ) -> TransferConsent:
        self._station.authorize(Permission.ADMINISTER)
        # Collecting a consent for an export the site does not do would mislead the person.
        if not self.export_enabled:
            raise TransferRefused([TransferProblem.EXPORT_DISABLED])
        subject = self._station.subjects.require(member_number)
        request = _cleaned(request)
        problems = consent_problems(request)
        if problems:
            raise TransferRefused(problems)
        r = request.normalised()
        station = self._station
        now = station.clock.now()
        consent = TransferConsent(
            new_id(),
            subject.id,
            r.recipient,
            r.recipient_country,
            r.purpose,
            r.data_types,
            r.likely_impact,
            r.assessment_reference,
            operator,
            now,
        )
        with station.store.transaction():
            station.repos.transfers.add(consent)
            station.repos.audit.append(
                AuditKind.TRANSFER_CONSENT_RECORDED,
                operator,
                now,
                subject.id,
                {
                    "consent_id": consent.id,
                    "recipient": consent.recipient,
                    "recipient_country": consent.recipient_country,
                    "cross_border": consent.cross_border,
                    "purpose": consent.purpose,
                    "data_types": list(consent.data_types),
                    "assessment_reference": consent.assessment_reference,
                },
            )
        return consent

    def withdraw_consent(
        self, member_number: str, consent_id: str, operator: str
    ) -> TransferConsent:
        """Always possible, whatever the site setting: withdrawing must never be blocked (R4)."""
        self._station.authorize(Permission.ADMINISTER)
        subject = self._station.subjects.require(member_number)
        consent = self._station.repos.transfers.get(subject.id, consent_id.strip())
        if consent is None:
            raise ServiceError(
                RefusalCode.NO_TRANSFER_CONSENT,
                f"Member {subject.member_number} has no transfer consent {consent_id}.",
                member=subject.member_number,
                consent=consent_id,
            )
        if not consent.active:
            raise ServiceError(
                RefusalCode.TRANSFER_ALREADY_WITHDRAWN,
                "That transfer consent was already withdrawn.",
            )
        station = self._station
        now = station.clock.now()
        with station.store.transaction():
            station.repos.transfers.withdraw(consent.id, now)
            station.repos.audit.append(
                AuditKind.TRANSFER_CONSENT_WITHDRAWN,
                operator,
                now,
                subject.id,
                {"consent_id": consent.id, "recipient": consent.recipient},
            )
        return dataclasses.replace(consent, withdrawn_at=now)

    def consents(self, member_number: str) -> list[TransferConsent]:
        """Every transfer consent of the member, newest first, withdrawn ones included."""
        self._station.authorize(Permission.ADMINISTER)
        subject = self._station.subjects.require(member_number)
        return self._station.repos.transfers.for_subject(subject.id)

    def export_face_data(
        self,
        member_number: str,
        recipient: str,
        out_path: Path,
        passphrase: str,
        operator: str,
        consent_id: str | None = None,
        progress: Progress | None = None,
    ) -> ExportOutcome:
        """Write the consented data for one recipient to an encrypted file and audit it.
        `progress` hears of its two steps: the passphrase's key with the file, then the audit."""
        self._station.authorize(Permission.ADMINISTER)
        station = self._station
        subject = self._station.subjects.require(member_number)
        consents = self.consents(member_number)
        if consent_id:
            consent = next((c for c in consents if c.id == consent_id.strip()), None)
            if consent is not None and not same_recipient(consent.recipient, recipient):
                consent = None  # a consent for someone else never covers this recipient
        else:
            consent = choose_consent(consents, recipient)
        template = station.repos.templates.for_subject(subject.id)
        problem = export_problem(
            export_enabled=self.export_enabled,
            consent=consent,
            has_template=template is not None,
            face_consent_current=station.consents.is_current(subject.id),
        ) or passphrase_problem(passphrase)
        if problem is not None:
            raise TransferRefused([problem])
        assert consent is not None and template is not None  # export_problem checked both
        types = consent.data_types
        contents = ExportContents(
            model_id=template.model_id,
            # The model's own space: the recipient has the named model, not this station's secret.
            face_template=station.protection.unprotect(template.vector),
            member_number=subject.member_number if MEMBER_NUMBER in types else None,
            display_name=subject.display_name if DISPLAY_NAME in types else None,
        )
        # The site's Argon2id strength for the store also protects what leaves the station.
        store = station.settings.store
        kdf = KdfParameters.within_limits(
            store.kdf_time_cost, store.kdf_memory_kib, store.kdf_parallelism
        )
        path = Path(out_path)
        now = station.clock.now()
        written = False
        tally = Tally(progress, 2)
        try:
            with station.store.transaction():
                tally.now(ProgressStep.ENCRYPTING_EXPORT)
                head = station.repos.audit.head()
                digest = write_export(path, contents, passphrase, kdf, head.field if head else None)
                written = True
                tally.add(1, ProgressStep.RECORDING_EXPORT)
                event = station.repos.audit.append(
                    AuditKind.FACE_DATA_EXPORTED,
                    operator,
                    now,
                    subject.id,
                    {
                        "consent_id": consent.id,
                        "recipient": consent.recipient,
                        "recipient_country": consent.recipient_country,
                        "data_types": list(contents.data_types),
                        "model_id": contents.model_id,
                        "file_name": path.name,
                        "sha256": digest,
                    },
                )
        except OSError as exc:
            if written:
                _remove(path)
            raise ServiceError(
                RefusalCode.EXPORT_WRITE_FAILED,
                f"Cannot write the export to {path}: {exc.strerror or exc}.",
                path=path,
                reason=exc.strerror or exc,
            ) from exc
        except BaseException:
            # No export may exist without its audit event (R12, R16).
            if written:
                _remove(path)
            raise
        finally:
            # Template copies live no longer than needed (R10's rule for buffers, applied here).
            contents.face_template.fill(0)
            template.vector.fill(0)
        tally.finish(ProgressStep.RECORDING_EXPORT)
        return ExportOutcome(
            path, consent.id, consent.recipient, contents.data_types, digest, event
        )


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)
