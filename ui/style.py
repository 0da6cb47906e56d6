"""The application's look: one style sheet, ``resources/style.qss``, over the Fusion style.

``apply_style(app)`` is called once, right after the QApplication exists. The sheet is read through
``station.resources.resources_dir()``, so the same call works from a checkout and from a frozen
build (the PyInstaller spec bundles ``resources/``).

Views mark text that needs more weight with a role instead of styling it themselves::

    set_role(self.result, "result")   # or "heading", "status", "hint", "error", "prompt"

The sheet gives every push button the same look (equal weight for the options, R1/R5) and every
focusable widget a visible focus ring (R8); see the header of ``style.qss``.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QWidget

from station.resources import resources_dir

STYLE_FILE = "style.qss"
ROLE_PROPERTY = "role"
ROLES = ("heading", "result", "status", "hint", "error", "prompt")


def style_sheet() -> str:
    """The text of ``resources/style.qss``; raises OSError when it cannot be read."""
    return (resources_dir() / STYLE_FILE).read_text(encoding="utf-8")


def apply_style(app: QApplication) -> None:
    """Fusion plus the station's style sheet. A missing sheet is reported, not fatal: an unstyled
    front desk still works; one that does not start does not."""
    app.setStyle("Fusion")  # the sheet is written for Fusion: the same drawing on every OS
    try:
        sheet = style_sheet()
    except OSError as exc:
        print(
            f"Face Station: style sheet not loaded ({exc}); using the plain style.", file=sys.stderr
        )
        return
    app.setStyleSheet(sheet)


def set_role(widget: QWidget, role: str) -> None:
    """Give a widget one of the sheet's text roles; re-polishes so a change shows at once."""
    if role not in ROLES:
        raise ValueError(f"unknown style role {role!r}; known: {', '.join(ROLES)}")
    widget.setProperty(ROLE_PROPERTY, role)
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
