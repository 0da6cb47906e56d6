"""R24 and R5 on the subject page: face or PIN switched off after too many failures is shown, and an
administrator re-enables each from there (the service resets the count and audits it)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station.domain import AttemptFactor, AttemptState, Role
from station.policy.attempts import FACE, PIN
from station.services import Station
from tests.conftest import ADMIN, ADULT_BIRTH, STORE_SECRET
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
        assert view.reenable[AttemptFactor.FACE].isVisible()
        assert not view.reenable[AttemptFactor.PIN].isVisible()
        assert f"after {DISABLE_AFTER_FAILURES} failed attempts" in view.details.toPlainText()

        qtbot.mouseClick(view.reenable[AttemptFactor.FACE], Qt.MouseButton.LeftButton)
        await until(lambda: "re-enabled" in view.message.text(), what="the re-enable message")
        assert not view.reenable[AttemptFactor.FACE].isVisible()
        assert "failed attempts" not in view.details.toPlainText()

    drive(scenario)
    assert station.repos.attempts.get(subject.id, AttemptFactor.FACE) == AttemptState()
    last = station.repos.audit.events(subject.id)[-1]
    assert last.kind == "face_reenabled" and last.operator == "admin-1"


def test_r5_the_subject_page_shows_pin_failures_and_an_administrator_re_enables_pin_alone(
    desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    station = desk.station
    subject = station.subjects.register(MEMBER, "Test Member", ADULT_BIRTH, "desk-1")
    now = station.clock.now()
    with station.store.transaction():
        station.repos.attempts.set(
            subject.id, AttemptFactor.PIN, AttemptState(PIN.disable_after, now, now)
        )
        station.repos.attempts.set(subject.id, AttemptFactor.FACE, AttemptState(3, now))
    view = SubjectView(desk)
    qtbot.addWidget(view)
    view.show()

    async def scenario() -> None:
        view.show_subject(subject.id)
        await until(lambda: bool(view.attempts), what="the attempt state")
        await until(lambda: view.details.toPlainText() != "", what="the page")
        page = view.details.toPlainText()
        assert f"PIN verification is off after {PIN.disable_after} wrong PINs in a row" in page
        assert "3 failed face attempt(s) in a row" in page
        assert view.reenable[AttemptFactor.PIN].isVisible()
        assert not view.reenable[AttemptFactor.FACE].isVisible()  # face is counting, not off

        qtbot.mouseClick(view.reenable[AttemptFactor.PIN], Qt.MouseButton.LeftButton)
        await until(
            lambda: "PIN verification re-enabled" in view.message.text(), what="the message"
        )
        assert not view.reenable[AttemptFactor.PIN].isVisible()
        page = view.details.toPlainText()
        assert "wrong PINs" not in page and "3 failed face attempt(s) in a row" in page

    drive(scenario)
    assert station.repos.attempts.get(subject.id, AttemptFactor.PIN) == AttemptState()
    assert station.repos.attempts.get(subject.id, AttemptFactor.FACE) == AttemptState(3, now)
    last = station.repos.audit.events(subject.id)[-1]
    assert last.kind == "pin_reenabled" and last.operator == "admin-1"
    assert last.detail == {"consecutive_failures": PIN.disable_after, "was_disabled": True}


def test_r5_an_operator_sees_pin_off_but_no_re_enable_button(
    desk: Desk, qtbot: QtBot, drive: Drive[object]
) -> None:
    station = desk.station
    subject = station.subjects.register(MEMBER, "Test Member", ADULT_BIRTH, "desk-1")
    now = station.clock.now()
    with station.store.transaction():
        station.repos.attempts.set(
            subject.id, AttemptFactor.PIN, AttemptState(PIN.disable_after, now, now)
        )
    station.accounts.add_operator("Desk", Role.OPERATOR, "desk password 1", ADMIN, STORE_SECRET)
    operator = Station(station.store, "Desk", station.settings, station.clock)
    view = SubjectView(Desk(operator, desk.executor, desk.camera, "Desk"))
    qtbot.addWidget(view)
    view.show()

    async def scenario() -> None:
        view.show_subject(subject.id)
        await until(lambda: bool(view.attempts), what="the attempt state")
        await until(lambda: "wrong PINs" in view.details.toPlainText(), what="the PIN state")
        assert not any(button.isVisible() for button in view.reenable.values())

    drive(scenario)
