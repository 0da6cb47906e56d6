"""The camera runs in a QThread worker; the services read it through a latest-frame-wins source.

Only a service opens the camera (through `LatestFrameSource.open`), and only after the operator's
explicit *Start camera* (R25) and a recorded consent (R1). Preview images are copies made before
a frame is handed on; frames nobody read are overwritten, never kept (R10).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtGui import QImage

from station.capture import (
    CameraError,
    CameraLostError,
    Frame,
    FrameSource,
    FrameSourceBase,
    camera_absent_reason,
    open_source,
)
from ui.image_convert import rgb_to_qimage

FRAME_WAIT_SECONDS = 5.0  # a live camera sends ~30 frames a second; 5 s of nothing means it is gone
# (camera spec, paced) -> the source, not yet opened. The product's is open_source; tests and the
# GUI stall bench put a generated person in front of the camera with their own.
FrameOpener = Callable[[str, bool], FrameSource]


class CameraWorker(QObject):
    preview = Signal(QImage)
    finished = Signal()

    def __init__(
        self, camera: str, sink: LatestFrameSource, open_frames: FrameOpener = open_source
    ) -> None:
        super().__init__()
        self._camera = camera
        self._sink = sink
        self._open_frames = open_frames
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()  # read between frames; never terminate() a thread

    @Slot()
    def run(self) -> None:
        error: str | None = None
        try:
            with self._open_frames(self._camera, True) as source:
                while not self._stop.is_set():
                    frame = source.read()
                    if frame is None:
                        break
                    self.preview.emit(rgb_to_qimage(frame.pixels))
                    self._sink.push(frame)
        except CameraError as exc:
            error = str(exc)
        finally:
            self._sink.finish(error)
            self.finished.emit()


class CameraSession(QObject):
    """Lives on the GUI thread; starts and stops the worker thread when the source asks."""

    preview = Signal(QImage)
    running_changed = Signal(bool)
    _start_requested = Signal(object)
    _stop_requested = Signal()

    def __init__(self, camera: str, open_frames: FrameOpener = open_source) -> None:
        super().__init__()
        self.camera = camera
        self.open_frames = open_frames
        self._thread: QThread | None = None
        self._worker: CameraWorker | None = None
        self._start_requested.connect(self._start)
        self._stop_requested.connect(self._stop)

    def source(self) -> LatestFrameSource:
        return LatestFrameSource(self)

    def request_start(self, sink: LatestFrameSource) -> None:
        self._start_requested.emit(
            sink
        )  # queued to the GUI thread when called from the store thread

    def request_stop(self) -> None:
        self._stop_requested.emit()

    @property
    def running(self) -> bool:
        return self._thread is not None

    def absent_reason(self) -> str | None:
        """Why the camera is surely not there, found without opening it (R25), else None."""
        return camera_absent_reason(self.camera)

    @Slot(object)
    def _start(self, sink: LatestFrameSource) -> None:
        self.shutdown()  # a previous capture's worker is at most one frame from stopping
        thread = QThread()
        worker = CameraWorker(self.camera, sink, self.open_frames)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.preview.connect(self.preview)
        worker.finished.connect(thread.quit)
        thread.finished.connect(self._cleared)
        self._thread, self._worker = thread, worker
        thread.start()
        self.running_changed.emit(True)

    @Slot()
    def _stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()

    @Slot()
    def _cleared(self) -> None:
        if self._thread is not None:
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        self.running_changed.emit(False)

    def shutdown(self) -> None:
        """Stop and join the worker (window closing): no thread outlives the window."""
        if self._worker is not None:
            self._worker.stop()
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._cleared()


class LatestFrameSource(FrameSourceBase):
    """What a service reads: the newest frame the worker delivered; older unread ones are wiped."""

    description = "camera"

    def __init__(self, session: CameraSession) -> None:
        self._session = session
        self._condition = threading.Condition()
        self._frame: Frame | None = None
        self._ended = False
        self._error: str | None = None
        self._open = False

    @property
    def is_open(self) -> bool:
        return self._open

    def open(self) -> None:
        self._open = True
        self._session.request_start(self)

    def read(self) -> Frame | None:
        with self._condition:
            if not self._condition.wait_for(
                lambda: self._frame is not None or self._ended, FRAME_WAIT_SECONDS
            ):
                raise CameraLostError("The camera stopped sending pictures. Check its cable.")
            frame, self._frame = self._frame, None
            if frame is not None:
                return frame
            if self._error is not None:
                raise CameraLostError(self._error)
            return None

    def close(self) -> None:
        if self._open:
            self._open = False
            self._session.request_stop()
        with self._condition:
            if self._frame is not None:
                self._frame.pixels.fill(0)
                self._frame = None

    # called from the camera worker's thread
    def push(self, frame: Frame) -> None:
        with self._condition:
            if self._frame is not None:
                self._frame.pixels.fill(0)  # unread: overwritten, not queued (R10)
            self._frame = frame
            self._condition.notify()

    def finish(self, error: str | None) -> None:
        with self._condition:
            self._ended, self._error = True, error
            self._condition.notify()


class CaptureWatcher(QObject):
    """The core's progress/cancel protocol (TaskState) as a Qt object: reports cross to the GUI
    thread as queued signals; the cancel flag is read by the store thread between frames."""

    progress = Signal(object)  # station.domain.capture.CaptureProgress

    def __init__(self) -> None:
        super().__init__()
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def report(self, progress: object) -> None:
        self.progress.emit(progress)
