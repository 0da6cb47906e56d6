"""Equal-weight rows never clip a label: side by side when they fit, stacked when they do not (R5, R8)."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout
from pytestqt.qtbot import QtBot

from ui.views.widgets import EqualRow, action_button


def test_equal_row_stacks_when_too_narrow_and_never_clips(qtbot: QtBot) -> None:
    buttons = [
        action_button(text, name)
        for text, name in (("Enroll", "a"), ("Verify by face", "b"), ("Verify another way", "c"))
    ]
    row = EqualRow(*buttons)
    qtbot.addWidget(row)
    row.show()
    widest = max(b.sizeHint().width() for b in buttons)
    row.resize(widest * 3 + 100, 300)
    qtbot.waitUntil(lambda: row._layout.direction() is QBoxLayout.Direction.LeftToRight)
    qtbot.waitUntil(lambda: len({b.width() for b in buttons}) == 1)  # equal weight
    row.resize(widest + 20, 300)
    qtbot.waitUntil(lambda: row._layout.direction() is QBoxLayout.Direction.TopToBottom)
    qtbot.waitUntil(lambda: all(b.width() >= b.sizeHint().width() for b in buttons))
    assert len({b.width() for b in buttons}) == 1
