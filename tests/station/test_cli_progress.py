"""Issue 12: the long commands show their progress. With standard error a terminal (a real pseudo
terminal here), a one-line bar redrawn in place and wiped at the end; with no terminal, nothing but
the answer, or plain lines with --verbose. The real commands on a real store, in this process."""

from __future__ import annotations

import io
import os
import re
import termios
import threading
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path

import pytest

from station.cli import HOME_ENV, SECRET_ENV
from station.cli.progress import ProgressPrinter
from station.native_quiet import VERBOSE_ENV
from tests.conftest import run_cli

FAST_STORE = "[store]\nkdf_time_cost = 1\nkdf_memory_kib = 8192\nkdf_parallelism = 1\n"
COLUMNS = 72
PERCENT = re.compile(r"(\d+)%")


class Terminal:
    """A pseudo terminal standing in for the operator's: what the program writes to its end, read
    on the other as the operator would see it (COLUMNS wide)."""

    def __init__(self, encoding: str = "utf-8") -> None:
        primary, secondary = os.openpty()
        termios.tcsetwinsize(secondary, (24, COLUMNS))
        self._primary = primary
        self.stream = io.TextIOWrapper(os.fdopen(secondary, "wb"), encoding=encoding)
        self._received = bytearray()
        # Read as it is written: a terminal's buffer is small, a full one would block the writer.
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self._primary, 4096)
            except OSError:  # the program's end closed
                return
            if not chunk:
                return
            self._received += chunk

    def close(self) -> None:
        """Close the program's end; `screen` is then everything it wrote."""
        encoding = self.stream.encoding
        self.stream.close()
        self._reader.join(10)
        os.close(self._primary)
        self.screen = self._received.decode(encoding)


@contextmanager
def terminal_stderr(encoding: str = "utf-8") -> Iterator[Terminal]:
    """Standard error is the terminal inside the block; read `.screen` after it."""
    terminal = Terminal(encoding)
    try:
        with redirect_stderr(terminal.stream):
            yield terminal
    finally:
        terminal.close()


def _redraws(screen: str) -> list[str]:
    """The bar as drawn each time: the text between carriage returns, padding stripped."""
    return [part.rstrip() for part in screen.split("\r") if part.strip()]


def _assert_a_bar_that_ends_wiped(screen: str, label: str, steps: set[str]) -> list[str]:
    assert "\x1b" not in screen and "\n" not in screen  # no escape sequence, one line only
    drawn = _redraws(screen)
    assert drawn and all(line.startswith(f"{label} ") for line in drawn), drawn
    assert all(len(line) < COLUMNS for line in drawn)  # never wraps onto a second line
    percents = [int(PERCENT.search(line).group(1)) for line in drawn]  # type: ignore[union-attr]
    assert percents == sorted(percents) and percents[-1] == 100, percents
    assert steps <= {line.split("%", 1)[1].strip() for line in drawn}
    assert "█" in drawn[-1] and "░" not in drawn[-1]  # a full bar at the end
    # Wiped: the last write blanks the longest bar drawn and returns to the line's start.
    assert re.search(r"\r +\r$", screen) and len(screen.rsplit("\r", 2)[-2]) >= len(drawn[-1])
    return drawn


@pytest.fixture
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A station with one member, made by the commands; returns the common arguments."""
    monkeypatch.setenv(SECRET_ENV, "front desk secret")
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    monkeypatch.delenv(VERBOSE_ENV, raising=False)
    site = tmp_path / "site.toml"
    site.write_text(FAST_STORE, encoding="utf-8")
    common = ["--settings", str(site)]
    assert run_cli([*common, "init"]) == 0
    assert run_cli([*common, "add-subject", "--member", "M-1", "--name", "Li Na"]) == 0
    return common


def test_backup_and_restore_draw_a_bar_on_a_terminal_and_wipe_it(
    cli_home: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "station.backup"
    capsys.readouterr()
    with terminal_stderr() as terminal:
        assert run_cli([*cli_home, "backup", "--out", str(backup)]) == 0
    drawn = _assert_a_bar_that_ends_wiped(
        terminal.screen,
        "backup",
        {"checking the store", "copying the store", "writing the backup file"},
    )
    assert len(drawn) >= 5  # redrawn as it goes, not once at the end
    assert capsys.readouterr().out.startswith("Backup saved to")  # the answer, alone on stdout

    target = tmp_path / "restored" / "station.db"
    with terminal_stderr() as terminal:
        assert run_cli([*cli_home, "--store", str(target), "restore", str(backup)]) == 0
    _assert_a_bar_that_ends_wiped(
        terminal.screen,
        "restore",
        {"checking the backup file", "copying the store", "checking the copy"},
    )
    assert capsys.readouterr().out.startswith("Restored the store")


def test_without_a_terminal_backup_and_restore_print_only_the_answer_or_lines_with_verbose(
    cli_home: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert run_cli([*cli_home, "backup", "--out", str(tmp_path / "quiet.backup")]) == 0
    quiet = capsys.readouterr()
    assert quiet.err == "" and quiet.out.startswith("Backup saved to")

    assert run_cli([*cli_home, "--verbose", "backup", "--out", str(tmp_path / "loud.backup")]) == 0
    loud = capsys.readouterr()
    assert loud.out.startswith("Backup saved to") and "\r" not in loud.err
    lines = loud.err.splitlines()
    assert all(re.fullmatch(r"backup: \d+% [a-z ]+", line) for line in lines), lines
    assert lines[0] == "backup: 0% unlocking the data key"
    assert lines[-1] == "backup: 100% reading the backup file back"
    assert len(lines) == len(set(lines)) <= 20  # a line per step and per tenth, no more

    restore = [*cli_home, "--store", str(tmp_path / "restored.db"), "restore"]
    assert run_cli([*restore, str(tmp_path / "quiet.backup")]) == 0
    quiet = capsys.readouterr()
    assert quiet.err == "" and quiet.out.startswith("Restored the store")
    assert run_cli([*restore, str(tmp_path / "quiet.backup")]) == 1
    refused = capsys.readouterr()
    assert refused.err.startswith("error: A store already exists")  # the error alone, no bar


def test_the_bar_falls_back_to_ascii_and_escapes_what_it_is_told() -> None:
    """A terminal whose encoding has no block characters gets # and -; a file name with a control
    character in it is written out, not sent to the terminal (issue 16)."""
    with terminal_stderr(encoding="ascii") as terminal:
        with ProgressPrinter("pad-eval", counted=True) as progress:
            progress(1, 4, "live/a\x1b[2J.mp4: accepted")
            progress(1, 4, "live/a\x1b[2J.mp4: accepted")  # the same text: not redrawn
            progress(4, 4, "print/held: refused (still)")
    drawn = _redraws(terminal.screen)
    assert drawn == [
        "pad-eval " + "#" * 6 + "-" * 18 + "  25%  1/4 live/a\\x1b[2J.mp4: accepted",
        "pad-eval " + "#" * 24 + " 100%  4/4 print/held: refused (still)",
    ]


@pytest.mark.usefixtures("models")
def test_eval_counts_identities_on_the_bar(
    tmp_path: Path, faces: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`eval` says how many identities of how many are described (symlinks to LFW, never copies);
    the quiet run without a terminal is test_cli.py's."""
    lfw = faces / "lfw"
    dataset = tmp_path / "set"
    dataset.mkdir()
    for identity in [d for d in sorted(lfw.iterdir()) if len(list(d.iterdir())) >= 4][:3]:
        (dataset / identity.name).symlink_to(identity, target_is_directory=True)
    with terminal_stderr() as terminal:
        assert run_cli(["eval", str(dataset), "--max-images", "4", "--jobs", "1"]) == 0
    drawn = _assert_a_bar_that_ends_wiped(terminal.screen, "eval", {"3/3 identities"})
    assert [line.split("%", 1)[1].strip() for line in drawn] == [
        "1/3 identities",
        "2/3 identities",
        "3/3 identities",
    ]
    assert '"identities": 3' in capsys.readouterr().out
