"""What an administrator (and the station itself, at start-up and on a timer) does: the start-up
work of every sign-in, destroying expired templates, pruning old records, verifying the audit
trail, and decommission (settings: station.services.site_settings). Every change is audited in the
same transaction (R12)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from station.domain import (
    SYSTEM_OPERATOR,
    UNKNOWN_NAME,
    AuditEvent,
    AuditKind,
    AuditVerification,
    Permission,
    RefusalCode,
    ServiceError,
)
from station.domain.audit import AuditHead
from station.storage.audit_chain import verify_audit_chain
from station.storage.destroy import shred
from station.storage.files import temporary_path
from station.storage.keys import RECOVERY, key_file_path, staged_key_path, write_key_file
from station.storage.signins import (
    UNREADABLE,
    after_sign_in,
    pending_path,
    read_failed_sign_ins,
)

if TYPE_CHECKING:
    from station.services.station import Station

DECOMMISSION_CONFIRMATION = "DESTROY ALL DATA"


@dataclass(frozen=True)
class PurgeOutcome:
    destroyed: int
    vacuumed: bool
    events: list[AuditEvent] = field(default_factory=list)


@dataclass(frozen=True)
class PruneOutcome:
    events_pruned: int
    cutoff: datetime
    audit_event: AuditEvent


@dataclass(frozen=True)
class StartUpReport:
    failed_sign_ins: int
    purge: PurgeOutcome
    prune: PruneOutcome | None


@dataclass(frozen=True)
class DecommissionReport:
    at: datetime
    operator: str
    subjects: int
    templates_destroyed: int
    files: list[tuple[str, int]]  # (file name, bytes overwritten)

    @property
    def message(self) -> str:
        listed = ", ".join(f"{name} ({size:,} bytes)" for name, size in self.files)
        return (
            f"Decommissioned at {self.at:%Y-%m-%d %H:%M} UTC by {self.operator}: the records of "
            f"{self.subjects} people, {self.templates_destroyed} face templates, the audit trail "
            f"and every key were destroyed. Overwritten with random data and deleted: {listed}. "
            "Nothing can be recovered. Keep this report as the record of the destruction."
        )


class Administration:
    def __init__(self, station: Station) -> None:
        self._station = station

    def start_up(self, operator: str) -> StartUpReport:
        """At every sign-in: audit the sign-in and the failed ones before it, destroy expired
        templates (R14) and prune old records (R17)."""
        station = self._station
        store, repos = station.store, station.repos
        now = station.clock.now()
        label = store.key_file().label
        failed = [e for e in read_failed_sign_ins(store.path, label) if not e.audited]
        # The file holds pseudonyms: a known account is named, any other text typed never is.
        names = {
            label(account.name): account.display_name for account in repos.operators.accounts()
        }
        names[UNREADABLE] = UNREADABLE
        with store.transaction():
            for entry in failed:
                repos.audit.append(
                    AuditKind.SIGN_IN_FAILED,
                    names.get(entry.label, UNKNOWN_NAME),
                    now,
                    None,
                    {"attempted_at": entry.at.isoformat(), "reason": "wrong password"},
                )
            repos.audit.append(AuditKind.SIGN_IN, operator, now)
        after_sign_in(store.path, label(operator), now, label)
        self._drop_orphan_slots()
        return StartUpReport(len(failed), self.purge_expired(), self.prune_records())

    def _drop_orphan_slots(self) -> None:
        """A key slot whose account was removed, or whose addition was cut short before the
        account was committed, is destroyed: only active accounts can open the store."""
        store = self._station.store
        key_file = store.key_file()
        active = {
            key_file.label(account.name)
            for account in self._station.repos.operators.accounts()
            if account.active
        }
        kept = tuple(s for s in key_file.slots if s.kind == RECOVERY or s.label in active)
        if len(kept) != len(key_file.slots):
            write_key_file(store.key_path, replace(key_file, slots=kept))

    # retention (R14) and records (R17)
    def purge_expired(self, operator: str = SYSTEM_OPERATOR) -> PurgeOutcome:
        station = self._station
        now = station.clock.now()
        retention = station.settings.store.retention_days
        due = station.repos.templates.expired(now, now - timedelta(days=retention))
        if not due:
            return PurgeOutcome(0, False)
        events: list[AuditEvent] = []
        with station.store.transaction():
            for subject_id, _template_id in due:
                station.repos.templates.destroy(subject_id)
                events.append(
                    station.repos.audit.append(
                        AuditKind.TEMPLATE_EXPIRED,
                        operator,
                        now,
                        subject_id,
                        {"reason": "retention period over", "retention_days": retention},
                    )
                )
        station.templates_changed()
        vacuumed = len(due) >= station.settings.policy.vacuum_after_purged
        if vacuumed:
            # secure_delete already zeroed the rows; VACUUM also drops the freed pages and
            # shrinks the file so a large purge leaves no trace of how much there was.
            station.store.vacuum()
        return PurgeOutcome(len(due), vacuumed, events)

    def prune_records(self, operator: str = SYSTEM_OPERATOR) -> PruneOutcome | None:
        """Audit events older than the records' retention (at least 3 years, R17) are deleted,
        and the deletion itself is recorded; the chain stays verifiable from its new start."""
        station = self._station
        now = station.clock.now()
        cutoff = now - timedelta(days=station.settings.policy.record_retention_days)
        with station.store.transaction():
            pruned = station.repos.audit.prune_before(cutoff)
            if pruned is None:
                return None
            count, first, last = pruned
            event = station.repos.audit.append(
                AuditKind.RECORDS_PRUNED,
                operator,
                now,
                None,
                {
                    "events": count,
                    "first_seq": first,
                    "last_seq": last,
                    "before": cutoff.isoformat(),
                },
            )
        return PruneOutcome(count, cutoff, event)

    # the audit trail (R12)
    def verify_audit(
        self,
        operator: str,
        anchors: Sequence[tuple[AuditHead, str]] = (),
        recovery_key: str | None = None,
    ) -> AuditVerification:
        """The full integrity checks of the store file, then the hash chain (R12); then whether
        the trail still holds each anchor issued earlier, and with the recovery key every keyed
        link (issue 14). A damaged store is reported as such and not written to, not even this
        verification's event."""
        station = self._station
        station.authorize(Permission.READ_AUDIT)
        damage = station.store.integrity_findings()
        if damage:
            return AuditVerification(0, None, None, store_damage=damage)
        result = verify_audit_chain(station.repos.audit, anchors, recovery_key)
        with station.store.transaction():
            station.repos.audit.append(
                AuditKind.AUDIT_VERIFIED,
                operator,
                station.clock.now(),
                None,
                {
                    "ok": result.ok,
                    "events": result.events_checked,
                    "problems": len(result.problems),
                    "anchors": len(result.anchors),
                    "anchors_held": sum(check.ok for check in result.anchors),
                    "links_checked": result.links.checked if result.links else None,
                },
            )
        return result

    def audit_head(self) -> AuditHead | None:
        """The trail's head now, as a code an auditor notes on paper (issue 14)."""
        self._station.authorize(Permission.READ_AUDIT)
        return self._station.repos.audit.head()

    def audit_trail(self, limit: int = 500) -> list[AuditEvent]:
        """The newest events, newest first, for the audit view."""
        self._station.authorize(Permission.READ_AUDIT)
        return self._station.repos.audit.recent(limit)

    # decommission (R14)
    def decommission(self, confirmation: str, operator: str) -> DecommissionReport:
        station = self._station
        station.authorize(Permission.ADMINISTER)
        if confirmation != DECOMMISSION_CONFIRMATION:
            raise ServiceError(
                RefusalCode.DECOMMISSION_UNCONFIRMED,
                f"To decommission, type {DECOMMISSION_CONFIRMATION} exactly. Nothing was destroyed.",
                phrase=DECOMMISSION_CONFIRMATION,
            )
        now = station.clock.now()
        subjects = station.repos.subjects.count()
        templates = station.repos.templates.count()
        path = station.store.path
        station.close()
        files: list[tuple[str, int]] = []
        for candidate in (
            key_file_path(path),  # the key material first: without it the rest is unreadable
            staged_key_path(key_file_path(path)),
            temporary_path(key_file_path(path)),  # a key file write cut short by a kill
            path,
            path.with_name(path.name + "-journal"),
            pending_path(path),
        ):
            if candidate.exists():
                files.append((candidate.name, shred(candidate)))
        return DecommissionReport(now, operator, subjects, templates, files)
