"""The end of service (issue 15): a member who leaves is erased — record, numbers, date of birth,
PIN, consents, face data — not only their face (R4, R14). Members with no visit for the site's
number of months are listed for an administrator; nothing is erased without someone's action."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from station.domain import (
    AuditEvent,
    AuditKind,
    ErasureReceipt,
    InactiveMember,
    Permission,
    RefusalCode,
    ServiceError,
)
from station.storage import Repositories
from station.storage.erasure import ErasedRows

if TYPE_CHECKING:
    from station.services.station import Station

DAYS_A_MONTH = 30.4375  # an average month (365.25 / 12): "6 months" is 183 days, never 180


class Erasure:
    def __init__(self, station: Station) -> None:
        self._station = station

    def erase(
        self, member_number: str, operator: str, confirmation: str | None = None
    ) -> ErasureReceipt:
        """Erase one member in one transaction, audited under their random id only.

        An administrator's request is enough; an operator confirms a second time by typing the
        member number again (`confirmation`), since nothing erased can be brought back."""
        station = self._station
        station.authorize(Permission.DESK)
        subject = station.subjects.require(member_number)
        # The number typed again names the member however it was typed (issue 16).
        typed = station.subjects.find(confirmation) if confirmation else None
        if not station.allows(Permission.ADMINISTER) and (typed is None or typed.id != subject.id):
            raise ServiceError(
                RefusalCode.ERASURE_UNCONFIRMED,
                f"Type the member number {subject.member_number} again to confirm the erasure.",
                member=subject.member_number,
            )
        now = station.clock.now()
        with station.store.transaction():
            erased, event = erase_recorded(
                station.repos, subject.id, operator, now, confirmed_twice=confirmation is not None
            )
            station.templates_changed()
        return ErasureReceipt(
            member_number=subject.member_number,
            display_name=subject.display_name,
            card_number=subject.card_number,
            had_date_of_birth=subject.date_of_birth is not None,
            had_pin=erased.had_pin,
            templates=erased.templates,
            consents=erased.consents,
            transfer_consents=erased.transfer_consents,
            incidents=erased.incidents,
            reference=subject.id,
            erased_at=now,
            audit_event=event,
        )

    def inactive(self) -> list[InactiveMember]:
        """Members with no visit for the site's `policy.inactive_months` (none while it is 0,
        the default), for an administrator to review."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        months = station.settings.policy.inactive_months
        if months == 0:
            return []
        no_visit_since = station.clock.now() - timedelta(days=round(months * DAYS_A_MONTH))
        return station.repos.erasure.inactive(no_visit_since)


def erase_recorded(
    repos: Repositories, subject_id: str, operator: str, now: datetime, **how: Any
) -> tuple[ErasedRows, AuditEvent]:
    """Erase one member and write their member_erased event, in the caller's transaction: at the
    desk, and again after a restore (services.backup). The event holds counts and `how`, never
    who: the trail outlives the record (R12)."""
    erased = repos.erasure.erase(subject_id)
    counts = {
        "templates_destroyed": erased.templates,
        "consents": erased.consents,
        "transfer_consents": erased.transfer_consents,
        "incidents": erased.incidents,
        "pin": erased.had_pin,
    }
    event = repos.audit.append(AuditKind.MEMBER_ERASED, operator, now, subject_id, counts | how)
    return erased, event
