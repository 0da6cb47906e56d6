"""What an administrator (and the station itself, at start-up and on a timer) does: open and sign
in, change settings, publish the notice, destroy expired templates, prune old records, verify the
audit trail, and decommission. Every change is audited in the same transaction (R12)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from math import ceil
from pathlib import Path
from typing import Any

from station.biometrics.pipeline import BiometricModels
from station.clock import Clock, SystemClock
from station.domain import AuditEvent, Operator, Subject
from station.policy.attempts import AttemptCheck, AttemptState, check_attempt
from station.policy.notice import PublishedNotice
from station.policy.roles import Permission
from station.policy.signin import sign_in_wait
from station.services.accounts import settle_staged_key_file
from station.services.station import SYSTEM_OPERATOR, ServiceError, Station
from station.settings import Settings, SettingsError
from station.storage import Store, StoreError, WrongKeyError
from station.storage.audit_chain import AuditVerification, verify_audit_chain
from station.storage.destroy import shred
from station.storage.files import temporary_path
from station.storage.keys import (
    RECOVERY,
    key_file_path,
    name_key,
    staged_key_path,
    wipe,
    write_key_file,
)
from station.storage.signins import (
    after_sign_in,
    note_failed_sign_in,
    pending_path,
    read_failed_sign_ins,
)

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


class SignInThrottledError(StoreError):
    """Too many wrong passwords lately: the next try must wait (R12)."""

    def __init__(self, message: str, wait_seconds: int) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


_SETTINGS_SNAPSHOT = "settings_snapshot"


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


ModelsFactory = Callable[[], BiometricModels]


@dataclass(frozen=True)
class NewStation:
    station: Station
    recovery_key: str  # shown once to the first administrator; kept nowhere (R12)


def create_station(
    path: Path,
    admin_name: str,
    password: str,
    settings: Settings,
    clock: Clock | None = None,
    models: ModelsFactory = BiometricModels,
) -> NewStation:
    store, recovery_key = Store.create(path, admin_name, password, settings.store)
    station = _signed_in(store, admin_name, password, settings, clock, models)
    return NewStation(station, recovery_key)


def open_station(
    path: Path,
    name: str,
    password: str,
    settings: Settings,
    clock: Clock | None = None,
    models: ModelsFactory = BiometricModels,
) -> Station:
    """Sign in with an operator's name and password (their key slot), throttled after a few
    failures; a failure is noted beside the store and audited at the next sign-in (R12)."""
    path = Path(path)
    now = (clock or SystemClock()).now()
    failures = read_failed_sign_ins(path)
    wait = sign_in_wait(
        [f.at for f in failures if name_key(f.operator) == name_key(name)],
        [f.at for f in failures],
        now,
    )
    if wait > timedelta(0):
        seconds = ceil(wait.total_seconds())
        raise SignInThrottledError(
            f"Too many wrong passwords: wait {seconds} s, then try again.", seconds
        )
    try:
        store = Store.open(path, name, password)
    except WrongKeyError:
        note_failed_sign_in(path, name, now)
        raise
    return _signed_in(store, name, password, settings, clock, models)


def _signed_in(
    store: Store,
    name: str,
    password: str,
    settings: Settings,
    clock: Clock | None,
    models: ModelsFactory,
) -> Station:
    try:
        station = Station(store, settings, clock, models)
    except SettingsError as exc:
        store.close()
        raise ServiceError(f"The settings saved in the store cannot be used: {exc}") from exc
    except BaseException:
        store.close()
        raise
    # A key change cut short by a kill is settled from the audit trail first; the password
    # must open the key file in force afterwards (not a superseded or an abandoned one).
    settled = settle_staged_key_file(station)
    in_force = settled is None or settled == store.opened_with_staged_key
    if not in_force:
        try:
            wipe(store.key_file().unlock(name, password))
            in_force = True
        except WrongKeyError:
            in_force = False
    account = station.repo.operator_account(name)
    if account is None or not account.active or not in_force:
        # A slot without an account (a removal or an addition cut short): not a way in.
        station.close()
        note_failed_sign_in(store.path, name, station.clock.now())
        raise WrongKeyError(
            "Wrong operator name or password: the store was not opened and nothing changed."
        )
    station.signed_in = Operator(account.display_name, account.role)
    Administration(station).start_up(account.display_name)
    return station


class Administration:
    def __init__(self, station: Station) -> None:
        self.station = station
        self.repo = station.repo
        self.store = station.store

    def start_up(self, operator: str) -> StartUpReport:
        """At every sign-in: audit the sign-in and the failed ones before it, note settings changed
        in the file since last time, destroy expired templates (R14) and prune old records (R17)."""
        station = self.station
        now = station.clock.now()
        failed = [entry for entry in read_failed_sign_ins(self.store.path) if not entry.audited]
        with self.store.transaction():
            for entry in failed:
                self.repo.append_audit(
                    "sign_in_failed",
                    entry.operator,
                    now,
                    None,
                    {"attempted_at": entry.at.isoformat(), "reason": "wrong password"},
                )
            self.repo.append_audit("sign_in", operator, now)
            self._audit_settings_file_changes(now)
        after_sign_in(self.store.path, operator, now)
        self._drop_orphan_slots()
        return StartUpReport(len(failed), self.purge_expired(), self.prune_records())

    def _drop_orphan_slots(self) -> None:
        """A key slot whose account was removed, or whose addition was cut short before the
        account was committed, is destroyed: only active accounts can open the store."""
        key_file = self.store.key_file()
        active = {
            key_file.label(account.name)
            for account in self.repo.operator_accounts()
            if account.active
        }
        kept = tuple(s for s in key_file.slots if s.kind == RECOVERY or s.label in active)
        if len(kept) != len(key_file.slots):
            write_key_file(self.store.key_path, replace(key_file, slots=kept))

    def _audit_settings_file_changes(self, now: datetime) -> None:
        snapshot = self.station.settings.as_mapping()
        previous = self.repo.meta_value(_SETTINGS_SNAPSHOT)
        if previous is not None:
            changes = _differences(json.loads(previous), snapshot)
            if changes:
                self.repo.append_audit(
                    "settings_changed",
                    SYSTEM_OPERATOR,
                    now,
                    None,
                    {"source": "settings file", "changes": changes},
                )
        self.repo.set_meta_value(_SETTINGS_SNAPSHOT, json.dumps(snapshot, sort_keys=True))

    # settings and the notice
    def update_settings(
        self, changes: Mapping[str, Mapping[str, Any]], operator: str
    ) -> SettingsChange:
        self.station.authorize(Permission.ADMINISTER)
        station = self.station
        for section, values in changes.items():
            allowed = EDITABLE_SETTINGS.get(section, frozenset())
            refused = sorted(set(values) - allowed)
            if refused:
                raise ServiceError(
                    f"These settings cannot be changed from the station: "
                    f"{', '.join(f'{section}.{key}' for key in refused)}."
                )
        old = station.settings
        try:
            new = old.updated(changes, "the new settings")
        except SettingsError as exc:
            raise ServiceError(str(exc)) from exc
        differences = _differences(old.as_mapping(), new.as_mapping())
        if not differences:
            return SettingsChange({}, None, station.notice, False)
        old_notice = station.notice
        now = station.clock.now()
        try:
            with self.store.transaction():
                for dotted in differences:
                    section, key = dotted.split(".")
                    self.repo.set_setting_override(
                        section, key, getattr(getattr(new, section), key)
                    )
                event = self.repo.append_audit(
                    "settings_changed",
                    operator,
                    now,
                    None,
                    {"source": "administrator", "changes": differences},
                )
                self.repo.set_meta_value(
                    _SETTINGS_SNAPSHOT, json.dumps(new.as_mapping(), sort_keys=True)
                )
                station.settings = new
                notice = station.publish_notice_if_changed(operator)
        except BaseException:
            station.settings, station.notice = old, old_notice
            raise
        return SettingsChange(
            {dotted: (values[0], values[1]) for dotted, values in differences.items()},
            event,
            notice,
            notice.version != old_notice.version,
        )

    def publish_notice(self, operator: str) -> PublishedNotice:
        """Publish a new version even if the words did not change: everyone is asked again (R3)."""
        self.station.authorize(Permission.ADMINISTER)
        return self.station.publish_notice_if_changed(operator, force=True)

    # retention (R14) and records (R17)
    def purge_expired(self, operator: str = SYSTEM_OPERATOR) -> PurgeOutcome:
        station = self.station
        now = station.clock.now()
        retention = station.settings.store.retention_days
        due = self.repo.expired_templates(now, now - timedelta(days=retention))
        if not due:
            return PurgeOutcome(0, False)
        events: list[AuditEvent] = []
        with self.store.transaction():
            for subject_id, _template_id in due:
                self.repo.destroy_template(subject_id)
                events.append(
                    self.repo.append_audit(
                        "template_expired",
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
            self.store.execute("VACUUM")
        return PurgeOutcome(len(due), vacuumed, events)

    def prune_records(self, operator: str = SYSTEM_OPERATOR) -> PruneOutcome | None:
        """Audit events older than the records' retention (at least 3 years, R17) are deleted,
        and the deletion itself is recorded; the chain stays verifiable from its new start."""
        now = self.station.clock.now()
        cutoff = now - timedelta(days=self.station.settings.policy.record_retention_days)
        with self.store.transaction():
            pruned = self.repo.prune_audit_before(cutoff)
            if pruned is None:
                return None
            count, first, last = pruned
            event = self.repo.append_audit(
                "records_pruned",
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
        self.station.authorize(Permission.READ_AUDIT)
        result = verify_audit_chain(self.repo)
        with self.store.transaction():
            self.repo.append_audit(
                "audit_verified",
                operator,
                self.station.clock.now(),
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
        self.station.authorize(Permission.READ_AUDIT)
        return self.repo.recent_audit_events(limit)

    # decommission (R14)
    def decommission(self, confirmation: str, operator: str) -> DecommissionReport:
        self.station.authorize(Permission.ADMINISTER)
        if confirmation != DECOMMISSION_CONFIRMATION:
            raise ServiceError(
                f"To decommission, type {DECOMMISSION_CONFIRMATION} exactly. Nothing was destroyed."
            )
        station = self.station
        now = station.clock.now()
        subjects = self.repo.count_subjects()
        templates = self.repo.count_templates()
        path = self.store.path
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

    # face attempt limits per claimed identity (R24)
    def face_attempt_state(self, member_number: str) -> AttemptCheck:
        """Whether face may be tried for this person now, and the failures counted (subject page)."""
        self.station.authorize(Permission.DESK)
        subject = self._subject(member_number)
        # No liveness check exists yet (R23): the same limits verify_face applies.
        return check_attempt(
            self.repo.face_attempts(subject.id), self.station.clock.now(), liveness=False
        )

    def reenable_face(self, member_number: str, operator: str) -> AuditEvent:
        """An administrator lets face be tried again: the count starts from zero (R24)."""
        self.station.authorize(Permission.ADMINISTER)
        subject = self._subject(member_number)
        now = self.station.clock.now()
        with self.store.transaction():
            before = self.repo.face_attempts(subject.id)
            self.repo.set_face_attempts(subject.id, AttemptState())
            return self.repo.append_audit(
                "face_reenabled",
                operator,
                now,
                subject.id,
                {
                    "consecutive_failures": before.consecutive_failures,
                    "was_disabled": before.disabled_at is not None,
                },
            )

    def _subject(self, member_number: str) -> Subject:
        subject = self.station.find_subject(member_number)
        if subject is None:
            raise ServiceError(f"No member {member_number}.")
        return subject


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
