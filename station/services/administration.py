"""What an administrator (and the station itself, at start-up and on a timer) does: the start-up
work of every sign-in, settings, destroying expired templates, pruning old records, verifying the
audit trail, and decommission. Every change is audited in the same transaction (R12)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

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
from station.policy.notice import PublishedNotice
from station.settings import SettingsError
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

# What an administrator may change in the app. Store key parameters and the quality gates belong
# to installation, not to the desk.
EDITABLE_SETTINGS: dict[str, frozenset[str]] = {
    "site": frozenset(
        {"controller", "controller_zh_cn", "contact", "contact_zh_cn", "purpose", "purpose_zh_cn"}
    ),
    "store": frozenset({"retention_days"}),
    "match": frozenset({"threshold", "one_to_many"}),
    "capture": frozenset({"enroll_frames"}),
    "policy": frozenset(
        {
            "minors_policy",
            "decline_quiet_hours",
            "face_export_enabled",
            "filing_warning_level",
            "record_retention_days",
            "purge_interval_minutes",
        }
    ),
}
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
class SettingsChange:
    changes: dict[str, tuple[Any, Any]]  # "section.key" -> (old, new)
    audit_event: AuditEvent | None
    notice: PublishedNotice  # the notice in force afterwards (a new version if the text changed)
    notice_republished: bool


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
        """At every sign-in: audit the sign-in and the failed ones before it, note settings changed
        in the file since last time, destroy expired templates (R14) and prune old records (R17)."""
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
            self._audit_settings_file_changes(now)
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

    def _audit_settings_file_changes(self, now: datetime) -> None:
        settings = self._station.repos.settings
        snapshot = self._station.settings.as_mapping()
        previous = settings.snapshot()
        if previous is not None:
            changes = _differences(previous, snapshot)
            if changes:
                self._station.repos.audit.append(
                    AuditKind.SETTINGS_CHANGED,
                    SYSTEM_OPERATOR,
                    now,
                    None,
                    {"source": "settings file", "changes": changes},
                )
        settings.set_snapshot(snapshot)

    def update_settings(
        self, changes: Mapping[str, Mapping[str, Any]], operator: str
    ) -> SettingsChange:
        station = self._station
        station.authorize(Permission.ADMINISTER)
        for section, values in changes.items():
            allowed = EDITABLE_SETTINGS.get(section, frozenset())
            refused = ", ".join(f"{section}.{key}" for key in sorted(set(values) - allowed))
            if refused:
                raise ServiceError(
                    RefusalCode.SETTING_NOT_EDITABLE,
                    f"These settings cannot be changed from the station: {refused}.",
                    settings=refused,
                )
        old = station.settings
        try:
            new = old.updated(changes, "the new settings")
        except SettingsError as exc:
            raise ServiceError(RefusalCode.SETTING_INVALID, str(exc), problem=exc) from exc
        differences = _differences(old.as_mapping(), new.as_mapping())
        if not differences:
            return SettingsChange({}, None, station.notice, False)
        old_notice = station.notice
        now = station.clock.now()
        try:
            with station.store.transaction():
                for dotted in differences:
                    section, key = dotted.split(".")
                    station.repos.settings.set_override(
                        section, key, getattr(getattr(new, section), key)
                    )
                event = station.repos.audit.append(
                    AuditKind.SETTINGS_CHANGED,
                    operator,
                    now,
                    None,
                    {"source": "administrator", "changes": differences},
                )
                station.repos.settings.set_snapshot(new.as_mapping())
                station.settings = new
                notice = station.notices.publish_if_changed(operator)
        except BaseException:
            station.settings, station.notice = old, old_notice
            raise
        return SettingsChange(
            {dotted: (values[0], values[1]) for dotted, values in differences.items()},
            event,
            notice,
            notice.version != old_notice.version,
        )

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
    def verify_audit(self, operator: str) -> AuditVerification:
        station = self._station
        station.authorize(Permission.READ_AUDIT)
        result = verify_audit_chain(station.repos.audit)
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
                },
            )
        return result

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


def _differences(
    old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> dict[str, list[Any]]:
    changed: dict[str, list[Any]] = {}
    for section, values in new.items():
        for key, value in values.items():
            before = old.get(section, {}).get(key)
            if before != value:
                changed[f"{section}.{key}"] = [before, value]
    return changed
