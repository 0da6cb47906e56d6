"""Operator accounts and their roles (R12); their key slots live in the key file (keys.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from station.domain import OperatorAccount, Role
from station.storage.ids import optional_time, parse_time
from station.storage.keys import name_key
from station.storage.store import Store

_COLUMNS = "name, display_name, role, created_at, created_by, removed_at"


class OperatorRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def account(self, name: str) -> OperatorAccount | None:
        row = self.store.execute(
            f"SELECT {_COLUMNS} FROM operators WHERE name = ?", (name_key(name),)
        ).fetchone()
        return _account(row) if row else None

    def accounts(self) -> list[OperatorAccount]:
        rows = self.store.execute(
            f"SELECT {_COLUMNS} FROM operators ORDER BY removed_at IS NOT NULL, display_name"
        ).fetchall()
        return [_account(row) for row in rows]

    def add(self, display_name: str, role: Role, created_by: str, now: datetime) -> OperatorAccount:
        """A new account, or a removed one made active again under the same name."""
        account = OperatorAccount(
            name_key(display_name), display_name.strip(), role, now, created_by, None
        )
        self.store.execute(
            f"INSERT INTO operators({_COLUMNS}) VALUES (?, ?, ?, ?, ?, NULL) "
            "ON CONFLICT(name) DO UPDATE SET display_name = excluded.display_name, "
            "role = excluded.role, created_at = excluded.created_at, "
            "created_by = excluded.created_by, removed_at = NULL",
            (account.name, account.display_name, role.value, now.isoformat(), created_by),
        )
        return account

    def remove(self, name: str, now: datetime) -> None:
        self.store.execute(
            "UPDATE operators SET removed_at = ? WHERE name = ?", (now.isoformat(), name_key(name))
        )


def _account(row: tuple[Any, ...]) -> OperatorAccount:
    return OperatorAccount(
        row[0], row[1], Role(row[2]), parse_time(row[3]), row[4], optional_time(row[5])
    )
