"""The station's door: create a store with its first administrator, sign in with a name and a
password (throttled after wrong ones, R12), or set a forgotten administrator password with the
recovery key. Each returns a signed-in Station or opens nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from math import ceil
from pathlib import Path

from station.biometrics.pipeline import BiometricModels
from station.clock import Clock, SystemClock
from station.domain import (
    SYSTEM_OPERATOR,
    AuditKind,
    RefusalCode,
    Role,
    ServiceError,
    StoreError,
    StoreProblem,
)
from station.policy.signin import sign_in_wait
from station.services.accounts import (
    check_new_password,
    check_operator_name,
    commit_key_change,
    settle_staged_key_file,
)
from station.services.station import ModelsFactory, Station
from station.settings import Settings, SettingsError
from station.storage import Repositories, Store, WrongKeyError
from station.storage.keys import KeyFileError, key_file_path, read_key_file, wipe
from station.storage.signins import note_failed_sign_in, read_failed_sign_ins


class SignInThrottledError(StoreError):
    """Too many wrong passwords lately: the next try must wait (R12)."""

    problem = StoreProblem.SIGN_IN_THROTTLED

    def __init__(self, message: str, wait_seconds: int) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


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
    check_operator_name(admin_name)
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
    failures; a failure is noted beside the store, under a pseudonym of the name, and audited at
    the next sign-in (R12)."""
    path = Path(path)
    now = (clock or SystemClock()).now()
    try:
        label = read_key_file(key_file_path(path)).label
    except KeyFileError:
        # No key file, so nothing to guess at: Store.open names what is missing or damaged.
        return _signed_in(Store.open(path, name, password), name, password, settings, clock, models)
    failures = read_failed_sign_ins(path, label)
    wait = sign_in_wait(
        [f.at for f in failures if f.label == label(name)], [f.at for f in failures], now
    )
    if wait > timedelta(0):
        seconds = ceil(wait.total_seconds())
        raise SignInThrottledError(
            f"Too many wrong passwords: wait {seconds} s, then try again.", seconds
        )
    try:
        store = Store.open(path, name, password)
    except WrongKeyError:
        note_failed_sign_in(path, label(name), now)
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
        # A key change cut short by a kill is settled from the audit trail first; the password
        # must open the key file in force afterwards (not a superseded or an abandoned one).
        settled = settle_staged_key_file(store)
        in_force = settled is None or settled == store.opened_with_staged_key
        if not in_force:
            try:
                wipe(store.key_file().unlock(name, password))
                in_force = True
            except WrongKeyError:
                in_force = False
        account = Repositories(store).operators.account(name)
        if account is None or not account.active or not in_force:
            # A slot without an account (a removal or an addition cut short): not a way in.
            note_failed_sign_in(
                store.path, store.key_file().label(name), (clock or SystemClock()).now()
            )
            raise WrongKeyError(
                "Wrong operator name or password: the store was not opened and nothing changed."
            )
        station = Station(store, name, settings, clock, models)
    except SettingsError as exc:
        store.close()
        raise ServiceError(
            RefusalCode.SETTINGS_UNUSABLE,
            f"The station's settings cannot be used ({exc}); an administrator can correct them "
            "by signing in with --settings and a file that sets an allowed value.",
            problem=exc,
        ) from exc
    except BaseException:
        store.close()
        raise
    station.administration.start_up(station.signed_in.name)
    return station


def reset_with_recovery_key(
    path: Path, recovery_key: str, admin_name: str, new_password: str, settings: Settings
) -> None:
    """A forgotten administrator password: the recovery key opens the store, and a new slot is
    sealed for that administrator. Audited in the store."""
    check_new_password(new_password)
    store = Store.open_with_recovery(path, recovery_key)
    try:
        account = Repositories(store).operators.account(admin_name)
        if account is None or not account.active or account.role is not Role.ADMINISTRATOR:
            raise ServiceError(
                RefusalCode.NOT_AN_ADMINISTRATOR,
                f"{admin_name} is not an administrator of this station.",
                operator=admin_name,
            )
        station = Station(store, account.name, settings)
        key_file = store.key_file()
        data_key = key_file.unlock_with_recovery(recovery_key)
        try:
            key_file = key_file.with_password_slot(
                account.display_name, new_password, data_key, station.settings.store
            )
        finally:
            wipe(data_key)
        commit_key_change(
            station,
            key_file,
            AuditKind.PASSWORD_RESET,
            SYSTEM_OPERATOR,
            {"operator": account.display_name, "with": "recovery key"},
        )
    finally:
        store.close()


@dataclass(frozen=True)
class StationOpener:
    """The door as the window uses it: one store path and settings, and the models every station
    it opens will load (in a child process for the window, keeping it responsive); and their
    clock, the system's unless a test moves time itself."""

    path: Path
    settings: Settings
    models: ModelsFactory = BiometricModels
    clock: Clock | None = None

    @property
    def store_exists(self) -> bool:
        return Path(self.path).exists()

    def create(self, admin_name: str, password: str) -> NewStation:
        return create_station(
            self.path, admin_name, password, self.settings, self.clock, self.models
        )

    def sign_in(self, name: str, password: str) -> Station:
        return open_station(self.path, name, password, self.settings, self.clock, self.models)

    def reset_with_recovery_key(self, recovery_key: str, admin_name: str, password: str) -> None:
        reset_with_recovery_key(self.path, recovery_key, admin_name, password, self.settings)
