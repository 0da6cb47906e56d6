"""Operator accounts and their key slots (R12).

Adding an account seals the data key for the new password, which needs the data key: the
administrator confirms with their own password, which opens their slot for the moment it takes.
Order matters for a crash: a new slot is written before its account is committed, and an account is
marked removed before its slot is deleted; at every sign-in a slot without an active account is
destroyed (Administration.start_up), so a kill at any point leaves no way in that should not exist.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from station.domain import (
    KEY_CHANGES,
    MIN_PASSWORD_LENGTH,
    AuditKind,
    OperatorAccount,
    Permission,
    RefusalCode,
    Role,
    ServiceError,
)
from station.domain.text import TextField
from station.policy.identifiers import clean_text
from station.storage import Repositories, Store, WeakPasswordError, WrongKeyError
from station.storage.keys import (
    KeyFile,
    check_password,
    name_key,
    staged_key_path,
    wipe,
    write_key_file,
)

if TYPE_CHECKING:
    from station.services.station import Station


class Accounts:
    def __init__(self, station: Station) -> None:
        self._station = station

    def list_operators(self) -> list[OperatorAccount]:
        self._station.authorize(Permission.ADMINISTER)
        return self._station.repos.operators.accounts()

    def add_operator(
        self, name: str, role: Role, password: str, admin: str, admin_password: str
    ) -> OperatorAccount:
        station = self._station
        station.authorize(Permission.ADMINISTER)
        if not name_key(name):
            raise ServiceError(RefusalCode.OPERATOR_NAME_MISSING, "An operator needs a name.")
        check_operator_name(name)
        existing = station.repos.operators.account(name)
        if existing is not None and existing.active:
            raise ServiceError(
                RefusalCode.OPERATOR_EXISTS,
                f"There is already an operator called {existing.display_name}.",
                operator=existing.display_name,
            )
        check_new_password(password)
        key_file = self._with_slot(name, password, admin, admin_password)
        write_key_file(station.store.key_path, key_file)
        now = station.clock.now()
        with station.store.transaction():
            account = station.repos.operators.add(name, role, admin, now)
            station.repos.audit.append(
                AuditKind.OPERATOR_ADDED,
                admin,
                now,
                None,
                {"operator": account.display_name, "role": role.value},
            )
        return account

    def change_own_password(self, name: str, old_password: str, new_password: str) -> None:
        """Any signed-in operator, for their own account only."""
        station = self._station
        if name_key(station.signed_in.name) != name_key(name):
            raise ServiceError(
                RefusalCode.NOT_OWN_ACCOUNT, "You can only change your own password here."
            )
        check_new_password(new_password)
        key_file = self._with_slot(name, new_password, name, old_password)
        commit_key_change(station, key_file, AuditKind.PASSWORD_CHANGED, name, {"operator": name})

    def reset_password(self, name: str, new_password: str, admin: str, admin_password: str) -> None:
        """An administrator sets a new password for another operator (who forgot theirs)."""
        self._station.authorize(Permission.ADMINISTER)
        account = self._active(name)
        check_new_password(new_password)
        key_file = self._with_slot(account.display_name, new_password, admin, admin_password)
        commit_key_change(
            self._station,
            key_file,
            AuditKind.PASSWORD_RESET,
            admin,
            {"operator": account.display_name},
        )

    def remove_operator(self, name: str, admin: str) -> None:
        """The account is marked removed, then its key slot is destroyed: no re-encryption."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        account = self._active(name)
        if name_key(account.name) == name_key(admin):
            raise ServiceError(
                RefusalCode.CANNOT_REMOVE_SELF, "You cannot remove your own account."
            )
        administrators = [
            a
            for a in station.repos.operators.accounts()
            if a.active and a.role is Role.ADMINISTRATOR
        ]
        if account.role is Role.ADMINISTRATOR and len(administrators) <= 1:
            raise ServiceError(
                RefusalCode.LAST_ADMINISTRATOR, "The last administrator cannot be removed."
            )
        now = station.clock.now()
        with station.store.transaction():
            station.repos.operators.remove(account.name, now)
            station.repos.audit.append(
                AuditKind.OPERATOR_REMOVED, admin, now, None, {"operator": account.display_name}
            )
        store = station.store
        write_key_file(store.key_path, store.key_file().without_password_slot(account.name))

    def new_recovery_key(self, admin: str, admin_password: str) -> str:
        """Replace the recovery key (the old one stops working); shown once."""
        station = self._station
        station.authorize(Permission.ADMINISTER)
        key_file = station.store.key_file()
        data_key = unlock(key_file, admin, admin_password)
        try:
            key_file, recovery_key = key_file.with_recovery_slot(data_key, station.settings.store)
        finally:
            wipe(data_key)
        commit_key_change(
            station,
            key_file,
            AuditKind.RECOVERY_KEY_REPLACED,
            admin,
            {},
            new_recovery_key=recovery_key,
        )
        return recovery_key

    def _active(self, name: str) -> OperatorAccount:
        account = self._station.repos.operators.account(name)
        if account is None or not account.active:
            raise ServiceError(
                RefusalCode.NO_SUCH_OPERATOR, f"No operator called {name}.", operator=name
            )
        return account

    def _with_slot(self, name: str, password: str, opener: str, opener_password: str) -> KeyFile:
        store = self._station.store
        key_file = store.key_file()
        data_key = unlock(key_file, opener, opener_password)
        try:
            return key_file.with_password_slot(
                name, password, data_key, self._station.settings.store
            )
        finally:
            wipe(data_key)


def commit_key_change(
    station: Station,
    key_file: KeyFile,
    kind: AuditKind,
    operator: str,
    detail: dict[str, Any],
    new_recovery_key: str | None = None,
) -> None:
    """A changed key file takes effect together with its audit event: staged first, the event
    (naming the staged file's hash) committed, then promoted. A kill before the commit leaves the
    old file in force; after it, the next sign-in promotes the staged one (settle_staged_key_file).
    A new recovery key starts a new epoch of keyed audit links in the same transaction."""
    assert kind in KEY_CHANGES
    digest = station.store.stage_key_change(key_file)
    with station.store.transaction():
        station.repos.audit.append(
            kind, operator, station.clock.now(), None, {**detail, "key_file_sha256": digest}
        )
        if new_recovery_key is not None:
            station.repos.audit.start_links(new_recovery_key)
    station.store.promote_key_change()


def settle_staged_key_file(store: Store) -> bool | None:
    """After a kill between staging a key change and promoting it: promote it when its audit
    event was committed, discard it otherwise. None when there was nothing to settle."""
    staged = staged_key_path(store.key_path)
    if not staged.exists():
        return None
    digest = hashlib.sha256(staged.read_bytes()).hexdigest()
    committed = any(
        event.kind in KEY_CHANGES and event.detail.get("key_file_sha256") == digest
        for event in Repositories(store).audit.recent(50)
    )
    if committed:
        store.promote_key_change()
    else:
        staged.unlink()
    return committed


def unlock(key_file: KeyFile, name: str, password: str) -> bytearray:
    """The data key from `name`'s slot, or the refusal an administrator's wrong password gets."""
    try:
        return key_file.unlock(name, password)
    except WrongKeyError:
        raise ServiceError(
            RefusalCode.WRONG_PASSWORD, "Your password is not right: nothing was changed."
        ) from None


def check_operator_name(name: str) -> None:
    """R12, issue 16: an operator's name is printed in the audit trail, so it is bounded and has no
    hidden characters. It is checked, not rewritten: name_key keys the slot and the account by the
    name as typed, and the keys of operators already stored must not change."""
    clean_text(name, TextField.OPERATOR_NAME)


def check_new_password(password: str) -> None:
    try:
        check_password(password)
    except WeakPasswordError as exc:
        raise ServiceError(
            RefusalCode.WEAK_PASSWORD, str(exc), minimum=MIN_PASSWORD_LENGTH
        ) from exc
