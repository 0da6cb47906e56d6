"""Sign-in throttling (R12): a few wrong passwords are free, then each try waits longer.

Counted per operator name (someone guessing one account) and across all names (someone guessing
many), over the last hour; a successful sign-in clears that name's count.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

WINDOW = timedelta(hours=1)
FREE_PER_NAME = 3
FREE_IN_ALL = 10
FIRST_WAIT = timedelta(seconds=5)
LONGEST_WAIT = timedelta(minutes=5)


def sign_in_wait(
    failures_for_name: Iterable[datetime], all_failures: Iterable[datetime], now: datetime
) -> timedelta:
    """How long this name must wait before its next try (zero when it may try now)."""
    return max(_wait(failures_for_name, FREE_PER_NAME, now), _wait(all_failures, FREE_IN_ALL, now))


def _wait(failures: Iterable[datetime], free: int, now: datetime) -> timedelta:
    recent = sorted(at for at in failures if timedelta(0) <= now - at < WINDOW)
    if len(recent) < free:
        return timedelta(0)
    delay = min(FIRST_WAIT * (1 << min(len(recent) - free, 10)), LONGEST_WAIT)
    return max(timedelta(0), recent[-1] + delay - now)
