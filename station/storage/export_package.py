"""The face-data export file (R16): encrypted, authenticated, self-describing, and nothing more.

Layout (all of it bytes; the first two lines are ASCII / UTF-8 text)::

    FACE-STATION-EXPORT 1\\n                       magic + format version
    {"cipher":"AES-256-GCM","kdf":{...},"nonce":"..."}\\n   header: canonical JSON, one line
    <AES-256-GCM ciphertext of the payload, with its 16-byte tag at the end>

The header names the cipher, the 12-byte random nonce and the Argon2id parameters with their
16-byte random salt (base64). The key is Argon2id(passphrase, salt) with those parameters; the
passphrase is agreed with the recipient out of band and never stored. Both text lines are the
associated data of the encryption, so changing any header byte fails authentication just as a
changed ciphertext byte does.

The payload is canonical JSON with exactly: ``format_version``, ``model_id``, ``face_template``
(base64 of little-endian float32, in the model's own space) and, when consented, ``member_number``
and ``display_name``. No installation id or any other station detail: two stations' exports must
stay unlinkable (R15).
"""

from __future__ import annotations

import base64
import binascii
import enum
import hashlib
import json
import math
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from station.domain.models import Vector
from station.storage.files import write_private_atomically

MAGIC = b"FACE-STATION-EXPORT"
FORMAT_VERSION = 1
CIPHER = "AES-256-GCM"
KDF_NAME = "argon2id"
ARGON2_VERSION = 19
KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12
TAG_BYTES = 16
MIN_PASSPHRASE_LENGTH = 12
# One person's record is ~1 KB; the caps keep a hostile file from costing memory or time.
MAX_PACKAGE_BYTES = 1 << 20
MAX_HEADER_BYTES = 4096
MAX_TEMPLATE_VALUES = 4096
MAX_TIME_COST = 32
MIN_MEMORY_KIB = 8192
MAX_MEMORY_KIB = 1 << 20  # 1 GiB
MAX_PARALLELISM = 16

FACE_TEMPLATE = "face_template"
MEMBER_NUMBER = "member_number"
DISPLAY_NAME = "display_name"
_REQUIRED_KEYS = {"format_version", "model_id", FACE_TEMPLATE}
_OPTIONAL_KEYS = (MEMBER_NUMBER, DISPLAY_NAME)


class PackageProblem(enum.Enum):
    NOT_AN_EXPORT = "not_an_export"
    UNSUPPORTED_VERSION = "unsupported_version"
    DAMAGED = "damaged"
    WRONG_PASSPHRASE_OR_ALTERED = "wrong_passphrase_or_altered"
    UNREADABLE = "unreadable"


class ExportPackageError(ValueError):
    """The one error of reading an export; `problem` says which case, the message says it in words."""

    def __init__(self, problem: PackageProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(frozen=True)
class KdfParameters:
    """Argon2id cost; written into the header so the reader derives the same key."""

    time_cost: int = 3
    memory_kib: int = 65536
    parallelism: int = 2

    def problem(self) -> str | None:
        if not 1 <= self.time_cost <= MAX_TIME_COST:
            return f"time_cost must be 1..{MAX_TIME_COST}"
        if not 1 <= self.parallelism <= MAX_PARALLELISM:
            return f"parallelism must be 1..{MAX_PARALLELISM}"
        if not max(MIN_MEMORY_KIB, 8 * self.parallelism) <= self.memory_kib <= MAX_MEMORY_KIB:
            return f"memory_kib must be {MIN_MEMORY_KIB}..{MAX_MEMORY_KIB}"
        return None

    @classmethod
    def within_limits(cls, time_cost: int, memory_kib: int, parallelism: int) -> KdfParameters:
        """A cost (the site's store settings) brought into what an export file allows: a store
        kept cheaper than the export's floor still writes exports at that floor."""
        parallelism = min(max(parallelism, 1), MAX_PARALLELISM)
        memory = min(max(memory_kib, MIN_MEMORY_KIB, 8 * parallelism), MAX_MEMORY_KIB)
        return cls(min(max(time_cost, 1), MAX_TIME_COST), memory, parallelism)


@dataclass(frozen=True, eq=False)
class ExportContents:
    """What one export carries: the model id, the template and the other consented fields."""

    model_id: str
    face_template: Vector
    member_number: str | None = None
    display_name: str | None = None
    format_version: int = FORMAT_VERSION

    @property
    def data_types(self) -> tuple[str, ...]:
        present = [FACE_TEMPLATE]
        present += [key for key in _OPTIONAL_KEYS if getattr(self, key) is not None]
        return tuple(present)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExportContents):
            return NotImplemented
        return (
            self.model_id == other.model_id
            and self.member_number == other.member_number
            and self.display_name == other.display_name
            and self.format_version == other.format_version
            and self.face_template.dtype == other.face_template.dtype
            and np.array_equal(self.face_template, other.face_template)
        )

    __hash__ = None  # type: ignore[assignment]  # equal by value, and a numpy array is mutable


def encode_export(
    contents: ExportContents,
    passphrase: str,
    kdf: KdfParameters | None = None,
    audit_head: str | None = None,
) -> bytes:
    """The whole file as bytes; raises ValueError for contents or a passphrase it cannot write.
    `audit_head` (SEQ:HASH, the station's audit head it was made at) goes in the clear header,
    authenticated with the rest, so the sender can check its trail against it (issue 14)."""
    kdf = kdf or KdfParameters()
    if (problem := kdf.problem()) is not None:
        raise ValueError(f"Argon2id parameters out of range: {problem}")
    _check_passphrase(passphrase)
    payload = _payload_bytes(contents)
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    header = {
        "cipher": CIPHER,
        "kdf": {
            "name": KDF_NAME,
            "version": ARGON2_VERSION,
            "time_cost": kdf.time_cost,
            "memory_kib": kdf.memory_kib,
            "parallelism": kdf.parallelism,
            "salt": _b64(salt),
        },
        "nonce": _b64(nonce),
        **({"audit_head": audit_head} if audit_head else {}),
    }
    preamble = _magic_line(FORMAT_VERSION) + _canonical(header) + b"\n"
    key = _derive(passphrase, salt, kdf)
    return preamble + AESGCM(key).encrypt(nonce, payload, preamble)


def decode_export(data: bytes, passphrase: str) -> ExportContents:
    """Parse, authenticate and decrypt; every failure is an ExportPackageError."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise _not_an_export("The file is far too large to be a Face Station export.")
    version_end = data.find(b"\n", 0, len(MAGIC) + 8)
    if version_end < 0:
        if data and (MAGIC + b" ").startswith(data[: len(MAGIC) + 1]):
            raise _damaged("The export file is cut short (truncated).")
        raise _not_an_export("This is not a Face Station export file.")
    magic_line = data[:version_end]
    if not magic_line.startswith(MAGIC + b" "):
        raise _not_an_export("This is not a Face Station export file.")
    version_text = magic_line[len(MAGIC) + 1 :]
    if not (version_text.isdigit() and len(version_text) <= 6):
        raise _damaged("The export file's version line is damaged.")
    version = int(version_text)
    if version != FORMAT_VERSION:
        raise ExportPackageError(
            PackageProblem.UNSUPPORTED_VERSION,
            f"This export is format version {version}; this station reads version "
            f"{FORMAT_VERSION}. Use a Face Station that knows that version.",
        )
    header_end = data.find(b"\n", version_end + 1, version_end + 2 + MAX_HEADER_BYTES)
    if header_end < 0:
        raise _damaged("The export file's header is damaged or cut short.")
    header = _parse_header(data[version_end + 1 : header_end])
    preamble, ciphertext = data[: header_end + 1], data[header_end + 1 :]
    if len(ciphertext) < TAG_BYTES + 1:
        raise _damaged("The export file is cut short (truncated).")
    salt, nonce, kdf = header
    try:
        payload = AESGCM(_derive(passphrase, salt, kdf)).decrypt(nonce, ciphertext, preamble)
    except InvalidTag:
        raise ExportPackageError(
            PackageProblem.WRONG_PASSPHRASE_OR_ALTERED,
            "Wrong passphrase, or the file was altered or damaged after it was written.",
        ) from None
    return _parse_payload(payload)


def write_export(
    path: Path,
    contents: ExportContents,
    passphrase: str,
    kdf: KdfParameters | None = None,
    audit_head: str | None = None,
) -> str:
    """Write atomically with mode 0600 and return the file's SHA-256 (hex).

    The bytes are encrypted before anything touches the disk, so no plaintext ever lands in the
    temporary file beside the target.
    """
    data = encode_export(contents, passphrase, kdf, audit_head)
    write_private_atomically(Path(path), data)
    return hashlib.sha256(data).hexdigest()


def read_export(path: Path, passphrase: str) -> ExportContents:
    """The recipient's side: the contents, or an ExportPackageError saying what is wrong."""
    try:
        with open(path, "rb") as source:
            data = source.read(MAX_PACKAGE_BYTES + 1)
    except OSError as exc:
        raise ExportPackageError(
            PackageProblem.UNREADABLE, f"Cannot read {path}: {exc.strerror or exc}."
        ) from exc
    return decode_export(data, passphrase)


def _check_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise ValueError(f"The passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters.")


def _derive(passphrase: str, salt: bytes, kdf: KdfParameters) -> bytes:
    # NFC: the same passphrase typed on another system (composed vs decomposed accents) still fits.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hash_secret_raw(
        secret,
        salt,
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_kib,
        parallelism=kdf.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
        version=ARGON2_VERSION,
    )


def _payload_bytes(contents: ExportContents) -> bytes:
    if contents.format_version != FORMAT_VERSION:
        raise ValueError(f"Only format version {FORMAT_VERSION} can be written.")
    if not contents.model_id:
        raise ValueError("An export names the model its template belongs to.")
    template = np.asarray(contents.face_template, dtype=np.float32)
    if template.ndim != 1 or not 1 <= template.size <= MAX_TEMPLATE_VALUES:
        raise ValueError("A face template is a non-empty vector of numbers.")
    if not np.all(np.isfinite(template)):
        raise ValueError("A face template holds finite numbers only.")
    payload: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "model_id": contents.model_id,
        FACE_TEMPLATE: _b64(template.astype("<f4").tobytes()),
    }
    for key in _OPTIONAL_KEYS:
        value = getattr(contents, key)
        if value is not None:
            payload[key] = value
    return _canonical(payload)


def _parse_header(line: bytes) -> tuple[bytes, bytes, KdfParameters]:
    """(salt, nonce, parameters) from the header line; anything unexpected is damage."""
    try:
        header = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # deep nesting: a hostile header
        raise _damaged("The export file's header is damaged.") from None
    if not isinstance(header, dict) or set(header) - {"audit_head"} != {"cipher", "kdf", "nonce"}:
        raise _damaged("The export file's header is damaged.")
    kdf = header["kdf"]
    expected = {"name", "version", "time_cost", "memory_kib", "parallelism", "salt"}
    if (
        header["cipher"] != CIPHER
        or not isinstance(kdf, dict)
        or set(kdf) != expected
        or kdf["name"] != KDF_NAME
        or kdf["version"] != ARGON2_VERSION
        or not all(_is_int(kdf[k]) for k in ("time_cost", "memory_kib", "parallelism"))
    ):
        raise _damaged("The export file's header is damaged (unknown cipher or key settings).")
    parameters = KdfParameters(kdf["time_cost"], kdf["memory_kib"], kdf["parallelism"])
    if parameters.problem() is not None:
        raise _damaged("The export file's header is damaged (key settings out of range).")
    salt, nonce = _unb64(kdf["salt"]), _unb64(header["nonce"])
    if salt is None or len(salt) != SALT_BYTES or nonce is None or len(nonce) != NONCE_BYTES:
        raise _damaged("The export file's header is damaged (salt or nonce).")
    return salt, nonce, parameters


def _parse_payload(payload: bytes) -> ExportContents:
    """Authenticated, so only a writer holding the passphrase could have made it malformed."""
    try:
        body = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _damaged("The export's contents are not readable.") from None
    if not isinstance(body, dict):
        raise _damaged("The export's contents are not readable.")
    keys = set(body)
    if not keys >= _REQUIRED_KEYS or not keys <= _REQUIRED_KEYS | set(_OPTIONAL_KEYS):
        raise _damaged("The export's contents have unexpected fields.")
    if body["format_version"] != FORMAT_VERSION or not _is_int(body["format_version"]):
        raise _damaged("The export's contents name another format version.")
    raw = _unb64(body[FACE_TEMPLATE])
    texts = [body["model_id"], *(body.get(k, "") for k in _OPTIONAL_KEYS)]
    if (
        raw is None
        or not raw
        or len(raw) % 4
        or len(raw) // 4 > MAX_TEMPLATE_VALUES
        or not all(isinstance(t, str) for t in texts)
        or not body["model_id"]
    ):
        raise _damaged("The export's contents are not readable.")
    template = np.frombuffer(raw, dtype="<f4").astype(np.float32)
    if not all(math.isfinite(v) for v in template.tolist()):
        raise _damaged("The export's face template is not readable.")
    return ExportContents(
        model_id=body["model_id"],
        face_template=template,
        member_number=body.get(MEMBER_NUMBER),
        display_name=body.get(DISPLAY_NAME),
    )


def _magic_line(version: int) -> bytes:
    return MAGIC + b" " + str(version).encode("ascii") + b"\n"


def _canonical(value: dict[str, Any]) -> bytes:
    # ASCII-only JSON: the header line can never hold a raw newline or an encoding question.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode(
        "ascii"
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: object) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _not_an_export(message: str) -> ExportPackageError:
    return ExportPackageError(PackageProblem.NOT_AN_EXPORT, message)


def _damaged(message: str) -> ExportPackageError:
    return ExportPackageError(PackageProblem.DAMAGED, message)
