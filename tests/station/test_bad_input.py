"""Bad input, each with a clear message for the operator and nothing lost: a disk that fills up
during a write, a read-only data folder, a damaged store page, a camera that fails mid-capture or
sends unusable pictures, frames of any shape and type, and malformed settings and side files.

(A wrong password, another station's key, damaged stores and key files are in test_store.py.)
"""

from __future__ import annotations

import contextlib
import errno
import io
import json
import os
import random
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from station.biometrics.detector import FaceDetector
from station.biometrics.pipeline import (
    BiometricModels,
    CapturePlan,
    CaptureStats,
    assess_pixels,
    good_descriptors,
)
from station.capture import (
    CameraError,
    Frame,
    FrameSource,
    FrameSourceBase,
    WebcamSource,
    read_image_rgb,
)
from station.capture.sources import UnusablePictureError
from station.cli import HOME_ENV, SECRET_ENV, main
from station.domain import AuditKind, EnrollStatus, QualityIssue, Template, VerifyStatus
from station.services import Station
from station.services.opening import open_station
from station.settings import ENROLL_GATE, VERIFY_GATE, Settings, SettingsError
from station.storage import CorruptStoreError, Repositories, Store
from station.storage.errors import ReadOnlyFolderError, translated_errors
from station.storage.ids import new_id
from station.storage.keys import KeyFile, key_file_path
from station.storage.signins import UNREADABLE, pending_path, read_failed_sign_ins
from tests.conftest import (
    ADMIN,
    ADULT_BIRTH,
    STORE_SECRET,
    FailingAfterOnePhoto,
    FrozenClock,
    create_store,
    fast_settings,
    open_store,
    share_of_examples,
)
from tests.pagescan import (
    PAGE_SIZE,
    DecryptedPages,
    decrypt_pages,
    free_pages,
    store_key,
    tree_pages,
)

ROOT = Path(__file__).resolve().parents[2]
FRONTAL = "Angelina_Jolie/deepface_img10.jpg"  # passes the enrollment gate on its own
Image = npt.NDArray[np.uint8]


# ------------------------------------------------------------------------------------------
# Child processes: a file-size limit and (where the kernel allows) a mount namespace
# ------------------------------------------------------------------------------------------

SKIP = 77  # a child's exit status for "this machine cannot set that up"


def _run_child(script: str, *args: str, namespace: bool = False) -> dict[str, Any]:
    command = [sys.executable, "-c", script, *args]
    if namespace:
        unshare = shutil.which("unshare")
        if unshare is None:
            pytest.skip("util-linux unshare is not installed")
        # -r: root inside a new user namespace, so mounting needs no privilege outside it;
        # -m: a private mount namespace, so the mount is gone when the child ends.
        command = [unshare, "-rm", *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # The timeout only stops a hung child; it asserts nothing about speed.
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    if namespace and done.returncode != 0 and "unshare" in done.stderr:
        pytest.skip(f"no user/mount namespaces here: {done.stderr.strip()}")
    if done.returncode == SKIP:
        pytest.skip(done.stdout.strip() or done.stderr.strip())
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


CHILD_PRELUDE = """
import contextlib, io, json, os, resource, signal, subprocess, sys
from datetime import UTC, datetime
from pathlib import Path
from station.storage import StoreError
from station.storage.errors import store_error, translated_errors
from station.storage import Repositories
from tests.conftest import ADMIN, STORE_SECRET, create_store, open_store

os.environ["FACE_STATION_SECRET"] = STORE_SECRET
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def cli(*argv):
    from station.cli import main
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(list(argv))
    return [code, err.getvalue()]


def error_of(action):
    try:
        action()
    except Exception as exc:
        found = store_error(exc, STORE)
        return {
            "raised": f"{type(exc).__name__}: {exc}",
            "sqlite": getattr(exc.__cause__ or exc, "sqlite_errorname", None),
            "context": repr(exc.__context__),
            "type": type(found).__name__ if found else None,
            "message": str(found) if found else None,
        }
    return None
"""

DISK_FULL_CHILD = (
    CHILD_PRELUDE
    + """
STORE = Path(sys.argv[1])
INCIDENT_FIELDS = ("description", "data-affected", "cause", "likely-harm", "remedies", "advice")
# Writes past this size fail with EFBIG, as on a full disk; SIGXFSZ would kill us instead.
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = STORE.stat().st_size + 48 * 1024
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
store = open_store(STORE)
repo = Repositories(store)
committed = []


def fill():
    for n in range(10_000):
        member = f"FULL-{n}"
        with store.transaction():
            repo.subjects.add(member, "A long name " * 300, None, NOW)
        committed.append(member)


failure = error_of(fill)
# A transaction bigger than the page cache fails inside a statement, not at COMMIT.
store.execute("PRAGMA cache_size = 5")


def big():
    with store.transaction():
        for n in range(50):
            repo.subjects.add(f"BIG-{n}", "x" * 3000, None, NOW)


inside = error_of(big)
store.close()
print(json.dumps({
    "committed": committed,
    "failure": failure,
    "inside": inside,
    # Names are at most 100 characters (issue 16): an incident's six texts make the big write.
    "cli": cli("--store", str(STORE), "--operator", ADMIN, "incident", "record", "--kind", "loss",
               "--all-with-face-data", *[part for field in INCIDENT_FIELDS
                                         for part in (f"--{field}", "Lost at the desk. " * 100)]),
}))
"""
)


def test_disk_full_during_writes_keeps_every_committed_record(store_path: Path) -> None:
    """A file-size limit (RLIMIT_FSIZE) makes the store's writes fail as on a full disk: SQLCipher
    reports "disk I/O error" (SQLITE_IOERR, from EFBIG); a really full disk gives SQLITE_FULL,
    covered by the tmpfs test below. Each record is its own transaction."""
    create_store(store_path).close()
    result = _run_child(DISK_FULL_CHILD, str(store_path))

    committed = result["committed"]
    failure = result["failure"]
    assert committed, "the limit left no room for even one record"
    assert failure is not None, "the writes never failed"
    # The store itself raises the operator's error; SQLite's own is its cause.
    assert failure["raised"].startswith("DiskWriteError: The station could not write")
    assert failure["sqlite"].startswith("SQLITE_IOERR")
    assert failure["type"] == "DiskWriteError"
    assert failure["message"] == (
        f"The station could not write to its data file {store_path}: the disk reported an error "
        "(it may be full, disconnected or failing). The last change was not saved; everything "
        "saved before it is safe. Check the disk and its free space, then try again."
    )
    # Failing inside a statement: SQLite rolls back by itself, so the store's own ROLLBACK finds
    # no transaction; the disk error behind that is still what the operator is told.
    assert result["inside"]["type"] == "DiskWriteError"
    code, stderr = result["cli"]
    assert code == 1
    # Whichever write hits the limit first (the store, or a file beside it) names the disk.
    assert stderr.startswith(
        (
            "error: The station could not write to its data file",
            "error: The disk holding the station's data",
        )
    )
    assert "Traceback" not in stderr

    store = open_store(store_path)
    try:
        assert store.integrity_ok()
        rows = store.execute("SELECT member_number FROM subjects").fetchall()
        stored = {member for (member,) in rows}
        # Every record committed before the failure is there; none from the failing one on.
        assert stored == set(committed)
        assert not any(m.startswith(("BIG-", "CLI-")) for m in stored)
        assert store.execute("SELECT count(*) FROM incidents").fetchone()[0] == 0
    finally:
        store.close()


ENOSPC_CHILD = (
    CHILD_PRELUDE
    + """
folder = Path(sys.argv[1])
mounted = subprocess.run(
    ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], capture_output=True
)
if mounted.returncode != 0:
    print("cannot mount a tmpfs:", mounted.stderr.decode())
    sys.exit(77)
STORE = folder / "station.db"
create_store(STORE).close()
store = open_store(STORE)
repo = Repositories(store)
committed = []


def fill():
    for n in range(10_000):
        with store.transaction():
            repo.subjects.add(f"FULL-{n}", "A long name " * 300, None, NOW)
        committed.append(f"FULL-{n}")


failure = error_of(fill)
store.close()
store = open_store(STORE)
stored = sorted(m for (m,) in store.execute("SELECT member_number FROM subjects").fetchall())
print(json.dumps({
    "committed": sorted(committed),
    "stored": stored,
    "integrity": store.integrity_ok(),
    "failure": failure,
}))
store.close()
"""
)


def test_a_really_full_disk_says_so_and_keeps_every_committed_record(tmp_path: Path) -> None:
    """A 512 KB tmpfs, mounted in a private mount namespace, fills up for real (ENOSPC)."""
    folder = tmp_path / "small-disk"
    folder.mkdir()
    result = _run_child(ENOSPC_CHILD, str(folder), namespace=True)
    failure = result["failure"]
    assert failure["raised"].startswith("DiskFullError: The disk holding the station")
    assert failure["sqlite"] == "SQLITE_FULL"
    assert failure["message"] == (
        f"The disk holding the station's data ({folder}) is full, so the last change was not "
        "saved. Everything saved before it is safe. Free some space on that disk, then try again."
    )
    assert result["committed"] and result["stored"] == result["committed"]
    assert result["integrity"] is True


READ_ONLY_CHILD = (
    CHILD_PRELUDE
    + """
folder = Path(sys.argv[1])
STORE = folder / "station.db"
# A read-only bind mount of the data folder over itself, seen only by this process.
mounted = subprocess.run(
    ["mount", "--bind", "-o", "ro", str(folder), str(folder)], capture_output=True
)
if mounted.returncode != 0:
    print("cannot bind-mount read-only:", mounted.stderr.decode())
    sys.exit(77)
from station.storage.signins import note_failed_sign_in

store = open_store(STORE)


def write():
    with translated_errors(STORE), store.transaction():
        Repositories(store).subjects.add("RO-1", "Read Only", None, NOW)


results = {
    "write": error_of(write),
    "count": store.execute("SELECT count(*) FROM subjects").fetchone()[0],
}
store.close()
results["create"] = error_of(lambda: create_store(folder / "new" / "station.db"))
results["noted"] = note_failed_sign_in(STORE, "someone", NOW)
results["cli_write"] = cli(
    "--store", str(STORE), "--operator", ADMIN, "add-subject", "--member", "RO-2", "--name", "X"
)
results["cli_init"] = cli("--store", str(folder / "other.db"), "--operator", "boss", "init")
print(json.dumps(results))
"""
)


def test_a_read_only_data_folder_is_named_and_nothing_changes(store_path: Path) -> None:
    """As root, chmod does not stop writes, so the folder is made really read-only: a read-only
    bind mount of it over itself, in a child's private mount namespace (`unshare -rm`)."""
    store = create_store(store_path)
    with store.transaction():
        Repositories(store).subjects.add("KEPT-1", "Kept", None, datetime(2026, 1, 1, tzinfo=UTC))
    store.close()
    before = store_path.read_bytes()
    folder = store_path.parent

    result = _run_child(READ_ONLY_CHILD, str(folder), namespace=True)

    read_only = (
        f"The data folder {folder} cannot be written to (it is read-only, or the station may "
        "not write there), so nothing was saved. Everything already stored is safe. Ask for the "
        "folder to be made writable, then try again."
    )
    write = result["write"]
    assert write["raised"] == f"ReadOnlyFolderError: {read_only}"
    assert write["context"].startswith("OperationalError('attempt to write a readonly database'")
    assert result["count"] == 1
    assert result["create"]["type"] == "ReadOnlyFolderError"
    assert "cannot be written to" in result["create"]["message"]
    assert result["noted"] is False  # a wrong password is still reported as one
    for code, stderr in (result["cli_write"], result["cli_init"]):
        assert code == 1
        assert stderr.startswith(f"error: The data folder {folder} cannot be written to")
        assert "Traceback" not in stderr
    assert store_path.read_bytes() == before
    assert not (folder / "other.db").exists()
    reopened = open_store(store_path)
    try:
        assert reopened.integrity_ok()
        assert reopened.execute("SELECT member_number FROM subjects").fetchall() == [("KEPT-1",)]
    finally:
        reopened.close()


def test_sqlites_read_only_refusal_becomes_the_folder_message(tmp_store: Store) -> None:
    """Runs everywhere, without namespaces: PRAGMA query_only makes SQLite refuse writes with
    the same SQLITE_READONLY error as a read-only file. It shows the message path only; the
    test above is the real read-only folder."""
    repo = Repositories(tmp_store)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with tmp_store.transaction():
        repo.subjects.add("KEPT-1", "Kept", None, now)
    tmp_store.execute("PRAGMA query_only = ON")
    with pytest.raises(ReadOnlyFolderError) as raised:
        with translated_errors(tmp_store.path), tmp_store.transaction():
            repo.subjects.add("LOST-1", "Not saved", None, now)
    assert str(raised.value).startswith(
        f"The data folder {tmp_store.path.parent} cannot be written to"
    )
    assert "Everything already stored is safe" in str(raised.value)
    tmp_store.execute("PRAGMA query_only = OFF")
    rows = tmp_store.execute("SELECT member_number FROM subjects").fetchall()
    assert rows == [("KEPT-1",)]


def test_translated_errors_leaves_other_errors_alone(tmp_store: Store) -> None:
    with pytest.raises(Exception, match="no such table") as raised:
        with translated_errors(tmp_store.path):
            tmp_store.execute("SELECT * FROM no_such_table")
    assert type(raised.value).__name__ == "OperationalError"
    with pytest.raises(FileNotFoundError):
        with translated_errors(tmp_store.path):
            (tmp_store.path.parent / "missing").read_bytes()


# ------------------------------------------------------------------------------------------
# A damaged store page (issue 16): found at sign-in or where it is read, and named (R12)
# ------------------------------------------------------------------------------------------

DAMAGE_SEED = "issue 16: damage is found and named"
DAMAGE_MEMBERS = 300
DAMAGE_NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class FilledStore:
    """A store of a few hundred rows and where its tables, indexes and free pages lie."""

    path: Path
    pages: DecryptedPages
    trees: dict[str, list[int]]  # the b-tree pages of each table and index, by name


@pytest.fixture(scope="module")
def filled_store(tmp_path_factory: pytest.TempPathFactory) -> FilledStore:
    """300 members with a template each and their audit events; 100 templates destroyed since,
    so the file has free pages too (R14). Built once; each test damages its own copy."""
    path = tmp_path_factory.mktemp("filled") / "station.db"
    store = create_store(path)
    repos = Repositories(store)
    vectors = np.random.default_rng(16).standard_normal((DAMAGE_MEMBERS, 128)).astype(np.float32)
    expires = DAMAGE_NOW + timedelta(days=365)
    try:
        with store.transaction():
            for n, vector in enumerate(vectors):
                subject = repos.subjects.add(f"D-{n:04d}", f"Member {n}", ADULT_BIRTH, DAMAGE_NOW)
                repos.audit.append(AuditKind.SUBJECT_REGISTERED, ADMIN, DAMAGE_NOW, subject.id)
                template = Template(new_id(), "test", "f" * 64, vector, 3, DAMAGE_NOW, expires)
                repos.templates.replace(subject.id, template)
                repos.audit.append(AuditKind.FACE_ENROLLED, ADMIN, DAMAGE_NOW, subject.id)
        with store.transaction():
            for n in range(100):
                member = repos.subjects.by_member_number(f"D-{n:04d}")
                assert member is not None
                repos.templates.destroy(member.id)
        roots = store.execute("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0")
        named_roots = roots.fetchall()
    finally:
        store.close()
    pages = decrypt_pages(path, store_key(path, STORE_SECRET))
    trees = {name: tree_pages(pages, root) for name, root in named_roots}
    return FilledStore(path, pages, trees)


def _copy_of(filled: FilledStore, folder: Path) -> Path:
    folder.mkdir()
    for source in (filled.path, key_file_path(filled.path)):
        shutil.copy(source, folder / source.name)
    return folder / filled.path.name


def _flip_a_byte(path: Path, page: int) -> None:
    """One bit of one byte of `page`, at an offset drawn from the fixed seed."""
    offset = (page - 1) * PAGE_SIZE + random.Random(f"{DAMAGE_SEED} {page}").randrange(PAGE_SIZE)
    raw = bytearray(path.read_bytes())
    raw[offset] ^= 0x10
    path.write_bytes(bytes(raw))


def _pick(filled: FilledStore, where: str) -> int:
    """The page to damage, drawn from the fixed seed among the pages of `where`."""
    subjects = filled.trees["subjects"]
    candidates = {
        "subjects-middle": subjects[2:-1],  # leaves, neither the first nor the last
        "audit-table": filled.trees["audit_events"],
        "member-number-index": filled.trees["sqlite_autoindex_subjects_2"],
        "free-list": free_pages(filled.pages),
        "unread-index": filled.trees["transfer_consents_by_subject"],  # empty, never read
        "last-page": [len(filled.pages.pages)],
    }[where]
    assert candidates, f"the store has no {where} page"
    return random.Random(f"{DAMAGE_SEED} {where}").choice(candidates)


def _damaged(path: Path, finding: str) -> str:
    return (
        f"The store at {path} is damaged ({finding}). Nothing more was changed. Restore it from "
        "a backup: face-station restore FILE --replace."
    )


def _run_cli(store: Path, *argv: str) -> tuple[int, str, str]:
    """`face-station --store STORE ARGV` in this process: (status, stdout, stderr), with the
    traceback a console would show when an exception escapes main."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(["--store", str(store), *argv])
        except Exception:
            traceback.print_exc()
            status = 1
    return status, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "where",
    [
        "subjects-middle",
        "audit-table",
        "member-number-index",
        "free-list",
        "unread-index",
        "last-page",
    ],
)
def test_r12_a_damaged_page_is_named_at_sign_in_by_every_command(
    filled_store: FilledStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    """One flipped byte anywhere fails that page's HMAC. Sign-in checks every page, so each
    command that signs in names the page and changes nothing; `audit verify` never says intact
    and a backup is not written. Before issue 16 most ended in a raw DatabaseError traceback,
    and with a page never read (the free list, an unused index) `audit verify` said intact."""
    monkeypatch.setenv(SECRET_ENV, STORE_SECRET)
    path = _copy_of(filled_store, tmp_path / "data")
    page = _pick(filled_store, where)
    _flip_a_byte(path, page)
    damaged = path.read_bytes()
    backup = tmp_path / "station.fsbackup"
    expected = "error: " + _damaged(path, f"HMAC verification failed for page {page}") + "\n"
    for argv in (
        ["audit", "verify"],
        ["verify-pin", "--member", "D-0150", "--pin", "1234"],
        ["purge"],
        ["backup", "--out", str(backup)],
    ):
        status, out, err = _run_cli(path, *argv)
        assert "Traceback" not in err and "DatabaseError" not in err, err
        assert (status, out, err) == (1, "", expected), argv
    assert path.read_bytes() == damaged
    assert not backup.exists()


def test_r12_damage_met_after_sign_in_is_named_where_it_is_read(
    filled_store: FilledStore, tmp_path: Path
) -> None:
    """The window keeps its store open for hours: a page that goes bad meanwhile is met when
    SQLite first reads it, here while a statement's rows are fetched. SQLCipher then refuses
    every later statement on that connection, and a backup checks the store's pages before it
    copies them. Each is the damaged-store error, never a raw DatabaseError; `audit verify`
    reports the damage and nothing more is written into the store."""
    path = _copy_of(filled_store, tmp_path / "data")
    station = open_station(path, ADMIN, STORE_SECRET, fast_settings(), FrozenClock())
    try:
        page = _pick(filled_store, "subjects-middle")
        _flip_a_byte(path, page)
        damaged = path.read_bytes()
        expected = _damaged(path, "SQLite: database disk image is malformed")
        # The statement reads the table's first page, which is sound; the fetch meets the damage.
        rows = station.store.execute("SELECT display_name FROM subjects")
        with pytest.raises(CorruptStoreError) as fetched:
            rows.fetchall()
        assert str(fetched.value) == expected
        with pytest.raises(CorruptStoreError) as refused:
            station.subjects.register("D-NEW", "Someone new", ADULT_BIRTH, ADMIN)
        assert str(refused.value) == expected
        backup = tmp_path / "station.fsbackup"
        with pytest.raises(CorruptStoreError) as copied:
            station.backups.back_up(backup, ADMIN, STORE_SECRET)
        assert str(copied.value) == _damaged(path, f"HMAC verification failed for page {page}")
        result = station.administration.verify_audit(ADMIN)
        assert not result.ok and result.events_checked == 0
        assert result.store_damage == [
            f"HMAC verification failed for page {page}",
            "SQLite's integrity check stopped: database disk image is malformed",
        ]
        assert result.summary.startswith("The store file is damaged (2 finding(s)")
        assert path.read_bytes() == damaged
        assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # no backup, no leftovers
    finally:
        station.close()


def test_r12_a_page_that_lost_its_last_write_passes_sign_in_and_audit_verify_names_it(
    filled_store: FilledStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that loses a write leaves the older copy of a page. Its HMAC still holds (it covers
    the page's number, not its version), so the sign-in check lets it through; SQLite's full check
    in `audit verify` and `backup` finds the indexes that no longer match their table. Before
    issue 16 `audit verify` called this store intact. The advice given, a restore, works."""
    monkeypatch.setenv(SECRET_ENV, STORE_SECRET)
    path = _copy_of(filled_store, tmp_path / "data")
    earlier = tmp_path / "earlier.fsbackup"
    assert _run_cli(path, "backup", "--out", str(earlier))[0] == 0
    last = filled_store.trees["subjects"][-1]
    span = slice((last - 1) * PAGE_SIZE, last * PAGE_SIZE)
    older = path.read_bytes()[span]
    assert _run_cli(path, "add-subject", "--member", "D-LOST", "--name", "Lost write")[0] == 0
    raw = bytearray(path.read_bytes())
    raw[span] = older
    path.write_bytes(bytes(raw))

    status, out, err = _run_cli(path, "audit", "verify")
    assert (status, err) == (3, "")
    first, second = (f"wrong # of entries in index sqlite_autoindex_subjects_{n}" for n in (2, 1))
    assert out == (
        f"The store file is damaged (2 finding(s) of its integrity check, the first: {first}), so "
        "the audit trail was not checked and cannot be called intact. Nothing more was changed. "
        "Restore the store from a backup: face-station restore FILE --replace.\n"
        f"  {path}: {first}\n  {path}: {second}\n"
    )
    status, out, err = _run_cli(path, "backup", "--out", str(tmp_path / "station.fsbackup"))
    assert (status, out) == (1, "")
    assert err == "error: " + _damaged(path, f"{first}; 1 more finding(s)") + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "earlier.fsbackup"]

    status, out, err = _run_cli(path, "restore", str(earlier), "--replace")
    assert status == 0, err
    status, out, err = _run_cli(path, "audit", "verify")
    assert (status, err) == (0, "") and out.startswith("The audit trail's hash chain is intact")


# ------------------------------------------------------------------------------------------
# The camera failing mid-capture or sending pictures the station cannot use
# ------------------------------------------------------------------------------------------


def _register(station: Station) -> None:
    station.subjects.register("M-100", "Angelina", ADULT_BIRTH, "desk-1")
    notice = station.notices.current("en")
    station.consents.record("M-100", True, notice, "desk-1")


@pytest.mark.parametrize(
    "error",
    [OSError(errno.EIO, "Input/output error"), OSError(errno.ENODEV, "No such device")],
    ids=["EIO", "ENODEV"],
)
def test_camera_failing_with_an_os_error_mid_capture_stores_nothing(
    station: Station, faces: Path, error: OSError
) -> None:
    _register(station)
    photo = faces / "photos" / FRONTAL
    outcome = station.enrollment.enroll(
        "M-100", lambda: FailingAfterOnePhoto(photo, error), "desk-1"
    )
    assert outcome.status is EnrollStatus.CAMERA_FAILED
    assert outcome.message == (
        f"webcam 0 stopped working ({error.strerror}). Check the camera and its cable, then "
        "start again; nothing was stored."
    )
    assert station.store.execute("SELECT count(*) FROM templates").fetchone()[0] == 0


def test_camera_failing_during_verification_is_a_camera_failure(
    station: Station, faces: Path, photo_camera: Callable[..., Callable[[], FrameSource]]
) -> None:
    _register(station)
    enrolled = station.enrollment.enroll("M-100", photo_camera(FRONTAL, FRONTAL, FRONTAL), "desk-1")
    assert enrolled.status is EnrollStatus.ENROLLED, enrolled.message
    error = OSError(errno.EIO, "Input/output error")

    class FailsAtOnce(FailingAfterOnePhoto):
        def read(self) -> Frame | None:
            raise self.error

    photo = faces / "photos" / FRONTAL
    verdict = station.verification.face("M-100", lambda: FailsAtOnce(photo, error), "desk-1")
    assert verdict.status is VerifyStatus.CAMERA_FAILED
    assert verdict.message == (
        "webcam 0 stopped working (Input/output error). Check the camera and its cable, then "
        "start again; nothing was stored."
    )


class _Device:
    """A webcam driver that hands out the given images (the device, not the code under test)."""

    def __init__(self, images: list[Any]) -> None:
        self.images = list(images)

    def isOpened(self) -> bool:
        return True

    def read(self) -> tuple[bool, Any]:
        return (True, self.images.pop(0)) if self.images else (False, None)

    def set(self, propId: int, value: float) -> bool:
        return True

    def release(self) -> None:
        pass


@pytest.mark.parametrize(
    ("image", "kind"),
    [
        (np.zeros((480, 640, 3), np.uint16), "480x640x3 uint16"),
        (np.zeros((480, 640, 3), np.float32), "480x640x3 float32"),
        (np.zeros((0, 0, 3), np.uint8), "0x0x3 uint8"),
        (np.zeros((0, 640, 3), np.uint8), "0x640x3 uint8"),
        (np.zeros((480, 640, 2), np.uint8), "480x640x2 uint8"),
        (np.zeros((480, 640, 3, 1), np.uint8), "480x640x3x1 uint8"),
        ("not an image", "str"),
    ],
    ids=["uint16", "float32", "0x0", "0x640", "2-channel", "4-D", "str"],
)
def test_a_webcam_sending_unusable_pictures_is_a_camera_error(image: Any, kind: str) -> None:
    source = WebcamSource(0, capture_factory=lambda _: _Device([image]))
    with source, pytest.raises(UnusablePictureError) as raised:
        source.read()
    assert str(raised.value) == (
        f"webcam 0 sent a picture the station cannot use ({kind}). Check the camera's settings "
        "or choose another camera, then start again; nothing was stored."
    )
    assert isinstance(raised.value, CameraError)


def test_a_webcam_sending_grey_pictures_in_any_layout_is_usable() -> None:
    grey = np.full((48, 64), 100, np.uint8)
    source = WebcamSource(0, capture_factory=lambda _: _Device([grey, grey[:, :, None]]))
    with source:
        for _ in range(2):
            frame = source.read()
            assert frame.pixels.shape == (48, 64, 3) and int(frame.pixels[0, 0, 0]) == 100


def test_enrolling_from_a_webcam_with_unusable_pictures_stores_nothing(station: Station) -> None:
    _register(station)
    device = _Device([np.zeros((480, 640, 3), np.uint16)])
    outcome = station.enrollment.enroll(
        "M-100", lambda: WebcamSource(0, capture_factory=lambda _: device), "desk-1"
    )
    assert outcome.status is EnrollStatus.CAMERA_FAILED
    assert "sent a picture the station cannot use (480x640x3 uint16)" in outcome.message
    assert station.store.execute("SELECT count(*) FROM templates").fetchone()[0] == 0


# ------------------------------------------------------------------------------------------
# Frames of any shape, type and size through the real gate and detector
# ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def detector(models: BiometricModels) -> Iterator[FaceDetector]:
    detector = models.new_detector()
    yield detector
    detector.close()


@pytest.fixture(scope="module")
def frontal(faces: Path) -> Image:
    return read_image_rgb(faces / "photos" / FRONTAL)


def _huge(height: int, width: int) -> Any:
    # A broadcast view: the size and shape of a huge frame without allocating its pixels.
    return np.broadcast_to(np.zeros((1, 1, 3), np.uint8), (height, width, 3))


@pytest.mark.parametrize(
    "pixels",
    [
        np.zeros((480, 640, 3), np.float32),
        np.zeros((480, 640, 3), np.uint16),
        np.zeros((480, 640, 3), bool),
        np.zeros((480, 640), np.uint8),
        np.zeros((480, 640, 4), np.uint8),
        np.zeros((480, 640, 1), np.uint8),
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((0, 640, 3), np.uint8),
        np.zeros((31, 640, 3), np.uint8),
        _huge(6000, 8000),
        _huge(4321, 640),
        _huge(480, 7681),
        np.zeros((), np.uint8),
        None,
        [[[0, 0, 0]]],
    ],
    ids=[
        "float32",
        "uint16",
        "bool",
        "grey-2d",
        "rgba",
        "one-channel",
        "0x0",
        "0x640",
        "too-short",
        "8000x6000",
        "too-tall",
        "too-wide",
        "scalar",
        "none",
        "list",
    ],
)
def test_unusable_frames_are_invalid_not_crashes(detector: FaceDetector, pixels: Any) -> None:
    for gate in (ENROLL_GATE, VERIFY_GATE):
        assert assess_pixels(pixels, detector, gate).issue is QualityIssue.INVALID_FRAME


@pytest.mark.parametrize(
    ("make", "issue"),
    [
        (lambda f: np.zeros((480, 640, 3), np.uint8), QualityIssue.NO_FACE),
        (lambda f: np.full((480, 640, 3), 255, np.uint8), QualityIssue.NO_FACE),
        (lambda f: np.zeros((32, 32, 3), np.uint8), QualityIssue.NO_FACE),
        (lambda f: np.zeros((4320, 7680, 3), np.uint8), QualityIssue.NO_FACE),  # 8K: the largest
        (lambda f: np.asfortranarray(f), None),
        (lambda f: f[:, :, ::-1], None),  # a BGR view: strided, still a face
        (lambda f: f[::2, ::2], QualityIssue.TOO_SMALL),  # strided and half size
        (lambda f: f[::-1, ::-1], QualityIssue.NOT_FRONTAL),  # upside down
    ],
    ids=["black", "white", "smallest", "8k", "fortran", "bgr-view", "every-other", "flipped"],
)
def test_odd_but_valid_frames_get_a_normal_verdict(
    detector: FaceDetector, frontal: Image, make: Callable[[Image], Image], issue: Any
) -> None:
    pixels = make(frontal)
    assert assess_pixels(pixels, detector, ENROLL_GATE).issue is issue


_dtypes = st.sampled_from([np.uint8, np.uint16, np.int8, np.float32, np.float64, np.bool_])


@share_of_examples(0.6)
@given(arrays(_dtypes, array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=48)))
def test_any_array_gets_a_verdict(detector: FaceDetector, pixels: Any) -> None:
    verdict = assess_pixels(pixels, detector, VERIFY_GATE)
    valid = (
        pixels.dtype == np.uint8
        and pixels.ndim == 3
        and pixels.shape[2] == 3
        and min(pixels.shape[:2]) >= 32
    )
    if not valid:
        assert verdict.issue is QualityIssue.INVALID_FRAME
    else:
        assert verdict.issue is not QualityIssue.INVALID_FRAME


def test_strided_frames_are_described_and_wiped(
    models: BiometricModels, frontal: Image, frozen_clock: FrozenClock
) -> None:
    """dlib takes only contiguous images: a view reaches it as a copy, and both are wiped (R10)."""
    views = [np.asfortranarray(frontal), np.ascontiguousarray(frontal[:, :, ::-1])[:, :, ::-1]]
    assert not any(view.flags.c_contiguous for view in views)

    class Views(FrameSourceBase):
        description = "views"
        is_open = True

        def __init__(self) -> None:
            self.position = 0

        def open(self) -> None:
            pass

        def read(self) -> Frame | None:
            if self.position == len(views):
                return None
            self.position += 1
            return Frame(views[self.position - 1], self.position * 1000, self.position - 1)

        def close(self) -> None:
            pass

    detector = models.new_detector()
    try:
        plan = CapturePlan(ENROLL_GATE, 2, 60.0, 10)
        found = list(
            good_descriptors(Views(), detector, models.embedder, plan, frozen_clock, CaptureStats())
        )
    finally:
        detector.close()
    assert len(found) == 2
    assert float(np.linalg.norm(found[0] - found[1])) < 1e-4  # the same picture, the same face
    assert all(not view.any() for view in views)


# ------------------------------------------------------------------------------------------
# Malformed settings files
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"[capture]\ntimeout_seconds = 'long'\n",
            "{p}: [capture]: timeout_seconds must be float, got 'long'",
        ),
        (
            b"[liveness]\naction_seconds = nan\n",
            "{p}: [liveness]: action_seconds must be a finite number, got nan",
        ),
        (
            b"[match]\noperating_point = 1e-4\n",
            "{p}: [match]: operating_point must be str, got 0.0001",
        ),
        (
            b"[match]\noperating_point = 'FMR 1e-4'\n",
            "{p}: [match] operating_point must be one of 1e-3, 1e-4, 1e-5, got 'FMR 1e-4'",
        ),
        (
            b"[match]\nthreshold = 0.32\n",
            "{p}: [match]: threshold (a distance) was replaced by operating_point, the false-match "
            "rate the site accepts (R22): one of 1e-3, 1e-4, 1e-5 (one false match in a thousand, "
            "ten thousand or a hundred thousand); remove threshold and set operating_point",
        ),
        (
            b"[capture]\nenroll_frames = 0\n",
            "{p}: [capture] enroll_frames must be at least 1, got 0",
        ),
        (
            b"[capture]\ntimeout_seconds = 600\n",
            "{p}: [capture] timeout_seconds must be at most 60.0 (R25), got 600.0",
        ),
        (
            b"[verify_gate]\nmin_eye_distance_px = -1\n",
            "{p}: [verify_gate] min_eye_distance_px must be at least 0, got -1.0",
        ),
        (
            b"[store]\nretention_days = 9223372036854775807\n",
            "{p}: [store] retention_days must be at most 1825 (R14), got 9223372036854775807",
        ),
        (
            b"[store]\nkdf_memory_kib = 4\n",
            "{p}: [store] kdf_memory_kib must be at least 16, got 4",
        ),
        (
            b"[site]\nidle_lock_seconds = 9999999999\n",
            "{p}: [site] idle_lock_seconds must be at most 3600 (R12), got 9999999999",
        ),
        (b"[site]\nlanguage = 'fr'\n", "{p}: [site] language must be en or zh_CN, got 'fr'"),
        (b"[matchh]\nthreshold = 0.3\n", "{p}: unknown section(s) ['matchh']"),
        (b"[match]\nthreshhold = 0.3\n", "{p}: [match]: unknown key 'threshhold'"),
        (b"match = 3\n", "{p}: [match] must be a table"),
        (
            b"[match\nthreshold = 0.3\n",
            "Settings file {p} is not valid TOML: Expected ']' at the end of a table declaration "
            "(at line 1, column 7). Correct it and start again; nothing was changed.",
        ),
        (
            b"\xff\xfe[\x00m\x00",
            "Settings file {p} is not UTF-8 text (byte 0). Save it as UTF-8 and start again; "
            "nothing was changed.",
        ),
        (
            b"a = " + b"[" * 5000,
            "Settings file {p} nests arrays or tables far deeper than any setting; correct it "
            "and start again. Nothing was changed.",
        ),
        (
            b"a." * 5000 + b"b = 1",
            "Settings file {p}, line 1: the key is nested far deeper than any setting; correct "
            "it and start again. Nothing was changed.",
        ),
        (
            b"#" * (64 * 1024 + 1),
            "Settings file {p} is larger than 64 KB, so it is not a settings file. Check the path "
            "given with --settings; nothing was changed.",
        ),
    ],
    ids=[
        "wrong-type",
        "nan",
        "operating-point-a-number",
        "operating-point-unknown",
        "threshold-replaced",
        "no-frames",
        "timeout-over-60",
        "negative-gate",
        "retention-overflow",
        "argon2-minimum",
        "qt-timer-overflow",
        "language",
        "unknown-section",
        "unknown-key",
        "section-not-table",
        "toml-syntax",
        "utf-16",
        "deep-array",
        "deep-dotted-key",
        "too-large",
    ],
)
def test_malformed_settings_files_name_the_file_and_the_key(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(content)
    with pytest.raises(SettingsError) as raised:
        Settings.load(path)
    assert str(raised.value) == message.format(p=path)


def test_a_settings_file_with_a_bom_loads(tmp_path: Path) -> None:
    path = tmp_path / "site.toml"
    path.write_bytes(b"\xef\xbb\xbf[match]\noperating_point = '1e-3'\n")
    assert Settings.load(path).match.operating_point == "1e-3"


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_an_unreadable_settings_path_is_a_settings_error(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "site.toml"
    if kind == "folder":
        path.mkdir()
    with pytest.raises(SettingsError, match=f"Cannot read settings file {path}: ") as raised:
        Settings.load(path)
    assert "Check the path given with --settings; nothing was changed." in str(raised.value)


def test_cli_reports_a_malformed_settings_file_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    monkeypatch.setenv(SECRET_ENV, "front desk secret")
    path = tmp_path / "site.toml"
    path.write_bytes(b"[capture]\ntimeout_seconds = nan\n")
    assert main(["--settings", str(path), "init"]) == 2
    err = capsys.readouterr().err
    assert err == f"error: {path}: [capture]: timeout_seconds must be a finite number, got nan\n"
    assert not (tmp_path / "home").exists()  # refused before anything was created


# ------------------------------------------------------------------------------------------
# The failed-sign-ins side file
# ------------------------------------------------------------------------------------------


def test_a_damaged_failed_sign_ins_file_keeps_each_line_as_an_entry(store_path: Path) -> None:
    store_path.parent.mkdir(parents=True)
    pending_path(store_path).write_bytes(
        b'{"at": "2026-11-27T08:00:00+00:00", "operator": "desk-1"}\n'
        + b"[" * 100_000
        + b"\n"
        + b'{"at": 5, "operator": "x"}\n\xff\xfe\n["at"]\n'
        + '{"at": "2026-11-27T08:01:00", "operator": "a\u2028b"}\n'.encode()
    )
    label = KeyFile(bytes(16), bytes(16), ()).label
    entries = read_failed_sign_ins(store_path, label)
    assert [e.label for e in entries] == [
        label("desk-1"),
        UNREADABLE,
        UNREADABLE,
        UNREADABLE,
        UNREADABLE,
        label("a\u2028b"),
    ]
    assert entries[0].at == datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    assert entries[-1].at == datetime(2026, 11, 27, 8, 1, tzinfo=UTC)
