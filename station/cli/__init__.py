"""`face-station`: the station without a screen, and the entry point of the window (`gui`)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from station import __version__
from station.cli import (
    accounts,
    admin,
    backup,
    desk,
    evaluation,
    reports,
    self_check,
    setup,
    transfer,
)
from station.cli.common import (
    DEFAULT_OPERATOR,
    HOME_ENV,
    OPERATOR_ENV,
    SECRET_ENV,
    CommandContext,
    GuiRunner,
    UsageError,
    WindowRequest,
    default_store_path,
    say,
)
from station.native_quiet import is_verbose, verbosity
from station.settings import RULE_BOUNDS, Bounds, Settings, SettingsError

__all__ = ["HOME_ENV", "SECRET_ENV", "build_parser", "main"]

# One module per command group, each with add_commands(commands) (station.cli.common).
COMMAND_GROUPS = (setup, self_check, desk, accounts, admin, reports, transfer, backup, evaluation)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="face-station", description="Face Station")
    parser.add_argument("--version", action="version", version=f"face-station {__version__}")
    parser.add_argument(
        "--settings",
        type=Path,
        help="settings TOML file to apply; what it changes needs an administrator (R12)",
    )
    parser.add_argument(
        "--store", type=Path, default=None, help=f"store file (default: {default_store_path()})"
    )
    parser.add_argument(
        "--operator",
        default=os.environ.get(OPERATOR_ENV, DEFAULT_OPERATOR),
        help="the operator account to sign in as (env FACE_STATION_OPERATOR; default %(default)s)",
    )
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="also show the native libraries' own messages (OpenCV, FFmpeg, dlib) and progress "
        "lines; a quiet run prints only the answer (env FACE_STATION_VERBOSE=1)",
    )
    commands = parser.add_subparsers(dest="command")
    gui = commands.add_parser("gui", help="start the operator window (the default)")
    gui.add_argument("--camera", default="0", help="webcam index or a video / image folder path")
    gui.add_argument(
        "--report-ready",
        action="store_true",
        help="print 'ready <unix time> pid <pid>' once the window is up and answering (install "
        "checks, start-up timing)",
    )
    gui.add_argument(
        "--screenshot",
        type=Path,
        help="save the first screen (sign-in, no camera) as this PNG once it is up",
    )
    gui.set_defaults(run=_run_window)
    for group in COMMAND_GROUPS:
        group.add_commands(commands)
    return parser


def main(
    argv: Sequence[str] | None = None, gui: GuiRunner | None = None, bounds: Bounds = RULE_BOUNDS
) -> int:
    """Headless commands; `gui` is handed in by ui.launcher, since the core never imports Qt.
    `bounds` is for tests only (station.settings.Settings): the console script passes nothing."""
    given = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(given)
    if args.command is None:  # no command: the window, with the gui command's defaults
        args = build_parser().parse_args([*given, "gui"])
    try:
        settings = Settings.load(args.settings, bounds)
    except SettingsError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 2
    context = CommandContext(args, settings, gui)
    # Imported here so `--help` and `gui` start fast; these pull numpy, dlib and SQLCipher.
    from station.biometrics.assets import ModelAssetError
    from station.capture import CameraError
    from station.domain import StationError
    from station.storage.errors import store_error

    try:
        with verbosity(args.verbose or is_verbose()):
            status: int = args.run(context)
        return status
    except UsageError as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 2
    except (ModelAssetError, StationError, CameraError, FileNotFoundError) as exc:
        say(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        # A full disk or a read-only data folder, in words an operator can act on.
        problem = store_error(exc, context.store_path)
        if problem is None:
            raise
        say(f"error: {problem}", file=sys.stderr)
        return 1
    finally:
        context.close()


def _run_window(context: CommandContext) -> int:
    if context.gui is None:
        raise UsageError("the operator window is started with `face-station gui`.")
    args = context.args
    return context.gui(
        WindowRequest(
            args.camera, context.settings, context.store_path, args.report_ready, args.screenshot
        )
    )


if __name__ == "__main__":
    sys.exit(main())
