"""Administration: operator accounts (R12) — who may sign in and with which role, each with their
own password (their own key slot); removing an account destroys its slot; the recovery key can be
replaced (shown once). Every action asks the administrator's own password where the data key is
needed, and the services check the role."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from station.domain import OperatorAccount, Role, StationError
from station.domain.text import visible
from ui.desk import Desk
from ui.style import set_role
from ui.views.admin_reports import SaveDialog, ask_save_path
from ui.views.texts import error_text, new_password_problem
from ui.views.widgets import EqualRow, action_button
from ui.views.work_progress import WorkProgress


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class OperatorsPanel(QWidget):
    def __init__(
        self, desk: Desk, parent: QWidget | None = None, save_dialog: SaveDialog = ask_save_path
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._save_dialog = save_dialog
        self._accounts = desk.station.accounts
        self._backups = desk.station.backups
        self.accounts: list[OperatorAccount] = []
        self.listing = QListWidget()
        self.listing.setAccessibleName(self.tr("Operator accounts"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(self.tr("Operators message"))
        set_role(self.message, "status")

        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("New operator's name"))
        self.role = QComboBox()
        self.role.setAccessibleName(self.tr("Role"))
        self.role.addItem(self.tr("Operator: enroll, verify, the subject page"), Role.OPERATOR)
        self.role.addItem(
            self.tr("Administrator: everything, including settings"), Role.ADMINISTRATOR
        )
        self.role.addItem(self.tr("Auditor: reads the audit trail and reports"), Role.AUDITOR)
        self.new_password = _password_field(self.tr("Their password"))
        self.new_again = _password_field(self.tr("Their password again"))
        self.my_password = _password_field(self.tr("Your password, to confirm"))
        self.add = action_button(self.tr("Add operator"), "addOperator")
        self.remove = action_button(self.tr("Remove the selected operator"), "removeOperator")
        self.reset = action_button(
            self.tr("Set the selected operator's password"), "resetOperatorPassword"
        )
        self.recovery = action_button(self.tr("Replace the recovery key"), "newRecoveryKey")
        self.recovery_key = QLabel()
        self.recovery_key.setAccessibleName(self.tr("New recovery key"))
        set_role(self.recovery_key, "result")
        self.back_up = action_button(self.tr("Back up the station to a file"), "backUp")
        self.backup_progress = WorkProgress(self.tr("Backup progress"))

        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Their password"), self.new_password)
        form.addRow(self.tr("Their password again"), self.new_again)
        form.addRow(self.tr("Your password, to confirm"), self.my_password)
        account = QGroupBox(self.tr("Add an operator, or set a password"))
        column = QVBoxLayout(account)
        column.addLayout(form)
        column.addWidget(EqualRow(self.add, self.reset))

        layout = QVBoxLayout(self)
        layout.addWidget(self.listing, 1)
        layout.addWidget(self.message)
        layout.addWidget(account)
        layout.addWidget(EqualRow(self.remove, self.recovery))
        layout.addWidget(self.recovery_key)
        layout.addWidget(self.back_up)
        layout.addWidget(self.backup_progress)
        self.add.clicked.connect(self._add)
        self.remove.clicked.connect(self._remove)
        self.reset.clicked.connect(self._reset)
        self.recovery.clicked.connect(self._new_recovery_key)
        self.back_up.clicked.connect(self._back_up)

    @asyncSlot()
    async def load(self) -> None:
        self.accounts = await self._desk.executor.run(self._accounts.list_operators)
        self.listing.clear()
        for account in self.accounts:
            state = (
                self.tr("active")
                if account.active
                else self.tr("removed {0}").format(
                    account.removed_at.astimezone().strftime("%Y-%m-%d")
                    if account.removed_at
                    else ""
                )
            )
            item = QListWidgetItem(
                visible(f"{account.display_name} — {account.role.value} — {state}")
            )
            item.setData(Qt.ItemDataRole.UserRole, account.display_name)
            self.listing.addItem(item)

    def _selected(self) -> str | None:
        item = self.listing.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _new_password_entered(self) -> str | None:
        problem = new_password_problem(self.new_password.text(), self.new_again.text())
        if problem:
            self.message.setText(problem)
            return None
        return self.new_password.text()

    def _clear_passwords(self) -> None:
        for field in (self.new_password, self.new_again, self.my_password):
            field.clear()

    async def _run(self, done: str, action: Callable[..., object], *args: object) -> bool:
        try:
            await self._desk.executor.run(action, *args)
        except StationError as exc:
            self.message.setText(self.tr("Not done: {0}").format(error_text(exc)))
            return False
        finally:
            self._clear_passwords()
        await self.load()
        self.message.setText(done)  # after the list shows the change the sentence reports
        return True

    @asyncSlot()
    async def _add(self) -> None:
        password = self._new_password_entered()
        if password is None:
            return
        name = self.name.text().strip()
        role: Role = self.role.currentData()
        if await self._run(
            self.tr("{0} can now sign in.").format(name),
            self._accounts.add_operator,
            name,
            role,
            password,
            self._desk.operator,
            self.my_password.text(),
        ):
            self.name.clear()

    @asyncSlot()
    async def _reset(self) -> None:
        name = self._selected()
        password = self._new_password_entered()
        if name is None or password is None:
            if name is None:
                self.message.setText(self.tr("Select an operator first."))
            return
        await self._run(
            self.tr("New password set for {0}.").format(name),
            self._accounts.reset_password,
            name,
            password,
            self._desk.operator,
            self.my_password.text(),
        )

    @asyncSlot()
    async def _remove(self) -> None:
        name = self._selected()
        if name is None:
            self.message.setText(self.tr("Select an operator first."))
            return
        await self._run(
            self.tr("{0} was removed; their key slot is destroyed.").format(name),
            self._accounts.remove_operator,
            name,
            self._desk.operator,
        )

    @asyncSlot()
    async def _new_recovery_key(self) -> None:
        try:
            key = await self._desk.executor.run(
                self._accounts.new_recovery_key, self._desk.operator, self.my_password.text()
            )
        except StationError as exc:
            self.message.setText(self.tr("Not done: {0}").format(error_text(exc)))
            return
        finally:
            self._clear_passwords()
        self.recovery_key.setText(key)
        self.message.setText(
            self.tr("The old recovery key no longer works. Write the new one down now.")
        )

    @asyncSlot()
    async def _back_up(self) -> None:
        """An encrypted backup (the same passwords open it), confirmed with your password."""
        suggested = f"face-station-{self._desk.station.clock.now():%Y%m%d-%H%M}.backup"
        path = self._save_dialog(
            self, self.tr("Save the backup"), suggested, self.tr("Backups (*.backup)")
        )
        if path is None:
            return
        progress = self.backup_progress
        try:
            report = await progress.run(
                [self.back_up],
                self._desk.executor.run(
                    self._backups.back_up,
                    path,
                    self._desk.operator,
                    self.my_password.text(),
                    progress.report,
                ),
            )
        except StationError as exc:
            self.message.setText(self.tr("Not done: {0}").format(error_text(exc)))
            return
        finally:
            self._clear_passwords()
        text = self.tr(
            "Backup saved to {0} ({1} bytes). It is encrypted: today's passwords and recovery "
            "key open it. Keep it away from the station."
        ).format(str(report.path), f"{report.size:,}")
        if report.audit_head is not None:
            # Issue 14: noted apart from the file, the code proves later what the trail held.
            text += " " + self.tr(
                "It holds the audit trail up to {0}: write this code on the backup's label or "
                "hand-over record."
            ).format(report.audit_head.code)
        self.message.setText(text)
