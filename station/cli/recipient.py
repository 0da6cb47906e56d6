"""`python -m station.cli.recipient read-export FILE`: a face-data export read by its recipient,
who has no station of their own (R16). No store is opened; the passphrase comes from
FACE_STATION_EXPORT_PASSPHRASE or a prompt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from station.cli.common import UsageError
from station.cli.transfer import add_read_export, read_export_file


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m station.cli.recipient")
    add_read_export(parser.add_subparsers(dest="command", required=True))
    try:
        return read_export_file(parser.parse_args(argv))
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
