"""The face-data notice (R2): rendered from live settings in both languages, published as numbered
versions in the store, and hashed exactly as shown so a consent names the text it answered (R1, R3).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from station.biometrics.model_sets import CURRENT, ModelSet
from station.resources import resources_dir
from station.settings import DEFAULT_CONTACT, DEFAULT_CONTROLLER, DEFAULT_PURPOSE, Settings

# The wording in resources/notices. Editing those files changes the rendered text, and a changed
# text is published as a new version at the next start (R3); this label records which wording it was.
NOTICE_TEMPLATE_VERSION = "2026-12-01.1"  # .1: the liveness check (R23, issue 10)
LANGUAGES = ("en", "zh_CN")

# What a Chinese notice says when the site left a field at its English default.
_ZH_DEFAULTS = {
    "controller": (DEFAULT_CONTROLLER, "运营本设备的机构"),
    "contact": (DEFAULT_CONTACT, "前台工作人员"),
    "purpose": (DEFAULT_PURPOSE, "仅用于在您到场时确认您是所声称的会员本人"),
}


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class RenderedNotice:
    """One language of one published version, exactly as shown to the person."""

    version: str
    language: str
    text: str

    @property
    def sha256(self) -> str:
        return sha256_text(self.text)


@dataclass(frozen=True)
class PublishedNotice:
    version: int
    published_at: datetime
    operator: str
    template_version: str
    texts: dict[str, str]  # language -> text

    @property
    def label(self) -> str:
        return str(self.version)

    def rendered(self, language: str) -> RenderedNotice:
        if language not in self.texts:
            raise ValueError(
                f"no notice in language {language!r}; available: {', '.join(LANGUAGES)}"
            )
        return RenderedNotice(self.label, language, self.texts[language])

    def matches(self, notice: RenderedNotice) -> bool:
        """The text was this version's, word for word, in one of its languages."""
        return notice.version == self.label and self.texts.get(notice.language) == notice.text


def site_field(settings: Settings, name: str, language: str) -> str:
    """A site field (controller, contact, purpose) as the notice in `language` shows it."""
    english: str = getattr(settings.site, name)
    if language == "en":
        return english
    chinese: str = getattr(settings.site, f"{name}_zh_cn")
    if chinese.strip():
        return chinese
    default_en, default_zh = _ZH_DEFAULTS[name]
    return default_zh if english == default_en else english


def notice_text(settings: Settings, language: str, model_set: ModelSet = CURRENT) -> str:
    """The notice as the live settings make it today: controller, contact, purpose, what is kept
    (a template of `model_set`: the one enrollment makes now, or an older one a person still holds,
    R15), how many frames, the liveness check when it is on (R23), where, how long (the configured
    retention, R2), rights, and the alternative."""
    if language not in LANGUAGES:
        raise ValueError(f"no notice in language {language!r}; available: {', '.join(LANGUAGES)}")
    notices = resources_dir() / "notices"
    template = (notices / f"face_notice.{language}.txt").read_text(encoding="utf-8")
    # R23: while the liveness check is on, the notice says a short movement is checked and nothing
    # of it kept; switched off, the sentence goes, so the text (and the version, R3) changes with it.
    liveness = (
        (notices / f"liveness_notice.{language}.txt").read_text(encoding="utf-8")
        if settings.liveness.enabled
        else ""
    )
    return template.format(
        liveness=liveness,
        controller=site_field(settings, "controller", language),
        contact=site_field(settings, "contact", language),
        purpose=site_field(settings, "purpose", language).rstrip(".。"),
        descriptor_size=model_set.size,
        enroll_frames=settings.capture.enroll_frames,
        retention_days=settings.store.retention_days,
    )


def notice_texts(settings: Settings, model_set: ModelSet = CURRENT) -> dict[str, str]:
    return {language: notice_text(settings, language, model_set) for language in LANGUAGES}
