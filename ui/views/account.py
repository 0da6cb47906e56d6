"""My password: any signed-in operator changes their own password (their key slot, R12). The
store is not re-encrypted; the change is audited."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget
from qasync import asyncSlot

from station.domain import ServiceError
from ui.desk import Desk
from ui.style import set_role
from ui.views.texts import new_password_problem, refusal_text
from ui.views.widgets import EqualRow, action_button


class AccountView(QWidget):
    done = Signal()

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._desk = desk
        self._accounts = desk.station.accounts
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.again = QLineEdit()
        form = QFormLayout()
        for field, label in (
            (self.current, self.tr("Current password")),
            (self.new, self.tr("New password")),
            (self.again, self.tr("New password again")),
        ):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setAccessibleName(label)
            form.addRow(label, field)
        self.title = QLabel()
        set_role(self.title, "heading")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Password message"))
        self.save = action_button(self.tr("Change my password"), "changePassword")
        self.finish = action_button(self.tr("Back to the desk"), "accountDone")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(EqualRow(self.save, self.finish))
        self.save.clicked.connect(self._save)
        self.again.returnPressed.connect(self._save)
        self.finish.clicked.connect(self.done)

    def begin(self) -> None:
        self.title.setText(self.tr("Password of {0}").format(self._desk.operator))
        self.message.clear()
        self.current.setFocus()

    @asyncSlot()
    async def _save(self) -> None:
        problem = new_password_problem(self.new.text(), self.again.text())
        if problem:
            self.message.setText(problem)
        else:
            try:
                await self._desk.executor.run(
                    self._accounts.change_own_password,
                    self._desk.operator,
                    self.current.text(),
                    self.new.text(),
                )
            except ServiceError as refusal:
                self.message.setText(refusal_text(refusal))
            else:
                self.message.setText(
                    self.tr("Password changed. Use the new one from the next sign-in.")
                )
        for field in (self.current, self.new, self.again):
            field.clear()
