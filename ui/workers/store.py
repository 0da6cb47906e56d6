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

from station.domain import StoreError, StoreProblem

P = ParamSpec("P")
T = TypeVar("T")
DamageHandler = Callable[[StoreError], None]


class ActionStopped(asyncio.CancelledError):
    """A desk action ended because the store is damaged; the window has told the operator. A
    cancellation, so the action's coroutine unwinds (its `finally` blocks run) and ends quietly
    instead of reaching sys.excepthook as a traceback."""


class _Lifetime:
    """Whether the window that owns the store thread has shut it down; shared by every view of
    that thread (reporting_damage_to)."""

    def __init__(self) -> None:
        self.ended = False


class StoreExecutor:
    def __init__(
        self,
        on_damage: DamageHandler | None = None,
        pool: ThreadPoolExecutor | None = None,
        lifetime: _Lifetime | None = None,
    ) -> None:
        self._pool = pool or ThreadPoolExecutor(max_workers=1, thread_name_prefix="station-store")
        self._on_damage = on_damage
        self._lifetime = lifetime or _Lifetime()

    def reporting_damage_to(self, on_damage: DamageHandler) -> StoreExecutor:
        """This store thread as a signed-in desk uses it: a call that finds the store damaged
        (StoreProblem.CORRUPT, whichever view made it) goes to `on_damage` on the GUI thread, and
        the calling action stops with ActionStopped (R12). Other failures reach the view, which
        names them where they happened; the sign-in page keeps the plain executor."""
        return StoreExecutor(on_damage, self._pool, self._lifetime)

    async def run(self, function: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Never touch widgets in `function`: it runs on the store thread."""
        future = self._pool.submit(functools.partial(function, *args, **kwargs))
        try:
            result = await asyncio.wrap_future(future)
            if self._lifetime.ended:
                # The window closed while this call ran: its widgets are gone, so the view that
                # asked must not go on to fill them. It unwinds quietly, as after damage.
                raise ActionStopped
            return result
        except StoreError as failure:
            if self._on_damage is None or failure.problem is not StoreProblem.CORRUPT:
                raise
            self._on_damage(failure)
            raise ActionStopped from None
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
        just before the window closed); cancelling it would leave that process behind. A view
        still awaiting one of these calls then stops with ActionStopped."""
        self._lifetime.ended = True
        self._pool.shutdown(wait=True)
