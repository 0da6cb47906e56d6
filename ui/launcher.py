"""The `face-station` console script: headless commands from station.cli, the window from ui.app.

Qt is imported only when the window is asked for, so `face-station eval` and friends start fast.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Sequence

from station.cli import main as station_main
from station.cli.common import WindowRequest


def _run_window(request: WindowRequest) -> int:
    from ui.app import run_gui

    return run_gui(request)


def main(argv: Sequence[str] | None = None) -> int:
    # The window describes faces in a spawned child; a frozen build must let that child start.
    multiprocessing.freeze_support()
    return station_main(argv, gui=_run_window)


if __name__ == "__main__":
    sys.exit(main())
