"""The window's language: Qt translators from resources/i18n, switchable while the window runs.

English is the source language (no translator); Simplified Chinese comes from
``resources/i18n/face_station_zh_CN.qm``, compiled by ``make setup`` from the ``.ts`` next to it.

Which language the window starts in (first match wins):

1. ``FACE_STATION_LANGUAGE`` in the environment (``en`` or ``zh_CN``): one machine's choice;
2. ``[site] language`` in the settings file, when it names a language other than the default
   (``en``), i.e. a site that chose Chinese for every desk;
3. the system locale: any Chinese locale (``zh*``) gives ``zh_CN``, everything else ``en``.

A site that wants English on a Chinese-locale PC sets ``FACE_STATION_LANGUAGE=en`` (the settings
default ``en`` cannot be told apart from "not set"). The operator can switch at any time with the
language button in the window's top bar.
"""

from __future__ import annotations

import os

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from station.policy.notice import LANGUAGES
from station.resources import resources_dir
from station.settings import Settings, SiteSettings

LANGUAGE_ENV = "FACE_STATION_LANGUAGE"
CATALOG = "face_station"

_installed: list[QTranslator] = []
_current = "en"
_catalogs: dict[str, QTranslator] = {}  # read by translate_to, never installed


class MissingTranslationError(RuntimeError):
    """The compiled translation is not there (run `make setup`)."""


def catalog_path(language: str) -> str:
    return str(resources_dir() / "i18n" / f"{CATALOG}_{language}.qm")


def system_language() -> str:
    name = QLocale.system().name()  # e.g. "zh_CN", "zh_TW", "en_GB", "C"
    return "zh_CN" if name.lower().startswith("zh") else "en"


def default_language(settings: Settings | None = None) -> str:
    """The start-up language: environment, then an explicit site setting, then the system locale."""
    chosen = os.environ.get(LANGUAGE_ENV, "").strip()
    if chosen in LANGUAGES:
        return chosen
    site = settings.site.language if settings is not None else SiteSettings.language
    if site in LANGUAGES and site != SiteSettings.language:
        return site
    return system_language()


def current_language() -> str:
    return _current


def other_language(language: str) -> str:
    return "en" if language == "zh_CN" else "zh_CN"


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Marks `source` for lupdate (which looks for this very name) under `context` and returns it
    as it is, for QCoreApplication.translate or translate_to later. PySide6's own is untyped."""
    return source


def translate_to(language: str, context: str, source: str) -> str:
    """`source` (English, as marked for lupdate) in `language`, whichever language is installed;
    English when the catalog is missing or has no translation for it."""
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r}; available: {', '.join(LANGUAGES)}")
    if language == "en":
        return source
    catalog = _catalogs.get(language)
    if catalog is None:
        catalog = QTranslator()
        catalog.load(catalog_path(language))  # a failed load leaves it empty: English below
        _catalogs[language] = catalog
    return catalog.translate(context, source) or source


def install_language(app: QCoreApplication, language: str) -> None:
    """Replace the installed translators with those for `language` (none for English)."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"no language {language!r}; available: {', '.join(LANGUAGES)}")
    while _installed:
        app.removeTranslator(_installed.pop())
    if language != "en":
        ours = QTranslator()
        if not ours.load(catalog_path(language)):
            raise MissingTranslationError(
                f"{catalog_path(language)} is missing or unreadable: run `make setup`."
            )
        _installed.append(ours)
        # Qt's own texts (standard dialogs such as printing), when Qt ships them.
        qt_base = QTranslator()
        if qt_base.load(
            f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        ):
            _installed.append(qt_base)
        for translator in _installed:
            app.installTranslator(translator)
    _current = language
