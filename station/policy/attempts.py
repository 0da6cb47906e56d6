"""Face attempt limits per claimed identity (R24, after NIST SP 800-63B-4 on biometric throttling).

Pure: the caller passes the stored state and now. Only 1:1 verification has a claimed identity to
count against; 1:N identification (off by default, R21) has none and is not limited here.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from station.domain import AttemptCheck, AttemptState, AttemptVerdict, VerifyStatus

# R24: at most 5 consecutive face failures (10 with liveness), then at least 30 s between attempts;
# after 50 (100 with liveness) failures face is disabled for that identity until an administrator
# re-enables it. A success resets the count.
FREE_FAILURES = 5
FREE_FAILURES_WITH_LIVENESS = 10
WAIT_BETWEEN_ATTEMPTS = timedelta(seconds=30)
DISABLE_AFTER_FAILURES = 50
DISABLE_AFTER_FAILURES_WITH_LIVENESS = 100


def limits(liveness: bool) -> tuple[int, int]:
    """(free consecutive failures, failures that disable face) for this kind of check."""
    if liveness:
        return FREE_FAILURES_WITH_LIVENESS, DISABLE_AFTER_FAILURES_WITH_LIVENESS
    return FREE_FAILURES, DISABLE_AFTER_FAILURES


def check_attempt(state: AttemptState, now: datetime, *, liveness: bool) -> AttemptCheck:
    """May a face attempt start now? Asked before the camera opens."""
    free, disable_after = limits(liveness)
    if state.disabled_at is not None or state.consecutive_failures >= disable_after:
        return AttemptCheck(AttemptVerdict.DISABLED, state)
    if state.consecutive_failures < free or state.last_failure_at is None:
        return AttemptCheck(AttemptVerdict.ALLOWED, state)
    remaining = (state.last_failure_at + WAIT_BETWEEN_ATTEMPTS - now).total_seconds()
    if remaining <= 0:
        return AttemptCheck(AttemptVerdict.ALLOWED, state)
    # A wall clock set back makes `remaining` exceed the interval; the refusal then lasts until the
    # clock catches up (PIN still works, and an administrator can reset the count).
    wait = min(math.ceil(remaining), int(WAIT_BETWEEN_ATTEMPTS.total_seconds()))
    return AttemptCheck(AttemptVerdict.WAIT, state, wait)


def after_outcome(
    state: AttemptState, status: VerifyStatus, now: datetime, *, liveness: bool
) -> AttemptState:
    """The state after a face verification ended with `status`.

    Only REJECTED (a face was compared and did not match) is a failure; no good frame, a cancel or
    a camera fault compared nobody and leave the count as it was. ACCEPTED resets it.
    """
    if status is VerifyStatus.ACCEPTED:
        return AttemptState()
    if status is not VerifyStatus.REJECTED:
        return state
    failures = state.consecutive_failures + 1
    _free, disable_after = limits(liveness)
    disabled_at = state.disabled_at or (now if failures >= disable_after else None)
    return AttemptState(failures, now, disabled_at)
