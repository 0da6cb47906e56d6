"""What every command shares: where the store is, who signs in, how secrets are read, and the
context a command runs in (its arguments, the settings, and the station, opened when first used).

Each command module adds its sub-parsers in `add_commands(commands)` and binds each to a handler
with `set_defaults(run=handler)`; a handler takes the CommandContext and returns the exit status.
Module level imports stay light: `face-station --help` must not load numpy, dlib or SQLCipher."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from station.settings import Settings

if TYPE_CHECKING:
    from station.services import Station

SECRET_ENV = "FACE_STATION_SECRET"
NEW_PASSWORD_ENV = "FACE_STATION_NEW_PASSWORD"
RECOVERY_ENV = "FACE_STATION_RECOVERY_KEY"
HOME_ENV = "FACE_STATION_HOME"
OPERATOR_ENV = "FACE_STATION_OPERATOR"
# Who signs in when neither --operator nor FACE_STATION_OPERATOR says (README: "default `admin`").
DEFAULT_OPERATOR = "admin"


@dataclass(frozen=True)
class WindowRequest:
    """What `face-station gui` asks of the window (ui.launcher starts it; the core has no Qt).
    `report_ready` and `screenshot` are for checking an install: the package test and the
    start-up benchmark read the ready line, IT can save what the first screen looks like."""

    camera: str
    settings: Settings
    store_path: Path
    report_ready: bool = False
    screenshot: Path | None = None


GuiRunner = Callable[[WindowRequest], int]


class UsageError(Exception):
    """The command line cannot be carried out as given; the message says what to give instead."""


def default_store_path(platform: str = sys.platform) -> Path:
    """`$FACE_STATION_HOME/station.db`, else station.db in the per-user data folder where each
    platform's installer and uninstaller expect it (docs/installers-windows-macos.md): Windows
    %LOCALAPPDATA%\\face-station, macOS ~/Library/Application Support/face-station, elsewhere
    ~/.local/share/face-station."""
    home = os.environ.get(HOME_ENV)
    if home:
        base = Path(home)
    elif platform == "win32":
        local = os.environ.get("LOCALAPPDATA")  # set by Windows at every logon
        base = (Path(local) if local else Path.home() / "AppData" / "Local") / "face-station"
    elif platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "face-station"
    else:
        base = Path.home() / ".local" / "share" / "face-station"
    return base / "station.db"


def ask_secret(prompt: str, env: str) -> str:
    """A password, PIN or passphrase from `env`, else typed at the terminal without echo. With no
    terminal (a script, a service) and no variable, say how to pass it instead of failing deep in
    getpass."""
    given = os.environ.get(env)
    if given:
        return given
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            f"{prompt.rstrip(': ')} is needed and there is no terminal to type it in: set the "
            f"environment variable {env}, or run the command in a terminal."
        )
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise UsageError(f"{prompt.rstrip(': ')} was not given (input ended).") from None


def password(prompt: str = "Password: ") -> str:
    """The signed-in operator's own password."""
    return ask_secret(prompt, SECRET_ENV)


def new_password() -> str:
    return ask_secret("New password: ", NEW_PASSWORD_ENV)


def say(text: str, *, newlines: bool = False, file: TextIO | None = None) -> None:
    """Print a line that carries stored or foreign text (names, member numbers, audit details, a
    notice, an export's contents, an error naming them) with every control, escape and bidi
    character written out visibly (issue 16): nothing stored can drive or disguise the terminal.
    `newlines` keeps the line breaks of a text printed whole."""
    from station.domain.text import visible  # station.domain loads numpy: not at --help

    print(visible(text, newlines=newlines), file=file)


def positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


class CommandContext:
    """One command's run: its arguments, the settings given with --settings (naming no key without
    it, so the store's settings stay in force), and the station it signs in to on first use
    (closed by `face-station` when the command ends)."""

    def __init__(
        self, args: argparse.Namespace, settings: Settings, gui: GuiRunner | None = None
    ) -> None:
        self.args = args
        self.settings = settings
        self.gui = gui
        self._station: Station | None = None

    @property
    def store_path(self) -> Path:
        return Path(self.args.store) if self.args.store else default_store_path()

    @property
    def operator(self) -> str:
        return str(self.args.operator)

    @property
    def opened_store(self) -> bool:
        return self._station is not None

    @property
    def station(self) -> Station:
        """The store opened with --operator and their password (asked once)."""
        if self._station is None:
            from station.services.opening import open_station

            self._station = open_station(self.store_path, self.operator, password(), self.settings)
        return self._station

    def close(self) -> None:
        if self._station is not None:
            self._station.close()
            self._station = None
