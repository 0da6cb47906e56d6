"""The shape issue 9 gave the code, kept by tests so it does not grow back: SQL only in
station/storage, service modules of one use case each and of a readable size, one dispatch style
for every command, and an import contract for the window that names every other part of the core."""

from __future__ import annotations

import ast
import tomllib
from argparse import ArgumentParser, _SubParsersAction
from pathlib import Path

from station.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
STATION = ROOT / "station"
MAX_SERVICE_LINES = 350
VIEWS_MAY_IMPORT = {"services", "domain", "settings"}


def _sql_calls(source: str) -> list[int]:
    """Lines that call .execute(...) or .executescript(...): where SQL is run."""
    return [
        node.lineno
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"execute", "executescript", "executemany"}
    ]


def test_the_sql_scan_finds_a_query() -> None:
    assert _sql_calls("def f(store):\n    store.execute('SELECT 1')\n") == [2]


def test_sql_is_written_only_in_station_storage() -> None:
    outside = {
        str(path.relative_to(ROOT)): lines
        for path in sorted(STATION.rglob("*.py"))
        if "storage" not in path.relative_to(STATION).parts
        and (lines := _sql_calls(path.read_text(encoding="utf-8")))
    }
    assert outside == {}, f"SQL outside station/storage (move it into a repository): {outside}"


def test_no_service_module_grows_past_a_readable_size() -> None:
    sizes = {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in (STATION / "services").glob("*.py")
    }
    assert len(sizes) >= 10
    too_long = {name: lines for name, lines in sizes.items() if lines > MAX_SERVICE_LINES}
    assert not too_long, f"split these services by use case: {too_long}"


def _commands(parser: ArgumentParser, prefix: str = "") -> dict[str, ArgumentParser]:
    found: dict[str, ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, _SubParsersAction):
            for name, sub in action.choices.items():
                nested = _commands(sub, f"{prefix}{name} ")
                found.update(nested or {f"{prefix}{name}": sub})
    return found


def test_every_command_is_dispatched_the_same_way() -> None:
    """Each command (and sub-command) binds its handler with set_defaults(run=...)."""
    commands = _commands(build_parser())
    assert len(commands) > 30
    unbound = [name for name, parser in commands.items() if not callable(parser.get_default("run"))]
    assert not unbound, f"commands without a run handler: {unbound}"


def test_the_window_contract_names_every_other_part_of_the_core() -> None:
    """ui.views may import station.services, station.domain and station.settings only; the
    import-linter contract forbids the rest by name, so a new part of station/ must join it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    views = next(c for c in contracts if c.get("source_modules") == ["ui.views"])
    forbidden = {name.removeprefix("station.") for name in views["forbidden_modules"]}
    parts = {
        path.stem if path.is_file() else path.name
        for path in STATION.iterdir()
        if (path.is_dir() and (path / "__init__.py").exists())
        or (path.suffix == ".py" and path.stem != "__init__")
    }
    assert parts - VIEWS_MAY_IMPORT == forbidden
