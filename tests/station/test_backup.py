"""Encrypted backup and restore of the store: a restored store opens with the same operators and
holds every record; a backup file names nobody in clear; a damaged or foreign file is refused before
anything is written; an existing store is replaced only when asked and is kept aside, not deleted.
Real SQLCipher stores in tmp, an injected clock."""

from __future__ import annotations

import argparse
import hashlib
import os
import stat
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from station.cli import build_parser
from station.cli.common import CommandContext
from station.domain import NotAllowedError, Operator, Role, ServiceError, Template
from station.services import Station
from station.services.backup import read_backup, restore_backup
from station.services.opening import open_station
from station.storage import Repositories, Store, StoreExistsError, WrongKeyError, backup_file
from station.storage.audit_chain import verify_audit_chain
from station.storage.audit_links import LINK_EPOCHS, LINK_STATE, SEALED_AFTER_RESTORE, parse_epochs
from station.storage.backup_file import (
    MAGIC,
    BackupError,
    DamagedBackupError,
    NotABackupError,
    UnsupportedBackupError,
)
from station.storage.ids import new_id
from station.storage.keys import key_file_path, read_key_file
from station.storage.schema import SCHEMA_VERSION
from station.storage.store import creating_path, restoring_path
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    FAST_KDF,
    STORE_SECRET,
    FrozenClock,
    create_store,
    fast_settings,
    run_cli,
)

SETTINGS = fast_settings()
DESK = "Desk Two"
DESK_PASSWORD = "desk two password"
MEMBERS = (("M-1001", "Li Na", "C-5521"), ("M-1002", "Wang Fang", None))
VECTOR = np.linspace(-1.0, 1.0, 128, dtype=np.float32)


def _seeded(path: Path, clock: FrozenClock) -> Station:
    """A station with two members (consents, a template, a PIN) and a second operator."""
    station = Station(create_store(path), ADMIN, SETTINGS, clock)
    notice = station.notices.current("en")
    for member, name, card in MEMBERS:
        station.subjects.register(member, name, ADULT_BIRTH, "desk-1", card)
        station.consents.record(member, True, notice, "desk-1")
    li_na = station.subjects.find("M-1001")
    assert li_na is not None
    now = clock.now()
    with station.store.transaction():
        station.repos.templates.replace(
            li_na.id, Template(new_id(), "m", "f", VECTOR, 3, now, now + timedelta(days=365))
        )
    station.subjects.set_pin("M-1002", "482913", "desk-1")
    station.accounts.add_operator(DESK, Role.OPERATOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    return station


@pytest.fixture
def live(store_path: Path, frozen_clock: FrozenClock) -> Station:
    return _seeded(store_path, frozen_clock)


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One backup of a seeded station, shared by the tests that only read or corrupt it."""
    folder = tmp_path_factory.mktemp("backup")
    station = _seeded(folder / "data" / "station.db", FrozenClock())
    try:
        return station.backups.back_up(folder / "good.backup", ADMIN, STORE_SECRET).path
    finally:
        station.close()


def _dump(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    tables = [
        row[0]
        for row in store.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    ]
    return {
        table: store.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()  # no WITHOUT ROWID
        for table in tables
    }


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _restore(backup: Path, target: Path, clock: FrozenClock, **kwargs: Any) -> Any:
    options: dict[str, Any] = {"replace": False, "name": ADMIN, "password": STORE_SECRET}
    options.update(kwargs)
    return restore_backup(backup, target, clock=clock, **options)


def test_restored_store_opens_with_the_same_operators_and_holds_every_record(
    live: Station, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    before = _dump(live.store)
    made = live.backups.back_up(tmp_path / "station.backup", ADMIN, STORE_SECRET)
    live.close()
    target = tmp_path / "empty" / "station.db"

    report = _restore(made.path, target, frozen_clock)

    assert report.set_aside is None and report.backup.sha256 == made.sha256
    assert "Passwords and the recovery key are those of that day" in report.message
    restored = Store.open(target, ADMIN, STORE_SECRET)
    try:
        after = _dump(restored)
        assert restored.integrity_ok()
        assert verify_audit_chain(Repositories(restored).audit).ok
        last = Repositories(restored).audit.recent(1)[0]
        assert last.kind == "store_restored" and last.operator == ADMIN
        assert last.detail["sha256"] == made.sha256 and last.detail["backup"] == "station.backup"
        li_na = Repositories(restored).subjects.by_member_number("M-1001")
        assert li_na is not None and li_na.card_number == "C-5521"
        template = Repositories(restored).templates.for_subject(li_na.id)
        assert template is not None and np.array_equal(template.vector, VECTOR)
    finally:
        restored.close()
    assert after.keys() == before.keys()
    for table in before:
        if table not in ("audit_events", "station_meta"):
            assert after[table] == before[table], table
    # The audit trail is the backed-up one plus the restore; only its recorded head moved, and
    # the keyed links went on under a new key sealed at the restore (issue 14).
    assert after["audit_events"][:-1] == before["audit_events"]
    moved = ("audit_head", LINK_STATE, LINK_EPOCHS)
    assert [(k, v) for k, v in after["station_meta"] if k not in moved] == [
        (k, v) for k, v in before["station_meta"] if k not in moved
    ]
    epochs = dict(after["station_meta"])[LINK_EPOCHS]
    assert parse_epochs(epochs)[:-1] == parse_epochs(dict(before["station_meta"])[LINK_EPOCHS])
    assert parse_epochs(epochs)[-1].first_seq == after["audit_events"][-1][0]
    assert parse_epochs(epochs)[-1].origin == SEALED_AFTER_RESTORE
    for name, password, role in (
        (ADMIN, STORE_SECRET, Role.ADMINISTRATOR),
        (DESK, DESK_PASSWORD, Role.OPERATOR),
    ):
        signed_in = open_station(target, name, password, SETTINGS, frozen_clock)
        assert signed_in.signed_in == Operator(name, role)
        signed_in.close()


def test_backup_is_private_audited_and_names_nobody_in_clear(live: Station, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "monday.backup"
    out.parent.mkdir()
    report = live.backups.back_up(out, ADMIN, STORE_SECRET)

    raw = out.read_bytes()
    assert raw.startswith(MAGIC)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(p.name for p in out.parent.iterdir()) == ["monday.backup"]  # no temp left
    for _member, name, card in MEMBERS:
        for text in (_member, name, card, DESK):
            if text:
                assert text.encode("utf-8") not in raw, text
                assert text.encode("utf-16-le") not in raw, text
    assert VECTOR.tobytes() not in raw
    event = live.repos.audit.recent(1)[0]
    assert event.kind == "store_backed_up" and event.operator == ADMIN
    assert event.detail == {"file": "monday.backup", "size": len(raw), "sha256": _sha256(out)}
    assert report.size == len(raw) and report.sha256 == _sha256(out)
    info = read_backup(out)
    assert info.schema_version == SCHEMA_VERSION
    assert info.store_salt == read_key_file(live.store.key_path).store_salt
    assert info.created_at == report.created_at
    with pytest.raises(BackupError, match="already exists"):
        live.backups.back_up(out, ADMIN, STORE_SECRET)
    assert _sha256(out) == report.sha256


def _flip(offset_of: Callable[[bytes], int]) -> Callable[[bytes], bytes]:
    def change(raw: bytes) -> bytes:
        at = offset_of(raw)
        return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1 :]

    return change


CORRUPTIONS: dict[str, tuple[Callable[[bytes], bytes], type[BackupError], str]] = {
    "flipped byte in the store": (
        _flip(lambda raw: len(raw) // 2),
        DamagedBackupError,
        "is damaged",
    ),
    # A year 2026 -> 3026: still a valid manifest, so only the closing digest can catch it.
    "flipped byte in the manifest": (
        _flip(lambda raw: raw.index(b'"created_at": "') + len(b'"created_at": "')),
        DamagedBackupError,
        "is damaged",
    ),
    "flipped byte in the key file": (
        _flip(lambda raw: raw.rindex(b'"sealed"') + 12),
        DamagedBackupError,
        "is damaged",
    ),
    "flipped closing digest": (_flip(lambda raw: len(raw) - 1), DamagedBackupError, "is damaged"),
    "truncated": (lambda raw: raw[: len(raw) - 100], DamagedBackupError, "is damaged"),
    "cut in the header": (lambda raw: raw[: len(MAGIC) + 3], DamagedBackupError, "is damaged"),
    "another file": (lambda raw: b"SQLite format 3\x00" + raw[16:], NotABackupError, "not a Face"),
    "a newer format": (
        lambda raw: raw[: len(MAGIC)] + b"\x00\x63" + raw[len(MAGIC) + 2 :],
        UnsupportedBackupError,
        "format 99",
    ),
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_damaged_or_foreign_file_is_refused_clearly_and_nothing_is_written(
    good_backup: Path, tmp_path: Path, frozen_clock: FrozenClock, corruption: str
) -> None:
    good = good_backup
    change, error, words = CORRUPTIONS[corruption]
    bad = tmp_path / "bad.backup"
    bad.write_bytes(change(good.read_bytes()))
    target = tmp_path / "restored" / "station.db"

    with pytest.raises(error, match=words) as caught:
        _restore(bad, target, frozen_clock)

    assert "nothing was changed" in str(caught.value)
    assert not target.parent.exists()
    with pytest.raises(error):
        read_backup(bad)
    assert read_backup(good).sha256 == _sha256(good)  # the control: the original is fine


def test_restore_refuses_an_existing_store_unless_asked_and_then_keeps_it_aside(
    live: Station, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    backup = live.backups.back_up(tmp_path / "station.backup", ADMIN, STORE_SECRET).path
    live.subjects.register("M-2001", "Late Comer", ADULT_BIRTH, "desk-1")
    store_path, key_path = live.store.path, live.store.key_path
    live.close()
    old_store, old_key = _sha256(store_path), _sha256(key_path)

    with pytest.raises(StoreExistsError, match="--replace"):
        _restore(backup, store_path, frozen_clock)
    assert (_sha256(store_path), _sha256(key_path)) == (old_store, old_key)

    frozen_clock.advance(timedelta(hours=1))
    report = _restore(backup, store_path, frozen_clock, replace=True)

    aside = report.set_aside
    assert aside == store_path.with_name("station.db.before-restore-20261127-100000")
    assert (_sha256(aside), _sha256(key_file_path(aside))) == (old_store, old_key)
    assert f"kept as {aside}" in report.message
    kept = Store.open(aside, ADMIN, STORE_SECRET)  # the old pair still opens, under its new name
    assert Repositories(kept).subjects.by_member_number("M-2001") is not None
    kept.close()
    restored = Store.open(store_path, ADMIN, STORE_SECRET)
    try:
        assert Repositories(restored).subjects.by_member_number("M-2001") is None
        assert Repositories(restored).subjects.by_member_number("M-1001") is not None
        last = Repositories(restored).audit.recent(1)[0]
        assert last.kind == "store_restored" and last.detail["set_aside"] == aside.name
        assert verify_audit_chain(Repositories(restored).audit).ok
    finally:
        restored.close()
    for path in (store_path, key_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not any(
        p.name.endswith((".restoring", ".creating")) for p in store_path.parent.iterdir()
    )


def test_a_backup_made_before_a_password_change_restores_the_old_key_slots(
    live: Station, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    """Documented behaviour: a backup carries the key slots of its day, so the password that
    opened the station then opens the restored store, and the newer one does not."""
    backup = live.backups.back_up(tmp_path / "station.backup", ADMIN, STORE_SECRET).path
    live.accounts.change_own_password(ADMIN, STORE_SECRET, "a brand new secret")
    live.close()
    target = tmp_path / "restored" / "station.db"

    with pytest.raises(ServiceError, match="password is not right"):
        _restore(backup, target, frozen_clock, password="a brand new secret")
    assert not target.parent.exists()

    _restore(backup, target, frozen_clock)
    Store.open(target, ADMIN, STORE_SECRET).close()
    with pytest.raises(WrongKeyError):
        Store.open(target, ADMIN, "a brand new secret")


def test_only_an_administrator_backs_up_or_restores(
    live: Station, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    desk = Station(live.store, DESK, SETTINGS, frozen_clock)
    out = tmp_path / "station.backup"
    with pytest.raises(NotAllowedError):
        desk.backups.back_up(out, DESK, DESK_PASSWORD)
    assert not out.exists()
    assert live.repos.audit.recent(1)[0].kind == "access_denied"

    backup = live.backups.back_up(out, ADMIN, STORE_SECRET).path
    with pytest.raises(ServiceError, match="password is not right"):
        live.backups.back_up(tmp_path / "second.backup", ADMIN, "not the password")
    assert not (tmp_path / "second.backup").exists()
    target = tmp_path / "restored" / "station.db"
    with pytest.raises(ServiceError, match="Only an administrator"):
        _restore(backup, target, frozen_clock, name=DESK, password=DESK_PASSWORD)
    assert os.listdir(target.parent) == []  # the staged copy was removed again


def test_a_restore_cut_short_before_its_last_rename_is_finished_at_the_next_open(
    good_backup: Path, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    target = tmp_path / "restored" / "station.db"
    _restore(good_backup, target, frozen_clock)
    # The state a kill leaves after the key file is in and before the store takes its name.
    os.replace(target, creating_path(target))

    reopened = Store.open(target, ADMIN, STORE_SECRET)
    assert Repositories(reopened).subjects.by_member_number("M-1001") is not None
    reopened.close()


def test_a_restore_cut_short_between_its_two_renames_finishes_with_the_backups_key_file(
    live: Station, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    """The soak's finding (issue 14): a kill after the old store went and before the backup's key
    file went in left the backup's store with today's key file, a mix of two days' key slots
    (here: a slot for an operator the restored store never had)."""
    backup = live.backups.back_up(tmp_path / "station.backup", ADMIN, STORE_SECRET).path
    live.accounts.add_operator("Desk Three", Role.OPERATOR, DESK_PASSWORD, ADMIN, STORE_SECRET)
    target = live.store.path
    live.close()
    todays_key = key_file_path(target).read_bytes()
    _restore(backup, target, frozen_clock, replace=True)
    backups_key = key_file_path(target).read_bytes()
    # The state such a kill leaves: the backup's store waiting as `.creating`, its key file still
    # staged beside it, today's key file in place.
    os.replace(target, creating_path(target))
    os.replace(key_file_path(target), key_file_path(restoring_path(target)))
    key_file_path(target).write_bytes(todays_key)

    reopened = Store.open(target, ADMIN, STORE_SECRET)
    reopened.close()
    assert key_file_path(target).read_bytes() == backups_key
    assert read_key_file(key_file_path(target)).slot_for("Desk Three") is None
    assert not key_file_path(restoring_path(target)).exists()


class _Killed(BaseException):
    """What a SIGKILL leaves: nothing after it runs (not even an except clause meant for errors)."""


def test_a_kill_right_after_the_swap_leaves_a_restore_already_recorded(
    store_path: Path, tmp_path: Path, frozen_clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The soak's finding (issue 14): the restore was recorded after the swap, so a kill in between
    left a restored store without its record; the next sign-in then started the keyed links anew
    at a sign-in, which the recovery key reports as a rewrite. Now the record is in the staged
    store before it is swapped in."""
    store, recovery_key = Store.create(store_path, ADMIN, STORE_SECRET, FAST_KDF)
    station = Station(store, ADMIN, SETTINGS, frozen_clock)
    station.subjects.register("M-1001", "Li Na", ADULT_BIRTH, "desk-1")
    backup = station.backups.back_up(tmp_path / "station.backup", ADMIN, STORE_SECRET).path
    station.close()
    swap_in = backup_file._swap_in

    def swap_and_die(*paths: Path) -> None:
        swap_in(*paths)
        raise _Killed

    monkeypatch.setattr(backup_file, "_swap_in", swap_and_die)
    with pytest.raises(_Killed):
        _restore(backup, store_path, frozen_clock, replace=True)

    open_station(store_path, ADMIN, STORE_SECRET, SETTINGS, frozen_clock).close()
    reopened = Store.open(store_path, ADMIN, STORE_SECRET)
    try:
        audit = Repositories(reopened).audit
        assert [e.kind for e in audit.recent(2)] == ["sign_in", "store_restored"]
        verified = verify_audit_chain(audit, recovery_key=recovery_key)
        assert verified.ok, verified.summary
        assert verified.links is not None and verified.links.checked == verified.events_checked
    finally:
        reopened.close()


def test_backup_and_restore_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cli_site: list[str]
) -> None:
    common = cli_site
    assert run_cli([*common, "init"]) == 0
    assert run_cli([*common, "add-subject", "--member", "M-1001", "--name", "Li Na"]) == 0
    out = tmp_path / "station.backup"
    capsys.readouterr()

    assert run_cli([*common, "backup", "--out", str(out)]) == 0
    assert "It is encrypted" in capsys.readouterr().out
    assert run_cli([*common, "restore", str(out)]) == 1  # the store is there: not without --replace
    assert "--replace" in capsys.readouterr().err

    # `restore` must work with no store at all: it never opens one; `backup` does.
    target = tmp_path / "elsewhere" / "station.db"
    args: argparse.Namespace = build_parser().parse_args(
        [*common, "--store", str(target), "restore", str(out)]
    )
    restoring = CommandContext(args, SETTINGS)
    assert args.run(restoring) == 0
    assert "Restored the store" in capsys.readouterr().out
    assert not restoring.opened_store
    args = build_parser().parse_args([*common, "backup", "--out", str(tmp_path / "again.backup")])
    backing_up = CommandContext(args, SETTINGS)
    assert args.run(backing_up) == 0 and backing_up.opened_store
    backing_up.close()
    restored = Store.open(target, ADMIN, STORE_SECRET)
    assert Repositories(restored).subjects.by_member_number("M-1001") is not None
    restored.close()
    # And through `face-station` itself, into a folder with no store.
    third = tmp_path / "third" / "station.db"
    assert run_cli([*common, "--store", str(third), "restore", str(out)]) == 0
    Store.open(third, ADMIN, STORE_SECRET).close()


STEPS_IN_ORDER = {
    "backup": [
        "unlocking the data key",
        "checking the store",
        "copying the store",
        "checking the copy",
        "writing the backup file",
        "reading the backup file back",
    ],
    "restore": [
        "checking the backup file",
        "unlocking the data key",
        "copying the store",
        "checking the copy",
        "opening the restored store",
        "checking the store",
    ],
}


def test_backup_and_restore_report_each_step_until_the_whole_is_done(
    live: Station, tmp_path: Path, frozen_clock: FrozenClock
) -> None:
    """Issue 12: progress goes one way, in the order the work is done, and ends at its total."""
    heard: dict[str, list[tuple[int, int, str]]] = {"backup": [], "restore": []}
    backup = tmp_path / "progress.backup"
    live.backups.back_up(backup, ADMIN, STORE_SECRET, lambda *call: heard["backup"].append(call))
    _restore(
        backup,
        tmp_path / "restored" / "station.db",
        frozen_clock,
        progress=lambda *call: heard["restore"].append(call),
    )
    for job, calls in heard.items():
        done = [call[0] for call in calls]
        assert done == sorted(done) and done[0] == 0, job
        assert {call[1] for call in calls} == {done[-1]}, job  # one total, reached at the end
        steps = list(dict.fromkeys(call[2] for call in calls))  # in the order first heard
        assert steps == STEPS_IN_ORDER[job], job
