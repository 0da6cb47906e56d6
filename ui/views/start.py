"""Start: create the station's store and its first administrator, or sign in to unlock it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import StationError
from station.services import StationOpener
from ui.style import set_role
from ui.views.texts import error_text, new_password_problem
from ui.views.widgets import EqualRow, action_button
from ui.workers.store import StoreExecutor

SIGN_IN_PAGE, RECOVERY_KEY_PAGE, RESET_PAGE = range(3)


class StartView(QWidget):
    signed_in = Signal(object, str)  # (Station, operator name)

    def __init__(
        self, opener: StationOpener, executor: StoreExecutor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._opener, self._executor = opener, executor
        self.creating = not opener.store_exists
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
        sign_in = QWidget()
        layout = QVBoxLayout(sign_in)
        layout.addWidget(QLabel(title))
        layout.addLayout(form)
        layout.addWidget(self.go)
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.forgot = action_button(
            self.tr("Forgot the password? Use the recovery key"), "forgotPassword"
        )
        self.forgot.setVisible(not self.creating)
        layout.addWidget(self.forgot)

        # Shown once, right after the station is created (R12): the key kept nowhere else.
        self.recovery_key = QLabel()
        self.recovery_key.setAccessibleName(self.tr("Recovery key"))
        self.recovery_key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # On one line the key (13 groups, large type) held the window wider than 1024 px, even
        # after it was cleared: it wraps between its groups instead.
        self.recovery_key.setWordWrap(True)
        set_role(self.recovery_key, "result")
        self.written_down = action_button(self.tr("I have written it down"), "recoveryDone")
        recovery = QWidget()
        column = QVBoxLayout(recovery)
        explanation = QLabel(
            self.tr(
                "This is the station's recovery key. Write it down and keep it in a safe place: "
                "with it an administrator who forgot their password can set a new one. It is "
                "shown only now and is stored nowhere."
            )
        )
        explanation.setWordWrap(True)
        column.addWidget(explanation)
        column.addWidget(self.recovery_key)
        column.addStretch(1)
        column.addWidget(self.written_down)

        # An administrator who forgot their password sets a new one with the recovery key.
        self.reset_name = QLineEdit()
        self.reset_key = QLineEdit()
        self.reset_new = QLineEdit()
        self.reset_again = QLineEdit()
        reset_form = QFormLayout()
        for field, label in (
            (self.reset_name, self.tr("Administrator's name")),
            (self.reset_key, self.tr("Recovery key")),
            (self.reset_new, self.tr("New password")),
            (self.reset_again, self.tr("New password again")),
        ):
            field.setAccessibleName(label)
            reset_form.addRow(label, field)
        for field in (self.reset_new, self.reset_again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.reset_message = QLabel()
        self.reset_message.setWordWrap(True)
        self.reset_message.setAccessibleName(self.tr("Recovery message"))
        self.reset = action_button(self.tr("Set the new password"), "resetWithRecoveryKey")
        self.back = action_button(self.tr("Back to sign-in"), "backToSignIn")
        reset_page = QWidget()
        column = QVBoxLayout(reset_page)
        column.addLayout(reset_form)
        column.addWidget(self.reset_message)
        column.addStretch(1)
        column.addWidget(EqualRow(self.reset, self.back))

        self.pages = QStackedWidget()
        self.pages.addWidget(sign_in)
        self.pages.addWidget(recovery)
        self.pages.addWidget(reset_page)
        QVBoxLayout(self).addWidget(self.pages)
        self._created: tuple[object, str] | None = None
        self.go.clicked.connect(self._go)
        self.password.returnPressed.connect(self._go)
        self.written_down.clicked.connect(self._recovery_noted)
        self.forgot.clicked.connect(self._show_reset)
        self.back.clicked.connect(self._show_sign_in)
        self.reset.clicked.connect(self._reset_with_recovery_key)

    @asyncSlot()
    async def _go(self) -> None:
        operator, password = self.operator.text().strip(), self.password.text()
        if not operator or not password:
            self.error.setText(self.tr("Enter the operator name and the password."))
            return
        problem = new_password_problem(password, self.repeat.text()) if self.creating else ""
        if problem:
            self.error.setText(problem)
            return
        self.go.setEnabled(False)
        self.busy = True
        self.error.setText(self.tr("Opening the store…"))
        # Opening also does the start-up work (sign-in audit, expired templates, the notice) on
        # the store's thread.
        recovery_key = ""
        try:
            if self.creating:
                created = await self._executor.run(self._opener.create, operator, password)
                station, recovery_key = created.station, created.recovery_key
            else:
                station = await self._executor.run(self._opener.sign_in, operator, password)
        except StationError as exc:
            self.error.setText(error_text(exc))
            return
        finally:
            self.busy = False
            self.go.setEnabled(True)
            self.password.clear()
            self.repeat.clear()
        self.error.clear()
        if recovery_key:
            self._created = (station, operator)
            self.recovery_key.setText(recovery_key)
            self.pages.setCurrentIndex(RECOVERY_KEY_PAGE)
            self.written_down.setFocus()
            return
        self.signed_in.emit(station, station.signed_in.name)

    def _recovery_noted(self) -> None:
        assert self._created is not None
        station, operator = self._created
        self._created = None
        self.recovery_key.clear()  # not left in a widget
        self.signed_in.emit(station, operator)

    def _show_reset(self) -> None:
        self.reset_name.setText(self.operator.text())
        self.reset_message.clear()
        self.pages.setCurrentIndex(RESET_PAGE)
        self.reset_key.setFocus()

    def _show_sign_in(self) -> None:
        for field in (self.reset_key, self.reset_new, self.reset_again):
            field.clear()
        self.pages.setCurrentIndex(SIGN_IN_PAGE)
        self.password.setFocus()

    @asyncSlot()
    async def _reset_with_recovery_key(self) -> None:
        name, password = self.reset_name.text().strip(), self.reset_new.text()
        problem = new_password_problem(password, self.reset_again.text())
        if problem:
            self.reset_message.setText(problem)
            return
        try:
            await self._executor.run(
                self._opener.reset_with_recovery_key, self.reset_key.text(), name, password
            )
        except StationError:
            self.reset_message.setText(
                self.tr(
                    "That recovery key and name do not open this station as an administrator. "
                    "Nothing was changed."
                )
            )
            return
        finally:
            for field in (self.reset_key, self.reset_new, self.reset_again):
                field.clear()
        self._show_sign_in()
        self.operator.setText(name)
        self.error.setText(self.tr("New password set for {0}. Sign in with it.").format(name))
