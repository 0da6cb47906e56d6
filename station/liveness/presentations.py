"""What stands in front of the camera, for measuring liveness (R23) and for tests: a live head
rendered in 3-D from one photo, and the attacks a person could bring with that photo (a print, a
screen showing it, a screen replaying a recorded head).

Nothing here is used by enrollment or verification: no camera spec opens a presentation
(`station.capture.open_source` does not know this module). `face-station pad-eval` and
`bench/bench_liveness.py` feed them through the same capture loop the flows use.

Every presentation is seeded and deterministic: the same seed and the same sequence of
`frame(timestamp_ms, asked)` calls give the same pixels. A presentation learns what is asked only
through `asked`, which `PresentationSource` takes from what the station reported to a
`FollowingTask` (the way a person learns it from the screen).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Protocol

import cv2
import numpy as np
import numpy.typing as npt

from station.capture.sources import Frame, FrameSourceBase, RGBImage
from station.domain.capture import CaptureProgress, FaceDetection
from station.liveness import Action

FloatArray = npt.NDArray[np.float64]

FRAME_WIDTH, FRAME_HEIGHT = 640, 480
PRESENTATION_FPS = 15.0
# BlazeFace's eye keypoints this far apart in a rendered frame: above the enrollment gate's 60 px
# (R26) with room for a turned head, about a person 60 cm from a 640x480 webcam.
TARGET_EYE_PX = 84.0
FACE_CENTRE = (FRAME_WIDTH / 2, FRAME_HEIGHT / 2 + 10)
LANDMARK_COUNT = 478
MESH_POINTS = 468  # the iris points (468..477) lie on the eyeball: the lids are what moves

# MediaPipe mesh indices: eyelid contours corner to corner, upper lid paired with the lower lid
# point beneath it, and the face oval.
RIGHT_UPPER_LID = (246, 161, 160, 159, 158, 157, 173)
RIGHT_LOWER_LID = (7, 163, 144, 145, 153, 154, 155)
LEFT_UPPER_LID = (466, 388, 387, 386, 385, 384, 398)
LEFT_LOWER_LID = (249, 390, 373, 374, 380, 381, 382)
# The ring above each upper lid (the lid fold): pulled half way down in a blink so the lid skin
# stretches over the eye instead of one row of triangles.
RIGHT_LID_FOLD = (247, 30, 29, 27, 28, 56, 190)
LEFT_LID_FOLD = (467, 260, 259, 257, 258, 286, 414)
FACE_OVAL = (
    10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377,
    152, 148, 176, 149, 150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
)  # fmt: skip
NOSE_TIP, RIGHT_CHEEK, LEFT_CHEEK = 1, 234, 454

TURNS = (Action.TURN_LEFT, Action.TURN_RIGHT)
MOVEMENTS = (Action.TURN_LEFT, Action.TURN_RIGHT, Action.LOOK_UP)


class FaceLandmarkerLike(Protocol):
    """The landmarker's one call used here (station.biometrics.landmarks.FaceLandmarker)."""

    def landmarks(self, rgb: RGBImage, face: FaceDetection) -> object | None: ...


class FaceDetectorLike(Protocol):
    def detect(self, rgb: npt.NDArray[np.uint8]) -> list[FaceDetection]: ...


class Presentation(Protocol):
    """Something in front of the camera. `kind` names the folder pad-eval counts it under."""

    @property
    def kind(self) -> str: ...

    def frame(self, timestamp_ms: int, asked: Action | None) -> RGBImage: ...


# --- the photo, framed as a camera would see the person -------------------------------------


@dataclass(frozen=True, eq=False)
class Portrait:
    """A photo scaled and placed in a 640x480 frame as a webcam would see the person, with the
    478-point mesh (x, y in frame pixels, z in the same scale, smaller = nearer) found on it."""

    image: RGBImage
    points: npt.NDArray[np.float32]

    @property
    def face_width(self) -> float:
        return float(np.linalg.norm(self.points[LEFT_CHEEK, :2] - self.points[RIGHT_CHEEK, :2]))

    @property
    def centre(self) -> tuple[float, float]:
        oval = self.points[list(FACE_OVAL), :2]
        return float(oval[:, 0].mean()), float(oval[:, 1].mean())

    @classmethod
    def from_photo(
        cls, photo: RGBImage, detector: FaceDetectorLike, landmarker: FaceLandmarkerLike
    ) -> Portrait:
        """ValueError when the photo holds no face the detector and the landmarker agree on."""
        face = _main_face(detector.detect(photo))
        scale = TARGET_EYE_PX / max(face.eye_distance, 1.0)
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        resized = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=interpolation)
        cx, cy = face.center
        shift = np.array(
            [[1, 0, FACE_CENTRE[0] - cx * scale], [0, 1, FACE_CENTRE[1] - cy * scale]],
            dtype=np.float32,
        )
        image = np.asarray(
            cv2.warpAffine(
                resized, shift, (FRAME_WIDTH, FRAME_HEIGHT), borderMode=cv2.BORDER_REPLICATE
            ),
            dtype=np.uint8,
        )
        framed = _main_face(detector.detect(image))
        found = landmarker.landmarks(image, framed)
        points = getattr(found, "points", None)
        if points is None or np.asarray(points).shape != (LANDMARK_COUNT, 3):
            raise ValueError("the landmarker found no face mesh on the photo")
        return cls(image, np.asarray(points, dtype=np.float32))


def _main_face(faces: list[FaceDetection]) -> FaceDetection:
    if not faces:
        raise ValueError("no face found on the photo")
    return max(faces, key=lambda f: f.score * f.width * f.height)


# --- rendering a textured triangle mesh ------------------------------------------------------


def delaunay(points: FloatArray) -> npt.NDArray[np.int32]:
    """Delaunay triangles (cv2.Subdiv2D) of 2-D points, as index triples."""
    low = points.min(axis=0) - 10
    high = points.max(axis=0) + 10
    subdiv = cv2.Subdiv2D((int(low[0]), int(low[1]), int(high[0] - low[0]), int(high[1] - low[1])))
    for x, y in points:
        subdiv.insert((float(x), float(y)))
    corners = np.asarray(subdiv.getTriangleList(), dtype=np.float64).reshape(-1, 3, 2)
    distances = np.linalg.norm(corners[:, :, None, :] - points[None, None, :, :], axis=3)
    nearest = distances.argmin(axis=2)
    exact = np.take_along_axis(distances, nearest[:, :, None], axis=2)[:, :, 0] < 0.5
    # Triangles touching Subdiv2D's virtual outer vertices match no point: dropped.
    keep = exact.all(axis=1) & (nearest[:, 0] != nearest[:, 1]) & (nearest[:, 1] != nearest[:, 2])
    return np.asarray(nearest[keep], dtype=np.int32)


def render_mesh(
    canvas: RGBImage,
    texture: RGBImage,
    source: FloatArray,
    target: FloatArray,
    depth: FloatArray,
    triangles: npt.NDArray[np.int32],
) -> None:
    """Draw each triangle of `texture` (corners at `source`) at `target` on `canvas`, in place,
    back to front by mean `depth` (larger = farther), so the nearer surface hides the farther one.

    One pass: every triangle is rasterised into an id map, then a single remap samples the texture
    through each pixel's own triangle's affine map (fast enough for whole clips)."""
    height, width = canvas.shape[:2]
    dst = target[triangles]  # T x 3 x 2
    src = source[triangles]
    area = 0.5 * np.abs(
        (dst[:, 1, 0] - dst[:, 0, 0]) * (dst[:, 2, 1] - dst[:, 0, 1])
        - (dst[:, 2, 0] - dst[:, 0, 0]) * (dst[:, 1, 1] - dst[:, 0, 1])
    )
    visible = area > 0.05
    order = np.argsort(-depth[triangles].mean(axis=1), kind="stable")
    order = order[visible[order]]
    ids = np.full((height, width), -1, dtype=np.int32)
    fixed = np.round(dst * 16).astype(np.int32)  # 4 bits of sub-pixel precision
    for index in order:
        cv2.fillConvexPoly(ids, fixed[index], int(index), lineType=cv2.LINE_8, shift=4)
    ys, xs = np.nonzero(ids >= 0)
    if ys.size == 0:
        return
    # Per triangle, the affine map target -> source: [x y 1] @ A (3 x 2).
    ones = np.ones((len(triangles), 3, 1))
    homogeneous = np.concatenate([dst, ones], axis=2)
    homogeneous[~visible] = np.eye(3)  # degenerate: never drawn, keep solve() regular
    maps = np.linalg.solve(homogeneous, src)
    chosen = maps[ids[ys, xs]]
    map_x = np.full((height, width), -1.0, dtype=np.float32)
    map_y = np.full((height, width), -1.0, dtype=np.float32)
    map_x[ys, xs] = xs * chosen[:, 0, 0] + ys * chosen[:, 1, 0] + chosen[:, 2, 0]
    map_y[ys, xs] = xs * chosen[:, 0, 1] + ys * chosen[:, 1, 1] + chosen[:, 2, 1]
    cv2.remap(
        texture,
        map_x,
        map_y,
        cv2.INTER_LINEAR,
        dst=canvas,
        borderMode=cv2.BORDER_TRANSPARENT,
    )


def rotation(yaw: float, pitch: float, roll: float) -> FloatArray:
    """Degrees. Positive yaw turns the nose towards +x (the person's own left on an unmirrored
    camera); positive pitch lifts the nose (-y); roll turns in the image plane."""
    a, b, c = (math.radians(v) for v in (yaw, pitch, roll))
    turn = np.array([[math.cos(a), 0, -math.sin(a)], [0, 1, 0], [math.sin(a), 0, math.cos(a)]])
    nod = np.array([[1, 0, 0], [0, math.cos(b), math.sin(b)], [0, -math.sin(b), math.cos(b)]])
    tilt = np.array([[math.cos(c), -math.sin(c), 0], [math.sin(c), math.cos(c), 0], [0, 0, 1]])
    return np.asarray(tilt @ nod @ turn, dtype=np.float64)


@dataclass(frozen=True)
class Camera:
    """A mild perspective: the face plane (z = 0) at `focal` pixels; unproject/project are exact
    inverses, so an unmoved point lands where it was photographed."""

    centre: tuple[float, float]
    focal: float

    def unproject(self, points: FloatArray) -> FloatArray:
        out = points.astype(np.float64).copy()
        factor = (self.focal + out[:, 2]) / self.focal
        out[:, 0] = (out[:, 0] - self.centre[0]) * factor
        out[:, 1] = (out[:, 1] - self.centre[1]) * factor
        return out

    def project(self, points: FloatArray) -> FloatArray:
        factor = self.focal / np.maximum(self.focal + points[:, 2], 1.0)
        return np.stack(
            [points[:, 0] * factor + self.centre[0], points[:, 1] * factor + self.centre[1]],
            axis=1,
        )


def pose_points(
    points: FloatArray, pivot: FloatArray, yaw: float, pitch: float, roll: float
) -> FloatArray:
    """Camera-space 3-D points turned about `pivot`."""
    return (points - pivot) @ rotation(yaw, pitch, roll).T + pivot


# --- motion: reaction, movement, hold, return -----------------------------------------------


def _smooth(x: float) -> float:
    x = min(max(x, 0.0), 1.0)
    return x * x * (3 - 2 * x)


@dataclass(frozen=True)
class Gesture:
    """One answer in time: from `start` it moves for `rise` s to full amplitude, holds `hold` s and
    returns in `fall` s (all in seconds of stream time); `times` such strokes, `pause` s apart (a
    double blink)."""

    action: Action
    start: float
    rise: float
    hold: float
    fall: float
    amount: float  # degrees of a movement; 1.0 = eyes fully closed for a blink
    times: int = 1
    pause: float = 0.0

    @property
    def end(self) -> float:
        return self.start + self.times * self._stroke + (self.times - 1) * self.pause

    @property
    def _stroke(self) -> float:
        return self.rise + self.hold + self.fall

    def level(self, t: float) -> float:
        if t <= self.start or t >= self.end:
            return 0.0
        into = (t - self.start) % (self._stroke + self.pause)
        if into < self.rise:
            return _smooth(into / self.rise)
        if into < self.rise + self.hold:
            return 1.0
        return 1.0 - _smooth((into - self.rise - self.hold) / self.fall)


@dataclass
class Pose:
    yaw: float = 0.0
    pitch: float = 0.0
    roll: float = 0.0
    dx: float = 0.0
    dy: float = 0.0
    blink: float = 0.0


def _apply(pose: Pose, gesture: Gesture, t: float) -> None:
    value = gesture.amount * gesture.level(t)
    if gesture.action == Action.TURN_LEFT:
        pose.yaw += value
    elif gesture.action == Action.TURN_RIGHT:
        pose.yaw -= value
    elif gesture.action == Action.LOOK_UP:
        pose.pitch += value
    else:
        pose.blink = max(pose.blink, min(value, 1.0))


@dataclass
class Responder:
    """How someone answers prompts: a reaction delay after a new prompt, a movement, a hold, a
    return; the same prompt still showing a moment after an answer is answered again; a prompt
    withdrawn (the screen now says to look straight at the camera) ends the hold. A new
    prompt cuts the hold of the answer in progress short: the head comes back, then does the new
    movement (people do prompted movements one after the other). `gesture_for` draws one answer's
    shape (its start includes the reaction delay) from the presentation's own generator."""

    rng: np.random.Generator
    gesture_for: Callable[[Action, float], Gesture | None]
    gestures: list[Gesture] = field(default_factory=list)
    _asked: Action | None = None
    _retry_at: float = math.inf

    def hear(self, t: float, asked: Action | None) -> None:
        if asked != self._asked:
            if asked is not None:
                self._answer(asked, t)
            elif self._asked is not None:
                self._face_the_camera(t)
            self._asked = asked
        elif asked is not None and t > self._retry_at:
            self._answer(asked, t)

    def _face_the_camera(self, t: float) -> None:
        """The prompt gave way to "look straight at the camera": a reaction delay later the
        movement in progress comes back without holding on, and nothing more is begun."""
        back_at = t + float(self.rng.uniform(0.4, 0.8))
        kept = []
        for gesture in self.gestures:
            if gesture.start >= back_at:
                continue
            if gesture.end > back_at:
                held = max(back_at - gesture.start - gesture.rise, 0.0)
                gesture = replace(gesture, hold=min(gesture.hold, held))
            kept.append(gesture)
        self.gestures = kept
        self._retry_at = math.inf

    def _answer(self, asked: Action, t: float) -> None:
        gesture = self.gesture_for(asked, t)
        if gesture is None:
            return
        kept = []
        for earlier in self.gestures:
            if earlier.start >= gesture.start:
                continue  # not begun when the new prompt was taken in: never done
            if earlier.end > gesture.start:
                cut = min(earlier.hold, max(gesture.start - earlier.start - earlier.rise, 0.0))
                earlier = replace(earlier, hold=cut)
                gesture = replace(gesture, start=max(gesture.start, earlier.end - 0.1))
            kept.append(earlier)
        self.gestures = [*kept, gesture]
        self._retry_at = gesture.end + float(self.rng.uniform(0.6, 1.2))

    def pose(self, t: float) -> Pose:
        pose = Pose()
        for gesture in self.gestures:
            _apply(pose, gesture, t)
        return pose


def human_gesture(rng: np.random.Generator, action: Action, t: float) -> Gesture:
    """A person's answer: 0.4–0.8 s to react, ~0.5–0.8 s to turn ~25°, a short hold."""
    start = t + rng.uniform(0.4, 0.8)
    if action == Action.BLINK:
        # Blinking twice, as asked: each deliberate blink is slower than a reflex one (lids shut
        # ~0.1 s, held, reopened), the second ~0.2-0.4 s after the first.
        return Gesture(
            action,
            start,
            rng.uniform(0.08, 0.14),
            rng.uniform(0.12, 0.25),
            0.18,
            1.0,
            times=2,
            pause=rng.uniform(0.2, 0.4),
        )
    amount = rng.uniform(22, 30) if action in TURNS else rng.uniform(15, 22)
    return Gesture(
        action,
        start,
        rng.uniform(0.5, 0.8),
        rng.uniform(0.5, 1.0),
        rng.uniform(0.5, 0.8),
        amount,
    )


@dataclass(frozen=True)
class Sway:
    """Small motion that never stops: sums of slow sines with seeded phases (deterministic in t)."""

    amplitudes: FloatArray  # per channel
    frequencies: FloatArray  # channel x component, Hz
    phases: FloatArray

    @classmethod
    def draw(
        cls, rng: np.random.Generator, amplitudes: list[float], band: tuple[float, float]
    ) -> Sway:
        channels = len(amplitudes)
        return cls(
            np.asarray(amplitudes, dtype=np.float64),
            rng.uniform(band[0], band[1], (channels, 3)),
            rng.uniform(0, 2 * math.pi, (channels, 3)),
        )

    def at(self, t: float) -> FloatArray:
        waves = np.sin(2 * math.pi * self.frequencies * t + self.phases).sum(axis=1) / 1.8
        return np.asarray(self.amplitudes * waves, dtype=np.float64)


# --- camera effects ----------------------------------------------------------------------------


def sensor(image: RGBImage, seed: int, timestamp_ms: int, gain: float, noise: float) -> RGBImage:
    """Exposure gain and sensor noise, drawn from (seed, time) so a frame never depends on call
    order."""
    rng = np.random.default_rng([seed, timestamp_ms, 7])
    out = image.astype(np.float32) * np.float32(gain)
    out += rng.standard_normal(out.shape, dtype=np.float32) * np.float32(noise)
    return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)


def room(rng: np.random.Generator) -> RGBImage:
    """A plain, seeded room to hold a print or a phone in front of: a lit wall, a door frame, a
    shelf, blurred as out of focus."""
    ys, xs = np.mgrid[0:FRAME_HEIGHT, 0:FRAME_WIDTH].astype(np.float32)
    base = rng.uniform(110, 200, 3).astype(np.float32)
    light = 1.0 + 0.25 * (xs / FRAME_WIDTH - 0.5) * rng.choice([-1, 1]) - 0.15 * ys / FRAME_HEIGHT
    image = base[None, None, :] * light[:, :, None]
    for _ in range(int(rng.integers(2, 5))):
        x0, y0 = int(rng.integers(0, FRAME_WIDTH - 60)), int(rng.integers(0, FRAME_HEIGHT - 60))
        x1, y1 = x0 + int(rng.integers(40, 260)), y0 + int(rng.integers(40, 300))
        cv2.rectangle(image, (x0, y0), (x1, y1), rng.uniform(30, 230, 3).tolist(), -1)
    image = cv2.GaussianBlur(image, (0, 0), 6)
    return np.asarray(np.clip(image, 0, 255), dtype=np.uint8)


# --- the live head -----------------------------------------------------------------------------


class LiveHead:
    """A 3-D head: the photo's landmark mesh with its depth, textured from the photo, turned and
    projected with a mild perspective (real parallax: the nose moves against the cheeks), lids that
    close over the eyes in a blink, a background with the photographed face filled in, and small
    natural motion, exposure drift and sensor noise all the time. It answers what it is asked after
    a human reaction delay, and blinks now and then of its own accord."""

    kind = "live"

    def __init__(self, portrait: Portrait, seed: int, *, spontaneous_blinks: bool = True) -> None:
        self._seed = seed
        rng = np.random.default_rng([seed, 1])
        self._rng = rng
        points = portrait.points.astype(np.float64)
        face_width = portrait.face_width
        cx, cy = portrait.centre
        oval = points[list(FACE_OVAL)]
        centre = np.array([cx, cy])
        # Two rings beyond the oval carry hair, ears and neck along, the outer one nearly still.
        inner = np.column_stack(
            [centre + 1.3 * (oval[:, :2] - centre), oval[:, 2] + 0.25 * face_width]
        )
        outer = np.column_stack(
            [centre + 1.75 * (oval[:, :2] - centre), np.full(len(oval), 0.55 * face_width)]
        )
        mesh = np.vstack([points[:MESH_POINTS], inner, outer])
        self._texture = portrait.image.copy()
        self._source = mesh[:, :2].copy()
        self._triangles = delaunay(self._source)
        self._camera = Camera((cx, cy), 4.0 * face_width)
        self._body = self._camera.unproject(mesh)
        # The head turns about the neck, behind the face.
        self._pivot = np.array([0.0, 0.15 * face_width, 0.6 * face_width])
        self._background = _fill_face(portrait.image, inner[:, :2])
        self._sway = Sway.draw(rng, [0.9, 0.7, 0.5, 0.8, 0.6], (0.12, 0.5))
        self._exposure = Sway.draw(rng, [0.03], (0.05, 0.15))
        self._noise = float(rng.uniform(1.5, 3.0))
        self.responder = Responder(rng, lambda action, t: human_gesture(rng, action, t))
        self._spontaneous: list[Gesture] = []
        if spontaneous_blinks:
            t = rng.uniform(2.0, 6.0)
            while t < 120.0:
                self._spontaneous.append(Gesture(Action.BLINK, t, 0.07, 0.05, 0.12, 1.0))
                t += rng.uniform(3.0, 8.0)
        lids = [
            (RIGHT_UPPER_LID, RIGHT_LOWER_LID, RIGHT_LID_FOLD),
            (LEFT_UPPER_LID, LEFT_LOWER_LID, LEFT_LID_FOLD),
        ]
        self._upper = np.array([i for upper, _, _ in lids for i in upper])
        self._lower = np.array([i for _, lower, _ in lids for i in lower])
        self._fold = np.array([i for _, _, fold in lids for i in fold])

    def pose(self, timestamp_ms: int, asked: Action | None) -> Pose:
        t = timestamp_ms / 1000.0
        self.responder.hear(t, asked)
        pose = self.responder.pose(t)
        for gesture in self._spontaneous:
            _apply(pose, gesture, t)
        yaw, pitch, roll, dx, dy = self._sway.at(t)
        pose.yaw += yaw
        pose.pitch += pitch
        pose.roll += roll
        pose.dx += dx
        pose.dy += dy
        return pose

    def frame(self, timestamp_ms: int, asked: Action | None) -> RGBImage:
        pose = self.pose(timestamp_ms, asked)
        image = self.render(pose)
        gain = 1.0 + float(self._exposure.at(timestamp_ms / 1000.0)[0])
        return sensor(image, self._seed, timestamp_ms, gain, self._noise)

    def posed_points(self, pose: Pose) -> FloatArray:
        """The mesh (468 face points, then the two rings) in camera space for `pose`."""
        body = self._body.copy()
        if pose.blink > 0:
            shut = pose.blink
            body[self._upper] += shut * (body[self._lower] - body[self._upper])
            body[self._fold] += 0.5 * shut * (body[self._upper] - body[self._fold])
        moved = pose_points(body, self._pivot, pose.yaw, pose.pitch, pose.roll)
        moved[:, 0] += pose.dx
        moved[:, 1] += pose.dy
        return moved

    def render(self, pose: Pose) -> RGBImage:
        moved = self.posed_points(pose)
        canvas = self._background.copy()
        render_mesh(
            canvas,
            self._texture,
            self._source,
            self._camera.project(moved),
            moved[:, 2],
            self._triangles,
        )
        return canvas


def _fill_face(image: RGBImage, ring: FloatArray) -> RGBImage:
    """The photo with the area inside `ring` painted over from its surroundings (cv2.inpaint, at a
    quarter size: a blurry fill is all that shows behind a turning head), so the photographed face
    does not ghost behind the rendered one."""
    mask = np.zeros(image.shape[:2], dtype=np.uint8)
    cv2.fillConvexPoly(mask, np.round(ring).astype(np.int32), 255)
    mask = np.asarray(cv2.dilate(mask, np.ones((9, 9), np.uint8)), dtype=np.uint8)
    small = cv2.resize(image, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    small_mask = cv2.resize(mask, (small.shape[1], small.shape[0]), interpolation=cv2.INTER_NEAREST)
    filled = cv2.inpaint(small, small_mask, 5, cv2.INPAINT_TELEA)
    filled = cv2.resize(filled, (image.shape[1], image.shape[0]), interpolation=cv2.INTER_CUBIC)
    filled = cv2.GaussianBlur(filled, (0, 0), 3)
    out = image.copy()
    out[mask > 0] = filled[mask > 0]
    return out


# --- flat things held by hand: prints and screens -------------------------------------------


def _grid(width: int, height: int, columns: int, rows: int) -> FloatArray:
    xs = np.linspace(0, width - 1, columns)
    ys = np.linspace(0, height - 1, rows)
    return np.array([(x, y) for y in ys for x in xs], dtype=np.float64)


def _grid_triangles(columns: int, rows: int) -> npt.NDArray[np.int32]:
    triangles = []
    for r in range(rows - 1):
        for c in range(columns - 1):
            a = r * columns + c
            triangles += [(a, a + 1, a + columns), (a + 1, a + columns + 1, a + columns)]
    return np.array(triangles, dtype=np.int32)


def attacker_gesture(rng: np.random.Generator, action: Action, t: float) -> Gesture | None:
    """An attacker tilting a print or a phone to imitate the asked turn or nod, a little slower to
    react than a person; a flat picture cannot blink, so a blink gets only a small jolt."""
    start = t + rng.uniform(0.5, 1.1)
    if action == Action.BLINK:
        return Gesture(Action.LOOK_UP, start, 0.15, 0.1, 0.2, rng.uniform(-4, 4))
    amount = rng.uniform(18, 35) if action in TURNS else rng.uniform(12, 25)
    return Gesture(
        action, start, rng.uniform(0.4, 0.9), rng.uniform(0.6, 1.2), rng.uniform(0.4, 0.8), amount
    )


class HeldPicture:
    """A picture on a sheet (flat, or bent about a vertical axis) held in front of a room and moved
    in 3-D by hand: tremor all the time, tilted to imitate an asked turn or nod when `adaptive`."""

    kind = "picture"

    def __init__(
        self,
        portrait: Portrait,
        seed: int,
        *,
        texture: RGBImage,
        origin: tuple[float, float],
        bend: float = 0.0,
        adaptive: bool = True,
    ) -> None:
        """`texture` is the sheet's image; `origin` the texture pixel that sits where the
        portrait's face centre was (so the face has its live size); `bend`: the sheet's edges
        this many face widths behind its middle (0 = flat)."""
        rng = np.random.default_rng([seed, 2])
        self._seed = seed
        self._texture = texture
        height, width = texture.shape[:2]
        columns, rows = (13, 13) if bend else (5, 5)
        self._source = _grid(width, height, columns, rows)
        self._triangles = _grid_triangles(columns, rows)
        cx, cy = portrait.centre
        face_width = portrait.face_width
        self._camera = Camera((cx, cy), 4.0 * face_width)
        body = np.column_stack(
            [
                self._source[:, 0] - origin[0],
                self._source[:, 1] - origin[1],
                np.zeros(len(self._source)),
            ]
        )
        if bend:
            half = max(abs(body[:, 0]).max(), 1.0)
            body[:, 2] = bend * face_width * (body[:, 0] / half) ** 2
        self._body = body
        self._pivot = np.array([0.0, 0.0, 0.0])
        self._background = room(rng)
        self._tremor = Sway.draw(rng, [1.2, 1.0, 0.8, 2.5, 2.0], (0.8, 4.0))
        self._drift = Sway.draw(rng, [2.0, 1.5, 1.0, 6.0, 5.0], (0.05, 0.3))
        self._noise = float(rng.uniform(1.5, 3.0))
        self._exposure = Sway.draw(rng, [0.02], (0.05, 0.15))
        self.responder = Responder(
            rng, (lambda action, t: attacker_gesture(rng, action, t)) if adaptive else _ignore
        )

    def texture_at(self, timestamp_ms: int) -> RGBImage:
        return self._texture

    def frame(self, timestamp_ms: int, asked: Action | None) -> RGBImage:
        t = timestamp_ms / 1000.0
        self.responder.hear(t, asked)
        pose = self.responder.pose(t)
        yaw, pitch, roll, dx, dy = self._tremor.at(t) + self._drift.at(t)
        moved = Pose(pose.yaw + yaw, pose.pitch + pitch, roll, dx, dy)
        canvas = self.render(moved, self.texture_at(timestamp_ms))
        gain = 1.0 + float(self._exposure.at(t)[0])
        return sensor(canvas, self._seed, timestamp_ms, gain, self._noise)

    def render(self, pose: Pose, texture: RGBImage | None = None) -> RGBImage:
        """The sheet held at `pose` (no tremor, no sensor noise)."""
        moved = pose_points(self._body, self._pivot, pose.yaw, pose.pitch, pose.roll)
        moved[:, 0] += pose.dx
        moved[:, 1] += pose.dy
        canvas = self._background.copy()
        render_mesh(
            canvas,
            self._texture if texture is None else texture,
            self._source,
            self._camera.project(moved),
            moved[:, 2],
            self._triangles,
        )
        return canvas


def _ignore(action: Action, t: float) -> Gesture | None:
    return None


def _face_box(
    portrait: Portrait, left: float, right: float, top: float, bottom: float
) -> tuple[int, int, int, int]:
    """A box around the face in face widths (clipped to the frame): x0, y0, x1, y1."""
    cx, cy = portrait.centre
    w = portrait.face_width
    x0, x1 = max(int(cx - left * w), 0), min(int(cx + right * w), FRAME_WIDTH)
    y0, y1 = max(int(cy - top * w), 0), min(int(cy + bottom * w), FRAME_HEIGHT)
    return x0, y0, x1, y1


def _jpeg(image: RGBImage, quality: int) -> RGBImage:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("JPEG encoding failed")
    return np.asarray(cv2.imdecode(data, cv2.IMREAD_UNCHANGED), dtype=np.uint8)


class PrintAttack(HeldPicture):
    """The photo printed on paper (warm tint, lifted blacks, printer blur, JPEG), with a white
    margin, flat or bent, held up and tilted to imitate what is asked."""

    kind = "print"

    def __init__(
        self, portrait: Portrait, seed: int, *, bent: bool = False, adaptive: bool = True
    ) -> None:
        rng = np.random.default_rng([seed, 3])
        x0, y0, x1, y1 = _face_box(portrait, 1.1, 1.1, 1.3, 1.5)
        photo = portrait.image[y0:y1, x0:x1].astype(np.float32)
        tint = rng.uniform([0.92, 0.88, 0.78], [1.0, 0.96, 0.9]).astype(np.float32)
        paper = 255.0 * tint
        contrast = np.float32(rng.uniform(0.72, 0.88))
        printed = paper * (np.float32(0.12) + contrast * photo / 255.0)
        printed = cv2.GaussianBlur(printed, (0, 0), rng.uniform(0.6, 1.3))
        printed_u8 = _jpeg(
            np.asarray(np.clip(printed, 0, 255), dtype=np.uint8), int(rng.integers(55, 85))
        )
        margin = int(0.06 * (x1 - x0))
        sheet = np.empty(
            (printed_u8.shape[0] + 2 * margin, printed_u8.shape[1] + 2 * margin, 3), np.uint8
        )
        sheet[:] = np.clip(paper, 0, 255).astype(np.uint8)
        sheet[margin:-margin, margin:-margin] = printed_u8
        cx, cy = portrait.centre
        origin = (cx - x0 + margin, cy - y0 + margin)
        bend = float(rng.uniform(0.12, 0.3)) if bent else 0.0
        super().__init__(portrait, seed, texture=sheet, origin=origin, bend=bend, adaptive=adaptive)
        self.kind = "print"


def screen_look(content: RGBImage, rng: np.random.Generator) -> Callable[[RGBImage], RGBImage]:
    """How a phone or monitor shows a picture to a camera: gamma and contrast off, a blue cast,
    the pixel grid (a fine grating the camera's sampling folds into moiré), interference bands and
    a glare spot. Returns the function applied to each content frame (its size fixed here)."""
    height, width = content.shape[:2]
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, math.pi)
    period = rng.uniform(2.1, 2.9)
    grid = np.sin(2 * math.pi * (xs * math.cos(angle) + ys * math.sin(angle)) / period)
    band_angle = rng.uniform(0, math.pi)
    bands = np.sin(
        2 * math.pi * (xs * math.cos(band_angle) + ys * math.sin(band_angle)) / rng.uniform(9, 22)
    )
    pattern = 1.0 + rng.uniform(0.06, 0.12) * grid + rng.uniform(0.03, 0.07) * bands
    gx, gy = rng.uniform(0.2, 0.8) * width, rng.uniform(0.1, 0.5) * height
    glare = rng.uniform(30, 80) * np.exp(
        -(((xs - gx) / (0.25 * width)) ** 2 + ((ys - gy) / (0.15 * height)) ** 2)
    )
    gamma = np.float32(rng.uniform(0.75, 1.3))
    contrast = np.float32(rng.uniform(0.8, 1.1))
    cast = rng.uniform([0.9, 0.95, 1.0], [0.97, 1.0, 1.08]).astype(np.float32)
    pattern_3 = (pattern[:, :, None] * cast[None, None, :]).astype(np.float32)
    glare_3 = glare[:, :, None].astype(np.float32)

    def show(picture: RGBImage) -> RGBImage:
        level = (picture.astype(np.float32) / 255.0) ** gamma
        out = (255.0 * (0.5 + contrast * (level - 0.5))) * pattern_3 + glare_3
        return np.asarray(np.clip(out, 0, 255), dtype=np.uint8)

    return show


def _bezel(screen: RGBImage, rng: np.random.Generator) -> tuple[RGBImage, int]:
    """The screen inside a dark bezel with rounded corners; returns it and the bezel width."""
    height, width = screen.shape[:2]
    border = int(rng.uniform(0.05, 0.09) * width)
    shade = rng.uniform(10, 45)
    device = np.full((height + 2 * border, width + 2 * border, 3), shade, dtype=np.uint8)
    device[border:-border, border:-border] = screen
    return device, border


class ScreenAttack(HeldPicture):
    """A phone showing the still photo: bezel in frame, moiré, gamma and contrast off, glare; held
    up and tilted to imitate what is asked."""

    kind = "screen"

    def __init__(self, portrait: Portrait, seed: int, *, adaptive: bool = True) -> None:
        rng = np.random.default_rng([seed, 4])
        self._box = _face_box(portrait, 1.0, 1.0, 1.5, 1.9)
        x0, y0, x1, y1 = self._box
        self._show = screen_look(portrait.image[y0:y1, x0:x1], rng)
        device, self._border = _bezel(self._show(portrait.image[y0:y1, x0:x1]), rng)
        cx, cy = portrait.centre
        origin = (cx - x0 + self._border, cy - y0 + self._border)
        super().__init__(portrait, seed, texture=device, origin=origin, adaptive=adaptive)
        self.kind = "screen"


class ReplayAttack(ScreenAttack):
    """A phone replaying a recording of the live head performing some other random challenge
    (its first action is never the one asked: a replay that happens to show the drawn challenge is
    the known limit of an active check). Held still-ish: the recording does the moving."""

    kind = "replay"

    def __init__(self, portrait: Portrait, seed: int) -> None:
        super().__init__(portrait, seed, adaptive=False)
        self.kind = "replay"
        rng = np.random.default_rng([seed, 5])
        self._head = LiveHead(portrait, seed + 7919)
        order = list(Action)
        rng.shuffle(order)
        self._order: list[Action] = order
        self._first_at = float(rng.uniform(0.8, 2.0))
        self._second_at = self._first_at + float(rng.uniform(2.0, 3.0))
        self._recorded: tuple[Action, Action] | None = None
        self._device = self._texture.copy()

    def recorded(self, asked: Action | None) -> tuple[Action, Action] | None:
        """The challenge the recording shows: drawn once, at the first prompt, unlike it."""
        if self._recorded is None and asked is not None:
            first = next(a for a in self._order if a != asked)
            second = next(
                a for a in self._order if a != first and (a in MOVEMENTS or first in MOVEMENTS)
            )
            self._recorded = (first, second)
        return self._recorded

    def frame(self, timestamp_ms: int, asked: Action | None) -> RGBImage:
        t = timestamp_ms / 1000.0
        recorded = self.recorded(asked)
        shown: Action | None = None
        if recorded is not None:
            if self._first_at <= t < self._second_at:
                shown = recorded[0]
            elif t >= self._second_at:
                shown = recorded[1]
        picture = self._head.frame(timestamp_ms, shown)
        x0, y0, x1, y1 = self._box
        border = self._border
        self._device[border:-border, border:-border] = self._show(picture[y0:y1, x0:x1])
        return super().frame(timestamp_ms, None)

    def texture_at(self, timestamp_ms: int) -> RGBImage:
        return self._device


# --- as a camera ---------------------------------------------------------------------------------


class FollowingTask:
    """A TaskState that remembers what the station last asked (`CaptureProgress.challenge`) — the
    only way the presentation in front of the camera learns the prompt, as a person reads it off
    the screen. It also notes the frame at which the first good frame was reported."""

    def __init__(self) -> None:
        self.asked: Action | None = None
        self.first_good_frame: int | None = None
        self.reports = 0

    def cancelled(self) -> bool:
        return False

    def report(self, progress: CaptureProgress) -> None:
        self.reports += 1
        challenge = getattr(progress, "challenge", None)
        self.asked = getattr(challenge, "action", None) if challenge is not None else None
        if self.first_good_frame is None and progress.good_frames > 0:
            self.first_good_frame = progress.frames_read


class PresentationSource(FrameSourceBase):
    """A Presentation as a FrameSource: frames at ~15 fps of stream time (not paced: a capture is
    judged in its frames' own timestamps), each rendered for what `task` last heard asked; ends
    after `max_seconds`."""

    def __init__(
        self,
        presentation: Presentation,
        task: FollowingTask | None = None,
        *,
        fps: float = PRESENTATION_FPS,
        max_seconds: float = 30.0,
    ) -> None:
        self._presentation = presentation
        self._task = task
        self._fps = fps
        self._limit = int(max_seconds * fps)
        self._index: int | None = None
        self.timestamps: list[int] = []

    @property
    def description(self) -> str:
        return f"generated {self._presentation.kind} presentation"

    @property
    def is_open(self) -> bool:
        return self._index is not None

    def open(self) -> None:
        if self._index is None:
            self._index = 0

    def read(self) -> Frame | None:
        self._require_open()
        assert self._index is not None
        if self._index >= self._limit:
            return None
        stamp = round(self._index * 1000.0 / self._fps)
        asked = self._task.asked if self._task is not None else None
        pixels = self._presentation.frame(stamp, asked)
        frame = Frame(pixels, stamp, self._index)
        self._index += 1
        self.timestamps.append(stamp)
        return frame

    def close(self) -> None:
        self._index = None


def scripted_asks(seed: int, seconds: float) -> Callable[[float], Action | None]:
    """For clips written ahead of time (they cannot hear the station): a script of prompts that
    walks through every action in a seeded order, ~2.2 s each after a short still start."""
    rng = np.random.default_rng([seed, 6])
    order = list(Action)
    rng.shuffle(order)
    steps = [*order, *order]

    def asked(t: float) -> Action | None:
        if t < 0.8:
            return None
        step = int((t - 0.8) / 2.2)
        return steps[step % len(steps)] if t < seconds else None

    return asked


def render_clip(
    presentation: Presentation, seconds: float, seed: int, fps: float = PRESENTATION_FPS
) -> Iterator[tuple[int, RGBImage]]:
    """(timestamp_ms, frame) of a clip following `scripted_asks`: what a written clip holds."""
    script = scripted_asks(seed, seconds)
    for index in range(int(seconds * fps)):
        stamp = round(index * 1000.0 / fps)
        yield stamp, presentation.frame(stamp, script(stamp / 1000.0))
