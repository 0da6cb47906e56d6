"""What a capture reports while it runs: the face found in a frame and the progress a screen shows
("frame 2 of 3", the box, the hint), and the protocol through which a caller watches and cancels
it without the core knowing Qt (architecture example 7)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from station.domain.liveness import Action
from station.domain.models import QualityIssue

# Order of the six BlazeFace keypoints (the person's right eye is on the viewer's left).
RIGHT_EYE, LEFT_EYE, NOSE_TIP, MOUTH, RIGHT_EAR, LEFT_EAR = range(6)


@dataclass(frozen=True)
class FaceDetection:
    """One face in pixel coordinates of the frame it came from."""

    x: float
    y: float
    width: float
    height: float
    score: float
    keypoints: npt.NDArray[np.float64]  # 6 x 2, pixels

    @property
    def eye_distance(self) -> float:
        return float(np.linalg.norm(self.keypoints[LEFT_EYE] - self.keypoints[RIGHT_EYE]))

    @property
    def center(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.height / 2


@dataclass(frozen=True)
class ChallengeProgress:
    """The action a person is being asked for right now (R23), for a screen to show with its
    cue: action `index` of `of`, and the seconds left of its time box (in the frames' own time)."""

    action: Action
    index: int  # 1-based
    of: int
    seconds_left: float


@dataclass(frozen=True)
class CaptureProgress:
    """Reported after every frame so a screen can show the box, the hint and "frame 2 of 3";
    `challenge` is the liveness action being asked (None when none is)."""

    frames_read: int
    good_frames: int
    frames_needed: int
    issue: QualityIssue | None
    face: FaceDetection | None
    frame_size: tuple[int, int]  # (width, height), to place the box on a preview
    challenge: ChallengeProgress | None = None


class TaskState(Protocol):
    """Lets a caller on another thread watch and cancel a capture."""

    def cancelled(self) -> bool: ...

    def report(self, progress: CaptureProgress) -> None: ...
