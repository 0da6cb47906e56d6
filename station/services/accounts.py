"""Operator accounts and their key slots (R12).

Adding an account seals the data key for the new password, which needs the data key: the
administrator confirms with their own password, which opens their slot for the moment it takes.
Order matters for a crash: a new slot is written before its account is committed, and an account is
marked removed before its slot is deleted; at every sign-in a slot without an active account is
destroyed (Administration.start_up), so a kill at any point leaves no way in that should not exist.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from station.domain import OperatorAccount, Role
from station.policy.roles import Permission
from station.services.station import SYSTEM_OPERATOR, ServiceError, Station
from station.settings import Settings
from station.storage import Store, StoreError, WrongKeyError
from station.storage.keys import (
    KeyFile,
    check_password,
    name_key,
    staged_key_path,
    wipe,
    write_key_file,
)


class Accounts:
    def __init__(self, station: Station) -> None:
        self.station = station
        self.repo = station.repo
        self.store = station.store

    def list_operators(self) -> list[OperatorAccount]:
        self.station.authorize(Permission.ADMINISTER)
        return self.repo.operator_accounts()

    def add_operator(
        self, name: str, role: Role, password: str, admin: str, admin_password: str
    ) -> OperatorAccount:
        self.station.authorize(Permission.ADMINISTER)
        if not name_key(name):
            raise ServiceError("An operator needs a name.")
        existing = self.repo.operator_account(name)
        if existing is not None and existing.active:
            raise ServiceError(f"There is already an operator called {existing.display_name}.")
        _check_new_password(password)
        key_file = self._with_slot(name, password, admin, admin_password)
        write_key_file(self.store.key_path, key_file)
        now = self.station.clock.now()
        with self.store.transaction():
            account = self.repo.add_operator_account(name, role, admin, now)
            self.repo.append_audit(
                "operator_added",
                admin,
                now,
                None,
                {"operator": account.display_name, "role": role.value},
            )
        return account

    def change_own_password(self, name: str, old_password: str, new_password: str) -> None:
        """Any signed-in operator, for their own account only."""
        signed_in = self.station.signed_in
        if signed_in is not None and name_key(signed_in.name) != name_key(name):
            raise ServiceError("You can only change your own password here.")
        _check_new_password(new_password)
        key_file = self._with_slot(name, new_password, name, old_password)
        commit_key_change(self.station, key_file, "password_changed", name, {"operator": name})

    def reset_password(self, name: str, new_password: str, admin: str, admin_password: str) -> None:
        """An administrator sets a new password for another operator (who forgot theirs)."""
        self.station.authorize(Permission.ADMINISTER)
        account = self._active(name)
        _check_new_password(new_password)
        key_file = self._with_slot(account.display_name, new_password, admin, admin_password)
        commit_key_change(
            self.station, key_file, "password_reset", admin, {"operator": account.display_name}
        )

    def remove_operator(self, name: str, admin: str) -> None:
        """The account is marked removed, then its key slot is destroyed: no re-encryption."""
        self.station.authorize(Permission.ADMINISTER)
        account = self._active(name)
        if name_key(account.name) == name_key(admin):
            raise ServiceError("You cannot remove your own account.")
        administrators = [
            a for a in self.repo.operator_accounts() if a.active and a.role is Role.ADMINISTRATOR
        ]
        if account.role is Role.ADMINISTRATOR and len(administrators) <= 1:
            raise ServiceError("The last administrator cannot be removed.")
        now = self.station.clock.now()
        with self.store.transaction():
            self.repo.remove_operator_account(account.name, now)
            self.repo.append_audit(
                "operator_removed", admin, now, None, {"operator": account.display_name}
            )
        write_key_file(
            self.store.key_path, self.store.key_file().without_password_slot(account.name)
        )

    def new_recovery_key(self, admin: str, admin_password: str) -> str:
        """Replace the recovery key (the old one stops working); shown once."""
        self.station.authorize(Permission.ADMINISTER)
        key_file = self.store.key_file()
        data_key = _unlock(key_file, admin, admin_password)
        try:
            key_file, recovery_key = key_file.with_recovery_slot(
                data_key, self.station.settings.store
            )
        finally:
            wipe(data_key)
        commit_key_change(self.station, key_file, "recovery_key_replaced", admin, {})
        return recovery_key

    def _active(self, name: str) -> OperatorAccount:
        account = self.repo.operator_account(name)
        if account is None or not account.active:
            raise ServiceError(f"No operator called {name}.")
        return account

    def _with_slot(self, name: str, password: str, opener: str, opener_password: str) -> KeyFile:
        key_file = self.store.key_file()
        data_key = _unlock(key_file, opener, opener_password)
        try:
            return key_file.with_password_slot(
                name, password, data_key, self.station.settings.store
            )
        finally:
            wipe(data_key)


def reset_with_recovery_key(
    path: Path, recovery_key: str, admin_name: str, new_password: str, settings: Settings
) -> None:
    """A forgotten administrator password: the recovery key opens the store, and a new slot is
    sealed for that administrator. Audited in the store."""
    _check_new_password(new_password)
    store = Store.open_with_recovery(path, recovery_key)
    try:
        station = Station(store, settings)
        account = station.repo.operator_account(admin_name)
        if account is None or not account.active or account.role is not Role.ADMINISTRATOR:
            raise ServiceError(f"{admin_name} is not an administrator of this station.")
        key_file = store.key_file()
        data_key = key_file.unlock_with_recovery(recovery_key)
        try:
            key_file = key_file.with_password_slot(
                account.display_name, new_password, data_key, settings.store
            )
        finally:
            wipe(data_key)
        commit_key_change(
            station,
            key_file,
            "password_reset",
            SYSTEM_OPERATOR,
            {"operator": account.display_name, "with": "recovery key"},
        )
    finally:
        store.close()


KEY_CHANGES = ("password_changed", "password_reset", "recovery_key_replaced")


def commit_key_change(
    station: Station, key_file: KeyFile, kind: str, operator: str, detail: dict[str, str]
) -> None:
    """A changed key file takes effect together with its audit event: staged first, the event
    (naming the staged file's hash) committed, then promoted. A kill before the commit leaves the
    old file in force; after it, the next sign-in promotes the staged one (settle_staged_key_file)."""
    assert kind in KEY_CHANGES
    digest = station.store.stage_key_change(key_file)
    with station.store.transaction():
        station.repo.append_audit(
            kind, operator, station.clock.now(), None, {**detail, "key_file_sha256": digest}
        )
    station.store.promote_key_change()


def settle_staged_key_file(station: Station) -> bool | None:
    """After a kill between staging a key change and promoting it: promote it when its audit
    event was committed, discard it otherwise. None when there was nothing to settle."""
    staged = staged_key_path(station.store.key_path)
    if not staged.exists():
        return None
    digest = hashlib.sha256(staged.read_bytes()).hexdigest()
    committed = any(
        event.kind in KEY_CHANGES and event.detail.get("key_file_sha256") == digest
        for event in station.repo.recent_audit_events(50)
    )
    if committed:
        station.store.promote_key_change()
    else:
        staged.unlink()
    return committed


def _unlock(key_file: KeyFile, name: str, password: str) -> bytearray:
    try:
        return key_file.unlock(name, password)
    except WrongKeyError:
        raise ServiceError("Your password is not right: nothing was changed.") from None


def _check_new_password(password: str) -> None:
    try:
        check_password(password)
    except StoreError as exc:
        raise ServiceError(str(exc)) from exc
