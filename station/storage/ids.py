"""Row ids and the stored form of times."""

from __future__ import annotations

import secrets
from datetime import datetime


def new_id() -> str:
    """Random ids: nothing about a person or an order of enrollment can be read from them (R13)."""
    return secrets.token_hex(16)


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def optional_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
