"""The operator's window: sign-in, then home and the three flows on one stack."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station import APP_NAME
from station.biometrics.assets import ModelAssetError
from station.biometrics.pipeline import BiometricModels
from station.capture import camera_absent_reason
from station.services import Station
from station.settings import Settings
from station.storage import Store
from ui.desk import Desk
from ui.views.alternative import AlternativeView
from ui.views.enroll import EnrollView
from ui.views.home import HomeView
from ui.views.start import StartView
from ui.views.subject import SubjectView
from ui.views.verify import VerifyFaceView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}


class MainWindow(QMainWindow):
    def __init__(self, camera: str, settings: Settings, store_path: Path) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.settings = settings
        self.executor = StoreExecutor()
        self.camera = CameraSession(camera)
        self.desk: Desk | None = None
        self.banner = QLabel()
        self.banner.setAccessibleName(self.tr("Station status"))
        self.banner.setWordWrap(True)
        self.stack = QStackedWidget()
        self.start = StartView(store_path, settings, self.executor)
        self.stack.addWidget(self.start)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.banner)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.start.signed_in.connect(self._open_desk)
        self.models_ready = False
        self.store_path = store_path
        # Idle lock: any key or click restarts the countdown (see eventFilter).
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(settings.site.idle_lock_seconds * 1000)
        self.idle_timer.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        # Whether a camera is there is checked without opening it (R25), every few seconds.
        self.camera_timer = QTimer(self)
        self.camera_timer.setInterval(3000)
        self.camera_timer.timeout.connect(self._check_camera)
        self.camera_problem: str | None = None

    def _open_desk(self, store: Store, operator: str) -> None:
        # Descriptors in a child process: dlib holds the GIL ~100 ms per face (bench_gui_stall).
        station = Station(store, self.settings, models=lambda: BiometricModels(isolated=True))
        self.desk = Desk(station, self.executor, self.camera, operator)
        self.home = HomeView()
        self.enroll = EnrollView(self.desk, self.settings.site.language)
        self.verify = VerifyFaceView(self.desk)
        self.alternative = AlternativeView(self.desk)
        self.subject = SubjectView(self.desk)
        for view in (self.home, self.enroll, self.verify, self.alternative, self.subject):
            self.stack.addWidget(view)
        self.home.find_requested.connect(self._find)
        self.home.subject_requested.connect(self._open_subject)
        self.subject.enroll_requested.connect(lambda m: self._show(self.enroll, m))
        self.home.enroll_requested.connect(lambda m: self._show(self.enroll, m))
        self.home.verify_face_requested.connect(lambda m: self._show(self.verify, m))
        self.home.verify_other_requested.connect(lambda m: self._show(self.alternative, m))
        self.verify.verify_other_requested.connect(lambda m: self._show(self.alternative, m))
        for view in (self.enroll, self.verify, self.alternative, self.subject):
            view.done.connect(self.go_home)
        self.go_home()
        self.idle_timer.start()
        self.camera_timer.start()
        self._check_camera()
        self._load_models()

    def _show(self, view: EnrollView | VerifyFaceView | AlternativeView, member: str) -> None:
        view.begin(member)
        self.stack.setCurrentWidget(view)

    @asyncSlot(str)
    async def _find(self, text: str) -> None:
        assert self.desk is not None
        self.home.show_results(await self.executor.run(self.desk.station.search_subjects, text))

    def _open_subject(self, subject_id: str) -> None:
        self.stack.setCurrentWidget(self.subject)
        self.subject.show_subject(subject_id)

    def go_home(self) -> None:
        self.home.search.clear()
        self.home.results.clear()
        self.home.results.setVisible(False)
        self.stack.setCurrentWidget(self.home)
        self.home.search.setFocus()

    @asyncSlot()
    async def _load_models(self) -> None:
        """The window is usable at once; face models load on the store thread meanwhile."""
        assert self.desk is not None
        self.banner.setText(self.tr("Loading the face models…"))
        station = self.desk.station
        try:
            await self.executor.run(lambda: station.models)
        except ModelAssetError as exc:
            self.banner.setText(str(exc))
            self.home.set_face_available(False, str(exc))
            return
        self.models_ready = True
        self._show_status()

    def set_camera(self, spec: str) -> None:
        self.camera.camera = spec
        self._check_camera()

    def _check_camera(self) -> None:
        problem = camera_absent_reason(self.camera.camera)
        if problem != self.camera_problem:
            self.camera_problem = problem
            self._show_status()

    def _show_status(self) -> None:
        """No camera: a clear banner and face actions disabled with the reason; PIN stays (R5)."""
        if self.desk is None:
            return
        problem = self.camera_problem
        self.home.set_face_available(problem is None and self.models_ready, problem or "")
        for panel in (self.enroll.capture, self.verify.capture):
            panel.set_unavailable(problem)
        if problem is not None:
            self.banner.setText(
                self.tr("{0} Face actions are off; verify another way.").format(problem)
            )
        elif self.models_ready:
            self.banner.setText(self.tr("Ready."))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.desk is not None and event.type() in _ACTIVITY:
            self.idle_timer.start()
        return False

    def lock(self) -> None:
        """Close the store and ask for a sign-in again; a capture in progress finishes first."""
        if self.desk is None:
            return
        if self.camera.running:
            self.idle_timer.start()
            return
        desk, self.desk = self.desk, None
        self.idle_timer.stop()
        self.camera_timer.stop()
        for view in (self.home, self.enroll, self.verify, self.alternative, self.subject):
            self.stack.removeWidget(view)
            view.deleteLater()
        self.executor.submit(desk.station.close)
        self.models_ready = False
        self.start = StartView(self.store_path, self.settings, self.executor)
        self.start.signed_in.connect(self._open_desk)
        self.stack.addWidget(self.start)
        self.stack.setCurrentWidget(self.start)
        self.banner.setText(self.tr("Locked after a period without use. Sign in to continue."))
        self.start.operator.setFocus()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.idle_timer.stop()
        self.camera_timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.camera.shutdown()
        self.executor.shutdown()
        if self.desk is not None:
            self.desk.station.close()
        super().closeEvent(event)
