"""Settings an administrator changed in the app (each change audited by the caller, R12), and the
snapshot of the settings in force at the last sign-in, to audit what a settings file changed."""

from __future__ import annotations

import json
from typing import Any

from station.storage.store import Store

_SNAPSHOT = "settings_snapshot"


class SettingsRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def overrides(self) -> dict[str, dict[str, Any]]:
        overrides: dict[str, dict[str, Any]] = {}
        for section, key, value in self.store.execute(
            "SELECT section, key, value FROM settings_overrides ORDER BY section, key"
        ):
            overrides.setdefault(section, {})[key] = json.loads(value)
        return overrides

    def set_override(self, section: str, key: str, value: Any) -> None:
        self.store.execute(
            "INSERT INTO settings_overrides(section, key, value) VALUES (?, ?, ?) "
            "ON CONFLICT(section, key) DO UPDATE SET value = excluded.value",
            (section, key, json.dumps(value)),
        )

    def snapshot(self) -> dict[str, dict[str, Any]] | None:
        recorded = self.store.meta_value(_SNAPSHOT)
        return None if recorded is None else dict(json.loads(recorded))

    def set_snapshot(self, settings: dict[str, dict[str, Any]]) -> None:
        self.store.set_meta_value(_SNAPSHOT, json.dumps(settings, sort_keys=True))
