"""Capture sources against real files from ../shared/faces (read-only, never copied here)."""

from __future__ import annotations

import gc
import itertools
import os
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from station.capture import (
    CameraError,
    CameraLostError,
    Frame,
    FrameSource,
    FrameSourceBase,
    ImageFolderSource,
    NoCameraError,
    PacedSource,
    SourceNotFoundError,
    VideoFileSource,
    WebcamSource,
    open_source,
)

CLIP_NAME = "short_hamilton_clip.mp4"


@pytest.fixture
def clip(faces: Path) -> Path:
    return faces / "video" / CLIP_NAME


def drain(source: FrameSource) -> Iterator[Frame]:
    while (frame := source.read()) is not None:
        yield frame


def bgr_to_rgb(image: Any) -> np.ndarray[Any, np.dtype[np.uint8]]:
    assert isinstance(image, np.ndarray)
    return np.ascontiguousarray(image[:, :, ::-1])


# --- video file ------------------------------------------------------------------------------


def test_video_file_decodes_real_clip_as_rgb_with_increasing_timestamps(clip: Path) -> None:
    reference = cv2.VideoCapture(os.fspath(clip))
    ok, first_bgr = reference.read()
    reference.release()
    assert ok

    count = 0
    last_ms = -1
    lit_frames = 0
    with VideoFileSource(clip) as source:
        assert source.is_open
        for frame in drain(source):
            assert frame.pixels.shape == (360, 640, 3)
            assert frame.pixels.dtype == np.uint8
            assert (frame.width, frame.height) == (640, 360)
            assert frame.index == count
            assert frame.timestamp_ms > last_ms
            if count == 0:
                assert frame.timestamp_ms == 0
                np.testing.assert_array_equal(frame.pixels, bgr_to_rgb(first_bgr))
            lit_frames += int(frame.pixels.max() > 0)
            last_ms = frame.timestamp_ms
            count += 1
        assert source.read() is None  # end of stream stays ended
    assert not source.is_open

    assert 270 <= count <= 280  # 275 frames at 29.97 fps
    assert lit_frames == count
    assert last_ms == pytest.approx((count - 1) * 1000 / 29.97, abs=2)


def test_video_file_does_not_keep_frames_it_handed_out(clip: Path) -> None:
    with VideoFileSource(clip) as source:
        frame = source.read()
        assert frame is not None
        pixels = weakref.ref(frame.pixels)
        del frame
        gc.collect()
        assert pixels() is None
        assert source.read() is not None


# --- image folder / sequence -----------------------------------------------------------------


def test_image_folder_yields_every_image_in_rgb(faces: Path) -> None:
    folder = faces / "photos" / "lin_manuel_miranda"
    expected = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".jpg", ".jpeg", ".png"})
    assert expected, f"no images in {folder}"

    with ImageFolderSource(folder) as source:
        frames = list(drain(source))

    assert len(frames) == len(expected)
    for i, (frame, path) in enumerate(zip(frames, expected, strict=True)):
        assert frame.index == i
        assert frame.timestamp_ms == round(i * 1000 / 30)
        np.testing.assert_array_equal(frame.pixels, bgr_to_rgb(cv2.imread(os.fspath(path))))


def test_image_files_of_different_sizes(faces: Path) -> None:
    paths = sorted((faces / "photos" / "obama").glob("*.jpg"))[:3]
    assert len(paths) == 3
    with ImageFolderSource.from_files(paths, fps=4) as source:
        frames = list(drain(source))
    assert [f.timestamp_ms for f in frames] == [0, 250, 500]
    assert len({f.pixels.shape for f in frames}) == 3
    for frame, path in zip(frames, paths, strict=True):
        np.testing.assert_array_equal(frame.pixels, bgr_to_rgb(cv2.imread(os.fspath(path))))


def test_image_folder_does_not_keep_frames_it_handed_out(faces: Path) -> None:
    with ImageFolderSource(faces / "photos" / "lin_manuel_miranda") as source:
        frame = source.read()
        assert frame is not None
        pixels = weakref.ref(frame.pixels)
        del frame
        gc.collect()
        assert pixels() is None


def test_printf_pattern_sequence(tmp_path: Path) -> None:
    # Synthetic flat-colour frames of varying size; each BGR colour is distinct per frame.
    colours_bgr = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (10, 20, 30)]
    for number, colour in enumerate(colours_bgr, start=1):
        image = np.full((24 + number, 32, 3), colour, dtype=np.uint8)
        assert cv2.imwrite(os.fspath(tmp_path / f"frame_{number:04d}.png"), image)
    # Not part of the sequence: wrong padding, other names.
    assert cv2.imwrite(os.fspath(tmp_path / "frame_12.png"), np.zeros((4, 4, 3), np.uint8))
    assert cv2.imwrite(os.fspath(tmp_path / "other.png"), np.zeros((4, 4, 3), np.uint8))

    with ImageFolderSource(tmp_path / "frame_%04d.png", fps=10) as source:
        assert "frame_%04d.png" in source.description
        frames = list(drain(source))

    assert [f.index for f in frames] == [0, 1, 2, 3]
    assert [f.timestamp_ms for f in frames] == [0, 100, 200, 300]
    for number, (frame, (b, g, r)) in enumerate(zip(frames, colours_bgr, strict=True), start=1):
        assert frame.pixels.shape == (24 + number, 32, 3)
        assert tuple(frame.pixels[0, 0]) == (r, g, b)


def test_r10_a_folders_photos_are_stills_and_a_patterns_frames_and_a_video_are_not(
    tmp_path: Path, faces: Path
) -> None:
    """A folder or a list of photos is a set of stills, each its own moment (issue 12); numbered
    frames of a pattern and a video's frames are one recording, where a near-copy can follow."""
    photos = sorted((faces / "photos" / "Matt_Damon").glob("*.jpg"))[:3]
    for number, photo in enumerate(photos):
        (tmp_path / f"frame_{number:04d}.jpg").symlink_to(photo)
    with ImageFolderSource(faces / "photos" / "Matt_Damon") as folder:
        assert all(f.still for f in drain(folder))
    with ImageFolderSource.from_files(photos) as listed:
        assert all(f.still for f in drain(listed))
    with ImageFolderSource(tmp_path / "frame_%04d.jpg") as pattern:
        frames = list(drain(pattern))
        assert len(frames) == 3 and not any(f.still for f in frames)
    with VideoFileSource(faces / "video" / "short_hamilton_clip.mp4") as video:
        first = video.read()
        assert first is not None and not first.still


def test_folder_sorts_by_name_naturally(tmp_path: Path) -> None:
    for number in (10, 2, 1):
        value = np.full((4, 4, 3), number, dtype=np.uint8)
        assert cv2.imwrite(os.fspath(tmp_path / f"shot{number}.png"), value)
    (tmp_path / "notes.txt").write_text("not an image")
    with ImageFolderSource(tmp_path) as source:
        assert [int(f.pixels[0, 0, 0]) for f in drain(source)] == [1, 2, 10]


# --- errors ----------------------------------------------------------------------------------


def test_missing_video_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.mp4"
    with pytest.raises(SourceNotFoundError, match=r"Video file not found: .*nope\.mp4"):
        VideoFileSource(missing).open()


def test_non_video_file(tmp_path: Path) -> None:
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n" * 50)
    source = VideoFileSource(text)
    with pytest.raises(SourceNotFoundError, match=r"notes\.mp4 .*(not a video|no video frames)"):
        source.open()
    assert not source.is_open


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match=r"Image folder not found: .*absent"):
        ImageFolderSource(tmp_path / "absent").open()


def test_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "readme.txt").write_text("no images here")
    with pytest.raises(SourceNotFoundError, match=r"No images .* in folder"):
        ImageFolderSource(tmp_path).open()


def test_pattern_without_matches(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match=r"No images match the pattern"):
        ImageFolderSource(tmp_path / "frame_%04d.png").open()


def test_undecodable_image_names_the_file(tmp_path: Path) -> None:
    assert cv2.imwrite(os.fspath(tmp_path / "a.png"), np.zeros((4, 4, 3), np.uint8))
    (tmp_path / "b.png").write_bytes(b"\x89PNG but truncated")
    with ImageFolderSource(tmp_path) as source:
        assert source.read() is not None
        with pytest.raises(SourceNotFoundError, match=r"b\.png is not an image"):
            source.read()


def test_from_files_with_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match=r"Image file not found: .*gone\.png"):
        ImageFolderSource.from_files([tmp_path / "gone.png"]).open()


def test_read_before_open_is_a_programming_error(clip: Path) -> None:
    with pytest.raises(RuntimeError, match="before open"):
        VideoFileSource(clip).read()


# --- webcam ----------------------------------------------------------------------------------


def test_webcam_absent_fails_fast_with_operator_message() -> None:
    source = WebcamSource(0)
    started = time.monotonic()
    with pytest.raises(NoCameraError, match=r"No camera found at index 0\. Check that the webcam"):
        source.open()
    assert time.monotonic() - started < 5
    assert not source.is_open
    assert issubclass(NoCameraError, CameraError)


class FakeCapture:
    """A device that delivers `frames` BGR images, then fails like an unplugged webcam."""

    def __init__(self, frames: int) -> None:
        self.remaining = frames
        self.released = False
        self.settings: dict[int, float] = {}

    def isOpened(self) -> bool:  # cv2.VideoCapture's names
        return True

    def read(self) -> tuple[bool, Any]:
        if self.remaining == 0:
            return False, None
        self.remaining -= 1
        image = np.zeros((48, 64, 3), dtype=np.uint8)
        image[..., 0] = 200  # blue in BGR
        return True, image

    def set(self, propId: int, value: float) -> bool:
        self.settings[propId] = value
        return True

    def release(self) -> None:
        self.released = True


def test_webcam_losing_the_device_raises_camera_lost() -> None:
    capture = FakeCapture(frames=3)
    source = WebcamSource(1, 320, 240, capture_factory=lambda index: capture)
    source.open()
    assert capture.settings[cv2.CAP_PROP_FRAME_WIDTH] == 320
    frames = [source.read() for _ in range(3)]
    assert [f.index for f in frames] == [0, 1, 2]
    assert all(b.timestamp_ms > a.timestamp_ms for a, b in itertools.pairwise(frames))
    assert tuple(frames[0].pixels[0, 0]) == (0, 0, 200)  # RGB: blue last
    with pytest.raises(CameraLostError, match="Camera 1 stopped sending images"):
        source.read()
    assert capture.released
    assert not source.is_open


def test_webcam_that_never_delivers_raises_camera_lost() -> None:
    source = WebcamSource(0, capture_factory=lambda index: FakeCapture(frames=0))
    with source, pytest.raises(CameraLostError, match="sent no image"):
        source.read()


# --- paced replay ----------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class ListSource(FrameSourceBase):
    """Tiny in-memory source with chosen timestamps (pixels irrelevant here)."""

    def __init__(self, timestamps_ms: list[int]) -> None:
        self._timestamps = timestamps_ms
        self._position: int | None = None

    @property
    def description(self) -> str:
        return "list"

    @property
    def is_open(self) -> bool:
        return self._position is not None

    def open(self) -> None:
        self._position = 0

    def read(self) -> Frame | None:
        assert self._position is not None
        if self._position >= len(self._timestamps):
            return None
        index = self._position
        self._position += 1
        return Frame(np.zeros((2, 2, 3), np.uint8), self._timestamps[index], index)

    def close(self) -> None:
        self._position = None


def test_paced_source_sleeps_until_each_timestamp() -> None:
    clock = FakeClock()
    with PacedSource(ListSource([0, 100, 200, 250, 1000]), clock) as source:
        assert "paced" in source.description
        frames = list(drain(source))
    assert len(frames) == 5
    assert clock.sleeps == pytest.approx([0.1, 0.1, 0.05, 0.75])
    assert not source.is_open


def test_paced_source_restarts_schedule_when_consumer_is_late() -> None:
    clock = FakeClock()
    with PacedSource(ListSource([0, 100, 200, 300]), clock) as source:
        source.read()
        source.read()  # sleeps 0.1
        clock.now += 0.5  # the consumer stalls past the next two due times
        source.read()  # late: released at once, and the schedule restarts here
        source.read()  # 100 ms after the late frame, not a catch-up burst
    assert clock.sleeps == pytest.approx([0.1, 0.1])


def test_paced_image_sequence_uses_nominal_fps(faces: Path) -> None:
    clock = FakeClock()
    still = next((faces / "photos" / "lin_manuel_miranda").iterdir())
    files = [still] * 3  # one still three times, as a 3-frame stream
    with PacedSource(ImageFolderSource.from_files(files, fps=5), clock) as source:
        assert len(list(drain(source))) == 3
    assert clock.sleeps == pytest.approx([0.2, 0.2])


# --- open_source -----------------------------------------------------------------------------


def test_open_source_picks_the_class(faces: Path, clip: Path, tmp_path: Path) -> None:
    webcam = open_source("0")
    assert isinstance(webcam, WebcamSource)
    assert webcam.index == 0
    assert not webcam.is_open  # built, not opened
    assert isinstance(open_source(" 2 "), WebcamSource)

    assert isinstance(open_source(os.fspath(clip)), VideoFileSource)
    folder = open_source(os.fspath(faces / "photos" / "lin_manuel_miranda"))
    assert isinstance(folder, ImageFolderSource)
    assert isinstance(open_source(os.fspath(tmp_path / "frame_%04d.png")), ImageFolderSource)
    image = next((faces / "photos" / "lin_manuel_miranda").iterdir())
    single = open_source(os.fspath(image))
    assert isinstance(single, ImageFolderSource)
    with single:
        assert len(list(drain(single))) == 1


def test_open_source_paced_wraps_files_but_not_webcams(clip: Path) -> None:
    paced = open_source(os.fspath(clip), paced=True)
    assert isinstance(paced, PacedSource)
    assert isinstance(paced.inner, VideoFileSource)
    assert isinstance(open_source("0", paced=True), WebcamSource)


def test_open_source_webcam_without_camera() -> None:
    with pytest.raises(NoCameraError), open_source("0"):
        pass


@pytest.mark.parametrize("spec", ["", "   ", "no/such/place.mp4", "-1"])
def test_open_source_rejects_unknown_specs(spec: str) -> None:
    with pytest.raises(SourceNotFoundError) as raised:
        open_source(spec)
    assert str(raised.value)


# --- module hygiene --------------------------------------------------------------------------


def test_frame_is_frozen_and_validated() -> None:
    frame = Frame(np.zeros((2, 3, 3), np.uint8), 5, 0)
    with pytest.raises(AttributeError):
        frame.timestamp_ms = 6  # type: ignore[misc]
    with pytest.raises(ValueError, match="H×W×3 uint8"):
        Frame(np.zeros((2, 3), np.uint8), 0, 0)


def test_cv2_qt_plugin_path_is_removed() -> None:
    # cv2 sets this on import; station.capture (imported above) must have removed it for PySide6.
    cv2_dir = os.path.dirname(os.path.abspath(cv2.__file__))
    value = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH")
    assert value is None or not os.path.abspath(value).startswith(cv2_dir)


def test_camera_absence_is_known_without_opening_it(tmp_path: Path, clip: Path) -> None:
    """R25: the no-camera banner must not open the device to find out."""
    from station.capture import camera_absent_reason

    assert camera_absent_reason(str(clip)) is None
    assert "does not exist" in (camera_absent_reason(str(tmp_path / "gone.mp4")) or "")
    if not Path("/dev/video0").exists():
        assert "No camera is connected" in (camera_absent_reason("0") or "")
