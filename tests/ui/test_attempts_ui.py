"""R24 on the subject page: face switched off after too many failures is shown, and an administrator
re-enables it from there (the service resets the count and audits it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.domain import AttemptFactor, AttemptState
from station.policy.attempts import FACE
from station.services import Station
from tests.conftest import ADULT_BIRTH
from tests.ui.conftest import Drive, until
from ui.desk import Desk
from ui.views.subject import SubjectView
from ui.workers.camera import CameraSession
from ui.workers.store import StoreExecutor

MEMBER = "M-24"
DISABLE_AFTER_FAILURES = FACE.disable_after


@pytest.fixture
def desk(station: Station) -> Iterator[Desk]:
    executor = StoreExecutor()
    yield Desk(station, executor, CameraSession("7"), "admin-1")
    executor.shutdown()


def test_r24_the_subject_page_shows_face_disabled_and_an_administrator_re_enables_it(
    desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    station = desk.station
    subject = station.subjects.register(MEMBER, "Test Member", ADULT_BIRTH, "desk-1")
    now = station.clock.now()
    with station.store.transaction():
        station.repos.attempts.set(
            subject.id,
            AttemptFactor.FACE,
            AttemptState(DISABLE_AFTER_FAILURES, now - timedelta(minutes=1), now),
        )
    view = SubjectView(desk)
    qtbot.addWidget(view)
    view.show()

    async def scenario() -> None:
        view.show_subject(subject.id)
        await until(lambda: view.record is not None, what="the subject page to load")
        await until(lambda: bool(view.attempts), what="the attempt state")
        assert view.reenable.isVisible()
        assert f"after {DISABLE_AFTER_FAILURES} failed attempts" in view.details.toPlainText()

        qtbot.mouseClick(view.reenable, Qt.MouseButton.LeftButton)
        await until(lambda: "re-enabled" in view.message.text(), what="the re-enable message")
        assert not view.reenable.isVisible()
        assert "failed attempts" not in view.details.toPlainText()

    drive(scenario)
    assert station.repos.attempts.get(subject.id, AttemptFactor.FACE) == AttemptState()
    last = station.repos.audit.events(subject.id)[-1]
    assert last.kind == "face_reenabled" and last.operator == "admin-1"
