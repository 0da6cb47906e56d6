"""What the flows say and record about the liveness check (R23): the refusal's words, and the
audit detail of an attempt (the challenge's actions, the verdict and its measures, never a frame,
R10, R12)."""

from __future__ import annotations

from typing import Any

from station.biometrics.pipeline import CaptureStats

# The refusal both flows give when the check did not confirm a live person (issue 10). It does not
# say which check failed: the reason is in the audit trail for the site, not a hint for an attacker.
NOT_LIVE = "We could not confirm that a live person is in front of the camera."
NOT_LIVE_VERIFY = (
    f"{NOT_LIVE} Nothing was stored. Try again, facing the camera and doing the movement shown "
    "on the screen, or verify another way (PIN, card + PIN or an ID document)."
)
NOT_LIVE_ENROLL = (
    f"{NOT_LIVE} Nothing was stored. Try again, facing the camera and doing the movement shown "
    "on the screen, or set a PIN instead."
)


def liveness_failed(stats: CaptureStats) -> bool:
    """The capture ran the challenge and it did not pass (a cancel is not a failure)."""
    verdict = stats.liveness
    return verdict is not None and not verdict.passed and not stats.cancelled


def liveness_detail(stats: CaptureStats, enabled: bool) -> dict[str, Any]:
    """The audit detail of one capture's liveness check: whether it was on and, when it ran, the
    actions asked, the verdict, the reason of a failure and the measures (plain numbers,
    LivenessVerdict.audit_detail). Nothing of a frame."""
    verdict = stats.liveness
    if verdict is None:
        # Off, or the capture ended before the challenge began (no good first frame, a cancel).
        return {"liveness_enabled": enabled}
    return {"liveness_enabled": enabled, **verdict.audit_detail()}
