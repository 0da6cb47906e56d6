"""Issue 16: the non-face path is defended like the face path. Wrong PINs (with a member number or
a card number) are limited per member with the same rule as face attempts (R24's rule, the PIN's
own limits, R5), through the real services on a real store with an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from station.domain import AttemptState, AttemptVerdict, VerifyStatus
from station.policy.attempts import PIN, after_outcome, check_attempt

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


# the pure rule
def test_r5_pin_limits_3_free_then_30_s_doubling_to_an_hour_then_off_at_100() -> None:
    state = AttemptState()
    waits = []
    for failure in range(1, 13):
        state = after_outcome(state, VerifyStatus.REJECTED, NOW, PIN)
        assert state.consecutive_failures == failure
        waits.append(check_attempt(state, NOW, PIN).wait_seconds)
    assert waits == [0, 0, 30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]
    waiting = check_attempt(AttemptState(4, NOW), NOW + timedelta(seconds=59.5), PIN)
    assert waiting.verdict is AttemptVerdict.WAIT and waiting.wait_seconds == 1
    assert check_attempt(AttemptState(4, NOW), NOW + timedelta(seconds=60), PIN).allowed

    ninety_nine = after_outcome(AttemptState(98, NOW), VerifyStatus.REJECTED, NOW, PIN)
    assert ninety_nine.disabled_at is None
    assert check_attempt(ninety_nine, NOW + timedelta(hours=1), PIN).allowed
    hundred = after_outcome(ninety_nine, VerifyStatus.REJECTED, NOW, PIN)
    assert hundred.disabled_at == NOW
    assert check_attempt(hundred, NOW + timedelta(days=365), PIN).verdict is AttemptVerdict.DISABLED
    assert after_outcome(AttemptState(7, NOW), VerifyStatus.ACCEPTED, NOW, PIN) == AttemptState()
