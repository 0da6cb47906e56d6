#!/usr/bin/env python3
"""Write SHA256SUMS, the list of the package's files and their SHA-256, into the built folder.

    python packaging/write_manifest.py dist/face-station

Run after PyInstaller and before the tarball (`make package`): every file of the folder is listed,
in ``sha256sum`` format, so ``face-station self-check`` (or ``sha256sum -c SHA256SUMS`` in the
folder) can tell a site's IT whether the installed program is the one built (issue 11). The format
and the handling of symbolic links are station.integrity's. Exit status 0 when written, 1 when the
folder holds something the list cannot carry (a link out of the folder, to nothing, or to a folder).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parent.parent
if str(_REPO_ROOT) not in sys.path:  # run as a script from a checkout, installed or not
    sys.path.insert(0, str(_REPO_ROOT))

from station.integrity import MANIFEST_NAME, ManifestError, write_manifest  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="write_manifest.py",
        description=f"Write {MANIFEST_NAME} (sha256sum format) listing every file of a folder.",
    )
    parser.add_argument("folder", type=Path, help="the built program folder (dist/face-station)")
    args = parser.parse_args(argv)
    folder: Path = args.folder
    if not folder.is_dir():
        print(f"write_manifest: error: {folder} is not a folder", file=sys.stderr)
        return 1
    try:
        written = write_manifest(folder)
    except ManifestError as exc:
        print(f"write_manifest: error: {exc}", file=sys.stderr)
        return 1
    count = len(written.read_text(encoding="utf-8").splitlines())
    print(f"write_manifest: {count} files listed in {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
