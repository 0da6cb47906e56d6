"""Decrypt every page of a SQLCipher 4 file, free pages included, to look for bytes SQL cannot see.

A deleted row leaves no trace a query can find, but its bytes may still sit in a free page or in the
unused space of a live page; only reading the pages themselves shows whether ``secure_delete``
(R14) really overwrote them, or whether anything image-like (R10) reached the file.

The store is keyed with a raw 256-bit key (``PRAGMA key = "x'<hex>'"``), which SQLCipher uses
directly as the AES-256 key. SQLCipher 4 defaults: pages of 4096 bytes, each ending in 80 reserved
bytes = a 16-byte IV + a 64-byte HMAC-SHA512; AES-256-CBC without padding over the rest; page 1
starts with the 16-byte salt in plain text and its ciphertext starts at offset 16. The HMAC key is
PBKDF2-HMAC-SHA512 (2 iterations) of the key with the salt XOR 0x3a; each page's HMAC covers its
ciphertext, its IV and its page number (4 bytes, little-endian). Every page's HMAC is checked, so a
wrong key or a misread layout fails loudly instead of yielding noise that "contains nothing".
"""

from __future__ import annotations

import hashlib
import hmac
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from station.storage.keys import key_file_path, read_key_file

PAGE_SIZE = 4096
RESERVE = 80
IV_SIZE = 16
HMAC_SIZE = 64
SALT_SIZE = 16
KEY_SIZE = 32
HMAC_SALT_MASK = 0x3A
FAST_KDF_ITERATIONS = 2
SQLITE_HEADER = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")


class PageScanError(AssertionError):
    """The file cannot be decrypted with this key and layout (wrong key, damaged, not SQLCipher)."""


@dataclass(frozen=True)
class DecryptedPages:
    """Plain text of every page; ``pages[n - 1]`` is page n. Page 1 gets SQLite's usual header
    back in place of the salt, so offsets match a plain SQLite file."""

    pages: tuple[bytes, ...]

    @property
    def plaintext(self) -> bytes:
        return b"".join(self.pages)

    def pages_containing(self, needle: bytes) -> list[int]:
        """Page numbers (1-based) whose plain text holds ``needle``."""
        return [number for number, page in enumerate(self.pages, 1) if needle in page]

    def __contains__(self, needle: object) -> bool:
        return isinstance(needle, bytes) and bool(self.pages_containing(needle))


def store_key(store_path: Path, secret: str, operator: str = "admin") -> bytes:
    """The data key the station opens ``store_path`` with, out of the operator's key slot."""
    key = bytes(read_key_file(key_file_path(store_path)).unlock(operator, secret))
    assert len(key) == KEY_SIZE
    return key


def _hmac_key(key: bytes, salt: bytes) -> bytes:
    hmac_salt = bytes(byte ^ HMAC_SALT_MASK for byte in salt)
    return hashlib.pbkdf2_hmac("sha512", key, hmac_salt, FAST_KDF_ITERATIONS, KEY_SIZE)


def _decrypt_page(
    raw: bytes, number: int, key: bytes, hmac_key: bytes, page_size: int, where: str
) -> bytes:
    """One page's plain text (page_size bytes; the reserved tail comes back as zeros)."""
    if len(raw) != page_size:
        raise PageScanError(f"{where}: page {number} is {len(raw)} bytes, expected {page_size}")
    start = SALT_SIZE if number == 1 else 0
    end = page_size - RESERVE
    ciphertext = raw[start:end]
    iv = raw[end : end + IV_SIZE]
    stored_mac = raw[end + IV_SIZE : end + IV_SIZE + HMAC_SIZE]
    mac = hmac.new(hmac_key, ciphertext + iv + struct.pack("<I", number), hashlib.sha512)
    if not hmac.compare_digest(mac.digest(), stored_mac):
        raise PageScanError(
            f"{where}: page {number} fails its HMAC check: wrong key, damaged page or not a "
            "SQLCipher 4 file with 4096-byte pages"
        )
    decryptor = Cipher(algorithms.AES256(key), modes.CBC(iv)).decryptor()
    plain = decryptor.update(ciphertext) + decryptor.finalize()
    head = SQLITE_HEADER if number == 1 else b""
    return head + plain + bytes(RESERVE)


def decrypt_pages(path: Path, key: bytes, page_size: int = PAGE_SIZE) -> DecryptedPages:
    """Every page of the SQLCipher file at ``path``, free pages included.

    Raises PageScanError when the key is wrong or the layout is not the expected one: the HMAC of
    every page is checked, and page 1 must decrypt to a SQLite header saying ``page_size`` and
    ``RESERVE`` (file offsets 16-17 and 20).
    """
    if len(key) != KEY_SIZE:
        raise PageScanError(f"a raw SQLCipher key is {KEY_SIZE} bytes, got {len(key)}")
    data = Path(path).read_bytes()
    if not data or len(data) % page_size:
        raise PageScanError(f"{path}: {len(data)} bytes is not a whole number of pages")
    if data.startswith(SQLITE_HEADER):
        raise PageScanError(f"{path} is a plain SQLite file, not an encrypted one")
    hmac_key = _hmac_key(key, data[:SALT_SIZE])
    pages = tuple(
        _decrypt_page(
            data[offset : offset + page_size], number, key, hmac_key, page_size, str(path)
        )
        for number, offset in enumerate(range(0, len(data), page_size), 1)
    )
    header = pages[0]
    if header[16:18] != struct.pack(">H", page_size) or header[20] != RESERVE:
        raise PageScanError(
            f"{path}: page 1 decrypts to a header with page size {header[16:18].hex()} and "
            f"reserve {header[20]}; expected {page_size} and {RESERVE}"
        )
    if struct.unpack(">I", header[28:32])[0] not in (0, len(pages)):
        raise PageScanError(f"{path}: the header's page count does not match the file")
    return DecryptedPages(pages)


def _journal_records(data: bytes, page_size: int) -> Iterator[tuple[int, bytes]]:
    """(page number, stored page) of each record of a rollback journal (SQLite file format 4.1)."""
    if not data.startswith(JOURNAL_MAGIC):
        return  # a zeroed or truncated journal holds no records
    sector_size = struct.unpack(">I", data[20:24])[0] or 512
    record = 4 + page_size + 4
    offset = sector_size
    while offset + record <= len(data):
        number = struct.unpack(">I", data[offset : offset + 4])[0]
        yield number, data[offset + 4 : offset + 4 + page_size]
        offset += record


def decrypt_journal(
    path: Path, key: bytes, salt: bytes, page_size: int = PAGE_SIZE
) -> DecryptedPages:
    """The pages saved in a SQLCipher rollback journal (they are encrypted like the database's;
    ``salt`` is the first 16 bytes of the database file)."""
    hmac_key = _hmac_key(key, salt)
    return DecryptedPages(
        tuple(
            _decrypt_page(raw, number, key, hmac_key, page_size, str(path))
            for number, raw in _journal_records(Path(path).read_bytes(), page_size)
        )
    )


# B-tree page types (SQLite file format 1.6): interior and leaf pages of indexes and of tables.
_INTERIOR = {0x02, 0x05}
_BTREE = _INTERIOR | {0x0A, 0x0D}


def tree_pages(pages: DecryptedPages, root: int) -> list[int]:
    """The pages of the b-tree (a table or an index) whose root is page ``root``, in key order:
    interior pages before their children. Overflow pages are not followed."""
    page = pages.pages[root - 1]
    header = 100 if root == 1 else 0
    if page[header] not in _BTREE:
        raise PageScanError(f"page {root} is not a b-tree page (type {page[header]})")
    found = [root]
    if page[header] in _INTERIOR:
        cells = struct.unpack(">H", page[header + 3 : header + 5])[0]
        pointers = page[header + 12 : header + 12 + 2 * cells]
        for (offset,) in struct.iter_unpack(">H", pointers):
            found += tree_pages(pages, struct.unpack(">I", page[offset : offset + 4])[0])
        found += tree_pages(pages, struct.unpack(">I", page[header + 8 : header + 12])[0])
    return found


def free_pages(pages: DecryptedPages) -> list[int]:
    """The free list: each trunk page, then the free pages it lists (file format 1.5)."""
    found: list[int] = []
    trunk = struct.unpack(">I", pages.pages[0][32:36])[0]
    while trunk:
        page = pages.pages[trunk - 1]
        count = struct.unpack(">I", page[4:8])[0]
        found += [trunk, *(n for (n,) in struct.iter_unpack(">I", page[8 : 8 + 4 * count]))]
        trunk = struct.unpack(">I", page[0:4])[0]
    return found
