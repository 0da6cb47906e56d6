"""Attempt limits per claimed identity, one rule for every factor: face (R24, after NIST SP 800-63B-4
on biometric throttling) and PIN (R5, after NIST SP 800-63B-4 on online guessing of a memorized
secret).

Pure: the caller passes the stored state, the factor's limits and now. Only 1:1 verification has a
claimed identity to count against; 1:N identification (off by default, R21) has none and is not
limited here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from station.domain import AttemptCheck, AttemptFactor, AttemptState, AttemptVerdict, VerifyStatus


@dataclass(frozen=True)
class AttemptLimits:
    """`free_failures` consecutive failures may be followed at once; after that each attempt waits
    `first_wait` after the last failure, doubled with every further failure up to `longest_wait`;
    `disable_after` failures switch the factor off until an administrator re-enables it."""

    free_failures: int
    disable_after: int
    first_wait: timedelta
    longest_wait: timedelta

    def wait_after(self, failures: int) -> timedelta:
        """How long the next attempt waits after the last of `failures` consecutive failures."""
        if failures < self.free_failures:
            return timedelta(0)
        doublings = min(failures - self.free_failures, 20)  # 2**20 × 30 s is a year: past any limit
        return min(self.first_wait * (1 << doublings), self.longest_wait)


# R24: at most 5 consecutive face failures, then at least 30 s between attempts; after 50 failures
# face is disabled for that identity until an administrator re-enables it. A success resets the
# count. With the liveness check on (R23) the limits are 10 and 100: NIST SP 800-63B-4 (3.2.3)
# allows the higher limits only where presentation-attack detection is in force, because a photo
# or a screen of the member then fails the check instead of being one more try at a false match;
# what is left to guess at is the false-match rate of a live face, which 100 attempts at
# FMR <= 1e-4 (R22) keep near 1 in 100. Switched off by an administrator, the stricter 5 / 50
# apply again at once.
FACE = AttemptLimits(5, 50, timedelta(seconds=30), timedelta(seconds=30))
FACE_WITH_LIVENESS = AttemptLimits(10, 100, timedelta(seconds=30), timedelta(seconds=30))

# R5, after NIST SP 800-63B-4 on rate limiting: no more than 100 consecutive failed attempts per
# account, and before that a wait that grows as the count nears the limit (its example: 30 s up to
# an hour). 100 PINs out of the 10**6 of six digits (MIN_PIN_DIGITS) is a 1-in-10,000 chance for a
# guesser before PIN is switched off: the false-match rate R22 asks of the face. 3 slips are free
# (as at sign-in, R12); then 30 s, doubling up to an hour, so the 100 take days of standing at the
# desk, while the member can still be verified by an ID document.
PIN = AttemptLimits(3, 100, timedelta(seconds=30), timedelta(hours=1))


# The outcomes that count as a failed attempt (R24): a photo held up to the camera is an attempt.
FAILURES = frozenset({VerifyStatus.REJECTED, VerifyStatus.NOT_LIVE})


def limits(factor: AttemptFactor, *, liveness: bool) -> AttemptLimits:
    """The limits in force for `factor`; the face's depend on a liveness check (R23)."""
    if factor is AttemptFactor.PIN:
        return PIN
    return FACE_WITH_LIVENESS if liveness else FACE


def check_attempt(state: AttemptState, now: datetime, rule: AttemptLimits) -> AttemptCheck:
    """May an attempt start now? Asked before the camera opens or the PIN hash is read."""
    if state.disabled_at is not None or state.consecutive_failures >= rule.disable_after:
        return AttemptCheck(AttemptVerdict.DISABLED, state)
    wait = rule.wait_after(state.consecutive_failures)
    if not wait or state.last_failure_at is None:
        return AttemptCheck(AttemptVerdict.ALLOWED, state)
    remaining = (state.last_failure_at + wait - now).total_seconds()
    if remaining <= 0:
        return AttemptCheck(AttemptVerdict.ALLOWED, state)
    # A wall clock set back makes `remaining` exceed the wait; the refusal then lasts until the
    # clock catches up (the other ways still work, and an administrator can reset the count).
    return AttemptCheck(
        AttemptVerdict.WAIT, state, min(math.ceil(remaining), int(wait.total_seconds()))
    )


def after_outcome(
    state: AttemptState, status: VerifyStatus, now: datetime, rule: AttemptLimits
) -> AttemptState:
    """The state after a verification ended with `status`.

    REJECTED (a face compared and not matching, a wrong PIN) and NOT_LIVE (the liveness check did
    not confirm a live person, R23) are failures; no good frame, a cancel or a camera fault compared
    nobody and leave the count as it was. ACCEPTED resets it.
    """
    if status is VerifyStatus.ACCEPTED:
        return AttemptState()
    if status not in FAILURES:
        return state
    failures = state.consecutive_failures + 1
    disabled_at = state.disabled_at or (now if failures >= rule.disable_after else None)
    return AttemptState(failures, now, disabled_at)
