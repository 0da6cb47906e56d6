"""The operator's window: sign-in, then home and the three flows on one stack."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget
from qasync import asyncSlot

from station import APP_NAME
from station.biometrics.assets import ModelAssetError
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

    def _open_desk(self, store: Store, operator: str) -> None:
        station = Station(store, self.settings)
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
        self.banner.setText(self.tr("Ready. Camera: {0}").format(self.camera.camera))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.camera.shutdown()
        self.executor.shutdown()
        if self.desk is not None:
            self.desk.station.store.close()
        super().closeEvent(event)
