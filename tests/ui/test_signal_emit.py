"""PySide6 6.12.0 drops a reference to True on every Signal.emit() made from Python. On Python 3.11
True is not immortal, so a window that has shown a few thousand camera frames (two emits each)
aborts with "bool_dealloc"; ui/__init__.py gives True a count no session can use up."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EMITS = 200_000  # True's count in a fresh interpreter is a few thousand
PROGRAM = """
{prelude}
from PySide6.QtCore import QCoreApplication, QObject, Signal

class Emitter(QObject):
    fired = Signal()

application = QCoreApplication([])
emitter = Emitter()
for _ in range({emits}):
    emitter.fired.emit()
print("still running")
"""


def _emitting(prelude: str) -> subprocess.CompletedProcess[str]:
    code = PROGRAM.format(prelude=prelude, emits=EMITS)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_process_that_imports_ui_survives_many_signal_emissions() -> None:
    run = _emitting("import ui")
    assert run.returncode == 0, run.stderr[-2000:]
    assert "still running" in run.stdout


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="True is immortal from Python 3.12 on")
def test_without_ui_pyside_still_exhausts_true_so_the_workaround_is_needed() -> None:
    """When this fails, PySide6 no longer drops the reference: remove the workaround."""
    run = _emitting("")
    assert run.returncode != 0
    assert "bool_dealloc" in run.stderr
