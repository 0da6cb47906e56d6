"""Issue 16 in the window: a name kept before the rules with a bidi override or a terminal escape
cannot disguise itself in the search results or on the subject page (R4: the page the person's
withdrawal starts from); it is shown written out, and the page still acts on that person."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.domain import Subject
from station.services import Station
from tests.conftest import ADULT_BIRTH
from tests.ui.conftest import Drive, until
from ui.desk import Desk
from ui.views.home import HomeView
from ui.views.subject import SubjectView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

HOSTILE_NAME = "Evil\u202eeman\x1b[2J"  # shows as "Evilname" reversed, then clears the screen
SHOWN_NAME = "Evil\\u202eeman\\x1b[2J"
HIDDEN = ("\u202e", "\x1b")


@pytest.fixture
def desk(station: Station) -> Iterator[Desk]:
    executor = StoreExecutor()
    yield Desk(station, executor, CameraSession("7"), "desk-1")
    executor.shutdown()


def _old_subject(station: Station) -> Subject:
    """Written straight through the repository, as a store from before issue 16 may hold it."""
    with station.store.transaction():
        return station.repos.subjects.add("m-77", HOSTILE_NAME, ADULT_BIRTH, station.clock.now())


def test_r12_search_results_show_a_stored_override_written_out(
    station: Station, qtbot: QtBot
) -> None:
    subject = _old_subject(station)
    home = HomeView()
    qtbot.addWidget(home)
    home.show_results(station.subjects.search("M-77"))  # found by its kept form
    shown = home.results.item(0).text()
    assert shown == f"m-77 — {SHOWN_NAME}"
    assert not any(c in shown for c in HIDDEN)
    assert home.results.item(0).data(Qt.ItemDataRole.UserRole) == subject.id  # still that person


def test_r4_r12_the_subject_page_shows_a_stored_override_written_out_and_still_acts(
    desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    station = desk.station
    subject = _old_subject(station)
    view = SubjectView(desk)
    qtbot.addWidget(view)
    view.show()

    async def scenario() -> None:
        view.show_subject(subject.id)
        await until(lambda: bool(view.attempts), what="the subject page to load")
        page = view.details.toPlainText()
        assert f"{SHOWN_NAME} (m-77)" in page
        assert not any(c in page for c in HIDDEN)
        assert not any(c in view.receipt_html() for c in HIDDEN)  # the printed receipt too

    drive(scenario)
    # The page passes on the number as stored; the services still find that one person (R4).
    assert view.record is not None
    outcome = station.subjects.withdraw_face_consent(view.record.subject.member_number, "desk-1")
    assert outcome.subject_id == subject.id
