"""Camera preview worker: a QObject on its own QThread, cooperative stop, latest frame wins."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from station.biometrics.assets import ModelAssetError
from station.biometrics.pipeline import BiometricModels
from station.biometrics.quality import assess, is_valid_frame
from station.capture import CameraError, open_source
from station.settings import GateThresholds
from ui.image_convert import rgb_to_qimage


class CameraPreviewWorker(QObject):
    frame_ready = Signal(QImage, str)  # the preview and the hint for the person (empty when good)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, camera: str, limits: GateThresholds) -> None:
        super().__init__()
        self._camera = camera
        self._limits = limits
        self._stop = False

    def stop(self) -> None:
        self._stop = True  # read between frames; never terminate() a thread

    @Slot()
    def run(self) -> None:
        try:
            self._loop()
        except (CameraError, ModelAssetError) as exc:
            self.failed.emit(str(exc))
        finally:
            self.finished.emit()

    def _loop(self) -> None:
        detector = BiometricModels().new_detector("video")
        try:
            with open_source(self._camera, paced=True) as source:
                while not self._stop:
                    frame = source.read()
                    if frame is None:
                        self.failed.emit(f"The camera source {source.description} has ended.")
                        return
                    hint = ""
                    if is_valid_frame(frame.pixels):
                        verdict = assess(
                            frame.pixels,
                            detector.detect(frame.pixels, frame.timestamp_ms),
                            self._limits,
                        )
                        hint = verdict.issue.hint if verdict.issue else ""
                    image = rgb_to_qimage(frame.pixels)
                    frame.pixels.fill(0)  # R10: the preview holds a copy; the camera buffer goes
                    self.frame_ready.emit(image, hint)
        finally:
            detector.close()
