"""Issue 12: the window works from 1024×768 up and at 200 %: the start page narrows back to
1024 px after showing the recovery key, button icons fill their size at 200 %, a text role set
on a shown label gets its padding; and a closed window leaves no task of its own pending on the
event loop."""

from __future__ import annotations

import asyncio

import pytest
import qasync
from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from tests.ui.conftest import Drive, submit_first_start, until
from ui.icons import icon
from ui.style import set_role
from ui.views.main_window import MainWindow

SMALLEST = 1024


@pytest.mark.usefixtures("styled")
def test_the_start_page_fits_1024_px_while_it_shows_the_recovery_key(
    window: MainWindow, qtbot: QtBot, drive: Drive[None]
) -> None:
    start = window.start

    async def scenario() -> None:
        start.operator.setText("Desk One")
        start.password.setText("front desk secret")
        start.repeat.setText("front desk secret")
        qtbot.mouseClick(start.go, Qt.MouseButton.LeftButton)
        await until(lambda: bool(start.recovery_key.text()), what="the recovery key")

    drive(scenario)
    window.resize(SMALLEST, 768)
    QApplication.processEvents()
    assert start.recovery_key.isVisible()
    assert start.minimumSizeHint().width() <= SMALLEST - 16  # the window's margins
    assert window.minimumSizeHint().width() <= SMALLEST
    assert window.width() == SMALLEST
    key = start.recovery_key
    assert key.width() <= SMALLEST and key.height() >= key.heightForWidth(key.width())  # whole


def test_a_button_icon_fills_its_size_at_200_percent(qapp: QApplication) -> None:
    """The home tiles' icons (an icon with a gap for the text beside it) at 200 %: drawn over the
    whole icon height, not in its top-left quarter."""
    image = icon("enroll", 36, QColor("#000000"), 2.0, gap=10).pixmap(QSize(46, 36), 2.0).toImage()
    assert image.height() == 72
    rows = [
        y for y in range(image.height()) if any(image.pixelColor(x, y).alpha() for x in range(72))
    ]
    assert rows and rows[-1] - rows[0] > 0.75 * image.height(), rows[:1] + rows[-1:]


@pytest.mark.usefixtures("styled")
def test_a_role_set_on_a_shown_label_gets_its_padding(qtbot: QtBot) -> None:
    """The reports' filing status turns "status" or "error" after it is shown: it gets the
    status band's padding, not only its colours (it was drawn cramped to its band's edges)."""
    label = QLabel("1 people have face data stored.")
    label.setWordWrap(True)
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    set_role(label, "status")
    assert label.contentsMargins() == QMargins(12, 8, 12, 8)  # style.qss: padding 8px 12px
    set_role(label, "error")
    assert label.contentsMargins() == QMargins(0, 0, 0, 0)


def test_closing_the_window_leaves_none_of_its_reads_pending(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], qt_loop: qasync.QEventLoop
) -> None:
    """Home reads the day's counts on the store thread each time it is shown; the window closed
    before the answer came back must not leave that read pending ("Task was destroyed but it is
    pending" when the loop closes)."""

    async def scenario() -> None:
        await submit_first_start(window, qtbot)

    drive(scenario)
    window.go_home()  # outside the loop's run: the read starts and waits for the store thread
    QApplication.processEvents()
    assert [task for task in asyncio.all_tasks(qt_loop) if not task.done()]
    window.close()
    assert not [task for task in asyncio.all_tasks(qt_loop) if not task.done()]


def test_a_view_whose_store_read_ends_after_the_window_closed_leaves_its_widgets_alone(
    window: MainWindow, qtbot: QtBot, drive: Drive[None], qt_loop: qasync.QEventLoop
) -> None:
    """An administration page asks the store thread for its list, and the window closes before
    the answer is handed over: the page must not go on to fill widgets that may be gone (a
    language switch or the close deletes them); it stops quietly, as after damage, and the loop's
    later turns report no error."""

    async def scenario() -> None:
        await submit_first_start(window, qtbot)
        qtbot.mouseClick(window.admin_button, Qt.MouseButton.LeftButton)
        await window.executor.run(lambda: None)  # the page's own first load has been answered
        await asyncio.sleep(0.05)

    drive(scenario)
    errors: list[object] = []
    qt_loop.set_exception_handler(lambda _loop, context: errors.append(context))
    pending = window.admin_view.operators.load()  # outside the loop's run: waits for the answer
    QApplication.processEvents()
    assert not pending.done()
    window.close()
    qt_loop.run_until_complete(asyncio.gather(pending, return_exceptions=True))
    assert pending.cancelled(), "the page went on after its window closed"
    assert not errors, errors
