"""The one way to find bundled resources, from a source checkout and from a frozen build.

From source, resources live in the repository's ``resources/`` folder (next to ``station/``). In a
PyInstaller build they live under ``sys._MEIPASS``; the spec must bundle the folder as
``resources`` (``datas=[("resources", "resources")]``) so the same relative layout holds.

Model files are looked up in ``resources/models`` unless ``FACE_STATION_MODELS_DIR`` names another
folder (tests, installs that keep the 35 MB of models outside the program folder).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

MODELS_DIR_ENV = "FACE_STATION_MODELS_DIR"


def resources_dir() -> Path:
    """The folder holding notices, translations, icons, styles and (after set-up) models."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and isinstance(bundle, str):
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def install_dir() -> Path | None:
    """The folder a frozen build was installed in (the program and, beside it, ``_internal`` and
    SHA256SUMS); None from a source checkout, which has no such folder."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def models_dir() -> Path:
    """Where the pinned model files are: ``$FACE_STATION_MODELS_DIR`` or ``resources/models``."""
    override = os.environ.get(MODELS_DIR_ENV, "").strip()
    if override:
        return Path(override).expanduser()
    return resources_dir() / "models"
