"""A synthetic live person in front of the station's camera, for the flows' end-to-end tests with the
liveness check on (R23): i10-streams' LiveHead, a 3-D head rendered from a real photo's landmark
mesh, who learns the movement asked for only from what the station reports (a FollowingTask fed
by the service's progress reports, or the window's capture page), as a person reads it off the
screen. Nothing is written to disk (R10)."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

import station.biometrics.pipeline
from station.biometrics.pipeline import BiometricModels
from station.capture import FrameSource, PacedSource
from station.domain import EnrollStatus
from station.domain.liveness import Action
from station.liveness import draw_challenge
from station.liveness.presentations import FollowingTask, LiveHead, Portrait, PresentationSource
from station.services import Station
from station.storage import Store
from tests.basics import ADMIN, ADULT_BIRTH, LIVENESS_ON, FrozenClock, fast_settings

if TYPE_CHECKING:  # the crash driver's child process uses this module: no pytest, no window
    import pytest

    from ui.views.capture import CapturePanel
    from ui.workers.camera import FrameOpener


def portrait(models: BiometricModels, photo: Path) -> Portrait:
    image = cv2.imread(str(photo))
    assert image is not None, photo
    detector, landmarker = models.new_detector(), models.new_landmarker()
    try:
        rgb = np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB), dtype=np.uint8)
        return Portrait.from_photo(rgb, detector, landmarker)
    finally:
        detector.close()
        landmarker.close()


def member_enrolled_before_the_check(
    store: Store,
    clock: FrozenClock,
    models: BiometricModels,
    camera: Callable[[], FrameSource],
    member: str,
) -> Station:
    """`member` enrolled from `camera` (photos) while the check was off, and the station then with
    it on (the default): the state issue 10 found, where a photo of the member passed. The notice
    now names the check, so the member is asked again (R3) before any face use."""
    before = Station(store, ADMIN, fast_settings(), clock, models=lambda: models)
    before.subjects.register(member, "Angelina Test", ADULT_BIRTH, ADMIN)
    before.consents.record(member, True, before.notices.current("en"), ADMIN)
    enrolled = before.enrollment.enroll(member, camera, ADMIN)
    assert enrolled.status is EnrollStatus.ENROLLED, enrolled.message
    return Station(store, ADMIN, fast_settings(liveness=LIVENESS_ON), clock, models=lambda: models)


def draw_seeded(monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    """The flows draw the challenge from the CSPRNG (R23); a test draws it from `seed` so that
    each run asks the same movements. The drawing itself, and how the person learns it, are the
    flows' own."""
    monkeypatch.setattr(station.biometrics.pipeline, "draw_challenge", seeded_challenges(seed))


def seeded_challenges(seed: int) -> Callable[..., tuple[Action, Action]]:
    """draw_challenge drawing from `seed` instead of the CSPRNG."""
    rng = random.Random(seed)
    return lambda _=None, *, blink=True: draw_challenge(rng, blink=blink)


class LivePerson:
    """One person (a portrait) who may come to the desk several times; each visit is a new
    LiveHead with its own seed, and follows the prompts of that visit only."""

    def __init__(self, face: Portrait, seed: int) -> None:
        self.face = face
        self.seed = seed
        self.task = FollowingTask()  # the window visit's
        self.prompts: list[Action | None] = []  # what the window showed, in order

    def visit(self) -> tuple[Callable[[], FrameSource], FollowingTask]:
        """For a service call: its camera, and the TaskState to pass it, through which the
        person hears the prompts of this visit."""
        self.seed += 1
        task, head = FollowingTask(), LiveHead(self.face, self.seed)
        return lambda: PresentationSource(head, task), task

    def in_front_of(self, panel: CapturePanel) -> FrameOpener:
        """For the window's camera (CameraSession.open_frames): the person watches `panel` and
        does what it shows; frames come at the presentation's own pace, as a webcam's would."""
        panel.prompt_shown.connect(self._read_screen)

        def visit(_spec: str, _paced: bool) -> FrameSource:
            self.seed += 1
            self.task = FollowingTask()
            return PacedSource(PresentationSource(LiveHead(self.face, self.seed), self.task))

        return visit

    def _read_screen(self, action: Action | None) -> None:
        self.prompts.append(action)
        self.task.asked = action
