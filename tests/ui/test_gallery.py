"""The screen gallery (issue 12, `make gallery`): its camera pictures keep no one's face, its PNGs
stay faithful at 256 colours, and every screen the walk shoots has a caption on the page."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from station.biometrics.pipeline import BiometricModels
from ui.gallery import CAPTIONS, page, pixelated, reduce_colours
from ui.screenshots import SCREENS, SUBJECT_SCREEN


def _rgb(image: QImage) -> npt.NDArray[np.uint8]:
    image = image.convertToFormat(QImage.Format.Format_RGB888)
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), np.uint8, count=stride * image.height())
    rows = raw.reshape(image.height(), stride)[:, : image.width() * 3]
    return rows.reshape(image.height(), image.width(), 3).copy()


def _frame_with_a_face(faces: Path) -> QImage:
    photo = faces / "photos" / "lin_manuel_miranda" / "face_recognition_lin-manuel-miranda.png"
    bgr = cv2.imread(str(photo))
    assert bgr is not None, f"cannot read {photo}"
    rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    height, width = rgb.shape[:2]
    return QImage(rgb.data, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def test_a_pixelated_preview_holds_no_face_the_real_detector_finds(
    qapp: QApplication, faces: Path, models: BiometricModels
) -> None:
    """The gallery lives in git; the shared clip is a real person: the picture must not be one."""
    frame = _frame_with_a_face(faces)
    detector = models.new_detector()
    try:
        assert detector.detect(_rgb(frame)), "the detector misses the face in the original"
        private = pixelated(frame)
        assert (private.width(), private.height()) == (frame.width(), frame.height())
        assert not detector.detect(_rgb(private)), "a face is still detectable after pixelation"
    finally:
        detector.close()


def test_256_colours_keep_a_real_screen_faithful(
    qapp: QApplication, qtbot: QtBot, faces: Path, tmp_path: Path
) -> None:
    """A real window as the gallery shoots it (words, a button, the pixelated picture) reduced:
    at most 256 colours, the same size, on average within a grey level or two of the original."""
    screen = QWidget()
    qtbot.addWidget(screen)
    picture = QLabel()
    picture.setPixmap(QPixmap.fromImage(pixelated(_frame_with_a_face(faces))))
    column = QVBoxLayout(screen)
    column.addWidget(QLabel("Verified by face — 已通过人脸核验"))
    column.addWidget(picture)
    column.addWidget(QPushButton("Use another way"))
    screen.show()
    qtbot.waitExposed(screen)
    source, target = tmp_path / "screen.png", tmp_path / "reduced.png"
    assert screen.grab().save(str(source))
    reduce_colours(source, target)
    original, reduced = QImage(str(source)), QImage(str(target))
    assert reduced.format() == QImage.Format.Format_Indexed8
    assert reduced.colorCount() <= 256
    assert reduced.size() == original.size()
    error = np.abs(_rgb(original).astype(np.int16) - _rgb(reduced).astype(np.int16))
    assert float(error.mean()) < 2.0, f"mean error {error.mean():.1f} grey levels"


def test_every_screen_the_walk_shoots_has_a_caption_and_the_page_links_both_sizes() -> None:
    shot = set(SCREENS) | {SUBJECT_SCREEN}
    assert shot == set(CAPTIONS), (
        f"no caption: {sorted(shot - set(CAPTIONS))}; no screen: {sorted(set(CAPTIONS) - shot)}"
    )
    markdown = page(["1366x768", "1920x1080"], ["02-home"], "screens")
    assert "![02-home (en)](screens/1366x768/02-home.en.png)" in markdown
    assert "[1920x1080](screens/1920x1080/02-home.zh_CN.png)" in markdown
    assert CAPTIONS["02-home"] in markdown
