"""Start: create the station's store and its first administrator, or sign in to unlock it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget
from qasync import asyncSlot

from station.biometrics.pipeline import BiometricModels
from station.services import ServiceError
from station.services.administration import create_station, open_station
from station.settings import Settings
from station.storage import StoreError
from ui.views.texts import store_error
from ui.views.widgets import action_button
from ui.workers.store import StoreExecutor


class StartView(QWidget):
    signed_in = Signal(object, str)  # (Station, operator name)

    def __init__(
        self,
        store_path: Path,
        settings: Settings,
        executor: StoreExecutor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._path, self._settings, self._executor = store_path, settings, executor
        self.creating = not store_path.exists()
        self.busy = False  # a sign-in is running: the window must not replace this view
        self.operator = QLineEdit()
        self.operator.setAccessibleName(self.tr("Operator name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Password again"))
        self.error = QLabel()
        self.error.setAccessibleName(self.tr("Sign-in message"))
        self.error.setWordWrap(True)
        title = (
            self.tr("First start: create the station and its administrator")
            if self.creating
            else self.tr("Sign in")
        )
        self.go = action_button(
            self.tr("Create the station") if self.creating else self.tr("Sign in"), "signIn"
        )
        form = QFormLayout()
        form.addRow(self.tr("Operator name"), self.operator)
        form.addRow(self.tr("Password"), self.password)
        if self.creating:
            form.addRow(self.tr("Password again"), self.repeat)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(title))
        layout.addLayout(form)
        layout.addWidget(self.go)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.go.clicked.connect(self._go)
        self.password.returnPressed.connect(self._go)

    @asyncSlot()
    async def _go(self) -> None:
        operator, password = self.operator.text().strip(), self.password.text()
        if not operator or not password:
            self.error.setText(self.tr("Enter the operator name and the password."))
            return
        if self.creating and password != self.repeat.text():
            self.error.setText(self.tr("The two passwords differ."))
            return
        self.go.setEnabled(False)
        self.busy = True
        self.error.setText(self.tr("Opening the store…"))
        # Opening also does the start-up work (sign-in audit, expired templates, the notice) on
        # the store's thread; descriptors run in a child process: dlib holds the GIL ~100 ms per
        # face (bench_gui_stall).
        begin = create_station if self.creating else open_station
        try:
            station = await self._executor.run(
                begin, self._path, password, operator, self._settings, None, _isolated_models
            )
        except (StoreError, ServiceError) as exc:
            self.error.setText(store_error(exc))
            return
        finally:
            self.busy = False
            self.go.setEnabled(True)
            self.password.clear()
            self.repeat.clear()
        self.error.clear()
        self.signed_in.emit(station, operator)


def _isolated_models() -> BiometricModels:
    return BiometricModels(isolated=True)
