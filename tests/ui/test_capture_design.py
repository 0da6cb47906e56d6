"""Issue 12, the capture screen: the oval guide over the preview says what the quality gate said about
the latest frame by its line as well as its colour (R8, R26); the progress ring counts good frames,
then the liveness check's movements (R23), and says so in words; the page fits a 1024 x 768 screen."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station.biometrics.pipeline import BiometricModels, assess_pixels
from station.capture import open_source
from station.domain import QualityIssue
from station.domain.capture import CaptureProgress, ChallengeProgress
from station.domain.liveness import Action
from station.settings import Settings
from tests.ui.conftest import Drive, submit_first_start
from ui.image_convert import rgb_to_qimage
from ui.screenshots import face_box_pixels, widget_rgb
from ui.views.capture_progress import CaptureProgressRing, ProgressPhase
from ui.views.face_guide import GuideState, oval_rect
from ui.views.main_window import MainWindow
from ui.views.widgets import PreviewLabel, ink

CLIP = Path("video") / "short_hamilton_clip.mp4"


def _gate_pair(
    faces: Path, models: BiometricModels, site_settings: Settings
) -> tuple[npt.NDArray[np.uint8], CaptureProgress, CaptureProgress]:
    """The first frame of the shared clip that this site's gate accepts and the default gate
    (eyes 60 px apart, R26) refuses: the same picture, once good and once refused, with the real
    detector's face box each time."""
    detector = models.new_detector()
    strict = Settings().enroll_gate
    try:
        with open_source(str(faces / CLIP)) as clip:
            for read in range(1, 400):
                frame = clip.read()
                assert frame is not None, "the clip ended before a frame the two gates differ on"
                pixels = np.array(frame.pixels, dtype=np.uint8)
                good = assess_pixels(pixels, detector, site_settings.enroll_gate)
                refused = assess_pixels(pixels, detector, strict)
                if good.accepted and refused.issue is QualityIssue.TOO_SMALL:
                    size = (pixels.shape[1], pixels.shape[0])
                    return (
                        pixels,
                        CaptureProgress(read, 1, 3, None, good.face, size),
                        CaptureProgress(read, 0, 3, refused.issue, refused.face, size),
                    )
    finally:
        detector.close()
    raise AssertionError("no frame of the clip passes one gate and fails the other")


def _outline_share(picture: npt.NDArray[np.uint8], preview: PreviewLabel, colour: QColor) -> float:
    """The share of points along the oval's line (its centre line, every degree) drawn in
    `colour`: near 1 for a solid line, well under 1 for a dashed or dotted one."""
    oval = oval_rect(QRectF(preview.picture_rect()))
    centre, half_w, half_h = oval.center(), oval.width() / 2, oval.height() / 2
    target = np.array([colour.red(), colour.green(), colour.blue()], np.int16)
    hits = 0
    for degree in range(360):
        angle = math.radians(degree)
        x = round(centre.x() + half_w * math.cos(angle))
        y = round(centre.y() + half_h * math.sin(angle))
        if np.abs(picture[y, x].astype(np.int16) - target).max() <= 40:
            hits += 1
    return hits / 360


@pytest.mark.usefixtures("styled")
def test_the_oval_guide_shows_where_the_face_goes_and_what_the_gate_said(
    qtbot: QtBot, models: BiometricModels, faces: Path, site_settings: Settings
) -> None:
    pixels, good, refused = _gate_pair(faces, models, site_settings)
    no_face = CaptureProgress(good.frames_read, 0, 3, QualityIssue.NO_FACE, None, good.frame_size)
    preview = PreviewLabel()
    qtbot.addWidget(preview)
    preview.resize(720, 480)
    preview.show()
    qtbot.waitExposed(preview)
    preview.show_frame(rgb_to_qimage(pixels))

    def look(
        progress: CaptureProgress,
    ) -> tuple[GuideState, dict[GuideState, float], tuple[int, int]]:
        """The guide's state, the share of its line drawn in each state's colour, the box."""
        preview.set_progress(progress)
        picture = widget_rgb(preview)
        shares = {state: _outline_share(picture, preview, state.colour) for state in GuideState}
        return preview.guide, shares, face_box_pixels(preview)

    guide, shares, box = look(good)
    assert guide is GuideState.GOOD
    assert shares[GuideState.GOOD] > 0.9, shares  # solid: the line is whole
    assert shares[GuideState.ADJUST] == 0 and shares[GuideState.SEARCHING] == 0, shares
    assert box[0] > 40 and box[1] == 0, box  # the screenshot walk still finds a green box

    guide, shares, box = look(refused)
    assert guide is GuideState.ADJUST
    assert 0.3 < shares[GuideState.ADJUST] < 0.85, shares  # dashed: a line with gaps
    assert shares[GuideState.GOOD] == 0, shares
    assert box[1] > 40 and box[0] == 0, box  # ... and a yellow one

    guide, shares, box = look(no_face)
    assert guide is GuideState.SEARCHING
    assert 0.1 < shares[GuideState.SEARCHING] < 0.7, shares  # dotted, neutral
    assert shares[GuideState.GOOD] == 0 and shares[GuideState.ADJUST] == 0, shares
    assert box == (0, 0), box  # no face, no box; the oval never counts as one

    preview.clear_preview()  # no picture: the guide on a dark screen, where the face will go
    assert preview.guide is GuideState.SEARCHING
    assert _outline_share(widget_rgb(preview), preview, GuideState.SEARCHING.colour) > 0.1


def test_the_progress_ring_counts_frames_then_movements_and_says_so_in_words(
    qtbot: QtBot,
) -> None:
    ring = CaptureProgressRing()
    qtbot.addWidget(ring)
    ring.show()
    qtbot.waitExposed(ring)
    size = (640, 480)
    reports = [
        CaptureProgress(1, 0, 3, QualityIssue.TOO_SMALL, None, size),
        CaptureProgress(2, 1, 3, None, None, size),
        CaptureProgress(3, 1, 3, None, None, size, ChallengeProgress(Action.TURN_LEFT, 1, 2, 3.0)),
        CaptureProgress(9, 1, 3, None, None, size, ChallengeProgress(Action.BLINK, 2, 2, 1.0)),
        CaptureProgress(14, 2, 3, None, None, size),
        CaptureProgress(15, 3, 3, None, None, size),
    ]
    good = ink().good
    shown = []
    for progress in reports:
        ring.show_progress(progress)
        green = np.all(widget_rgb(ring) == [good.red(), good.green(), good.blue()], axis=2)
        shown.append((ring.phase, ring.done, ring.total, ring.text(), int(np.count_nonzero(green))))
        assert ring.accessibleDescription() == ring.text()
    frames, movements = ProgressPhase.FRAMES, ProgressPhase.MOVEMENTS
    assert [entry[:4] for entry in shown] == [
        (frames, 0, 3, "Frame 0 of 3"),
        (frames, 1, 3, "Frame 1 of 3"),
        (movements, 0, 2, "Movement 1 of 2"),
        (movements, 1, 2, "Movement 2 of 2"),
        (frames, 2, 3, "Frame 2 of 3"),
        (frames, 3, 3, "Frame 3 of 3"),
    ]
    greens = [entry[4] for entry in shown]
    # The green drawn grows with the good frames (none while the movements are counted).
    assert greens[0] == 0 and greens[2] == greens[3] == 0
    assert 0 < greens[1] < greens[4] < greens[5], greens
    ring.show_progress(None)
    assert ring.phase is None and ring.text() == ""


@pytest.mark.usefixtures("styled")
def test_the_capture_page_reads_from_a_metre_and_fits_1024_by_768(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    async def scenario() -> None:
        await submit_first_start(window, qtbot)

    drive(scenario)
    size = (640, 480)
    asked = CaptureProgress(
        4, 1, 3, None, None, size, ChallengeProgress(Action.TURN_RIGHT, 2, 2, 2.0)
    )
    edge = CaptureProgress(5, 1, 3, QualityIssue.TOO_CLOSE_TO_EDGE, None, size)
    # The enrollment and verification pages fit under the header on a 1024 x 768 screen, with
    # the movement asked for, and with the longest hint (they never show together).
    room = QSize(1024 - 24, 768 - window.header.sizeHint().height() - 40)  # margins, spacing
    for view in (window.enroll, window.verify):
        for progress in (asked, edge):
            view.capture._show_progress(progress)
            needed = view.minimumSizeHint()
            assert needed.width() <= room.width() and needed.height() <= room.height(), (
                type(view).__name__,
                progress.issue,
                needed,
            )
    panel = window.enroll.capture
    panel._show_progress(asked)
    assert panel.count.text() == "Movement 2 of 2" and panel.ring.text() == panel.count.text()
    assert panel.countdown.text() == "2 s left"
    panel._show_progress(edge)
    assert panel.count.text() == "Frame 1 of 3"
    assert panel.hint.text() == "Please move to the centre of the picture."
    # The hint is the largest text on the page but the movement asked for (R23).
    assert panel.hint.font().pixelSize() >= 28 > panel.count.font().pixelSize()
    assert panel.prompt.font().pixelSize() > panel.hint.font().pixelSize()


@pytest.mark.usefixtures("styled")
def test_a_1024_by_768_window_keeps_its_size_while_a_verification_asks_for_a_movement(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    """The window itself, not only the page's minimum: with the member screen's button above
    the page and the movement, its cue and the longest hint shown, Qt grew the window to what
    the wrapped words needed at its width (772 px, past a 768 px screen, seen in the gallery)."""

    async def scenario() -> None:
        await submit_first_start(window, qtbot)

    drive(scenario)
    window.resize(1024, 768)
    window.show()
    qtbot.waitExposed(window)
    window._show_verify("M-1")  # the page as home opens it (no camera needed to lay it out)
    assert window.stack.currentWidget() is window.verify
    assert window.member_display.turn_button.isVisible()
    size = (640, 480)
    challenge = ChallengeProgress(Action.TURN_RIGHT, 1, 2, 3.0)
    asked_with_a_hint = CaptureProgress(
        4, 1, 3, QualityIssue.TOO_CLOSE_TO_EDGE, None, size, challenge
    )
    window.verify.capture._show_progress(asked_with_a_hint)
    assert window.verify.capture.challenge.isVisible() and window.verify.capture.hint.text()
    QApplication.processEvents()
    assert window.size() == QSize(1024, 768)
