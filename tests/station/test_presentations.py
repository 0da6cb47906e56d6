"""The generated presentations that liveness is measured with (R23), and `face-station pad-eval`:
on real photos from ../shared/faces with the real detector and landmarker (read in place, never
copied into the repository)."""

from __future__ import annotations

import itertools
import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from station.biometrics.pipeline import BiometricModels
from station.capture.sources import RGBImage, read_image_rgb
from station.domain.capture import CaptureProgress, ChallengeProgress
from station.liveness import Action, eye_openness, planarity_residual, yaw
from station.liveness.pad_eval import summarize
from station.liveness.presentations import (
    FollowingTask,
    LiveHead,
    Portrait,
    Pose,
    Presentation,
    PresentationSource,
    PrintAttack,
    ReplayAttack,
    ScreenAttack,
    render_clip,
)
from tests.conftest import run_cli

PHOTO = Path("photos") / "obama" / "face_recognition_obama.jpg"


@pytest.fixture(scope="module")
def portrait(faces: Path, models: BiometricModels) -> Portrait:
    detector, landmarker = models.new_detector(), models.new_landmarker()
    try:
        return Portrait.from_photo(read_image_rgb(faces / PHOTO), detector, landmarker)
    finally:
        landmarker.close()
        detector.close()


def _landmarks(models: BiometricModels, rgb: RGBImage) -> np.ndarray:
    detector, landmarker = models.new_detector(), models.new_landmarker()
    try:
        faces = detector.detect(rgb)
        assert faces, "no face found on a rendered frame"
        found = landmarker.landmarks(rgb, max(faces, key=lambda f: f.score))
        assert found is not None
        return found.points
    finally:
        landmarker.close()
        detector.close()


def _frames(presentation: Presentation, asks: list[Action | None]) -> list[RGBImage]:
    return [presentation.frame(round(i * 1000 / 15), asked) for i, asked in enumerate(asks)]


ASKS: list[Action | None] = [None, None, Action.TURN_LEFT, Action.TURN_LEFT, Action.TURN_LEFT]


@pytest.mark.parametrize(
    "make",
    [
        lambda p, s: LiveHead(p, s),
        lambda p, s: PrintAttack(p, s),
        lambda p, s: PrintAttack(p, s, bent=True),
        lambda p, s: ScreenAttack(p, s),
        lambda p, s: ReplayAttack(p, s),
    ],
    ids=["live", "print", "print_bent", "screen", "replay"],
)
def test_r23_a_generator_is_deterministic_for_a_seed(
    portrait: Portrait, make: Callable[[Portrait, int], Presentation]
) -> None:
    first = _frames(make(portrait, 11), ASKS)
    again = _frames(make(portrait, 11), ASKS)
    other = _frames(make(portrait, 12), ASKS)
    assert all(a.shape == (480, 640, 3) and a.dtype == np.uint8 for a in first)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(np.array_equal(a, b) for a, b in zip(first, other, strict=True))


def test_r23_a_live_heads_turn_shows_parallax_a_prints_does_not(
    portrait: Portrait, models: BiometricModels
) -> None:
    """Turned by the same angle, the live head's nose moves against its cheeks (yaw measure) and
    its landmarks leave the best plane; the print's do neither."""
    head = LiveHead(portrait, 1)
    sheet = PrintAttack(portrait, 1)
    live_front = _landmarks(models, head.render(Pose()))
    live_turned = _landmarks(models, head.render(Pose(yaw=25)))
    print_front = _landmarks(models, sheet.render(Pose()))
    print_turned = _landmarks(models, sheet.render(Pose(yaw=25)))
    live_swing = yaw(live_turned) - yaw(live_front)
    print_swing = yaw(print_turned) - yaw(print_front)
    assert live_swing > 0.15  # towards the person's own left, as the action names it
    assert live_swing > 3 * abs(print_swing)
    assert planarity_residual(live_front, live_turned) > 2 * planarity_residual(
        print_front, print_turned
    )


def test_r23_a_blink_closes_the_eyes_as_the_landmarks_measure_them(
    portrait: Portrait, models: BiometricModels
) -> None:
    head = LiveHead(portrait, 2)
    opened = eye_openness(_landmarks(models, head.render(Pose())))
    shut = eye_openness(_landmarks(models, head.render(Pose(blink=1.0))))
    assert shut < 0.5 * opened


def test_r23_a_live_head_answers_only_after_a_reaction_delay(portrait: Portrait) -> None:
    head = LiveHead(portrait, 3, spontaneous_blinks=False)
    poses = [head.pose(ms, Action.TURN_RIGHT if ms >= 1000 else None) for ms in range(0, 4000, 50)]
    turned = [ms for ms, pose in zip(range(0, 4000, 50), poses, strict=True) if pose.yaw < -10]
    assert turned, "the head never turned right"
    assert turned[0] >= 1400  # 0.4 s to react, then the movement itself


def test_r23_a_prompt_withdrawn_brings_the_head_back_and_nothing_more(portrait: Portrait) -> None:
    """Once every movement is seen the screen says to look straight at the camera: the person
    comes back after a reaction delay instead of holding the turn, and starts nothing new."""
    head = LiveHead(portrait, 5, spontaneous_blinks=False)
    stamps = range(0, 6000, 20)
    withdrawn: int | None = None
    yaws = []
    for ms in stamps:
        pose = head.pose(ms, Action.TURN_LEFT if withdrawn is None else None)
        if withdrawn is None and pose.yaw > 20:
            withdrawn = ms
        yaws.append((ms, pose.yaw))
    assert withdrawn is not None, "the head never turned"
    back = [ms for ms, yaw in yaws if ms > withdrawn and yaw < 1]
    assert back and back[0] <= withdrawn + 1700  # 0.4-0.8 s to react, 0.5-0.8 s to come back
    assert all(yaw < 1 for ms, yaw in yaws if ms >= back[0])


def test_r23_asked_to_blink_a_live_head_blinks_twice(portrait: Portrait) -> None:
    """The live head answers the prompt as it reads, "Blink twice": two closings of the lids
    (within 2.3 s: a prompt still showing after the answer is answered again, as people do)."""
    head = LiveHead(portrait, 4, spontaneous_blinks=False)
    shut = [head.pose(ms, Action.BLINK).blink > 0.9 for ms in range(0, 2300, 20)]
    closings = sum(1 for before, now in itertools.pairwise(shut) if now and not before)
    assert closings == 2


class _Recording:
    kind = "test"

    def __init__(self) -> None:
        self.asked: list[Action | None] = []

    def frame(self, timestamp_ms: int, asked: Action | None) -> RGBImage:
        self.asked.append(asked)
        return np.zeros((48, 64, 3), np.uint8)


def test_r23_the_source_asks_what_the_station_last_reported() -> None:
    """The presentation learns the prompt only from the station's reports, one frame later."""
    presentation = _Recording()
    task = FollowingTask()
    with PresentationSource(presentation, task, max_seconds=1.0) as source:
        first = source.read()
        task.report(CaptureProgress(1, 1, 1, None, None, (64, 48)))
        second = source.read()
        task.report(
            CaptureProgress(2, 1, 1, None, None, (64, 48), ChallengeProgress(Action.BLINK, 1, 2, 4))
        )
        third = source.read()
        rest = list(iter(source.read, None))
    assert presentation.asked[:3] == [None, None, Action.BLINK]
    assert first is not None and second is not None and third is not None
    assert [first.timestamp_ms, second.timestamp_ms, third.timestamp_ms] == [0, 67, 133]
    assert task.first_good_frame == 1
    assert 3 + len(rest) == 15  # ~15 fps, ending at max_seconds


def test_r23_summary_counts_per_kind() -> None:
    from station.liveness.pad_eval import Outcome

    result = summarize(
        [
            Outcome("live", "a", True, "accepted", 2.0),
            Outcome("live", "b", False, "no_response", 4.0),
            Outcome("live", "c", True, "accepted", 3.0),
            Outcome("print", "d", False, "flat", 3.0),
            Outcome("print", "e", True, "accepted", 3.0),
            Outcome("screen", "f", False, "still", None),
            Outcome("live", "g", False, "unusable_photo:multiple_faces", None),
        ]
    )
    assert result["attack_types"] == {
        "print": {"presentations": 2, "accepted": 1, "apcer": 0.5},
        "screen": {"presentations": 1, "accepted": 0, "apcer": 0.0},
    }
    assert result["bpcer"] == pytest.approx(1 / 3)
    assert result["max_apcer"] == 0.5
    assert result["bona_fide"] == 3
    assert result["median_seconds_live"] == 2.5  # of the accepted live heads only
    assert result["reasons"]["print"] == {"accepted": 1, "flat": 1}
    assert result["reasons"]["live"] == {
        "accepted": 2,
        "no_response": 1,
        "unusable_photo:multiple_faces": 1,  # counted, but no presentation: not in BPCER
    }


# A photo of two people (../shared/faces/lfw, read in place): its head would keep the second face.
TWO_FACES = Path("lfw") / "Clint_Eastwood" / "Clint_Eastwood_0001.jpg"


def test_r23_a_photo_whose_head_the_gate_never_takes_is_no_presentation(
    tmp_path: Path, faces: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A generated head keeps its photo's company: a photo of two people never gets past the gate
    (one person at a time), so no challenge begins. pad-eval says why instead of counting a live
    person refused."""
    live = tmp_path / "live"
    live.mkdir()
    shutil.copyfile(faces / TWO_FACES, live / TWO_FACES.name)
    assert run_cli(["pad-eval", str(tmp_path), "--seed", "4"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["reasons"] == {"live": {"unusable_photo:multiple_faces": 1}}
    assert result["bona_fide"] == 0 and result["bpcer"] is None


def test_r23_pad_eval_prints_the_json_of_a_generated_folder(
    tmp_path: Path, faces: Path, portrait: Portrait, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live"
    live.mkdir()
    shutil.copyfile(faces / PHOTO, live / PHOTO.name)
    clip = tmp_path / "print" / "held_print"
    clip.mkdir(parents=True)
    for index, (_, frame) in enumerate(render_clip(PrintAttack(portrait, 5), 2.0, 5)):
        cv2.imwrite(str(clip / f"frame_{index:03d}.png"), cv2.cvtColor(frame, cv2.COLOR_RGB2BGR))
    assert run_cli(["pad-eval", str(tmp_path), "--seed", "4"]) == 0
    printed = capsys.readouterr()
    assert printed.err == ""  # no terminal, no --verbose: the answer alone (issue 12)
    result = json.loads(printed.out)
    assert set(result) == {
        "attack_types",
        "bpcer",
        "max_apcer",
        "bona_fide",
        "median_seconds_live",
        "reasons",
    }
    assert result["bona_fide"] == 1
    assert result["attack_types"]["print"]["presentations"] == 1
    assert result["attack_types"]["print"]["accepted"] == 0  # 2 s of a print: never live
    assert sum(result["reasons"]["live"].values()) == 1


@pytest.mark.parametrize("make", [lambda p: p / "missing", lambda p: p], ids=["missing", "empty"])
def test_r23_pad_eval_refuses_a_missing_or_empty_folder(
    tmp_path: Path, make: Callable[[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = make(tmp_path)
    (tmp_path / "live").mkdir()  # an empty kind folder holds no presentation either
    assert run_cli(["pad-eval", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "live/" in err and str(folder) in err


def test_r23_no_camera_spec_opens_a_presentation() -> None:
    """Presentations are for measuring: nothing the flows open reaches them."""
    root = Path(__file__).resolve().parents[2] / "station"
    users = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "liveness.presentations" in path.read_text(encoding="utf-8")
    )
    assert users == ["liveness/pad_eval.py"]


def test_r23_challenge_seed_makes_pad_eval_repeatable() -> None:
    from station.liveness.pad_eval import challenge_rng

    assert challenge_rng(None, "live", "a") is None  # the flows' CSPRNG
    first, again = challenge_rng(3, "live", "a"), challenge_rng(3, "live", "a")
    assert isinstance(first, random.Random) and isinstance(again, random.Random)
    assert first.random() == again.random()
