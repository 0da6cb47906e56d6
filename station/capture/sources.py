"""Frame sources: webcam, video file, image folder / sequence, and real-time paced replay.

Every source yields RGB `Frame`s whose timestamps strictly increase (the gap between enrollment
frames and real-time pacing are measured with them). Sources hand each frame out and forget it, and
never write pixels anywhere (R10): the consumer alone decides how long a frame lives.
"""

from __future__ import annotations

import math
import os
import re
import stat
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self

import cv2
import numpy as np
import numpy.typing as npt

from station.clock import SystemClock
from station.native_quiet import quiet_native


def _drop_cv2_qt_environment() -> None:
    # The opencv-contrib-python wheel points Qt at its own bundled plugins (and fonts) on import;
    # PySide6 then loads cv2's incompatible platform plugin and cannot start. We never use cv2's
    # GUI, so drop those variables — only when they point into cv2, to keep a user's own setting.
    cv2_file = getattr(cv2, "__file__", None)
    if cv2_file is None:
        return
    cv2_dir = os.path.dirname(os.path.abspath(cv2_file)) + os.sep
    for key in ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR"):
        value = os.environ.get(key)
        if value is not None and os.path.abspath(value).startswith(cv2_dir):
            del os.environ[key]


_drop_cv2_qt_environment()

RGBImage = npt.NDArray[np.uint8]
StrPath = str | os.PathLike[str]

DEFAULT_FPS = 30.0
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".bmp"})


def _mode(path: Path) -> int | None:
    """The file type bits of what is at `path`, or None when nothing usable is there. Path.exists()
    and is_file() raise on a name too long for the file system or a folder that may not be
    entered, and a --camera value can be anything typed."""
    try:
        return path.stat().st_mode
    except (OSError, ValueError):  # ValueError: a NUL, which no file name can hold
        return None


def _is_file(path: Path) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISREG(mode)


def _is_dir(path: Path) -> bool:
    mode = _mode(path)
    return mode is not None and stat.S_ISDIR(mode)


@dataclass(frozen=True, eq=False, slots=True)
class Frame:
    """One camera image. `pixels` is H×W×3 uint8 in RGB order; `timestamp_ms` strictly increases
    within a source; `index` counts frames from 0 since the source was opened. `still`: a photo of
    its own, taken apart from its neighbours (a file of an image folder), not one moment of a
    stream, so no near-copy of the frame before it, whatever its timestamp says (R10)."""

    pixels: RGBImage
    timestamp_ms: int
    index: int
    still: bool = False

    def __post_init__(self) -> None:
        # Fail here rather than deep inside OpenCV/dlib with an opaque shape error.
        if self.pixels.ndim != 3 or self.pixels.shape[2] != 3 or self.pixels.dtype != np.uint8:
            raise ValueError(
                f"Frame pixels must be H×W×3 uint8, got {self.pixels.shape} {self.pixels.dtype}"
            )

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])


class CameraError(Exception):
    """A camera/source problem; the message is meant to be shown to the operator as is."""


class NoCameraError(CameraError):
    """No webcam could be opened at the requested index."""


class CameraLostError(CameraError):
    """A webcam stopped delivering frames (unplugged, taken by another program, driver failure)."""


class SourceNotFoundError(CameraError):
    """A file source is missing, is not decodable, or holds no images."""


class UnusablePictureError(CameraError):
    """A source delivered an image the station cannot read (wrong depth, channels or empty)."""


class FrameSource(Protocol):
    """What the camera worker and the services consume. `read()` returns None at end of stream
    (files only: a webcam never ends, it raises `CameraLostError` instead)."""

    @property
    def description(self) -> str: ...

    @property
    def is_open(self) -> bool: ...

    def open(self) -> None: ...

    def read(self) -> Frame | None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...


class FrameSourceBase(ABC):
    """Shared context-manager behaviour; `open()` on an open source and `close()` on a closed one
    are no-ops, so `with open_source(spec) as s:` and explicit open/close mix safely."""

    @property
    @abstractmethod
    def description(self) -> str: ...

    @property
    @abstractmethod
    def is_open(self) -> bool: ...

    @abstractmethod
    def open(self) -> None: ...

    @abstractmethod
    def read(self) -> Frame | None: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return f"<{type(self).__name__} {self.description!r} {state}>"

    def _require_open(self) -> None:
        if not self.is_open:
            # A programming error, not an operator-facing camera problem.
            raise RuntimeError(f"{self.description}: read() before open() or after close()")


class _StrictTimestamps:
    """Turns candidate times into strictly increasing integer milliseconds: rounding and
    containers with duplicate/zero timestamps must not produce a repeat."""

    def __init__(self) -> None:
        self._last: int | None = None

    def reset(self) -> None:
        self._last = None

    def next(self, candidate_ms: float) -> int:
        stamp = round(candidate_ms)
        if self._last is not None and stamp <= self._last:
            stamp = self._last + 1
        self._last = stamp
        return stamp


def _checked_uint8(image: Any) -> RGBImage:
    # cv2's stubs type images loosely (and may hand back None); narrow once, loudly.
    if not isinstance(image, np.ndarray) or image.dtype != np.uint8:
        raise ValueError(f"expected a uint8 image from OpenCV, got {type(image).__name__}")
    return image


def _to_rgb(image: Any) -> RGBImage:
    """Convert an OpenCV image (BGR, BGRA or grey) to RGB, in place when the shape allows."""
    image = _checked_uint8(image)
    if image.ndim == 3 and image.shape[2] == 1:  # some drivers hand grey as H x W x 1
        image = image[:, :, 0]
    if image.ndim == 2:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2RGB), dtype=np.uint8)
    if image.ndim == 3 and image.shape[2] == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2RGB), dtype=np.uint8)
    if image.ndim == 3 and image.shape[2] == 3:
        # In place: no second full-size buffer per frame, and no BGR copy left lying around.
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2RGB, dst=image), dtype=np.uint8)
    raise ValueError(f"unsupported image shape {image.shape}")


def _camera_rgb(image: Any, description: str) -> RGBImage:
    """`_to_rgb` for a live source: an image it cannot convert is a camera problem the operator
    is told about, not a crash of the capture."""
    try:
        return _to_rgb(image)
    except (ValueError, cv2.error) as exc:
        kind = (
            f"{'x'.join(map(str, image.shape))} {image.dtype}"
            if isinstance(image, np.ndarray)
            else type(image).__name__
        )
        raise UnusablePictureError(
            f"{description} sent a picture the station cannot use ({kind}). Check the camera's "
            "settings or choose another camera, then start again; nothing was stored."
        ) from exc


def _valid_fps(fps: float) -> float:
    if not math.isfinite(fps) or fps <= 0:
        raise ValueError(f"fps must be a positive number, got {fps}")
    return float(fps)


class VideoCaptureLike(Protocol):
    """The part of `cv2.VideoCapture` the webcam source uses (lets tests fake a failing device)."""

    def isOpened(self) -> bool: ...

    def read(self) -> tuple[bool, Any]: ...

    def set(self, propId: int, value: float) -> bool: ...

    def release(self) -> None: ...


def _open_webcam_capture(index: int) -> VideoCaptureLike:
    return cv2.VideoCapture(index)


class WebcamSource(FrameSourceBase):
    """A live webcam via `cv2.VideoCapture(index)`. Timestamps are the monotonic clock at read time."""

    def __init__(
        self,
        index: int = 0,
        width: int = 640,
        height: int = 480,
        *,
        capture_factory: Callable[[int], VideoCaptureLike] = _open_webcam_capture,
    ) -> None:
        self._index = index
        self._width = width
        self._height = height
        self._capture_factory = capture_factory
        self._capture: VideoCaptureLike | None = None
        self._next_index = 0
        self._stamps = _StrictTimestamps()

    @property
    def index(self) -> int:
        return self._index

    @property
    def description(self) -> str:
        return f"webcam {self._index}"

    @property
    def is_open(self) -> bool:
        return self._capture is not None

    def open(self) -> None:
        if self._capture is not None:
            return
        # OpenCV's video I/O logs its own failed attempts (V4L2, FFmpeg, Orbbec) on stderr; the
        # station says it in words below, so those lines are shown only with --verbose.
        with quiet_native():
            capture = self._capture_factory(self._index)
            opened = capture.isOpened()
        if not opened:
            capture.release()
            raise NoCameraError(
                f"No camera found at index {self._index}. Check that the webcam is plugged in "
                "and not in use by another program, or choose another camera."
            )
        # A request, not a guarantee: the driver picks the nearest mode it supports.
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, float(self._width))
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, float(self._height))
        # Keep the driver queue short so a slow consumer gets a recent image, not a stale one.
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1.0)
        self._capture = capture
        self._next_index = 0
        self._stamps.reset()

    def read(self) -> Frame:
        self._require_open()
        assert self._capture is not None
        ok, image = self._capture.read()
        if not ok or image is None:
            delivered = self._next_index > 0
            self.close()  # free the device so a reconnect can reopen it
            if delivered:
                raise CameraLostError(
                    f"Camera {self._index} stopped sending images. Check its cable, then start "
                    "the capture again."
                )
            raise CameraLostError(
                f"Camera {self._index} opened but sent no image. It may be in use by another "
                "program."
            )
        stamp = self._stamps.next(time.monotonic_ns() / 1_000_000)
        frame = Frame(_camera_rgb(image, self.description), stamp, self._next_index)
        self._next_index += 1
        return frame

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class VideoFileSource(FrameSourceBase):
    """A video file decoded as fast as possible (wrap in `PacedSource` for real-time replay).
    Timestamps are the container's presentation times, falling back to index / fps."""

    def __init__(self, path: StrPath) -> None:
        self._path = Path(path)
        self._capture: cv2.VideoCapture | None = None
        self._fps = DEFAULT_FPS
        # One-frame look-ahead so open() can reject files with no decodable frame; it is
        # released the moment it is handed out.
        self._pending: Frame | None = None
        self._next_index = 0
        self._stamps = _StrictTimestamps()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def description(self) -> str:
        return f"video file {self._path}"

    @property
    def is_open(self) -> bool:
        return self._capture is not None

    def open(self) -> None:
        if self._capture is not None:
            return
        if not _is_file(self._path):
            raise SourceNotFoundError(f"Video file not found: {self._path}")
        with quiet_native():  # FFmpeg's "moov atom not found" and the like: --verbose shows them
            capture = cv2.VideoCapture(os.fspath(self._path))
            opened = capture.isOpened()
        if not opened:
            capture.release()
            raise SourceNotFoundError(f"{self._path} is not a video file that can be decoded.")
        fps = capture.get(cv2.CAP_PROP_FPS)
        self._fps = fps if math.isfinite(fps) and fps > 0 else DEFAULT_FPS
        self._capture = capture
        self._next_index = 0
        self._stamps.reset()
        try:
            self._pending = self._decode_next()
        except CameraError:
            self.close()  # a failed open() gets no __exit__: release the file here
            raise
        if self._pending is None:
            self.close()
            raise SourceNotFoundError(f"{self._path} contains no video frames that can be decoded.")

    def read(self) -> Frame | None:
        self._require_open()
        if self._pending is not None:
            frame, self._pending = self._pending, None
            return frame
        return self._decode_next()

    def _decode_next(self) -> Frame | None:
        assert self._capture is not None
        ok, image = self._capture.read()
        if not ok or image is None:
            return None
        position_ms = self._capture.get(cv2.CAP_PROP_POS_MSEC)
        # Some containers/backends report 0 or NaN for every frame; then use the nominal rate.
        usable = math.isfinite(position_ms) and position_ms >= 0
        if not usable or (position_ms == 0 and self._next_index > 0):
            position_ms = self._next_index * 1000.0 / self._fps
        pixels = _camera_rgb(image, self.description)
        frame = Frame(pixels, self._stamps.next(position_ms), self._next_index)
        self._next_index += 1
        return frame

    def close(self) -> None:
        self._pending = None
        if self._capture is not None:
            self._capture.release()
            self._capture = None


# Widths of two digits at most: "%0999999999d" would build a 1 GB name for every file listed.
_PRINTF_NUMBER = re.compile(r"%(0?\d{0,2})d")


def _natural_key(path: Path) -> list[tuple[int, int | str]]:
    # "frame2" before "frame10", as a person reading the folder expects.
    return [
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", path.name)
        if part
    ]


def _folder_entries(folder: Path) -> list[Path]:
    if not _is_dir(folder):
        raise SourceNotFoundError(f"Image folder not found: {folder}")
    try:
        return list(folder.iterdir())
    except OSError as error:  # e.g. a folder that may be entered but not listed
        raise SourceNotFoundError(
            f"Cannot read the image folder {folder}: {error.strerror or error}."
        ) from error


def _list_folder(folder: Path) -> list[Path]:
    images = [
        entry
        for entry in _folder_entries(folder)
        # Dot-files are OS metadata (e.g. macOS "._x.jpg"), not images.
        if entry.suffix.lower() in IMAGE_SUFFIXES
        and not entry.name.startswith(".")
        and _is_file(entry)
    ]
    if not images:
        suffixes = " ".join(sorted(IMAGE_SUFFIXES))
        raise SourceNotFoundError(f"No images ({suffixes}) in folder {folder}")
    return sorted(images, key=_natural_key)


def _expand_pattern(pattern: Path) -> list[Path]:
    name = pattern.name
    spec = _PRINTF_NUMBER.search(name)
    if spec is None or name.count("%") != 1:
        raise SourceNotFoundError(
            f"Image pattern {pattern} must contain exactly one number field like frame_%04d.png"
        )
    matcher = re.compile(re.escape(name[: spec.start()]) + r"(\d+)" + re.escape(name[spec.end() :]))
    numbered: list[tuple[int, Path]] = []
    for entry in _folder_entries(pattern.parent):
        match = matcher.fullmatch(entry.name)
        # Re-format to honour the padding exactly: frame_%04d matches frame_0012, not frame_12.
        if match and name % int(match.group(1)) == entry.name and _is_file(entry):
            numbered.append((int(match.group(1)), entry))
    if not numbered:
        raise SourceNotFoundError(f"No images match the pattern {pattern}")
    return [entry for _, entry in sorted(numbered)]


def read_image_rgb(path: Path) -> RGBImage:
    """One still image as RGB; SourceNotFoundError (with a readable message) when it cannot be."""
    try:
        # Read bytes + imdecode rather than imread: imread cannot open non-ASCII paths on Windows.
        data = np.fromfile(path, dtype=np.uint8)
    except OSError as error:
        raise SourceNotFoundError(f"Cannot read image {path}: {error.strerror}") from error
    image = cv2.imdecode(data, cv2.IMREAD_COLOR_RGB) if data.size else None
    if image is None:
        raise SourceNotFoundError(f"{path} is not an image that can be decoded.")
    # Decoded straight to RGB (EXIF orientation applied); just narrow the type.
    return _checked_uint8(image)


class ImageFolderSource(FrameSourceBase):
    """Still images played as a stream: a folder (.jpg .jpeg .png .bmp, sorted by name), a printf
    pattern such as `frames/frame_%04d.png` (sorted by number), or an explicit list (`from_files`).
    Images may differ in size. Timestamps are synthetic, at `fps` frames per second. Each image is
    decoded only when read; an undecodable one raises `SourceNotFoundError` naming the file.

    A folder's or a list's images are photos, each its own moment: their frames are `still`, and
    the gap enrollment keeps between good frames of a stream (R10: a near-copy of the last frame
    adds nothing) does not apply to them, since their timestamps are only a replay rate. A
    pattern's numbered images are the frames of one recording, and keep the gap like a video."""

    def __init__(self, path: StrPath, fps: float = DEFAULT_FPS) -> None:
        self._path = Path(path)
        self._fps = _valid_fps(fps)
        self._explicit_files: tuple[Path, ...] | None = None
        self._files: list[Path] | None = None
        self._position = 0
        self._stamps = _StrictTimestamps()

    @classmethod
    def from_files(cls, paths: Iterable[StrPath], fps: float = DEFAULT_FPS) -> Self:
        files = tuple(Path(p) for p in paths)
        source = cls(files[0].parent if files else Path(), fps)
        source._explicit_files = files
        return source

    @property
    def is_pattern(self) -> bool:
        return self._explicit_files is None and "%" in self._path.name

    @property
    def description(self) -> str:
        if self._explicit_files is not None:
            return f"{len(self._explicit_files)} image file(s) in {self._path}"
        if self.is_pattern:
            return f"image sequence {self._path}"
        return f"image folder {self._path}"

    @property
    def is_open(self) -> bool:
        return self._files is not None

    def open(self) -> None:
        if self._files is not None:
            return
        # Listed at open, not construction: the folder may change between the two.
        if self._explicit_files is not None:
            if not self._explicit_files:
                raise SourceNotFoundError("No image files were given.")
            missing = [p for p in self._explicit_files if not _is_file(p)]
            if missing:
                raise SourceNotFoundError(f"Image file not found: {missing[0]}")
            files = list(self._explicit_files)
        elif self.is_pattern:
            files = _expand_pattern(self._path)
        else:
            files = _list_folder(self._path)
        self._files = files
        self._position = 0
        self._stamps.reset()

    def read(self) -> Frame | None:
        self._require_open()
        assert self._files is not None
        if self._position >= len(self._files):
            return None
        index = self._position
        pixels = read_image_rgb(self._files[index])
        self._position += 1
        stamp = self._stamps.next(index * 1000.0 / self._fps)
        return Frame(pixels, stamp, index, still=not self.is_pattern)

    def close(self) -> None:
        self._files = None


class PacingClock(Protocol):
    """The part of the station clock `PacedSource` needs; injectable so tests do not really sleep."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...


class PassThroughSource(FrameSourceBase):
    """Another source's frames, unchanged: a base for wrappers that only watch them (override
    `read`, call the base's, note what they need — never the pixels)."""

    def __init__(self, inner: FrameSource) -> None:
        self._inner = inner

    @property
    def description(self) -> str:
        return self._inner.description

    @property
    def is_open(self) -> bool:
        return self._inner.is_open

    def open(self) -> None:
        self._inner.open()

    def read(self) -> Frame | None:
        return self._inner.read()

    def close(self) -> None:
        self._inner.close()


class PacedSource(FrameSourceBase):
    """Releases the inner source's frames no faster than their timestamps, as a live camera would.

    If the consumer falls behind, the schedule restarts from the late frame instead of bursting
    through the backlog, so consecutive frames are never closer than their timestamps say."""

    def __init__(self, inner: FrameSource, clock: PacingClock | None = None) -> None:
        self._inner = inner
        self._clock: PacingClock = clock if clock is not None else SystemClock()
        # (monotonic seconds, timestamp_ms) of the frame the schedule is anchored to.
        self._anchor: tuple[float, int] | None = None

    @property
    def inner(self) -> FrameSource:
        return self._inner

    @property
    def description(self) -> str:
        return f"{self._inner.description}, paced to real time"

    @property
    def is_open(self) -> bool:
        return self._inner.is_open

    def open(self) -> None:
        if not self._inner.is_open:
            self._inner.open()
            self._anchor = None

    def read(self) -> Frame | None:
        frame = self._inner.read()
        if frame is None:
            return None
        now = self._clock.monotonic()
        if self._anchor is not None:
            anchor_time, anchor_ms = self._anchor
            due = anchor_time + (frame.timestamp_ms - anchor_ms) / 1000.0
            if due > now:
                self._clock.sleep(due - now)
                return frame
        self._anchor = (now, frame.timestamp_ms)
        return frame

    def close(self) -> None:
        self._inner.close()
        self._anchor = None


def camera_absent_reason(spec: str) -> str | None:
    """Why the camera named by `spec` is surely not there, without opening it (R25), else None.

    A webcam is looked up as its Linux device node; elsewhere its presence is only known on open.
    """
    text = spec.strip()
    if text.isdecimal():
        index = _webcam_index(text)
        if index is None or (
            sys.platform.startswith("linux") and not Path(f"/dev/video{index}").exists()
        ):
            return f"No camera is connected (webcam {text} not found)."
        return None
    if _mode(_expanded(text)) is None:
        return f"The camera source {text} does not exist."
    return None


MAX_WEBCAM_INDEX = 255  # V4L2 numbers its devices /dev/video0..255


def _webcam_index(text: str) -> int | None:
    # Checked by length first: int() refuses strings of over 4,300 digits with a ValueError.
    if len(text) > 3 or int(text) > MAX_WEBCAM_INDEX:
        return None
    return int(text)


def _expanded(text: str) -> Path:
    try:
        return Path(text).expanduser()
    # "~someone" with no such user (RuntimeError), or a name no user can have ("~\x00" is a
    # ValueError): take the name literally, and it is looked up as a file like any other.
    except (RuntimeError, ValueError):
        return Path(text)


def open_source(spec: str, paced: bool = False) -> FrameSource:
    """Build (not open) the source named by a `--camera` value.

    `spec` is a webcam index ("0"), a video file, an image file, a folder of images, or a printf
    pattern ("frames/frame_%04d.png"). With `paced`, file sources are replayed in real time;
    a webcam is live already and is returned unwrapped. Missing paths fail here, immediately.
    """
    text = spec.strip()
    if not text:
        raise SourceNotFoundError("No camera given: use a webcam index such as 0, or a file path.")
    if text.isdecimal():
        # Digits always mean a webcam index; a file literally named "0" can be given as ./0.
        index = _webcam_index(text)
        if index is None:
            raise NoCameraError(
                f"No camera found at index {text}: webcams are numbered from 0 up to "
                f"{MAX_WEBCAM_INDEX}. Choose another camera."
            )
        return WebcamSource(index)
    path = _expanded(text)
    source: FrameSource
    if "%" in path.name or _is_dir(path):
        source = ImageFolderSource(path)
    elif _is_file(path) and path.suffix.lower() in IMAGE_SUFFIXES:
        source = ImageFolderSource.from_files([path])
    elif _is_file(path):
        source = VideoFileSource(path)
    else:
        raise SourceNotFoundError(
            f"Camera source not found: {text!r} is neither a webcam index nor an existing video "
            "file, image, image folder or image pattern."
        )
    return PacedSource(source) if paced else source
