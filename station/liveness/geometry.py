"""Pose and eye measures from MediaPipe's 478 face landmarks, and the planarity residual (R23).

Every measure is a ratio of distances between landmarks, so it does not depend on the face's size
or place in the frame; the check (station/liveness/check.py) compares each with the person's own
frontal value, so a narrow eye, glasses or a face not quite frontal at rest do not matter.

Directions: frames are the camera's own, NOT mirrored. Landmark 454 lies on the person's left
cheek, which an unmirrored frame shows on the viewer's right; when the person turns to their left
the nose tip moves towards it and `yaw` grows. On a mirrored frame the landmarker still puts 454
on the viewer's right, which is then the person's right, and the sign flips
(tests/station/test_liveness.py checks both).
"""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt

Points = npt.NDArray[np.float32]  # 478 x 3 (x, y in frame pixels; z relative depth)

LANDMARK_COUNT = 478
MESH_COUNT = 468  # the 10 iris points after these follow the gaze, not the head
NOSE_TIP = 1
FOREHEAD, CHIN = 10, 152
RIGHT_CHEEK, LEFT_CHEEK = 234, 454  # face oval at the eye line; the person's right and left
# Eyes as (outer corner, inner corner, upper lid, lower lid); the person's right, then left.
RIGHT_EYE = (33, 133, 159, 145)
LEFT_EYE = (263, 362, 386, 374)


def _xy(points: Points, index: int) -> npt.NDArray[np.float64]:
    return np.asarray(points[index, :2], dtype=np.float64)


def eye_centres(points: Points) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """(person's right, person's left) eye centres: the middle of each eye's two corners."""
    right = (_xy(points, RIGHT_EYE[0]) + _xy(points, RIGHT_EYE[1])) / 2
    left = (_xy(points, LEFT_EYE[0]) + _xy(points, LEFT_EYE[1])) / 2
    return right, left


def inter_ocular(points: Points) -> float:
    """Distance between the eye centres, in pixels: the unit of every residual."""
    right, left = eye_centres(points)
    return float(np.linalg.norm(left - right))


def yaw(points: Points) -> float:
    """The nose tip's offset from the middle of the face oval, along the cheek-to-cheek line, as a
    fraction of the face's width: about 0 frontal, growing as the person turns to their left."""
    right, left = _xy(points, RIGHT_CHEEK), _xy(points, LEFT_CHEEK)
    across = left - right
    width = float(np.linalg.norm(across))
    if width < 1e-6:
        return 0.0
    return float((_xy(points, NOSE_TIP) - (left + right) / 2) @ across) / (width * width)


def pitch(points: Points) -> float:
    """The nose tip's distance below the eye line, as a fraction of the forehead-to-chin length
    (both measured across the eye line, so a rolled head reads the same): it falls as the person
    looks up (the nose tip, in front of the eyes, rises towards them)."""
    right, left = eye_centres(points)
    along = left - right
    norm = float(np.linalg.norm(along))
    if norm < 1e-6:
        return 0.0
    down = np.array([-along[1], along[0]]) / norm  # the eye line turned a quarter, towards the chin
    length = float((_xy(points, CHIN) - _xy(points, FOREHEAD)) @ down)
    if length < 1e-6:
        return 0.0
    return float((_xy(points, NOSE_TIP) - (left + right) / 2) @ down) / length


def _openness(points: Points, eye: tuple[int, int, int, int]) -> float:
    outer, inner, upper, lower = eye
    width = float(np.linalg.norm(_xy(points, outer) - _xy(points, inner)))
    if width < 1e-6:
        return 0.0
    return float(np.linalg.norm(_xy(points, upper) - _xy(points, lower))) / width


def eye_openness(points: Points) -> float:
    """Eyelid gap over eye width, both eyes averaged: about 0.3 open, under 0.1 shut."""
    return (_openness(points, RIGHT_EYE) + _openness(points, LEFT_EYE)) / 2


def planarity_residual(frontal: Points, moved: Points) -> float:
    """How far the mesh moved unlike a plane between two frames: the RMS distance between the
    moved landmarks and the frontal ones carried over by the best homography (least squares over
    the 468 mesh points), over the frontal inter-ocular distance.

    A print or a screen tilted by hand is a plane: a homography carries one view of it to the
    other and the residual is the landmarker's noise. A head is not: the nose tip swings against
    the cheeks when it turns, and no homography follows both."""
    source = np.ascontiguousarray(frontal[:MESH_COUNT, :2], dtype=np.float64)
    target = np.ascontiguousarray(moved[:MESH_COUNT, :2], dtype=np.float64)
    unit = inter_ocular(frontal)
    if unit < 1e-6:
        return 0.0
    homography, _ = cv2.findHomography(source, target, 0)
    if homography is None:
        return float("inf")  # degenerate: nothing a plane explains
    carried = cv2.perspectiveTransform(source.reshape(-1, 1, 2), homography).reshape(-1, 2)
    return float(np.sqrt(np.mean(np.sum((carried - target) ** 2, axis=1)))) / unit
