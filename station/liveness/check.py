"""The liveness check (R23): one challenge answered by one face, judged frame by frame.

The capture loop (station/biometrics/pipeline.py) feeds it: `start` with the first good frame's
landmarks (the person's own frontal baseline), then `follow` + `observe` for every frame, and
`conclude` with the start-to-end descriptor distances once the end frames are described. It holds
landmark coordinates and numbers, never a pixel (R10); its verdict carries numbers only.

Each action is judged against the baseline, never against fixed poses:
- turn left / right: `yaw` moves by TURN_YAW in the asked direction (the person's own left);
- look up: `pitch` falls by LOOK_UP_PITCH;
- blink twice: the eyes shut and open again, twice within the action. Shut: the lid gap under
  BLINK_CLOSED of the baseline's, or, with the head at rest, the eyes' look correlating under
  SHUT_LIKENESS with the start's and at least SHUT_MARGIN under the brows' (station.liveness.eyes:
  the landmarker may draw an open eye over a shut one behind glasses; a shaken picture changes its
  look all over). Open again: the gap back over BLINK_OPEN, the look no longer shut. One blink is
  not enough: people blink of their own accord every few seconds, so a replayed video's
  spontaneous blink answered a single-blink prompt (2 of 22 generated replays passed so); a double
  blink within a few seconds is a deliberate answer. A blink is asked only of eyes open wide
  enough at the start to be seen shutting (BLINKABLE_OPENNESS): narrow eyes get the head-movement
  challenge drawn beside the first (`head_only`).
A movement counts only once it has rested near the baseline within the current action (a head
still turned from the last answer is no new answer), and only as the movement gone furthest past
its threshold (turning 25 degrees reads as some pitch too: one unseen LFW head's turn crossed the
look-up threshold); a head movement other than the asked one, so made, is a wrong answer and fails
at once; nothing seen within `action_seconds` fails too (both `no_response`). Blinks are never wrong: people blink.

How the thresholds were chosen. Measured with the streams helper's generator (i10-streams,
station/liveness/presentations.py, work in progress on 2026-11-29): one photo of each of the 22
identities in ../shared/faces/photos made into a live head (3-D mesh with the landmarker's depth,
turning 18-35 degrees, looking up 12-25 degrees) and into attacks tilted by hand 18-35 degrees to
imitate the same answer (flat print, print bent 0.12-0.3 face widths, phone screen); 60 frames at
15 fps each, the measure taken against the first frame:

| measure                               | live heads        | flat print | bent print | screen |
|---------------------------------------|-------------------|------------|------------|--------|
| yaw change, turning (22 / 22 / 7 / 6) | 0.30 - 0.59       | <= 0.104   | <= 0.088   | <= 0.097 |
| pitch fall, looking up (7 / 6)        | 0.060 - 0.108     | <= 0.020   |            | <= 0.026 |
| planarity residual at the turn's peak | 0.092 - 0.182     | <= 0.034   | <= 0.028   | <= 0.035 |
| planarity residual at look-up's peak  | 0.064 - 0.103     | <= 0.018   |            |        |
| eye openness at a blink's lowest (13) | 0.13 - 0.65 of the person's own | (no blink: >= 0.79) |

The landmarker reads a tilted picture partly as a turned head (it has learnt faces are 3-D), so a
print's yaw and its residual grow together, about 0.3 residual per unit of yaw, as a live head's
do; what a plane cannot do is go far. TURN_YAW (0.15, about 9 degrees) and LOOK_UP_PITCH (0.04)
sit between the attacks' most and the live heads' least, and MIN_PLANARITY (0.05) between the
attacks' largest residual at any frame (0.035) and the live heads' least at a peak (0.064); every
head movement of a challenge must show it. Blinks close to 0.13-0.65 of the open eye at 15 fps
(a frame may catch the lid half way): BLINK_CLOSED 0.7, where nothing without a blink went below
0.79.

Blinks on low-detail faces, measured 2026-11-29 on a development set never used for testing: the
22 shared identities and 60 LFW ones (../shared/faces/lfw sorted names 200-259, 150 px thumbnails
scaled up). Single frames of each rendered head, eyes open and fully shut: shut eyes measured under
0.7 of the open gap on only 73 of 82 faces (glasses, shadow and narrow eyes leave the landmarker
drawing an open eye); their look correlates with the start's at -0.03-0.96 shut against 0.82-1.0
open. The faces still missed opened their eyes less than 0.2 of their width in the photo (the
median face 0.32), where a shut lid moves a few pixels; a stream's start frame reads up to a tenth
wider (0.184 in one photo, 0.200 at its stream's start), hence BLINKABLE_OPENNESS 0.22. Then whole
blink-twice actions of 52 of those faces (4 s each, the gate's usable ones) for every kind: the lids
alone saw two blinks on 40 of 41 blinkable live heads (not behind John Lennon's glasses); the eyes'
look alone on all 41, but it also let 6 of 40 shaken screens, 4 of 41 replays and a print answer;
requiring the eyes to look at least 0.2 less like the start than the brows (SHUT_MARGIN, from 0.05
0.1 0.15 0.2 tried): 41 of 41 live heads, no attack. Later, a screen shaken in front of an LFW
face did answer with its look now and then: a blink is no barrier against a picture (the head
movement every challenge holds is), it is there so that a replay must show the right gesture.

Continuity (MAX_CONTINUITY 0.45, the match threshold being 0.32): descriptors of different people
on the shared photos lie 0.406 apart at least (2,853 pairs; 40 under 0.45, none under 0.40); two
frames of one person in one sitting (the shared clip, frames with the eyes >= 40 px apart as the
verification gate asks, 55 pairs) up to 0.434, median 0.32. A person swapped in front of the
camera must also have passed the tracking (one box, no gap over MAX_GAP_MS, no second face).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from station.domain.capture import ChallengeProgress, FaceDetection
from station.domain.liveness import HEAD_MOVEMENTS, Action, LivenessFailure, LivenessVerdict
from station.liveness.eyes import Look
from station.liveness.geometry import (
    MESH_COUNT,
    Points,
    eye_openness,
    inter_ocular,
    pitch,
    planarity_residual,
    yaw,
)

TURN_YAW = 0.15
LOOK_UP_PITCH = 0.04
BLINK_CLOSED = 0.7
BLINK_OPEN = 0.85
BLINKS_ASKED = 2
SHUT_LIKENESS = 0.85
SHUT_MARGIN = 0.2
BLINKABLE_OPENNESS = 0.22
NEUTRAL = 0.5  # back near the baseline: within this fraction of each movement's threshold
MIN_PLANARITY = 0.05
MAX_CONTINUITY = 0.45
STILL_PIXELS = 0.25
STILL_JITTER = 0.001
MAX_GAP_MS = 500
MIN_OVERLAP = 0.2


class Phase(enum.Enum):
    WAITING = "waiting"  # no baseline yet
    ASKING = "asking"  # an action is being asked
    SETTLING = "settling"  # every action seen; end frames still to come
    DONE = "done"


@dataclass
class _Peak:
    """The frame where a head movement went furthest: its landmarks and how far."""

    amount: float
    points: Points


def _overlap(a: FaceDetection, b: FaceDetection) -> float:
    """Intersection over union of two boxes."""
    width = min(a.x + a.width, b.x + b.width) - max(a.x, b.x)
    height = min(a.y + a.height, b.y + b.height) - max(a.y, b.y)
    if width <= 0 or height <= 0:
        return 0.0
    inter = width * height
    return inter / (a.width * a.height + b.width * b.height - inter)


class LivenessCheck:
    def __init__(
        self,
        actions: Sequence[Action],
        action_seconds: float,
        *,
        head_only: Sequence[Action] | None = None,
    ) -> None:
        """`head_only`: head movements asked instead of `actions` when those hold a blink and the
        start's eyes are too narrow to see one (None: ask `actions` whatever the eyes)."""
        for challenge in (actions, head_only):
            if challenge is not None and not any(a.moves_head for a in challenge):
                raise ValueError("a challenge needs at least one head movement")
        if head_only is not None and Action.BLINK in head_only:
            raise ValueError("the challenge for narrow eyes cannot ask for a blink")
        self.actions = tuple(actions)
        self._head_only = tuple(head_only) if head_only is not None else None
        self._box_ms = action_seconds * 1000
        self.phase = Phase.WAITING
        self.verdict: LivenessVerdict | None = None
        self._index = 0
        self._rested: set[Action] = set()  # movements seen near the baseline in this action
        self._returned = False  # after the last action, the head came back near the baseline
        self._action_started_ms = 0
        self._closed = False  # blink: the eyes are seen shut now, within the current action
        self._blinks = 0  # blinks completed (shut, then open again) within the current action
        self._peaks: dict[Action, _Peak] = {}
        self._last_box: FaceDetection | None = None
        self._last_points: Points | None = None
        self._missing_since: int | None = None  # face lost (or landmarks missing) since
        self._crowded_since: int | None = None  # a second face present since
        self._pixel_changes: list[float] = []
        self._jitters: list[float] = []
        self._measures: dict[str, float] = {}
        self._start_ms = 0

    # -- feeding ---------------------------------------------------------------------------
    def start(self, timestamp_ms: int, points: Points, face: FaceDetection) -> None:
        """The first good frame: the baseline every action is measured against."""
        if self.phase is not Phase.WAITING:
            raise RuntimeError("the check has started already")
        self._base = np.array(points, dtype=np.float32)
        self._unit = max(inter_ocular(self._base), 1e-6)
        self._yaw0, self._pitch0 = yaw(self._base), pitch(self._base)
        self._open0 = eye_openness(self._base)
        self._measures["start_openness"] = self._open0
        if (
            self._head_only is not None
            and Action.BLINK in self.actions
            and self._open0 < BLINKABLE_OPENNESS
        ):
            self.actions = self._head_only
        self._last_box, self._last_points = face, self._base
        self._start_ms = self._action_started_ms = timestamp_ms
        self._rested = set(HEAD_MOVEMENTS)  # the baseline is rest, by definition
        self.phase = Phase.ASKING

    def follow(self, faces: Sequence[FaceDetection]) -> FaceDetection | None:
        """Of the faces in a frame, the one that overlaps the tracked face most (None: none does)."""
        if self._last_box is None or not faces:
            return None
        last = self._last_box
        best = max(faces, key=lambda face: _overlap(face, last))
        return best if _overlap(best, last) >= MIN_OVERLAP else None

    def observe(
        self,
        timestamp_ms: int,
        faces: Sequence[FaceDetection],
        points: Points | None,
        pixel_change: float | None = None,
        look: Look | None = None,
    ) -> None:
        """One frame: `faces` every face present in it, `points` the landmarks of the followed
        face (None when there was none, or the landmarker found none), `pixel_change` the face
        box's change since the last frame (station.liveness.motion), `look` how much its eyes and
        brows look as at the start (station.liveness.eyes; None: not measured)."""
        if self.phase not in (Phase.ASKING, Phase.SETTLING):
            return
        if not self._tracked(timestamp_ms, faces, points):
            return
        if points is not None:
            self._moved(points, pixel_change)
        if self.phase is Phase.ASKING:
            self._judge(timestamp_ms, points, look)
        elif points is not None and not self._returned:
            self._returned = max(self._amounts(points).values()) < NEUTRAL

    def conclude(self, distances: Sequence[float]) -> LivenessVerdict:
        """After the end frames: the distances from the start descriptor to each later one. The
        movements must show parallax, and the described faces must be one person's."""
        if self.verdict is not None:
            return self.verdict
        if self.phase is not Phase.SETTLING:
            raise RuntimeError("the challenge has not been answered")
        residuals = [
            planarity_residual(self._base, peak.points)
            for action, peak in self._peaks.items()
            if action.moves_head
        ]
        self._measures["planarity"] = min(residuals)
        self._measures["continuity"] = max(distances, default=0.0)
        if self._measures["planarity"] < MIN_PLANARITY:
            return self._fail(LivenessFailure.FLAT)
        if self._measures["continuity"] > MAX_CONTINUITY:
            return self._fail(LivenessFailure.FACE_CHANGED)
        return self._finish(None)

    def abandon(self) -> LivenessVerdict:
        """The stream ended or the capture's time ran out before the check decided."""
        if self.verdict is not None:
            return self.verdict
        return self._fail(LivenessFailure.STILL if self._still() else LivenessFailure.NO_RESPONSE)

    # -- what a screen shows ---------------------------------------------------------------
    def progress(self, timestamp_ms: int) -> ChallengeProgress | None:
        if self.phase is not Phase.ASKING:
            return None
        left = (self._box_ms - (timestamp_ms - self._action_started_ms)) / 1000
        return ChallengeProgress(
            self.actions[self._index], self._index + 1, len(self.actions), max(left, 0.0)
        )

    @property
    def judging_blink(self) -> bool:
        """A blink is being asked: only then is the eyes' look (`observe`'s `look`) used."""
        return self.phase is Phase.ASKING and self.actions[self._index] is Action.BLINK

    @property
    def answered(self) -> bool:
        """Every action seen and the head back near the baseline: the capture may now take its
        end frames (a head still turning would cut the last movement's peak, and its parallax,
        short)."""
        return self.phase is Phase.SETTLING and self._returned

    # -- inside ----------------------------------------------------------------------------
    def _tracked(
        self, timestamp_ms: int, faces: Sequence[FaceDetection], points: Points | None
    ) -> bool:
        """One face throughout: a frame without it, or with a second face, is forgiven for
        MAX_GAP_MS; a face that jumps (overlapping the last box too little) is another face."""
        followed = self.follow(faces)
        if faces and followed is None:
            self._fail(LivenessFailure.FACE_CHANGED)
            return False
        if followed is None or points is None:
            self._missing_since = self._missing_since or timestamp_ms
        else:
            self._missing_since = None
            self._last_box = followed
        self._crowded_since = (self._crowded_since or timestamp_ms) if len(faces) > 1 else None
        for since in (self._missing_since, self._crowded_since):
            if since is not None and timestamp_ms - since > MAX_GAP_MS:
                self._fail(LivenessFailure.FACE_CHANGED)
                return False
        return True

    def _moved(self, points: Points, pixel_change: float | None) -> None:
        if self._last_points is not None:
            step = np.linalg.norm(
                points[:MESH_COUNT, :2] - self._last_points[:MESH_COUNT, :2], axis=1
            )
            self._jitters.append(float(step.mean()) / self._unit)
        self._last_points = np.array(points, dtype=np.float32)
        if pixel_change is not None:
            self._pixel_changes.append(pixel_change)
        # A movement's peak keeps growing until the head comes back: parallax is largest there.
        for action, amount in self._amounts(points).items():
            peak = self._peaks.get(action)
            if peak is not None and amount > peak.amount:
                self._peaks[action] = _Peak(amount, self._last_points)

    def _amounts(self, points: Points) -> dict[Action, float]:
        """How far each head movement has gone from the baseline, in its own threshold's units."""
        turned = (yaw(points) - self._yaw0) / TURN_YAW
        return {
            Action.TURN_LEFT: turned,
            Action.TURN_RIGHT: -turned,
            Action.LOOK_UP: (self._pitch0 - pitch(points)) / LOOK_UP_PITCH,
        }

    def _judge(self, timestamp_ms: int, points: Points | None, look: Look | None) -> None:
        asked = self.actions[self._index]
        if points is not None:
            amounts = self._amounts(points)
            # A movement counts only once it has rested near the baseline within this action: a
            # head still turned from the last answer is not a new one, right or wrong.
            self._rested |= {action for action, amount in amounts.items() if amount < NEUTRAL}
            # The movement made is the one gone furthest past its threshold: a big turn also
            # shifts the nose against the eye line, which reads as some pitch.
            leading = max(amounts, key=lambda action: amounts[action])
            fresh = {leading} & self._rested if amounts[leading] >= 1 else set()
            if self._seen(asked, points, amounts, fresh, look):
                self._measures[f"{asked.value}_seconds"] = (
                    timestamp_ms - self._action_started_ms
                ) / 1000
                if asked.moves_head:
                    self._peaks[asked] = _Peak(amounts[asked], np.array(points, dtype=np.float32))
                self._next(timestamp_ms)
                return
            if fresh - {asked}:
                self._fail(LivenessFailure.NO_RESPONSE)  # a wrong answer
                return
        if timestamp_ms - self._action_started_ms > self._box_ms:
            self._fail(LivenessFailure.STILL if self._still() else LivenessFailure.NO_RESPONSE)

    def _seen(
        self,
        asked: Action,
        points: Points,
        amounts: dict[Action, float],
        fresh: set[Action],
        look: Look | None,
    ) -> bool:
        if asked.moves_head:
            return asked in fresh
        openness = eye_openness(points) / max(self._open0, 1e-6)
        # The eyes' look is compared only with the head near the start's pose (a turned eye looks
        # different open or shut), and shuts them only when the brows changed much less: a shaken
        # picture blurs and glares all over, a blink changes the eyes alone.
        looks_shut = (
            look is not None
            and max(amounts.values()) < NEUTRAL
            and look.eyes < SHUT_LIKENESS
            and look.brows - look.eyes >= SHUT_MARGIN
        )
        self._measures["blink_openness"] = min(openness, self._measures.get("blink_openness", 1.0))
        if look is not None:
            self._measures["blink_likeness"] = min(
                look.eyes, self._measures.get("blink_likeness", 1.0)
            )
        if openness < BLINK_CLOSED or looks_shut:
            self._closed = True
        elif self._closed and openness > BLINK_OPEN:
            self._closed = False
            self._blinks += 1
        return self._blinks >= BLINKS_ASKED

    def _next(self, timestamp_ms: int) -> None:
        self._index += 1
        self._closed = False
        self._blinks = 0
        self._rested = set()
        self._action_started_ms = timestamp_ms
        if self._index == len(self.actions):
            self.phase = Phase.SETTLING
            self._measures["challenge_seconds"] = (timestamp_ms - self._start_ms) / 1000

    def _still(self) -> bool:
        pixels = float(np.mean(self._pixel_changes)) if self._pixel_changes else 0.0
        jitter = float(np.mean(self._jitters)) if self._jitters else 0.0
        self._measures["motion_pixels"] = pixels
        self._measures["motion_landmarks"] = jitter
        return pixels < STILL_PIXELS and jitter < STILL_JITTER

    def _fail(self, failure: LivenessFailure) -> LivenessVerdict:
        return self._finish(failure)

    def _finish(self, failure: LivenessFailure | None) -> LivenessVerdict:
        self._still()  # the motion figures go into every verdict
        self.phase = Phase.DONE
        self.verdict = LivenessVerdict(failure is None, failure, self.actions, dict(self._measures))
        return self.verdict
