"""HTML to a PDF file, with Qt's own text engine: no browser, no network, no extra dependency."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

# A Latin face first, then one that has the Chinese glyphs (fonts-wqy-microhei, installed by
# set-up): Qt picks per character, so an English report with a Chinese controller name prints both.
FONT_FAMILIES = ["DejaVu Sans", "Noto Sans", "WenQuanYi Micro Hei", "Noto Sans CJK SC"]
RESOLUTION_DPI = 300
# QTextDocument.print_() puts its documented 2 cm margin around the text (and numbers the pages):
# with these 5 mm of the page layout, 25 mm in all on every side.
MARGINS_MM = QMarginsF(5, 5, 5, 5)


def write_pdf(html: str, path: Path) -> None:
    """Render `html` on numbered A4 pages with 25 mm margins and write it to `path` (readable by its
    owner only: reports name the controller, and incident lists name people)."""
    path = Path(path)
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION_DPI)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setCreator("Face Station")
    document = QTextDocument()
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(10)
    document.setDefaultFont(font)
    document.setHtml(html)
    # No page size of our own: print_() then lays the text out for the writer's printable area
    # (A4 less the margins) at the writer's resolution, and numbers the pages.
    document.print_(writer)
    del writer  # the file is finished and closed when the writer goes
    # QPdfWriter reports no error of its own: a folder it could not write leaves no file.
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"could not write {path}")
    os.chmod(path, 0o600)
