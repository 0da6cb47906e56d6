"""The start window: camera status and preview. The full operator flows arrive with issue 3."""

from __future__ import annotations

from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QMainWindow, QVBoxLayout, QWidget

from station import APP_NAME
from station.settings import Settings
from ui.workers.camera import CameraPreviewWorker


class MainWindow(QMainWindow):
    def __init__(self, camera: str, settings: Settings) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.status = QLabel(self.tr("Starting the camera…"))
        self.status.setAccessibleName(self.tr("Station status"))
        self.preview = QLabel()
        self.preview.setAccessibleName(self.tr("Camera preview"))
        self.preview.setMinimumSize(640, 360)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 1)
        self.setCentralWidget(body)
        self.frames_shown = 0

        self._thread = QThread(self)
        self._worker = CameraPreviewWorker(camera, settings.verify_gate)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.frame_ready.connect(self._show_frame)
        self._worker.failed.connect(self._show_failure)
        self._worker.finished.connect(self._thread.quit)

    def start_camera(self) -> None:
        self._thread.start()

    def stop_camera(self) -> None:
        self._worker.stop()
        self._thread.quit()
        self._thread.wait()

    def _show_frame(self, image: QImage, hint: str) -> None:
        self.frames_shown += 1
        self.preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                self.preview.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.status.setText(hint or self.tr("Face in view: ready."))

    def _show_failure(self, message: str) -> None:
        self.status.setText(message)

    def closeEvent(self, event: object) -> None:
        self.stop_camera()
        super().closeEvent(event)  # type: ignore[arg-type]
