"""The settings in force at this station (R12): one row per setting, each change audited by the
caller (station.services.site_settings).

A store written before issue 16 kept rows only for what an administrator changed in the app, and a
snapshot of the settings in force at the last sign-in; both are read, and the first `keep` turns
them into a row per setting."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from station.storage.store import Store

_SNAPSHOT = "settings_snapshot"  # written before issue 16; read once, then deleted


class SettingsRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def recorded(self) -> dict[str, dict[str, Any]]:
        """{section: {key: value}} as kept: the rows over an older store's snapshot."""
        snapshot = self.store.meta_value(_SNAPSHOT)
        recorded: dict[str, dict[str, Any]] = {}
        for section, values in (json.loads(snapshot) if snapshot else {}).items():
            recorded[section] = dict(values)
        for section, values in self._rows().items():
            recorded.setdefault(section, {}).update(values)
        return recorded

    def keep(self, settings: Mapping[str, Mapping[str, Any]]) -> None:
        """Rows holding these values (only those that differ are written), and no snapshot."""
        rows = self._rows()
        for section, values in settings.items():
            for key, value in values.items():
                if key not in rows.get(section, {}) or rows[section][key] != value:
                    self._write(section, key, value)
        self.store.execute("DELETE FROM station_meta WHERE key = ?", (_SNAPSHOT,))

    def replace_key(self, section: str, old: str, new: str, value: Any) -> None:
        """A setting an older station kept as `old`, kept from now on as `new` = value, wherever
        it was kept (its row, a snapshot's entry); nothing else is touched."""
        if old in self._rows().get(section, {}):
            self.store.execute(
                "DELETE FROM settings_overrides WHERE section = ? AND key = ?", (section, old)
            )
            self._write(section, new, value)
        snapshot = self.store.meta_value(_SNAPSHOT)
        recorded = json.loads(snapshot) if snapshot else {}
        if old in recorded.get(section, {}):
            del recorded[section][old]
            recorded[section][new] = value
            self.store.set_meta_value(_SNAPSHOT, json.dumps(recorded))

    def _write(self, section: str, key: str, value: Any) -> None:
        self.store.execute(
            "INSERT INTO settings_overrides(section, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT(section, key) DO UPDATE SET value = excluded.value",
            (section, key, json.dumps(value)),
        )

    def _rows(self) -> dict[str, dict[str, Any]]:
        rows: dict[str, dict[str, Any]] = {}
        for section, key, value in self.store.execute(
            "SELECT section, key, value FROM settings_overrides ORDER BY section, key"
        ):
            rows.setdefault(section, {})[key] = json.loads(value)
        return rows
