"""Operator accounts, roles and key slots (R12): a random data key sealed per operator and for a
recovery key; password changes and removals never re-encrypt the store; roles are checked in the
services; sign-in is throttled. Real SQLCipher stores, an injected clock."""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from station.domain import (
    AuditEvent,
    AuditKind,
    NotAllowedError,
    Operator,
    Permission,
    Role,
    ServiceError,
)
from station.policy.roles import allowed
from station.services import Station
from station.services.opening import (
    SignInThrottledError,
    create_station,
    open_station,
    reset_with_recovery_key,
)
from station.storage import CorruptStoreError, KeyFileError, Store, WrongKeyError
from station.storage.keys import (
    format_recovery_key,
    key_file_path,
    parse_key_file,
    parse_recovery_key,
    read_key_file,
)
from station.storage.store import ForeignStoreError
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    FAST_KDF,
    STORE_SECRET,
    FrozenClock,
    fast_settings,
    run_cli,
    share_of_examples,
)

SETTINGS = fast_settings()
DESK_PASSWORD = "desk two password"


@pytest.fixture
def made(tmp_path: Path, frozen_clock: FrozenClock) -> Iterator[tuple[Station, str]]:
    """A station made the way the window makes one: its administrator signed in."""
    created = create_station(tmp_path / "station.db", ADMIN, STORE_SECRET, SETTINGS, frozen_clock)
    yield created.station, created.recovery_key
    created.station.store.close()


def _sign_in(path: Path, name: str, password: str, clock: FrozenClock) -> Station:
    return open_station(path, name, password, SETTINGS, clock)


def _also_signed_in(station: Station, name: str, role: Role) -> Station:
    """A second desk on the same store: `name` gets an account with `role` and signs in to it."""
    station.accounts.add_operator(name, role, DESK_PASSWORD, ADMIN, STORE_SECRET)
    return Station(station.store, name, SETTINGS, station.clock)


def _db_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_r12_the_data_key_is_random_and_only_sealed_in_the_key_file(
    made: tuple[Station, str], tmp_path: Path
) -> None:
    station, recovery_key = made
    path = station.store.path
    key_file = read_key_file(key_file_path(path))
    data_key = bytes(key_file.unlock(ADMIN, STORE_SECRET))
    raw = key_file_path(path).read_bytes()
    assert data_key.hex() not in raw.decode() and data_key not in raw
    assert STORE_SECRET not in raw.decode() and ADMIN not in raw.decode()  # names are HMACs
    assert [slot.kind for slot in key_file.slots] == ["password", "recovery"]
    assert bytes(key_file.unlock_with_recovery(recovery_key)) == data_key
    other = create_station(tmp_path / "other" / "station.db", ADMIN, STORE_SECRET, SETTINGS)
    other_key = read_key_file(key_file_path(other.station.store.path)).unlock(ADMIN, STORE_SECRET)
    other.station.close()
    assert bytes(other_key) != data_key  # not derived from the password: random per station
    assert station.signed_in == Operator(ADMIN, Role.ADMINISTRATOR)


def test_r12_each_operator_has_a_slot_and_changing_a_password_never_re_encrypts(
    made: tuple[Station, str], frozen_clock: FrozenClock
) -> None:
    station, _ = made
    path = station.store.path
    accounts = station.accounts
    with pytest.raises(ServiceError, match="password is not right"):
        accounts.add_operator("Desk Two", Role.OPERATOR, DESK_PASSWORD, ADMIN, "wrong password")
    accounts.add_operator("Desk Two", Role.OPERATOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    station.store.close()
    before = _db_digest(path)

    desk = _sign_in(path, "desk two", DESK_PASSWORD, frozen_clock)  # names: any case or spacing
    assert desk.signed_in == Operator("Desk Two", Role.OPERATOR)
    desk.accounts.change_own_password("Desk Two", DESK_PASSWORD, "a brand new secret")
    with pytest.raises(ServiceError, match="your own password"):
        desk.accounts.change_own_password(ADMIN, STORE_SECRET, "taking over the admin")
    desk.close()
    with pytest.raises(WrongKeyError):
        _sign_in(path, "Desk Two", DESK_PASSWORD, frozen_clock)
    _sign_in(path, "Desk Two", "a brand new secret", frozen_clock).close()
    _sign_in(path, ADMIN, STORE_SECRET, frozen_clock).close()
    # Sign-ins wrote audit events, so the file changed; what must not change is the key it is
    # encrypted with: the admin's unchanged slot still opens it, and the slot count is 3.
    assert len(read_key_file(key_file_path(path)).slots) == 3
    assert before != _db_digest(path)


def test_r12_removing_an_operator_destroys_their_slot(
    made: tuple[Station, str], frozen_clock: FrozenClock
) -> None:
    station, _ = made
    path = station.store.path
    accounts = station.accounts
    accounts.add_operator("Desk Two", Role.OPERATOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    slots = len(read_key_file(key_file_path(path)).slots)
    with pytest.raises(ServiceError, match="your own account"):
        accounts.remove_operator(ADMIN, ADMIN)
    accounts.remove_operator("Desk Two", ADMIN)
    key_file = read_key_file(key_file_path(path))
    assert len(key_file.slots) == slots - 1 and key_file.slot_for("Desk Two") is None
    station.store.close()
    with pytest.raises(WrongKeyError, match="Wrong operator name or password"):
        _sign_in(path, "Desk Two", DESK_PASSWORD, frozen_clock)
    admin = _sign_in(path, ADMIN, STORE_SECRET, frozen_clock)
    kinds = [event.kind for event in admin.repos.audit.events()]
    assert "operator_added" in kinds and "operator_removed" in kinds
    listed = {a.display_name: a.active for a in admin.accounts.list_operators()}
    assert listed == {ADMIN: True, "Desk Two": False}
    admin.close()


def test_r12_a_station_acts_only_for_an_active_account(made: tuple[Station, str]) -> None:
    """No station acts with every right: it is built for an operator the store knows, with that
    operator's role (issue 9)."""
    station, _ = made
    with pytest.raises(WrongKeyError):
        Station(station.store, "Nobody", SETTINGS, station.clock)
    station.accounts.add_operator("Gone", Role.OPERATOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    assert Station(station.store, "gone", SETTINGS, station.clock).signed_in == Operator(
        "Gone", Role.OPERATOR
    )
    station.accounts.remove_operator("Gone", ADMIN)
    with pytest.raises(WrongKeyError):
        Station(station.store, "Gone", SETTINGS, station.clock)


def test_r12_the_last_administrator_cannot_be_removed(made: tuple[Station, str]) -> None:
    station, _ = made
    accounts = station.accounts
    accounts.add_operator("Second Admin", Role.ADMINISTRATOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    accounts.remove_operator("Second Admin", ADMIN)
    # Someone, still signed in at another desk after ADMIN removed their account, cannot remove
    # the last administrator left.
    someone = _also_signed_in(station, "Someone", Role.ADMINISTRATOR)
    accounts.remove_operator("Someone", ADMIN)
    with pytest.raises(ServiceError, match="last administrator"):
        someone.accounts.remove_operator(ADMIN, "Someone")


@pytest.mark.parametrize(
    ("role", "may"),
    [
        (Role.OPERATOR, {Permission.DESK}),
        (Role.AUDITOR, {Permission.READ_AUDIT, Permission.READ_REPORTS}),
        (Role.ADMINISTRATOR, set(Permission)),
    ],
)
def test_r12_the_role_table(role: Role, may: set[Permission]) -> None:
    assert {p for p in Permission if allowed(role, p)} == may


def test_r12_roles_are_checked_in_the_services_and_refusals_audited(
    made: tuple[Station, str],
) -> None:
    station, _ = made
    station.subjects.register("M-1", "Li Na", ADULT_BIRTH, ADMIN)
    desk = _also_signed_in(station, "Desk", Role.OPERATOR)
    reader = _also_signed_in(station, "Reader", Role.AUDITOR)
    with pytest.raises(NotAllowedError, match="operator"):
        desk.configuration.update({"store": {"retention_days": 30}}, "Desk")
    with pytest.raises(NotAllowedError):
        desk.accounts.list_operators()
    with pytest.raises(NotAllowedError):
        desk.administration.verify_audit("Desk")
    desk.subjects.set_pin("M-1", "135792", "Desk")  # the desk's own work is allowed

    assert reader.administration.verify_audit("Reader").ok
    with pytest.raises(NotAllowedError):
        reader.subjects.register("M-2", "Wang Fang", ADULT_BIRTH, "Reader")
    with pytest.raises(NotAllowedError):
        reader.verification.pin("M-1", "135792", "Reader")
    denied = [e for e in station.repos.audit.events() if e.kind == "access_denied"]
    assert [(e.operator, e.detail["permission"]) for e in denied] == [
        ("Desk", "administer"),
        ("Desk", "administer"),
        ("Desk", "read_audit"),
        ("Reader", "desk"),
        ("Reader", "desk"),
    ]
    assert station.settings.store.retention_days == 365  # nothing changed


def test_r12_sign_in_is_throttled_after_wrong_passwords(
    made: tuple[Station, str], frozen_clock: FrozenClock
) -> None:
    station, _ = made
    path = station.store.path
    station.store.close()
    for _ in range(3):
        with pytest.raises(WrongKeyError):
            _sign_in(path, ADMIN, "not the password", frozen_clock)
    with pytest.raises(SignInThrottledError, match="wait 5 s") as waiting:
        _sign_in(path, ADMIN, STORE_SECRET, frozen_clock)  # even the right one waits
    assert waiting.value.wait_seconds == 5
    frozen_clock.advance(timedelta(seconds=5))
    with pytest.raises(WrongKeyError):
        _sign_in(path, ADMIN, "still not it", frozen_clock)
    with pytest.raises(SignInThrottledError, match="wait 10 s"):  # the wait doubles
        _sign_in(path, ADMIN, STORE_SECRET, frozen_clock)
    frozen_clock.advance(timedelta(seconds=10))
    _sign_in(path, ADMIN, STORE_SECRET, frozen_clock).close()
    # A success clears that name's count: the next wrong password is free again.
    with pytest.raises(WrongKeyError):
        _sign_in(path, ADMIN, "typo", frozen_clock)
    _sign_in(path, ADMIN, STORE_SECRET, frozen_clock).close()


def test_r12_the_recovery_key_sets_a_forgotten_administrator_password(
    made: tuple[Station, str], frozen_clock: FrozenClock
) -> None:
    station, recovery_key = made
    path = station.store.path
    station.store.close()
    with pytest.raises(WrongKeyError, match="does not open this store"):
        reset_with_recovery_key(
            path, format_recovery_key(b"\x01" * 32), ADMIN, "new admin secret", SETTINGS
        )
    with pytest.raises(WrongKeyError, match="not a recovery key"):
        reset_with_recovery_key(path, "1234", ADMIN, "new admin secret", SETTINGS)
    reset_with_recovery_key(path, recovery_key.lower(), ADMIN, "new admin secret", SETTINGS)
    with pytest.raises(WrongKeyError):
        _sign_in(path, ADMIN, STORE_SECRET, frozen_clock)
    admin = _sign_in(path, ADMIN, "new admin secret", frozen_clock)
    reset = [e for e in admin.repos.audit.events() if e.kind == "password_reset"]
    assert reset and reset[-1].detail["with"] == "recovery key"
    new_key = admin.accounts.new_recovery_key(ADMIN, "new admin secret")
    admin.close()
    with pytest.raises(WrongKeyError):  # the old recovery key stopped working
        Store.open_with_recovery(path, recovery_key)
    Store.open_with_recovery(path, new_key).close()


def test_r12_a_store_file_from_another_station_is_told_apart_from_damage(
    made: tuple[Station, str], tmp_path: Path
) -> None:
    station, _ = made
    path = station.store.path
    station.store.close()
    other = create_station(tmp_path / "b" / "station.db", ADMIN, STORE_SECRET, SETTINGS)
    other.station.close()
    keep = path.read_bytes()
    shutil.copyfile(other.station.store.path, path)
    with pytest.raises(ForeignStoreError, match="does not belong to its key file"):
        Store.open(path, ADMIN, STORE_SECRET)
    path.write_bytes(keep[:16] + bytes(len(keep) - 16))  # its own salt, the rest destroyed
    with pytest.raises(CorruptStoreError, match="damaged"):
        Store.open(path, ADMIN, STORE_SECRET)


@share_of_examples(1.5)
@given(st.binary(max_size=600))
@example(b"[" * 100_000)  # json.loads raised RecursionError
def test_r12_fuzz_a_key_file_of_arbitrary_bytes_is_only_ever_a_key_file_error(data: bytes) -> None:
    with pytest.raises(KeyFileError):
        parse_key_file(data, Path("station.db.key.json"))


def _valid_key_file_fields(path: Path) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(key_file_path(path).read_text())
    return loaded


@share_of_examples(1.2)
@given(
    field=st.sampled_from(
        [
            "format",
            "label_salt",
            "store_salt",
            "slots",
            "id",
            "kind",
            "salt",
            "time_cost",
            "memory_kib",
            "parallelism",
            "nonce",
            "sealed",
        ]
    ),
    value=st.one_of(
        st.none(),
        st.integers(-5, 1 << 40),
        st.text(max_size=40),
        st.booleans(),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=3), st.integers()),
    ),
)
# Less than Argon2id's 8 KiB per lane: unlocking raised argon2's HashingError (in the decoy slot).
@example(
    field="slots",
    value=[
        {
            "id": "0",
            "kind": "password",
            "label": "someone else",
            "salt": "00" * 16,
            "time_cost": 1,
            "memory_kib": 8,
            "parallelism": 2,
            "nonce": "00" * 12,
            "sealed": "00" * 48,
        }
    ],
)
def test_r12_fuzz_a_key_file_with_one_field_mutated_is_refused_or_still_whole(
    field: str, value: object, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("keys")
    store, _ = Store.create(folder / "station.db", ADMIN, STORE_SECRET, FAST_KDF)
    store.close()
    fields = _valid_key_file_fields(folder / "station.db")
    slots = fields["slots"]
    assert isinstance(slots, list)
    target: dict[str, object] = fields if field in fields else slots[0]
    target[field] = value
    text = json.dumps(fields).encode()
    try:
        parsed = parse_key_file(text, Path("k"))
    except KeyFileError:
        return
    # Accepted: then it must still behave — open with the password or refuse in words.
    with contextlib.suppress(WrongKeyError):
        parsed.unlock(ADMIN, STORE_SECRET)


@given(st.binary(min_size=32, max_size=32))
def test_r12_property_recovery_keys_round_trip_in_any_case_and_spacing(raw: bytes) -> None:
    text = format_recovery_key(raw)
    assert len(text.replace("-", "")) == 52
    assert parse_recovery_key(text) == raw
    assert parse_recovery_key(" " + text.lower().replace("-", " ") + "\n") == raw


@given(st.text(max_size=80))
def test_r12_property_anything_else_is_not_a_recovery_key(text: str) -> None:
    try:
        raw = parse_recovery_key(text)
    except WrongKeyError:
        return
    assert len(raw) == 32


def test_r12_the_command_line_creates_accounts_and_shows_the_recovery_key_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FACE_STATION_HOME", str(tmp_path))
    monkeypatch.setenv("FACE_STATION_SECRET", STORE_SECRET)
    site = tmp_path / "site.toml"
    site.write_text("[store]\nkdf_time_cost = 1\nkdf_memory_kib = 8192\nkdf_parallelism = 1\n")
    common = ["--settings", str(site), "--operator", "Chief"]
    assert run_cli([*common, "init"]) == 0
    printed = capsys.readouterr().out
    recovery_line = printed.strip().splitlines()[-1].strip()
    assert len(recovery_line.replace("-", "")) == 52
    monkeypatch.setenv("FACE_STATION_NEW_PASSWORD", DESK_PASSWORD)
    assert run_cli([*common, "operator", "add", "--name", "Desk 3", "--role", "auditor"]) == 0
    assert run_cli([*common, "operator", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Desk 3" in listing and "auditor" in listing and recovery_line not in listing
    monkeypatch.setenv("FACE_STATION_SECRET", DESK_PASSWORD)
    assert run_cli(["--settings", str(site), "--operator", "desk 3", "audit", "verify"]) == 0
    assert run_cli(["--settings", str(site), "--operator", "desk 3", "operator", "list"]) == 1
    assert "may not do this" in capsys.readouterr().err
    key_text = key_file_path(tmp_path / "station.db").read_text()
    assert DESK_PASSWORD not in key_text and STORE_SECRET not in key_text


class Killed(BaseException):
    """Stands for SIGKILL at one exact point (the kill loop in test_crash_safety.py hits random
    points; this pins the two sides of a key change's commit)."""


def test_r12_a_password_change_killed_after_its_audit_event_takes_effect_at_next_sign_in(
    made: tuple[Station, str], frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    station, _ = made
    path = station.store.path

    def killed() -> None:
        raise Killed

    monkeypatch.setattr(station.store, "promote_key_change", killed)
    with pytest.raises(Killed):
        station.accounts.change_own_password(ADMIN, STORE_SECRET, "the new password")
    station.store.close()
    with pytest.raises(WrongKeyError):  # the superseded password, tried first, is refused
        _sign_in(path, ADMIN, STORE_SECRET, frozen_clock)
    admin = _sign_in(path, ADMIN, "the new password", frozen_clock)  # the audited change holds
    admin.close()
    assert not (path.parent / "station.db.key.json.staged").exists()


def test_r12_a_password_change_killed_before_its_audit_event_never_happened(
    made: tuple[Station, str], frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    station, _ = made
    path = station.store.path
    original = station.repos.audit.append

    def killed_on_key_change(kind: AuditKind, *args: Any, **kwargs: Any) -> AuditEvent:
        if kind == "password_changed":
            raise Killed
        return original(kind, *args, **kwargs)

    monkeypatch.setattr(station.repos.audit, "append", killed_on_key_change)
    with pytest.raises(Killed):
        station.accounts.change_own_password(ADMIN, STORE_SECRET, "the new password")
    station.store.close()
    with pytest.raises(WrongKeyError):
        _sign_in(path, ADMIN, "the new password", frozen_clock)
    admin = _sign_in(path, ADMIN, STORE_SECRET, frozen_clock)
    assert "password_changed" not in [event.kind for event in admin.repos.audit.events()]
    admin.close()
    assert not (path.parent / "station.db.key.json.staged").exists()
