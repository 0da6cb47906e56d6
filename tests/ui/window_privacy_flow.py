"""Run by tests/ui/test_window_privacy.py in a process of its own, under strace, with HOME, the XDG
folders and TMPDIR in a scratch tree: not collected by a plain `pytest` run. The window's enroll and
verify flow as an operator drives it: Qt offscreen, the camera worker playing the shared clip (then
a photo) into the live preview, the real models, a real store. It prints what the parent checks:

    store PATH         the store the window created (DESK_OPERATOR's, in tests/ui/conftest.py)
    location PATH      each folder Qt's standard locations would write to
    frames COUNT       how many frames the camera delivered
    fragment HEX       pixel fragments of each of those frames (tests/imagescan.py)

With LEAK_ENV set (the parent's control run only) the preview leaks what it is shown into Qt's
cache folder: its first frame saved as a PNG, its second as raw pixels, which the scan must find.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from station.capture import Frame, FrameSource, PassThroughSource
from station.domain import VerifyStatus
from tests.imagescan import pixel_fragments
from tests.ui.conftest import Drive, create_station, open_notice, until
from ui.views.main_window import MainWindow
from ui.views.widgets import PreviewLabel

LEAK_ENV = "FACE_STATION_TEST_LEAK_PREVIEW"
CLIP = Path("video") / "short_hamilton_clip.mp4"
PHOTO = Path("photos") / "lin_manuel_miranda" / "face_recognition_lin-manuel-miranda.png"
LEAKED_PNG, LEAKED_RAW = "preview-0.png", "preview-1.rgb"


class DeliveredFrames(PassThroughSource):
    """The camera's frames, passed on unchanged; fragments of each are noted in memory."""

    def __init__(self, inner: FrameSource, fragments: set[bytes], counted: list[int]) -> None:
        super().__init__(inner)
        self._fragments, self._counted = fragments, counted

    def read(self) -> Frame | None:
        frame = super().read()
        if frame is not None:
            self._fragments.update(pixel_fragments(frame.pixels))
            self._counted.append(frame.index)
        return frame


def _leaking(show_frame: Callable[[PreviewLabel, QImage], None]) -> Callable[..., None]:
    """The control's defect: the preview keeps its first two pictures in Qt's cache folder."""

    def show_and_leak(preview: PreviewLabel, image: QImage) -> None:
        cache = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation))
        cache.mkdir(parents=True, exist_ok=True)
        if not (cache / LEAKED_PNG).exists():
            assert image.save(str(cache / LEAKED_PNG))  # PNG: the name says it
        elif not (cache / LEAKED_RAW).exists():
            (cache / LEAKED_RAW).write_bytes(bytes(image.constBits()))
        show_frame(preview, image)

    return show_and_leak


def test_the_window_enrolls_and_verifies(
    window: MainWindow,
    qtbot: QtBot,
    drive: Drive[None],
    faces: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fragments: set[bytes] = set()
    delivered: list[int] = []
    camera = window.camera
    open_frames = camera.open_frames
    camera.open_frames = lambda spec, paced: DeliveredFrames(
        open_frames(spec, paced), fragments, delivered
    )
    if os.environ.get(LEAK_ENV):
        monkeypatch.setattr(PreviewLabel, "show_frame", _leaking(PreviewLabel.show_frame))
    decisions: list[VerifyStatus] = []
    shown: list[int] = []

    async def scenario() -> None:
        await create_station(window, qtbot)
        window.set_camera(str(faces / CLIP))
        enroll = await open_notice(window, qtbot, "LMM", "Lin-Manuel Miranda")
        qtbot.mouseClick(enroll.accept, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.pages.currentIndex() == 2, what="the camera step")
        qtbot.mouseClick(enroll.capture.start, Qt.MouseButton.LeftButton)
        await until(lambda: enroll.pages.currentIndex() == 4, timeout=45, what="enrollment")
        assert "one face template, no image" in enroll.result.text(), enroll.result.text()
        await until(lambda: not camera.running, what="the camera to stop")
        shown.append(enroll.capture.preview.frames_shown)
        qtbot.mouseClick(enroll.finish, Qt.MouseButton.LeftButton)

        verify = window.verify
        verify.decided.connect(lambda outcome: decisions.append(outcome.status))
        window.set_camera(str(faces / PHOTO))
        window.home.search.setText("LMM")
        qtbot.mouseClick(window.home.verify_face, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(verify.capture.start, Qt.MouseButton.LeftButton)
        await until(lambda: bool(decisions), what="the decision")
        await until(lambda: not camera.running, what="the camera to stop")
        shown.append(verify.capture.preview.frames_shown)
        qtbot.mouseClick(verify.finish, Qt.MouseButton.LeftButton)

    drive(scenario)
    assert decisions == [VerifyStatus.ACCEPTED]
    assert all(count > 0 for count in shown), shown  # both pictures went through the preview
    print(f"store {window.opener.path}")
    for location in QStandardPaths.StandardLocation:
        print(f"location {QStandardPaths.writableLocation(location)}")
    print(f"frames {len(delivered)}")
    for piece in sorted(fragments):
        print(f"fragment {piece.hex()}")
