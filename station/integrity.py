"""The package's list of its own files (issue 11): ``SHA256SUMS`` at the top of the program folder,
written at build time (packaging/write_manifest.py) and checked by ``face-station self-check``.

The format is ``sha256sum``'s: one line a file, ``<64 lowercase hex>  <path>``, the path relative
to the folder with forward slashes, lines sorted by path, SHA256SUMS itself not listed. So a site's
IT can also check the folder without the station: ``cd face-station && sha256sum -c SHA256SUMS``.

Symbolic links (PyInstaller 6 links a shared library kept in a package's folder to the copy at the
top of ``_internal``, and ``.so`` version names to the file): a link to a file inside the folder is
listed like a file, with the SHA-256 of what it points to, which is what ``sha256sum -c`` reads
too; a link that is swapped for one pointing elsewhere, or at other bytes, is then reported as
changed. The writer refuses a link that points outside the folder or nowhere (the package must
hold everything it runs) and a link to a folder (its files would be listed twice, or the link left
unchecked); the checker reports such a link as changed when listed, or as an extra file when not.

What this catches: damage, a partial copy or unpack, a file edited or added after installing. It is
not a signature: who can rewrite the program folder can rewrite SHA256SUMS too, so the check also
gives SHA256SUMS's own SHA-256, to compare with the one published beside the release.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from station.biometrics.assets import sha256_file

__all__ = [
    "MANIFEST_NAME",
    "IntegrityReport",
    "ManifestError",
    "manifest_text",
    "read_manifest",
    "verify_manifest",
    "write_manifest",
]

MANIFEST_NAME = "SHA256SUMS"

_LINE = re.compile(r"^(?P<digest>[0-9a-f]{64})  (?P<path>.+)$")


class ManifestError(ValueError):
    """The folder cannot be listed, or a SHA256SUMS line is not one this module writes."""


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    """What checking a folder against its SHA256SUMS found; paths as they stand in the list."""

    root: Path
    manifest_sha256: str  # of SHA256SUMS itself, to compare with the published one
    checked: int  # files listed, each looked at
    missing: tuple[str, ...]
    changed: tuple[str, ...]  # other bytes, or no longer a file or link inside the folder
    extra: tuple[str, ...]  # in the folder, not in the list

    @property
    def ok(self) -> bool:
        return not (self.missing or self.changed or self.extra)


def _entries(root: Path) -> Iterator[str]:
    """Every non-folder under `root` (files, links of any kind, others) and every link to a
    folder, as relative forward-slash paths; links to folders are not followed."""
    for folder, dirnames, filenames in os.walk(root):
        here = Path(folder)
        links = [name for name in dirnames if (here / name).is_symlink()]
        dirnames[:] = [name for name in dirnames if name not in links]
        for name in (*filenames, *links):
            relative = (here / name).relative_to(root).as_posix()
            if relative != MANIFEST_NAME:
                yield relative


def _problem(root: Path, path: Path) -> str | None:
    """None when `path` is a regular file, or a link to one inside `root`; else what it is."""
    if path.is_symlink():
        target = path.resolve()
        if not target.is_relative_to(root.resolve()):
            return f"is a link to {target}, outside the folder"
        if not target.exists():
            return "is a link to nothing"
        if target.is_dir():
            return "is a link to a folder"
    elif not path.is_file():
        return "is not a regular file"
    return None


def manifest_text(root: Path) -> str:
    """SHA256SUMS for the folder `root` as it is now; ManifestError if it holds something the list
    cannot carry (see the module's notes on links)."""
    lines = []
    for relative in sorted(_entries(root)):
        problem = _problem(root, root / relative)
        if problem is not None:
            raise ManifestError(f"{relative} {problem}: it cannot go into {MANIFEST_NAME}.")
        if "\n" in relative or "\\" in relative:  # sha256sum would escape these names
            raise ManifestError(f"{relative!r}: a newline or backslash in a file name.")
        lines.append(f"{sha256_file(root / relative)}  {relative}\n")
    return "".join(lines)


def write_manifest(root: Path) -> Path:
    """Write `root`/SHA256SUMS (replacing it atomically); its path."""
    text = manifest_text(root)
    target = root / MANIFEST_NAME
    partial = target.with_name(MANIFEST_NAME + ".partial")
    partial.write_text(text, encoding="utf-8", newline="\n")
    os.replace(partial, target)
    return target


def read_manifest(text: str) -> dict[str, str]:
    """path -> SHA-256 from a SHA256SUMS text; ManifestError on a line this module does not write,
    or on a path that is absolute or climbs out of the folder."""
    listed: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = _LINE.match(line)
        path = PurePosixPath(match["path"]) if match else None
        if match is None or path is None or path.is_absolute() or ".." in path.parts:
            raise ManifestError(f"{MANIFEST_NAME} line {number} is not `<sha256>  <path>`.")
        listed[match["path"]] = match["digest"]
    return listed


def _has_digest(path: Path, expected: str) -> bool:
    try:
        return sha256_file(path) == expected
    except OSError:  # unreadable: as good as changed
        return False


def verify_manifest(root: Path) -> IntegrityReport:
    """Check every file SHA256SUMS lists, and look for files it does not list. FileNotFoundError
    when `root` has no SHA256SUMS; ManifestError when it is not readable as one."""
    manifest = root / MANIFEST_NAME
    listed = read_manifest(manifest.read_text(encoding="utf-8"))
    missing: list[str] = []
    changed: list[str] = []
    for relative, expected in listed.items():
        path = root / relative
        if not os.path.lexists(path):
            missing.append(relative)
        elif _problem(root, path) is not None or not _has_digest(path, expected):
            changed.append(relative)
    extra = sorted(set(_entries(root)) - listed.keys())
    return IntegrityReport(
        root=root,
        manifest_sha256=sha256_file(manifest),
        checked=len(listed),
        missing=tuple(missing),
        changed=tuple(changed),
        extra=tuple(extra),
    )
