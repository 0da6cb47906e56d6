"""A real offscreen Qt event loop driven by qasync, and a window that must leave no thread behind."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
import qasync
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from station.domain.progress import ProgressStep
from station.services import StationOpener
from station.settings import Settings
from tests.conftest import fast_settings
from ui.app import station_opener
from ui.palette import LIGHT, contrast_ratio
from ui.style import THEME_ENV, apply_style, remove_style
from ui.views.enroll import EnrollView
from ui.views.main_window import MainWindow
from ui.views.result_card import ResultCard
from ui.views.work_progress import STEPS, WorkProgress, step_text

T = TypeVar("T")
# The first administrator submit_first_start creates, and their password.
DESK_OPERATOR, DESK_PASSWORD = "Desk One", "front desk secret"


@pytest.fixture(autouse=True)
def no_closed_window_outlives_its_test() -> Iterator[None]:
    """After each test, its closed windows are deleted, not left hidden. Left alone they piled up
    (6,700 widgets after two test files), and every app-wide style sheet change repolishes each
    one: the theme tests took 71 s in the suite against 0.4 s alone."""
    yield
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in QApplication.topLevelWidgets():
        # Parentless and hidden: a closed window or dialog. Popups have a parent and go with it.
        if widget.parentWidget() is None and not widget.isVisible():
            widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()  # also shuts down qasync's default executor
    asyncio.set_event_loop(None)
    # A closed qasync loop is a reference cycle holding QObjects. Collected here, on the GUI
    # thread; left to the collector, it may be freed on a worker thread and crash a later test.
    gc.collect()


Drive = Callable[[Callable[[], Awaitable[T]]], T]


@pytest.fixture
def drive(qt_loop: qasync.QEventLoop) -> Drive[object]:
    """Run a scenario coroutine on the Qt event loop, failing after 60 s instead of hanging."""

    def run(scenario: Callable[[], Awaitable[T]]) -> T:
        return qt_loop.run_until_complete(asyncio.wait_for(scenario(), 60))

    return run


async def until(condition: Callable[[], bool], timeout: float = 30.0, what: str = "") -> None:
    waited = 0.0
    while not condition():
        if waited > timeout:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.02)
        waited += 0.02


@pytest.fixture
def styled(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    """The application's real look (Fusion and resources/style.qss), as `face-station gui` starts
    it, in the light theme whatever the desktop or FACE_STATION_THEME say; the plain style back
    afterwards. For tests of what a person sees: the sheet changes the widgets' geometry (padding,
    borders, sub-controls), not only their colours."""
    monkeypatch.delenv(THEME_ENV, raising=False)
    previous_style, previous_sheet = qapp.style().name(), qapp.styleSheet()
    previous_palette = qapp.palette()
    apply_style(qapp, LIGHT)
    yield qapp
    remove_style(qapp)
    qapp.setStyleSheet(previous_sheet)
    qapp.setStyle(previous_style)
    qapp.setPalette(previous_palette)


@pytest.fixture
def site_settings() -> Settings:
    """The shared clip's face is small (eyes ~30-45 px apart): this site lowers the size limits."""
    base = fast_settings()
    return replace(
        base,
        enroll_gate=replace(base.enroll_gate, min_eye_distance_px=30.0, max_yaw=0.25),
        verify_gate=replace(base.verify_gate, min_eye_distance_px=30.0),
    )


@pytest.fixture
def opener(tmp_path: Path, site_settings: Settings) -> StationOpener:
    """The window's door to a new store in tmp_path; a module overrides it for its own clock."""
    return station_opener(site_settings, tmp_path / "station.db")


@pytest.fixture
def window(qt_loop: qasync.QEventLoop, opener: StationOpener) -> Iterator[MainWindow]:
    shown = MainWindow("7", opener, language="en")
    shown.show()
    yield shown
    shown.close()
    # A capture thread or a descriptor process still running after its test is a defect.
    assert not shown.camera.running, "a camera QThread outlived its test"
    assert not multiprocessing.active_children(), "the descriptor process outlived the window"


def rendered_contrast(card: ResultCard) -> tuple[float, QColor]:
    """The contrast of a result card's headline glyphs against its background, read from pixels;
    and that background."""
    image = card.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    background = QColor(image.pixel(card.width() // 2, 8))  # inside the 4 px border, no text
    area = card.headline.geometry()  # the headline is laid out directly in the card
    ink = max(
        (
            QColor(image.pixel(x, y))
            for x in range(area.left(), area.right(), 2)
            for y in range(area.top(), area.bottom(), 2)
        ),
        key=lambda colour: contrast_ratio(colour, background),
    )
    return contrast_ratio(ink, background), background


async def submit_first_start(window: MainWindow, qtbot: QtBot) -> str:
    """Create the station from the first-start page and wait for the desk (models may still load);
    returns the recovery key the page showed once."""
    start = window.start
    assert start.creating
    start.operator.setText(DESK_OPERATOR)
    start.password.setText(DESK_PASSWORD)
    start.repeat.setText(DESK_PASSWORD)
    qtbot.mouseClick(start.go, Qt.MouseButton.LeftButton)
    # The recovery key is shown once (R12); the administrator confirms it was written down.
    await until(lambda: bool(start.recovery_key.text()), what="the store to be created")
    recovery_key = start.recovery_key.text()
    assert len(recovery_key.replace("-", "")) == 52
    qtbot.mouseClick(start.written_down, Qt.MouseButton.LeftButton)
    await until(lambda: window.desk is not None, what="the desk to open")
    assert not start.recovery_key.text()  # not left in a widget
    return recovery_key


async def sign_in(window: MainWindow, qtbot: QtBot, name: str, password: str) -> None:
    """Lock the window and sign in again as another (or the same) operator."""
    window.lock()
    start = window.start
    assert not start.creating
    start.operator.setText(name)
    start.password.setText(password)
    qtbot.mouseClick(start.go, Qt.MouseButton.LeftButton)
    await until(lambda: window.desk is not None, what=f"{name} to sign in")


class BarWatch:
    """What a WorkProgress bar showed during one piece of long work (issue 12): every value it
    took, each with its text, whether the bar was shown and the controls that started the work
    disabled."""

    def __init__(self, bar: WorkProgress, controls: Sequence[QWidget]) -> None:
        self.bar, self.controls = bar, list(controls)
        self.seen: list[tuple[int, bool, bool]] = []
        self.texts: list[str] = []
        bar.valueChanged.connect(self._seen)

    def _seen(self, value: int) -> None:
        idle = not any(control.isEnabled() for control in self.controls)
        self.seen.append((value, not self.bar.isHidden(), idle))  # its own state: a tab may hide it
        self.texts.append(self.bar.text())

    def assert_ran_to_the_end(self, last_step: ProgressStep) -> None:
        values = [value for value, _, _ in self.seen]
        assert values[0] == 0 and values[-1] == STEPS, values
        assert values == sorted(values) and len(set(values)) >= 3, values  # several steps
        assert all(shown and idle for _, shown, idle in self.seen), self.seen
        assert self.bar.isHidden() and all(control.isEnabled() for control in self.controls)
        assert self.bar.accessibleName()
        assert self.texts[-1] == f"{step_text(last_step)}: 100%"


async def create_station(window: MainWindow, qtbot: QtBot) -> None:
    """A new station, signed in, its face models loaded."""
    await submit_first_start(window, qtbot)
    await until(lambda: window.models_ready, what="the models to load in the background")


async def open_notice(
    window: MainWindow, qtbot: QtBot, member: str, name: str, card: str = ""
) -> EnrollView:
    """From home: Enroll for `member`, fill in the details, continue to the face-data notice."""
    window.home.search.setText(member)
    qtbot.mouseClick(window.home.enroll, Qt.MouseButton.LeftButton)
    enroll = window.enroll
    enroll.name.setText(name)
    enroll.birth.setText("1990-05-17")  # an adult (R7)
    enroll.card.setText(card)
    qtbot.mouseClick(enroll.to_notice, Qt.MouseButton.LeftButton)
    await until(lambda: enroll.pages.currentIndex() == 1, what="the notice")
    return enroll
