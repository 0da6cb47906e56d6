"""Liveness (R23) as values every layer may hold: the actions a person is asked for, why a check
failed, and the verdict. A verdict carries numbers only, never a frame or a landmark (R10), so it
may go into an audit event as it is."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Action(enum.StrEnum):
    """What the station asks a person to do; left and right are the person's own."""

    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    LOOK_UP = "look_up"
    BLINK = "blink"

    @property
    def moves_head(self) -> bool:
        """A head movement shows parallax (the nose against the cheeks); a blink does not."""
        return self is not Action.BLINK


HEAD_MOVEMENTS: tuple[Action, ...] = tuple(a for a in Action if a.moves_head)


class LivenessFailure(enum.StrEnum):
    """Why a presentation was not taken for a live person."""

    NO_RESPONSE = "no_response"  # an action not seen in its time box, or another one done
    FLAT = "flat"  # a head movement whose landmarks fit a plane: a print or screen moved
    STILL = "still"  # no natural motion: a repeated image or a frozen feed
    FACE_CHANGED = "face_changed"  # the face lost, jumped, joined by another, or not the same


@dataclass(frozen=True)
class LivenessVerdict:
    """The result of one challenge: audit-safe numbers only (`measures`: the planarity residual,
    the motion, the continuity distance ...), never a frame."""

    passed: bool
    failure: LivenessFailure | None
    actions: tuple[Action, ...]
    measures: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.passed != (self.failure is None):
            raise ValueError("a verdict passes exactly when it names no failure")

    def audit_detail(self) -> dict[str, object]:
        """The verdict as an audit event's detail (R12, R23): the actions and the numbers."""
        return {
            "liveness_passed": self.passed,
            "liveness_failure": self.failure.value if self.failure else None,
            "liveness_actions": [a.value for a in self.actions],
            "liveness_measures": {k: round(v, 4) for k, v in self.measures.items()},
        }
