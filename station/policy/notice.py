"""The face-data notice (R2): rendered from live settings, versioned, hashed exactly as shown (R1)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from station.biometrics.embedder import DESCRIPTOR_SIZE
from station.resources import resources_dir
from station.settings import Settings

NOTICE_VERSION = "2026-11-27.1"
LANGUAGES = ("en", "zh_CN")


@dataclass(frozen=True)
class RenderedNotice:
    version: str
    language: str
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def render_notice(settings: Settings, language: str) -> RenderedNotice:
    if language not in LANGUAGES:
        raise ValueError(f"no notice in language {language!r}; available: {', '.join(LANGUAGES)}")
    template = (resources_dir() / "notices" / f"face_notice.{language}.txt").read_text(
        encoding="utf-8"
    )
    text = template.format(
        controller=settings.site.controller,
        contact=settings.site.contact,
        descriptor_size=DESCRIPTOR_SIZE,
        enroll_frames=settings.capture.enroll_frames,
        retention_days=settings.store.retention_days,
    )
    return RenderedNotice(NOTICE_VERSION, language, text)
