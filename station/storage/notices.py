"""Published versions of the face-data notice (R2, R3), both languages and their hashes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from station.policy.notice import PublishedNotice, sha256_text
from station.storage.ids import parse_time
from station.storage.store import Store


class NoticeRepository:
    def __init__(self, store: Store) -> None:
        self.store = store

    def publish(
        self, texts: dict[str, str], template_version: str, operator: str, now: datetime
    ) -> PublishedNotice:
        row = self.store.execute("SELECT coalesce(max(version), 0) FROM notices").fetchone()
        notice = PublishedNotice(row[0] + 1, now, operator, template_version, dict(texts))
        self.store.execute(
            "INSERT INTO notices(version, published_at, operator, template_version, text_en, "
            "sha256_en, text_zh_cn, sha256_zh_cn) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                notice.version,
                now.isoformat(),
                operator,
                template_version,
                texts["en"],
                sha256_text(texts["en"]),
                texts["zh_CN"],
                sha256_text(texts["zh_CN"]),
            ),
        )
        return notice

    def current(self) -> PublishedNotice | None:
        row = self.store.execute(
            f"SELECT {_COLUMNS} FROM notices ORDER BY version DESC LIMIT 1"
        ).fetchone()
        return _notice(row) if row else None

    def since(self, label: str) -> list[PublishedNotice]:
        """The version labelled `label` and every one published after it, oldest first; empty when
        no version has that label."""
        if not (label.isascii() and label.isdigit()):
            return []
        rows = self.store.execute(
            f"SELECT {_COLUMNS} FROM notices WHERE version >= ? ORDER BY version", (int(label),)
        ).fetchall()
        return [_notice(row) for row in rows] if rows and str(rows[0][0]) == label else []


_COLUMNS = "version, published_at, operator, template_version, text_en, text_zh_cn"


def _notice(row: tuple[Any, ...]) -> PublishedNotice:
    return PublishedNotice(
        row[0], parse_time(row[1]), row[2], row[3], {"en": row[4], "zh_CN": row[5]}
    )
