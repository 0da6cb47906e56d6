"""PySide6 6.12.0 drops a reference to True on every Signal.emit() made from Python, and one to
None on every call that returns nothing. On Python 3.11 neither is immortal, so a window that has shown a few thousand camera frames aborts ("bool_dealloc",
"none_dealloc"); ui/__init__.py gives each a count no session can use up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CALLS = 200_000  # each singleton's count in a fresh interpreter is a few thousand
# What the window does per frame, one kind of call per singleton PySide6 drops.
DRAINS = {
    "True": "emitter.fired.emit()",
    "None": "emitter.setObjectName('frame')",
}
PROGRAM = """
{prelude}
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    fired = Signal()

application = QCoreApplication([])
emitter = Emitter()
for _ in range({calls}):
    {call}
print("still running")
"""


def _calling(prelude: str, call: str) -> subprocess.CompletedProcess[str]:
    code = PROGRAM.format(prelude=prelude, calls=CALLS, call=call)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("singleton", sorted(DRAINS))
def test_a_process_that_imports_ui_survives_many_calls_that_drop_a_singleton(
    singleton: str,
) -> None:
    run = _calling("import ui", DRAINS[singleton])
    assert run.returncode == 0, run.stderr[-2000:]
    assert "still running" in run.stdout


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="singletons are immortal from 3.12 on")
@pytest.mark.parametrize("singleton", sorted(DRAINS))
def test_without_ui_pyside_still_exhausts_the_singleton_so_the_workaround_is_needed(
    singleton: str,
) -> None:
    """When this fails, PySide6 no longer drops that reference: remove it from the workaround."""
    run = _calling("", DRAINS[singleton])
    assert run.returncode != 0
    assert {"None": "none_dealloc", "True": "bool_dealloc"}[singleton] in run.stderr
