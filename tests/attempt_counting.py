"""R24's numbers read off the running service, not off its constants: face attempts are made one
after another through `verification.face` and counted until the answer changes, and a wait is
measured by moving the fake clock on a second at a time until an attempt may start again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from station.capture import FrameSource
from station.domain import VerificationOutcome, VerifyStatus
from station.services import Station
from tests.basics import FrozenClock

FAILED = (VerifyStatus.REJECTED, VerifyStatus.NOT_LIVE)  # a face compared, or not live (R23)
SECOND = timedelta(seconds=1)
MOST_ATTEMPTS = 1_000  # far past any limit the rule sets: a count that gets here has no limit
LONGEST_WAIT_SECONDS = 3_600


def failures_until(
    station: Station,
    member: str,
    camera: Callable[[], FrameSource],
    clock: FrozenClock,
    answer: VerifyStatus,
    pause: timedelta = timedelta(0),
) -> int:
    """How many face attempts failed, one after another each `pause` after the last, before the
    station answered `answer` instead of trying."""
    for failures in range(MOST_ATTEMPTS):
        clock.advance(pause)
        outcome = station.verification.face(member, camera, "desk-1")
        if outcome.status is answer:
            return failures
        assert outcome.status in FAILED, outcome.message
    raise AssertionError(f"still no {answer.value} after {MOST_ATTEMPTS} failures")


def measured_wait(
    station: Station, member: str, camera: Callable[[], FrameSource], clock: FrozenClock
) -> tuple[int, VerificationOutcome]:
    """The whole seconds the clock moved on, one at a time from now, until a face attempt was let
    through (each earlier one answered TOO_SOON); and that attempt's outcome."""
    waited = 0
    while (outcome := station.verification.face(member, camera, "desk-1")).status is (
        VerifyStatus.TOO_SOON
    ):
        assert waited < LONGEST_WAIT_SECONDS, "the wait never ended"
        clock.advance(SECOND)
        waited += 1
    return waited, outcome


def measured_limits(
    station: Station, member: str, camera: Callable[[], FrameSource], clock: FrozenClock
) -> tuple[int, int, int]:
    """(failures in a row answered at once, the wait in seconds after one more, the failure that
    switched face off), as a person who keeps failing meets them from a clean count. After the
    measured wait every further attempt is made exactly that long after the last and must run: a
    wait that grew would answer TOO_SOON instead."""
    free = failures_until(station, member, camera, clock, VerifyStatus.TOO_SOON)
    wait, outcome = measured_wait(station, member, camera, clock)
    assert outcome.status in FAILED, outcome.message
    more = failures_until(
        station, member, camera, clock, VerifyStatus.FACE_DISABLED, pause=wait * SECOND
    )
    return free, wait, free + 1 + more
