"""One thread owns the SQLCipher store and runs every service call (architecture example 4).

Service calls that capture (enroll, verify) also run here: they block on camera frames that the
camera worker's own QThread delivers, so the GUI thread never waits on either.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")


class StoreExecutor:
    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-store")

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Never touch widgets in `function`: it runs on the store thread."""
        future = self._pool.submit(functools.partial(function, *args, **kwargs))
        try:
            return await asyncio.wrap_future(future)
        finally:
            # A failure's traceback holds this frame: with the future (and so the exception) still
            # in it, the exception, the caller's frame and the widgets it names would become a
            # reference cycle, freed whenever Python's collector next runs, on whatever thread,
            # and a Qt widget freed off the GUI thread crashes the window.
            del future

    def submit(self, function: Callable[[], object]) -> None:
        """Fire and forget, in order after what is queued (closing the store on lock)."""
        self._pool.submit(function)

    def shutdown(self) -> None:
        """Finish what is queued: it may be closing a store and its descriptor process (a lock
        just before the window closed); cancelling it would leave that process behind."""
        self._pool.shutdown(wait=True)
