"""Where one is in a flow of several pages (issue 12): numbered steps in a row, joined by lines.

The current step is marked by more than colour (R8): its circle alone is filled and its name bold;
a passed step shows a tick instead of its number; a step the flow went past without showing (e.g.
the notice, when a minor goes straight to the PIN, R7) shows a dash. The widget is not a control
and takes no keyboard focus; its accessible name says "Step 2 of 4: Notice".

Colours are the palette's, which the theme sets (ui/palette.py): the current circle in the
highlight (the theme's accent) with its figure in the highlighted-text colour, everything else in
the window's text colour, so every theme keeps the row readable."""

from __future__ import annotations

import enum
from collections.abc import Sequence

from PySide6.QtCore import QLineF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.views.paint_cache import PaintCache

_CIRCLE = 34.0  # px across
_LABEL_GAP = 8.0  # between a circle and its name
_MIN_LINE, _MAX_LINE = 24.0, 160.0  # the joining line between two steps
_LINE_PAD = 12.0  # around each joining line
_TICK, _DASH = "\u2713", "\u2013"  # ✓ and –


class StepState(enum.Enum):
    DONE = "done"
    SKIPPED = "skipped"
    CURRENT = "current"
    TODO = "todo"


class StepIndicator(QWidget):
    def __init__(self, titles: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._first_titles = list(titles)
        self.titles = list(titles)
        self.current = 0
        self._visited = {0}
        self._drawn = PaintCache()
        self.show_step(0)

    def restart(self) -> None:
        """A new run of the flow: nothing passed yet, every step under its first name."""
        self.titles = list(self._first_titles)
        self._visited = set()
        self.show_step(0)

    def show_step(self, index: int, title: str | None = None) -> None:
        """Mark step `index` (0-based) current, optionally renaming it (a flow whose path
        forks names the step it took)."""
        if title is not None:
            self.titles[index] = title
        self.current = index
        self._visited.add(index)
        self.setAccessibleName(
            self.tr("Step {0} of {1}: {2}").format(index + 1, len(self.titles), self.titles[index])
        )
        self.updateGeometry()
        self.update()

    def state(self, index: int) -> StepState:
        if index == self.current:
            return StepState.CURRENT
        if index > self.current:
            return StepState.TODO
        return StepState.DONE if index in self._visited else StepState.SKIPPED

    def _fonts(self) -> tuple[QFont, QFont]:
        plain = QFont(self.font())
        bold = QFont(plain)
        bold.setBold(True)
        return plain, bold

    def _title_widths(self) -> list[float]:
        plain, bold = self._fonts()
        return [
            QFontMetricsF(bold if i == self.current else plain).horizontalAdvance(title)
            for i, title in enumerate(self.titles)
        ]

    def _row_width(self, line: float) -> float:
        count = len(self.titles)
        steps = sum(_CIRCLE + _LABEL_GAP + width for width in self._title_widths())
        return steps + (count - 1) * (line + 2 * _LINE_PAD)

    def sizeHint(self) -> QSize:
        height = max(_CIRCLE, QFontMetricsF(self._fonts()[1]).height()) + 12
        return QSize(int(self._row_width(_MIN_LINE)) + 2, int(height))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        accent = self.palette().color(QPalette.ColorRole.Highlight).rgba()
        shows = (tuple(self.titles), self.current, frozenset(self._visited), accent)
        self._drawn.paint_widget(self, shows, self._paint)

    def _paint(self, painter: QPainter) -> None:
        text = self.palette().color(QPalette.ColorRole.WindowText)
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        on_accent = self.palette().color(QPalette.ColorRole.HighlightedText)
        track = QColor(text)
        track.setAlphaF(0.3)
        plain, bold = self._fonts()
        widths = self._title_widths()
        count = len(widths)
        # The joining lines take the spare width (up to _MAX_LINE); the row is centred.
        spare = self.width() - self._row_width(0.0)
        line = min(max(spare / max(count - 1, 1), _MIN_LINE), _MAX_LINE)
        x = max((self.width() - self._row_width(line)) / 2, 0.0)
        middle = self.height() / 2
        for index, (title, width) in enumerate(zip(self.titles, widths, strict=True)):
            state = self.state(index)
            current = state is StepState.CURRENT
            circle = QRectF(x, middle - _CIRCLE / 2, _CIRCLE, _CIRCLE)
            painter.setPen(QPen(accent if current else text, 2))
            painter.setBrush(accent if current else Qt.BrushStyle.NoBrush)
            painter.drawEllipse(circle.adjusted(1, 1, -1, -1))
            mark = {StepState.DONE: _TICK, StepState.SKIPPED: _DASH}.get(state, str(index + 1))
            painter.setFont(bold)
            painter.setPen(on_accent if current else text)
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, mark)
            x += _CIRCLE + _LABEL_GAP
            painter.setFont(bold if current else plain)
            painter.setPen(text)
            label = QRectF(x, 0, width + 1, self.height())
            painter.drawText(
                label, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, title
            )
            x += width + _LINE_PAD
            if index < count - 1:
                painter.setPen(QPen(text if index < self.current else track, 2))
                painter.drawLine(QLineF(x, middle, x + line, middle))
                x += line + _LINE_PAD
