"""Liveness (R23): an active challenge judged from face landmarks, with checks a flat picture
cannot pass (planarity of a moved print, a still sequence) and one face throughout. Pure numpy and
OpenCV; the capture loop in station/biometrics/pipeline.py drives it."""

from station.domain.capture import ChallengeProgress
from station.domain.liveness import (
    HEAD_MOVEMENTS,
    Action,
    LivenessFailure,
    LivenessVerdict,
)
from station.liveness.challenge import CHALLENGES, HEAD_CHALLENGES, draw_challenge
from station.liveness.check import LivenessCheck, Phase
from station.liveness.eyes import EyeLikeness
from station.liveness.geometry import (
    eye_openness,
    inter_ocular,
    pitch,
    planarity_residual,
    yaw,
)
from station.liveness.motion import FaceMotion

__all__ = [
    "CHALLENGES",
    "HEAD_CHALLENGES",
    "HEAD_MOVEMENTS",
    "Action",
    "ChallengeProgress",
    "EyeLikeness",
    "FaceMotion",
    "LivenessCheck",
    "LivenessFailure",
    "LivenessVerdict",
    "Phase",
    "draw_challenge",
    "eye_openness",
    "inter_ocular",
    "pitch",
    "planarity_residual",
    "yaw",
]
